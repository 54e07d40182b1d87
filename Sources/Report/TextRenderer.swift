import Probes
import Diagnosis

/// The plain-text report: what `check` prints and what pastes into a ticket.
enum TextRenderer {
    static func render(_ r: ReportDocument) -> String {
        var out: [String] = []
        let c = SafeText.clean
        out.append("smtp-doctor \(r.tool.version) - \(r.symptom) check of \(c(r.target.host))" + r.portSuffix)
        out.append("Verdict: \(r.verdict.cause)")
        out.append("  \(c(r.verdict.summary))")
        out.append("")
        out.append("Steps:")
        for step in r.steps {
            out.append("  [\(label(step.outcome))] \(c(step.hypothesis))\(step.durationMs > 0 ? " (\(step.durationMs) ms)" : "")")
            for line in step.evidence { out.append("      \(c(line))") }
        }
        if !r.findings.isEmpty {
            out.append("")
            out.append("Findings:")
            for f in r.findings { out.append("  \(f.severity) \(f.cause): \(c(f.summary))") }
        }
        if !r.remediation.isEmpty {
            out.append("")
            out.append("What to do:")
            for (number, line) in r.numberedRemediation { out.append(number.map { "  \($0). \(c(line))" } ?? "       \(c(line.trimmingCharacters(in: .whitespaces)))") }
        }
        if !r.transcript.isEmpty {
            out.append("")
            out.append("Transcript:")
            for line in r.transcript { out.append("  \(c(line))") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func label(_ outcome: String) -> String {
        switch outcome {
        case "confirmed": return "CONFIRMED "
        case "ruled-out": return "ruled out "
        case "inconclusive": return "unclear   "
        default: return "skipped   "
        }
    }
}

/// The Markdown report, for tickets and chat.
enum MarkdownRenderer {
    static func render(_ r: ReportDocument) -> String {
        let c = { (s: String) in SafeText.clean(s).replacingOccurrences(of: "|", with: "\\|") }
        var out: [String] = []
        out.append("# smtp-doctor: \(r.symptom) check of `\(c(r.target.host))`" + r.portSuffix)
        out.append("")
        out.append("**Verdict: `\(r.verdict.cause)`**: \(c(r.verdict.summary))")
        out.append("")
        out.append("| outcome | hypothesis | time |")
        out.append("|---|---|---|")
        for step in r.steps { out.append("| \(step.outcome) | \(c(step.hypothesis)) | \(step.durationMs) ms |") }
        out.append("")
        out.append("## Evidence")
        for step in r.steps where !step.evidence.isEmpty {
            out.append("")
            out.append("**\(c(step.hypothesis))** (\(step.outcome))")
            out.append("")
            out.append("```")
            for line in step.evidence { out.append(SafeText.clean(line).replacingOccurrences(of: "```", with: "'''")) }
            out.append("```")
        }
        if !r.remediation.isEmpty {
            out.append("")
            out.append("## What to do")
            out.append("")
            for (number, line) in r.numberedRemediation { out.append(number.map { "\($0). \(c(line))" } ?? "    \(c(line.trimmingCharacters(in: .whitespaces)))") }
        }
        out.append("")
        out.append("_Generated \(r.generatedAt) by smtp-doctor \(r.tool.version)._")
        return out.joined(separator: "\n") + "\n"
    }
}

extension ReportDocument {
    /// " port 587" for a server check; nothing for a domain or a saved message.
    var portSuffix: String { symptom == "message" || symptom == "spam" ? "" : " port \(target.port)" }
}

extension ReportDocument {
    /// Remediation steps with their numbers; a line indented by four spaces is
    /// a record or command under the step before it and gets no number.
    var numberedRemediation: [(Int?, String)] {
        var number = 0
        return remediation.map { line in
            if line.hasPrefix("    ") { return (nil, line) }
            number += 1
            return (number, line)
        }
    }
}
