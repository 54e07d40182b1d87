import Probes
import XCTest
@testable import Diagnosis

/// The reducer's life cycle: what it asks for, and which results it drops.
final class DiagnosisReducerTests: XCTestCase {
    let target = Target(host: Fixture.host, port: 25)

    func testStartedOnAHostNameAsksForTheLookupFirst() {
        let run = DiagnosisRun(target)
        XCTAssertEqual(run.effects, [.run(.resolveHost(Fixture.host, family: .any), runID: 1)])
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertEqual(run.state.steps.map(\.id), refusedStepIDs)
        XCTAssertEqual(run.statuses, [.running] + [StepStatus](repeating: .waiting, count: refusedStepIDs.count - 1))
        XCTAssertEqual(run.state.pending, [.dns: .resolveHost(Fixture.host, family: .any)])
        XCTAssertNil(run.verdict)
    }

    func testLookupResultAsksForOneScanOfEveryPortOnEveryAddressAndTheSMTPSessionAtOnce() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v6, Fixture.v4), durationMs: 42)
        let scan = ProbeRequest.scanPorts(addresses: [Fixture.v4, Fixture.v6], ports: [25, 465, 587, 2525, 443], timeoutSeconds: 5)
        let smtp = ProbeRequest.smtpSession(SMTPSessionRequest(address: Fixture.v4, port: 25, mode: .opportunistic, alternate: .implicit,
                                                               serverName: Fixture.host, deadlines: StageDeadlines(allMs: 5000)))
        XCTAssertEqual(run.effects, [.run(scan, runID: 1), .run(smtp, runID: 1)])
        XCTAssertEqual(run.step("dns")?.status, .ruledOut)
        XCTAssertEqual(run.step("dns")?.durationMs, 42)
        XCTAssertEqual(run.step("reach")?.status, .running)
        XCTAssertEqual(run.step("greeting")?.status, .waiting, "asked for, but not the step being judged")
        XCTAssertEqual(run.state.pending, [.tcpConnect: scan, .smtp: smtp])
    }

    func testSMTPSessionGoesToTheFirstAllowedAddressInTheModeOfTheTarget() {
        let smtps = Target(host: Fixture.host, port: 465, family: .ipv6Only)
        var run = DiagnosisRun(smtps)
        run.answer(Fixture.resolved(Fixture.v4, Fixture.v6))
        XCTAssertEqual(run.requests, [Fixture.scanRequest(smtps, Fixture.v6), Fixture.smtpRequest(smtps, address: Fixture.v6)])
        guard case .smtpSession(let session)? = run.requests.last else { return XCTFail("no SMTP session asked for") }
        XCTAssertEqual(session.mode, .implicit)
        XCTAssertEqual(session.alternate, .plain)
    }

    func testScanDurationIsRecordedOnTheStepThatAskedForIt() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v4))
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [25: .open])), durationMs: 17)
        XCTAssertEqual(run.step("reach")?.durationMs, 17)
        XCTAssertEqual(run.effects, [], "the SMTP session was asked for with the scan")
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertEqual(run.step("greeting")?.status, .running)
        XCTAssertEqual(run.state.pending, [.smtp: Fixture.smtpRequest(target)])
        run.answer(Fixture.healthySMTP(for: Fixture.smtpRequest(target)), durationMs: 23)
        XCTAssertEqual(run.step("greeting")?.durationMs, 23)
        XCTAssertEqual(run.step("reach")?.durationMs, 17)
        XCTAssertEqual(run.effects, [])
        XCTAssertEqual(run.state.phase, .finished)
        XCTAssertEqual(run.state.pending, [:])
    }

    func testSMTPAnswerAfterTheScanEndedTheRunIsIgnored() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v4))
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [25: .refused, 587: .open])))
        XCTAssertEqual(run.verdict?.cause, .portClosed)
        XCTAssertEqual(run.state.pending, [:], "the SMTP session is no longer awaited")
        let before = run.state
        run.answer(Fixture.healthySMTP(for: Fixture.smtpRequest(target)))
        XCTAssertEqual(run.effects, [])
        XCTAssertEqual(run.state, before)
    }

    func testIPv4LiteralSkipsTheLookupAndScansTheAddress() {
        let literal = Target(host: "192.0.2.10", port: 25)
        let run = DiagnosisRun(literal)
        XCTAssertEqual(run.effects, [.run(Fixture.scanRequest(literal, Fixture.v4), runID: 1),
                                     .run(Fixture.smtpRequest(literal, address: Fixture.v4), runID: 1)])
        XCTAssertEqual(run.step("dns")?.status, .skipped)
        XCTAssertEqual(run.step("dns")?.evidence, ["192.0.2.10 is an IP address; there is no name to look up."])
        XCTAssertEqual(run.step("reach")?.status, .running)
        XCTAssertEqual(run.state.facts.resolution?.literal, Fixture.v4)
    }

    func testBracketedIPv6LiteralSkipsTheLookup() {
        let literal = Target(host: "[2001:db8::10]", port: 587, family: .ipv6Only)
        let run = DiagnosisRun(literal)
        XCTAssertEqual(run.requests, [.scanPorts(addresses: [Fixture.v6], ports: literal.portsToScan, timeoutSeconds: 5),
                                      Fixture.smtpRequest(literal, address: Fixture.v6)])
        guard case .smtpSession(let session)? = run.requests.last else { return XCTFail("no SMTP session asked for") }
        XCTAssertEqual(session.serverName, "[2001:db8::10]", "the host as given: certificate names are checked against it")
        XCTAssertEqual(run.step("dns")?.status, .skipped)
    }

    func testTimeoutOfTheTargetIsPassedToTheScanAndTheSMTPSession() {
        let slow = Target(host: "192.0.2.10", port: 587, timeoutSeconds: 2.5)
        XCTAssertEqual(DiagnosisRun(slow).requests, [
            .scanPorts(addresses: [Fixture.v4], ports: slow.portsToScan, timeoutSeconds: 2.5),
            .smtpSession(SMTPSessionRequest(address: Fixture.v4, port: 587, mode: .opportunistic, alternate: .implicit,
                                            serverName: "192.0.2.10", deadlines: StageDeadlines(allMs: 2500))),
        ])
    }

    func testResultOfAnEarlierRunIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        _ = DiagnosisReducer.reduce(&state, .started)
        let second = DiagnosisReducer.reduce(&state, .started)
        XCTAssertEqual(second, [.run(.resolveHost(Fixture.host, family: .any), runID: 2)])
        let before = state

        let stale = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .any),
                                                                    observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(stale, [])
        XCTAssertEqual(state, before)

        let current = DiagnosisReducer.reduce(&state, .probeFinished(runID: 2, request: .resolveHost(Fixture.host, family: .any),
                                                                      observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(current, [.run(Fixture.scanRequest(target, Fixture.v4), runID: 2), .run(Fixture.smtpRequest(target), runID: 2)])
        XCTAssertEqual(state.step("dns")?.status, .ruledOut)
    }

    func testResultForAnotherRequestThanThePendingOneIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        _ = DiagnosisReducer.reduce(&state, .started)
        let before = state
        let otherHost = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost("other.example.com", family: .any),
                                                                        observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(otherHost, [])
        let otherFamily = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .ipv4Only),
                                                                          observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(otherFamily, [])
        let scan = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: .scanPorts(addresses: [Fixture.v4], ports: [25], timeoutSeconds: 5),
                                                                   observation: Fixture.scan([]), durationMs: 5))
        XCTAssertEqual(scan, [])
        let smtp = DiagnosisReducer.reduce(&state, .probeFinished(runID: 1, request: Fixture.smtpRequest(target),
                                                                   observation: Fixture.healthySMTP(for: Fixture.smtpRequest(target)), durationMs: 5))
        XCTAssertEqual(smtp, [], "an SMTP session nobody asked for yet")
        XCTAssertEqual(state, before)
    }

    func testResultBeforeAnyStartIsIgnored() {
        var state = DiagnosisState(target: target, symptom: .refused)
        let effects = DiagnosisReducer.reduce(&state, .probeFinished(runID: 0, request: .resolveHost(Fixture.host, family: .any),
                                                                      observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(state.phase, .ready)
        XCTAssertEqual(state.steps, [])
        XCTAssertNil(state.facts.resolution)
    }

    func testResultAfterTheRunFinishedIsIgnored() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .nxdomain)))
        XCTAssertEqual(run.state.phase, .finished)
        let before = run.state
        let late = DiagnosisReducer.reduce(&run.state, .probeFinished(runID: 1, request: .resolveHost(Fixture.host, family: .any),
                                                                       observation: Fixture.resolved(Fixture.v4), durationMs: 5))
        XCTAssertEqual(late, [])
        XCTAssertEqual(run.state, before)
        XCTAssertEqual(run.verdict?.cause, .hostNXDomain)
    }

    func testStartingAgainAfterAVerdictForgetsIt() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .nxdomain)))
        let again = DiagnosisReducer.reduce(&run.state, .started)
        XCTAssertEqual(again, [.run(.resolveHost(Fixture.host, family: .any), runID: 2)])
        XCTAssertEqual(run.state.phase, .running)
        XCTAssertNil(run.state.verdict)
        XCTAssertEqual(run.state.findings, [])
        XCTAssertNil(run.state.facts.resolution)
        XCTAssertEqual(run.state.steps.map(\.status), [.running] + [StepStatus](repeating: .waiting, count: refusedStepIDs.count - 1))
    }

    func testSymptomWithoutATreeFinishesAtOnce() {
        for symptom in Symptom.allCases where !symptom.isBuilt {
            var state = DiagnosisState(target: target, symptom: symptom)
            let effects = DiagnosisReducer.reduce(&state, .started)
            XCTAssertEqual(effects, [], "\(symptom)")
            XCTAssertEqual(state.phase, .finished, "\(symptom)")
            XCTAssertEqual(state.steps, [], "\(symptom)")
            XCTAssertNil(state.verdict, "\(symptom)")
            XCTAssertNil(TroubleshootingTree.forSymptom(symptom), "\(symptom)")
        }
        XCTAssertEqual(Symptom.allCases.filter(\.isBuilt), [.refused, .auth, .timeout, .spam])
    }

    func testRemediationListsTheVerdictFirst() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolved(Fixture.v4))
        run.answer(Fixture.scan(Fixture.results(target, on: Fixture.v4, [25: .refused, 587: .open])))
        XCTAssertEqual(run.state.remediation, run.verdict?.remediation)
        XCTAssertEqual(run.state.remediation.first, "Port 587 answers: use 587 with STARTTLS.")
    }
}

extension DiagnosisState {
    func step(_ id: String) -> StepRecord? { steps.first { $0.id == id } }
}
