import Diagnosis
import Probes

extension ReportDocument {
    /// A saved report turned back into what the wizard's screens show, and
    /// notes on what could not be (an unknown cause, an unknown outcome).
    public struct Restored: Sendable {
        public var state: DiagnosisState
        public var notes: [String]
    }

    /// The diagnosis this report was made from, as far as the report keeps it:
    /// target, steps with their evidence, findings, verdict and remediation
    /// (no raw observations, so nothing can be run from it).
    public func restored() throws -> Restored {
        var notes: [String] = []
        let symptom: Symptom
        if self.symptom == "message" {
            symptom = .spam  // `check --message`: DKIM, DMARC alignment and headers belong to the spam family
        } else if let known = Symptom(rawValue: self.symptom), known != .explain {
            symptom = known
        } else {
            throw ReportReader.Problem("its symptom \"\(self.symptom.prefix(60))\" is not one smtp-doctor knows")
        }
        var t = Target(host: target.host, port: target.port, tls: TLSMode(rawValue: target.tls) ?? .auto,
                       controlPort: target.controlPort, family: FamilyPreference(rawValue: target.family) ?? .any,
                       timeoutSeconds: target.timeoutSeconds.isFinite ? target.timeoutSeconds : 0)
        t.domain = target.domain
        t.sendingIP = target.sendingIP.flatMap { IPAddress($0) }
        t.dkimSelectors = target.dkimSelectors ?? []
        t.dnsblZones = target.dnsblZones ?? []
        t.heloName = target.helo

        let nodes = TroubleshootingTree.forSymptom(symptom)?.nodes ?? []
        var unknownOutcomes = 0
        let stepRecords = steps.map { step -> StepRecord in
            var status = StepStatus(rawValue: step.outcome) ?? .inconclusive
            if StepStatus(rawValue: step.outcome) == nil { unknownOutcomes += 1 }
            if status == .waiting || status == .running { status = .skipped }
            return StepRecord(restoring: step.id, hypothesis: step.hypothesis, why: nodes.first { $0.id == step.id }?.why ?? "",
                              probe: ProbeKind(rawValue: step.probe) ?? .dns, status: status,
                              evidence: step.evidence, durationMs: max(0, step.durationMs))
        }
        if unknownOutcomes > 0 { notes.append("\(unknownOutcomes) step outcome\(unknownOutcomes == 1 ? "" : "s") not known to this version, shown as unclear") }

        var verdictFinding: Finding?
        if let cause = Cause(rawValue: verdict.cause) {
            let entry = findings.first { $0.cause == verdict.cause }
            verdictFinding = Finding(cause: cause, severity: entry.flatMap { Severity(rawValue: $0.severity) } ?? .error,
                                     summary: verdict.summary, evidence: entry?.evidence ?? [], remediation: remediation)
        } else if verdict.cause == "unknown" {
            notes.append("the saved diagnosis did not finish: it has no verdict")
        } else {
            notes.append("the verdict \"\(verdict.cause.prefix(60))\" is not a cause this version knows: \(verdict.summary.prefix(200))")
        }
        var findingRecords: [Finding] = []
        var unknownCauses = 0
        for entry in findings {
            guard let cause = Cause(rawValue: entry.cause) else { unknownCauses += 1; continue }
            if let verdictFinding, cause == verdictFinding.cause, !findingRecords.contains(verdictFinding) {
                findingRecords.append(verdictFinding)
                continue
            }
            findingRecords.append(Finding(cause: cause, severity: Severity(rawValue: entry.severity) ?? .error,
                                          summary: entry.summary, evidence: entry.evidence, remediation: []))
        }
        if unknownCauses > 0 { notes.append("\(unknownCauses) finding\(unknownCauses == 1 ? "" : "s") with a cause this version does not know left out") }
        let state = DiagnosisState(restoring: t, symptom: symptom, steps: stepRecords, findings: findingRecords, verdict: verdictFinding)
        return Restored(state: state, notes: notes)
    }
}
