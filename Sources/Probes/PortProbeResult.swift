/// What a TCP connection attempt found.
public enum PortState: String, Sendable, Codable, Hashable {
    /// The three-way handshake completed.
    case open
    /// The host answered with a reset: it is up, nothing listens there.
    case refused
    /// Nothing came back before the deadline: a firewall drops the SYN, or the host is down.
    case filtered
    /// An ICMP error or the local stack said the address cannot be reached.
    case unreachable

    /// The host (or a firewall in its name) sent something back.
    public var answered: Bool { self == .open || self == .refused }
}

/// An ICMP error read from the socket's error queue.
public struct ICMPReport: Sendable, Codable, Hashable {
    public var version: Int
    public var type: Int
    public var code: Int
    public var from: String

    /// Destination unreachable because a filter said no (ICMP 3/9, 3/10, 3/13; ICMPv6 1/1).
    public var isAdministrativelyProhibited: Bool {
        version == 4 ? (type == 3 && [9, 10, 13].contains(code)) : (type == 1 && code == 1)
    }

    public var meaning: String {
        if version == 4 && type == 3 {
            switch code {
            case 0: return "network unreachable"
            case 1: return "host unreachable"
            case 3: return "port unreachable"
            case 9, 10: return "network or host administratively prohibited"
            case 13: return "communication administratively prohibited (a firewall rejected it)"
            default: return "destination unreachable (code \(code))"
            }
        }
        if version == 6 && type == 1 {
            switch code {
            case 0: return "no route to destination"
            case 1: return "communication administratively prohibited (a firewall rejected it)"
            case 3: return "address unreachable"
            case 4: return "port unreachable"
            case 5, 6: return "rejected by a source-address policy or reject route"
            default: return "destination unreachable (code \(code))"
            }
        }
        return "ICMP\(version == 6 ? "v6" : "") type \(type) code \(code)"
    }

    public var evidence: String {
        "ICMP\(version == 6 ? "v6" : "") \(type)/\(code) from \(from): \(meaning)"
    }
}

/// One connection attempt to one address and port.
public struct PortProbeResult: Sendable, Codable, Hashable {
    public var address: IPAddress
    public var port: Int
    public var state: PortState
    /// The errno the attempt ended with, by name (`ECONNREFUSED`), when it failed.
    public var errno: String?
    public var icmp: ICMPReport?
    public var elapsedMs: Int
    /// The local firewall refused to send (EPERM/EACCES at connect).
    public var blockedLocally: Bool

    public init(address: IPAddress, port: Int, state: PortState, errno: String? = nil,
                icmp: ICMPReport? = nil, elapsedMs: Int, blockedLocally: Bool = false) {
        self.address = address
        self.port = port
        self.state = state
        self.errno = errno
        self.icmp = icmp
        self.elapsedMs = elapsedMs
        self.blockedLocally = blockedLocally
    }

    /// The attempt was turned away by a filter, not by a missing host.
    public var prohibited: Bool { blockedLocally || (icmp?.isAdministrativelyProhibited ?? false) }

    public var evidenceLine: String {
        var line = "\(address.bracketed):\(port) "
        switch state {
        case .open: line += "open (connected in \(elapsedMs) ms)"
        case .refused: line += "refused (TCP reset after \(elapsedMs) ms)"
        case .filtered: line += "no answer within \(elapsedMs) ms (filtered or down)"
        case .unreachable:
            line += "unreachable after \(elapsedMs) ms"
            if blockedLocally { line += ", blocked by this machine's firewall" }
        }
        if let errno { line += " [\(errno)]" }
        if let icmp { line += "; \(icmp.evidence)" }
        return line
    }
}
