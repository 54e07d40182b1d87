import Diagnosis
import Probes

/// The verdict: the cause, what to do (a step that names a port offers the
/// port guide), the evidence; the evidence keys on the last line.
enum VerdictScreen {
    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let state = model.diagnosis, let verdict = state.verdict else {
            return Body(title: "smtp-doctor", lines: [Line(" The diagnosis has not finished.")], keys: "Esc back  q quit")
        }
        var content: [Line] = [.blank]
        let healthy = verdict.cause == .healthy
        let head = healthy ? "  NO PROBLEM FOUND (healthy)" : "  PROBLEM: \(verdict.cause.rawValue)"
        content.append(Line(head, healthy ? .good : (verdict.severity == .warning ? .warn : .bad)))
        content += Wrap.lines(SafeText.clean(verdict.summary), width: width - 4).map { Line("  " + $0, .bold) }
        content.append(.blank)
        content.append(Line(" What to do", .bold))
        var number = 0
        for step in state.remediation {
            // A line indented by four spaces is a record or command to copy: shown
            // as it is, under the step it belongs to, neither numbered nor wrapped.
            if step.hasPrefix("    ") {
                content.append(Line("     " + SafeText.clean(step.trimmingCharacters(in: .whitespaces)), .accent))
                continue
            }
            number += 1
            let wrapped = Wrap.lines(SafeText.clean(step), width: width - 7)
            for (j, line) in wrapped.enumerated() {
                content.append(Line((j == 0 ? "  \(number). " : "     ") + line))
            }
            if ViewText.namesPort(step) {
                content.append(Line([Span("     "), Span("p", .accent), Span(" the port guide: 25, 465, 587 and 2525 side by side", .dim)]))
            }
        }
        if WorkingSettings.found(in: state.facts) != nil {
            content.append(Line([Span("  "), Span("c", .accent), Span(" the settings that worked, to paste into a mail client or a script", .dim)]))
        }
        content.append(.blank)
        content.append(Line(" Evidence", .bold))
        for line in verdict.evidence {
            content += Wrap.lines(SafeText.clean(line), width: width - 4).map { Line("  " + $0, .dim) }
        }
        let room = max(1, height - 1)
        let scroll = min(model.scroll, max(0, content.count - room))
        var lines = Array(content.dropFirst(scroll).prefix(room))
        while lines.count < room { lines.append(.blank) }
        lines.append(KeyBar.evidenceLine(state, width: width))
        let keys: [(String, Int)] = [("Up/Dn scroll", 1), ("Esc steps", 0), ("s save", 2), ("r run again", 2),
                                     ("m menu", 1), ("? help", 0), ("q quit", 1)]
        return Body(title: "smtp-doctor - verdict - \(state.target.shownTarget)", lines: lines,
                    keys: KeyBar.text(keys, width: width - 1))
    }
}
