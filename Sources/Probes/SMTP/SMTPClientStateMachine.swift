/// How the client starts TLS on this connection.
public enum SMTPTLSMode: String, Sendable, Hashable, Codable {
    /// Plain text throughout; STARTTLS is not attempted.
    case plain
    /// STARTTLS if the server offers it (auto on 25/587/2525).
    case opportunistic
    /// STARTTLS, and its absence is a finding.
    case startTLS = "starttls"
    /// TLS from the first byte (465 style, RFC 8314).
    case implicit
}

/// The stage a connection is in; every stage has its own deadline.
public enum SMTPStage: String, Sendable, Hashable, Codable {
    case connect
    case tlsHandshake = "tls-handshake"
    case greeting
    case ehlo
    case helo
    case startTLS = "starttls"
    case auth
    case mail
    case rcpt
    case quit
}

/// How a session ended.
public enum SMTPSessionEnd: Sendable, Hashable, Codable {
    /// Greeting, EHLO, STARTTLS if wanted, EHLO again, QUIT: all fine.
    case completed
    /// The server's greeting was not 220 (421 busy, 554 refused, ...).
    case greetingRejected(SMTPReply)
    case startTLSNotOffered
    case startTLSRefused(SMTPReply)
    /// Bytes arrived after the STARTTLS 220 before TLS began (CVE-2011-0411 class).
    case plaintextAfterStartTLS(bytes: Int)
    case commandRejected(command: String, reply: SMTPReply)
    /// A reply that breaks the protocol (wrong code for the stage, or undecodable).
    case protocolViolation(stage: SMTPStage, detail: String)
    case timedOut(stage: SMTPStage)
    case closedByServer(stage: SMTPStage)
    case tlsFailed(stage: SMTPStage, detail: String)
    case connectFailed(detail: String)
    /// Credentials were given but the server advertises no AUTH here.
    case authNotOffered
    /// The certificate did not verify, so the credentials were kept back.
    case authWithheld
    /// The connection is not encrypted and plain-text AUTH was not allowed: nothing was sent.
    case plaintextAuthRefused
    /// None of the mechanisms offered is one smtp-doctor speaks.
    case authMechanismUnsupported(offered: [String])
    /// AUTH ended with a failure reply.
    case authRejected(mechanism: SASLMechanism, reply: SMTPReply)
    /// MAIL FROM or RCPT TO was refused (after AUTH, if any).
    case envelopeRejected(command: String, reply: SMTPReply)
}

/// The sender and recipient to try after AUTH; QUIT comes before DATA, so no message is ever sent.
public struct SMTPEnvelope: Sendable, Hashable, Codable {
    public var mailFrom: String
    public var rcptTo: String
    public init(mailFrom: String, rcptTo: String) {
        self.mailFrom = mailFrom
        self.rcptTo = rcptTo
    }
}

/// The SMTP client's decisions as a pure state machine: events in, actions
/// out. The channel handler performs the actions; tests drive it directly.
public struct SMTPClientStateMachine: Sendable {
    public enum Event: Sendable, Hashable {
        case connected
        case reply(SMTPReply)
        case tlsEstablished
        case decodeFailed(SMTPReplyError)
        case tlsFailed(String)
        case deadlineExpired
        case closed
    }

    public enum Action: Sendable, Hashable {
        /// Send one command line (without CR LF).
        case send(String)
        /// Send a line that carries a secret; the transcript shows `display` instead.
        case sendSecret(String, display: String)
        /// Put TLS in front of the pipeline now (after checking for leftover plaintext).
        case startTLS
        /// Start the deadline of a stage.
        case arm(SMTPStage)
        case close
        case finished(SMTPSessionEnd)
    }

    public enum State: Sendable, Hashable {
        case connecting
        case awaitingTLS(then: SMTPStage)
        case awaitingGreeting
        case awaitingEHLO(afterTLS: Bool)
        case awaitingHELO
        case awaitingStartTLS
        case awaitingAuth(SASLMechanism, step: Int)
        /// "*" was sent to cancel an AUTH exchange the server would not end.
        case awaitingAuthCancel(SASLMechanism)
        case awaitingMail
        case awaitingRcpt
        case awaitingQuit(SMTPSessionEnd)
        case done(SMTPSessionEnd)
    }

