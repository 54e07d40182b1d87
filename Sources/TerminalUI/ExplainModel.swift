import Diagnosis
import Probes

/// The "explain an error" entry: pasted text, or a saved file (a bounce or a
/// message to check), and what came of it.
public struct ExplainForm: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case text, path, run
    }

    /// The pasted text: Enter adds a line break here, so a paste keeps its lines.
    public var text = ""
    /// Or a file: a bounce (delivery status notification) or a saved message.
    public var path = ""
    public var focus: Field = .text
    /// Text kept at most (a paste beyond this is cut, and the screen says so).
    public static let textLimit = 64 * 1024
    public var truncated = false

    public init() {}

    public var problem: String? {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && path.isEmpty {
            return "paste the error text, or give the path of a bounce or message file"
        }
        return nil
    }
}

/// What the runtime is asked to explain.
public struct ExplainRequest: Sendable, Equatable {
    public var text: String
    public var path: String?

    public init(text: String, path: String?) {
        self.text = text
        self.path = path
    }
}

/// The explanation, ready to show: lines of text and the checks it suggests.
public struct ExplainOutcome: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var checks: [SuggestedCheck]

    public init(title: String, lines: [String], checks: [SuggestedCheck]) {
        self.title = title
        self.lines = lines
        self.checks = checks
    }
}

/// A check the explanation suggests, with the values it found filled in.
public struct SuggestedCheck: Sendable, Equatable {
    public var label: String
    public var symptom: Symptom
    public var host: String?
    public var domain: String?
    public var sendingIP: String?
    public var user: String?
    public var commandLine: String

    public init(label: String, symptom: Symptom, host: String? = nil, domain: String? = nil, sendingIP: String? = nil,
                user: String? = nil, commandLine: String) {
        self.label = label
        self.symptom = symptom
        self.host = host
        self.domain = domain
        self.sendingIP = sendingIP
        self.user = user
        self.commandLine = commandLine
    }
}
