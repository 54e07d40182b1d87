import Probes
import XCTest
@testable import Diagnosis

/// The connection nodes of the refused family: reach, port, blocked, filtered.
final class RefusedFamilyConnectTests: XCTestCase {
    let target = Target(host: Fixture.host, port: 25, controlPort: 443)

    /// Resolves to `addresses`, answers the scan with `results`; the run must then be over.
    private func diagnose(_ results: [PortProbeResult], addresses: [IPAddress] = [Fixture.v4],
                          file: StaticString = #filePath, line: UInt = #line) -> DiagnosisRun {
        var run = DiagnosisRun(target)
        run.answer(.resolution(HostResolution(host: Fixture.host, lookups: [Fixture.lookup(.a, .answer(addresses.map { .address($0, ttl: 60) }, canonicalName: nil))])),
                   file: file, line: line)
        XCTAssertEqual(run.requests, [.scanPorts(addresses: addresses, ports: target.portsToScan, timeoutSeconds: 5),
                                      Fixture.smtpRequest(target, address: addresses[0])], file: file, line: line)
        run.answer(Fixture.scan(results), file: file, line: line)
        XCTAssertEqual(run.effects, [], file: file, line: line)
        XCTAssertEqual(run.state.phase, .finished, file: file, line: line)
        return run
    }

