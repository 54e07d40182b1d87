import Foundation
import XCTest
@testable import Explain

/// The MIME layer on its own: headers, encodings, charsets, multipart trees.
final class MIMEMessageTests: XCTestCase {
    /// Joins lines with CR LF, as messages travel.
    static func crlf(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    func testFoldedHeaderIsUnfoldedAndLookupIgnoresCase() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Subject: a long", "\tsubject line", "X-Empty:", "", "body",
        ]))
        XCTAssertEqual(message.header["subject"], "a long\tsubject line")
        XCTAssertEqual(message.header["X-EMPTY"], "")
        XCTAssertEqual(String(decoding: message.root.rawBody, as: UTF8.self), "body")
    }

    func testEncodedWordsAreDecodedForDisplay() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Subject: =?UTF-8?B?w6l0w6k=?= =?ISO-8859-1?Q?_caf=E9?= and =?utf-8?q?more_text?=", "", "",
        ]))
        // Whitespace between adjacent encoded-words is dropped (RFC 2047 section 6.2).
        XCTAssertEqual(message.header.decoded("Subject"), "été café and more text")
        XCTAssertEqual(MIMEEncodedWord.decode("=?bogus"), "=?bogus")
        XCTAssertEqual(MIMEEncodedWord.decode("=?x?Z?abc?="), "=?x?Z?abc?=")
    }

    func testBase64AndQuotedPrintableBodiesAreDecoded() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Content-Type: multipart/mixed; boundary=\"b1\"", "",
            "--b1", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
            "w6l0w6kgNTUwIDUuMS4x", "IHVzZXIgdW5rbm93bg==",
            "--b1", "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable", "",
            "caf=E9 soft=", "break, =3D sign, bad =ZZ escape",
            "--b1--", "",
        ]))
        XCTAssertEqual(message.parts.count, 3)
        XCTAssertEqual(message.parts[1].text(), "été 550 5.1.1 user unknown")
        XCTAssertEqual(message.parts[2].text(), "café softbreak, = sign, bad =ZZ escape")
    }

    func testCharsetsAreDecodedBestEffort() {
        XCTAssertEqual(MIMECharset.decode([0x63, 0x61, 0x66, 0xE9], charset: "ISO-8859-1"), "café")
        XCTAssertEqual(MIMECharset.decode([0x93, 0x68, 0x69, 0x94], charset: "windows-1252"), "\u{201C}hi\u{201D}")
        XCTAssertEqual(MIMECharset.decode(Array("ok".utf8), charset: "x-unknown"), "ok")
        XCTAssertEqual(MIMECharset.decode([0x61, 0xFF], charset: "koi8-r"), "a\u{FFFD}")
    }

    func testNestedMultipartsBuildATree() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Content-Type: multipart/report; report-type=delivery-status; boundary=outer", "",
            "preamble", "--outer",
            "Content-Type: multipart/alternative; boundary=inner", "",
            "--inner", "Content-Type: text/plain", "", "plain", "--inner", "Content-Type: text/html", "", "<p>html</p>", "--inner--",
            "--outer", "Content-Type: message/rfc822", "", "Subject: original", "Message-ID: <1@x>", "", "original body",
            "--outer--", "epilogue",
        ]))
        XCTAssertEqual(message.parts.map(\.mimeType), [
            "multipart/report", "multipart/alternative", "text/plain", "text/html", "message/rfc822", "text/plain",
        ])
        XCTAssertEqual(message.parts[2].text(), "plain")
        XCTAssertEqual(message.parts[5].depth, 2)
        XCTAssertEqual(message.embeddedHeader(of: 4)?["Message-ID"], "<1@x>")
        XCTAssertEqual(message.children(of: 0).count, 2)
        XCTAssertTrue(message.problems.isEmpty, "\(message.problems)")
    }

    func testMissingFinalBoundaryIsTolerated() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Content-Type: multipart/mixed; boundary=b", "", "--b", "", "first", "--b", "", "second, cut off",
        ]))
        XCTAssertEqual(message.parts.count, 3)
        XCTAssertEqual(message.parts[2].text(), "second, cut off")
        XCTAssertTrue(message.problems.contains { $0.contains("closing boundary") })
    }

    func testBoundaryThatDiffersFromTheHeaderIsFoundInTheBody() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Content-Type: multipart/mixed; boundary=declared", "", "--actual", "", "one", "--actual", "", "two", "--actual--",
        ]))
        XCTAssertEqual(message.parts.count, 3)
        XCTAssertTrue(message.problems.contains { $0.contains("does not match") })
    }

    func testBoundaryPrefixOfAnotherLineDoesNotSplit() {
        let message = MIMEMessage(bytes: Self.crlf([
            "Content-Type: multipart/mixed; boundary=abc", "", "--abc", "", "x", "--abcd is text", "--abc--",
        ]))
        XCTAssertEqual(message.parts.count, 2)
        XCTAssertEqual(message.parts[1].text(), "x\r\n--abcd is text")
    }

    func testContentTypeParameters() {
        let type = MIMEContentType(parsing: "Multipart/Report; report-type=delivery-status;\tBOUNDARY=\"a;b c\"")
        XCTAssertEqual(type?.mimeType, "multipart/report")
        XCTAssertEqual(type?.boundary, "a;b c")
        XCTAssertEqual(type?.parameters["report-type"], "delivery-status")
        XCTAssertNil(MIMEContentType(parsing: "garbage"))
    }

    func testHeaderWithoutBlankLineEndsAtFirstNonHeaderLine() {
        let message = MIMEMessage(bytes: Self.crlf(["Subject: x", "this is body text", "more"]))
        XCTAssertEqual(message.header["Subject"], "x")
        XCTAssertEqual(String(decoding: message.root.rawBody, as: UTF8.self), "this is body text\r\nmore")
    }

    func testMboxSeparatorLineBeforeHeaderIsSkipped() {
        let message = MIMEMessage(bytes: Self.crlf(["From MAILER-DAEMON Thu Apr 29 23:34:45 2015", "Subject: x", "", "b"]))
        XCTAssertEqual(message.header["Subject"], "x")
    }
}
