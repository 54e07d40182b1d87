import Probes

/// The ticket summary: five to ten short lines a person pastes into a
/// support ticket (target, verdict, what was confirmed, what to do first,
/// which version said so and when).
enum SummaryRenderer {
    /// Longest line kept (a ticket is not the place for whole transcripts).
    static let lineLimit = 240

    static func render(_ r: ReportDocument) -> String {
        let c = { (text: String) in SafeText.clean(text) }
        var out: [String] = []
        out.append("smtp-doctor \(c(r.tool.version)), \(c(r.generatedAt)): \(c(r.symptom)) check of \(c(r.target.domain ?? r.target.host))" + r.portSuffix)
        out.append("Verdict: \(c(r.verdict.cause)) - \(c(r.verdict.summary))")
        let confirmed = r.steps.filter { $0.outcome == "confirmed" }
        if confirmed.isEmpty {
            out.append("Confirmed: nothing (no step found a fault)")
        }
        for step in confirmed.prefix(3) {
            out.append("Confirmed: \(c(step.hypothesis))" + (step.durationMs > 0 ? " (\(step.durationMs) ms)" : ""))
        }
        let ruledOut = r.steps.filter { $0.outcome == "ruled-out" }.count
        let unclear = r.steps.filter { $0.outcome == "inconclusive" }.count
        out.append("Steps: \(r.steps.count) (\(confirmed.count) confirmed, \(ruledOut) ruled out, \(unclear) unclear)")
        for (i, line) in r.remediation.prefix(3).enumerated() {
            out.append((i == 0 ? "Fix: " : "     ") + "\(i + 1). \(c(line))")
        }
        return out.map { $0.count > lineLimit ? String($0.prefix(lineLimit - 3)) + "..." : $0 }.joined(separator: "\n") + "\n"
    }
}
