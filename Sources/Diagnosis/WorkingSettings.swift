import Probes

/// A configuration this run saw work end to end (greeting, TLS with a trusted
/// certificate, and the login when one was tried), ready to paste into a mail
/// client or a script. Never holds the password.
public struct WorkingSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// `starttls`, `implicit` or `none`.
    public var tls: TLSMode
    /// The mechanism that logged in, or the best one offered when no login was tried.
    public var authMechanism: String?
    /// Whether the login itself was tried and accepted in this run.
    public var authVerified: Bool
    public var user: String?

    /// The first session of the run that worked, the client's own mode first.
    public static func found(in facts: Facts) -> WorkingSettings? {
        guard let check = facts.smtp else { return nil }
        let target = facts.target
        for (index, session) in ([check.primary] + (check.alternate.map { [$0] } ?? [])).enumerated() {
            guard session.end == .completed else { continue }
            if let tls = session.tls, !tls.verified { continue }
            // Only the client's own session logs in (the twin never gets the secret).
            if index == 0, target.user != nil, !session.authenticated { continue }
            let tls: TLSMode
            switch session.mode {
            case .implicit: tls = .implicit
            case .startTLS, .opportunistic: tls = session.tls == nil ? .none : .starttls
            case .plain: tls = .none
            }
            let offered = session.tls == nil ? session.authOfferedBeforeTLS : session.authOfferedAfterTLS
            let best = ["PLAIN", "LOGIN", "CRAM-MD5"].first { offered.map { $0.uppercased() }.contains($0) } ?? offered.first
            let mechanism = session.authenticated ? session.authMechanism?.rawValue : best
            return WorkingSettings(host: target.host, port: session.port, tls: tls, authMechanism: mechanism,
                                   authVerified: session.authenticated, user: target.user)
        }
        return nil
    }

    /// How mail clients label the TLS mode.
    public var securityLabel: String {
        switch tls {
        case .implicit: return "SSL/TLS (implicit TLS)"
        case .starttls: return "STARTTLS"
        case .none, .auto: return "None (no encryption)"
        }
    }

    /// The block for a mail client's account settings.
    public var clientBlock: [String] {
        var auth = authMechanism.map { "\($0)" + (authVerified ? " (logged in with it in this run)" : " (offered; the login was not tried)") }
            ?? "none offered"
        if authMechanism == "PLAIN" || authMechanism == "LOGIN" { auth = "Normal password, " + auth }
        return [
            "Outgoing (SMTP) server: \(host)",
            "Port:                   \(port)",
            "Connection security:    \(securityLabel)",
            "Authentication:         \(auth)",
            "User name:              \(user ?? "your account's login (often the full address)")",
            "Password:               yours (never shown or saved here)",
        ]
    }

    /// The same as shell variables, every value quoted.
    public var scriptBlock: [String] {
        var lines = [
            "SMTP_HOST=\(Reproduce.quote(host))",
            "SMTP_PORT=\(port)",
            "SMTP_SECURITY=\(tls.rawValue)",
        ]
        if let authMechanism { lines.append("SMTP_AUTH=\(Reproduce.quote(authMechanism))") }
        if let user { lines.append("SMTP_USER=\(Reproduce.quote(user))") }
        lines.append("# SMTP_PASSWORD: fill in yourself")
        return lines
    }
}
