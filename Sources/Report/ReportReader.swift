import Foundation
import Probes

/// Reads a saved report back (`smtp-doctor show`). The file may come from
/// anyone: it is bounded (size, string lengths, list lengths), every text
/// field is cleaned of control characters before anything can draw it, and
/// every way it can be wrong ends in a clear message, never a crash.
public enum ReportReader {
    /// Larger files are refused (a real report takes a few KB).
    public static let fileLimit = 16 * 1024 * 1024
    /// Characters kept of any one text field.
    public static let textLimit = 2000
    /// Entries kept of any one list (steps, evidence lines, transcript lines).
    public static let listLimit = 1000

    /// Why a file is not a report that can be shown.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    public static func read(path: String) throws -> ReportDocument {
        let shown = String(SafeText.clean(path).prefix(200))
        var info = stat()
        guard stat(path, &info) == 0 else { throw Problem("cannot read \"\(shown)\": \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Problem("\"\(shown)\" is not a regular file") }
        guard Int(info.st_size) <= fileLimit else {
            throw Problem("\"\(shown)\" is \(Int(info.st_size) / 1_048_576) MiB: reports larger than \(fileLimit / 1_048_576) MiB are not read")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem("cannot open \"\(shown)\" for reading") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: fileLimit + 1)) ?? Data()
        guard data.count <= fileLimit else { throw Problem("\"\(shown)\" grew past \(fileLimit / 1_048_576) MiB while being read") }
        do {
            return try decode(data)
        } catch let problem as Problem {
            throw Problem("\"\(shown)\" is not a report smtp-doctor can show: \(problem.description)")
        }
    }

    /// Decodes and cleans a report.
    public static func decode(_ data: Data) throws -> ReportDocument {
        guard data.count <= fileLimit else { throw Problem("larger than \(fileLimit / 1_048_576) MiB") }
        guard data.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) == UInt8(ascii: "{") else {
            throw Problem("it is not a JSON object (a report starts with {)")
        }
        var document: ReportDocument
        do {
            document = try JSONDecoder().decode(ReportDocument.self, from: data)
        } catch let error as DecodingError {
            throw Problem(describe(error))
        } catch {
            throw Problem("it is not valid JSON")
        }
        document.clean()
        guard document.tool.name == "smtp-doctor" else {
            throw Problem("it was not written by smtp-doctor (tool.name is \"\(document.tool.name.prefix(60))\")")
        }
        return document
    }

    /// A decoding error as one sentence naming the field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            let trimmed = joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
            return String(SafeText.clean(trimmed).prefix(200))
        }
        func kind(_ type: Any.Type) -> String {
            let name = String(describing: type)
            if name.hasPrefix("String") { return "text" }
            if name.hasPrefix("Int") { return "a whole number" }
            if name.hasPrefix("Double") || name.hasPrefix("Float") { return "a number" }
            if name.hasPrefix("Bool") { return "true or false" }
            if name.hasPrefix("Array") { return "a list" }
            return "an object"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "the field \(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty ? "it is not a JSON object" : "the field \(path(context.codingPath)) should be \(kind(type))"
        case .valueNotFound(let type, let context):
            return "the field \(path(context.codingPath)) is null; it should be \(kind(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "it is not valid JSON" }
            return "the field \(path(context.codingPath)) holds a value that is not allowed"
        @unknown default:
            return "it is not a report"
        }
    }

    /// A text field as it may be shown: cut to `textLimit` characters, control characters made visible.
    static func clean(_ text: String) -> String {
        guard let end = text.index(text.startIndex, offsetBy: textLimit, limitedBy: text.endIndex), end != text.endIndex else {
            return SafeText.clean(text)
        }
        return SafeText.clean(String(text[..<end])) + " ...(cut)"
    }

    static func clean(_ list: [String]) -> [String] {
        list.prefix(listLimit).map(clean) + (list.count > listLimit ? ["...(\(list.count - listLimit) more lines cut)"] : [])
    }
}

extension ReportDocument {
    /// Every text field cleaned and bounded, every list bounded.
    mutating func clean() {
        let c: (String) -> String = ReportReader.clean
        let limit = ReportReader.listLimit
        tool = Tool(name: c(tool.name), version: c(tool.version))
        generatedAt = c(generatedAt)
        symptom = c(symptom)
        target.host = c(target.host)
        target.tls = c(target.tls)
        target.family = c(target.family)
        target.domain = target.domain.map(c)
        target.sendingIP = target.sendingIP.map(c)
        target.dkimSelectors = target.dkimSelectors.map(ReportReader.clean)
        target.dnsblZones = target.dnsblZones.map(ReportReader.clean)
        target.helo = target.helo.map(c)
        verdict = Verdict(cause: c(verdict.cause), summary: c(verdict.summary))
        findings = findings.prefix(limit).map {
            FindingEntry(cause: c($0.cause), severity: c($0.severity), summary: c($0.summary), evidence: ReportReader.clean($0.evidence))
        }
        steps = steps.prefix(limit).map {
            StepEntry(id: c($0.id), hypothesis: c($0.hypothesis), probe: c($0.probe), outcome: c($0.outcome),
                      evidence: ReportReader.clean($0.evidence), durationMs: $0.durationMs)
        }
        remediation = ReportReader.clean(remediation)
        transcript = ReportReader.clean(transcript)
        dnsLookups = dnsLookups.map(ReportReader.clean)
        if var entry = spf {
            entry.domain = c(entry.domain)
            entry.result = c(entry.result)
            entry.explanation = entry.explanation.map(c)
            spf = entry
        }
    }
}
