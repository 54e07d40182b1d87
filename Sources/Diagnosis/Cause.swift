/// The stable vocabulary of causes (DESIGN.md). Every finding names one; the
/// JSON report uses the raw values. Add a case when a real fault needs one;
/// never rename one.
public enum Cause: String, Sendable, Codable, CaseIterable {
    case hostNXDomain = "host-nxdomain"
    case hostNoAddress = "host-no-address"
    case dnsFailure = "dns-failure"
    case portClosed = "port-closed"
    case portFiltered = "port-filtered"
    case hostUnreachable = "host-unreachable"
    case networkBlocksSMTP = "network-blocks-smtp"
    case ipv6Broken = "ipv6-broken"
    case bannerTimeout = "banner-timeout"
    case slowBanner = "slow-banner"
    case serverBusy = "server-busy"
    case serviceRefused = "service-refused"
    case tlsModeMismatchImplicit = "tls-mode-mismatch-implicit"
    case tlsModeMismatchPlain = "tls-mode-mismatch-plain"
    case startTLSNotOffered = "starttls-not-offered"
    case tlsHandshakeFailed = "tls-handshake-failed"
    case certExpired = "cert-expired"
    case certNotYetValid = "cert-not-yet-valid"
    case certHostnameMismatch = "cert-hostname-mismatch"
    case certUntrusted = "cert-untrusted"
    case authNotOffered = "auth-not-offered"
    case authRequiresTLS = "auth-requires-tls"
    case authMechanismUnsupported = "auth-mechanism-unsupported"
    case authBadCredentials = "auth-bad-credentials"
    case authAppPasswordRequired = "auth-app-password-required"
    case authDisabledByProvider = "auth-disabled-by-provider"
    case authTemporaryFailure = "auth-temporary-failure"
    case plaintextAuthRefused = "plaintext-auth-refused"
    case relayDenied = "relay-denied"
    case spfMissing = "spf-missing"
    case spfMultipleRecords = "spf-multiple-records"
    case spfSyntaxError = "spf-syntax-error"
    case spfTooManyLookups = "spf-too-many-lookups"
    case spfVoidLookups = "spf-void-lookups"
    case spfIPNotAuthorized = "spf-ip-not-authorized"
    case dkimKeyMissing = "dkim-key-missing"
    case dkimKeyInvalid = "dkim-key-invalid"
    case dkimSignatureInvalid = "dkim-signature-invalid"
    /// A saved message carries no DKIM signature at all.
    case dkimSignatureMissing = "dkim-signature-missing"
    case dmarcMissing = "dmarc-missing"
    case dmarcInvalid = "dmarc-invalid"
    case dmarcPolicyNone = "dmarc-policy-none"
    /// Neither a passing DKIM signature nor SPF is aligned with the From domain: DMARC fails.
    case dmarcNotAligned = "dmarc-not-aligned"
    /// From missing or repeated, Message-ID or Date missing.
    case messageHeadersInvalid = "message-headers-invalid"
    /// Bulk mail without RFC 8058 one-click unsubscribe (or the header not signed).
    case oneClickUnsubscribeMissing = "one-click-unsubscribe-missing"
    /// The file is not a message that can be checked.
    case messageUnreadable = "message-unreadable"
    case ipBlocklisted = "ip-blocklisted"
    case ptrMissing = "ptr-missing"
    case fcrdnsMismatch = "fcrdns-mismatch"
    case mxMissing = "mx-missing"
    /// The server broke the SMTP protocol (undecodable reply, wrong code for
    /// the stage, a line or reply beyond every sane limit, hung up mid-dialogue).
    case smtpProtocolError = "smtp-protocol-error"
    /// Plain text arrived after the STARTTLS 220, before TLS began (CVE-2011-0411 class).
    case startTLSPlaintextInjection = "starttls-plaintext-injection"
    case healthy
}

/// How bad a finding is.
public enum Severity: String, Sendable, Codable {
    case error
    case warning
}

/// One diagnosed fact: a cause, what it means here, the evidence behind it and what to do.
public struct Finding: Sendable, Codable, Hashable {
    public var cause: Cause
    public var severity: Severity
    public var summary: String
    public var evidence: [String]
    public var remediation: [String]

    public init(cause: Cause, severity: Severity = .error, summary: String, evidence: [String], remediation: [String]) {
        self.cause = cause
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
        self.remediation = remediation
    }
}
