import NIOCore
import NIOEmbedded
import NIOSSL
import XCTest
@testable import Probes

/// The thin handler on an `EmbeddedChannel`: the test is the server, and
/// each test reads like the conversation it checks.
final class SMTPClientHandlerTests: XCTestCase {
    func testConversationWithoutTLS() throws {
        let c = try SMTPConversation(mode: .plain)
        defer { c.hangUp() }
        try c.connect()
        XCTAssertNil(try c.client(), "the server speaks first")
        try c.server("220 mx.example.com ESMTP\r\n")
        XCTAssertEqual(try c.client(), "EHLO client.example\r\n")
        try c.server("250-mx.example.com\r\n250-PIPELINING\r\n")
        XCTAssertNil(try c.client(), "half a reply is not an answer")
        try c.server("250 STARTTLS\r\n")
        XCTAssertEqual(try c.client(), "QUIT\r\n", "plain mode does not start TLS")
        XCTAssertNil(c.ended)
        try c.server("221 2.0.0 bye\r\n")
        XCTAssertEqual(c.ended, .completed)
        XCTAssertFalse(c.channel.isActive, "the client closes after 221")
        XCTAssertEqual(c.transcript, [
            "=== Connected (\(c.recorder.connectMs ?? -1) ms)",
            "<-  220 mx.example.com ESMTP",
            " -> EHLO client.example",
            "<-  250-mx.example.com", "<-  250-PIPELINING", "<-  250 STARTTLS",
            " -> QUIT",
            "<-  221 2.0.0 bye",
        ])
        let snapshot = c.recorder.snapshot()
        XCTAssertEqual(snapshot.greeting?.code, 220)
        XCTAssertEqual(snapshot.ehloBeforeTLS?.capabilities, ["PIPELINING", "STARTTLS"])
        XCTAssertEqual(Array(snapshot.firstBytes.prefix(4)), Array("220 ".utf8))
        XCTAssertNotNil(snapshot.greetingDelayMs)
    }

    func testSTARTTLSPutsTheRealTLSHandlerRightBehindTheByteCounter() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        try c.server("220 mx.example.com ESMTP\r\n")
        XCTAssertEqual(try c.client(), "EHLO client.example\r\n")
        try c.server("250-mx.example.com\r\n250 STARTTLS\r\n")
        XCTAssertEqual(try c.client(), "STARTTLS\r\n")
        XCTAssertEqual(c.handlerNames, ["raw", "smtp-decoder", "smtp-client"])
        try c.server("220 2.0.0 go ahead\r\n")
        XCTAssertEqual(c.handlerNames, ["raw", "tls", "smtp-decoder", "smtp-client"], "in front of the decoder")
        XCTAssertEqual(c.tlsHandlersMade, 1)
        XCTAssertNoThrow(try c.channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self))
        let hello = try XCTUnwrap(c.clientBytes(), "the handshake starts at once")
        XCTAssertEqual(Array(hello.prefix(2)), [0x16, 0x03], "a TLS handshake record, the ClientHello")
        XCTAssertEqual(c.transcript.last, "=== STARTTLS accepted; TLS handshake begins")
        XCTAssertNil(c.ended)
    }

    func testPlaintextAfterTheSTARTTLS220IsNeverFedToTLS() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        try c.server("220 mx.example.com ESMTP\r\n")
        try c.server("250-mx.example.com\r\n250 STARTTLS\r\n")
        XCTAssertEqual(try c.client(), "EHLO client.example\r\nSTARTTLS\r\n")
        try c.server("220 go\r\n250 injected\r\n")
        XCTAssertEqual(c.ended, .plaintextAfterStartTLS(bytes: 14))
        XCTAssertEqual(c.tlsHandlersMade, 0)
        XCTAssertFalse(c.handlerNames.contains("tls"))
        XCTAssertNil(try c.client(), "no ClientHello, no command")
        XCTAssertFalse(c.channel.isActive)
    }

    func testImplicitTLSStartsWithTheHandshake() throws {
        let c = try SMTPConversation(mode: .implicit)
        defer { c.hangUp() }
        XCTAssertEqual(c.handlerNames, ["raw", "tls", "smtp-decoder", "smtp-client"])
        try c.connect()
        let hello = try XCTUnwrap(c.clientBytes())
        XCTAssertEqual(hello.first, 0x16, "TLS from the first byte")
    }

    func testPlainTextGreetingOnAnImplicitTLSConnectionIsATLSFailure() throws {
        let c = try SMTPConversation(mode: .implicit)
        defer { c.hangUp() }
        try c.connect()
        _ = try c.clientBytes()
        try? c.server("220 mx.example.com ESMTP\r\n")
        guard case .tlsFailed(stage: .tlsHandshake, _)? = c.ended else { return XCTFail("ended with \(String(describing: c.ended))") }
        XCTAssertEqual(Array(c.recorder.snapshot().firstBytes.prefix(4)), Array("220 ".utf8), "the raw bytes show plain text")
    }

    func testSilentGreetingTimesOutAtTheStageDeadline() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        c.channel.embeddedEventLoop.advanceTime(by: .milliseconds(4999))
        XCTAssertNil(c.ended)
        c.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        XCTAssertEqual(c.ended, .timedOut(stage: .greeting))
        XCTAssertFalse(c.channel.isActive)
        XCTAssertEqual(c.transcript.last, "*** no answer within 5000 ms during greeting")
    }

    func testEachStageHasItsOwnDeadline() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        c.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try c.server("220 mx.example.com ESMTP\r\n")
        c.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertNil(c.ended, "the greeting's deadline was cancelled when the greeting came")
        c.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        XCTAssertEqual(c.ended, .timedOut(stage: .ehlo))
    }

    func testStalledTLSHandshakeTimesOut() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        try c.server("220 mx.example.com ESMTP\r\n")
        try c.server("250-mx.example.com\r\n250 STARTTLS\r\n")
        try c.server("220 go\r\n")
        c.channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        XCTAssertEqual(c.ended, .timedOut(stage: .tlsHandshake))
    }

    func testGarbageIsAProtocolViolation() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        try c.server("HTTP/1.1 400 Bad Request\r\n")
        XCTAssertEqual(c.ended, .protocolViolation(stage: .greeting, detail: SMTPReplyError.malformed("HTTP/1.1 400 Bad Request").description))
        XCTAssertFalse(c.channel.isActive)
    }

    func testHangUpBeforeTheGreeting() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        c.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read"))
        XCTAssertEqual(c.ended, .closedByServer(stage: .greeting))
    }

    func testRejectingGreetingIsAnsweredWithQUIT() throws {
        let c = try SMTPConversation()
        defer { c.hangUp() }
        try c.connect()
        try c.server("554 5.7.1 go away\r\n")
        XCTAssertEqual(try c.client(), "QUIT\r\n")
        try c.channel.close().wait()
        XCTAssertEqual(c.ended, .greetingRejected(SMTPReply(code: 554, lines: ["5.7.1 go away"])))
    }
}
