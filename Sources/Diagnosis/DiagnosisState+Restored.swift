/// A finished diagnosis rebuilt from a saved report (`smtp-doctor show`), so
/// the wizard's steps and verdict screens show it as they showed the run.
/// It holds no facts and no pending probe: nothing can be run from it.
extension DiagnosisState {
    public init(restoring target: Target, symptom: Symptom, steps: [StepRecord], findings: [Finding], verdict: Finding?) {
        self.init(target: target, symptom: symptom)
        phase = .finished
        self.steps = steps
        self.findings = findings
        self.verdict = verdict
    }
}

extension StepRecord {
    /// A step as a saved report holds it.
    public init(restoring id: String, hypothesis: String, why: String, probe: ProbeKind, status: StepStatus,
                evidence: [String], durationMs: Int?, cause: Cause? = nil) {
        self.id = id
        self.hypothesis = hypothesis
        self.why = why
        self.probe = probe
        self.status = status
        self.evidence = evidence
        self.durationMs = durationMs
        self.cause = cause
    }
}
