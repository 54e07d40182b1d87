import NIOConcurrencyHelpers
import NIOCore

/// Collects what one session showed. Written from the event loop and from the
/// certificate check's task, so every access takes the lock.
final class SessionRecorder: @unchecked Sendable {
    private let lock = NIOLock()
    private let start: ContinuousClock.Instant
    private var connectedAt: ContinuousClock.Instant?
    private var encryptedNow = false
    private(set) var transcript: [TranscriptLine] = []
    private(set) var firstBytes: [UInt8] = []
    private(set) var bytesReceived = 0
    private(set) var greetingDelayMs: Int?
    private(set) var connectMs: Int?
    private(set) var tls: TLSObservation?
    private var tlsVersion: String?
    private var cipher: String?
    private var replies: (greeting: SMTPReply?, before: SMTPReply?, after: SMTPReply?) = (nil, nil, nil)
    private static let maxTranscriptLines = 400

    init(start: ContinuousClock.Instant) {
        self.start = start
    }

    private var offset: Int { start.duration(to: .now).milliseconds }

    private func append(_ direction: TranscriptLine.Direction, _ encrypted: Bool, _ text: String) {
        if transcript.count == Self.maxTranscriptLines {
            transcript.append(TranscriptLine(direction: .info, encrypted: encrypted, offsetMs: offset, text: "(transcript cut at \(Self.maxTranscriptLines) lines)"))
        }
        guard transcript.count < Self.maxTranscriptLines else { return }
        transcript.append(TranscriptLine(direction: direction, encrypted: encrypted, offsetMs: offset, text: String(text.prefix(300))))
    }

    func info(_ text: String) { lock.withLock { append(.info, encryptedNow, text) } }
    func error(_ text: String) { lock.withLock { append(.error, encryptedNow, text) } }

    func connected() {
        lock.withLock {
            guard connectedAt == nil else { return }
            connectedAt = .now
            connectMs = offset
            append(.info, false, "Connected (\(offset) ms)")
        }
    }

    func sent(_ line: String, encrypted: Bool) { lock.withLock { append(.sent, encrypted, line) } }

    func received(_ reply: SMTPReply, encrypted: Bool, isGreeting: Bool) {
        lock.withLock {
            if isGreeting, greetingDelayMs == nil, let connectedAt {
                greetingDelayMs = connectedAt.duration(to: .now).milliseconds
            }
            for line in reply.wireLines { append(.received, encrypted, line) }
        }
    }

    func raw(_ bytes: ByteBufferView.SubSequence, count: Int) {
        lock.withLock {
            if firstBytes.count < 64 { firstBytes += bytes.prefix(64 - firstBytes.count) }
            bytesReceived += count
        }
    }

    func tlsEstablished(version: String?) {
        lock.withLock {
            encryptedNow = true
            tlsVersion = version
            tls?.version = version
            tls?.cipherSuite = cipher
            let details = [version, cipher].compactMap { $0 }.joined(separator: ", ")
            append(.info, true, "TLS established\(details.isEmpty ? "" : " (\(details))")")
        }
    }

    func certificates(_ chain: [CertificateSummary], problems: [CertificateProblem], trust: String) {
        lock.withLock {
            tls = TLSObservation(version: tlsVersion, cipherSuite: cipher, chain: chain, problems: problems, trustDescription: trust)
            let verdict = problems.isEmpty ? "certificate verified against \(trust)" : "certificate NOT verified (\(problems.count) problem\(problems.count == 1 ? "" : "s"))"
            append(.info, false, verdict)
        }
    }

    func cipherSuite(_ name: String) {
        lock.withLock {
            cipher = name
            tls?.cipherSuite = name
        }
    }

    private var auth: (mechanism: SASLMechanism?, authenticated: Bool) = (nil, false)

    func keepAuth(mechanism: SASLMechanism?, authenticated: Bool) {
        lock.withLock { auth = (mechanism, authenticated) }
    }

    func keep(greeting: SMTPReply?, ehloBeforeTLS: SMTPReply?, ehloAfterTLS: SMTPReply?) {
        lock.withLock { replies = (greeting, ehloBeforeTLS, ehloAfterTLS) }
    }

    struct Snapshot {
        var transcript: [TranscriptLine]
        var firstBytes: [UInt8]
        var bytes: Int
        var greetingDelayMs: Int?
        var connectMs: Int?
        var tls: TLSObservation?
        var greeting: SMTPReply?
        var ehloBeforeTLS: SMTPReply?
        var ehloAfterTLS: SMTPReply?
        var authMechanism: SASLMechanism?
        var authenticated: Bool
    }

    func snapshot() -> Snapshot {
        lock.withLock {
            Snapshot(transcript: transcript, firstBytes: firstBytes, bytes: bytesReceived, greetingDelayMs: greetingDelayMs,
                     connectMs: connectMs, tls: tls, greeting: replies.greeting, ehloBeforeTLS: replies.before, ehloAfterTLS: replies.after,
                     authMechanism: auth.mechanism, authenticated: auth.authenticated)
        }
    }
}
