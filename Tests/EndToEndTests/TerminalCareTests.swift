import Foundation
import XCTest

/// The terminal as people on SSH links and in tmux have it: 80x24 and
/// 200x50, UTF-8 and plain C locales, with and without colours. A family
/// walked to its verdict, the report saved and opened again with `show`, a
/// resize while a probe runs, a hang-up, and the terminal checked afterwards.
final class TerminalCareTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        guard Tmux.available() else { throw XCTSkip("tmux and dash are needed (Scripts/test.sh installs them)") }
        directory = NSTemporaryDirectory() + "sd-care-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: The matrix

    func testUTF8WithColours() throws { try walkSaveAndShow(locale: "C.UTF-8", noColor: false) }
    func testUTF8WithNO_COLOR() throws { try walkSaveAndShow(locale: "C.UTF-8", noColor: true) }
    func testPlainCLocaleWithColours() throws { try walkSaveAndShow(locale: "C", noColor: false) }
    func testPlainCLocaleWithNO_COLOR() throws { try walkSaveAndShow(locale: "C", noColor: true) }

    /// The refused family against a closed loopback port, at both sizes: the
    /// verdict, `s` with the default path, both files parsed, `show` on the
    /// JSON with the same verdict and `r` refused, the terminal restored.
    private func walkSaveAndShow(locale: String, noColor: Bool) throws {
        for (columns, rows) in [(80, 24), (200, 50)] {
            let place = directory + "/\(columns)x\(rows)"
            try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: true)
            let environment = "LANG=\(locale)" + (noColor ? " NO_COLOR=1" : "") + " XDG_CONFIG_HOME=\(place)/config"
            let context = "\(columns)x\(rows) LANG=\(locale)\(noColor ? " NO_COLOR" : "")"
            let port = LoopbackPorts.closed()
            let tmux = Tmux()
            try tmux.start(["--host", "127.0.0.1", "--port", String(port), "--control-port", String(LoopbackPorts.closed()), "--timeout", "2"],
                           in: place, columns: columns, rows: rows, environment: environment)
            try checkScreen(tmux.waitFor("What is happening with your email?"), locale: locale, context)
            try tmux.keys("Enter")
            try tmux.waitFor("Which server does your mail program use?")
            try tmux.keys("Enter")
            let verdict = try tmux.waitFor("PROBLEM: port-closed")
            try checkScreen(verdict, locale: locale, context)
            try checkColours(tmux, noColor: noColor, context)
            try tmux.keys("s")
            try tmux.waitFor("Save the report as: ./smtp-doctor-127.0.0.1-")
            try tmux.keys("Enter")
            try checkScreen(tmux.waitFor("Saved ./smtp-doctor-127.0.0.1-"), locale: locale, context)
            try tmux.keys("q")
            let (exit, stty) = try tmux.afterExit()
            XCTAssertEqual(exit, "EXIT=0", context)
            assertTerminalRestored(stty, context)

            let saved = try FileManager.default.contentsOfDirectory(atPath: place).filter { $0.hasPrefix("smtp-doctor-127.0.0.1-") }.sorted()
            XCTAssertEqual(saved.count, 2, "\(context): \(saved)")
            let json = try XCTUnwrap(saved.first { $0.hasSuffix(".json") }, context)
            XCTAssertEqual(saved.last, String(json.dropLast(5)) + ".md", context)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: place + "/" + json))) as? [String: Any])
            XCTAssertEqual((object["verdict"] as? [String: Any])?["cause"] as? String, "port-closed", context)
            let markdown = try String(contentsOfFile: place + "/" + saved.last!, encoding: .utf8)
            XCTAssertTrue(markdown.contains("**Verdict: `port-closed`**"), markdown)
            let recent = try String(contentsOfFile: place + "/config/smtp-doctor/recent.json", encoding: .utf8)
            XCTAssertTrue(recent.contains("\"port\" : \(port)"), recent)

            // Opened again, read-only, in the same screens.
            let show = Tmux()
            try show.start(["show", json], in: place, columns: columns, rows: rows, environment: environment)
            let shown = try show.waitFor("PROBLEM: port-closed")
            XCTAssertTrue(shown.contains("[saved report, read-only]"), shown)
            XCTAssertTrue(shown.contains("refused the connection on port \(port)"), shown)
            try checkScreen(shown, locale: locale, context)
            try checkColours(show, noColor: noColor, context)
            try show.keys("r")
            try show.waitFor("nothing is run again")
            try show.keys("Escape")
            try show.waitFor("CONFIRMED")
            try show.keys("q")
            let (showExit, showStty) = try show.afterExit()
            XCTAssertEqual(showExit, "EXIT=0", context)
            assertTerminalRestored(showStty, context)
        }
    }

    /// The wizard walked to a closed port's verdict, its report saved as
    /// `name`.json and .md in the test's directory; the wizard is left running.
    private func savedPortClosedReport(as name: String) throws -> Tmux {
        let tmux = Tmux()
        try tmux.start(["--host", "127.0.0.1", "--port", String(LoopbackPorts.closed()), "--control-port", String(LoopbackPorts.closed())],
                       in: directory, environment: "LANG=C.UTF-8 XDG_CONFIG_HOME=\(directory)/config")
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("Enter")
        try tmux.waitFor("Which server")
        try tmux.keys("Enter")
        try tmux.waitFor("PROBLEM: port-closed")
        try tmux.keys("s")
        try tmux.waitFor("Save the report as:")
        for _ in 0..<80 { try tmux.keys("BSpace") }
        try tmux.type(directory + "/\(name)")
        try tmux.keys("Enter")
        try tmux.waitFor("Saved ")
        return tmux
    }

    /// The saved report printed without a terminal: text, and the ticket summary.
    func testShowPrintsWithoutATerminal() throws {
        let tmux = try savedPortClosedReport(as: "saved")
        // Again under the same name: asked, n keeps the files.
        try tmux.keys("s")
        try tmux.waitFor("Save the report as:")
        for _ in 0..<80 { try tmux.keys("BSpace") }
        try tmux.type(directory + "/saved.json")
        try tmux.keys("Enter")
        try tmux.waitFor("Overwrite? (y/n)")
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/saved.json"))
        try tmux.keys("n")
        try tmux.waitFor("Nothing was overwritten")
        try tmux.keys("Escape", "q")
        assertTerminalRestored(try tmux.afterExit().stty, "overwrite")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/saved.json")), before)

        let text = try Harness.run(["show", directory + "/saved.json", "--format", "text"])
        XCTAssertEqual(text.status, 1, text.stderr)
        XCTAssertTrue(text.stdout.contains("Verdict: port-closed"), text.stdout)
        let plain = try Harness.run(["show", directory + "/saved.json"])
        XCTAssertEqual(plain.stdout, text.stdout, "no terminal: the text report")
        let summary = try Harness.run(["show", directory + "/saved.json", "--format", "summary"])
        let lines = summary.stdout.split(separator: "\n")
        XCTAssertTrue((5...10).contains(lines.count), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("Verdict: port-closed - 127.0.0.1"), summary.stdout)
        let check = try Harness.run(["check", "--host", "127.0.0.1", "--port", String(LoopbackPorts.closed()), "--format", "summary"])
        XCTAssertTrue(check.stdout.hasPrefix("smtp-doctor "), check.stdout)
        XCTAssertTrue(check.stdout.contains("Verdict: port-closed"), check.stdout)
    }

    /// Hostile files: a clear message and exit status 2, never a crash, never an escape on the terminal.
    func testShowRefusesHostileFilesClearly() throws {
        let cases: [(String, Data, String)] = [
            ("text.json", Data("hello".utf8), "is not a JSON object"),
            ("types.json", Data(#"{"tool":{"name":"smtp-doctor","version":"1"},"generatedAt":5}"#.utf8), "the field generatedAt should be text"),
            ("escape\u{1b}[2J.json", Data("{}".utf8), "the field tool is missing"),
        ]
        for (name, bytes, expected) in cases {
            let path = directory + "/" + name
            try bytes.write(to: URL(fileURLWithPath: path))
            let run = try Harness.run(["show", path])
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertTrue(run.stderr.contains(expected), run.stderr)
            XCTAssertFalse(run.stderr.contains("\u{1b}"), run.stderr)
        }
        // Escape sequences inside a well-formed report are shown, never obeyed.
        let tmux = try savedPortClosedReport(as: "evil")
        try tmux.keys("q")
        _ = try tmux.afterExit()
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/evil.json"))) as? [String: Any])
        var verdict = try XCTUnwrap(object["verdict"] as? [String: Any])
        verdict["summary"] = "evil\u{1b}[2J\u{1b}]0;title\u{07}" + String(repeating: "A", count: 100_000)
        object["verdict"] = verdict
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory + "/evil.json"))
        let show = Tmux()
        try show.start(["show", "evil.json"], in: directory)
        let screen = try show.waitFor("evil\\x1B[2J\\x1B]0;title\\x07AAAA")
        XCTAssertTrue(screen.contains("PROBLEM: port-closed"), screen)
        try show.keys("q")
        assertTerminalRestored(try show.afterExit().stty, "hostile")
    }

    // MARK: Resize, bytes, idle

    /// A probe that hangs (a port that accepts and never greets): the wizard
    /// resized while it spins, the bytes it writes meanwhile, and nothing at
    /// all written once it waits on the verdict.
    func testResizeMidProbeAndFewBytesWhileSpinning() throws {
        let listener = try LoopbackPorts.silentListener()
        defer { close(listener.fd) }
        let tmux = Tmux()
        try tmux.start(["--host", "127.0.0.1", "--port", String(listener.port), "--control-port", String(LoopbackPorts.closed()),
                        "--timeout", "5"], in: directory, environment: "LANG=C.UTF-8 XDG_CONFIG_HOME=\(directory)/config")
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("3")
        try tmux.waitFor("Which server does your mail program use?")
        try tmux.keys("Enter")
        try tmux.waitFor("testing")
        let spinning = try bytesWritten(by: tmux, during: 1.5)
        print("bytes written while a probe spins: \(spinning) in 1.5 s (\(Int(Double(spinning) / 1.5)) B/s)")
        XCTAssertLessThan(Double(spinning) / 1.5, 2048, "goal: under 2 KB/s while a probe spins")
        try tmux.tmux(["resize-window", "-t", "0", "-x", "120", "-y", "40"])
        // The key bar moves down to the fortieth row.
        let wide = try tmux.waitUntil("put the key bar on row 40") { screen in
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return rows.count >= 40 && rows[39].contains("q quit")
        }
        XCTAssertTrue(wide.contains("never greets"), wide)
        XCTAssertFalse(wide.contains("Terminal too small"), wide)
        try tmux.tmux(["resize-window", "-t", "0", "-x", "50", "-y", "12"])
        try tmux.waitFor("Terminal too small")
        try tmux.tmux(["resize-window", "-t", "0", "-x", "80", "-y", "24"])
        let verdict = try tmux.waitFor("PROBLEM: banner-timeout", timeout: 30)
        XCTAssertFalse(verdict.contains("Terminal too small"), verdict)
        let idle = try bytesWritten(by: tmux, during: 2)
        XCTAssertEqual(idle, 0, "an idle wizard draws nothing")
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty, "resize")
    }

    // MARK: Hang-up, stray output, the log

    /// The SSH link drops (the pane's terminal goes away): the wizard ends, at
    /// once by SIGHUP, or, with SIGHUP ignored (nohup), when it finds the
    /// terminal gone, rather than spinning on a dead terminal.
    func testAHangUpEndsTheWizard() throws {
        for ignored in [false, true] {
            let tmux = Tmux()
            try tmux.start([], in: directory, environment: "LANG=C.UTF-8 XDG_CONFIG_HOME=\(directory)/config", ignoreHangUp: ignored)
            try tmux.waitFor("What is happening with your email?")
            let pid = try XCTUnwrap(tmux.appPID(), "no smtp-doctor process in the pane")
            try tmux.tmux(["kill-server"])
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, Self.isRunning(pid) { usleep(50_000) }
            XCTAssertFalse(Self.isRunning(pid), "SIGHUP \(ignored ? "ignored" : "default"): still running after the hang-up")
            if Self.isRunning(pid) { kill(pid, SIGKILL) }
        }
    }

    /// Whatever writes to stdout or stderr while the wizard runs lands in the
    /// --log file, not on the screen; the log tells the run.
    func testNothingElseWritesToTheScreenAndTheLogTellsTheRun() throws {
        let log = directory + "/wizard.log"
        let port = LoopbackPorts.closed()
        let tmux = Tmux()
        try tmux.start(["--host", "127.0.0.1", "--port", String(port), "--control-port", String(LoopbackPorts.closed()),
                        "--log", log, "--debug-stray-output"], in: directory, environment: "LANG=C.UTF-8 XDG_CONFIG_HOME=\(directory)/config")
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("Enter")
        try tmux.waitFor("Which server")
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("PROBLEM: port-closed")
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty, "log")
        let history = try tmux.tmux(["capture-pane", "-p", "-S", "-", "-t", "0"])
        XCTAssertFalse((history + verdict).contains("stray"), history)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        for expected in ["wizard started: 80x24", "stray stdout line", "stray stderr line", "run 1 started: refused check of 127.0.0.1 port \(port)",
                         "probe start: tcp-connect 127.0.0.1", "probe end: tcp-connect 127.0.0.1", "ms)", "run 1 verdict: port-closed", "wizard ended"] {
            XCTAssertTrue(text.contains(expected), "\(expected) not in the log:\n\(text)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }

    // MARK: Helpers

    private func checkScreen(_ screen: String, locale: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard locale == "C" else { return }
        let high = screen.unicodeScalars.filter { $0.value >= 0x80 }
        XCTAssertTrue(high.isEmpty, "\(context): non-ASCII on the screen: \(Set(high))\n\(screen)", file: file, line: line)
    }

    /// Colour escapes on the screen: none under NO_COLOR, some (the red verdict) otherwise.
    private func checkColours(_ tmux: Tmux, noColor: Bool, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let escaped = try tmux.tmux(["capture-pane", "-p", "-e", "-t", "0"])
        let colours = Self.colourParameters(escaped)
        if noColor {
            XCTAssertEqual(colours, [], "\(context): colours under NO_COLOR", file: file, line: line)
        } else {
            XCTAssertFalse(colours.isEmpty, "\(context): no colour at all:\n\(escaped)", file: file, line: line)
        }
        XCTAssertTrue(escaped.contains("\u{1b}[7m") || escaped.contains(";7m"), "\(context): the bars are reverse video", file: file, line: line)
    }

    /// The SGR parameters that set a colour (30-37, 40-47, 90-97, 100-107, 38, 48), default colours (39, 49) aside.
    static func colourParameters(_ text: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(text)
        while let start = rest.range(of: "\u{1b}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
            if rest[end] == "m" {
                let parameters = rest[..<end].split(separator: ";").compactMap { Int($0) }
                found += parameters.filter { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
            }
            rest = rest[end...]
        }
        return found
    }

    /// Bytes the program writes to its terminal over `seconds` (tmux pipe-pane).
    private func bytesWritten(by tmux: Tmux, during seconds: Double) throws -> Int {
        let file = directory + "/pane-\(UInt32.random(in: 0...UInt32.max)).bin"
        try tmux.tmux(["pipe-pane", "-t", "0", "-o", "cat >> '\(file)'"])
        usleep(UInt32(seconds * 1_000_000))
        try tmux.tmux(["pipe-pane", "-t", "0"])
        usleep(200_000)
        return ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? NSNumber)?.intValue ?? 0
    }

    /// Alive and not a zombie waiting to be reaped.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

extension Tmux {
    /// As `start`, with the program started in `directory` (where `s` saves by
    /// default), and optionally with SIGHUP ignored, as under nohup.
    func start(_ arguments: [String], in directory: String, columns: Int = 80, rows: Int = 24,
               environment: String = "LANG=C.UTF-8", ignoreHangUp: Bool = false) throws {
        func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([Harness.binary] + arguments).map(quote).joined(separator: " ")
        let script = "cd \(quote(directory)) || exit 1; " + (ignoreHangUp ? "trap '' HUP; " : "")
            + "\(command); echo \"EXIT=$?\" > '\(resultFile).tmp'; stty -a >> '\(resultFile).tmp'; mv '\(resultFile).tmp' '\(resultFile)'; sleep 600"
        let escaped = script.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$")
        // `swift test` may export NO_COLOR itself: only `environment` decides here.
        let shell = "env -u NO_COLOR \(environment) TERM=xterm-256color SWIFT_BACKTRACE=interactive=no,enable=no dash -c \"\(escaped)\""
        try tmux(["new-session", "-d", "-x", String(columns), "-y", String(rows), shell])
    }
}
