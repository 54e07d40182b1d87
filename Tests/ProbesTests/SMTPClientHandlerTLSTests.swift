import Crypto
import NIOCore
import NIOEmbedded
import NIOSSL
import SwiftASN1
import X509
import XCTest
@testable import Probes

/// STARTTLS through to the end against a real TLS server on a second
/// `EmbeddedChannel`: the bytes are carried between the two by hand.
final class SMTPClientHandlerTLSTests: XCTestCase {
    /// The server's side of the wire: `NIOSSLServerHandler` with a certificate made here.
    final class TLSServer {
        let channel = EmbeddedChannel()

        init() throws {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("mx.example.com") }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: Date() - 3600, notValidAfter: Date() + 3600, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName("mx.example.com")]) },
                issuerPrivateKey: Certificate.PrivateKey(key))
            var der = DER.Serializer()
            try der.serialize(certificate)
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: der.serializedBytes, format: .der))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)))
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: NIOSSLContext(configuration: configuration)))
            try channel.connect(to: SocketAddress(ipAddress: "192.0.2.99", port: 40000)).wait()
        }

        /// The plain text the client sent, as the server decrypted it.
        func received() throws -> String? {
            var text = ""
            while let buffer = try channel.readInbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text.isEmpty ? nil : text
        }

        func send(_ text: String) {
            channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
        }
    }

    /// A client context that does not verify: this test is about the pipeline, not trust.
    static let trustingClient: NIOSSLContext = {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try! NIOSSLContext(configuration: configuration)
    }()

    /// Carries bytes both ways until neither side has anything more to say.
    private func carry(_ client: SMTPConversation, _ server: TLSServer) throws {
        var moved = true
        while moved {
            moved = false
            while let bytes = try client.channel.readOutbound(as: ByteBuffer.self) {
                try server.channel.writeInbound(bytes)
                moved = true
            }
            while let bytes = try server.channel.readOutbound(as: ByteBuffer.self) {
                try client.channel.writeInbound(bytes)
                moved = true
            }
        }
    }

    func testSTARTTLSHandshakeThenEHLOAgainUnderTLS() throws {
        let c = try SMTPConversation(tlsContext: Self.trustingClient)
        let server = try TLSServer()
        defer {
            c.hangUp()
            SMTPConversation.shutDown(server.channel)
        }
        try c.connect()
        try c.server("220 mx.example.com ESMTP\r\n")
        try c.server("250-mx.example.com\r\n250 STARTTLS\r\n")
        XCTAssertEqual(try c.client(), "EHLO client.example\r\nSTARTTLS\r\n")
        try c.server("220 2.0.0 go ahead\r\n")
        try carry(c, server)
        XCTAssertEqual(try server.received(), "EHLO client.example\r\n", "EHLO again, now encrypted (RFC 3207 4.2)")
        server.send("250-mx.example.com\r\n250 AUTH PLAIN\r\n")
        try carry(c, server)
        XCTAssertEqual(try server.received(), "QUIT\r\n")
        XCTAssertNil(c.ended)
        server.send("221 2.0.0 bye\r\n")
        try carry(c, server)
        XCTAssertEqual(c.ended, .completed)
        let snapshot = c.recorder.snapshot()
        XCTAssertEqual(snapshot.ehloBeforeTLS?.capabilities, ["STARTTLS"])
        XCTAssertEqual(snapshot.ehloAfterTLS?.capabilities, ["AUTH PLAIN"])
        let transcript = c.transcript
        let tlsLine = try XCTUnwrap(transcript.firstIndex { $0.hasPrefix("=== TLS established") }, "\(transcript)")
        XCTAssertEqual(Array(transcript[(tlsLine + 1)...]), [
            " ~> EHLO client.example", "<~  250-mx.example.com", "<~  250 AUTH PLAIN", " ~> QUIT", "<~  221 2.0.0 bye",
        ])
        XCTAssertTrue(transcript[..<tlsLine].allSatisfy { !$0.hasPrefix(" ~>") && !$0.hasPrefix("<~") })
    }

    func testImplicitTLSGreetsAfterTheHandshake() throws {
        let c = try SMTPConversation(mode: .implicit, tlsContext: Self.trustingClient)
        let server = try TLSServer()
        defer {
            c.hangUp()
            SMTPConversation.shutDown(server.channel)
        }
        try c.connect()
        try carry(c, server)
        XCTAssertNil(try server.received(), "the client waits for the greeting")
        server.send("220 mx.example.com ESMTP\r\n")
        try carry(c, server)
        XCTAssertEqual(try server.received(), "EHLO client.example\r\n")
        XCTAssertTrue(c.transcript.contains("<~  220 mx.example.com ESMTP"), "\(c.transcript)")
        XCTAssertNotNil(c.recorder.greetingDelayMs)
        XCTAssertEqual(c.recorder.snapshot().firstBytes.first, 0x16, "the first raw bytes are a TLS record")
    }
}