    func testEverythingFilteredIncludingTheControlPortIsPortFiltered() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, otherwise: .filtered))
        XCTAssertEqual(run.statuses, [.ruledOut, .confirmed, .skipped, .skipped, .skipped, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .portFiltered)
        XCTAssertEqual(run.verdict?.summary, "No port of mail.example.com answered within 5 s, not even the control port 443: the server is down, or a firewall drops everything sent to it.")
        XCTAssertEqual(run.step("reach")?.evidence.count, 5)
        XCTAssertEqual(run.step("reach")?.cause, .portFiltered)
        XCTAssertTrue(run.verdict?.remediation.last?.contains("inbound TCP 25") ?? false)
    }

    func testEverythingUnreachableWithAdministrativelyProhibitedIsHostUnreachable() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, otherwise: .unreachable, icmp: Fixture.adminProhibited))
        XCTAssertEqual(run.statuses, [.ruledOut, .confirmed, .skipped, .skipped, .skipped, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .hostUnreachable)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com cannot be reached on port 25: ICMP 3/13 from 192.0.2.254: communication administratively prohibited (a firewall rejected it).")
        XCTAssertEqual(run.verdict?.remediation, [
            "A firewall at 192.0.2.254 rejects the connection (communication administratively prohibited (a firewall rejected it)). Ask whoever runs it to allow TCP 25 to mail.example.com.",
            "Check the address 192.0.2.10 is the current mail server, then retry from another network.",
        ])
    }

    func testEverythingUnreachableWithoutICMPBlamesRouting() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, otherwise: .unreachable))
        XCTAssertEqual(run.verdict?.cause, .hostUnreachable)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com cannot be reached on port 25: EHOSTUNREACH.")
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("No route reaches the address") ?? false)
    }

    func testEverythingBlockedByTheLocalFirewallSaysSo() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, otherwise: .unreachable, blockedLocally: true))
        XCTAssertEqual(run.verdict?.cause, .hostUnreachable)
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("This machine's own firewall refuses the connection") ?? false)
    }

    func testRequestedPortRefusedWith587OpenIsPortClosedWithTheAlternative() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, [25: .refused, 587: .open], otherwise: .refused))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .confirmed, .skipped, .skipped, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .portClosed)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com is up but refused the connection on port 25 (TCP reset): nothing listens there.")
        XCTAssertEqual(run.verdict?.remediation.first, "Port 587 answers: use 587 with STARTTLS.")
        XCTAssertEqual(run.verdict?.remediation.count, 2)
        XCTAssertEqual(run.verdict?.evidence.first, "192.0.2.10:25 refused (TCP reset after 1 ms) [ECONNREFUSED]")
        XCTAssertTrue(run.verdict?.evidence.contains("192.0.2.10:587 open (connected in 1 ms)") ?? false)
        XCTAssertEqual(run.step("reach")?.evidence.suffix(2), ["The host answered on port 25, 443, 465, 587, 2525.",
                                                              "SMTP ports accepting connections: 587."])
    }

    func testAlternativesComeInSubmissionOrder() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, [25: .refused, 465: .open, 587: .open, 2525: .open]))
        XCTAssertEqual(run.verdict?.cause, .portClosed)
        XCTAssertEqual(Array(run.verdict?.remediation.prefix(3) ?? []), [
            "Port 587 answers: use 587 with STARTTLS.",
            "Port 465 answers: use 465 with implicit TLS (TLS from the first byte, often labelled SSL/TLS).",
            "Port 2525 answers: use 2525 with STARTTLS (2525 is an unofficial alternative that many senders' services offer).",
        ])
    }

    func testRequestedPortRefusedWithNoSMTPPortOpenSaysTheServiceIsDown() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, otherwise: .refused))
        XCTAssertEqual(run.verdict?.cause, .portClosed)
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("No SMTP port answers on mail.example.com") ?? false)
        XCTAssertEqual(run.step("reach")?.evidence.last, "No SMTP port accepts connections.")
    }

    func testRequestedPortFilteredWhileControlPortOpenIsNetworkBlocksSMTP() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, [443: .open], otherwise: .filtered))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .confirmed, .skipped, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .networkBlocksSMTP)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com answers on port 443 but not on SMTP port 25: something between you and the server blocks SMTP.")
        XCTAssertTrue(run.verdict?.evidence.contains("Port 443 accepted a connection on 192.0.2.10, so the host is up and reachable.") ?? false)
        XCTAssertTrue(run.verdict?.evidence.contains("SMTP ports with no answer: 25, 465, 587, 2525.") ?? false)
        XCTAssertEqual(run.step("port")?.evidence.last, "No TCP reset came back from port 25, so the host never said \"nothing listens here\".")
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("Your network (ISP, office firewall") ?? false)
    }

    func testRequestedPortRejectedByICMPWhileControlAnswersWithResetIsNetworkBlocksSMTP() {
        var results = Fixture.results(target, on: Fixture.v4, [443: .refused], otherwise: .filtered)
        results[0] = Fixture.probe(Fixture.v4, 25, .unreachable, icmp: Fixture.adminProhibited)
        let run = diagnose(results)
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .confirmed, .skipped, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .networkBlocksSMTP)
        XCTAssertTrue(run.verdict?.evidence.contains("Port 443 answered with a reset on 192.0.2.10, so the host is up and reachable.") ?? false)
        XCTAssertTrue(run.verdict?.evidence.contains("The rejection came from 192.0.2.254: communication administratively prohibited (a firewall rejected it).") ?? false)
    }

    func testLocalFirewallOnTheRequestedPortIsNamedInTheRemediation() {
        var results = Fixture.results(target, on: Fixture.v4, [443: .open, 587: .open])
        results[0] = Fixture.probe(Fixture.v4, 25, .unreachable, blockedLocally: true)
        let run = diagnose(results)
        XCTAssertEqual(run.verdict?.cause, .networkBlocksSMTP)
        XCTAssertEqual(Array(run.verdict?.remediation.prefix(2) ?? []), [
            "Port 587 answers: use 587 with STARTTLS.",
            "This machine's own firewall refuses the connection: look for an outgoing rule on port 25 (nft list ruleset, iptables -S, ufw status).",
        ])
    }

    func testRequestedAndControlFilteredWith587OpenIsPortFilteredWithTheAlternative() {
        let run = diagnose(Fixture.results(target, on: Fixture.v4, [587: .open], otherwise: .filtered))
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .inconclusive, .confirmed, .skipped] + smtpSkipped)
        XCTAssertEqual(run.step("blocked")?.evidence.last, "Port 443 did not answer either, so a blocked network cannot be told from a server that is down.")
        XCTAssertNil(run.step("blocked")?.cause)
        XCTAssertEqual(run.verdict?.cause, .portFiltered)
        XCTAssertEqual(run.step("filtered")?.cause, .portFiltered)
        XCTAssertEqual(run.verdict?.summary, "Port 25 of mail.example.com gave no answer within 5 s: the connection attempt is dropped silently.")
        XCTAssertEqual(run.verdict?.remediation.first, "Port 587 answers: use 587 with STARTTLS.")
        XCTAssertEqual(run.findings.map(\.cause), [.portFiltered])
    }

    func testRequestedPortUnreachableWith587OpenAndControlSilentIsHostUnreachable() {
        var results = Fixture.results(target, on: Fixture.v4, [587: .open], otherwise: .filtered)
        results[0] = Fixture.probe(Fixture.v4, 25, .unreachable, icmp: Fixture.hostUnreachableICMP)
        let run = diagnose(results)
        XCTAssertEqual(run.statuses, [.ruledOut, .ruledOut, .ruledOut, .inconclusive, .confirmed, .skipped] + smtpSkipped)
        XCTAssertEqual(run.verdict?.cause, .hostUnreachable)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com cannot be reached on port 25: ICMP 3/1 from 192.0.2.254: host unreachable.")
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("No route reaches the address") ?? false)
    }

    func testRefusedOnOneAddressAndFilteredOnTheOtherIsPortClosed() {
        let results = Fixture.results(target, on: Fixture.v4, [25: .refused]) + Fixture.results(target, on: Fixture.v4b)
        let run = diagnose(results, addresses: [Fixture.v4, Fixture.v4b])
        XCTAssertEqual(run.verdict?.cause, .portClosed)
        XCTAssertEqual(run.step("port")?.evidence.count, 8, "two requested-port lines, then 465, 587 and 2525 on both addresses")
    }
}

extension DiagnosisRun {
    var findings: [Finding] { state.findings }
}
