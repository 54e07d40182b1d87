import Foundation
import XCTest

/// The authentication family against the lab: Postfix with Cyrus SASL (AUTH
/// only after STARTTLS) and the scripted authfault server. Every output is
/// searched for the password: it must never appear.
final class AuthCausesTests: XCTestCase {
    private let password = Harness.labValue("LAB_PASSWORD")

    private func check(_ host: String, user: String, password: String? = nil, port: Int = 587, tls: String = "auto",
                       extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try Harness.requireLab()
        let secret = password ?? self.password
        let log = NSTemporaryDirectory() + "sd-auth-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let args = ["check", "--symptom", "auth", "--format", "json", "--host", host, "--port", String(port), "--tls", tls,
                    "--timeout", "3", "--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                    "--user", user, "--password-env", "SMTP_DOCTOR_TEST_PW", "--log", log] + extra
        let run = try Harness.run(args, environment: ["SMTP_DOCTOR_TEST_PW": secret])
        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertTrue(logged.contains("probe start: smtp"), "the --log file tells the probes: \(logged)", file: file, line: line)
        for (name, output) in [("stdout", run.stdout), ("stderr", run.stderr), ("the --log file", logged)] {
            XCTAssertFalse(output.contains(secret), "the password appeared in \(name)", file: file, line: line)
            let plain = Data(([0] + Array(user.utf8) + [0] + Array(secret.utf8))).base64EncodedString()
            XCTAssertFalse(output.contains(plain), "the AUTH PLAIN payload appeared in \(name)", file: file, line: line)
            XCTAssertFalse(output.contains(Data(secret.utf8).base64EncodedString()), "the base64 password appeared in \(name)", file: file, line: line)
        }
        return try XCTUnwrap(run.json, "not JSON: \(run.stdout)\n\(run.stderr)", file: file, line: line)
    }

    private func cause(_ json: [String: Any]) -> String? { (json["verdict"] as? [String: Any])?["cause"] as? String }
    private func summary(_ json: [String: Any]) -> String { (json["verdict"] as? [String: Any])?["summary"] as? String ?? "" }
    private func transcript(_ json: [String: Any]) -> String { (json["transcript"] as? [String] ?? []).joined(separator: "\n") }

    func testGoodCredentialsOverSTARTTLS() throws {
        let json = try check(Harness.labValue("LAB_MAIL_NAME"), user: Harness.labValue("LAB_USER"))
        XCTAssertEqual(cause(json), "healthy", summary(json))
        XCTAssertTrue(transcript(json).contains(" ~> AUTH PLAIN [credentials redacted]"), transcript(json))
        XCTAssertTrue(transcript(json).contains("<~  235"), transcript(json))
    }

    func testPasswordAppearsInNoFormat() throws {
        try Harness.requireLab()
        let log = NSTemporaryDirectory() + "sd-auth-formats-\(getpid()).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        for format in ["text", "markdown", "json", "summary"] {
            for (user, secret) in [(Harness.labValue("LAB_USER"), password), (Harness.labValue("LAB_USER"), "wrong-Pässwörd-9")] {
                let run = try Harness.run(["check", "--symptom", "auth", "--format", format, "--host", Harness.labValue("LAB_MAIL_NAME"),
                                           "--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                                           "--user", user, "--password-env", "SMTP_DOCTOR_TEST_PW", "--log", log],
                                          environment: ["SMTP_DOCTOR_TEST_PW": secret])
                let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                for output in [run.stdout, run.stderr, logged] {
                    XCTAssertFalse(output.contains(secret), "\(format)")
                    XCTAssertFalse(output.contains(Data(secret.utf8).base64EncodedString()), "\(format)")
                    XCTAssertFalse(output.contains(Data(([0] + Array(user.utf8) + [0] + Array(secret.utf8))).base64EncodedString()), "\(format)")
                }
                if format != "summary" {
                    XCTAssertTrue(run.stdout.contains("AUTH PLAIN [credentials redacted]"), "\(format): \(run.stdout)")
                }
            }
        }
    }

    func testWrongPassword() throws {
        let json = try check(Harness.labValue("LAB_MAIL_NAME"), user: Harness.labValue("LAB_USER"), password: "not-the-password-42")
        XCTAssertEqual(cause(json), "auth-bad-credentials", summary(json))
        XCTAssertTrue(summary(json).contains("535"), summary(json))
    }

    func testPlainTextClientOnAServerThatWantsSTARTTLSFirst() throws {
        let json = try check(Harness.labValue("LAB_MAIL_NAME"), user: Harness.labValue("LAB_USER"), tls: "none")
        XCTAssertEqual(cause(json), "auth-requires-tls", summary(json))
    }

    func testNoAUTHOnPort25() throws {
        let json = try check(Harness.labValue("LAB_MAIL_NAME"), user: Harness.labValue("LAB_USER"), port: 25)
        XCTAssertEqual(cause(json), "auth-not-offered", summary(json))
        XCTAssertTrue(summary(json).contains("port 25"), summary(json))
    }

