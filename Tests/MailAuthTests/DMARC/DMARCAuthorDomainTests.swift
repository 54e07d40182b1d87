import XCTest
import MailAuth

final class DMARCAuthorDomainTests: XCTestCase {
    func testMailboxForms() {
        let cases: [(String, String?)] = [
            ("joe@Example.COM", "example.com"),
            ("\"Smith, Joe\" <joe@example.com>", "example.com"),
            ("Joe (work, mostly) <joe@example.com> (ignored@else.com)", "example.com"),
            ("\"joe\\\"q <x@y.com>\" <joe@example.com>", "example.com"),
            ("\"joe smith\"@example.com", "example.com"),
            ("<@route.example:joe@example.com>", "example.com"),
            ("Team: a@one.example, b@two.example;", "one.example"),
            ("undisclosed-recipients:;", nil),
            ("joe@[192.0.2.1]", "[192.0.2.1]"),
            ("Joe <joe@example.com.>", "example.com"),
            ("no address here", nil),
            ("", nil),
            ("joe@", nil),
            ("<>", nil),
        ]
        for (header, expected) in cases {
            XCTAssertEqual(DMARCAuthorDomain.extract(fromHeader: header), expected, header)
        }
    }
}

final class DMARCAlignmentTests: XCTestCase {
    private let suffixes = PublicSuffixList(rulesText: "com\nuk\nco.uk")

    func testStrictAndRelaxed() {
        XCTAssertTrue(DMARCAlignment.isAligned("Example.com", "example.COM.", mode: .strict, suffixes: suffixes))
        XCTAssertFalse(DMARCAlignment.isAligned("mail.example.com", "example.com", mode: .strict, suffixes: suffixes))
        XCTAssertTrue(DMARCAlignment.isAligned("mail.example.com", "example.com", mode: .relaxed, suffixes: suffixes))
        XCTAssertTrue(DMARCAlignment.isAligned("a.example.co.uk", "b.example.co.uk", mode: .relaxed, suffixes: suffixes))
        XCTAssertFalse(DMARCAlignment.isAligned("a.example.co.uk", "other.co.uk", mode: .relaxed, suffixes: suffixes))
        XCTAssertFalse(DMARCAlignment.isAligned("example.com", "com", mode: .relaxed, suffixes: suffixes))
        XCTAssertFalse(DMARCAlignment.isAligned("", "", mode: .strict, suffixes: suffixes))
    }
}
