import Probes

/// The "connection times out or hangs" family: slow or failing DNS, SYN
/// unanswered, no greeting (a silent port or one that wants TLS at once), a
/// slow greeting, a stalled TLS handshake, a broken IPv6 path. The port scan
/// and the SMTP conversations start together once the name resolves.
public enum TimeoutFamily {
    public static let tree = TroubleshootingTree(
        symptom: .timeout,
        nodes: [RefusedFamily.resolves, RefusedFamily.reachable, RefusedFamily.portClosed, RefusedFamily.smtpBlocked,
                RefusedFamily.portFiltered, RefusedFamily.ipv6] + SMTPNodes.all,
        healthy: healthy
    )

    static func healthy(_ facts: Facts) -> Finding {
        let s = facts.smtp?.primary
        let greeting = s?.greetingDelayMs.map { "greeted after \($0) ms" } ?? "answered"
        let tls = s?.tls.map { t in t.version.map { ", TLS \($0)" } ?? ", TLS" } ?? ""
        return Finding(cause: .healthy, severity: .warning,
            summary: "\(facts.target.host) port \(facts.target.port) \(greeting)\(tls); nothing here makes a client wait or hang.",
            evidence: s.map(SMTPNodes.transcript) ?? [],
            remediation: [
                "If the mail program still times out, compare its host, port and TLS setting with these, and look for a proxy or antivirus that intercepts mail traffic.",
                "Use port \(facts.target.port) with \(PortAdvice.tlsPhrase(facts.target.port)).",
            ])
    }
}
