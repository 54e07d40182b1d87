/// Everything observed so far in one run, plus the target: what a node judges from.
public struct Facts: Sendable, Hashable {
    public var target: Target
    public var resolution: HostResolution?
    public var scan: PortScan?
    public var smtp: SMTPCheck?
    public var spf: SPFCheck?
    public var dkim: DKIMCheck?
    public var dmarc: DMARCCheck?
    public var blocklists: BlocklistScan?
    public var reverseDNS: ReverseDNSCheck?
    public var mx: MXCheck?

    public init(target: Target, resolution: HostResolution? = nil, scan: PortScan? = nil, smtp: SMTPCheck? = nil) {
        self.target = target
        self.resolution = resolution
        self.scan = scan
        self.smtp = smtp
    }

    func has(_ kind: ProbeKind) -> Bool {
        switch kind {
        case .dns: return resolution != nil
        case .tcpConnect: return scan != nil
        case .smtp: return smtp != nil
        case .spf: return spf != nil
        case .dkim: return dkim != nil
        case .dmarc: return dmarc != nil
        case .blocklists: return blocklists != nil
        case .reverseDNS: return reverseDNS != nil
        case .mx: return mx != nil
        }
    }

    mutating func store(_ observation: Observation) {
        switch observation {
        case .resolution(let value): resolution = value
        case .portScan(let value): scan = value
        case .smtp(let value): smtp = value
        case .spf(let value): spf = value
        case .dkim(let value): dkim = value
        case .dmarc(let value): dmarc = value
        case .blocklists(let value): blocklists = value
        case .reverseDNS(let value): reverseDNS = value
        case .mx(let value): mx = value
        }
    }
}

/// The outcome of testing one hypothesis.
public enum StepOutcome: String, Sendable, Codable {
    case confirmed
    case ruledOut = "ruled-out"
    case inconclusive
    case skipped
}

/// A node's verdict on its hypothesis.
public struct Judgement: Sendable, Hashable {
    public var outcome: StepOutcome
    public var evidence: [String]
    /// The fault this node found, if any.
    public var finding: Finding?
    /// Where to go next: `nil` means the next node in order; `.stop` ends the run.
    public var next: Next

    public enum Next: Sendable, Hashable {
        case following
        case node(String)
        case stop
    }

    public init(_ outcome: StepOutcome, evidence: [String], finding: Finding? = nil, next: Next = .following) {
        self.outcome = outcome
        self.evidence = evidence
        self.finding = finding
        self.next = next
    }
}

/// One hypothesis of the troubleshooting tree: what it claims, why it matters,
/// which probe tests it, and how its outcome branches (inside `judge`).
public struct TreeNode: Sendable {
    public let id: String
    public let hypothesis: String
    public let why: String
    public let probe: ProbeKind
    public let judge: @Sendable (Facts) -> Judgement

    public init(id: String, hypothesis: String, why: String, probe: ProbeKind, judge: @escaping @Sendable (Facts) -> Judgement) {
        self.id = id
        self.hypothesis = hypothesis
        self.why = why
        self.probe = probe
        self.judge = judge
    }
}

/// A family's tree: its nodes in order, and how it concludes when no node stops it.
public struct TroubleshootingTree: Sendable {
    public let symptom: Symptom
    public let nodes: [TreeNode]
    /// The verdict when every node ran and none found a fault.
    public let healthy: @Sendable (Facts) -> Finding

    public static func forSymptom(_ symptom: Symptom) -> TroubleshootingTree? {
        switch symptom {
        case .refused: return RefusedFamily.tree
        case .timeout: return TimeoutFamily.tree
        case .auth: return AuthFamily.tree
        case .spam: return SpamFamily.tree
        default: return nil
        }
    }
}
