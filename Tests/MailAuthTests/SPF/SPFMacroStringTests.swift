import Inet
@testable import MailAuth
import XCTest

final class SPFMacroStringTests: XCTestCase {
    private func values(ip: String = "192.0.2.3") -> SPFMacroValues {
        SPFMacroValues(sender: "strong-bad@email.example.com", localPart: "strong-bad", senderDomain: "email.example.com",
                       domain: "email.example.com", ip: IPAddress(ip)!, helo: "mx.example.org", validatedName: nil,
                       receivingHost: "mx.receiver.example", timestamp: 1_400_000_000)
    }

    private func expand(_ text: String, grammar: SPFMacroString.Grammar = .explanation, ip: String = "192.0.2.3") throws -> String {
        try SPFMacroString.parse(text, grammar: grammar).get().expand(values(ip: ip))
    }

    /// RFC 7208 7.4's examples.
    func testRFCExamples() throws {
        let cases: [(String, String)] = [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
            ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
            ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
        ]
        for (macro, expected) in cases {
            XCTAssertEqual(try expand(macro), expected, macro)
        }
        XCTAssertEqual(try expand("%{ir}.%{v}._spf.%{d2}", ip: "2001:db8::cb01"),
                       "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com")
    }

    func testEscapesExplanationLettersAndURLEncoding() throws {
        XCTAssertEqual(try expand("100%% a%_b%-c"), "100% a b%20c")
        XCTAssertEqual(try expand("%{c} %{r} %{t} %{h} %{p}"), "192.0.2.3 mx.receiver.example 1400000000 mx.example.org unknown")
        XCTAssertEqual(try expand("%{S}"), "strong-bad%40email.example.com")
        XCTAssertEqual(try expand("%{L}", ip: "192.0.2.3"), "strong-bad")
        XCTAssertEqual(SPFMacro.urlEscape("~a b/é"), "~a%20b%2F%C3%A9")
        XCTAssertEqual(try expand("%{d99999999999999999999}"), "email.example.com")
        XCTAssertEqual(try expand("%{c}", ip: "::ffff:192.0.2.3"), "::ffff:192.0.2.3", "mapping is undone by the evaluator, not here")
    }

    func testSyntaxErrors() {
        let cases: [(String, SPFMacroString.Grammar, Int)] = [
            ("%", .explanation, 0),
            ("abc%x", .explanation, 3),
            ("%{", .explanation, 2),
            ("%{d0}", .explanation, 3),
            ("%{d2r+", .explanation, 5),
            ("%{t}.example.com", .domainSpec, 2),
            ("a b.example.com", .domainSpec, 1),
            ("tab\there", .explanation, 3),
            ("example", .domainSpec, 0),
            ("example.com-", .domainSpec, 8),
            ("", .domainSpec, 0),
        ]
        for (text, grammar, offset) in cases {
            switch SPFMacroString.parse(text, grammar: grammar) {
            case .success: XCTFail("\(text.debugDescription) parsed")
            case .failure(let error): XCTAssertEqual(error.offset, offset, "\(text.debugDescription): \(error.message)")
            }
        }
        XCTAssertNoThrow(try SPFMacroString.parse("%{d}", grammar: .domainSpec).get(), "a macro is a valid domain-end")
        XCTAssertNoThrow(try SPFMacroString.parse("foo.xn--zckzah.", grammar: .domainSpec).get())
    }

    func testDomainNameRules() {
        let long = (0..<9).map { _ in String(repeating: "a", count: 30) }.joined(separator: ".") + ".example.com"
        let truncated = SPFDomainName.truncated(long)
        XCTAssertLessThanOrEqual(truncated.utf8.count, 253)
        XCTAssertTrue(long.hasSuffix(truncated))
        XCTAssertFalse(truncated.hasPrefix("."))
        XCTAssertTrue(SPFDomainName.isCheckable("example.com."))
        XCTAssertFalse(SPFDomainName.isCheckable("localhost"))
        XCTAssertFalse(SPFDomainName.isCheckable("[192.0.2.1]"))
        XCTAssertFalse(SPFDomainName.isCheckable("a..example.com"))
        XCTAssertFalse(SPFDomainName.isCheckable(String(repeating: "a", count: 64) + ".example.com"))
        XCTAssertNil(SPFDomainName.target(fromExpanded: "mail.example...com"))
        XCTAssertEqual(SPFDomainName.target(fromExpanded: "o.spf.example.com."), "o.spf.example.com")
    }
}
