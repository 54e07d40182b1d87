import Diagnosis
import Foundation

/// The output formats of `check`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
    /// Five to ten lines to paste into a ticket.
    case summary

    public func render(_ report: ReportDocument) -> String {
        switch self {
        case .text: return TextRenderer.render(report)
        case .json: return JSONRenderer.render(report)
        case .markdown: return MarkdownRenderer.render(report)
        case .summary: return SummaryRenderer.render(report)
        }
    }

    /// The formats as a person chooses among them, for messages.
    public static let choices = "text, json, markdown or summary"
}

enum JSONRenderer {
    static func render(_ report: ReportDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
