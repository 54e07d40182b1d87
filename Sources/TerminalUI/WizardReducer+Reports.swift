import Diagnosis

/// Saving the report (`s`), the recent targets on the menu, and the
/// read-only mode of a saved report shown again.
extension WizardReducer {
    /// Keys handled before the screen's own: the open save prompt takes
    /// every key; `s` opens it; a letter on the menu picks a recent target.
    /// nil lets the screen handle the key.
    static func interceptKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect]? {
        if model.savePrompt != nil { return savePromptKey(&model, key) }
        if model.showHelp { return nil }
        model.notice = nil
        switch (model.screen, key) {
        case (.steps, .char("s")), (.verdict, .char("s")):
            return openSavePrompt(&model)
        case (.menu, .char(let c)):
            guard let index = recentIndex(c), model.recent.indices.contains(index) else { return nil }
            openRecent(&model, model.recent[index])
            return []
        default:
            return nil
        }
    }

    static func openSavePrompt(_ model: inout WizardModel) -> [WizardEffect] {
        guard model.diagnosis?.phase == .finished else {
            model.notice = Notice("The report can be saved once the checks have finished.", isProblem: true)
            return []
        }
        model.savePrompt = SavePrompt()
        return [.proposeReportPath]
    }

    static func savePromptKey(_ model: inout WizardModel, _ key: Key) -> [WizardEffect] {
        guard var prompt = model.savePrompt else { return [] }
        switch prompt.stage {
        case .editing:
            switch key {
            case .escape:
                model.savePrompt = nil
                model.notice = Notice("Not saved.")
                return []
            case .enter:
                guard !prompt.path.trimmingCharacters(in: .whitespaces).isEmpty else {
                    prompt.message = "Type where to save the report."
                    model.savePrompt = prompt
                    return []
                }
                let files = prompt.files
                prompt.stage = .saving
                prompt.message = nil
                model.savePrompt = prompt
                return [.saveReport(ReportSaveRequest(jsonPath: files.json, markdownPath: files.markdown, overwrite: false))]
            case .backspace:
                if !prompt.path.isEmpty { prompt.path.removeLast() }
            case .char(let c) where prompt.path.count < SavePrompt.pathLimit:
                guard !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return [] }
                prompt.path.append(c)
                prompt.message = nil
            default:
                break
            }
        case .saving:
            return []
        case .confirmOverwrite:
            switch key {
            case .char("y"), .char("Y"):
                let files = prompt.files
                prompt.stage = .saving
                model.savePrompt = prompt
                return [.saveReport(ReportSaveRequest(jsonPath: files.json, markdownPath: files.markdown, overwrite: true))]
            case .char("n"), .char("N"), .escape:
                prompt.stage = .editing
                prompt.message = "Nothing was overwritten: change the name, or Esc to cancel."
            default:
                return []
            }
        }
        model.savePrompt = prompt
        return []
    }

    static func savingEvent(_ model: inout WizardModel, _ event: SaveEvent) -> [WizardEffect] {
        guard var prompt = model.savePrompt else { return [] }
        switch event {
        case .pathProposed(let path):
            if prompt.path.isEmpty, prompt.stage == .editing { prompt.path = String(path.prefix(SavePrompt.pathLimit)) }
        case .finished(.saved(let json, let markdown)):
            model.savePrompt = nil
            model.notice = Notice("Saved \(json) and \(markdown)")
            return []
        case .finished(.exists(let files)):
            prompt.stage = .confirmOverwrite(existing: files)
            prompt.message = nil
        case .finished(.failed(let reason)):
            prompt.stage = .editing
            prompt.message = reason
        }
        model.savePrompt = prompt
        return []
    }

    /// A saved report shown again runs nothing: `r` (and the form's Run) only say so.
    static func refuseRerun(_ model: inout WizardModel) -> [WizardEffect] {
        model.notice = Notice("A saved report: nothing is run again (r is off). Run smtp-doctor itself to check again.",
                              isProblem: true)
        model.status = model.notice?.text
        return []
    }

    // MARK: Recent targets

    /// Remembers the target a run is starting with; the runtime writes the list.
    static func remember(_ model: inout WizardModel, _ target: Target, _ symptom: Symptom) -> [WizardEffect] {
        guard model.readOnly == nil else { return [] }
        let updated = RecentTarget.remembering(RecentTarget(target: target, symptom: symptom), in: model.recent)
        guard updated != model.recent else { return [] }
        model.recent = updated
        return [.rememberTargets(updated)]
    }

    /// The letters that pick a recent target on the menu: a to j.
    static func recentIndex(_ c: Character) -> Int? {
        guard let ascii = c.asciiValue, (97..<(97 + UInt8(RecentTargetsFile.limit))).contains(ascii) else { return nil }
        return Int(ascii - 97)
    }

    /// Fills the family's form with a recent target; Enter then runs it.
    static func openRecent(_ model: inout WizardModel, _ recent: RecentTarget) {
        guard let index = WizardModel.menu.firstIndex(of: recent.symptom) else { return }
        model.menuIndex = index
        model.form.asksForCredentials = recent.symptom == .auth
        model.form.asksForSender = recent.symptom == .spam
        model.form.preset = nil
        if recent.symptom == .spam {
            model.form.domain = recent.domain ?? ""
            model.form.sendingIP = recent.sendingIP ?? ""
            model.form.selector = recent.selector ?? ""
        } else {
            model.form.host = recent.host ?? ""
            model.form.port = recent.port.map(String.init) ?? model.form.port
            model.form.tls = recent.tls ?? .auto
        }
        model.form.focus = recent.symptom == .auth ? .user : .run
        model.status = recent.symptom == .auth ? "Filled in from a recent target: type the user name and password, then Enter."
                                               : "Filled in from a recent target: Enter runs the checks."
        model.screen = .form
    }
}
