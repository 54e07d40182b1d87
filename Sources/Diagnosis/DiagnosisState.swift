import Probes

/// Where a step is in its life.
public enum StepStatus: String, Sendable, Codable, Hashable {
    case waiting
    case running
    case confirmed
    case ruledOut = "ruled-out"
    case inconclusive
    case skipped

    init(_ outcome: StepOutcome) {
        switch outcome {
        case .confirmed: self = .confirmed
        case .ruledOut: self = .ruledOut
        case .inconclusive: self = .inconclusive
        case .skipped: self = .skipped
        }
    }
}

/// One hypothesis as the run has treated it so far.
public struct StepRecord: Sendable, Codable, Hashable {
    public var id: String
    public var hypothesis: String
    public var why: String
    public var probe: ProbeKind
    public var status: StepStatus
    public var evidence: [String]
    public var durationMs: Int?
    public var cause: Cause?
}

/// The whole state of one diagnosis: a plain value the reducer updates.
public struct DiagnosisState: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case ready
        case running
        case finished
    }

    public var target: Target
    public var symptom: Symptom
    /// Bumped on every (re)start, so a probe result from an earlier run is recognised and ignored.
    public private(set) var runID: Int = 0
    public internal(set) var phase: Phase = .ready
    public internal(set) var steps: [StepRecord] = []
    public internal(set) var facts: Facts
    public internal(set) var findings: [Finding] = []
    public internal(set) var verdict: Finding?
    /// Probes asked for and not yet answered, by kind. Several run at once.
    public internal(set) var pending: [ProbeKind: ProbeRequest] = [:]
    /// When each probe of this run started and how long it took, in the order they finished.
    public internal(set) var timings: [ProbeTiming] = []
    /// Probes still running when the verdict came: started, no longer awaited.
    public internal(set) var abandoned: [ProbeRequest] = []
    var current: Int = 0

    public init(target: Target, symptom: Symptom) {
        self.target = target
        self.symptom = symptom
        self.facts = Facts(target: target)
    }

    mutating func beginRun() {
        runID += 1
        phase = .running
        facts = Facts(target: target)
        findings = []
        verdict = nil
        pending = [:]
        timings = []
        abandoned = []
        current = 0
    }

    /// The remediation of the verdict, then that of any other finding.
    public var remediation: [String] {
        var lines: [String] = verdict?.remediation ?? []
        for finding in findings where finding != verdict {
            for line in finding.remediation where !lines.contains(line) { lines.append(line) }
        }
        return lines
    }
}

/// What happened, as the reducer hears it.
public enum DiagnosisAction: Sendable, Hashable {
    /// Start (or start again) with the state's target.
    case started
    /// A probe finished; `runID` says which run asked for it. `startedAtMs` is
    /// when it started, on the runtime's clock (`DiagnosisEngine.clockOrigin`).
    case probeFinished(runID: Int, request: ProbeRequest, observation: Observation, durationMs: Int, startedAtMs: Int = 0)
}

/// What the reducer asks the runtime to do.
public enum DiagnosisEffect: Sendable, Hashable {
    case run(ProbeRequest, runID: Int)
}
