import Inet

/// What one DNS lookup gave, as the mail-authentication checks need it.
/// RFC 7208 4.6.4 and 11.1 count NXDOMAIN and "no records" alike as void
/// lookups, but evidence keeps them apart.
public enum DNSAnswer<Value: Sendable & Hashable>: Sendable, Hashable {
    /// At least one record of the asked type.
    case records([Value])
    /// NOERROR, but no record of this type (the name exists).
    case noRecords
    /// The name does not exist.
    case nxdomain
    /// A timeout, SERVFAIL, REFUSED, an unreachable server or a malformed
    /// answer: SPF's temperror, a finding about DNS rather than the domain.
    case failure(String)

    public var values: [Value] {
        if case .records(let values) = self { return values }
        return []
    }

    /// NXDOMAIN or no records: a "void lookup" in RFC 7208's terms.
    public var isVoid: Bool {
        switch self {
        case .noRecords, .nxdomain: return true
        default: return false
        }
    }

    public func map<Other>(_ transform: (Value) -> Other) -> DNSAnswer<Other> {
        switch self {
        case .records(let values): return .records(values.map(transform))
        case .noRecords: return .noRecords
        case .nxdomain: return .nxdomain
        case .failure(let why): return .failure(why)
        }
    }
}

/// One MX record.
public struct MXRecord: Sendable, Hashable, Codable {
    public var preference: Int
    public var exchange: String

    public init(preference: Int, exchange: String) {
        self.preference = preference
        self.exchange = exchange
    }
}

/// The lookups SPF, DKIM, DMARC, reverse DNS and blocklists need. The live
/// implementation asks a real server through c-ares; tests serve zones from
/// memory (the RFC 7208 suite is written for exactly that).
///
/// Names are passed without a trailing dot. Implementations follow CNAMEs.
public protocol MailDNS: Sendable {
    /// TXT records, each one's character-strings joined without separators
    /// (RFC 7208 3.3, RFC 6376 3.6.2.2).
    func txt(_ name: String) async -> DNSAnswer<String>
    /// A records (`.ipv4`) or AAAA records (`.ipv6`).
    func addresses(_ name: String, family: IPAddress.Family) async -> DNSAnswer<IPAddress>
    func mx(_ name: String) async -> DNSAnswer<MXRecord>
    /// PTR names of an address (the reverse name is built by the implementation).
    func ptr(_ address: IPAddress) async -> DNSAnswer<String>
}