    func testPasswordIsNeverSentWithoutTLS() throws {
        let json = try check(Harness.labValue("LAB_AUTHFAULT_NAME"), user: "good@lab.test", tls: "none")
        XCTAssertEqual(cause(json), "plaintext-auth-refused", summary(json))
        XCTAssertFalse(transcript(json).contains(" -> AUTH"), "no AUTH command may be sent: \(transcript(json))")
    }

    func testProviderStyleReplies() throws {
        let host = Harness.labValue("LAB_AUTHFAULT_NAME")
        let plain = ["--allow-plaintext-auth"]
        XCTAssertEqual(cause(try check(host, user: "good@lab.test", tls: "none", extra: plain)), "healthy")
        XCTAssertEqual(cause(try check(host, user: "good@lab.test", tls: "none", extra: plain + ["--auth-mechanism", "LOGIN"])), "healthy")
        XCTAssertEqual(cause(try check(host, user: "good@lab.test", tls: "none", extra: plain + ["--auth-mechanism", "CRAM-MD5"])), "healthy")
        let expectations = [
            ("apppw@lab.test", "auth-app-password-required", "534"),
            ("disabled@lab.test", "auth-disabled-by-provider", "5.7.139"),
            ("tempfail@lab.test", "auth-temporary-failure", "454"),
            ("someone@lab.test", "auth-bad-credentials", "5.7.8"),
        ]
        for (user, expected, code) in expectations {
            let json = try check(host, user: user, tls: "none", extra: plain)
            XCTAssertEqual(cause(json), expected, "\(user): \(summary(json))")
            XCTAssertTrue(summary(json).contains(code), "\(user): \(summary(json))")
        }
        let xoauth = try check(host, user: "good@lab.test", tls: "none", extra: plain + ["--auth-mechanism", "XOAUTH2"])
        XCTAssertEqual(cause(xoauth), "auth-mechanism-unsupported", summary(xoauth))
        XCTAssertTrue(summary(xoauth).contains("504"), summary(xoauth))
        // A server offering only mechanisms nobody here speaks.
        let odd = try check(host, user: "good@lab.test", port: 2525, tls: "none", extra: plain)
        XCTAssertEqual(cause(odd), "auth-mechanism-unsupported", summary(odd))
        XCTAssertTrue(summary(odd).contains("GSSAPI NTLM"), summary(odd))
    }

    func testRelayDeniedAfterAUTH() throws {
        let host = Harness.labValue("LAB_AUTHFAULT_NAME")
        let base = ["--allow-plaintext-auth", "--mail-from", "good@lab.test"]
        let denied = try check(host, user: "good@lab.test", tls: "none", extra: base + ["--rcpt-to", "someone@example.test"])
        XCTAssertEqual(cause(denied), "relay-denied", summary(denied))
        XCTAssertTrue(summary(denied).contains("although AUTH succeeded"), summary(denied))
        XCTAssertFalse(transcript(denied).contains("DATA"), "QUIT comes before DATA")
        let local = try check(host, user: "good@lab.test", tls: "none", extra: base + ["--rcpt-to", "friend@lab.test"])
        XCTAssertEqual(cause(local), "healthy", summary(local))
    }

    func testCredentialOptionsAreCheckedAndNeverTakenFromArgv() throws {
        let onArgv = try Harness.run(["check", "--symptom", "auth", "--host", "mail.example.test", "--user", "u", "--password", "hunter2hunter2"])
        XCTAssertEqual(onArgv.status, 2)
        XCTAssertTrue(onArgv.stderr.contains("visible to other users"), onArgv.stderr)
        XCTAssertFalse(onArgv.stderr.contains("hunter2hunter2"))
        let noUser = try Harness.run(["check", "--symptom", "auth", "--host", "mail.example.test"])
        XCTAssertEqual(noUser.status, 2)
        XCTAssertTrue(noUser.stderr.contains("--user"), noUser.stderr)
        let unset = try Harness.run(["check", "--symptom", "auth", "--host", "mail.example.test", "--user", "u", "--password-env", "SMTP_DOCTOR_UNSET_VAR"])
        XCTAssertEqual(unset.status, 2)
        XCTAssertTrue(unset.stderr.contains("not set"), unset.stderr)
        let noTTY = try Harness.run(["check", "--symptom", "auth", "--host", "mail.example.test", "--user", "u"])
        XCTAssertEqual(noTTY.status, 2, noTTY.stderr)
    }

    func testPasswordFromAFile() throws {
        try Harness.requireLab()
        let path = NSTemporaryDirectory() + "smtp-doctor-pw-\(getpid())"
        try (password + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        chmod(path, 0o644)
        let run = try Harness.run(["check", "--symptom", "auth", "--format", "json", "--host", Harness.labValue("LAB_MAIL_NAME"),
                                   "--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                                   "--user", Harness.labValue("LAB_USER"), "--password-file", path])
        XCTAssertEqual(cause(try XCTUnwrap(run.json)), "healthy")
        XCTAssertFalse(run.stdout.contains(password))
        XCTAssertTrue(run.stderr.contains("readable by every user"), run.stderr)
        let missing = try Harness.run(["check", "--symptom", "auth", "--host", "mail.example.test", "--user", "u",
                                       "--password-file", path + ".absent"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read --password-file"), missing.stderr)
    }
}