    public let mode: SMTPTLSMode
    public let helo: String
    public private(set) var state: State = .connecting
    public private(set) var greeting: SMTPReply?
    public private(set) var ehloBeforeTLS: SMTPReply?
    public private(set) var ehloAfterTLS: SMTPReply?
    public private(set) var encrypted = false
    public let credentials: SMTPCredentials?
    public let envelope: SMTPEnvelope?
    /// The mechanism used, once AUTH began.
    public private(set) var authMechanism: SASLMechanism?
    public private(set) var authenticated = false
    /// Whether the TLS peer's certificate verified; the handler sets it when TLS is up.
    public var peerVerified = true

    public init(mode: SMTPTLSMode, helo: String, credentials: SMTPCredentials? = nil, envelope: SMTPEnvelope? = nil) {
        self.mode = mode
        self.helo = helo
        self.credentials = credentials
        self.envelope = envelope
    }

    public var stage: SMTPStage {
        switch state {
        case .connecting: return .connect
        case .awaitingTLS: return .tlsHandshake
        case .awaitingGreeting: return .greeting
        case .awaitingEHLO: return .ehlo
        case .awaitingHELO: return .helo
        case .awaitingStartTLS: return .startTLS
        case .awaitingAuth, .awaitingAuthCancel: return .auth
        case .awaitingMail: return .mail
        case .awaitingRcpt: return .rcpt
        case .awaitingQuit, .done: return .quit
        }
    }

    public mutating func handle(_ event: Event) -> [Action] {
        if case .done = state { return [] }
        switch (state, event) {
        case (.connecting, .connected):
            if mode == .implicit {
                state = .awaitingTLS(then: .greeting)
                return [.arm(.tlsHandshake)]
            }
            state = .awaitingGreeting
            return [.arm(.greeting)]

        case (.awaitingTLS(let then), .tlsEstablished):
            encrypted = true
            if then == .greeting {
                state = .awaitingGreeting
                return [.arm(.greeting)]
            }
            state = .awaitingEHLO(afterTLS: true)
            return [.send("EHLO \(helo)"), .arm(.ehlo)]

        case (.awaitingGreeting, .reply(let reply)):
            greeting = reply
            guard reply.code == 220 else {
                if reply.isTransient || reply.isPermanent {
                    // RFC 5321 3.1: after a 554 greeting the client should still QUIT.
                    return quit(after: .greetingRejected(reply))
                }
                return finish(.protocolViolation(stage: .greeting, detail: "expected 220, got \(reply.code)"))
            }
            state = .awaitingEHLO(afterTLS: false)
            return [.send("EHLO \(helo)"), .arm(.ehlo)]

        case (.awaitingEHLO(let afterTLS), .reply(let reply)):
            if reply.code == 250 {
                if afterTLS || encrypted { ehloAfterTLS = reply } else { ehloBeforeTLS = reply }
                let wantsTLS = mode == .startTLS || mode == .opportunistic
                if wantsTLS && !encrypted {
                    if reply.offers("STARTTLS") {
                        state = .awaitingStartTLS
                        return [.send("STARTTLS"), .arm(.startTLS)]
                    }
                    if mode == .startTLS { return quit(after: .startTLSNotOffered) }
                }
                return afterHello(reply)
            }
            if !afterTLS && !encrypted && [500, 502, 504, 550].contains(reply.code) {
                // An old server without EHLO (RFC 5321 4.1.4): fall back to HELO.
                state = .awaitingHELO
                return [.send("HELO \(helo)"), .arm(.helo)]
            }
            // Only 4xx/5xx refuse; a 220 or 354 here is a server out of step.
            guard reply.code >= 400 else {
                return quit(after: .protocolViolation(stage: .ehlo, detail: "the server answered EHLO with \(reply.code), which is not a reply to EHLO (an unsolicited second greeting, or out of step)"))
            }
            return quit(after: .commandRejected(command: "EHLO", reply: reply))

        case (.awaitingHELO, .reply(let reply)):
            guard reply.code == 250 else { return quit(after: .commandRejected(command: "HELO", reply: reply)) }
            if mode == .startTLS { return quit(after: .startTLSNotOffered) }
            return afterHello(nil)

        case (.awaitingAuth(let mechanism, let step), .reply(let reply)):
            if reply.code == 334, let credentials {
                // Each mechanism has a fixed number of responses: a server that
                // keeps challenging never gets a secret twice. The exchange is
                // cancelled with "*" (RFC 4954 4) instead.
                guard step < SASL.responses(mechanism) else {
                    state = .awaitingAuthCancel(mechanism)
                    return [.send("*"), .arm(.auth)]
                }
                let (line, display) = SASL.respond(mechanism, step: step, challenge: reply.lines.first ?? "", credentials)
                state = .awaitingAuth(mechanism, step: step + 1)
                return [.sendSecret(line, display: display), .arm(.auth)]
            }
            guard reply.code == 235 else { return quit(after: .authRejected(mechanism: mechanism, reply: reply)) }
            authenticated = true
            return afterAuth()

        case (.awaitingAuthCancel(let mechanism), .reply):
            return quit(after: .protocolViolation(stage: .auth,
                detail: "the server kept asking for more (334) after every response AUTH \(mechanism.rawValue) has; nothing was sent again and the exchange was cancelled with *"))

        case (.awaitingMail, .reply(let reply)):
            guard reply.code == 250, let envelope else { return quit(after: .envelopeRejected(command: "MAIL FROM", reply: reply)) }
            state = .awaitingRcpt
            return [.send("RCPT TO:<\(envelope.rcptTo)>"), .arm(.rcpt)]

        case (.awaitingRcpt, .reply(let reply)):
            guard reply.code == 250 || reply.code == 251 else { return quit(after: .envelopeRejected(command: "RCPT TO", reply: reply)) }
            // QUIT before DATA: no message is ever sent.
            return quit(after: .completed)

        case (.awaitingStartTLS, .reply(let reply)):
            guard reply.code == 220 else { return quit(after: .startTLSRefused(reply)) }
            if reply.trailingBytes > 0 { return finish(.plaintextAfterStartTLS(bytes: reply.trailingBytes)) }
            state = .awaitingTLS(then: .ehlo)
            return [.startTLS, .arm(.tlsHandshake)]

        case (.awaitingQuit(let end), _):
            // Whatever QUIT brings (a reply, a close, a TLS or decode error, a
            // deadline), the session's outcome is already known.
            return finish(end)

        case (_, .decodeFailed(let error)):
            return finish(.protocolViolation(stage: stage, detail: error.description))

        case (_, .tlsFailed(let detail)):
            return finish(.tlsFailed(stage: stage, detail: detail))

        case (_, .deadlineExpired):
            return finish(.timedOut(stage: stage))

        case (_, .closed):
            return finish(.closedByServer(stage: stage))

        case (_, .reply(let reply)):
            return finish(.protocolViolation(stage: stage, detail: "unexpected reply \(reply.code) while waiting for \(stage.rawValue)"))

        case (_, .connected), (_, .tlsEstablished):
            return finish(.protocolViolation(stage: stage, detail: "unexpected event in \(stage.rawValue)"))
        }
    }

