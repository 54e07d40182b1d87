/// What one selector's key record (`<selector>._domainkey.<domain>`) turned out
/// to be.
public struct DKIMSelectorResult: Sendable, Hashable, Codable {
    public var selector: String
    /// The name asked, `selector._domainkey.domain`.
    public var name: String
    public var outcome: Outcome

    public enum Outcome: Sendable, Hashable, Codable {
        case found(DKIMKeyRecord)
        /// NXDOMAIN or no TXT record: no key under this selector.
        case missing
        /// TXT records exist but none is a usable key; `raw` is the first.
        case invalid(raw: String, error: DKIMKeyError)
        case dnsFailure(String)
    }

    public init(selector: String, name: String, outcome: Outcome) {
        self.selector = selector
        self.name = name
        self.outcome = outcome
    }
}
