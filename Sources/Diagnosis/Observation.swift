import Probes

/// What the resolution step saw for the target host.
public struct HostResolution: Sendable, Codable, Hashable {
    public var host: String
    /// The host was an address literal; nothing was looked up.
    public var literal: IPAddress?
    public var lookups: [DNSLookup]

    public init(host: String, literal: IPAddress? = nil, lookups: [DNSLookup] = []) {
        self.host = host
        self.literal = literal
        self.lookups = lookups
    }

    /// Every address found, IPv4 first, in the order the server gave them.
    public var addresses: [IPAddress] {
        if let literal { return [literal] }
        let all = lookups.flatMap(\.outcome.records).compactMap { record -> IPAddress? in
            if case .address(let ip, _) = record { return ip }
            return nil
        }
        var seen = Set<IPAddress>()
        return all.filter { seen.insert($0).inserted }.sorted { $0.family == .ipv4 && $1.family == .ipv6 }
    }
}

/// What the connection step saw: every port on every address, at once.
public struct PortScan: Sendable, Codable, Hashable {
    public var results: [PortProbeResult]
    public var deadlineMs: Int

    public init(results: [PortProbeResult], deadlineMs: Int) {
        self.results = results
        self.deadlineMs = deadlineMs
    }

    public func results(port: Int) -> [PortProbeResult] { results.filter { $0.port == port } }

    public func results(port: Int, family: IPAddress.Family) -> [PortProbeResult] {
        results.filter { $0.port == port && $0.address.family == family }
    }

    public func isOpen(port: Int) -> Bool { results(port: port).contains { $0.state == .open } }

    public var families: Set<IPAddress.Family> { Set(results.map(\.address.family)) }
}

/// What the SMTP step saw: the session in the mode the person uses, and one
/// in the opposite TLS mode on the same port, run at the same time, so a
/// silent port can be told from a port that wants TLS at once.
public struct SMTPCheck: Sendable, Codable, Hashable {
    public var primary: SMTPSessionObservation
    public var alternate: SMTPSessionObservation?

    public init(primary: SMTPSessionObservation, alternate: SMTPSessionObservation? = nil) {
        self.primary = primary
        self.alternate = alternate
    }
}

/// The SMTP conversation to hold.
public struct SMTPSessionRequest: Sendable, Hashable {
    public var address: IPAddress
    public var port: Int
    public var mode: SMTPTLSMode
    public var alternate: SMTPTLSMode?
    /// The host name the person gave: certificate names are checked against it.
    public var serverName: String
    public var deadlines: StageDeadlines
    /// Authenticate with the credentials the probe client holds (the state never holds a secret).
    public var authenticate: Bool = false
    public var envelope: SMTPEnvelope? = nil
}

/// A probe's observation, as it comes back to the reducer.
public enum Observation: Sendable, Codable, Hashable {
    case resolution(HostResolution)
    case portScan(PortScan)
    case smtp(SMTPCheck)
    case spf(SPFCheck)
    case dkim(DKIMCheck)
    case dmarc(DMARCCheck)
    case blocklists(BlocklistScan)
    case reverseDNS(ReverseDNSCheck)
    case mx(MXCheck)

    /// The kind of probe that produced this observation.
    public var kind: ProbeKind {
        switch self {
        case .resolution: return .dns
        case .portScan: return .tcpConnect
        case .smtp: return .smtp
        case .spf: return .spf
        case .dkim: return .dkim
        case .dmarc: return .dmarc
        case .blocklists: return .blocklists
        case .reverseDNS: return .reverseDNS
        case .mx: return .mx
        }
    }
}

/// What the runtime is asked to probe.
public enum ProbeRequest: Sendable, Hashable {
    /// Look up A and AAAA (as the family preference allows) for a host name.
    case resolveHost(String, family: FamilyPreference)
    /// Try every port on every address at once, under one deadline.
    case scanPorts(addresses: [IPAddress], ports: [Int], timeoutSeconds: Double)
    /// Hold an SMTP conversation (and its opposite-TLS twin) with one address.
    case smtpSession(SMTPSessionRequest)
    /// Evaluate the domain's SPF tree, and check_host() for the sending address.
    case spf(domain: String, sendingIP: IPAddress?, sender: String, helo: String?)
    /// Fetch the DKIM keys of these selectors (the common ones when none is named).
    case dkim(domain: String, selectors: [String])
    /// Discover the domain's DMARC record (organisational-domain fallback).
    case dmarc(domain: String)
    /// Ask every blocklist zone (empty: the default list) about the address, at once.
    case blocklists(address: IPAddress, zones: [String])
    /// PTR of the address, its forward confirmation, and the HELO name.
    case reverseDNS(address: IPAddress, helo: String?)
    /// MX records of the sender's domain.
    case mx(domain: String)

    /// Which probe this is, for the report.
    public var probeName: String { kind.rawValue }
}

/// Which observation a tree node needs before it can judge.
public enum ProbeKind: String, Sendable, Codable {
    case dns
    case tcpConnect = "tcp-connect"
    case smtp
    case spf
    case dkim
    case dmarc
    case blocklists
    case reverseDNS = "reverse-dns"
    case mx
}
