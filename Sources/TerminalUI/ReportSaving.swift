import Diagnosis
import Foundation

/// The "save the report" prompt (`s` on the steps or verdict screen).
public struct SavePrompt: Sendable, Equatable {
    public enum Stage: Sendable, Equatable {
        /// The path is being typed.
        case editing
        /// Handed to the runtime; waiting for what came of it.
        case saving
        /// These files exist: overwrite them (y) or not (n)?
        case confirmOverwrite(existing: [String])
    }

    /// The JSON file's path as typed (the Markdown file sits beside it).
    public var path: String
    public var stage: Stage = .editing
    /// Why the last try did not save (shown under the path).
    public var message: String?

    public init(path: String = "", stage: Stage = .editing, message: String? = nil) {
        self.path = path
        self.stage = stage
        self.message = message
    }

    /// Longest path kept (PATH_MAX).
    public static let pathLimit = 4096

    /// The two files the typed path names: `x.json` and `x.md`.
    public var files: (json: String, markdown: String) { ReportPath.files(path) }
}

/// What the wizard asks the runtime to write.
public struct ReportSaveRequest: Sendable, Equatable {
    public var jsonPath: String
    public var markdownPath: String
    /// Replace files that exist (only after the person said yes).
    public var overwrite: Bool

    public init(jsonPath: String, markdownPath: String, overwrite: Bool) {
        self.jsonPath = jsonPath
        self.markdownPath = markdownPath
        self.overwrite = overwrite
    }
}

/// What came of writing the report.
public enum ReportSaveOutcome: Sendable, Equatable {
    case saved(json: String, markdown: String)
    /// Nothing was written: these files exist and overwriting was not asked for.
    case exists([String])
    case failed(String)
}

/// Saving, as the wizard hears it.
public enum SaveEvent: Sendable, Equatable {
    /// The default path, worked out by the runtime (it needs the clock).
    case pathProposed(String)
    case finished(ReportSaveOutcome)
}

/// A one-line message shown over the key bar until the next key.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isProblem: Bool

    public init(_ text: String, isProblem: Bool = false) {
        self.text = text
        self.isProblem = isProblem
    }
}

/// A saved report being shown (`smtp-doctor show`): where it came from. Nothing is run again.
public struct ReadOnlyReport: Sendable, Equatable {
    public var source: String
    public var generatedAt: String
    public var toolVersion: String
    /// The SMTP conversation as the report saved it (already cleaned).
    public var transcript: [String]

    public init(source: String, generatedAt: String, toolVersion: String, transcript: [String] = []) {
        self.source = source
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        self.transcript = transcript
    }
}

/// Names of report files.
public enum ReportPath {
    /// `./smtp-doctor-<host or domain>-<YYYYmmdd-HHMMSS>.json`, in local time.
    public static func suggested(for target: Target, at date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        let stamp = String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "-" + two(c.hour) + two(c.minute) + two(c.second)
        return "./smtp-doctor-\(fileSafe(target.domain ?? target.host))-\(stamp).json"
    }

    /// A name fit for a file: letters, digits, dot, dash and underscore; at most 64 characters.
    static func fileSafe(_ name: String) -> String {
        let kept = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        let safe = String(kept.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return safe.isEmpty ? "report" : safe
    }

    /// The JSON and Markdown files of a typed path (`x`, `x.json` or `x.md`).
    public static func files(_ typed: String) -> (json: String, markdown: String) {
        var base = typed.trimmingCharacters(in: .whitespaces)
        for suffix in [".json", ".md"] where base.lowercased().hasSuffix(suffix) && base.count > suffix.count {
            base = String(base.dropLast(suffix.count))
            break
        }
        return (base + ".json", base + ".md")
    }
}
