import Probes
import XCTest
@testable import Diagnosis

/// The last node of the refused family (IPv4 against IPv6) and the healthy verdict.
final class RefusedFamilyIPv6Tests: XCTestCase {
    let target = Target(host: Fixture.host, port: 587, controlPort: 443)

    private func diagnose(_ target: Target? = nil, resolved addresses: [IPAddress], _ results: [PortProbeResult],
                          file: StaticString = #filePath, line: UInt = #line) -> DiagnosisRun {
        var run = DiagnosisRun(target ?? self.target)
        run.answer(.resolution(HostResolution(host: Fixture.host, lookups: [
            Fixture.lookup(.a, .answer(addresses.filter { $0.family == .ipv4 }.map { .address($0, ttl: 60) }, canonicalName: nil)),
            Fixture.lookup(.aaaa, .answer(addresses.filter { $0.family == .ipv6 }.map { .address($0, ttl: 60) }, canonicalName: nil)),
        ])), file: file, line: line)
        run.answer(Fixture.scan(results), file: file, line: line)
        XCTAssertEqual(run.effects, [], "nothing new: the SMTP session was asked for with the scan", file: file, line: line)
        run.answerSMTPIfAwaited(file: file, line: line)
        XCTAssertEqual(run.effects, [], file: file, line: line)
        XCTAssertEqual(run.state.phase, .finished, file: file, line: line)
        return run
    }

    /// When the requested port is open, blocked and filtered are not asked.
    private func assertJumpedToIPv6(_ run: DiagnosisRun, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.step("port")?.status, .ruledOut, file: file, line: line)
        for id in ["blocked", "filtered"] {
            XCTAssertEqual(run.step(id)?.status, .skipped, id, file: file, line: line)
            XCTAssertEqual(run.step(id)?.evidence, ["Not needed: an earlier step answered this."], id, file: file, line: line)
        }
    }

    func testIPv4OpenAndIPv6FilteredIsIPv6BrokenAsAWarning() {
        let run = diagnose(resolved: [Fixture.v4, Fixture.v6],
                           Fixture.results(target, on: Fixture.v4, [587: .open]) + Fixture.results(target, on: Fixture.v6))
        assertJumpedToIPv6(run)
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .skipped, .skipped, .confirmed] + smtpRuledOut)
        XCTAssertEqual(run.verdict?.cause, .ipv6Broken)
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertEqual(run.verdict?.summary, "Port 587 answers over IPv4 but not over IPv6 ([2001:db8::10] filtered).")
        XCTAssertEqual(run.step("ipv6")?.evidence, [
            "192.0.2.10:587 open (connected in 1 ms)",
            "[2001:db8::10]:587 no answer within 5000 ms (filtered or down)",
        ])
        XCTAssertTrue(run.verdict?.remediation[1].contains("2001:db8::10") ?? false)
        XCTAssertEqual(run.state.findings.count, 1)
    }

    func testIPv4OpenAndIPv6RefusedIsIPv6Broken() {
        let run = diagnose(resolved: [Fixture.v4, Fixture.v6],
                           Fixture.results(target, on: Fixture.v4, [587: .open]) + Fixture.results(target, on: Fixture.v6, otherwise: .refused))
        XCTAssertEqual(run.verdict?.cause, .ipv6Broken)
        XCTAssertEqual(run.verdict?.summary, "Port 587 answers over IPv4 but not over IPv6 ([2001:db8::10] refused).")
    }

    func testIPv6OpenAndIPv4FilteredIsPortFilteredAsAWarning() {
        let run = diagnose(resolved: [Fixture.v4, Fixture.v6],
                           Fixture.results(target, on: Fixture.v4) + Fixture.results(target, on: Fixture.v6, [587: .open]))
        assertJumpedToIPv6(run)
        XCTAssertEqual(run.step("ipv6")?.status, .confirmed)
        XCTAssertEqual(run.verdict?.cause, .portFiltered)
        XCTAssertEqual(run.verdict?.severity, .warning)
        XCTAssertEqual(run.verdict?.summary, "Port 587 answers over IPv6 but not over IPv4 (192.0.2.10 filtered).")
        XCTAssertEqual(run.verdict?.remediation, ["Clients without IPv6 cannot reach the server: fix the IPv4 path or firewall for 192.0.2.10."])
    }

    func testBothFamiliesOpenIsHealthy() {
        let run = diagnose(resolved: [Fixture.v4, Fixture.v6],
                           Fixture.results(target, on: Fixture.v4, [587: .open]) + Fixture.results(target, on: Fixture.v6, [587: .open]))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .skipped, .skipped, .ruledOut] + smtpRuledOut)
        XCTAssertEqual(run.step("ipv6")?.evidence.last, "IPv4 and IPv6 give the same answer on port 587.")
        XCTAssertEqual(run.state.findings, [])
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com accepts connections on port 587 over IPv4 and IPv6: nothing stops a connection from this network.")
        XCTAssertEqual(run.verdict?.evidence, ["192.0.2.10:587 open (connected in 1 ms)", "[2001:db8::10]:587 open (connected in 1 ms)"])
        XCTAssertEqual(run.verdict?.remediation.last, "Use port 587 with STARTTLS.")
    }

    func testSingleFamilySkipsTheIPv6Step() {
        let run = diagnose(resolved: [Fixture.v4], Fixture.results(target, on: Fixture.v4, [587: .open]))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .skipped, .skipped, .skipped] + smtpRuledOut)
        XCTAssertEqual(run.step("ipv6")?.evidence, ["mail.example.com was tried over IPv4 only, so there is nothing to compare."])
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com accepts connections on port 587 over IPv4: nothing stops a connection from this network.")
    }

    func testIPv6OnlyHostSaysIPv6Only() {
        let run = diagnose(resolved: [Fixture.v6], Fixture.results(target, on: Fixture.v6, [587: .open]))
        XCTAssertEqual(run.step("ipv6")?.status, .skipped)
        XCTAssertEqual(run.step("ipv6")?.evidence, ["mail.example.com was tried over IPv6 only, so there is nothing to compare."])
        XCTAssertEqual(run.verdict?.cause, .healthy)
    }

    func testHealthyImplicitTLSPortSaysSo() {
        let smtps = Target(host: Fixture.host, port: 465)
        let run = diagnose(smtps, resolved: [Fixture.v4], Fixture.results(smtps, on: Fixture.v4, [465: .open]))
        XCTAssertEqual(run.verdict?.cause, .healthy)
        XCTAssertEqual(run.verdict?.remediation.last,
                       "Use port 465 with implicit TLS (TLS from the first byte, often labelled SSL/TLS).")
    }

    func testHealthyOnOneOfTwoIPv6AddressesIsNotBroken() {
        let other = IPAddress("2001:db8::11")!
        let results = Fixture.results(target, on: Fixture.v4, [587: .open]) + Fixture.results(target, on: Fixture.v6, [587: .open])
            + Fixture.results(target, on: other)
        let run = diagnose(resolved: [Fixture.v4, Fixture.v6, other], results)
        XCTAssertEqual(run.step("ipv6")?.status, .ruledOut)
        XCTAssertEqual(run.verdict?.cause, .healthy)
    }
}
