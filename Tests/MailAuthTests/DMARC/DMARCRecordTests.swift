import XCTest
@testable import MailAuth

final class DMARCRecordTests: XCTestCase {
    private func parse(_ text: String, _ rules: DMARCRules = .rfc7489, file: StaticString = #filePath, line: UInt = #line) throws -> DMARCRecord {
        switch DMARCRecord.parse(text, rules: rules) {
        case .success(let record): return record
        case .failure(let error):
            XCTFail("\(text.debugDescription) did not parse: \(error)", file: file, line: line)
            throw error
        }
    }

    private func error(_ text: String, _ rules: DMARCRules = .rfc7489, file: StaticString = #filePath, line: UInt = #line) -> DMARCParseError? {
        switch DMARCRecord.parse(text, rules: rules) {
        case .success(let record):
            XCTFail("\(text.debugDescription) parsed: \(record)", file: file, line: line)
            return nil
        case .failure(let error): return error
        }
    }

    func testDefaultsForTagsLeftOut() throws {
        let record = try parse("v=DMARC1; p=reject; rua=mailto:d@example.com")
        XCTAssertEqual(record.policy, .reject)
        XCTAssertNil(record.subdomainPolicy)
        XCTAssertNil(record.nonexistentSubdomainPolicy)
        XCTAssertEqual(record.dkimAlignment, .relaxed)
        XCTAssertEqual(record.spfAlignment, .relaxed)
        XCTAssertEqual(record.percent, 100)
        XCTAssertEqual(record.failureOptions, ["0"])
        XCTAssertEqual(record.reportFormat, ["afrf"])
        XCTAssertEqual(record.reportInterval, 86_400)
        XCTAssertEqual(record.aggregateReports, ["mailto:d@example.com"])
        XCTAssertEqual(record.warnings, [])
        XCTAssertEqual(record.policy(forSubdomainThatExists: true), .reject)
    }

    func testEveryTagRead() throws {
        let record = try parse(
            "v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=s; pct=25; "
                + "rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; fo=d:s; rf=afrf; ri=3600")
        XCTAssertEqual(record.policy, .quarantine)
        XCTAssertEqual(record.subdomainPolicy, .reject)
        XCTAssertEqual(record.nonexistentSubdomainPolicy, .reject)
        XCTAssertEqual(record.dkimAlignment, .strict)
        XCTAssertEqual(record.spfAlignment, .strict)
        XCTAssertEqual(record.percent, 25)
        XCTAssertEqual(record.aggregateReports, ["mailto:a@example.com", "mailto:b@example.net!10m"])
        XCTAssertEqual(record.failureReports, ["mailto:f@example.com"])
        XCTAssertEqual(record.failureOptions, ["d", "s"])
        XCTAssertEqual(record.reportInterval, 3600)
        XCTAssertTrue(record.warnings.contains { $0.hasPrefix("pct=25") })
    }

    func testTagNamesAndKeywordsIgnoreCaseButTheVersionDoesNot() throws {
        let record = try parse("V=DMARC1; P=Reject; ADKIM=S; RUA = MAILTO:Dmarc@example.com")
        XCTAssertEqual(record.policy, .reject)
        XCTAssertEqual(record.dkimAlignment, .strict)
        XCTAssertEqual(error("v=dmarc1; p=none")?.message.contains("case-sensitive"), true)
        XCTAssertEqual(error("v=DMARC1; p=none; P=reject")?.message.contains("more than once"), true)
    }

    func testVersionProblemsAreNamed() {
        XCTAssertEqual(error("v=DMARC1 p=none")?.message, "a ';' is missing after v=DMARC1")
        XCTAssertEqual(error("p=none; v=DMARC1")?.message, "v=DMARC1 must be the first tag")
        XCTAssertEqual(error("v=spf1 -all")?.tag, "v")
        XCTAssertEqual(error("v=DMARC2; p=none")?.tag, "v")
    }

