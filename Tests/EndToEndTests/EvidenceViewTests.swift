import Foundation
import XCTest

/// The evidence views in the real binary against the lab: a healthy STARTTLS
/// session walked to its verdict at 80x24 and 200x50, then the transcript
/// (searched), the waterfall, the certificate chain, the port guide and the
/// commands; and the spam family's DNS records.
final class EvidenceViewTests: XCTestCase {
    override func setUpWithError() throws {
        guard Tmux.available() else { throw XCTSkip("tmux and dash are needed (Scripts/test.sh installs them)") }
        try Harness.requireLab()
    }


    /// The timeout family on mail.lab.test port 587: healthy, with a transcript and a certificate.
    private func walkHealthySession(columns: Int, rows: Int) throws -> Tmux {
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                        "--host", Harness.labValue("LAB_MAIL_NAME"), "--port", "587", "--timeout", "3"], columns: columns, rows: rows)
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("3")
        try tmux.waitFor("Which server does your mail program use?")
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("NO PROBLEM FOUND", timeout: 30)
        XCTAssertTrue(verdict.contains("Evidence:  t transcript  d DNS  x certificates  w timing  p ports  c commands"), verdict)
        return tmux
    }

    private func openEveryView(_ tmux: Tmux) throws {
        // The transcript, searched.
        try tmux.keys("t")
        try tmux.waitFor("Session 1 of 2:")
        try tmux.type("/")
        try tmux.waitFor("Search:")
        try tmux.type("STARTTLS")
        try tmux.keys("Enter")
        let found = try tmux.waitFor("\"STARTTLS\": ")
        XCTAssertTrue(found.contains("matching line"), found)
        XCTAssertTrue(found.split(separator: "\n").contains { $0.hasPrefix(">") && $0.contains("STARTTLS") }, "the current match is marked:\n\(found)")
        try tmux.keys("n")
        try tmux.waitFor("at line")
        try tmux.type("/")
        try tmux.type("~> EHLO")
        try tmux.keys("Enter")
        let tls = try tmux.waitFor("\"~> EHLO\": 1 matching line")
        XCTAssertTrue(tls.split(separator: "\n").contains { $0.hasPrefix(">TLS [") && $0.contains("~> EHLO") }, "lines under TLS are tagged:\n\(tls)")
        // The waterfall.
        try tmux.keys("w")
        let waterfall = try tmux.waitFor("The run took")
        XCTAssertTrue(waterfall.contains("dns mail.lab.test"), waterfall)
        XCTAssertTrue(waterfall.contains("smtp 198.51.100.10:587"), waterfall)
        XCTAssertTrue(waterfall.contains("#"), waterfall)
        // The certificate chain.
        try tmux.keys("x")
        let chain = try tmux.waitFor("#1 the server's own")
        XCTAssertTrue(chain.contains("Verdict: trusted"), chain)
        XCTAssertTrue(chain.contains("mail.lab.test"), chain)
        // The port guide, 587 found.
        try tmux.keys("p")
        let guide = try tmux.waitFor("port guide")
        XCTAssertTrue(guide.contains("587 *"), guide)
        // The commands, without a password.
        try tmux.keys("c")
        let settings = try tmux.waitFor("Working settings (for a mail client)")
        XCTAssertTrue(settings.contains("Connection security:    STARTTLS"), settings)
        try tmux.type("/")
        try tmux.type("swaks --server")
        try tmux.keys("Enter")
        let commands = try tmux.waitFor("swaks --server 198.51.100.10 --port 587")
        XCTAssertFalse(commands.contains("--auth-password"), commands)
        try tmux.keys("NPage")
        try tmux.waitFor("openssl s_client -starttls smtp -connect")
        try tmux.keys("End")
        try tmux.waitFor("openssl s_client -starttls smtp -connect")
        try tmux.keys("Home")
        try tmux.waitFor("Working settings (for a mail client)")
        // Back to the verdict.
        try tmux.keys("Escape")
        try tmux.waitFor("NO PROBLEM FOUND")
    }

    func testEvidenceViewsAt80x24() throws {
        let tmux = try walkHealthySession(columns: 80, rows: 24)
        try openEveryView(tmux)
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
    }

    func testEvidenceViewsAt200x50() throws {
        let tmux = try walkHealthySession(columns: 200, rows: 50)
        try openEveryView(tmux)
        // The steps side by side with the chosen step's details.
        try tmux.keys("Escape")
        let steps = try tmux.waitFor("Why it matters")
        XCTAssertTrue(steps.contains(" | "), steps)
        XCTAssertTrue(steps.contains("Verdict: healthy"), steps)
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    func testSpamFamilyDNSRecords() throws {
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE"), "--timeout", "3"])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("4")
        try tmux.waitFor("Which domain do you send from")
        let domain = Harness.labValue("LAB_SPAM_HEALTHY")
        try tmux.type(domain)
        try tmux.keys("Tab")
        try tmux.type(Harness.labValue("LAB_SEND_GOOD4"))
        try tmux.keys("Tab")
        try tmux.type(Harness.labValue("LAB_DKIM_SELECTOR"))
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("smtp-doctor - verdict", timeout: 30)
        XCTAssertTrue(verdict.contains("Evidence:  d DNS  w timing  c commands"), verdict)
        try tmux.keys("d")
        let records = try tmux.waitFor("DNS records seen")
        XCTAssertTrue(records.contains("asked of \(Harness.labValue("LAB_DNS"))"), records)
        try tmux.type("/")
        try tmux.type("_dmarc.")
        try tmux.keys("Enter")
        let dmarc = try tmux.waitFor("\"_dmarc.\": ")
        XCTAssertTrue(dmarc.contains("TXT  _dmarc.\(domain)"), dmarc)
        XCTAssertTrue(dmarc.contains("v=DMARC1"), dmarc)
        try tmux.keys("c")
        try tmux.waitFor("dig @127.0.0.1 -p 5353")
        try tmux.keys("Escape")
        try tmux.waitFor("smtp-doctor - verdict")
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
    }
}
