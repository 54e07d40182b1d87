import XCTest
@testable import MailAuth

final class DMARCLookupTests: XCTestCase {
    private let suffixes = PublicSuffixList(rulesText: PublicSuffixList.fallbackRules)
    private let reject = "v=DMARC1; p=reject; rua=mailto:d@example.com"

    private func discover(_ domain: String, _ zone: [String: DNSAnswer<String>]) async -> DMARCDiscovery {
        await DMARCLookup.discover(for: domain, dns: DMARCTestDNS(zone), suffixes: suffixes)
    }

    func testRecordAtTheDomainItself() async throws {
        let result = await discover("Example.COM.", ["_dmarc.example.com": .records(["v=spf1 -all", reject])])
        guard case .found(let record, let name, let fallback) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(record.policy, .reject)
        XCTAssertEqual(name, "_dmarc.example.com")
        XCTAssertFalse(fallback)
    }

    func testSubdomainFallsBackToTheOrganizationalDomain() async {
        let zone: [String: DNSAnswer<String>] = [
            "_dmarc.mail.example.co.uk": .noRecords,
            "_dmarc.example.co.uk": .records([reject]),
        ]
        let result = await discover("mail.example.co.uk", zone)
        guard case .found(_, let name, let fallback) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(name, "_dmarc.example.co.uk")
        XCTAssertTrue(fallback)
    }

    func testRecordsNotStartingWithTheVersionAreIgnored() async {
        let zone: [String: DNSAnswer<String>] = [
            "_dmarc.a.example.com": .records(["v=spf1 -all", "google-site-verification=x"]),
        ]
        let result = await discover("a.example.com", zone)
        XCTAssertEqual(result, .missing(checked: ["_dmarc.a.example.com", "_dmarc.example.com"]))
    }

    func testOrganizationalDomainIsAskedOnlyOnce() async {
        let apex = await discover("example.com", [:])
        XCTAssertEqual(apex, .missing(checked: ["_dmarc.example.com"]))
        let empty = await discover("", [:])
        XCTAssertEqual(empty, .missing(checked: []))
    }

    func testTwoRecordsMeanNoPolicy() async {
        let zone: [String: DNSAnswer<String>] = ["_dmarc.example.com": .records([reject, "v=DMARC1; p=none"])]
        let result = await discover("example.com", zone)
        XCTAssertEqual(result, .multiple(name: "_dmarc.example.com", count: 2))
    }

    func testAMiswrittenRecordIsReportedNotSkipped() async {
        let zone: [String: DNSAnswer<String>] = ["_dmarc.example.com": .records(["v = dmarc1; p=reject"])]
        guard case .invalid(let name, let raw, let error) = await discover("example.com", zone) else {
            return XCTFail("not invalid")
        }
        XCTAssertEqual(name, "_dmarc.example.com")
        XCTAssertEqual(raw, "v = dmarc1; p=reject")
        XCTAssertEqual(error.tag, "v")
    }

    func testAnInvalidSubdomainRecordStopsTheSearch() async {
        // RFC 7489 6.6.3: the organizational domain is asked only when the
        // first name gave no DMARC record at all.
        let zone: [String: DNSAnswer<String>] = [
            "_dmarc.a.example.com": .records(["v=DMARC1; p=bogus"]),
            "_dmarc.example.com": .records([reject]),
        ]
        guard case .invalid = await discover("a.example.com", zone) else { return XCTFail("fell back") }
    }

    func testDNSFailureAtEitherName() async {
        let first = await discover("example.com", ["_dmarc.example.com": .failure("SERVFAIL")])
        XCTAssertEqual(first, .dnsFailure(name: "_dmarc.example.com", reason: "SERVFAIL"))
        let second = await discover("a.example.com", ["_dmarc.example.com": .failure("timeout")])
        XCTAssertEqual(second, .dnsFailure(name: "_dmarc.example.com", reason: "timeout"))
    }
}
