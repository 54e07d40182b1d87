import Diagnosis

/// The wizard's pure update: `(model, action) -> effects`, switching on the
/// screen. No curses, no network.
public enum WizardReducer {
    public static func reduce(_ model: inout WizardModel, _ action: WizardAction) -> [WizardEffect] {
        switch action {
        case .resized(let rows, let columns):
            model.rows = rows
            model.columns = columns
            return []
        case .tick:
            if model.diagnosis?.phase == .running { model.spinner = (model.spinner + 1) % 4 }
            return []
        case .diagnosis(let box):
            return diagnosisAction(&model, box.action)
        case .explained(let outcome):
            model.explanation = outcome
            model.explaining = false
            return []
        case .saving(let event):
            return savingEvent(&model, event)
        case .key(let key):
            if key == .controlC { return [.quit] }
            // An open evidence view takes the keys first while a search is typed (s and q are text
            // there) and over the menu (whose letters pick recent targets); elsewhere s still saves.
            if let panel = model.panel, !model.showHelp, model.savePrompt == nil, panel.draft != nil || model.screen == .menu {
                return evidenceKey(&model, key)
            }
            if let effects = interceptKey(&model, key) { return effects }
            if model.showHelp { return HelpScreen.key(&model, key) }
            if model.panel != nil { return evidenceKey(&model, key) }
            if key == .char("?") {
                model.showHelp = true
                model.helpScroll = 0
                return []
            }
            switch model.screen {
            case .menu: return menuKey(&model, key)
            case .form: return formKey(&model, key)
            case .steps: return stepsKey(&model, key)
            case .verdict: return verdictKey(&model, key)
            case .explainInput: return explainInputKey(&model, key)
            case .explainResult: return explainResultKey(&model, key)
            }
        }
    }

