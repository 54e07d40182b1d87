import NIOCore
import NIOEmbedded
import XCTest
@testable import Probes

/// Input no SMTP server should send: each must end in the right `SMTPReplyError`,
/// whether it comes in one read or one byte at a time, and never grow memory without end.
final class SMTPReplyDecoderMalformedTests: XCTestCase {
    struct Case {
        var name: String
        var bytes: [UInt8]
        var expected: SMTPReplyError
        var maxLineLength = SMTPReplyDecoder.defaultMaxLineLength
        var maxLines = SMTPReplyDecoder.defaultMaxLines

        var decoder: SMTPReplyDecoder { SMTPReplyDecoder(maxLineLength: maxLineLength, maxLines: maxLines) }
    }

    static let limit = SMTPReplyDecoder.defaultMaxLineLength

    static let cases: [Case] = [
        Case(name: "1 MiB without a line feed", bytes: [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20),
             expected: .lineTooLong(limit: limit)),
        Case(name: "a line over the limit, ended", bytes: Array(("250 " + String(repeating: "x", count: limit) + "\r\n").utf8),
             expected: .lineTooLong(limit: limit)),
        Case(name: "one byte over a small limit", bytes: Array(("250-" + String(repeating: "x", count: 13) + "\r\n").utf8),
             expected: .lineTooLong(limit: 16), maxLineLength: 16),
        Case(name: "more continuation lines than allowed", bytes: Array("250-a\r\n250-b\r\n250-c\r\n250 d\r\n".utf8),
             expected: .tooManyLines(limit: 3), maxLines: 3),
        Case(name: "endless continuation lines", bytes: Array(String(repeating: "250-x\r\n", count: 1001).utf8),
             expected: .tooManyLines(limit: 1000)),
        Case(name: "letters", bytes: Array("abc\r\n".utf8), expected: .malformed("abc")),
        Case(name: "class 6", bytes: Array("6xx\r\n".utf8), expected: .malformed("6xx")),
        Case(name: "class 6 with digits", bytes: Array("600 nope\r\n".utf8), expected: .malformed("600 nope")),
        Case(name: "class 1", bytes: Array("199 nope\r\n".utf8), expected: .malformed("199 nope")),
        Case(name: "no separator after the code", bytes: Array("250x\r\n".utf8), expected: .malformed("250x")),
        Case(name: "two digits", bytes: Array("25\r\n".utf8), expected: .malformed("25")),
        Case(name: "empty line", bytes: Array("\r\n".utf8), expected: .malformed("")),
        Case(name: "code changes mid reply", bytes: Array("220-a\r\n230 b\r\n".utf8), expected: .inconsistentCode(first: 220, then: 230)),
    ]

    func testEachCaseInOneRead() {
        for c in Self.cases {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(c.decoder))
            XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: c.bytes)), c.name) { error in
                XCTAssertEqual(error as? SMTPReplyError, c.expected, c.name)
            }
            XCTAssertNil(try channel.readInbound(as: SMTPReply.self), c.name)
            _ = try? channel.finish()
        }
    }

    func testEachCaseDripFed() {
        for c in Self.cases {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(c.decoder))
            var thrown: Error?
            for byte in c.bytes where thrown == nil {
                do { try channel.writeInbound(ByteBuffer(bytes: [byte])) } catch { thrown = error }
            }
            XCTAssertEqual(thrown as? SMTPReplyError, c.expected, c.name)
            XCTAssertNil(try channel.readInbound(as: SMTPReply.self), c.name)
            _ = try? channel.finish()
        }
    }

    func testEachCaseThroughDecodeReply() {
        for c in Self.cases {
            var decoder = c.decoder
            var buffer = ByteBuffer(bytes: c.bytes)
            XCTAssertThrowsError(try { while try decoder.decodeReply(&buffer) != nil {} }(), c.name) { error in
                XCTAssertEqual(error as? SMTPReplyError, c.expected, c.name)
            }
        }
    }

    func testAnOverlongLineStopsTheDecoderEarly() {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(maxLineLength: 64)))
        var written = 0
        do {
            for _ in 0..<1000 {
                try channel.writeInbound(ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "A"), count: 16)))
                written += 16
            }
            XCTFail("1000 chunks of 16 bytes without a line feed were accepted")
        } catch {
            XCTAssertEqual(error as? SMTPReplyError, .lineTooLong(limit: 64))
        }
        XCTAssertLessThanOrEqual(written, 80, "the error comes as soon as the limit is passed")
        _ = try? channel.finish()
    }

    func testErrorsDescribeThemselves() {
        XCTAssertEqual(SMTPReplyError.lineTooLong(limit: 4096).description, "a reply line longer than 4096 bytes")
        XCTAssertEqual(SMTPReplyError.inconsistentCode(first: 220, then: 230).description,
                       "the reply code changed from 220 to 230 within one reply")
        XCTAssertEqual(SMTPReplyError.malformed("6xx").description, "a line that is not an SMTP reply: \"6xx\"")
    }
}