    /// After the last EHLO (or HELO): AUTH if credentials were given, then the envelope, then QUIT.
    private mutating func afterHello(_ ehlo: SMTPReply?) -> [Action] {
        guard let credentials else { return afterAuth() }
        let offered = SASL.offered(in: ehlo)
        if encrypted && !peerVerified {
            // A certificate that does not verify may be a man in the middle: no secret goes to it.
            return quit(after: .authWithheld)
        }
        if !encrypted && !credentials.allowPlaintext {
            // Refused before a byte of the secret leaves: RFC 4954 4 warns against plain-text AUTH without TLS.
            return quit(after: offered.isEmpty ? .authNotOffered : .plaintextAuthRefused)
        }
        if offered.isEmpty && credentials.mechanism == nil { return quit(after: .authNotOffered) }
        let mechanism = credentials.mechanism
            ?? SASLMechanism.preference.first { offered.contains($0.rawValue) }
        guard let mechanism else { return quit(after: .authMechanismUnsupported(offered: offered)) }
        authMechanism = mechanism
        state = .awaitingAuth(mechanism, step: 0)
        let (line, display) = SASL.start(mechanism, credentials)
        return [line == display ? .send(line) : .sendSecret(line, display: display), .arm(.auth)]
    }

    private mutating func afterAuth() -> [Action] {
        guard let envelope else { return quit(after: .completed) }
        state = .awaitingMail
        return [.send("MAIL FROM:<\(envelope.mailFrom)>"), .arm(.mail)]
    }

    private mutating func quit(after end: SMTPSessionEnd) -> [Action] {
        state = .awaitingQuit(end)
        return [.send("QUIT"), .arm(.quit)]
    }

    private mutating func finish(_ end: SMTPSessionEnd) -> [Action] {
        state = .done(end)
        return [.close, .finished(end)]
    }
}
