import XCTest
import MailAuth

final class DKIMKeyLookupTests: XCTestCase {
    func testEverySelectorInTheOrderGiven() async {
        let good = "v=DKIM1; k=rsa; p=\(DKIMTestKeys.rsa2048)"
        let zone = DMARCTestDNS([
            "google._domainkey.example.com": .records([good]),
            "s1._domainkey.example.com": .records(["v=DKIM1; k=rsa; p=\(DKIMTestKeys.rsa512)"]),
            "s2._domainkey.example.com": .failure("timeout"),
            "k1._domainkey.example.com": .records(["some verification token", good]),
            "selector1._domainkey.example.com": .noRecords,
        ])
        let results = await DKIMKeyLookup.lookup(selectors: DKIMKeyLookup.commonSelectors, domain: "example.com.", dns: zone)
        XCTAssertEqual(results.map(\.selector), DKIMKeyLookup.commonSelectors)
        XCTAssertEqual(results[0].name, "google._domainkey.example.com")
        guard case .found(let key) = results[0].outcome else { return XCTFail("\(results[0])") }
        XCTAssertEqual(key.keyBits, 2048)
        XCTAssertEqual(results[1].outcome, .missing)
        XCTAssertEqual(results[2].outcome, .missing)   // selector2: NXDOMAIN
        guard case .invalid(let raw, let error) = results[3].outcome else { return XCTFail("\(results[3])") }
        XCTAssertTrue(raw.contains(DKIMTestKeys.rsa512))
        XCTAssertEqual(error.tag, "p")
        XCTAssertEqual(results[4].outcome, .dnsFailure("timeout"))
        guard case .found = results[5].outcome else { return XCTFail("one good record among several should do") }
        XCTAssertEqual(results[6].outcome, .missing)
    }

    func testNoSelectors() async {
        let results = await DKIMKeyLookup.lookup(selectors: [], domain: "example.com", dns: DMARCTestDNS([:]))
        XCTAssertEqual(results, [])
    }
}
