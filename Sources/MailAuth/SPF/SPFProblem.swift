/// Why an SPF check ended the way it did, when the reason is a finding about
/// the published records or DNS rather than an ordinary match.
public enum SPFProblem: Sendable, Hashable, Codable {
    /// No SPF record at the domain (result none).
    case noRecord(domain: String)
    /// More than one `v=spf1` record (RFC 7208 4.5: permerror).
    case multipleRecords(domain: String, count: Int)
    /// The record does not follow the grammar (RFC 7208 4.6: permerror).
    case syntax(domain: String, record: String, error: SPFSyntaxError)
    /// More than 10 DNS-querying terms (RFC 7208 4.6.4: permerror).
    case tooManyLookups(count: Int)
    /// More than 2 lookups that found nothing (RFC 7208 4.6.4: permerror).
    case tooManyVoidLookups(count: Int)
    /// An `include:` (or `redirect=`) target publishes no SPF record (RFC 7208 5.2, 6.1: permerror).
    case includeWithoutRecord(domain: String)
    /// An include/redirect chain comes back to a domain already being evaluated (permerror).
    case loop(domain: String)
    /// A domain that cannot be queried: none for the checked identity (RFC 7208 4.3),
    /// permerror for an include/redirect target.
    case invalidDomain(String)
    /// A DNS lookup timed out or failed (temperror).
    case dnsFailure(name: String, reason: String)
    /// An `mx` target with more than 10 MX records (RFC 7208 4.6.4: permerror).
    case tooManyMXRecords(domain: String, count: Int)

    /// One sentence for a support agent.
    public var summary: String {
        switch self {
        case .noRecord(let domain):
            return "\(domain) publishes no SPF record."
        case .multipleRecords(let domain, let count):
            return "\(domain) publishes \(count) SPF records; exactly one is allowed."
        case .syntax(let domain, _, let error):
            return "The SPF record of \(domain) is invalid at character \(error.position + 1) (\(error.term)): \(error.message)."
        case .tooManyLookups(let count):
            return "The SPF check needs \(count) DNS-querying terms; the limit is 10."
        case .tooManyVoidLookups(let count):
            return "\(count) SPF lookups found nothing; the limit is 2."
        case .includeWithoutRecord(let domain):
            return "\(domain) is included (or redirected to) but publishes no SPF record."
        case .loop(let domain):
            return "The SPF include/redirect chain loops back to \(domain)."
        case .invalidDomain(let domain):
            return "\"\(domain)\" is not a domain name SPF can check."
        case .dnsFailure(let name, let reason):
            return "DNS lookup for \(name) failed: \(reason)."
        case .tooManyMXRecords(let domain, let count):
            return "\(domain) has \(count) MX records; an SPF mx term allows at most 10."
        }
    }
}
