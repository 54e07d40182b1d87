@testable import Probes
import XCTest
@testable import Diagnosis

/// The timeout tree end to end through the reducer: the scan and the SMTP
/// session run at once, and the verdict still follows the order of the nodes.
final class TimeoutFamilyTests: XCTestCase {
    let target = Target(host: Fixture.host, port: 587)

    private func started(file: StaticString = #filePath, line: UInt = #line) -> DiagnosisRun {
        var run = DiagnosisRun(target, symptom: .timeout)
        XCTAssertEqual(run.state.steps.map(\.id), refusedStepIDs, file: file, line: line)
        run.answer(Fixture.resolved(Fixture.v4), durationMs: 3, file: file, line: line)
        XCTAssertEqual(run.requests, [Fixture.scanRequest(target, Fixture.v4), Fixture.smtpRequest(target)], file: file, line: line)
        return run
    }

    func testTheTreeIsTheConnectionNodesThenTheSMTPNodes() {
        XCTAssertEqual(TimeoutFamily.tree.nodes.map(\.id), refusedStepIDs)
        XCTAssertEqual(TroubleshootingTree.forSymptom(.timeout)?.symptom, .timeout)
    }

    func testSilentGreetingAnsweredFirstWaitsForTheScanThenIsBannerTimeout() {
        var run = started()
        run.answer(Fixture.smtp(SMTPNodesTests.silent(), alternate: SMTPNodesTests.silent(.implicit)), durationMs: 5004)
        XCTAssertEqual(run.effects, [], "nothing new to ask")
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertNil(run.verdict, "the connection steps come first")
        XCTAssertEqual(run.step("reach")?.status, .running)
        XCTAssertEqual(run.step("greeting")?.status, .waiting)
        XCTAssertEqual(run.state.pending, [.tcpConnect: Fixture.scanRequest(target, Fixture.v4)])

        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [587: .open, 443: .open])), durationMs: 12)
        XCTAssertEqual(run.effects, [])
        XCTAssertEqual(run.state.phase, .finished)
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .skipped, .skipped, .skipped, .confirmed]
            + [StepStatus](repeating: .skipped, count: 6))
        XCTAssertEqual(run.verdict?.cause, .bannerTimeout)
        XCTAssertEqual(run.step("greeting")?.durationMs, 5004)
        XCTAssertEqual(run.step("reach")?.durationMs, 12)
    }

    func testAFilteredPortOutranksTheSMTPSessionThatCouldNotConnect() {
        var run = started()
        let failed = Fixture.session(end: .connectFailed(detail: "connect timed out"), greeting: nil, ehlo: nil, ehloAfterTLS: nil, tls: nil)
        run.answer(Fixture.smtp(failed))
        XCTAssertNil(run.verdict)
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, otherwise: .filtered)))
        XCTAssertEqual(run.verdict?.cause, .portFiltered)
        XCTAssertEqual(run.statuses, [.ruledOut, .confirmed, .skipped, .skipped, .skipped, .skipped] + smtpSkipped)
    }

    func testScanFirstThenTheSessionAlsoWorks() {
        var run = started()
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [587: .open])))
        XCTAssertEqual(run.step("greeting")?.status, .running)
        run.answer(Fixture.smtp(SMTPNodesTests.silent(), alternate: SMTPNodesTests.implicitWorks))
        XCTAssertEqual(run.verdict?.cause, .tlsModeMismatchImplicit)
    }

    func testSlowGreetingIsAWarningAndTheLaterStepsStillRun() {
        var run = started()
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [587: .open])))
        var slow = Fixture.healthySession()
        slow.greetingDelayMs = 3000
        run.answer(Fixture.smtp(slow))
        XCTAssertEqual(run.verdict?.cause, .slowBanner)
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertEqual(Array(run.statuses.suffix(7)), [.ruledOut, .ruledOut, .confirmed, .ruledOut, .ruledOut, .ruledOut, .ruledOut])
    }

    func testLaterErrorOutranksTheSlowGreetingWarning() {
        var run = started()
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [587: .open])))
        var slowAndExpired = Fixture.session(delayMs: 2500, tls: Fixture.tls([.expired(notAfter: Fixture.validTo)]))
        slowAndExpired.end = .completed
        run.answer(Fixture.smtp(slowAndExpired))
        XCTAssertEqual(run.state.findings.map(\.cause), [.slowBanner, .certExpired])
        XCTAssertEqual(run.verdict?.cause, .certExpired, "an error is the verdict, the warning stays a finding")
    }

    func testHealthyTimeoutRunShowsTheConversation() {
        var run = started()
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [587: .open])))
        run.answer(Fixture.healthySMTP(for: Fixture.smtpRequest(target)))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .skipped, .skipped, .skipped] + smtpRuledOut)
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com port 587 greeted after 40 ms, TLS TLSv1.3; nothing here makes a client wait or hang.")
        XCTAssertEqual(run.verdict?.evidence.first, "[0.000] === Trying 192.0.2.10:587 (opportunistic)")
        XCTAssertEqual(run.verdict?.remediation.last, "Use port 587 with STARTTLS.")
    }
}
