import Foundation
import XCTest

/// Every hostile behaviour of the lab's fault server (Scripts/lab/faults.py,
/// ports LAB_HOSTILE_* of hostile.lab.test): `check --format json` ends well
/// within its deadlines with a finding, exits 1 (0 only where the server is
/// in fact usable), keeps its memory bounded (peak RSS read from `wait4`), and
/// never lets a raw control byte through, in JSON or in the text report.
final class HostileServerTests: XCTestCase {
    /// The per-stage deadline given to every run (`--timeout`).
    static let deadline = 2
    /// A run must end within this (seconds): a session has a handful of
    /// stages, each bounded by the deadline, plus start-up.
    static let budget = Double(4 * deadline + 5)
    /// Peak resident memory allowed (KiB). A debug build talking to a polite
    /// server peaks near 50 MiB; a hostile one must not add much to that.
    static let peakRSSLimitKiB = 128 * 1024

    struct Behaviour {
        /// The lab.env constant naming the port.
        var key: String
        /// `--tls` for the run.
        var tls: String
        /// The causes that are right for this server.
        var expected: Set<String>
        /// What smtp-doctor says today where that is wrong (reported, accepted
        /// until fixed: remove it then). Printed in the table.
        var knownWrong: String? = nil
        /// `--symptom`.
        var symptom = "timeout"
        /// A line the JSON transcript must hold.
        var transcriptHas: String? = nil
    }

    static let behaviours: [Behaviour] = [
        Behaviour(key: "LAB_HOSTILE_LONGLINE", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_ENDLESS", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_DRIP", tls: "none", expected: ["banner-timeout"]),
        Behaviour(key: "LAB_HOSTILE_BINARY", tls: "none", expected: ["smtp-protocol-error"]),
        // The escapes are shown escaped; the server itself works.
        Behaviour(key: "LAB_HOSTILE_CONTROL", tls: "none", expected: ["healthy", "starttls-not-offered"]),
        Behaviour(key: "LAB_HOSTILE_CODEFLIP", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_WRONGCODE", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_MANYCAPS", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_HANGUP", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_CLOSEEACH", tls: "starttls", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_RSTSTARTTLS", tls: "starttls", expected: ["tls-handshake-failed"]),
        Behaviour(key: "LAB_HOSTILE_RSTHELLO", tls: "starttls", expected: ["tls-handshake-failed"]),
        Behaviour(key: "LAB_HOSTILE_RSTIMPLICIT", tls: "implicit", expected: ["tls-handshake-failed"]),
        // 240 KB of certificate: over the 100 KB TLS libraries accept.
        Behaviour(key: "LAB_HOSTILE_BIGCERT", tls: "implicit", expected: ["tls-handshake-failed"]),
        // A valid chain, only long: verifying it is right, and so is refusing it.
        Behaviour(key: "LAB_HOSTILE_DEEPCHAIN", tls: "starttls", expected: ["healthy", "cert-untrusted"]),
        Behaviour(key: "LAB_HOSTILE_PLAINTLS", tls: "starttls", expected: ["tls-handshake-failed"]),
        // The server never ends the SASL exchange: it rejects nothing.
        Behaviour(key: "LAB_HOSTILE_ENDLESSAUTH", tls: "none", expected: ["smtp-protocol-error"], symptom: "auth"),
        Behaviour(key: "LAB_HOSTILE_LONGLINES", tls: "none", expected: ["smtp-protocol-error"]),
        // Bare LF and one byte per segment: odd but usable servers.
        Behaviour(key: "LAB_HOSTILE_BARELF", tls: "none", expected: ["healthy"]),
        Behaviour(key: "LAB_HOSTILE_ONEBYTE", tls: "none", expected: ["healthy"]),
        // The unsolicited second greeting is read as the answer to EHLO: 220 is no refusal.
        Behaviour(key: "LAB_HOSTILE_REGREET", tls: "none", expected: ["smtp-protocol-error"]),
        Behaviour(key: "LAB_HOSTILE_HUGEREPLY", tls: "none", expected: ["smtp-protocol-error"]),
        // RFC 5321 3.2: EHLO refused, HELO works.
        Behaviour(key: "LAB_HOSTILE_EHLO5XX", tls: "none", expected: ["healthy"], transcriptHas: " -> HELO "),
        // 421 (RFC 5321 3.8): the server is closing the channel; no handshake was tried.
        Behaviour(key: "LAB_HOSTILE_MID421", tls: "starttls", expected: ["server-busy"]),
        Behaviour(key: "LAB_HOSTILE_TLSGARBAGE", tls: "implicit", expected: ["tls-handshake-failed"]),
        Behaviour(key: "LAB_HOSTILE_TLSDRIP", tls: "starttls", expected: ["tls-handshake-failed"]),
    ]

    static let passwordVariable = "SMTP_DOCTOR_HOSTILE_TEST_PASSWORD"

    static func arguments(_ b: Behaviour, format: String) -> [String] {
        var args = ["check", "--symptom", b.symptom, "--host", Harness.labValue("LAB_HOSTILE_NAME"),
                    "--port", Harness.labValue(b.key), "--tls", b.tls, "--timeout", String(deadline),
                    "--format", format, "--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA")]
        if b.symptom == "auth" {
            args += ["--user", "good@" + Harness.labValue("LAB_DOMAIN"), "--password-env", passwordVariable]
            if b.tls == "none" { args.append("--allow-plaintext-auth") }
        }
        return args
    }

