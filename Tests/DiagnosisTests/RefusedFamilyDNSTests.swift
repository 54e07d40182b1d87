import Probes
import XCTest
@testable import Diagnosis

/// The first node of the refused family: does the name resolve?
final class RefusedFamilyDNSTests: XCTestCase {
    let target = Target(host: Fixture.host, port: 587)

    /// Starts a run and answers its lookup; the run must then be over.
    private func diagnoseLookup(_ observation: Observation, target: Target? = nil,
                                file: StaticString = #filePath, line: UInt = #line) -> DiagnosisRun {
        var run = DiagnosisRun(target ?? self.target)
        run.answer(observation, file: file, line: line)
        XCTAssertEqual(run.effects, [], "no scan after a failed lookup", file: file, line: line)
        XCTAssertEqual(run.state.phase, .finished, file: file, line: line)
        XCTAssertEqual(run.statuses, [.confirmed, .skipped, .skipped, .skipped, .skipped, .skipped] + smtpSkipped, file: file, line: line)
        for id in refusedStepIDs.dropFirst() {
            XCTAssertEqual(run.step(id)?.evidence, ["Not needed: an earlier step found the cause."], id, file: file, line: line)
        }
        return run
    }

    func testAddressesFoundRulesTheHypothesisOut() {
        var run = DiagnosisRun(target)
        let lookups = [Fixture.lookup(.a, Fixture.answer(Fixture.v4, Fixture.v4b)), Fixture.lookup(.aaaa, Fixture.answer(Fixture.v6))]
        run.answer(.resolution(HostResolution(host: Fixture.host, lookups: lookups)))
        XCTAssertEqual(run.step("dns")?.status, .ruledOut)
        XCTAssertEqual(run.step("dns")?.evidence, lookups.map(\.evidenceLine)
            + ["mail.example.com resolves to 192.0.2.10, 192.0.2.11, 2001:db8::10."])
        XCTAssertNil(run.step("dns")?.cause)
        XCTAssertEqual(run.requests, [.scanPorts(addresses: [Fixture.v4, Fixture.v4b, Fixture.v6], ports: target.portsToScan, timeoutSeconds: 5),
                                      Fixture.smtpRequest(target, address: Fixture.v4)])
    }

    func testAnswerThroughACNAMEStillResolves() {
        var run = DiagnosisRun(target)
        run.answer(Fixture.resolution(Fixture.lookup(.a, Fixture.answer(Fixture.v4, cname: "smtp.example.net")),
                                      Fixture.lookup(.aaaa, .noData)))
        XCTAssertEqual(run.step("dns")?.status, .ruledOut)
        XCTAssertTrue(run.step("dns")?.evidence.first?.contains("via CNAME smtp.example.net") ?? false)
        XCTAssertEqual(run.requests, [.scanPorts(addresses: [Fixture.v4], ports: target.portsToScan, timeoutSeconds: 5),
                                      Fixture.smtpRequest(target, address: Fixture.v4)])
    }

