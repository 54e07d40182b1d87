import Diagnosis
import Explain
import Foundation
import MailAuth
import Probes
import Report
import TerminalUI

/// The wizard's "explain" entry: pasted text, a bounce file, or a saved
/// message, turned into lines and the checks they suggest.
enum WizardExplainer {
    static func explain(_ request: ExplainRequest, resolver: Resolver) async -> ExplainOutcome {
        guard let path = request.path else {
            return outcome(ExplainDocument(text: request.text))
        }
        let bytes: [UInt8]
        do {
            bytes = try SavedFile.read(path, limit: SavedFile.messageLimit)
        } catch {
            let message = String(describing: error)
            return ExplainOutcome(title: "The file could not be read", lines: [message], checks: [])
        }
        let bounce = BounceParser.parse(bytes)
        if !bounce.recipients.isEmpty {
            var result = outcome(ExplainDocument(bounce: bounce))
            if !request.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                let pasted = outcome(ExplainDocument(text: request.text))
                result.lines += [""] + [pasted.title] + pasted.lines
                result.checks += pasted.checks.filter { check in !result.checks.contains { $0.commandLine == check.commandLine } }
            }
            return result
        }
        // Not a bounce: check it as a saved message (DKIM, DMARC alignment, headers).
        let report = await MessageCheck.run(message: bytes, dns: ResolverMailDNS(resolver: resolver))
        let document = ReportDocument(message: report, file: path)
        var lines: [String] = ["The file holds no delivery status, so it was checked as a saved message.", ""]
        for step in document.steps {
            lines.append("\(step.outcome == "confirmed" ? "PROBLEM" : "ok"): \(step.hypothesis)")
            lines += step.evidence.map { "  " + $0 }
        }
        if !document.remediation.isEmpty {
            lines.append("")
            lines.append("What to do:")
            lines += document.remediation.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        }
        var checks: [SuggestedCheck] = []
        if let domain = report.fromDomain {
            checks.append(SuggestedCheck(label: "Check the DNS records of \(domain) (SPF, DKIM, DMARC, MX)", symptom: .spam, domain: domain,
                                         commandLine: "smtp-doctor check --symptom spam --domain \(NextCheck.shellQuoted(domain))"))
        }
        return ExplainOutcome(title: "\(document.verdict.cause): \(document.verdict.summary)", lines: lines, checks: checks)
    }

    static func outcome(_ document: ExplainDocument) -> ExplainOutcome {
        var checks: [SuggestedCheck] = []
        for explanation in document.explanations {
            for next in explanation.nextChecks {
                guard let symptom = Symptom(rawValue: next.symptom.rawValue), symptom != .explain,
                      !checks.contains(where: { $0.commandLine == next.commandLine }) else { continue }
                checks.append(SuggestedCheck(label: next.purpose, symptom: symptom, host: next.host, domain: next.domain,
                                             sendingIP: next.sendingIP, user: next.user, commandLine: next.commandLine))
            }
        }
        let title = document.explanations.first?.title ?? (document.bounce != nil ? "Bounce message" : "Nothing recognised")
        var lines = document.textLines()
        if lines.first == title { lines.removeFirst() }
        return ExplainOutcome(title: title, lines: lines, checks: checks)
    }
}
