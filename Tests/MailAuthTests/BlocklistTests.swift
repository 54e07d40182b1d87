import Inet
@testable import MailAuth
import XCTest

final class BlocklistTests: XCTestCase {
    let address = IPAddress("198.51.100.53")!

    private func dns(_ configure: (MemoryDNS) -> Void) -> MemoryDNS {
        let dns = MemoryDNS()
        configure(dns)
        return dns
    }

    func testQueryNameReversesOctetsAndNibbles() {
        let list = Blocklist(zone: "bl.example.")
        XCTAssertEqual(list.queryName(for: address), "53.100.51.198.bl.example")
        XCTAssertEqual(list.queryName(for: IPAddress("2001:db8::1")!),
                       "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example")
    }

    func testListedWithCodesAndReason() async {
        let zen = Blocklist.named("zen.spamhaus.org")
        let server = dns {
            $0.addressRecords["53.100.51.198.zen.spamhaus.org"] = [IPAddress("127.0.0.4")!, IPAddress("127.0.0.11")!]
            $0.txtRecords["53.100.51.198.zen.spamhaus.org"] = ["https://check.spamhaus.org/query/ip/198.51.100.53"]
            $0.addressRecords["2.0.0.127.zen.spamhaus.org"] = [IPAddress("127.0.0.2")!]
        }
        let results = await BlocklistCheck.run(address: address, lists: [zen], dns: server)
        XCTAssertEqual(results.first?.verdict, .listed)
        XCTAssertEqual(results.first?.answers, ["127.0.0.4", "127.0.0.11"])
        XCTAssertTrue(results.first?.meanings.contains { $0.hasPrefix("XBL") } ?? false)
        XCTAssertTrue(results.first?.meanings.contains { $0.hasPrefix("PBL (listed by Spamhaus)") } ?? false)
        XCTAssertNotNil(results.first?.reason)
    }

    func testNotListedWhenTheSelfTestPasses() async {
        let server = dns { $0.addressRecords["2.0.0.127.bl.example"] = [IPAddress("127.0.0.2")!] }
        let results = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "bl.example")], dns: server)
        XCTAssertEqual(results.first?.verdict, .notListed)
    }

    func testAZoneThatListsTheWorldIsIgnored() async {
        let server = dns {
            for name in ["53.100.51.198", "2.0.0.127", "1.0.0.127"] { $0.addressRecords["\(name).world.example"] = [IPAddress("127.0.0.2")!] }
        }
        let results = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "world.example")], dns: server)
        XCTAssertEqual(results.first?.verdict, .listsEverything)
    }

    func testRefusalCodesAreNotListings() async {
        for (code, phrase) in [(254, "public or shared resolvers"), (255, "too many queries"), (252, "malformed")] {
            let server = dns {
                for name in ["53.100.51.198", "2.0.0.127", "1.0.0.127"] { $0.addressRecords["\(name).q.example"] = [IPAddress("127.255.255.\(code)")!] }
            }
            let result = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "q.example")], dns: server).first
            XCTAssertEqual(result?.verdict, .queryRefused, "\(code)")
            XCTAssertTrue(result?.meanings.first?.contains(phrase) ?? false, "\(code): \(result?.meanings ?? [])")
        }
    }

    func testDeadZoneCannotVouch() async {
        let results = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "dead.example")], dns: MemoryDNS())
        XCTAssertEqual(results.first?.verdict, .untrustworthy)
    }

    func testRewrittenNXDOMAINIsNotAListing() async {
        let server = dns {
            $0.addressRecords["53.100.51.198.bl.example"] = [IPAddress("203.0.113.80")!]
            $0.addressRecords["2.0.0.127.bl.example"] = [IPAddress("127.0.0.2")!]
        }
        let result = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "bl.example")], dns: server).first
        XCTAssertEqual(result?.verdict, .untrustworthy)
        XCTAssertTrue(result?.note?.contains("rewrites") ?? false)
    }

    func testLookupFailure() async {
        let server = dns { $0.failing = ["53.100.51.198.bl.example"] }
        let result = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "bl.example")], dns: server).first
        XCTAssertEqual(result?.verdict, .lookupFailed)
    }

    func testEscapeSequencesInReasonsAreDefused() async {
        let server = dns {
            $0.addressRecords["53.100.51.198.bl.example"] = [IPAddress("127.0.0.2")!]
            $0.addressRecords["2.0.0.127.bl.example"] = [IPAddress("127.0.0.2")!]
            $0.txtRecords["53.100.51.198.bl.example"] = ["listed \u{1b}[31mred\u{1b}[0m"]
        }
        let result = await BlocklistCheck.run(address: address, lists: [Blocklist(zone: "bl.example")], dns: server).first
        XCTAssertFalse(result?.evidenceLine.contains("\u{1b}") ?? true)
        XCTAssertTrue(result?.evidenceLine.contains("\\x1B[31m") ?? false)
    }

    func testZoneValidation() {
        XCTAssertNil(Blocklist.validateZone("zen.spamhaus.org"))
        XCTAssertNotNil(Blocklist.validateZone("nodot"))
        XCTAssertNotNil(Blocklist.validateZone("bad zone.org"))
        XCTAssertNotNil(Blocklist.validateZone("a..b"))
        XCTAssertNotNil(Blocklist.validateZone(String(repeating: "a", count: 64) + ".org"))
    }

    func testDefaultsAreDistinctAndValid() {
        XCTAssertGreaterThanOrEqual(Blocklist.defaults.count, 10)
        XCTAssertEqual(Set(Blocklist.defaults.map(\.zone)).count, Blocklist.defaults.count)
        for list in Blocklist.defaults { XCTAssertNil(Blocklist.validateZone(list.zone), list.zone) }
    }
}

