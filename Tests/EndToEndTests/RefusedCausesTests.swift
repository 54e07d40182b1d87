import Foundation
import XCTest

/// Every cause of the refused family, produced by `check --format json`
/// against a real target in the test lab (Scripts/lab.sh).
final class RefusedCausesTests: XCTestCase {
    private func check(_ host: String, port: Int = 587, timeout: Int = 3, extra: [String] = []) throws -> (Harness.Run, [String: Any]) {
        try Harness.requireLab()
        let args = ["check", "--symptom", "refused", "--format", "json", "--host", host, "--port", String(port),
                    "--timeout", String(timeout), "--dns-server", Harness.labValue("LAB_DNS"),
                    "--ca-file", Harness.labValue("LAB_CA")] + extra
        let run = try Harness.run(args)
        let json = try XCTUnwrap(run.json, "not JSON: \(run.stdout)\n\(run.stderr)")
        return (run, json)
    }

    private func cause(_ json: [String: Any]) -> String? {
        (json["verdict"] as? [String: Any])?["cause"] as? String
    }

    private func steps(_ json: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for step in json["steps"] as? [[String: Any]] ?? [] {
            out[step["id"] as? String ?? ""] = step["outcome"] as? String
        }
        return out
    }

    private func remediation(_ json: [String: Any]) -> String {
        (json["remediation"] as? [String] ?? []).joined(separator: "\n")
    }

    func testHealthyMailServer() throws {
        let (run, json) = try check(Harness.labValue("LAB_MAIL_NAME"))
        XCTAssertEqual(cause(json), "healthy")
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(steps(json)["dns"], "ruled-out")
        XCTAssertEqual(steps(json)["ipv6"], "ruled-out", "mail.lab.test answers over IPv4 and IPv6")
        XCTAssertEqual((json["findings"] as? [Any])?.count, 0)
        for key in ["verdict", "findings", "steps", "remediation", "transcript"] { XCTAssertNotNil(json[key], key) }
    }

    func testNXDomain() throws {
        let (run, json) = try check("no-such-host.lab.test")
        XCTAssertEqual(cause(json), "host-nxdomain")
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(steps(json)["dns"], "confirmed")
    }

    func testNameWithoutAddress() throws {
        let (_, json) = try check(Harness.labValue("LAB_NOADDR_NAME"))
        XCTAssertEqual(cause(json), "host-no-address")
    }

    func testIPv4OnlyAgainstIPv6OnlyName() throws {
        let (_, json) = try check(Harness.labValue("LAB_V6ONLY_NAME"), extra: ["-4"])
        XCTAssertEqual(cause(json), "host-no-address")
        XCTAssertTrue(remediation(json).contains("-4"))
    }

    func testSilentDNSServerIsDNSFailure() throws {
        try Harness.requireLab()
        let run = try Harness.run(["check", "--format", "json", "--host", Harness.labValue("LAB_MAIL_NAME"),
                                   "--timeout", "2", "--dns-server", Harness.labValue("LAB_SILENT_DNS")])
        let json = try XCTUnwrap(run.json)
        XCTAssertEqual(cause(json), "dns-failure")
        let evidence = ((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [String] ?? []).joined()
        XCTAssertTrue(evidence.contains("no answer before the deadline"), evidence)
    }

    func testDeadDNSServerIsDNSFailure() throws {
        try Harness.requireLab()
        let run = try Harness.run(["check", "--format", "json", "--host", Harness.labValue("LAB_MAIL_NAME"),
                                   "--timeout", "2", "--dns-server", Harness.labValue("LAB_DEAD_DNS")])
        XCTAssertEqual(cause(try XCTUnwrap(run.json)), "dns-failure")
        XCTAssertEqual(run.status, 1)
    }

    func testRefusedAnswerIsDNSFailure() throws {
        // The lab server is authoritative for lab.test only and refuses anything else.
        let (_, json) = try check("mail.elsewhere.test")
        XCTAssertEqual(cause(json), "dns-failure")
        XCTAssertTrue(((json["verdict"] as? [String: Any])?["summary"] as? String ?? "").contains("REFUSED"))
    }

    func testClosedPortSuggestsTheOpenSubmissionPort() throws {
        let (_, json) = try check(Harness.labValue("LAB_CLOSED_NAME"), port: 25)
        XCTAssertEqual(cause(json), "port-closed")
        XCTAssertTrue(remediation(json).contains("Port 587 answers: use 587 with STARTTLS."), remediation(json))
        XCTAssertFalse(remediation(json).contains("Port 465 answers"))
    }

    func testDroppedHostIsPortFiltered() throws {
        let (_, json) = try check(Harness.labValue("LAB_DARK_NAME"), timeout: 2)
        XCTAssertEqual(cause(json), "port-filtered")
        XCTAssertEqual(steps(json)["reach"], "confirmed")
    }

    func testRejectingFirewallIsHostUnreachable() throws {
        let (_, json) = try check(Harness.labValue("LAB_REJECT_NAME"))
        XCTAssertEqual(cause(json), "host-unreachable")
        XCTAssertTrue(remediation(json).contains("administratively prohibited"), remediation(json))
    }

    func testAddressWithNoHostIsHostUnreachable() throws {
        let (_, json) = try check(Harness.labValue("LAB_NOBODY_NAME"), timeout: 5)
        XCTAssertEqual(cause(json), "host-unreachable")
    }

    func testDroppedSMTPWithOpenControlPortIsNetworkBlock() throws {
        let (_, json) = try check(Harness.labValue("LAB_SMTPBLOCK_NAME"), port: 25, timeout: 2)
        XCTAssertEqual(cause(json), "network-blocks-smtp")
        XCTAssertEqual(steps(json)["blocked"], "confirmed")
    }

    func testRejectedSMTPWithOpenControlPortIsNetworkBlock() throws {
        let (_, json) = try check(Harness.labValue("LAB_SMTPREJECT_NAME"), port: 587)
        XCTAssertEqual(cause(json), "network-blocks-smtp")
        let evidence = ((json["findings"] as? [[String: Any]])?.first?["evidence"] as? [String] ?? []).joined(separator: "\n")
        XCTAssertTrue(evidence.contains("ICMP 3/13"), evidence)
    }

    func testBrokenIPv6PathWithWorkingIPv4() throws {
        // Plain SMTP: the name is not in the mail server's certificate, which would outrank the warning.
        let (run, json) = try check(Harness.labValue("LAB_V6BROKEN_NAME"), timeout: 2, extra: ["--tls", "none"])
        XCTAssertEqual(cause(json), "ipv6-broken")
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(steps(json)["ipv6"], "confirmed")
    }

    func testAddressLiteralSkipsDNS() throws {
        let (_, json) = try check(Harness.labValue("LAB_CLOSED4"), port: 25)
        XCTAssertEqual(steps(json)["dns"], "skipped")
        XCTAssertEqual(cause(json), "port-closed")
    }

    func testTextAndMarkdownFormats() throws {
        try Harness.requireLab()
        let base = ["check", "--host", Harness.labValue("LAB_CLOSED_NAME"), "--port", "25", "--dns-server", Harness.labValue("LAB_DNS")]
        let text = try Harness.run(base)
        XCTAssertTrue(text.stdout.contains("Verdict: port-closed"), text.stdout)
        let markdown = try Harness.run(base + ["--format", "markdown"])
        XCTAssertTrue(markdown.stdout.contains("**Verdict: `port-closed`**"), markdown.stdout)
    }
}
