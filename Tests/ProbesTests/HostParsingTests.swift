import XCTest
@testable import Probes

/// `TargetHost.parse`: host names (RFC 1123 2.1) and address literals.
final class HostParsingTests: XCTestCase {
    private func name(_ text: String) -> String? {
        if case .success(.name(let name)) = TargetHost.parse(text) { return name }
        return nil
    }

    private func problem(_ text: String) -> TargetHost.Problem? {
        if case .failure(let problem) = TargetHost.parse(text) { return problem }
        return nil
    }

    private func label(_ count: Int, _ c: Character = "a") -> String { String(repeating: c, count: count) }

    func testValidNames() {
        for valid in ["mail.example.com", "smtp-relay.example.com", "localhost", "a.b", "3com.example", "xn--bcher-kva.example", "mx1.example.co.uk"] {
            XCTAssertEqual(name(valid), valid)
        }
    }

    func testTrailingDotIsDropped() {
        XCTAssertEqual(name("mail.example.com."), "mail.example.com")
    }

    func testUppercaseIsLowered() {
        XCTAssertEqual(name("Mail.EXAMPLE.Com"), "mail.example.com")
        XCTAssertEqual(TargetHost.parse("Mail.EXAMPLE.Com").map(\.description), .success("mail.example.com"))
    }

    func testSurroundingWhitespaceIsTrimmed() {
        XCTAssertEqual(name("  mail.example.com\t\n"), "mail.example.com")
    }

    func testEmpty() {
        XCTAssertEqual(problem(""), .empty)
        XCTAssertEqual(problem("   "), .empty)
        XCTAssertEqual(problem("")?.description, "the host is empty")
    }

    func testEmptyLabels() {
        XCTAssertEqual(problem("."), .emptyLabel)
        XCTAssertEqual(problem("mail..example.com"), .emptyLabel)
        XCTAssertEqual(problem(".example.com"), .emptyLabel)
        XCTAssertEqual(problem("example.com.."), .emptyLabel)
    }

    func testLengthLimits() {
        let longest = [label(63), label(63), label(63), label(61)].joined(separator: ".")
        XCTAssertEqual(longest.count, 253)
        XCTAssertEqual(name(longest), longest)
        XCTAssertEqual(name(longest + "."), longest, "the trailing dot does not count")
        let tooLong = [label(63), label(63), label(63), label(62)].joined(separator: ".")
        XCTAssertEqual(problem(tooLong), .tooLong(254))
    }

    func testLabelLongerThan63() {
        XCTAssertEqual(name(label(63) + ".example"), label(63) + ".example")
        XCTAssertEqual(problem(label(64) + ".example"), .labelTooLong(label(64)))
        XCTAssertEqual(problem(label(64) + ".example")?.description,
                       "the label \"\(label(20))...\" is longer than 63 characters")
    }

    func testBadCharacters() {
        XCTAssertEqual(problem("mail_relay.example.com"), .badCharacter("_", label: "mail_relay"))
        XCTAssertEqual(problem("mail relay.example.com"), .badCharacter(" ", label: "mail relay"))
        XCTAssertEqual(problem("mail.exa$mple.com"), .badCharacter("$", label: "exa$mple"))
        XCTAssertEqual(problem("smtp:25.example"), .badCharacter(":", label: "smtp:25"))
        XCTAssertEqual(problem("bücher.example"), .badCharacter("ü", label: "bücher"))
        XCTAssertEqual(problem("mail_relay.example.com")?.description,
                       "\"_\" is not allowed in a host name (label \"mail_relay\"); use letters, digits and hyphens")
    }

    func testControlCharactersAreRejectedAndShownAsCodePoints() {
        XCTAssertEqual(problem("mail\u{07}.example.com"), .badCharacter("\u{07}", label: "mail\u{07}"))
        XCTAssertEqual(problem("ma\u{1B}[2Jil.example.com"), .badCharacter("\u{1B}", label: "ma\u{1B}[2Jil"))
        XCTAssertEqual(problem("mail\u{7F}.example"), .badCharacter("\u{7F}", label: "mail\u{7F}"))
        let description = problem("mail\u{1B}.example")?.description ?? ""
        XCTAssertTrue(description.hasPrefix("\"U+1B\" is not allowed"), description)
    }

    func testHyphenAtEitherEdgeOfALabel() {
        XCTAssertEqual(problem("-mail.example.com"), .hyphenAtEdge("-mail"))
        XCTAssertEqual(problem("mail-.example.com"), .hyphenAtEdge("mail-"))
        XCTAssertEqual(problem("mail.example.-com"), .hyphenAtEdge("-com"))
        XCTAssertEqual(name("m-a-i-l.example.com"), "m-a-i-l.example.com")
    }

    func testNumericTopLevelLabelIsAMistypedAddress() {
        XCTAssertEqual(problem("192.0.2.300"), .numericTopLevel("192.0.2.300"))
        XCTAssertEqual(problem("example.123"), .numericTopLevel("example.123"))
        XCTAssertEqual(problem("192.0.2.1."), .numericTopLevel("192.0.2.1."))
        XCTAssertEqual(problem("192.0.2.300")?.description, "\"192.0.2.300\" is neither a valid IP address nor a host name")
    }

    func testAddressLiterals() {
        XCTAssertEqual(TargetHost.parse("192.0.2.10"), .success(.address(IPAddress("192.0.2.10")!)))
        XCTAssertEqual(TargetHost.parse("2001:db8::25"), .success(.address(IPAddress("2001:db8::25")!)))
        XCTAssertEqual(TargetHost.parse("[2001:db8::25]"), .success(.address(IPAddress("2001:db8::25")!)))
        XCTAssertEqual(TargetHost.parse(" 2001:DB8::25 ").map(\.description), .success("2001:db8::25"))
    }
}
