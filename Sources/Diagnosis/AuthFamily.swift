import Probes

/// The "authentication fails" family: everything up to a working TLS
/// session, then AUTH itself (offered where, which mechanisms, the reply
/// decoded), then MAIL FROM / RCPT TO when given (relay). QUIT before DATA.
public enum AuthFamily {
    public static let tree = TroubleshootingTree(
        symptom: .auth,
        nodes: TimeoutFamily.tree.nodes + [offered, result, relay],
        healthy: healthy
    )

    static let offered = TreeNode(
        id: "auth-offered",
        hypothesis: "AUTH is not available where the client tries it",
        why: "Servers offer AUTH only on submission ports, and usually only after STARTTLS.",
        probe: .smtp, judge: { withProvider(judgeOffered($0), $0) })

    static let result = TreeNode(
        id: "auth-result",
        hypothesis: "The server rejects the credentials",
        why: "The reply code and enhanced status say why: wrong password, app password needed, AUTH disabled, or a temporary fault.",
        probe: .smtp, judge: { withProvider(judgeResult($0), $0) })

    static let relay = TreeNode(
        id: "relay",
        hypothesis: "The server refuses to relay for this sender or recipient",
        why: "Even after AUTH, a server may refuse the sender address or to relay to the recipient.",
        probe: .smtp, judge: { withProvider(judgeRelay($0), $0) })

    static func healthy(_ facts: Facts) -> Finding {
        let s = facts.smtp?.primary
        let how = s?.authMechanism.map { "authenticated with \($0.rawValue)" } ?? "answered"
        return Finding(cause: .healthy, severity: .warning,
            summary: "\(facts.target.host) port \(facts.target.port) \(how)\(facts.target.user.map { " as \($0)" } ?? ""); the credentials work from here.",
            evidence: s.map(SMTPNodes.transcript) ?? [],
            remediation: [
                "Use these settings in the mail program: host \(facts.target.host), port \(facts.target.port), \(PortAdvice.tlsPhrase(facts.target.port)), user name \(facts.target.user ?? "-").",
                "If it still fails there, the password saved in the mail program differs from the one tested here.",
            ])
    }
}
