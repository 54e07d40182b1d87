/// Everything one SMTP connection showed: how it ended, the replies, the TLS
/// handshake and the whole transcript.
public struct SMTPSessionObservation: Sendable, Hashable, Codable {
    public var address: IPAddress
    public var port: Int
    public var mode: SMTPTLSMode
    public var end: SMTPSessionEnd
    public var connectMs: Int?
    public var greeting: SMTPReply?
    /// From the TCP connection to the whole greeting.
    public var greetingDelayMs: Int?
    public var ehloBeforeTLS: SMTPReply?
    public var ehloAfterTLS: SMTPReply?
    public var tls: TLSObservation?
    /// The first bytes the server sent, raw (up to 64), to tell plain text from TLS.
    public var firstBytes: [UInt8]
    public var bytesReceived: Int
    public var transcript: [TranscriptLine]
    public var elapsedMs: Int
    public var deadlines: StageDeadlines
    /// The SASL mechanism used, and whether AUTH succeeded (when credentials were given).
    public var authMechanism: SASLMechanism? = nil
    public var authenticated = false

    /// AUTH mechanisms advertised before and after TLS.
    public var authOfferedBeforeTLS: [String] { SASL.offered(in: ehloBeforeTLS) }
    public var authOfferedAfterTLS: [String] { SASL.offered(in: ehloAfterTLS) }

    /// The server's first bytes look like an SMTP reply in plain text ("220 ", "421-", ...).
    public var greetedInPlainText: Bool {
        guard firstBytes.count >= 4 else { return false }
        let digits = firstBytes.prefix(3).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        return digits && (firstBytes[3] == 0x20 || firstBytes[3] == 0x2d)
    }

    /// The server's first bytes are a TLS record (handshake 0x16 or alert 0x15).
    public var spokeTLS: Bool {
        guard let first = firstBytes.first else { return false }
        return first == 0x16 || first == 0x15
    }

    /// Whether STARTTLS was offered before TLS, when EHLO got that far.
    public var startTLSOffered: Bool? { ehloBeforeTLS.map { $0.offers("STARTTLS") } }
}
