import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// The thin handler: feeds channel events to `SMTPClientStateMachine` and
/// performs its actions (write, STARTTLS upgrade, deadlines, close).
final class SMTPClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundOut = ByteBuffer

    private var machine: SMTPClientStateMachine
    private let recorder: SessionRecorder
    private let deadlines: StageDeadlines
    private let makeTLSHandler: () throws -> NIOSSLClientHandler
    private let rawHandlerName: String
    private var deadline: Scheduled<Void>?
    private let done: EventLoopPromise<SMTPSessionEnd>

    init(machine: SMTPClientStateMachine, recorder: SessionRecorder, deadlines: StageDeadlines,
         rawHandlerName: String, done: EventLoopPromise<SMTPSessionEnd>,
         makeTLSHandler: @escaping () throws -> NIOSSLClientHandler) {
        self.machine = machine
        self.recorder = recorder
        self.deadlines = deadlines
        self.rawHandlerName = rawHandlerName
        self.done = done
        self.makeTLSHandler = makeTLSHandler
    }

    func channelActive(context: ChannelHandlerContext) {
        recorder.connected()
        perform(machine.handle(.connected), context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            recorder.connected()
            perform(machine.handle(.connected), context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        recorder.received(reply, encrypted: machine.encrypted, isGreeting: machine.stage == .greeting)
        perform(machine.handle(.reply(reply)), context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            let version = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).tlsVersion
            recorder.tlsEstablished(version: version.map(Self.name) ?? nil)
            machine.peerVerified = recorder.snapshot().tls?.verified ?? false
            perform(machine.handle(.tlsEstablished), context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let decode = error as? SMTPReplyError {
            perform(machine.handle(.decodeFailed(decode)), context)
        } else if let tls = error as? NIOSSLError, case .uncleanShutdown = tls, machine.stage != .tlsHandshake {
            // A TCP close without TLS close_notify, after the handshake: a hang-up, not a TLS failure.
            perform(machine.handle(.closed), context)
        } else if error is NIOSSLError || error is BoringSSLError || machine.stage == .tlsHandshake {
            perform(machine.handle(.tlsFailed(TLSErrorText.describe(error))), context)
        } else if error is IOError {
            // Reset, broken pipe and kin: the connection is gone.
            perform(machine.handle(.closed), context)
        } else {
            perform(machine.handle(.decodeFailed(.malformed(String(describing: error)))), context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.handle(.closed), context)
        context.fireChannelInactive()
    }

    /// Sends one command line; the transcript records `shown`.
    private func write(_ line: String, shown: String, _ context: ChannelHandlerContext) {
        recorder.sent(shown, encrypted: machine.encrypted)
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeStaticString("\r\n")
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        acknowledgeQuickly(context)
    }

    /// Asks the kernel to acknowledge what arrives next at once, not with a
    /// delayed ACK. A server with Nagle's algorithm on that sends something
    /// unasked (TLS 1.3 session tickets right after the handshake) holds its
    /// next reply until that ACK: on Linux 40 ms, which one lab session in two
    /// lost between the EHLO after STARTTLS and its reply.
    private func acknowledgeQuickly(_ context: ChannelHandlerContext) {
        #if os(Linux)
        let option = ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: CInt(TCP_QUICKACK)))
        try? context.channel.syncOptions?.setOption(option, value: 1)
        #endif
    }

    /// "TLS 1.3" rather than the enum's "tlsv13".
    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: return "TLS 1.0"
        case .tlsv11: return "TLS 1.1"
        case .tlsv12: return "TLS 1.2"
        case .tlsv13: return "TLS 1.3"
        }
    }

    private func perform(_ actions: [SMTPClientStateMachine.Action], _ context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let line):
                write(line, shown: line, context)
            case .sendSecret(let line, let display):
                // Only the redacted form reaches the transcript.
                write(line, shown: display, context)
            case .startTLS:
                do {
                    // In front of the decoder, behind the raw byte counter: everything
                    // from here on is decrypted before the SMTP decoder sees it.
                    let tls = try makeTLSHandler()
                    let raw = try context.pipeline.syncOperations.context(name: rawHandlerName).handler
                    (raw as? RawBytesHandler)?.watchForServerHello()
                    try context.pipeline.syncOperations.addHandler(tls, name: "tls", position: .after(raw))
                    recorder.info("STARTTLS accepted; TLS handshake begins")
                } catch {
                    perform(machine.handle(.tlsFailed("could not start TLS: " + TLSErrorText.describe(error))), context)
                }
            case .arm(let stage):
                deadline?.cancel()
                let ms = deadlines.milliseconds(for: stage)
                let timeout = TimeAmount.milliseconds(Int64(ms))
                deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                    guard let self else { return }
                    self.recorder.error("no answer within \(ms) ms during \(stage.rawValue)")
                    self.perform(self.machine.handle(.deadlineExpired), context)
                }
            case .close:
                deadline?.cancel()
                deadline = nil
                context.close(promise: nil)
            case .finished(let end):
                recorder.keep(greeting: machine.greeting, ehloBeforeTLS: machine.ehloBeforeTLS, ehloAfterTLS: machine.ehloAfterTLS)
                recorder.keepAuth(mechanism: machine.authMechanism, authenticated: machine.authenticated)
                done.succeed(end)
            }
        }
    }
}

/// Counts raw bytes (before any TLS) and keeps the first few, so a TLS record
/// can be told from a plain-text greeting.
final class RawBytesHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let recorder: SessionRecorder

    init(recorder: SessionRecorder) {
        self.recorder = recorder
    }

    /// Bytes since TLS began, kept until the ServerHello's cipher suite is read.
    private var helloBytes: [UInt8]?

    /// TLS starts now: the next bytes from the server begin with its ServerHello.
    func watchForServerHello() {
        helloBytes = []
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        recorder.raw(buffer.readableBytesView.prefix(64), count: buffer.readableBytes)
        if var hello = helloBytes {
            hello += buffer.readableBytesView.prefix(512 - hello.count)
            if let suite = TLSServerHello.cipherSuite(hello) {
                recorder.cipherSuite(TLSServerHello.name(suite))
                helloBytes = nil
            } else {
                helloBytes = hello.count < 512 ? hello : nil
            }
        }
        context.fireChannelRead(data)
    }
}
