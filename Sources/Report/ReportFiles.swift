import Foundation
import Probes

/// Writes a report as JSON and Markdown side by side (the wizard's `s`).
/// Never replaces a file unless asked: without `overwrite` each file is
/// created exclusively (O_EXCL), so a file that appears meanwhile is not
/// clobbered either; with it, each is written beside and renamed over.
/// Files are created with mode 0600: a report names servers and accounts.
public enum ReportFiles {
    public enum Outcome: Sendable, Equatable {
        case saved
        /// Nothing written: these paths exist.
        case exists([String])
        case failed(String)
    }

    public static func save(_ document: ReportDocument, json: String, markdown: String, overwrite: Bool) -> Outcome {
        let files = [(json, ReportFormat.json.render(document)), (markdown, ReportFormat.markdown.render(document))]
        if !overwrite {
            let existing = files.map(\.0).filter { path in
                var info = stat()
                return lstat(expand(path), &info) == 0
            }
            if !existing.isEmpty { return .exists(existing) }
        }
        var written: [String] = []
        for (path, text) in files {
            let result = overwrite ? replace(expand(path), with: Data(text.utf8)) : create(expand(path), with: Data(text.utf8))
            switch result {
            case .saved:
                written.append(path)
            case .exists, .failed:
                // Leave nothing half done: a JSON without its Markdown is removed again.
                for done in written where !overwrite { unlink(expand(done)) }
                if case .exists = result { return .exists([path]) }
                return result
            }
        }
        return .saved
    }

    /// `~/x` is the home directory's x; anything else as given.
    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst(1)
    }

    static func create(_ path: String, with data: Data) -> Outcome {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            return errno == EEXIST ? .exists([path]) : failure(path)
        }
        let ok = writeAll(fd, data) && fsync(fd) == 0
        let reason = ok ? nil : failure(path)
        close(fd)
        if let reason {
            unlink(path)
            return reason
        }
        return .saved
    }

    static func replace(_ path: String, with data: Data) -> Outcome {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return failure(path) }
        let ok = writeAll(fd, data) && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = failure(path)
            unlink(temporary)
            return reason
        }
        return .saved
    }

    static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
    }

    static func failure(_ path: String) -> Outcome {
        .failed("cannot write \(SafeText.clean(path)): \(String(cString: strerror(errno)))")
    }
}
