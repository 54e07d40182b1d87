/// One problem a saved message shows, named with the project's cause
/// vocabulary (DESIGN.md "Contract: causes"; `Diagnosis.Cause` has the same
/// raw values). MailAuth sits below Diagnosis, so the names are repeated
/// here rather than imported.
public struct MessageFinding: Sendable, Hashable, Codable {
    public enum Cause: String, Sendable, Hashable, Codable, CaseIterable {
        case dkimSignatureInvalid = "dkim-signature-invalid"
        case dkimKeyMissing = "dkim-key-missing"
        case dkimKeyInvalid = "dkim-key-invalid"
        case dmarcMissing = "dmarc-missing"
        case dmarcInvalid = "dmarc-invalid"
        case dmarcPolicyNone = "dmarc-policy-none"
        case dnsFailure = "dns-failure"
        // Proposed additions to the vocabulary (not yet in Diagnosis.Cause):
        /// The message carries no DKIM signature at all.
        case dkimSignatureMissing = "dkim-signature-missing"
        /// Neither a passing DKIM signature nor SPF is aligned with From: DMARC fails.
        case dmarcNotAligned = "dmarc-not-aligned"
        /// From missing or repeated, Message-ID or Date missing.
        case messageHeadersInvalid = "message-headers-invalid"
        /// Bulk mail without RFC 8058 one-click unsubscribe (or not DKIM-signed).
        case oneClickUnsubscribeMissing = "one-click-unsubscribe-missing"
        /// The file is not a message that can be checked (too large, no header fields).
        case messageUnreadable = "message-unreadable"
    }

    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var cause: Cause
    public var severity: Severity
    public var summary: String
    public var evidence: [String]

    public init(cause: Cause, severity: Severity = .error, summary: String, evidence: [String]) {
        self.cause = cause
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
    }
}
