import Diagnosis
import Probes

/// The steps: a timeline of every hypothesis and its state, and the chosen
/// step's question, why it matters and its evidence. Side by side from
/// `wideColumns`, stacked below; the verdict banner on top once the run is over.
enum StepsScreen {
    static let wideColumns = 110

    static func body(_ model: WizardModel, width: Int, height: Int) -> Body {
        guard let state = model.diagnosis else { return Body(title: "smtp-doctor", lines: [], keys: "Esc back") }
        var lines: [Line] = []
        if state.phase == .finished, let verdict = state.verdict { lines.append(banner(verdict, width: width)) }
        let room = max(1, height - lines.count - 1)
        lines += width >= wideColumns ? sideBySide(model, state, width: width, room: room) : stacked(model, state, width: width, room: room)
        while lines.count < height - 1 { lines.append(.blank) }
        lines.append(KeyBar.evidenceLine(state, width: width))
        let finished = state.phase == .finished
        var keys: [(String, Int)] = [("Up/Dn step", 0), ("PgUp/PgDn details", 3)]
        if finished { keys.append(("Enter verdict", 0)) }
        if finished { keys.append(("s save", 2)) }
        keys += [("r rerun", 2), ("Esc back", 1), ("? help", 0), ("q quit", 1)]
        return Body(title: "smtp-doctor - \(state.symptom.title) - \(state.target.shownTarget)", lines: lines,
                    keys: KeyBar.text(keys, width: width - 1))
    }

    /// One line, coloured by severity: the cause, as much of the summary as fits, and where to read more.
    static func banner(_ verdict: Finding, width: Int) -> Line {
        let healthy = verdict.cause == .healthy
        let head = healthy ? " Verdict: healthy" : " Verdict: \(verdict.cause.rawValue)"
        let tail = "  (Enter: what to do)"
        let room = max(0, width - head.count - tail.count - 3)
        let summary = SafeText.clean(verdict.summary)
        let cut = summary.count > room ? String(summary.prefix(max(0, room - 3))) + "..." : summary
        let text = head + (room > 8 ? " - " + cut : "") + tail
        let style: Style = healthy ? .good : (verdict.severity == .warning ? .warn : .bad)
        return Line(ViewText.fit(Line(text, style), width))
    }

    /// The timeline row of one step (first line): marker, state, hypothesis, time.
    static func stepText(_ step: StepRecord, selected: Bool, spinner: Int) -> (label: Span, text: String) {
        let (label, style) = step.status.label(spinner: spinner)
        let time = step.durationMs.map { $0 > 0 ? " \($0) ms" : "" } ?? ""
        return (Span(label, style), SafeText.clean(step.hypothesis) + time)
    }

    // MARK: - Stacked (narrow terminals)

    static func stacked(_ model: WizardModel, _ state: DiagnosisState, width: Int, room: Int) -> [Line] {
        let count = state.steps.count
        // The list keeps at least 4 lines for the details; it scrolls with the selection.
        let listRoom = min(count, max(3, room - 5))
        let first = max(0, min(model.selectedStep - listRoom / 2, count - listRoom))
        var lines: [Line] = []
        for i in first..<(first + listRoom) where state.steps.indices.contains(i) {
            let (label, text) = stepText(state.steps[i], selected: i == model.selectedStep, spinner: model.spinner)
            lines.append(Line([Span(i == model.selectedStep ? ">" : " ", .bold), label,
                               Span(text, i == model.selectedStep ? .bold : .normal)]))
        }
        let position = listRoom < count ? " steps \(first + 1)-\(first + listRoom) of \(count) (Up/Down) " : ""
        lines.append(Line(position + String(repeating: "-", count: max(0, width - position.count)), .dim))
        let detail = details(model, state, width: width, withQuestion: false)
        let detailRoom = max(1, room - lines.count)
        let scroll = min(model.scroll, max(0, detail.count - detailRoom))
        lines += detail.dropFirst(scroll).prefix(detailRoom)
        return lines
    }

    // MARK: - Side by side (wide terminals)

