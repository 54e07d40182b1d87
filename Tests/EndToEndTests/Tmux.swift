import Foundation
import XCTest

/// A private tmux server running the real binary in a pane of a given size.
/// The binary runs under `dash` (which, unlike bash, does not repair the
/// terminal itself), and after it exits, `stty -a` is written to a file so the
/// test can check the terminal was restored.
final class Tmux {
    let socket = "sdtest-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
    let resultFile: String
    private(set) var started = false

    init() {
        resultFile = NSTemporaryDirectory() + "smtp-doctor-tmux-\(socket).txt"
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: resultFile)
        try? FileManager.default.removeItem(atPath: resultFile + ".config")
    }

    static func available() -> Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") && FileManager.default.isExecutableFile(atPath: "/bin/dash")
    }

    /// Runs a tmux client command and returns what it printed.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let outputPath = resultFile + ".out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let outcome = try Spawn.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + args,
                                    stdout: args.first == "new-session" ? nil : outputPath, limit: 10)
        if outcome.timedOut { throw TmuxError.hung(args) }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    enum TmuxError: Error {
        case hung([String])
    }

    func start(_ arguments: [String], columns: Int = 80, rows: Int = 24, environment: String = "LANG=C.UTF-8") throws {
        let quoted = ([Harness.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = "\(quoted); echo \"EXIT=$?\" > '\(resultFile).tmp'; stty -a >> '\(resultFile).tmp'; mv '\(resultFile).tmp' '\(resultFile)'; sleep 600"
        // tmux hands the command to sh, which would expand $? inside the double quotes: escape it.
        let escaped = script.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$")
        // The wizard keeps recent targets under XDG_CONFIG_HOME: never the real user's.
        let config = environment.contains("XDG_CONFIG_HOME=") ? "" : " XDG_CONFIG_HOME='\(resultFile).config'"
        let command = "env \(environment)\(config) TERM=xterm-256color SWIFT_BACKTRACE=interactive=no,enable=no dash -c \"\(escaped)\""
        try tmux(["new-session", "-d", "-x", String(columns), "-y", String(rows), command])
        started = true
    }

    func keys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "0"] + keys)
    }

    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "0", "-l", text])
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"])
    }

    /// Polls the screen until it contains `text`; fails with the screen printed.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitUntil("showed \"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Polls the screen until `condition` holds; fails with the screen printed.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line,
                   _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("screen never \(what); last screen:\n\(last)", file: file, line: line)
        return last
    }

    /// The pid of smtp-doctor inside the pane.
    func appPID() throws -> Int32? {
        let shell = try tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// Waits for the app to exit and returns its exit line and `stty -a` afterwards.
    func afterExit(timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) throws -> (exit: String, stty: String) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: resultFile, encoding: .utf8) {
                let lines = text.split(separator: "\n", maxSplits: 1).map(String.init)
                return (lines.first ?? "", lines.count > 1 ? lines[1] : "")
            }
            usleep(100_000)
        }
        XCTFail("the app did not exit; screen:\n\((try? screen()) ?? "")", file: file, line: line)
        return ("", "")
    }
}
