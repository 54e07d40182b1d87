/// A key press, decoded from curses into what the wizard cares about.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case enter
    case escape
    case backspace
    case delete
    case tab
    case backTab
    case pageUp, pageDown, home, end
    case controlC
}

/// What happened, as the wizard hears it.
public enum WizardAction: Sendable {
    case key(Key)
    case resized(rows: Int, columns: Int)
    /// Time passed (animates the spinner while a probe runs).
    case tick
    case diagnosis(DiagnosisActionBox)
    /// An explanation the runtime worked out.
    case explained(ExplainOutcome)
    /// Saving the report: the default path worked out, or what came of writing it.
    case saving(SaveEvent)
}

import Diagnosis
import Probes

/// Wraps a diagnosis action so `WizardAction` stays simple to switch over.
public struct DiagnosisActionBox: Sendable {
    public let action: DiagnosisAction
    public init(_ action: DiagnosisAction) { self.action = action }
}

/// What the wizard asks its runtime to do.
public enum WizardEffect: Sendable, Equatable {
    /// Hand the credentials typed in the form to the probe client (never to the state or a report).
    case useCredentials(user: String, password: Secret)
    case perform(DiagnosisEffect)
    /// Explain pasted text or a file (off the main loop).
    case explain(ExplainRequest)
    /// Work out the default report path (it needs the clock).
    case proposeReportPath
    /// Write the report as JSON and Markdown.
    case saveReport(ReportSaveRequest)
    /// Remember the recently used targets (the list, newest first).
    case rememberTargets([RecentTarget])
    case quit
}