    func testNXDOMAINIsHostNXDomain() {
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .nxdomain)))
        XCTAssertEqual(run.verdict?.cause, .hostNXDomain)
        XCTAssertEqual(run.verdict?.severity, .error)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com does not exist in DNS (NXDOMAIN).")
        XCTAssertEqual(run.step("dns")?.cause, .hostNXDomain)
        XCTAssertEqual(run.verdict?.evidence, [
            "A mail.example.com @192.0.2.53: NXDOMAIN: the name does not exist [3 ms]",
            "AAAA mail.example.com @192.0.2.53: NXDOMAIN: the name does not exist [3 ms]",
        ])
        XCTAssertEqual(run.verdict?.remediation.first, "Check the spelling of the host name against your provider's documentation.")
    }

    func testNXDOMAINOutweighsAResolverFailureOnTheOtherType() {
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, .nxdomain), Fixture.lookup(.aaaa, .timeout)))
        XCTAssertEqual(run.verdict?.cause, .hostNXDomain)
    }

    func testNoDataForAAndAAAAIsHostNoAddress() {
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, .noData), Fixture.lookup(.aaaa, .noData)))
        XCTAssertEqual(run.verdict?.cause, .hostNoAddress)
        XCTAssertEqual(run.verdict?.summary,
                       "mail.example.com exists in DNS but has no A or AAAA record, so there is no address to connect to.")
        XCTAssertTrue(run.verdict?.remediation.contains("If you manage the zone, add an A (and AAAA if reachable over IPv6) record for mail.example.com.") ?? false)
    }

    func testResolverFailuresAreDNSFailure() {
        let failures: [DNSOutcome] = [.serverFailure, .timeout, .refused, .serverUnreachable, .malformed("bad"), .failure("odd")]
        for failure in failures {
            let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, failure), Fixture.lookup(.aaaa, failure)))
            XCTAssertEqual(run.verdict?.cause, .dnsFailure, "\(failure)")
            XCTAssertEqual(run.verdict?.summary, "The DNS lookup for mail.example.com failed at 192.0.2.53: \(failure.summary).", "\(failure)")
            XCTAssertEqual(run.verdict?.remediation.count, 3, "\(failure)")
            XCTAssertTrue(run.verdict?.remediation.first?.contains("resolver 192.0.2.53") ?? false, "\(failure)")
        }
    }

    func testNoDataOnOneTypeAndATimeoutOnTheOtherIsDNSFailure() {
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, .noData), Fixture.lookup(.aaaa, .timeout)))
        XCTAssertEqual(run.verdict?.cause, .dnsFailure)
        XCTAssertEqual(run.verdict?.summary, "The DNS lookup for mail.example.com failed at 192.0.2.53: no answer before the deadline.")
    }

    func testResolutionWithoutLookupsIsDNSFailure() {
        let run = diagnoseLookup(.resolution(HostResolution(host: Fixture.host, lookups: [])))
        XCTAssertEqual(run.verdict?.cause, .dnsFailure)
        XCTAssertEqual(run.verdict?.summary, "The DNS lookup for mail.example.com failed at the resolver: no usable answer.")
    }

    func testIPv4OnlyWithOnlyAnAAAARecordIsHostNoAddress() {
        let v4Only = Target(host: Fixture.host, port: 587, family: .ipv4Only)
        XCTAssertEqual(DiagnosisRun(v4Only).request, .resolveHost(Fixture.host, family: .ipv4Only))
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, .noData), Fixture.lookup(.aaaa, Fixture.answer(Fixture.v6))),
                                 target: v4Only)
        XCTAssertEqual(run.verdict?.cause, .hostNoAddress)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com has no IPv4 address, and only IPv4 was allowed.")
        XCTAssertEqual(run.verdict?.remediation,
                       ["Drop -4 to let the other address family be used, or use a host name that has an IPv4 address."])
    }

    func testIPv6OnlyWithOnlyAnARecordIsHostNoAddress() {
        let v6Only = Target(host: Fixture.host, port: 587, family: .ipv6Only)
        let run = diagnoseLookup(Fixture.resolution(Fixture.lookup(.a, Fixture.answer(Fixture.v4))), target: v6Only)
        XCTAssertEqual(run.verdict?.cause, .hostNoAddress)
        XCTAssertEqual(run.verdict?.summary, "mail.example.com has no IPv6 address, and only IPv6 was allowed.")
        XCTAssertTrue(run.verdict?.remediation.first?.hasPrefix("Drop -6") ?? false)
    }

    func testFamilyPreferenceLimitsTheAddressesScanned() {
        var run = DiagnosisRun(Target(host: Fixture.host, port: 587, family: .ipv4Only))
        run.answer(Fixture.resolved(Fixture.v4, Fixture.v6))
        XCTAssertEqual(run.step("dns")?.evidence.last, "mail.example.com resolves to 192.0.2.10.")
        XCTAssertEqual(run.requests, [.scanPorts(addresses: [Fixture.v4], ports: [587, 25, 465, 2525, 443], timeoutSeconds: 5),
                                      Fixture.smtpRequest(Target(host: Fixture.host, port: 587, family: .ipv4Only), address: Fixture.v4)])
    }
}
