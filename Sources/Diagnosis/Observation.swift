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

/// A probe's observation, as it comes back to the reducer.
public enum Observation: Sendable, Codable, Hashable {
    case resolution(HostResolution)
    case portScan(PortScan)
}

/// What the runtime is asked to probe.
public enum ProbeRequest: Sendable, Hashable {
    /// Look up A and AAAA (as the family preference allows) for a host name.
    case resolveHost(String, family: FamilyPreference)
    /// Try every port on every address at once, under one deadline.
    case scanPorts(addresses: [IPAddress], ports: [Int], timeoutSeconds: Double)

    /// Which probe this is, for the report.
    public var probeName: String {
        switch self {
        case .resolveHost: return "dns"
        case .scanPorts: return "tcp-connect"
        }
    }
}

/// Which observation a tree node needs before it can judge.
public enum ProbeKind: String, Sendable, Codable {
    case dns
    case tcpConnect = "tcp-connect"
}
