import Foundation
import XCTest

/// The timeout family and the SMTP/TLS causes, each produced by
/// `check --format json` against a real lab target (Postfix or the scripted
/// fault server of Scripts/lab.sh).
final class TimeoutCausesTests: XCTestCase {
    private func check(_ host: String, port: Int = 587, timeout: Int = 2, tls: String = "auto", caFile: Bool = true,
                       symptom: String = "timeout", extra: [String] = []) throws -> (run: Harness.Run, json: [String: Any]) {
        try Harness.requireLab()
        var args = ["check", "--symptom", symptom, "--format", "json", "--host", host, "--port", String(port),
                    "--timeout", String(timeout), "--tls", tls, "--dns-server", Harness.labValue("LAB_DNS")]
        if caFile { args += ["--ca-file", Harness.labValue("LAB_CA")] }
        // A session has at most eight stages, each with its deadline: never longer than that.
        let run = try Harness.run(args + extra, limit: Double(timeout * 2 * 8 + 10))
        let json = try XCTUnwrap(run.json, "not JSON: \(run.stdout)\n\(run.stderr)")
        return (run, json)
    }

    private func cause(_ json: [String: Any]) -> String? { (json["verdict"] as? [String: Any])?["cause"] as? String }
    private func summary(_ json: [String: Any]) -> String { (json["verdict"] as? [String: Any])?["summary"] as? String ?? "" }
    private func findings(_ json: [String: Any]) -> [String] { (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["cause"] as? String } }
    private func transcript(_ json: [String: Any]) -> String { (json["transcript"] as? [String] ?? []).joined(separator: "\n") }

    func testHealthyServerWithTheLabCA() throws {
        let (run, json) = try check(Harness.labValue("LAB_MAIL_NAME"))
        XCTAssertEqual(cause(json), "healthy", summary(json))
        XCTAssertEqual(run.status, 0)
        let t = transcript(json)
        XCTAssertTrue(t.contains(" -> STARTTLS"), t)
        XCTAssertTrue(t.contains(" ~> EHLO"), "EHLO again under TLS:\n\(t)")
        XCTAssertTrue(t.contains("<~  250"), t)
    }

    func testLabCertificateWithoutItsCAIsUntrusted() throws {
        let (_, json) = try check(Harness.labValue("LAB_MAIL_NAME"), caFile: false)
        XCTAssertEqual(cause(json), "cert-untrusted", summary(json))
    }

    func testSilentServerIsBannerTimeout() throws {
        let (_, json) = try check("silent.lab.test")
        XCTAssertEqual(cause(json), "banner-timeout", summary(json))
    }

    func testPlainTextOnTheImplicitPortIsModeMismatch() throws {
        let (_, json) = try check(Harness.labValue("LAB_MAIL_NAME"), port: 465, tls: "starttls")
        XCTAssertEqual(cause(json), "tls-mode-mismatch-implicit", summary(json))
    }

    func testTLSOnThePlainPortIsModeMismatch() throws {
        let (_, json) = try check(Harness.labValue("LAB_MAIL_NAME"), port: 587, tls: "implicit")
        XCTAssertEqual(cause(json), "tls-mode-mismatch-plain", summary(json))
    }

    func testImplicitTLSPortWorksInAutoMode() throws {
        let (_, json) = try check(Harness.labValue("LAB_MAIL_NAME"), port: 465)
        XCTAssertEqual(cause(json), "healthy", summary(json))
        XCTAssertTrue(transcript(json).contains("<~  220"), transcript(json))
    }

    func testSlowGreeting() throws {
        let (_, json) = try check("slow.lab.test", timeout: 6, tls: "none")
        XCTAssertEqual(cause(json), "slow-banner", summary(json))
        XCTAssertTrue(summary(json).contains("The greeting took 2.9") || summary(json).contains("The greeting took 3"), summary(json))
    }

    func testEachStageDeadlineIsConfigurable() throws {
        // The same slow server: a short greeting deadline turns a late greeting into none at all.
        let (_, json) = try check("slow.lab.test", timeout: 6, tls: "none", extra: ["--greeting-timeout", "1"])
        XCTAssertEqual(cause(json), "banner-timeout", summary(json))
        XCTAssertTrue(summary(json).contains("within 1 s"), summary(json))
        let stall = try check("tlsstall.lab.test", timeout: 6, extra: ["--tls-timeout", "1"]).json
        XCTAssertTrue(summary(stall).contains("no TLS handshake within 1 s"), summary(stall))
    }