    func testMissingPolicyFollowsEachSpecification() throws {
        // RFC 7489 6.6.3: without a valid p=, a valid rua= means "as p=none".
        let withReports = try parse("v=DMARC1; rua=mailto:d@example.com")
        XCTAssertEqual(withReports.policy, DMARCPolicy.none)
        XCTAssertTrue(withReports.warnings.contains { $0.contains("p= is missing") })
        XCTAssertEqual(error("v=DMARC1; sp=reject")?.tag, "p")
        // RFC 9989: a missing p= is none.
        XCTAssertEqual(try parse("v=DMARC1; sp=reject", .rfc9989).policy, DMARCPolicy.none)
    }

    func testBadValuesAreErrors() {
        XCTAssertEqual(error("v=DMARC1; p=bob")?.tag, "p")
        XCTAssertEqual(error("v=DMARC1; p=none; sp=pass")?.tag, "sp")
        XCTAssertEqual(error("v=DMARC1; p=none; np=maybe")?.tag, "np")
        XCTAssertEqual(error("v=DMARC1; p=none; adkim=relaxed")?.tag, "adkim")
        XCTAssertEqual(error("v=DMARC1; p=none; fo=2")?.tag, "fo")
        XCTAssertEqual(error("v=DMARC1; p=none; rf=arf")?.tag, "rf")
        XCTAssertEqual(error("v=DMARC1; p=none; ri=1h")?.tag, "ri")
        XCTAssertEqual(error("v=DMARC1; p=none; ri=99999999999")?.tag, "ri")
    }

    func testPercentBounds() throws {
        XCTAssertEqual(try parse("v=DMARC1; p=reject; pct=0").percent, 0)
        XCTAssertEqual(try parse("v=DMARC1; p=reject; pct=100").percent, 100)
        for bad in ["101", "-1", "50.5", "", "1000", " 5 0"] {
            XCTAssertEqual(error("v=DMARC1; p=reject; pct=\(bad)")?.tag, "pct", bad)
        }
    }

    func testRFC9989DropsPctRfRiAndAddsTAndPsd() throws {
        let record = try parse("v=DMARC1; p=reject; pct=abc; rf=x; ri=y; t=y; psd=n", .rfc9989)
        XCTAssertEqual(record.percent, 100)
        XCTAssertTrue(record.testing)
        XCTAssertEqual(record.publicSuffixDomain, false)
        XCTAssertEqual(record.warnings.filter { $0.contains("removed in RFC 9989") }.count, 3)
        XCTAssertEqual(error("v=DMARC1; p=reject; t=maybe", .rfc9989)?.tag, "t")
        // RFC 7489 does not know t= and psd=: ignored, with a word.
        let old = try parse("v=DMARC1; p=reject; t=maybe; psd=x")
        XCTAssertFalse(old.testing)
        XCTAssertEqual(old.warnings.filter { $0.contains("DMARCbis") }.count, 2)
    }

    func testReportDestinations() throws {
        XCTAssertEqual(error("v=DMARC1; p=none; rua=dmarc@example.com")?.message,
                       "'dmarc@example.com' is not a URI (write mailto:dmarc@example.com)")
        XCTAssertEqual(error("v=DMARC1; p=none; rua=mailto:a b@example.com")?.tag, "rua")
        let ftp = try parse("v=DMARC1; p=none; rua=ftp://example.com")
        XCTAssertTrue(ftp.warnings.contains { $0.contains("not mailto:") })
        let noAddress = try parse("v=DMARC1; p=none; ruf=mailto://example.com")
        XCTAssertTrue(noAddress.warnings.contains { $0.contains("holds no mail address") })
        XCTAssertEqual(DMARCReportURI.parse("mailto:r@example.com!10M")?.sizeLimit, "10M")
        XCTAssertEqual(DMARCReportURI.parse("mailto:r@example.com!10M")?.mailAddress, "r@example.com")
        XCTAssertNil(DMARCReportURI.parse("1mailto:r@example.com"))
        XCTAssertNil(DMARCReportURI.parse("mailto:r@exa%zzmple.com"))
    }

