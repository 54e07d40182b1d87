/// A DMARC policy record, the TXT record at `_dmarc.<domain>` (RFC 7489 6.3).
/// Tags left out hold their defaults.
public struct DMARCRecord: Sendable, Hashable, Codable {
    public var raw: String
    /// `p=`. A record without one (allowed by RFC 9989, and by RFC 7489 6.6.3
    /// when `rua=` is valid) reads as none.
    public var policy: DMARCPolicy
    /// `sp=`: for subdomains; nil means `p=` applies.
    public var subdomainPolicy: DMARCPolicy?
    /// `np=` (RFC 9091, DMARCbis): for subdomains that do not exist in DNS;
    /// nil means `sp=` (or `p=`) applies.
    public var nonexistentSubdomainPolicy: DMARCPolicy?
    /// `adkim=`
    public var dkimAlignment: DMARCAlignmentMode
    /// `aspf=`
    public var spfAlignment: DMARCAlignmentMode
    /// `pct=`: share of failing mail the policy is applied to (RFC 7489 only).
    public var percent: Int
    /// `rua=` URIs, as written (a `!size` suffix included).
    public var aggregateReports: [String]
    /// `ruf=` URIs, as written.
    public var failureReports: [String]
    /// `fo=`, lower-cased: "0", "1", "d", "s".
    public var failureOptions: [String]
    /// `rf=`, lower-cased (RFC 7489 only).
    public var reportFormat: [String]
    /// `ri=` seconds between aggregate reports (RFC 7489 only).
    public var reportInterval: Int
    /// `t=y` (DMARCbis): the owner is testing; receivers apply one step milder.
    public var testing: Bool
    /// `psd=` (DMARCbis): true for y, false for n, nil for u or absent.
    public var publicSuffixDomain: Bool?
    /// Valid, but worth saying.
    public var warnings: [String]

    public static let defaultReportInterval = 86_400

    public init(
        raw: String, policy: DMARCPolicy, subdomainPolicy: DMARCPolicy? = nil,
        nonexistentSubdomainPolicy: DMARCPolicy? = nil, dkimAlignment: DMARCAlignmentMode = .relaxed,
        spfAlignment: DMARCAlignmentMode = .relaxed, percent: Int = 100, aggregateReports: [String] = [],
        failureReports: [String] = [], failureOptions: [String] = ["0"], reportFormat: [String] = ["afrf"],
        reportInterval: Int = DMARCRecord.defaultReportInterval, testing: Bool = false,
        publicSuffixDomain: Bool? = nil, warnings: [String] = []
    ) {
        self.raw = raw
        self.policy = policy
        self.subdomainPolicy = subdomainPolicy
        self.nonexistentSubdomainPolicy = nonexistentSubdomainPolicy
        self.dkimAlignment = dkimAlignment
        self.spfAlignment = spfAlignment
        self.percent = percent
        self.aggregateReports = aggregateReports
        self.failureReports = failureReports
        self.failureOptions = failureOptions
        self.reportFormat = reportFormat
        self.reportInterval = reportInterval
        self.testing = testing
        self.publicSuffixDomain = publicSuffixDomain
        self.warnings = warnings
    }

    /// The policy for mail from a subdomain of the domain that published
    /// the record (RFC 7489 6.6.3; `np=` for names that do not exist).
    public func policy(forSubdomainThatExists exists: Bool = true) -> DMARCPolicy {
        if !exists, let np = nonexistentSubdomainPolicy { return np }
        return subdomainPolicy ?? policy
    }

    /// Reads `text`. Bad values of known tags are errors rather than being
    /// quietly replaced by defaults as RFC 7489 6.6.3 lets receivers do: the
    /// owner did not get what they wrote, which is the finding.
    public static func parse(_ text: String, rules: DMARCRules = .rfc7489) -> Result<DMARCRecord, DMARCParseError> {
        DMARCRecordParser(text: text, rules: rules).run()
    }
}
