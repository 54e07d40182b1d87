import Probes
import XCTest
@testable import Diagnosis

/// Which ports a scan tries, which families a preference allows, which alternatives are offered.
final class TargetTests: XCTestCase {
    func testDefaultTargetScans587FirstThenTheOtherSMTPPortsThenControl() {
        let target = Target(host: Fixture.host)
        XCTAssertEqual(target.port, 587)
        XCTAssertEqual(target.controlPort, 443)
        XCTAssertEqual(target.portsToScan, [587, 25, 465, 2525, 443])
    }

    func testPort25WithControl443() {
        XCTAssertEqual(Target(host: Fixture.host, port: 25, controlPort: 443).portsToScan, [25, 465, 587, 2525, 443])
    }

    func testRequestedPortEqualToControlPortIsScannedOnce() {
        XCTAssertEqual(Target(host: Fixture.host, port: 443, controlPort: 443).portsToScan, [443, 25, 465, 587, 2525])
    }

    func testControlPortThatIsAnSMTPPortIsNotRepeated() {
        XCTAssertEqual(Target(host: Fixture.host, port: 587, controlPort: 25).portsToScan, [587, 25, 465, 2525])
        XCTAssertEqual(Target(host: Fixture.host, port: 25, controlPort: 25).portsToScan, [25, 465, 587, 2525])
    }

    func testUnusualPortsComeFirstAndLast() {
        XCTAssertEqual(Target(host: Fixture.host, port: 2526, controlPort: 80).portsToScan, [2526, 25, 465, 587, 2525, 80])
    }

    func testNoPortIsEverScannedTwice() {
        for port in [1, 25, 80, 443, 465, 587, 2525, 65535] {
            for control in [22, 25, 80, 443, 587] {
                let ports = Target(host: Fixture.host, port: port, controlPort: control).portsToScan
                XCTAssertEqual(ports.count, Set(ports).count, "port \(port), control \(control)")
                XCTAssertEqual(ports.first, port)
                XCTAssertTrue(ports.contains(control))
                XCTAssertTrue(Set(Target.smtpPorts).isSubset(of: Set(ports)))
            }
        }
    }

    func testFamilyPreferenceAllows() {
        XCTAssertTrue(FamilyPreference.any.allows(.ipv4))
        XCTAssertTrue(FamilyPreference.any.allows(.ipv6))
        XCTAssertTrue(FamilyPreference.ipv4Only.allows(.ipv4))
        XCTAssertFalse(FamilyPreference.ipv4Only.allows(.ipv6))
        XCTAssertFalse(FamilyPreference.ipv6Only.allows(.ipv4))
        XCTAssertTrue(FamilyPreference.ipv6Only.allows(.ipv6))
    }

    func testAlternativesSkipTheRequestedPortAndClosedOnes() {
        XCTAssertEqual(PortAdvice.alternatives(open: [25, 587, 465], excluding: 587), [
            "Port 465 answers: use 465 with implicit TLS (TLS from the first byte, often labelled SSL/TLS).",
            "Port 25 answers: use 25 with STARTTLS (port 25 is meant for server-to-server relay; most providers accept client submission only on 587 or 465).",
        ])
        XCTAssertEqual(PortAdvice.alternatives(open: [], excluding: 25), [])
        XCTAssertEqual(PortAdvice.tlsPhrase(8025), "the TLS mode your provider documents for it")
    }

    func testAddressesPutIPv4FirstAndDropDuplicates() {
        let resolution = HostResolution(host: Fixture.host, lookups: [
            Fixture.lookup(.aaaa, Fixture.answer(Fixture.v6)),
            Fixture.lookup(.a, Fixture.answer(Fixture.v4b, Fixture.v4, Fixture.v4b)),
        ])
        XCTAssertEqual(resolution.addresses, [Fixture.v4b, Fixture.v4, Fixture.v6])
        XCTAssertEqual(HostResolution(host: "192.0.2.10", literal: Fixture.v4).addresses, [Fixture.v4])
    }
}