    func testEveryHostileServerEndsInAFindingWithBoundedMemory() throws {
        try Harness.requireLab()
        XCTAssertGreaterThanOrEqual(Self.behaviours.count, 20, "the issue asks for at least 20 behaviours")
        let ports = Self.behaviours.map { Harness.labValue($0.key) }
        XCTAssertEqual(Set(ports).count, ports.count, "two behaviours on one port")

        var table = ["port  behaviour      tls       cause                     exit  wall ms  peak RSS KiB  note"]
        for b in Self.behaviours {
            let child = try ChildRun.start(Self.arguments(b, format: "json"), environment: environment())
            let run = child.wait(limit: 30)
            let port = Harness.labValue(b.key)
            let what = "port \(port) (\(b.key)): smtp-doctor \(Self.arguments(b, format: "json").joined(separator: " "))"
            let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any]
            let verdict = json?["verdict"] as? [String: Any]
            let cause = verdict?["cause"] as? String ?? "(none)"
            let summary = verdict?["summary"] as? String ?? ""

            XCTAssertFalse(run.timedOut, "\(what): still running after 30 s (killed)")
            XCTAssertLessThan(run.wallSeconds, Self.budget, "\(what): took \(run.wallSeconds) s")
            XCTAssertNotNil(json, "\(what): not JSON (exit \(run.status)): \(run.stdout.prefix(300)) \(run.stderr.prefix(300))")
            let right = b.expected.contains(cause)
            XCTAssertTrue(right || cause == b.knownWrong, "\(what): cause \(cause), want \(b.expected.sorted()): \(summary)")
            XCTAssertEqual(run.status, cause == "healthy" ? 0 : 1, "\(what): exit status for \(cause)")
            XCTAssertLessThanOrEqual(run.peakRSSKiB, Self.peakRSSLimitKiB, "\(what): peak RSS \(run.peakRSSKiB) KiB")
            assertNoRawControls(run, what)
            if b.symptom == "auth" {
                let secret = Harness.labValue("LAB_PASSWORD")
                XCTAssertFalse(run.stdout.contains(secret) || run.stderr.contains(secret), "\(what): the password reached the output")
            }
            if let line = b.transcriptHas {
                let transcript = (json?["transcript"] as? [String] ?? []).joined(separator: "\n")
                XCTAssertTrue(transcript.contains(line), "\(what): no '\(line)' in the transcript:\n\(transcript)")
            }
            let note = right ? "" : "KNOWN WRONG (want \(b.expected.sorted().joined(separator: "|")))"
            let name = b.key.dropFirst("LAB_HOSTILE_".count).lowercased()
            table.append([pad(port, 5), pad(String(name), 14), pad(b.tls, 9), pad(cause, 25), pad(String(run.status), 4, right: true),
                          pad(String(Int(run.wallSeconds * 1000)), 8, right: true), pad(String(run.peakRSSKiB), 13, right: true),
                          " " + note].joined(separator: " "))
        }
        print("Hostile servers (deadline \(Self.deadline) s per stage, budget \(Int(Self.budget)) s, RSS limit \(Self.peakRSSLimitKiB) KiB):")
        print(table.joined(separator: "\n"))
    }

    /// The text report is what reaches a terminal: the same runs in text
    /// format, six at a time, must print no raw control byte either.
    func testTextReportsOfHostileServersHoldNoRawControlBytes() throws {
        try Harness.requireLab()
        var pending = Self.behaviours[...]
        while !pending.isEmpty {
            let batch = pending.prefix(6)
            pending = pending.dropFirst(batch.count)
            let children = try batch.map { try ChildRun.start(Self.arguments($0, format: "text"), environment: environment()) }
            for (b, child) in zip(batch, children) {
                let run = child.wait(limit: 30)
                let what = "port \(Harness.labValue(b.key)) (\(b.key)), text report"
                XCTAssertFalse(run.timedOut, "\(what): still running after 30 s (killed)")
                XCTAssertTrue([0, 1].contains(run.status), "\(what): exit status \(run.status)")
                XCTAssertTrue(run.stdout.contains("Verdict:"), "\(what): no verdict:\n\(run.stdout.prefix(500))")
                assertNoRawControls(run, what)
            }
        }
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    private func environment() -> [String: String] {
        [Self.passwordVariable: Harness.labValue("LAB_PASSWORD")]
    }

    /// No C0 control but LF and TAB, no DEL, no C1 control (U+0080-U+009F, which
    /// some terminals obey as ESC-sequences) in what smtp-doctor printed.
    private func assertNoRawControls(_ run: ChildRun.Result, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for (stream, bytes) in [("stdout", run.stdoutBytes), ("stderr", run.stderrBytes)] {
            if let bad = bytes.first(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }) {
                XCTFail("\(what): raw control byte 0x\(String(bad, radix: 16)) in \(stream)", file: file, line: line)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let bad = text.unicodeScalars.first(where: { (0x80..<0xA0).contains($0.value) }) {
                XCTFail("\(what): raw C1 control U+\(String(bad.value, radix: 16, uppercase: true)) in \(stream)", file: file, line: line)
            }
        }
    }
}

