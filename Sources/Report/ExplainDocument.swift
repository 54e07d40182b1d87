import Explain
import Foundation
import Probes

/// What `explain` prints (the JSON contract of DESIGN.md): the family, the
/// meaning and the codes of the first reply, every reply explained, and for
/// a bounce file each recipient with its status.
public struct ExplainDocument: Codable, Sendable, Equatable {
    public struct Codes: Codable, Sendable, Equatable {
        public var reply: Int?
        public var enhanced: String?
    }

    public struct RecipientEntry: Codable, Sendable, Equatable {
        public var address: String
        public var status: String?
        public var replyCode: Int?
        public var action: String?
        public var permanent: Bool?
        public var reason: String
        public var diagnosticCode: String?
        public var remoteMTA: String?
    }

    public struct BounceEntry: Codable, Sendable, Equatable {
        public var format: String
        public var reportingMTA: String?
        public var originalMessageID: String?
        public var originalSubject: String?
        public var originalTo: String?
        public var problems: [String]
    }

    public var tool: ReportDocument.Tool
    public var generatedAt: String
    /// "text" (pasted replies) or "bounce" (a delivery status notification).
    public var source: String
    public var family: String
    public var meaning: String
    public var temporary: Bool?
    public var codes: Codes
    public var explanations: [Explanation]
    public var recipients: [RecipientEntry]?
    public var bounce: BounceEntry?

    /// Explains pasted text: one or several reply lines, log lines, a bounce's text.
    public init(text: String, generatedAt: Date = Date()) {
        self.init(source: "text", explanations: Explainer.explain(text), generatedAt: generatedAt)
    }

    /// Explains a parsed bounce: each failed or delayed recipient's reply.
    public init(bounce report: BounceReport, generatedAt: Date = Date()) {
        var explanations: [Explanation] = []
        var seen = Set<String>()
        for recipient in report.recipients {
            let said = recipient.diagnosticCode
                ?? [recipient.replyCode.map(String.init), recipient.status].compactMap { $0 }.joined(separator: " ")
            guard !said.isEmpty else { continue }
            for explanation in Explainer.explain(said) {
                let key = "\(explanation.codes.reply ?? 0) \(explanation.codes.enhanced ?? "") \(explanation.title)"
                if seen.insert(key).inserted { explanations.append(explanation) }
            }
        }
        self.init(source: "bounce", explanations: explanations, generatedAt: generatedAt)
        recipients = report.recipients.map {
            RecipientEntry(address: SafeText.clean($0.address), status: $0.status, replyCode: $0.replyCode, action: $0.action?.rawValue,
                           permanent: $0.permanent, reason: SafeText.clean($0.reason), diagnosticCode: $0.diagnosticCode.map(SafeText.clean),
                           remoteMTA: $0.remoteMTA.map(SafeText.clean))
        }
        bounce = BounceEntry(format: report.format, reportingMTA: report.reportingMTA.map(SafeText.clean),
                             originalMessageID: report.originalMessageID.map(SafeText.clean),
                             originalSubject: report.originalSubject.map(SafeText.clean),
                             originalTo: report.originalTo.map(SafeText.clean), problems: report.problems.map(SafeText.clean))
        if report.recipients.isEmpty {
            meaning = "No delivery status was found in this file: it does not look like a bounce. A saved message can be checked with `smtp-doctor check --message FILE`."
        }
    }

    init(source: String, explanations: [Explanation], generatedAt: Date) {
        tool = ReportDocument.Tool(name: "smtp-doctor", version: ReportDocument.toolVersion)
        self.generatedAt = ISO8601DateFormatter().string(from: generatedAt)
        self.source = source
        self.explanations = explanations
        let first = explanations.first
        family = first?.family.rawValue ?? ReplyFamily.none.rawValue
        meaning = first?.meaning ?? "Nothing to explain: the input holds no SMTP reply and no known error wording."
        temporary = first?.temporary
        codes = Codes(reply: first?.codes.reply, enhanced: first?.codes.enhanced)
    }

    /// True when nothing in it is a failure (only 2xx replies or nothing at all).
    public var isHealthy: Bool {
        explanations.allSatisfy { $0.family == .none } && (recipients ?? []).allSatisfy { $0.action != "failed" && $0.action != "delayed" }
    }

    /// The document as lines for a person (the text format and the wizard).
    public func textLines() -> [String] {
        let c = SafeText.clean
        var lines: [String] = []
        if let bounce {
            lines.append("Bounce (\(c(bounce.format)))" + (bounce.reportingMTA.map { " from \(c($0))" } ?? ""))
            if let subject = bounce.originalSubject { lines.append("  original subject: \(c(subject))") }
            if let to = bounce.originalTo { lines.append("  original recipient: \(c(to))") }
            for recipient in recipients ?? [] {
                var line = "  \(c(recipient.address)): " + [recipient.replyCode.map(String.init), recipient.status].compactMap { $0 }.joined(separator: " ")
                if let action = recipient.action { line += " (\(action)" + (recipient.permanent.map { $0 ? ", permanent" : ", temporary" } ?? "") + ")" }
                lines.append(line)
                lines.append("      " + c(recipient.reason))
                if let diagnostic = recipient.diagnosticCode { lines.append("      said: \(c(String(diagnostic.prefix(300))))") }
            }
            for problem in bounce.problems { lines.append("  note: \(c(problem))") }
            if (recipients ?? []).isEmpty { lines.append("  " + c(meaning)) }
            lines.append("")
        }
        if explanations.isEmpty && bounce == nil { lines.append(c(meaning)) }
        for (index, explanation) in explanations.enumerated() {
            if index > 0 { lines.append("") }
            lines.append(c(explanation.title))
            lines.append("  family: \(explanation.family.rawValue)" + (explanation.family == .none ? "" : (explanation.temporary ? " (temporary: it may succeed later)" : " (permanent: retrying will not help)")))
            lines.append("  " + c(explanation.meaning))
            let e = explanation.entities
            var named: [String] = []
            if !e.ips.isEmpty { named.append("addresses " + e.ips.joined(separator: ", ")) }
            if !e.zones.isEmpty { named.append("blocklists " + e.zones.joined(separator: ", ")) }
            if !e.mailboxes.isEmpty { named.append("mailboxes " + e.mailboxes.joined(separator: ", ")) }
            if !e.hosts.isEmpty { named.append("hosts " + e.hosts.joined(separator: ", ")) }
            if !e.domains.isEmpty { named.append("domains " + e.domains.joined(separator: ", ")) }
            if let provider = explanation.provider { named.append("provider " + provider) }
            if !named.isEmpty { lines.append("  named in the text: " + c(named.joined(separator: "; "))) }
            if !explanation.causes.isEmpty { lines.append("  likely causes: " + explanation.causes.joined(separator: ", ")) }
            if !explanation.advice.isEmpty {
                lines.append("  what to do:")
                for (i, advice) in explanation.advice.enumerated() { lines.append("    \(i + 1). \(c(advice))") }
            }
            for note in explanation.notes { lines.append("  note: \(c(note))") }
            if !explanation.nextChecks.isEmpty {
                lines.append("  checks that would confirm it:")
                for check in explanation.nextChecks { lines.append("    \(c(check.commandLine))") }
            }
        }
        return lines
    }

    public func render(json: Bool) -> String {
        guard json else { return textLines().joined(separator: "\n") + "\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
