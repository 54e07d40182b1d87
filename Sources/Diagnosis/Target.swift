import Probes

/// The symptom a person starts from: one family of the troubleshooting tree.
public enum Symptom: String, Sendable, Codable, CaseIterable {
    case refused
    case auth
    case timeout
    case spam
    case explain

    public var title: String {
        switch self {
        case .refused: return "Connection refused or cannot connect"
        case .auth: return "Authentication fails"
        case .timeout: return "Connection times out or hangs"
        case .spam: return "Mail goes to spam or is not delivered"
        case .explain: return "Explain an error message or bounce"
        }
    }

    /// Families whose tree is built in this version.
    public var isBuilt: Bool { self != .explain }
}

/// How the client should start TLS.
public enum TLSMode: String, Sendable, Codable, CaseIterable {
    case auto
    case starttls
    case implicit
    case none
}

/// Which address families to try.
public enum FamilyPreference: String, Sendable, Codable {
    case any
    case ipv4Only = "ipv4"
    case ipv6Only = "ipv6"

    public func allows(_ family: IPAddress.Family) -> Bool {
        switch self {
        case .any: return true
        case .ipv4Only: return family == .ipv4
        case .ipv6Only: return family == .ipv6
        }
    }
}

/// What to diagnose: the server, port and settings the person uses.
public struct Target: Sendable, Codable, Hashable {
    public var host: String
    public var port: Int
    public var tls: TLSMode
    public var controlPort: Int
    public var family: FamilyPreference
    /// Deadline for each stage (a lookup, a connection attempt), in seconds.
    public var timeoutSeconds: Double
    /// The user name to authenticate as (the secret stays with the probe client, never in the state).
    public var user: String?
    /// The envelope to try after AUTH (MAIL FROM, RCPT TO); QUIT before DATA.
    public var mailFrom: String?
    public var rcptTo: String?

    /// The sender's domain (spam family): SPF, DKIM, DMARC and MX are checked for it.
    public var domain: String?
    /// The address the mail leaves from (spam family): SPF authorisation, blocklists, reverse DNS.
    public var sendingIP: IPAddress?
    /// DKIM selectors to look up; empty means the common ones.
    public var dkimSelectors: [String] = []
    /// Blocklist zones to ask; empty means the default list.
    public var dnsblZones: [String] = []
    /// The HELO/EHLO name the sending server uses (checked against reverse DNS and SPF's HELO identity).
    public var heloName: String?

    /// Per-stage deadlines when they differ from `timeoutSeconds` (connect, greeting, each command, TLS handshake).
    public var stageOverrides: StageOverrides = StageOverrides()

    public struct StageOverrides: Sendable, Codable, Hashable {
        public var connect: Double?
        public var greeting: Double?
        public var command: Double?
        public var tlsHandshake: Double?
        public init(connect: Double? = nil, greeting: Double? = nil, command: Double? = nil, tlsHandshake: Double? = nil) {
            self.connect = connect
            self.greeting = greeting
            self.command = command
            self.tlsHandshake = tlsHandshake
        }
    }

    /// Each stage's deadline: its own when given, else `timeoutSeconds`.
    public var deadlines: StageDeadlines {
        func ms(_ value: Double?) -> Int { Int((value ?? timeoutSeconds) * 1000) }
        return StageDeadlines(connectMs: ms(stageOverrides.connect), greetingMs: ms(stageOverrides.greeting),
                              commandMs: ms(stageOverrides.command), tlsHandshakeMs: ms(stageOverrides.tlsHandshake))
    }

    /// The TLS mode the SMTP session uses: `auto` means implicit on 465, STARTTLS when offered elsewhere.
    public var smtpMode: SMTPTLSMode {
        switch tls {
        case .auto: return port == 465 ? .implicit : .opportunistic
        case .starttls: return .startTLS
        case .implicit: return .implicit
        case .none: return .plain
        }
    }

    public init(host: String, port: Int = 587, tls: TLSMode = .auto, controlPort: Int = 443,
                family: FamilyPreference = .any, timeoutSeconds: Double = 5) {
        self.host = host
        self.port = port
        self.tls = tls
        self.controlPort = controlPort
        self.family = family
        self.timeoutSeconds = timeoutSeconds
    }

    /// The SMTP ports tried beside the requested one (RFC 5321 25, RFC 8314 465, RFC 6409 587, and 2525).
    public static let smtpPorts = [25, 465, 587, 2525]

    /// Every port the connection step tries, requested first, control last.
    public var portsToScan: [Int] {
        var ports = [port]
        for p in Self.smtpPorts where !ports.contains(p) { ports.append(p) }
        if !ports.contains(controlPort) { ports.append(controlPort) }
        return ports
    }
}

extension Int {
    /// Milliseconds as seconds.
    var seconds: Double { Double(self) / 1000 }
}