/// One run of the built binary, started with posix_spawn and reaped with
/// `wait4`, which gives the child's own peak RSS (`Spawn` only waits).
/// Children can run side by side: start several, then wait for each.
struct ChildRun {
    struct Result {
        var status: Int32
        var timedOut: Bool
        var wallSeconds: Double
        var peakRSSKiB: Int
        var stdoutBytes: [UInt8]
        var stderrBytes: [UInt8]
        var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
        var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    }

    let pid: pid_t
    let started: Date
    let base: String
    static let gnuTime = "/usr/bin/time"

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ChildRun {
        let binary = Harness.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("no binary at \(binary): run `swift build` first")
        }
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in extra { env[k] = v }
        let base = NSTemporaryDirectory() + "smtp-doctor-hostile-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"

        // The peak RSS comes from GNU time, which forks the program from its own
        // small process: a child spawned straight from this (large) test process
        // inherits the test's high-water mark through exec, so wait4's
        // ru_maxrss would report the test runner's memory, not smtp-doctor's.
        let useTime = FileManager.default.isExecutableFile(atPath: Self.gnuTime)
        let command = useTime ? [Self.gnuTime, "-f", "%M", "-o", base + ".rss", binary] + arguments : [binary] + arguments
        // Its own process group, so a deadline kills GNU time and the program together.
        let pid = try Spawn.launch(command[0], Array(command.dropFirst()), environment: env,
                                   stdout: base + ".out", stderr: base + ".err", processGroup: true)
        return ChildRun(pid: pid, started: Date(), base: base)
    }

    /// Waits for the child (SIGKILL once `limit` seconds have passed since it started).
    func wait(limit: TimeInterval) -> Result {
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid || done < 0 { break }
            if Date().timeIntervalSince(started) >= limit {
                kill(-pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                timedOut = true
                break
            }
            usleep(5_000)
        }
        let wall = Date().timeIntervalSince(started)
        defer {
            for suffix in [".out", ".err", ".rss"] { try? FileManager.default.removeItem(atPath: base + suffix) }
        }
        // GNU time writes "Command exited with non-zero status N" first when it did.
        let timed = (try? String(contentsOfFile: base + ".rss", encoding: .utf8))?
            .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let read = { (path: String) in [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()) }
        // WIFEXITED / WEXITSTATUS / WTERMSIG by hand: the macros do not import.
        let signal = status & 0x7f
        return Result(status: timedOut ? -1 : (signal == 0 ? (status >> 8) & 0xff : 128 + signal),
                      timedOut: timedOut, wallSeconds: wall, peakRSSKiB: timed ?? Int(usage.ru_maxrss),
                      stdoutBytes: read(base + ".out"), stderrBytes: read(base + ".err"))
    }
}
