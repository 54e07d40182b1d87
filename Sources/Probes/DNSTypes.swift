/// The record types smtp-doctor asks for.
public enum DNSRecordType: String, Sendable, Codable, CaseIterable {
    case a = "A"
    case aaaa = "AAAA"
    case mx = "MX"
    case txt = "TXT"
    case ptr = "PTR"

    var wireValue: Int32 {
        switch self {
        case .a: return 1
        case .aaaa: return 28
        case .mx: return 15
        case .txt: return 16
        case .ptr: return 12
        }
    }
}

/// One record of an answer, typed.
public enum DNSRecord: Hashable, Sendable, Codable, CustomStringConvertible {
    case address(IPAddress, ttl: Int)
    case mx(preference: Int, exchange: String)
    /// One TXT record; `strings` are its character-strings in order (RFC 7208 3.3 joins them).
    case txt(strings: [String])
    case ptr(String)

    public var description: String {
        switch self {
        case .address(let ip, let ttl): return "\(ip.family == .ipv4 ? "A" : "AAAA") \(ip) (ttl \(ttl))"
        case .mx(let pref, let host): return "MX \(pref) \(host)"
        case .txt(let strings): return "TXT " + strings.map { "\"\($0)\"" }.joined(separator: " ")
        case .ptr(let name): return "PTR \(name)"
        }
    }
}

/// How a lookup ended. NXDOMAIN, "no data", SERVFAIL and a timeout are told apart
/// because each points at a different fault.
public enum DNSOutcome: Hashable, Sendable, Codable {
    case answer([DNSRecord], canonicalName: String?)
    /// NOERROR with no record of the asked type (the name exists).
    case noData
    /// The name does not exist (RCODE 3).
    case nxdomain
    case serverFailure
    case refused
    /// No answer before the deadline.
    case timeout
    /// The server could not be reached (ICMP port unreachable, connection refused).
    case serverUnreachable
    /// Only a CNAME to this name came back; `Resolver.lookup` asks again
    /// there, so callers see it only when the chain is too long.
    case cname(String)
    /// The answer could not be parsed.
    case malformed(String)
    /// Anything else c-ares reported.
    case failure(String)

    /// A short phrase for evidence lines.
    public var summary: String {
        switch self {
        case .answer(let records, let cname):
            let names = records.map(\.description).joined(separator: ", ")
            if let cname { return "\(names) via CNAME \(cname)" }
            return names
        case .noData: return "no records of this type (NOERROR, empty answer)"
        case .nxdomain: return "NXDOMAIN: the name does not exist"
        case .serverFailure: return "SERVFAIL: the server could not answer"
        case .refused: return "REFUSED: the server declined to answer"
        case .timeout: return "no answer before the deadline"
        case .serverUnreachable: return "the DNS server could not be reached"
        case .cname(let target): return "CNAME to \(target), not followed further"
        case .malformed(let why): return "malformed answer: \(why)"
        case .failure(let why): return "lookup failed: \(why)"
        }
    }

    /// True for outcomes that say nothing about the name, only about DNS itself.
    public var isResolverFailure: Bool {
        switch self {
        case .answer, .noData, .nxdomain: return false
        default: return true
        }
    }

    public var records: [DNSRecord] {
        if case .answer(let records, _) = self { return records }
        return []
    }
}

/// One lookup as evidence: what was asked, of whom, what came back, how long it took.
public struct DNSLookup: Hashable, Sendable, Codable {
    public var name: String
    public var type: DNSRecordType
    public var server: String
    public var outcome: DNSOutcome
    public var elapsedMs: Int

    public init(name: String, type: DNSRecordType, server: String, outcome: DNSOutcome, elapsedMs: Int) {
        self.name = name
        self.type = type
        self.server = server
        self.outcome = outcome
        self.elapsedMs = elapsedMs
    }

    public var evidenceLine: String {
        "\(type.rawValue) \(name) @\(server): \(outcome.summary) [\(elapsedMs) ms]"
    }
}
