import Inet

/// The prefix of a directive (RFC 7208 4.6.2); `+` when absent.
public enum SPFQualifier: String, Sendable, Hashable, Codable {
    case pass = "+", fail = "-", softfail = "~", neutral = "?"

    /// What check_host() returns when a mechanism with this qualifier matches.
    public var result: SPFResult {
        switch self {
        case .pass: return .pass
        case .fail: return .fail
        case .softfail: return .softfail
        case .neutral: return .neutral
        }
    }
}

/// The prefix lengths of `a` and `mx` (RFC 7208 5.6 dual-cidr-length).
public struct SPFDualCIDR: Sendable, Hashable {
    public var ipv4: Int
    public var ipv6: Int

    public init(ipv4: Int = 32, ipv6: Int = 128) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    func prefixLength(for family: IPAddress.Family) -> Int {
        family == .ipv4 ? ipv4 : ipv6
    }
}

/// One mechanism (RFC 7208 section 5). A missing domain-spec means the current domain.
public enum SPFMechanism: Sendable, Hashable {
    case all
    case include(SPFMacroString)
    case a(SPFMacroString?, SPFDualCIDR)
    case mx(SPFMacroString?, SPFDualCIDR)
    case ptr(SPFMacroString?)
    case ip4(IPAddress, prefixLength: Int)
    case ip6(IPAddress, prefixLength: Int)
    case exists(SPFMacroString)

    /// Counts against the limit of 10 DNS-querying terms (RFC 7208 4.6.4).
    public var queriesDNS: Bool {
        switch self {
        case .include, .a, .mx, .ptr, .exists: return true
        case .all, .ip4, .ip6: return false
        }
    }

    /// The domain-spec, if the mechanism has one.
    public var domainSpec: SPFMacroString? {
        switch self {
        case .include(let spec), .exists(let spec): return spec
        case .a(let spec, _), .mx(let spec, _), .ptr(let spec): return spec
        case .all, .ip4, .ip6: return nil
        }
    }
}

/// A modifier (RFC 7208 section 6); unknown ones are kept but ignored.
public enum SPFModifier: Sendable, Hashable {
    case redirect(SPFMacroString)
    case explanation(SPFMacroString)
    case unknown(name: String, value: SPFMacroString)
}

/// One term of a record, with its text and where it starts.
public struct SPFTerm: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case directive(SPFQualifier, SPFMechanism)
        case modifier(SPFModifier)
    }

    public var kind: Kind
    /// The term as written.
    public var text: String
    /// 0-based offset of its first character in the record.
    public var position: Int
}
