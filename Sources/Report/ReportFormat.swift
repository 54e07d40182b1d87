import Diagnosis
import Foundation

/// The output formats of `check`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown

    public func render(_ report: ReportDocument) -> String {
        switch self {
        case .text: return TextRenderer.render(report)
        case .json: return JSONRenderer.render(report)
        case .markdown: return MarkdownRenderer.render(report)
        }
    }
}

enum JSONRenderer {
    static func render(_ report: ReportDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
