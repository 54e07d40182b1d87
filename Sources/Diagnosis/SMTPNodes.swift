import Probes

/// The hypotheses tested by one SMTP conversation (and its opposite-TLS
/// twin): shared by every family whose connection gets that far.
public enum SMTPNodes {
    /// Greeting faults, conversation faults, then TLS and certificate faults.
    public static let all: [TreeNode] = [greeting, rejected, slow, protocolFault, startTLS, handshake, certificate]

    static let greeting = TreeNode(
        id: "greeting",
        hypothesis: "The server accepts the connection but never greets",
        why: "A mail server speaks first (a 220 greeting). Silence means a wrong TLS mode, a tarpit, or a stuck server.",
        probe: .smtp, judge: judgeGreeting)

    static let rejected = TreeNode(
        id: "rejected",
        hypothesis: "The server turns the connection away at the greeting",
        why: "A 421 means busy or rate-limited for now; a 554 means this client is not welcome at all.",
        probe: .smtp, judge: judgeRejected)

    static let slow = TreeNode(
        id: "slow",
        hypothesis: "The greeting arrives, but late",
        why: "Many clients give up after a few seconds although RFC 5321 allows five minutes.",
        probe: .smtp, judge: judgeSlow)

    static let protocolFault = TreeNode(
        id: "protocol",
        hypothesis: "The server breaks the SMTP conversation",
        why: "Garbage, impossible replies or a hang-up mid-dialogue make every client fail, whatever its settings.",
        probe: .smtp, judge: judgeProtocol)

    static let startTLS = TreeNode(
        id: "starttls",
        hypothesis: "The server does not offer STARTTLS",
        why: "Without STARTTLS a client that insists on encryption stops, and one that does not sends everything in clear.",
        probe: .smtp, judge: judgeStartTLS)

    static let handshake = TreeNode(
        id: "tls",
        hypothesis: "The TLS handshake fails or stalls",
        why: "A handshake that breaks or never finishes looks like a timeout or a vague TLS error in the client.",
        probe: .smtp, judge: judgeHandshake)

    static let certificate = TreeNode(
        id: "certificate",
        hypothesis: "The server's certificate would not be trusted",
        why: "Clients that verify certificates (most do) refuse an expired, misnamed or untrusted one.",
        probe: .smtp, judge: judgeCertificate)

    // MARK: helpers shared by the judges

    static func transcript(_ session: SMTPSessionObservation) -> [String] {
        session.transcript.map(\.rendered)
    }

    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms / 1000).\((ms % 1000) / 100) s"
    }

    static func confirmed(_ cause: Cause, severity: Severity = .error, evidence: [String], summary: String, remediation: [String], stop: Bool = true) -> Judgement {
        Judgement(.confirmed, evidence: evidence,
                  finding: Finding(cause: cause, severity: severity, summary: summary, evidence: evidence, remediation: remediation),
                  next: stop ? .stop : .following)
    }

    /// The session is usable for this hypothesis only if it got past the TCP connect.
    static func session(_ facts: Facts) -> SMTPSessionObservation? {
        guard let primary = facts.smtp?.primary else { return nil }
        if case .connectFailed = primary.end { return nil }
        return primary
    }

    static func notReached(_ facts: Facts) -> Judgement {
        let detail: String
        if let primary = facts.smtp?.primary, case .connectFailed(let why) = primary.end {
            detail = "The SMTP connection to \(primary.address.bracketed):\(primary.port) failed (\(why)), so this was not tested."
        } else {
            detail = "No SMTP conversation was held."
        }
        return Judgement(.inconclusive, evidence: [detail])
    }
}