    func testWarningsForValidButWeakRecords() throws {
        let record = try parse("v=DMARC1; p=none; sp=none; foo=bar; fo=1")
        XCTAssertTrue(record.warnings.contains { $0.hasPrefix("p=none") })
        XCTAssertTrue(record.warnings.contains { $0.contains("'foo'") })
        XCTAssertTrue(record.warnings.contains { $0.hasPrefix("no rua=") })
        XCTAssertTrue(record.warnings.contains { $0.hasPrefix("fo= has no effect") })
        let subdomainsOpen = try parse("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com")
        XCTAssertTrue(subdomainsOpen.warnings.contains { $0.contains("subdomains unprotected") })
    }

    func testSyntaxErrors() {
        XCTAssertEqual(error("")?.message, "empty")
        XCTAssertEqual(error("   ")?.message, "empty")
        XCTAssertNotNil(error("v=DMARC1; p:none"))
        XCTAssertNotNil(error("v=DMARC1;; p=none"))
        XCTAssertNotNil(error("v=DMARC1; p=none; 1x=2"))
        XCTAssertNotNil(error("v=DMARC1; p=nöne"))
        XCTAssertNotNil(error("v=DMARC1; p=none\u{0}"))
        XCTAssertNotNil(error("v=DMARC1; p=reject; " + String(repeating: "x", count: 20_000)))
        XCTAssertNoThrow(try parse("v=DMARC1;\tp=reject\t;\r\n rua=mailto:d@example.com ;"))
    }

    func testMeaningForTheDomainAndForASubdomain() throws {
        let record = try parse("v=DMARC1; p=reject; sp=quarantine; pct=50; adkim=s; rua=mailto:d@example.com")
        let own = record.meaning(for: "example.com")
        XCTAssertTrue(own.contains { $0.contains("refused") && $0.contains("p=reject") })
        XCTAssertTrue(own.contains { $0.contains("50%") && $0.contains("quarantine") })
        XCTAssertTrue(own.contains { $0.contains("exactly example.com (adkim=s)") })
        XCTAssertTrue(own.contains { $0.contains("mail.example.com") && $0.contains("sp=quarantine") })
        XCTAssertTrue(own.contains { $0.contains("d@example.com") })
        let sub = record.meaning(for: "news.example.com", foundAt: "example.com")
        XCTAssertTrue(sub[0].contains("covers it as a subdomain"))
        XCTAssertTrue(sub.contains { $0.contains("spam folder") && $0.contains("sp=quarantine") })
    }

    /// Random bytes, fragments of real records and long values go through
    /// every parser without a crash.
    func testHostileInputNeverCrashes() {
        var generator = DMARCTestRandom(seed: 7489)
        let pieces = ["v=DMARC1", ";", "p=", "reject", "=", " ", "\t", "rua=mailto:", "@", ",", "!", "%", "\u{FF}", "é", "\r\n",
                      "<", ">", "\"", "(", ")", ":", "xn--", "."]
        for round in 0..<3000 {
            var text = ""
            if round % 2 == 0 {
                for _ in 0..<Int.random(in: 0...30, using: &generator) { text += pieces.randomElement(using: &generator)! }
            } else {
                let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                text = String(decoding: bytes, as: UTF8.self)
            }
            _ = DMARCRecord.parse(text)
            _ = DMARCRecord.parse(text, rules: .rfc9989)
            _ = DKIMKeyRecord.parse(text)
            _ = DMARCAuthorDomain.extract(fromHeader: text)
            _ = PublicSuffixList.shared.registrableDomain(of: text)
            _ = DMARCAlignment.isAligned(text, "example.com", mode: .relaxed)
            _ = PublicSuffixList.decodePunycode(text)
        }
        let huge = String(repeating: "a", count: 1 << 20)
        XCTAssertNil(DMARCAuthorDomain.extract(fromHeader: huge + "@example.com"))
        XCTAssertNil(PublicSuffixList.shared.registrableDomain(of: huge + ".com"))
        if case .success = DKIMKeyRecord.parse("p=" + huge) { XCTFail("a 1 MiB record parsed") }
    }
}

/// A small seeded generator, so a failing round can be replayed.
struct DMARCTestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
