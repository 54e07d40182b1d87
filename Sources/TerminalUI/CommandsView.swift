import Diagnosis
import Probes

/// "Reproduce it": the command lines for the selected step, and on the
/// verdict the working settings to paste into a mail client or a script.
enum CommandsView {
    static func lines(_ model: WizardModel, width: Int) -> [Line] {
        guard let state = model.diagnosis else { return [Line(" No diagnosis has run yet.", .dim)] }
        // On the verdict the settings come first; from a step, its commands do.
        let onVerdict = model.screen == .verdict
        var lines: [Line] = []
        if onVerdict {
            lines += settings(state.facts, width: width)
            lines.append(.blank)
        }
        lines += commands(model, state, width: width)
        if !onVerdict && state.phase == .finished {
            lines.append(.blank)
            lines += settings(state.facts, width: width)
        }
        return lines
    }

    static func commands(_ model: WizardModel, _ state: DiagnosisState, width: Int) -> [Line] {
        var lines: [Line] = []
        guard let index = stepIndex(model, state) else { return lines }
        let step = state.steps[index]
        lines += ViewText.wrapped("Step: " + SafeText.clean(step.hypothesis), width: width, style: .bold)
        let commands = Reproduce.commands(for: step.probe, facts: state.facts)
        if commands.isEmpty {
            lines += ViewText.wrapped(step.probe == .dns ? "The host is an address: nothing to look up." : "No command reproduces this step (it needs a value this run does not have).",
                                      width: width, first: "   ", style: .dim)
        }
        lines += ViewText.wrapped("Run these on another machine; the password is never part of them (swaks asks for it). Up/Down on the steps screen chooses another step.",
                                  width: width, style: .dim)
        for command in commands {
            lines.append(.blank)
            lines += ViewText.wrapped("# " + SafeText.clean(command.purpose), width: width, first: "   ", rest: "     # ", style: .dim)
            lines += shellRows(command.words.map(SafeText.clean), width: width).map { Line($0, .accent) }
        }
        return lines
    }

    /// A command cut into rows that end in a backslash where it goes on, so copying
    /// every row still pastes one valid command. Words are never split.
    static func shellRows(_ words: [String], width: Int) -> [String] {
        let first = "   ", rest = "       "
        var rows: [String] = []
        var current = first
        for word in words {
            let fresh = current == first || current == rest
            if !fresh && current.count + 1 + word.count + 2 > width {
                rows.append(current + " \\")
                current = rest
            }
            current += (current == first || current == rest ? "" : " ") + word
        }
        rows.append(current)
        return rows
    }

    /// The chosen step; on the verdict, the step that found the cause, or the
    /// SMTP conversation when nothing was wrong.
    static func stepIndex(_ model: WizardModel, _ state: DiagnosisState) -> Int? {
        if model.screen == .verdict {
            if let confirmed = state.steps.firstIndex(where: { $0.status == .confirmed }) { return confirmed }
            if let smtp = state.steps.lastIndex(where: { $0.probe == .smtp && $0.status != .skipped }) { return smtp }
        }
        return state.steps.indices.contains(model.selectedStep) ? model.selectedStep : nil
    }

    /// The configuration that worked, as a mail client asks for it and as shell variables.
    static func settings(_ facts: Facts, width: Int) -> [Line] {
        guard let settings = WorkingSettings.found(in: facts) else {
            let why = facts.smtp == nil ? "this run held no complete SMTP conversation"
                : "no SMTP conversation of this run got through greeting, TLS\(facts.target.user == nil ? "" : " and the login")"
            return ViewText.wrapped("No working settings to paste: \(why).", width: width, style: .warn)
        }
        var lines = [ViewText.heading("Working settings (for a mail client)")]
        for row in settings.clientBlock {
            lines += ViewText.wrapped(SafeText.clean(row), width: width, first: "   ", rest: String(repeating: " ", count: 27))
        }
        lines.append(.blank)
        lines.append(ViewText.heading("The same for a script"))
        lines += settings.scriptBlock.map { Line("   " + SafeText.clean($0), .accent) }
        return lines
    }
}
