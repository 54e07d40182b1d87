/// The deadline of each stage of a connection, each one configurable.
public struct StageDeadlines: Sendable, Hashable, Codable {
    public var connectMs: Int
    public var greetingMs: Int
    /// Each command's reply (EHLO, HELO, STARTTLS, QUIT).
    public var commandMs: Int
    public var tlsHandshakeMs: Int

    public init(connectMs: Int, greetingMs: Int, commandMs: Int, tlsHandshakeMs: Int) {
        self.connectMs = connectMs
        self.greetingMs = greetingMs
        self.commandMs = commandMs
        self.tlsHandshakeMs = tlsHandshakeMs
    }

    /// One deadline for every stage.
    public init(allMs: Int) {
        self.init(connectMs: allMs, greetingMs: allMs, commandMs: allMs, tlsHandshakeMs: allMs)
    }

    public func milliseconds(for stage: SMTPStage) -> Int {
        switch stage {
        case .connect: return connectMs
        case .greeting: return greetingMs
        case .tlsHandshake: return tlsHandshakeMs
        case .ehlo, .helo, .startTLS, .auth, .mail, .rcpt, .quit: return commandMs
        }
    }

    /// The longest a whole session may take: every stage it can pass through, once.
    public var sessionLimitMs: Int { connectMs + greetingMs + tlsHandshakeMs * 2 + commandMs * 12 }
}