    static func menuKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        let count = WizardModel.menu.count
        switch key {
        case .up: model.menuIndex = (model.menuIndex + count - 1) % count
        case .down, .tab: model.menuIndex = (model.menuIndex + 1) % count
        case .char(let c) where ("1"..."5").contains(c):
            model.menuIndex = Int(String(c))! - 1
            return menuKey(&model, .enter)
        case .enter, .right:
            let symptom = WizardModel.menu[model.menuIndex]
            model.status = nil
            if symptom == .explain {
                model.screen = .explainInput
                return []
            }
            model.form.asksForCredentials = symptom == .auth
            model.form.asksForSender = symptom == .spam
            if !model.form.fields.contains(model.form.focus) { model.form.focus = model.form.fields[0] }
            model.screen = .form
        case .char("q"), .escape: return [.quit]
        case .char("p"): _ = openPanel(&model, "p")
        default: break
        }
        return []
    }

    /// The field `step` places after `current` in `fields`, wrapping around.
    static func cycled<Field: Equatable>(_ fields: [Field], from current: Field, by step: Int) -> Field {
        let index = fields.firstIndex(of: current) ?? 0
        return fields[(index + step + fields.count) % fields.count]
    }

    static func formKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        func move(_ step: Int) { model.form.focus = cycled(model.form.fields, from: model.form.focus, by: step) }
        switch key {
        case .escape:
            model.screen = .menu
            return []
        case .up, .backTab: move(-1)
        case .down, .tab: move(1)
        case .enter:
            if model.form.focus == .run || model.form.isValid && model.form.focus != .run {
                return start(&model)
            }
            move(1)
        // A `where` binds only to the pattern before it: each arrow gets its own.
        case .left where model.form.focus == .tls, .right where model.form.focus == .tls:
            let modes = TLSMode.allCases
            let index = modes.firstIndex(of: model.form.tls)!
            model.form.tls = modes[(index + (key == .left ? modes.count - 1 : 1)) % modes.count]
        case .char(" ") where model.form.focus == .tls:
            return formKey(&model, .right)
        case .left where model.form.focus == .preset, .right where model.form.focus == .preset:
            // None, then each provider in turn.
            let count = ProviderCatalogue.all.count + 1
            let current = (model.form.preset ?? -1) + 1
            let next = (current + (key == .left ? count - 1 : 1)) % count
            model.form.choosePreset(next == 0 ? nil : next - 1)
        case .backspace:
            switch model.form.focus {
            // In a text field Backspace only edits: a held-down key must not
            // leave the form and let the next digits pick a menu entry.
            case .host: if !model.form.host.isEmpty { model.form.host.removeLast() }
            case .port: if !model.form.port.isEmpty { model.form.port.removeLast() }
            case .user: if !model.form.user.isEmpty { model.form.user.removeLast() }
            case .password: if !model.form.password.isEmpty { model.form.password.removeLast() }
            case .domain: if !model.form.domain.isEmpty { model.form.domain.removeLast() }
            case .sendingIP: if !model.form.sendingIP.isEmpty { model.form.sendingIP.removeLast() }
            case .selector: if !model.form.selector.isEmpty { model.form.selector.removeLast() }
            case .tls, .preset, .run: model.screen = .menu
            }
        case .char(let c):
            switch model.form.focus {
            case .host where model.form.host.count < 255 && !c.isWhitespace: model.form.host.append(c)
            case .port where c.isNumber && model.form.port.count < 5: model.form.port.append(c)
            case .user where model.form.user.count < 255 && !c.isWhitespace: model.form.user.append(c)
            case .password where model.form.password.characterCount < 1024: model.form.password.append(c)
            case .domain where model.form.domain.count < 253 && !c.isWhitespace: model.form.domain.append(c)
            case .sendingIP where model.form.sendingIP.count < 45 && (c.isHexDigit || c == "." || c == ":"): model.form.sendingIP.append(c)
            case .selector where model.form.selector.count < 63 && !c.isWhitespace: model.form.selector.append(c)
            default: break
            }
        default: break
        }
        return []
    }

    /// Starts (or restarts) the diagnosis with the form's target.
    static func start(_ model: inout WizardModel) -> [WizardEffect] {
        if model.readOnly != nil { return refuseRerun(&model) }
        guard let target = model.formTarget else {
            model.status = model.form.firstProblem
            return []
        }
        let symptom = WizardModel.menu[model.menuIndex]
        // Reuse the state so the run number keeps counting: a late result from
        // the previous run then carries an old number and is ignored.
        var state = model.diagnosis ?? DiagnosisState(target: target, symptom: symptom)
        state.target = target
        state.symptom = symptom
        let effects = DiagnosisReducer.reduce(&state, .started)
        model.diagnosis = state
        model.screen = state.phase == .finished ? .verdict : .steps
        model.selectedStep = 0
        model.scroll = 0
        model.status = nil
        let credentials: [WizardEffect] = model.form.asksForCredentials
            ? [.useCredentials(user: model.form.user, password: model.form.password)] : []
        return credentials + effects.map { .perform($0) } + remember(&model, target, symptom)
    }

    static func diagnosisAction(_ model: inout WizardModel, _ action: DiagnosisAction) -> [WizardEffect] {
        guard var state = model.diagnosis else { return [] }
        let wasRunning = state.phase == .running
        let effects = DiagnosisReducer.reduce(&state, action)
        model.diagnosis = state
        if let running = state.steps.firstIndex(where: { $0.status == .running }) {
            model.selectedStep = running
        }
        if wasRunning, state.phase == .finished {
            // Point at the step that found the cause, and show the verdict.
            model.selectedStep = state.steps.firstIndex { $0.status == .confirmed } ?? model.selectedStep
            if model.screen == .steps {
                model.screen = .verdict
                model.scroll = 0
            }
        }
        return effects.map { .perform($0) }
    }

    static func stepsKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        let count = model.diagnosis?.steps.count ?? 0
        switch key {
        case .up where count > 0: model.selectedStep = max(0, model.selectedStep - 1); model.scroll = 0
        case .down where count > 0: model.selectedStep = min(count - 1, model.selectedStep + 1); model.scroll = 0
        case .pageDown: model.scroll += 5
        case .pageUp: model.scroll = max(0, model.scroll - 5)
        case .enter, .right:
            if model.diagnosis?.phase == .finished {
                model.screen = .verdict
                model.scroll = 0
            }
        case .escape, .backspace, .left: model.screen = .form
        case .char("r"): return start(&model)
        case .char("q"): return [.quit]
        case .char(let c) where openPanel(&model, c): break
        default: break
        }
        return []
    }

    static func verdictKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        switch key {
        case .down: model.scroll += 1
        case .up: model.scroll = max(0, model.scroll - 1)
        case .pageDown: model.scroll += 10
        case .pageUp: model.scroll = max(0, model.scroll - 10)
        case .escape, .backspace, .left:
            model.screen = .steps
            model.scroll = 0
        case .char("m"):
            model.screen = .menu
        case .char("r"): return start(&model)
        case .char("q"): return [.quit]
        case .char(let c) where openPanel(&model, c): break
        default: break
        }
        return []
    }
}
