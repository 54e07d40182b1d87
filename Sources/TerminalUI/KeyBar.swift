import Diagnosis
import Probes

/// Key bars that fit the width: the least important keys drop out first
/// (help, which lists them all, stays).
enum KeyBar {
    /// `items` in order, each with its importance (0 most important).
    static func text(_ items: [(String, Int)], width: Int) -> String {
        var kept = items
        while kept.count > 1, kept.map(\.0).joined(separator: "  ").count + 1 > width {
            guard let least = kept.indices.max(by: { kept[$0].1 < kept[$1].1 || (kept[$0].1 == kept[$1].1 && $0 > $1) }) else { break }
            kept.remove(at: least)
        }
        return kept.map(\.0).joined(separator: "  ")
    }

    /// The evidence views that have something to show for this run.
    static func evidenceKinds(_ state: DiagnosisState?) -> [EvidencePanel.Kind] {
        guard let state else { return [.portGuide] }
        let talksSMTP = state.symptom != .spam
        return EvidencePanel.Kind.allCases.filter { kind in
            switch kind {
            case .transcript, .certificates: return talksSMTP
            case .portGuide: return talksSMTP
            case .dnsRecords, .waterfall, .commands: return true
            }
        }
    }

    /// The line under the steps and the verdict naming the evidence keys.
    static func evidenceLine(_ state: DiagnosisState?, width: Int) -> Line {
        let kinds = evidenceKinds(state)
        var spans = [Span(" Evidence:", .dim)]
        for kind in kinds {
            spans.append(Span("  " + String(kind.key), .accent))
            spans.append(Span(" " + kind.label, .dim))
        }
        if Line(spans).text.count > width {
            // Narrow: the keys only; help (?) names them.
            spans = [Span(" Evidence keys:", .dim), Span(" " + kinds.map { String($0.key) }.joined(separator: " "), .accent), Span("  (? help)", .dim)]
        }
        return Line(spans)
    }
}

extension ViewText {
    /// The line cut or padded to exactly `width` characters, as spans.
    static func fit(_ line: Line, _ width: Int) -> [Span] {
        var left = width
        var spans: [Span] = []
        for span in line.spans where left > 0 {
            let text = String(span.text.prefix(left))
            left -= text.count
            spans.append(Span(text, span.style))
        }
        if left > 0 { spans.append(Span(String(repeating: " ", count: left))) }
        return spans
    }

    /// Whether a remediation line names a port (so the port guide is offered beside it).
    static func namesPort(_ text: String) -> Bool {
        let words = text.split { !$0.isLetter && !$0.isNumber }.map { $0.lowercased() }
        if words.contains(where: { ["25", "465", "587", "2525"].contains($0) }) { return true }
        return zip(words, words.dropFirst()).contains { $0 == "port" && Int($1) != nil }
    }
}