final class SenderDNSTests: XCTestCase {
    func testForwardConfirmedReverseDNS() async {
        let dns = MemoryDNS()
        let ip = IPAddress("198.51.100.10")!
        dns.ptrRecords[ip.reverseName] = ["mail.example.test."]
        dns.addressRecords["mail.example.test"] = [ip]
        let result = await ReverseDNSResult.check(address: ip, helo: "other.example.test", dns: dns)
        XCTAssertEqual(result.verdict, .confirmed)
        XCTAssertEqual(result.confirmedNames, ["mail.example.test"])
        XCTAssertEqual(result.helo?.matchesPTR, false)
    }

    func testMissingAndMismatchedPTR() async {
        let dns = MemoryDNS()
        let ip = IPAddress("198.51.100.51")!
        let missing = await ReverseDNSResult.check(address: ip, helo: nil, dns: dns)
        XCTAssertEqual(missing.verdict, .missing)
        dns.ptrRecords[ip.reverseName] = ["mismatch.example.test"]
        dns.addressRecords["mismatch.example.test"] = [IPAddress("198.51.100.52")!]
        let mismatch = await ReverseDNSResult.check(address: ip, helo: nil, dns: dns)
        XCTAssertEqual(mismatch.verdict, .mismatch)
        XCTAssertTrue(mismatch.evidence.joined().contains("does not lead back"))
        dns.failing = [ip.reverseName]
        let failed = await ReverseDNSResult.check(address: ip, helo: nil, dns: dns)
        XCTAssertEqual(failed.verdict, .lookupFailed)
    }

    func testMXVerdicts() async {
        let dns = MemoryDNS()
        dns.mxRecords["a.test"] = [MXRecord(preference: 10, exchange: "mx.a.test."), MXRecord(preference: 20, exchange: "gone.a.test")]
        dns.addressRecords["mx.a.test"] = [IPAddress("192.0.2.1")!]
        let present = await MXCheckResult.check(domain: "a.test", dns: dns)
        XCTAssertEqual(present.verdict, .present)
        XCTAssertEqual(present.unresolvable, ["gone.a.test"])
        dns.mxRecords["null.test"] = [MXRecord(preference: 0, exchange: ".")]
        let null = await MXCheckResult.check(domain: "null.test", dns: dns)
        XCTAssertEqual(null.verdict, .nullMX)
        dns.addressRecords["implicit.test"] = [IPAddress("192.0.2.2")!]
        let implicit = await MXCheckResult.check(domain: "implicit.test", dns: dns)
        XCTAssertEqual(implicit.verdict, .implicit)
        let missing = await MXCheckResult.check(domain: "nothing.test", dns: dns)
        XCTAssertEqual(missing.verdict, .missing)
    }
}
