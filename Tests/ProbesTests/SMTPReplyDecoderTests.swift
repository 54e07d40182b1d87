import NIOCore
import NIOEmbedded
import NIOTestUtils
import XCTest
@testable import Probes

/// Bytes to whole SMTP replies: drip-fed and batched (NIO's verifier), then
/// every way a hostile or broken server can get it wrong.
final class SMTPReplyDecoderTests: XCTestCase {
    /// The decoder under test with `trailingBytes` set aside: that count depends on
    /// how the bytes were cut into reads, which is exactly what the verifier varies.
    struct ReplyOnly: ByteToMessageDecoder {
        typealias InboundOut = SMTPReply
        var decoder: SMTPReplyDecoder

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard var reply = try decoder.decodeReply(&buffer) else { return .needMoreData }
            reply.trailingBytes = 0
            context.fireChannelRead(wrapInboundOut(reply))
            return .continue
        }

        mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
            try decode(context: context, buffer: &buffer)
        }
    }

    private func verify(_ pairs: [(String, [SMTPReply])], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try ByteToMessageDecoderVerifier.verifyDecoder(stringInputOutputPairs: pairs) {
            ReplyOnly(decoder: SMTPReplyDecoder())
        }, file: file, line: line)
    }

    func testSingleLineReply() {
        verify([("220 mail.example.com ESMTP ready\r\n", [SMTPReply(code: 220, lines: ["mail.example.com ESMTP ready"])])])
    }

    func testMultiLineReplyKeepsEveryContinuationLine() {
        verify([("250-mail.example.com\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
                 [SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "STARTTLS", "8BITMIME"])])])
    }

    func testBareLFEndsALineToo() {
        verify([("220 bare\n", [SMTPReply(code: 220, lines: ["bare"])]),
                ("250-a\n250 b\r\n", [SMTPReply(code: 250, lines: ["a", "b"])])])
    }

    func testCodeOnlyLine() {
        verify([("250\r\n", [SMTPReply(code: 250, lines: [""])])])
    }

    func testPipelinedRepliesInOneReadAndUTF8Text() {
        verify([("250 2.1.0 ok\r\n221 2.0.0 bye\r\n", [SMTPReply(code: 250, lines: ["2.1.0 ok"]), SMTPReply(code: 221, lines: ["2.0.0 bye"])]),
                ("554 héllo ✓\r\n", [SMTPReply(code: 554, lines: ["héllo ✓"])])])
    }

    func testCRInsideTheTextIsKeptOnlyTheLineEndIsTrimmed() {
        verify([("220 a\rb\r\n", [SMTPReply(code: 220, lines: ["a\rb"])])])
    }

    func testEnhancedStatusCodeParsing() {
        XCTAssertEqual(EnhancedStatusCode.parse("5.7.1 Relaying denied"), EnhancedStatusCode(klass: 5, subject: 7, detail: 1))
        XCTAssertEqual(EnhancedStatusCode.parse("2.0.0"), EnhancedStatusCode(klass: 2, subject: 0, detail: 0))
        XCTAssertEqual(EnhancedStatusCode.parse("4.7.999 slow down")?.description, "4.7.999")
        for bad in ["", "ESMTP ready", "3.1.1 no such class", "5.7 short", "5.7.1.2 long", "5..1", "5.1000.1", "5.7.1000", "5.7.x"] {
            XCTAssertNil(EnhancedStatusCode.parse(Substring(bad)), bad)
        }
        XCTAssertEqual(SMTPReply(code: 550, lines: ["5.1.1 <x@example.com>: unknown", "second line"]).enhanced?.description, "5.1.1")
        XCTAssertNil(SMTPReply(code: 220, lines: ["mail.example.com ESMTP"]).enhanced)
    }

    func testTrailingBytesCountWhatArrivedBehindTheReply() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: "220 go\r\n250 injected\r\n"))
        XCTAssertEqual(try channel.readInbound(as: SMTPReply.self), SMTPReply(code: 220, lines: ["go"], trailingBytes: 14))
        XCTAssertEqual(try channel.readInbound(as: SMTPReply.self), SMTPReply(code: 250, lines: ["injected"], trailingBytes: 0))
        XCTAssertNil(try channel.readInbound(as: SMTPReply.self))
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testDecodeReplyOnAByteBufferKeepsAPartialReply() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "250-a\r\n250-b")
        XCTAssertNil(try decoder.decodeReply(&buffer))
        XCTAssertEqual(buffer.readableBytes, 5, "the whole first line is taken, the half line waits")
        buffer.writeString("\r\n250 c\r\n221")
        XCTAssertEqual(try decoder.decodeReply(&buffer), SMTPReply(code: 250, lines: ["a", "b", "c"], trailingBytes: 3))
        XCTAssertNil(try decoder.decodeReply(&buffer))
        XCTAssertEqual(buffer.readableBytes, 3)
    }

    func testExactlyTheLimitsAreAccepted() throws {
        var decoder = SMTPReplyDecoder(maxLineLength: 16, maxLines: 3)
        var buffer = ByteBuffer(string: "250-" + String(repeating: "x", count: 12) + "\r\n250-b\r\n250 c\r\n")
        XCTAssertEqual(try decoder.decodeReply(&buffer)?.lines, [String(repeating: "x", count: 12), "b", "c"])
    }

    func testControlCharactersAreKeptInTheReplyAndEscapedForPrinting() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "220 evil\u{0}\u{1b}[2J ready\r\n")
        let reply = try XCTUnwrap(try decoder.decodeReply(&buffer))
        XCTAssertEqual(reply.lines, ["evil\u{0}\u{1b}[2J ready"])
        XCTAssertEqual(SafeText.clean(reply.text), "evil\\x00\\x1B[2J ready")
        XCTAssertEqual(TranscriptLine(direction: .received, encrypted: false, offsetMs: 12, text: reply.wireLines[0]).rendered,
                       "[0.012] <-  220 evil\\x00\\x1B[2J ready")
    }

    func testInvalidUTF8BecomesReplacementCharacters() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(bytes: Array("220 ".utf8) + [0xFF, 0xFE] + Array("\r\n".utf8))
        XCTAssertEqual(try decoder.decodeReply(&buffer)?.lines, ["\u{FFFD}\u{FFFD}"])
    }
}
