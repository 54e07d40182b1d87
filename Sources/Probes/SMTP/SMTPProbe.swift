import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import X509

/// One SMTP conversation with a server: connect, greeting, EHLO, STARTTLS or
/// implicit TLS, EHLO again, QUIT. Never sends a message. Every stage has a
/// deadline; every outcome is an observation, never a thrown error.
public enum SMTPProbe {
    public struct Configuration: Sendable {
        public var address: IPAddress
        public var port: Int
        public var mode: SMTPTLSMode
        /// The name to verify the certificate against and send as SNI.
        public var serverName: String
        public var helo: String
        public var deadlines: StageDeadlines
        public var trustRoots: CertificateStore
        public var trustDescription: String
        public var credentials: SMTPCredentials?
        public var envelope: SMTPEnvelope?

        public init(address: IPAddress, port: Int, mode: SMTPTLSMode, serverName: String, helo: String = "smtp-doctor.invalid",
                    deadlines: StageDeadlines, trustRoots: CertificateStore, trustDescription: String) {
            self.address = address
            self.port = port
            self.mode = mode
            self.serverName = serverName
            self.helo = helo
            self.deadlines = deadlines
            self.trustRoots = trustRoots
            self.trustDescription = trustDescription
        }
    }

    /// One TLS client context for every session of the process. The chain and
    /// the names are judged by `TLSInspector` (through the verification
    /// callback, against `Configuration.trustRoots`), so BoringSSL needs no
    /// trust store of its own: without one, no session parses the system
    /// bundle before it can connect, and the session and its twin share the
    /// context instead of building one each.
    static let clientContext: Result<NIOSSLContext, any Error> = Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([])
        return try NIOSSLContext(configuration: tls)
    }

    public static func run(_ config: Configuration) async -> SMTPSessionObservation {
        let start = ContinuousClock.now
        let recorder = SessionRecorder(start: start)
        recorder.info("Trying \(config.address.bracketed):\(config.port) (\(config.mode.rawValue))")
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let done = loop.makePromise(of: SMTPSessionEnd.self)
        let connectTimeout = TimeAmount.milliseconds(Int64(config.deadlines.connectMs))
        let tlsContext: NIOSSLContext
        do {
            tlsContext = try clientContext.get()
        } catch {
            done.succeed(.connectFailed(detail: "TLS set-up failed"))
            return observation(config, .tlsFailed(stage: .connect, detail: "TLS set-up failed: " + TLSErrorText.describe(error)), recorder, start)
        }
        let makeTLS: @Sendable () throws -> NIOSSLClientHandler = {
            let sni = IPAddress(config.serverName) == nil ? config.serverName : nil
            return try NIOSSLClientHandler(context: tlsContext, serverHostname: sni) { certificates, promise in
                Self.verify(certificates, config: config, recorder: recorder, promise: promise)
            }
        }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let raw = RawBytesHandler(recorder: recorder)
                    if config.mode == .implicit { raw.watchForServerHello() }
                    try sync.addHandler(raw, name: "raw")
                    if config.mode == .implicit { try sync.addHandler(try makeTLS(), name: "tls") }
                    try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()), name: "smtp-decoder")
                    let machine = SMTPClientStateMachine(mode: config.mode, helo: config.helo,
                                                         credentials: config.credentials, envelope: config.envelope)
                    try sync.addHandler(SMTPClientHandler(machine: machine, recorder: recorder, deadlines: config.deadlines,
                                                          rawHandlerName: "raw", done: done, makeTLSHandler: makeTLS))
                }
            }
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress(ipAddress: config.address.description, port: config.port)
        } catch {
            done.succeed(.connectFailed(detail: "\(error)"))
            return observation(config, .connectFailed(detail: "\(error)"), recorder, start)
        }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(to: socketAddress).get()
        } catch {
            recorder.error("connection failed: \(describe(error))")
            // Nothing else will complete it: the channel never became active.
            done.succeed(.connectFailed(detail: describe(error)))
            return observation(config, .connectFailed(detail: describe(error)), recorder, start)
        }
        // A safety net beyond the per-stage deadlines: a session cannot outlive
        // every stage it can pass through.
        let guardTask = loop.scheduleTask(in: .milliseconds(Int64(config.deadlines.sessionLimitMs))) {
            done.succeed(.timedOut(stage: .quit))
            channel.close(promise: nil)
        }
        let end = (try? await done.futureResult.get()) ?? .closedByServer(stage: .connect)
        guardTask.cancel()
        try? await channel.close().get()
        return observation(config, end, recorder, start)
    }

    private static func verify(_ certificates: [NIOSSLCertificate], config: Configuration, recorder: SessionRecorder,
                               promise: EventLoopPromise<NIOSSLVerificationResult>) {
        let parsed = certificates.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
        Task {
            let problems = await TLSInspector.inspect(presented: parsed, host: config.serverName, roots: config.trustRoots)
            recorder.certificates(parsed.map(TLSInspector.summary), problems: problems, trust: config.trustDescription)
            // The handshake goes on either way so the rest of the server can be
            // examined; the problems are reported. No secret is ever sent here.
            promise.succeed(.certificateVerified)
        }
    }

    private static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return ErrnoName.of(io.errnoCode) }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "connect timed out" }
        return String(describing: error)
    }

    private static func observation(_ config: Configuration, _ end: SMTPSessionEnd, _ recorder: SessionRecorder,
                                    _ start: ContinuousClock.Instant) -> SMTPSessionObservation {
        let s = recorder.snapshot()
        return SMTPSessionObservation(
            address: config.address, port: config.port, mode: config.mode, end: end, connectMs: s.connectMs,
            greeting: s.greeting, greetingDelayMs: s.greetingDelayMs, ehloBeforeTLS: s.ehloBeforeTLS, ehloAfterTLS: s.ehloAfterTLS, tls: s.tls,
            firstBytes: s.firstBytes, bytesReceived: s.bytes, transcript: s.transcript,
            elapsedMs: start.duration(to: .now).milliseconds, deadlines: config.deadlines,
            authMechanism: s.authMechanism, authenticated: s.authenticated)
    }
}
