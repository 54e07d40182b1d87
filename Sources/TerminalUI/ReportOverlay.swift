import Probes

/// What is drawn over any screen: the save prompt, a notice above the key
/// bar, and the mark of a saved report shown read-only.
enum ReportOverlay {
    static func apply(_ model: WizardModel, to layout: inout Layout, cursor: inout (row: Int, column: Int)?) {
        let rows = layout.rows
        let columns = layout.columns
        if model.readOnly != nil, !model.showHelp {
            let mark = " [saved report, read-only] "
            let title = layout.lines[0].text
            layout.lines[0] = Line(layout.pad(String(title.prefix(max(0, columns - mark.count))) + mark), .reverse)
        }
        if let prompt = model.savePrompt {
            let files = prompt.files
            var lines: [Line] = [Line(String(repeating: "-", count: columns), .dim)]
            let label = " Save the report as: "
            let width = max(10, columns - label.count - 3)
            let shown = String(prompt.path.suffix(width))
            lines.append(Line([Span(label, .bold), Span(shown + String(repeating: "_", count: max(0, width - shown.count)), .reverse)]))
            let cursorColumn = label.count + shown.count
            switch prompt.stage {
            case .editing, .saving:
                let detail = prompt.message.map { Line(" " + SafeText.clean($0), .warn) }
                    ?? Line(" Writes \(SafeText.clean(files.json)) (JSON) and \(SafeText.clean(files.markdown)) (Markdown).", .dim)
                lines.append(detail)
            case .confirmOverwrite(let existing):
                let names = existing.map(SafeText.clean).joined(separator: " and ")
                lines.append(Line(" Overwrite? (y/n) \(names) already exist\(existing.count == 1 ? "s" : "").", .warn))
            }
            let top = rows - 1 - lines.count
            guard top >= 1 else { return }
            for (i, line) in lines.enumerated() { layout.lines[top + i] = layout.clip(line) }
            if case .confirmOverwrite = prompt.stage {
                layout.lines[rows - 1] = Line(layout.pad(" y overwrite  n keep them (choose another name)  Ctrl-C quit"), .reverse)
                cursor = nil
            } else {
                layout.lines[rows - 1] = Line(layout.pad(" Enter save  Backspace edit  Esc cancel  Ctrl-C quit"), .reverse)
                cursor = (row: top + 1, column: min(cursorColumn, columns - 1))
            }
            return
        }
        if let notice = model.notice, rows >= 6, !model.showHelp {
            // Up to two lines, over the bottom of the screen's body.
            let wrapped = Array(Wrap.lines(SafeText.clean(notice.text), width: columns - 2).prefix(2))
            for (i, text) in wrapped.enumerated() {
                layout.lines[rows - 1 - wrapped.count + i] = Line(layout.pad(" " + text), notice.isProblem ? .warn : .good)
            }
        }
    }
}

/// The recent targets on the menu.
enum RecentTargetsView {
    /// The heading and one line per target that fits in `room` lines.
    static func lines(_ model: WizardModel, room: Int) -> [Line] {
        guard !model.recent.isEmpty, room >= 3 else { return [] }
        var lines: [Line] = [Line(" Recent targets (press the letter to fill the form):", .bold)]
        for (i, recent) in model.recent.prefix(room - 1).enumerated() {
            let letter = Character(Unicode.Scalar(UInt8(97 + i)))
            lines.append(Line("   \(letter)  \(recent.label)"))
        }
        return lines
    }

    /// "  a-c recent" for the key bar, or nothing.
    static func keyHint(_ model: WizardModel) -> String {
        guard !model.recent.isEmpty else { return "" }
        let last = Character(Unicode.Scalar(UInt8(96 + min(model.recent.count, RecentTargetsFile.limit))))
        return model.recent.count == 1 ? "  a recent" : "  a-\(last) recent"
    }
}
