import Diagnosis
import Probes

enum ExplainInputScreen {
    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        let form = model.explainForm
        var lines: [Line] = [.blank, Line(" Paste the error (a reply line, a log line or a whole bounce):", .bold)]
        let boxWidth = max(10, width - 4)
        // The text area shows the end of the text, as a terminal would.
        let room = max(3, height - 12)
        var shown: [String] = []
        for raw in form.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let clean = SafeText.clean(String(raw))
            if clean.isEmpty { shown.append(""); continue }
            var rest = Substring(clean)
            while !rest.isEmpty {
                shown.append(String(rest.prefix(boxWidth)))
                rest = rest.dropFirst(boxWidth)
            }
        }
        let visible = Array(shown.suffix(room))
        let focusedText = form.focus == .text
        var cursor: (row: Int, column: Int)?
        lines.append(Line(" +" + String(repeating: "-", count: boxWidth) + "+", focusedText ? .accent : .dim))
        for i in 0..<room {
            let text = i < visible.count ? visible[i] : ""
            if focusedText && i == max(0, visible.count - 1) { cursor = (row: lines.count, column: 2 + text.count) }
            lines.append(Line([Span(" |", focusedText ? .accent : .dim), Span(text + String(repeating: " ", count: max(0, boxWidth - text.count))),
                               Span("|", focusedText ? .accent : .dim)]))
        }
        lines.append(Line(" +" + String(repeating: "-", count: boxWidth) + "+", focusedText ? .accent : .dim))
        if form.truncated { lines.append(Line(" Only the first 64 KiB of the paste is kept.", .warn)) }
        let pathWidth = max(10, min(50, width - 16))
        let path = String(form.path.suffix(pathWidth))
        if form.focus == .path { cursor = (row: lines.count, column: 14 + path.count) }
        lines.append(Line([Span(" Or a file:  "),
                           Span("[" + path + String(repeating: "_", count: max(0, pathWidth - path.count)) + "]", form.focus == .path ? .reverse : .normal)]))
        lines.append(Line("             a bounce (.eml) to read, or a saved message to check DKIM, DMARC and headers", .dim))
        lines.append(.blank)
        lines.append(Line("  [ Explain ]", form.focus == .run ? .reverse : .bold))
        if let status = model.status {
            lines += Wrap.lines(status, width: width - 2).map { Line(" " + $0, .warn) }
        }
        return Body(title: "smtp-doctor - \(Symptom.explain.title)", lines: lines,
                    keys: "Enter new line  Tab next field  Enter on [Explain] runs  Esc back  Ctrl-C quit", cursor: cursor)
    }
}

enum ExplainResultScreen {
    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let outcome = model.explanation else {
            let waiting = model.explaining ? " Reading the text and looking up what it names..." : " Nothing explained yet."
            return Body(title: "smtp-doctor - explanation", lines: [.blank, Line(waiting, .dim)], keys: "Esc back  q quit")
        }
        var content: [Line] = [.blank]
        content += Wrap.lines(SafeText.clean(outcome.title), width: width - 2).map { Line(" " + $0, .bold) }
        for line in outcome.lines {
            let clean = SafeText.clean(line)
            if clean.isEmpty { content.append(.blank); continue }
            let indent = clean.prefix(while: { $0 == " " }).count
            content += Wrap.lines(String(clean.dropFirst(indent)), width: max(10, width - 3 - indent)).enumerated().map {
                Line(String(repeating: " ", count: 1 + indent + ($0.offset == 0 ? 0 : 2)) + $0.element)
            }
        }
        if !outcome.checks.isEmpty {
            content.append(.blank)
            content.append(Line(" Checks that would confirm or rule this out (press the number):", .bold))
            for (i, check) in outcome.checks.prefix(9).enumerated() {
                content += Wrap.lines("\(i + 1). \(SafeText.clean(check.label))", width: width - 4).enumerated().map {
                    Line(($0.offset == 0 ? "  " : "     ") + $0.element, .accent)
                }
                content += Wrap.lines(SafeText.clean(check.commandLine), width: width - 7).map { Line("     " + $0, .dim) }
            }
        }
        let scroll = min(model.scroll, max(0, content.count - height))
        let keys = outcome.checks.isEmpty ? "Up/Down scroll  Esc back  m menu  q quit"
                                          : "1-\(min(9, outcome.checks.count)) open that check  Up/Down scroll  Esc back  m menu  q quit"
        return Body(title: "smtp-doctor - explanation", lines: Array(content.dropFirst(scroll)), keys: keys)
    }
}
