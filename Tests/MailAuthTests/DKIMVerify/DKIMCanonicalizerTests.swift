import XCTest
@testable import MailAuth

/// RFC 6376 3.4's rules one at a time; the shared vectors are in
/// DKIMConformanceTests.
final class DKIMCanonicalizerTests: XCTestCase {
    private func body(_ text: String, _ mode: DKIMCanonicalization) -> String {
        String(decoding: DKIMCanonicalizer.body(Array(text.utf8), mode), as: UTF8.self)
    }

    private func header(_ text: String, _ mode: DKIMCanonicalization) -> String {
        String(decoding: DKIMCanonicalizer.header(Array(text.utf8), mode), as: UTF8.self)
    }

    func testRFC6376Section3_4_5Example() {
        // The example of RFC 6376 3.4.5.
        XCTAssertEqual(header("A: X\r\n", .relaxed) + header("B : Y\t\r\n\tZ  \r\n", .relaxed), "a:X\r\nb:Y Z\r\n")
        XCTAssertEqual(header("B : Y\t\r\n\tZ  \r\n", .simple), "B : Y\t\r\n\tZ  \r\n")
        let text = " C \r\nD \t E\r\n\r\n\r\n"
        XCTAssertEqual(body(text, .relaxed), " C\r\nD E\r\n")
        XCTAssertEqual(body(text, .simple), " C \r\nD \t E\r\n")
    }

    func testBodyEdges() {
        XCTAssertEqual(body("", .simple), "\r\n")
        XCTAssertEqual(body("", .relaxed), "")
        XCTAssertEqual(body(" \t\r\n\r\n", .relaxed), "")
        XCTAssertEqual(body("x", .relaxed), "x\r\n")
        XCTAssertEqual(body("a\r\n\r\nb \r\n", .relaxed), "a\r\n\r\nb\r\n")
        XCTAssertEqual(body("bare\rcr\r\n", .relaxed), "bare\rcr\r\n")
    }

    func testBareLFIsReadAsCRLF() {
        XCTAssertEqual(body("a\nb\n\n", .simple), "a\r\nb\r\n")
        XCTAssertEqual(body("a \nb\n", .relaxed), "a\r\nb\r\n")
        XCTAssertEqual(header("Subject: a\n b\n", .relaxed), "subject:a b\r\n")
        XCTAssertEqual(LineEndings.crlf(Array("a\r\nb\n".utf8)), Array("a\r\nb\r\n".utf8))
    }

    func testLargeRelaxedBodyComesOutInPieces() {
        let line = String(repeating: "word  ", count: 20) + "\r\n"
        let text = String(repeating: line, count: 2000)
        let expected = String(repeating: String(repeating: "word ", count: 19) + "word\r\n", count: 2000)
        XCTAssertEqual(body(text, .relaxed), expected)
    }
}
