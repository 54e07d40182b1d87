import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOSSL
@testable import Probes

/// The client's pipeline as `SMTPProbe` builds it, on an `EmbeddedChannel`:
/// the test plays the server, byte for byte, and reads what the client sends.
final class SMTPConversation {
    static let stageTimeout = TimeAmount.seconds(5)
    static let tlsContext = try! NIOSSLContext(configuration: .makeClientConfiguration())

    let channel = EmbeddedChannel()
    let recorder = SessionRecorder(start: .now)
    /// How the session ended, once the handler said so.
    let end = NIOLockedValueBox<SMTPSessionEnd?>(nil)
    /// How many TLS handlers the client asked for.
    private(set) var tlsHandlersMade = 0
    private let tlsContext: NIOSSLContext

    init(mode: SMTPTLSMode = .opportunistic, tlsContext: NIOSSLContext = SMTPConversation.tlsContext) throws {
        self.tlsContext = tlsContext
        let done = channel.eventLoop.makePromise(of: SMTPSessionEnd.self)
        done.futureResult.whenSuccess { [end] result in end.withLockedValue { $0 = result } }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(RawBytesHandler(recorder: recorder), name: "raw")
        if mode == .implicit { try sync.addHandler(try makeTLSHandler(), name: "tls") }
        try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()), name: "smtp-decoder")
        try sync.addHandler(SMTPClientHandler(machine: SMTPClientStateMachine(mode: mode, helo: "client.example"), recorder: recorder,
                                              deadlines: StageDeadlines(allMs: 5000), rawHandlerName: "raw", done: done,
                                              makeTLSHandler: { [unowned self] in try self.makeTLSHandler() }),
                            name: "smtp-client")
    }

    private func makeTLSHandler() throws -> NIOSSLClientHandler {
        tlsHandlersMade += 1
        return try NIOSSLClientHandler(context: tlsContext, serverHostname: "mx.example.com")
    }

    func connect() throws {
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.10", port: 587)).wait()
    }

    /// The server sends these bytes, in one read.
    func server(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// What the client sent since the last look, as text.
    func client() throws -> String? {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text.isEmpty ? nil : text
    }

    /// The next raw bytes the client sent (a TLS record is not text).
    func clientBytes() throws -> [UInt8]? {
        try channel.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }
    }

    var ended: SMTPSessionEnd? { end.withLockedValue { $0 } }

    /// Handler names, front to back, read from the pipeline's own description.
    var handlerNames: [String] {
        channel.pipeline.debugDescription.split(separator: "\n").dropFirst(2).compactMap { line in
            guard line.hasSuffix("]"), let open = line.lastIndex(of: "[") else { return nil }
            return String(line[line.index(after: open)..<line.index(before: line.endIndex)])
        }
    }

    /// The recorder's transcript in swaks notation, without time stamps.
    var transcript: [String] {
        recorder.snapshot().transcript.map { "\($0.marker) \($0.text)" }
    }

    /// Ends the conversation so that no promise is left pending. A TLS handler
    /// waits for the peer's close_notify until its shutdown timeout: let that pass.
    func hangUp() {
        Self.shutDown(channel)
    }

    static func shutDown(_ channel: EmbeddedChannel) {
        channel.close(promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }
}