    func testBusyServer() throws {
        let (_, json) = try check("busy.lab.test")
        XCTAssertEqual(cause(json), "server-busy")
        XCTAssertTrue(summary(json).contains("421"), summary(json))
        XCTAssertTrue(summary(json).contains("too many connections"), "the server's own text: \(summary(json))")
    }

    func testRefusedService() throws {
        let (_, json) = try check("refuse554.lab.test")
        XCTAssertEqual(cause(json), "service-refused")
        XCTAssertTrue(summary(json).contains("554"), summary(json))
    }

    func testStalledHandshakeAfterSTARTTLS() throws {
        let (_, json) = try check("tlsstall.lab.test")
        XCTAssertEqual(cause(json), "tls-handshake-failed", summary(json))
        XCTAssertTrue(summary(json).contains("stalls"), summary(json))
    }

    func testNoSTARTTLS() throws {
        let (_, json) = try check("nostarttls.lab.test")
        XCTAssertEqual(cause(json), "starttls-not-offered", summary(json))
    }

    func testInjectedPlaintextAfterSTARTTLS() throws {
        let (_, json) = try check("inject.lab.test")
        XCTAssertEqual(cause(json), "starttls-plaintext-injection", summary(json))
    }

    func testCertificateCauses() throws {
        let expectations = [
            ("expired.lab.test", "cert-expired", "expired on 2021"),
            ("future.lab.test", "cert-not-yet-valid", "not valid before 2030"),
            ("wrongname.lab.test", "cert-hostname-mismatch", "other.example.test"),
            ("selfsigned.lab.test", "cert-untrusted", "self-signed"),
            ("nochain.lab.test", "cert-untrusted", "intermediate"),
        ]
        for (host, expected, words) in expectations {
            let (_, json) = try check(host)
            XCTAssertEqual(cause(json), expected, "\(host): \(summary(json))")
            XCTAssertTrue(summary(json).contains(words), "\(host): \(summary(json))")
        }
    }

    func testCertificateCausesOnTheImplicitPortToo() throws {
        let (_, json) = try check("expired.lab.test", port: 465)
        XCTAssertEqual(cause(json), "cert-expired", summary(json))
    }

    func testConnectionFamilyReportsTLSCausesToo() throws {
        let (_, json) = try check("expired.lab.test", symptom: "refused")
        XCTAssertEqual(cause(json), "cert-expired", summary(json))
    }

    func testFilteredPortAndBrokenIPv6AndDNSInTheTimeoutFamily() throws {
        XCTAssertEqual(cause(try check(Harness.labValue("LAB_DARK_NAME")).json), "port-filtered")
        // Plain SMTP: the name is not in the mail server's certificate, which would outrank the warning.
        let v6 = try check(Harness.labValue("LAB_V6BROKEN_NAME"), tls: "none").json
        XCTAssertEqual(cause(v6), "ipv6-broken", summary(v6))
        try Harness.requireLab()
        let run = try Harness.run(["check", "--symptom", "timeout", "--format", "json", "--host", Harness.labValue("LAB_MAIL_NAME"),
                                   "--timeout", "2", "--dns-server", Harness.labValue("LAB_SILENT_DNS")])
        XCTAssertEqual(cause(try XCTUnwrap(run.json)), "dns-failure")
    }

    /// Hostile servers: every one ends in a finding within the deadlines, and nothing raw reaches the output.
    func testHostileServersEndInAFinding() throws {
        let expectations: [(Int, Set<String>)] = [
            (2501, ["smtp-protocol-error"]),                 // 1 MiB line without CR LF
            (2502, ["smtp-protocol-error"]),                 // endless continuation lines
            (2503, ["banner-timeout"]),                      // one byte per second
            (2504, ["smtp-protocol-error"]),                 // binary garbage
            (2505, ["starttls-not-offered", "healthy"]),     // NUL and escape sequences in replies
            (2506, ["smtp-protocol-error"]),                 // code changes mid reply
            (2507, ["smtp-protocol-error"]),                 // 250 where 220 belongs
            (2508, ["smtp-protocol-error"]),                 // 10,000 EHLO lines
            (2509, ["smtp-protocol-error"]),                 // hangs up after the first command
        ]
        for (port, expected) in expectations {
            let (run, json) = try check("hostile.lab.test", port: port, tls: "none")
            XCTAssertTrue(expected.contains(cause(json) ?? ""), "port \(port): \(cause(json) ?? "nil"): \(summary(json))")
            XCTAssertFalse(run.stdout.contains("\u{1b}"), "port \(port): an escape sequence reached the output")
            XCTAssertFalse(run.stdout.contains("\\u001b") || run.stdout.contains("\\u0000"), "port \(port): a control character reached the report")
        }
    }
}
