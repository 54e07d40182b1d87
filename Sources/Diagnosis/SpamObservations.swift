import MailAuth
import Probes

/// The SPF step's observation: the whole record tree of the domain (no IP
/// needed), and check_host() for the sending address when one is known.
public struct SPFCheck: Sendable, Codable, Hashable {
    public var domain: String
    public var sender: String
    public var sendingIP: IPAddress?
    public var analysis: SPFEvaluation
    public var authorization: SPFEvaluation?
    public var lookups: [DNSLookup]

    public init(domain: String, sender: String, sendingIP: IPAddress?, analysis: SPFEvaluation,
                authorization: SPFEvaluation?, lookups: [DNSLookup]) {
        self.domain = domain
        self.sender = sender
        self.sendingIP = sendingIP
        self.analysis = analysis
        self.authorization = authorization
        self.lookups = lookups
    }
}

/// The DKIM step's observation: the key records of the selectors tried.
public struct DKIMCheck: Sendable, Codable, Hashable {
    public var domain: String
    /// No selector was named: the common ones were tried.
    public var guessed: Bool
    public var results: [DKIMSelectorResult]
    public var lookups: [DNSLookup]

    public init(domain: String, guessed: Bool, results: [DKIMSelectorResult], lookups: [DNSLookup]) {
        self.domain = domain
        self.guessed = guessed
        self.results = results
        self.lookups = lookups
    }
}

/// The DMARC step's observation.
public struct DMARCCheck: Sendable, Codable, Hashable {
    public var domain: String
    public var discovery: DMARCDiscovery
    public var lookups: [DNSLookup]

    public init(domain: String, discovery: DMARCDiscovery, lookups: [DNSLookup]) {
        self.domain = domain
        self.discovery = discovery
        self.lookups = lookups
    }
}

/// The blocklist step's observation: every zone, asked at once.
public struct BlocklistScan: Sendable, Codable, Hashable {
    public var address: IPAddress
    public var results: [BlocklistResult]
    public var lookups: [DNSLookup]

    public init(address: IPAddress, results: [BlocklistResult], lookups: [DNSLookup]) {
        self.address = address
        self.results = results
        self.lookups = lookups
    }
}

/// The reverse-DNS step's observation.
public struct ReverseDNSCheck: Sendable, Codable, Hashable {
    public var result: ReverseDNSResult
    public var lookups: [DNSLookup]

    public init(result: ReverseDNSResult, lookups: [DNSLookup]) {
        self.result = result
        self.lookups = lookups
    }
}

/// The MX step's observation.
public struct MXCheck: Sendable, Codable, Hashable {
    public var result: MXCheckResult
    public var lookups: [DNSLookup]

    public init(result: MXCheckResult, lookups: [DNSLookup]) {
        self.result = result
        self.lookups = lookups
    }
}