    static func sideBySide(_ model: WizardModel, _ state: DiagnosisState, width: Int, room: Int) -> [Line] {
        let leftWidth = max(36, width * 2 / 5)
        let rightWidth = width - leftWidth - 3
        let timeline = self.timeline(model, state, width: leftWidth, room: room)
        let detail = details(model, state, width: rightWidth, withQuestion: true)
        let scroll = min(model.scroll, max(0, detail.count - room))
        let right = Array(detail.dropFirst(scroll).prefix(room))
        var lines: [Line] = []
        for row in 0..<room {
            let left = row < timeline.count ? timeline[row] : .blank
            var spans = ViewText.fit(left, leftWidth)
            spans.append(Span(" | ", .dim))
            if row < right.count { spans += right[row].spans }
            lines.append(Line(spans))
        }
        return lines
    }

    /// Every step, its hypothesis wrapped, scrolled so the chosen one shows.
    static func timeline(_ model: WizardModel, _ state: DiagnosisState, width: Int, room: Int) -> [Line] {
        var lines: [Line] = [Line(" Steps", .bold)]
        var firstLine = 0, lastLine = 0
        for (i, step) in state.steps.enumerated() {
            let selected = i == model.selectedStep
            let (label, text) = stepText(step, selected: selected, spinner: model.spinner)
            let indent = 1 + label.text.count
            let wrapped = Wrap.lines(text, width: max(10, width - indent))
            if selected { firstLine = lines.count }
            for (j, part) in wrapped.enumerated() {
                let lead = j == 0 ? [Span(selected ? ">" : " ", .bold), label] : [Span(String(repeating: " ", count: indent))]
                lines.append(Line(lead + [Span(part, selected ? .bold : .normal)]))
            }
            if selected { lastLine = lines.count - 1 }
        }
        guard lines.count > room else { return lines }
        var start = max(0, firstLine - room / 3)
        if lastLine >= start + room { start = lastLine - room + 1 }
        start = min(start, lines.count - room)
        return Array(lines.dropFirst(start).prefix(room))
    }

    // MARK: - The chosen step

    /// The chosen step's question, why it matters, its evidence, and the views that show more.
    static func details(_ model: WizardModel, _ state: DiagnosisState, width: Int, withQuestion: Bool) -> [Line] {
        guard state.steps.indices.contains(model.selectedStep) else { return [] }
        let step = state.steps[model.selectedStep]
        var lines: [Line] = []
        if withQuestion {
            let (label, style) = step.status.label(spinner: model.spinner)
            lines.append(Line([Span(" Step \(model.selectedStep + 1) of \(state.steps.count)", .dim), Span(label, style)]))
            lines += ViewText.wrapped(SafeText.clean(step.hypothesis) + "?", width: width, style: .bold)
            lines.append(.blank)
            lines.append(ViewText.heading("Why it matters"))
            lines += ViewText.wrapped(SafeText.clean(step.why), width: width, first: "  ", rest: "  ")
            lines.append(.blank)
            let time = step.durationMs.map { $0 > 0 ? ", \($0) ms" : "" } ?? ""
            lines.append(Line([Span(" Evidence", .bold), Span(" (probe: \(step.probe.rawValue)\(time))", .dim)]))
        } else {
            lines += ViewText.wrapped("Why: " + SafeText.clean(step.why), width: width, style: .dim)
        }
        if step.evidence.isEmpty {
            lines.append(Line(step.status == .running ? " Probing..." : " No evidence yet.", .dim))
        }
        for line in step.evidence {
            lines += ViewText.wrapped(SafeText.clean(line), width: width, first: "  ", rest: "    ")
        }
        if withQuestion {
            let views = views(for: step.probe).filter { KeyBar.evidenceKinds(state).contains($0) }
            if !views.isEmpty {
                lines.append(.blank)
                lines.append(Line([Span(" More:", .dim)] + views.flatMap { [Span("  " + String($0.key), .accent), Span(" " + $0.title, .dim)] }))
            }
        }
        return lines
    }

    /// The evidence views that show more of what a probe saw.
    static func views(for probe: ProbeKind) -> [EvidencePanel.Kind] {
        switch probe {
        case .dns: return [.dnsRecords, .waterfall, .commands]
        case .tcpConnect: return [.portGuide, .waterfall, .commands]
        case .smtp: return [.transcript, .certificates, .portGuide, .commands]
        case .spf, .dkim, .dmarc, .blocklists, .reverseDNS, .mx: return [.dnsRecords, .commands]
        }
    }
}
