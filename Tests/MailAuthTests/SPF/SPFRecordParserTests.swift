import Inet
@testable import MailAuth
import XCTest

final class SPFRecordParserTests: XCTestCase {
    func testParsesEveryMechanismAndModifier() throws {
        let text = "v=spf1 +a -mx:mail.example.com/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 "
            + "include:_spf.example.net exists:%{i}.bl.example.org a//48 redirect=_spf.example.com exp=why.%{d} x-note=%{h}"
        let record = try SPFRecord.parse(text).get()
        XCTAssertEqual(record.terms.count, 11)
        let directives = record.directives
        XCTAssertEqual(directives.map(\.qualifier), [.pass, .fail, .softfail, .neutral, .pass, .pass, .pass, .pass])
        guard case .mx(let spec?, let cidr) = directives[1].mechanism else { return XCTFail("mx expected") }
        XCTAssertEqual(spec.description, "mail.example.com")
        XCTAssertEqual(cidr, SPFDualCIDR(ipv4: 24, ipv6: 64))
        XCTAssertEqual(directives[3].mechanism, .ip4(IPAddress("192.0.2.0")!, prefixLength: 24))
        XCTAssertEqual(directives[4].mechanism, .ip6(IPAddress("2001:db8::")!, prefixLength: 32))
        XCTAssertEqual(directives[7].mechanism, .a(nil, SPFDualCIDR(ipv4: 32, ipv6: 48)))
        XCTAssertEqual(record.redirect?.description, "_spf.example.com")
        XCTAssertEqual(record.explanation?.description, "why.%{d}")
        XCTAssertEqual(record.terms[3].position, text.distance(from: text.startIndex, to: text.range(of: "?ip4")!.lowerBound))
    }

    func testVersionIsCaseInsensitiveAndMustEndWithSpace() {
        XCTAssertTrue(SPFRecord.isSPFRecord("V=SpF1 -all"))
        XCTAssertTrue(SPFRecord.isSPFRecord("v=spf1"))
        XCTAssertFalse(SPFRecord.isSPFRecord("v=spf10 -all"))
        XCTAssertFalse(SPFRecord.isSPFRecord("v=spf1mx"))
        XCTAssertFalse(SPFRecord.isSPFRecord(" v=spf1 -all"))
        XCTAssertNoThrow(try SPFRecord.parse("V=SPF1 MX -ALL").get())
    }

    /// (record, offset of the offending character, words the message contains)
    func testErrorPositions() {
        let cases: [(String, Int, String)] = [
            ("v=spf1 ip4:1.2.3.4 -all moo", 24, "unknown mechanism"),
            ("v=spf1 a:foo.example.com\0", 24, "U+0000"),
            ("v=spf1 a:ctrl.example.com\rptr -all", 25, "U+000D"),
            ("v=spf1 a:ex\u{E9}mple.com -all", 11, "U+00E9"),
            ("v=spf1 ip4:1.2.3.4/33", 19, "0 to 32"),
            ("v=spf1 ip4:1.2.3.4/032", 19, "leading zero"),
            ("v=spf1 ip4:1.2.3", 11, "IPv4"),
            ("v=spf1 ip6::CAFE::BABE", 11, "IPv6"),
            ("v=spf1 a//129", 10, "0 to 128"),
            ("v=spf1 include:ip5.example.com/24", 27, "top-level label"),
            ("v=spf1 a:museum", 9, "two labels"),
            ("v=spf1 a:abc.123", 13, "top-level label"),
            ("v=spf1 exp=a.example.com exp=b.example.com", 25, "more than once"),
            ("v=spf1 redirect=a.example.com -all redirect=b.example.com", 35, "more than once"),
            ("v=spf1 a:%{x}.example.com", 11, "unknown macro letter"),
            ("v=spf1 a:%{c}.example.com", 11, "only in exp"),
            ("v=spf1 exists:%{d0}.example.com", 17, "zero"),
            ("v=spf1 exists:%{ir.example.com", 19, "not closed"),
            ("v=spf1 -all foo=%abc", 16, "'%'"),
            ("v=spf1 1up=foo", 7, "modifier name"),
            ("v=spf1 =all", 7, "modifier name"),
            ("v=spf1 -all.", 8, "unknown mechanism"),
            ("v=spf1 -all:foo", 11, "no argument"),
            ("v=spf1 ptr/0", 10, "CIDR"),
            ("v=spf1 include", 14, "needs"),
            ("v=spf1 redirect=", 15, "needs a domain"),
            ("v=spf1 a/24/64", 12, "0 to 32"),
            ("v=spf1 + -all", 8, "mechanism name missing"),
            ("v=spf", 0, "v=spf1"),
        ]
        for (text, position, words) in cases {
            switch SPFRecord.parse(text) {
            case .success:
                XCTFail("\(text.debugDescription) parsed")
            case .failure(let error):
                XCTAssertEqual(error.position, position, "\(text.debugDescription): \(error.message)")
                XCTAssertTrue(error.message.contains(words), "\(text.debugDescription): \(error.message)")
            }
        }
    }

    func testOverlongRecordAndTooManyTerms() {
        let long = "v=spf1 " + String(repeating: "ip4:192.0.2.1 ", count: 400)
        guard case .failure(let error) = SPFRecord.parse(long) else { return XCTFail("parsed") }
        XCTAssertEqual(error.position, SPFRecord.maxLength)

        let many = "v=spf1" + String(repeating: " a", count: SPFRecord.maxTerms + 1)
        guard case .failure(let terms) = SPFRecord.parse(many) else { return XCTFail("parsed") }
        XCTAssertTrue(terms.message.contains("terms"))
    }

    /// Hostile input: any string yields a record or an error inside it, quickly.
    func testGarbageNeverCrashes() {
        var generator = SPFSeededGenerator(seed: 7208)
        let alphabet: [Unicode.Scalar] = Array("v=spf1 :/%{}._-+~?!allmxip4ip6ptrexistsincluderedirectexp0123456789\u{0}\r\n\t\u{7F}\u{80}\u{FFFD}\u{1F600}é".unicodeScalars)
        for _ in 0..<3000 {
            var text = generator.next() % 3 == 0 ? "" : "v=spf1 "
            for _ in 0..<Int(generator.next() % 80) {
                text.unicodeScalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
            if case .failure(let error) = SPFRecord.parse(text) {
                XCTAssertTrue((0...text.unicodeScalars.count).contains(error.position), text.debugDescription)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so garbage tests repeat.
struct SPFSeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
