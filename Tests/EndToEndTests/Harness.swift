import Foundation
import XCTest

/// Runs the built `smtp-doctor` binary and reads the test lab's constants.
enum Harness {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String {
        let path = packageRoot.appendingPathComponent(".build/debug/smtp-doctor").path
        return path
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String

        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }
    }

    /// Runs the binary with `arguments`, no terminal, and waits (bounded) for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], limit: TimeInterval = 60) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("no binary at \(binary): run `swift build` first")
        }
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        let base = NSTemporaryDirectory() + "smtp-doctor-run-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let outcome = try Spawn.run(binary, arguments, environment: env, stdout: base + ".out", stderr: base + ".err", limit: limit)
        if outcome.timedOut {
            XCTFail("smtp-doctor \(arguments.joined(separator: " ")) did not finish within \(Int(limit)) s")
        }
        let stdout = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return Run(status: outcome.status, stdout: stdout, stderr: stderr)
    }

    /// The lab's constants from Scripts/lab.env (the one place that names them).
    static let lab: [String: String] = {
        let path = packageRoot.appendingPathComponent("Scripts/lab.env").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        let labDir = ProcessInfo.processInfo.environment["SMTP_DOCTOR_LAB_DIR"] ?? "/tmp/smtp-doctor-lab"
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("export "), let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[line.index(line.startIndex, offsetBy: 7)..<eq])
            var value = String(line[line.index(after: eq)...])
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]) }
            value = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            value = value.replacingOccurrences(of: "${SMTP_DOCTOR_LAB_DIR:-/tmp/smtp-doctor-lab}", with: labDir)
            value = value.replacingOccurrences(of: "$LAB_DIR", with: labDir)
            values[key] = value
        }
        return values
    }()

    /// Skips unless the test command brought the lab up (SMTP_DOCTOR_LAB=1).
    static func requireLab() throws {
        guard ProcessInfo.processInfo.environment["SMTP_DOCTOR_LAB"] == "1" else {
            throw XCTSkip("the test lab is not up; Scripts/test.sh starts it and sets SMTP_DOCTOR_LAB=1")
        }
    }

    static func labValue(_ key: String) -> String {
        guard let value = lab[key] else { fatalError("Scripts/lab.env has no \(key)") }
        return value
    }
}
