import Diagnosis

extension WizardReducer {
    /// Opens the evidence view a key names (`t d x w p c`); false when the key names none.
    static func openPanel(_ model: inout WizardModel, _ key: Character) -> Bool {
        guard let kind = EvidencePanel.Kind(key: key) else { return false }
        model.panel = EvidencePanel(kind: kind)
        return true
    }

    /// Keys while an evidence view is open: scrolling, `/` search, `n`/`N`
    /// between matches, another view's key, Esc back to the screen below.
    static func evidenceKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        guard var panel = model.panel else { return [] }
        defer { if model.panel != nil { model.panel = panel } }
        if let draft = panel.draft {
            switch key {
            case .enter:
                panel.draft = nil
                panel.query = draft
                panel.match = nil
                panel.note = nil
                jump(&panel, model, by: 1)
            case .escape:
                panel.draft = nil
            case .backspace:
                if draft.isEmpty { panel.draft = nil } else { panel.draft = String(draft.dropLast()) }
            case .char(let c) where draft.count < 200:
                panel.draft = draft + String(c)
            default:
                break
            }
            return []
        }
        let page = max(1, EvidenceScreen.viewport(rows: model.rows) - 1)
        panel.note = nil
        switch key {
        case .escape, .backspace, .left:
            model.panel = nil
        case .char("q"):
            return [.quit]
        case .char("?"):
            model.showHelp = true
            model.helpScroll = 0
        case .char("/"):
            panel.draft = ""
        case .char("n"):
            jump(&panel, model, by: 1)
        case .char("N"):
            jump(&panel, model, by: -1)
        case .up: panel.scroll -= 1
        case .down: panel.scroll += 1
        case .pageUp: panel.scroll -= page
        case .pageDown, .char(" "): panel.scroll += page
        case .home: panel.scroll = 0
        case .end: panel.scroll = Int.max / 2
        case .char(let c):
            if let kind = EvidencePanel.Kind(key: c), kind != panel.kind { panel = EvidencePanel(kind: kind) }
        default:
            break
        }
        clamp(&panel, model)
        return []
    }

    /// Keeps the scroll inside the view's lines.
    static func clamp(_ panel: inout EvidencePanel, _ model: WizardModel) {
        let count = EvidenceScreen.content(model, panel.kind, width: model.columns).count
        panel.scroll = max(0, min(panel.scroll, count - EvidenceScreen.viewport(rows: model.rows)))
    }

    /// Goes to the next (or previous) line matching the query, wrapping around,
    /// and scrolls so it shows a third of the way down.
    static func jump(_ panel: inout EvidencePanel, _ model: WizardModel, by step: Int) {
        guard !panel.query.isEmpty else {
            panel.note = "press / to search first"
            return
        }
        let lines = EvidenceScreen.content(model, panel.kind, width: model.columns)
        let matches = Search.matchingLines(lines, query: panel.query)
        guard !matches.isEmpty else {
            panel.match = nil
            return
        }
        let next: Int
        if let current = panel.match, matches.indices.contains(current) {
            next = (current + step + matches.count) % matches.count
        } else if step > 0 {
            next = matches.firstIndex { $0 >= panel.scroll } ?? 0
        } else {
            next = matches.lastIndex { $0 < panel.scroll } ?? matches.count - 1
        }
        if let current = panel.match, step > 0, next <= current, matches.count > 1 { panel.note = "from the top again" }
        panel.match = next
        let room = EvidenceScreen.viewport(rows: model.rows)
        let line = matches[next]
        if line < panel.scroll || line >= panel.scroll + room {
            panel.scroll = max(0, line - room / 3)
        }
        panel.scroll = max(0, min(panel.scroll, lines.count - room))
    }
}
