import Diagnosis

extension WizardReducer {
    /// The explain input: a text area (Enter breaks the line, so a pasted
    /// bounce keeps its lines), a file path, and the Explain button.
    static func explainInputKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        func move(_ step: Int) { model.explainForm.focus = cycled(ExplainForm.Field.allCases, from: model.explainForm.focus, by: step) }
        switch key {
        case .escape:
            model.screen = .menu
        case .tab:
            move(1)
        case .backTab:
            move(-1)
        // In the text box Up/Down do nothing (the paste keeps its lines); elsewhere they move.
        case .down where model.explainForm.focus != .text:
            move(1)
        case .up where model.explainForm.focus != .text:
            move(-1)
        case .enter:
            switch model.explainForm.focus {
            case .text: appendText(&model, "\n")
            case .path: move(1)
            case .run: return startExplain(&model)
            }
        case .backspace:
            switch model.explainForm.focus {
            case .text: if !model.explainForm.text.isEmpty { model.explainForm.text.removeLast() }
            case .path: if !model.explainForm.path.isEmpty { model.explainForm.path.removeLast() }
            case .run: model.screen = .menu
            }
        case .char(let c):
            switch model.explainForm.focus {
            case .text: appendText(&model, String(c))
            case .path where model.explainForm.path.count < 4096: model.explainForm.path.append(c)
            default: break
            }
        default:
            break
        }
        return []
    }

    static func appendText(_ model: inout WizardModel, _ text: String) {
        guard model.explainForm.text.utf8.count + text.utf8.count <= ExplainForm.textLimit else {
            model.explainForm.truncated = true
            return
        }
        model.explainForm.text += text
    }

    static func startExplain(_ model: inout WizardModel) -> [WizardEffect] {
        if let problem = model.explainForm.problem {
            model.status = problem
            return []
        }
        model.status = nil
        model.explanation = nil
        model.explaining = true
        model.scroll = 0
        model.screen = .explainResult
        let path = model.explainForm.path.trimmingCharacters(in: .whitespaces)
        return [.explain(ExplainRequest(text: model.explainForm.text, path: path.isEmpty ? nil : path))]
    }

    /// The explanation: scroll it, or pick a suggested check (its number) to
    /// open that family's form with the values the text named.
    static func explainResultKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        switch key {
        case .up: model.scroll = max(0, model.scroll - 1)
        case .down: model.scroll += 1
        case .pageUp: model.scroll = max(0, model.scroll - 10)
        case .pageDown: model.scroll += 10
        case .escape, .backspace: model.screen = .explainInput
        case .char("m"): model.screen = .menu
        case .char("q"): return [.quit]
        case .char(let c) where c.isNumber:
            guard let checks = model.explanation?.checks, let n = Int(String(c)), (1...checks.count).contains(n) else { return [] }
            openCheck(&model, checks[n - 1])
        default: break
        }
        return []
    }

    /// Fills the form of the check's family with what the explanation found.
    static func openCheck(_ model: inout WizardModel, _ check: SuggestedCheck) {
        guard let index = WizardModel.menu.firstIndex(of: check.symptom) else { return }
        model.menuIndex = index
        model.form.asksForCredentials = check.symptom == .auth
        model.form.asksForSender = check.symptom == .spam
        if let host = check.host { model.form.host = host }
        if let domain = check.domain { model.form.domain = domain }
        if let ip = check.sendingIP { model.form.sendingIP = ip }
        if let user = check.user { model.form.user = user }
        model.form.focus = model.form.fields[0]
        model.status = "Filled in from the explanation: check the values, then Enter runs the checks."
        model.screen = .form
    }
}
