/// What looking for a domain's DMARC record found (RFC 7489 6.6.3).
public enum DMARCDiscovery: Sendable, Hashable, Codable {
    /// One valid record, at `name` (`_dmarc.<domain>`); `organizationalFallback`
    /// when it came from the organizational domain rather than the domain.
    case found(record: DMARCRecord, name: String, organizationalFallback: Bool)
    /// No DMARC record at any name asked; `checked` lists them.
    case missing(checked: [String])
    /// More than one `v=DMARC1` record at one name: RFC 7489 6.6.3 says none
    /// of them applies, so the domain has no working policy.
    case multiple(name: String, count: Int)
    /// One record, but it does not parse.
    case invalid(name: String, raw: String, error: DMARCParseError)
    /// The DNS could not say (timeout, SERVFAIL...): nothing is known.
    case dnsFailure(name: String, reason: String)
}
