import Foundation
import XCTest

/// The real binary in a private tmux server: the wizard walked by keys, the
/// screen read back, and the terminal checked after every way out.
final class TerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard Tmux.available() else { throw XCTSkip("tmux and dash are needed (Scripts/test.sh installs them)") }
    }

    func testWalkToPortClosedVerdictOnLoopback() throws {
        let port = LoopbackPorts.closed()
        let tmux = Tmux()
        try tmux.start(["--host", "127.0.0.1", "--port", String(port), "--control-port", String(LoopbackPorts.closed()), "--timeout", "2"])
        try tmux.waitFor("What is happening with your email?")
        let menu = try tmux.screen()
        XCTAssertFalse(menu.contains("Authentication fails  ("), "the auth family is built: \(menu)")
        XCTAssertFalse(menu.contains("(not built yet)"), "every family is built: \(menu)")
        try tmux.keys("Enter")
        try tmux.waitFor("Which server does your mail program use?")
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("PROBLEM: port-closed")
        XCTAssertTrue(verdict.contains("refused the connection on port \(port)"), verdict)
        try tmux.keys("Escape")
        let steps = try tmux.waitFor("CONFIRMED")
        XCTAssertTrue(steps.contains("Nothing listens on the requested port"), steps)
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
    }

    func testTypedTargetAgainstTheLab() throws {
        try Harness.requireLab()
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--timeout", "3"])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("Enter")
        try tmux.waitFor("Host")
        XCTAssertTrue(try tmux.screen().contains("type the mail server's host name"))
        try tmux.type("bad_")
        try tmux.waitFor("is not allowed in a host name")
        try tmux.keys("BSpace", "BSpace", "BSpace", "BSpace")
        try tmux.type(Harness.labValue("LAB_CLOSED_NAME"))
        try tmux.keys("Tab", "BSpace", "BSpace", "BSpace")
        try tmux.type("25")
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("PROBLEM: port-closed")
        XCTAssertTrue(verdict.contains("Port 587 answers: use 587 with STARTTLS."), verdict)
        try tmux.keys("r")
        try tmux.waitFor("PROBLEM: port-closed")
        try tmux.keys("C-c")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    /// The timeout family in the wizard: the verdict on screen, the transcript as the evidence.
    private func walkTimeoutFamily(host: String, port: Int, tls: String, verdict: String) throws -> Tmux {
        try Harness.requireLab()
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                        "--host", host, "--port", String(port), "--tls", tls, "--timeout", "2"])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("3")
        try tmux.waitFor("Which server does your mail program use?")
        try tmux.keys("Enter")
        try tmux.waitFor("PROBLEM: \(verdict)", timeout: 30)
        return tmux
    }

    func testImplicitTLSMismatchOnScreenWithTranscript() throws {
        let tmux = try walkTimeoutFamily(host: Harness.labValue("LAB_MAIL_NAME"), port: 465, tls: "starttls", verdict: "tls-mode-mismatch-implicit")
        let verdict = try tmux.screen()
        XCTAssertTrue(verdict.contains("SSL/TLS (implicit TLS) on port 465"), verdict)
        XCTAssertTrue(verdict.contains("=== Trying 198.51.100.10:465 (starttls)"), "the transcript is the evidence:\n\(verdict)")
        try tmux.keys("Escape")
        let steps = try tmux.waitFor("CONFIRMED The server accepts the connection but never greets")
        XCTAssertTrue(steps.contains("*** no answer within 2000 ms during greeting"), steps)
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    func testExpiredCertificateOnScreen() throws {
        let tmux = try walkTimeoutFamily(host: "expired.lab.test", port: 587, tls: "auto", verdict: "cert-expired")
        let verdict = try tmux.screen()
        XCTAssertTrue(verdict.contains("expired on 2021-01-01"), verdict)
        try tmux.keys("Escape")
        try tmux.waitFor("CONFIRMED The server's certificate would not be trusted")
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    /// The password typed in the wizard is masked, reaches the server, and is
    /// nowhere on the screen, in the scrollback or in what the program wrote:
    /// the saved report (JSON and Markdown), the --log file, the recent targets.
    func testAuthenticationInTheWizardNeverShowsThePassword() throws {
        try Harness.requireLab()
        let password = Harness.labValue("LAB_PASSWORD")
        let directory = NSTemporaryDirectory() + "sd-pw-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--ca-file", Harness.labValue("LAB_CA"),
                        "--host", Harness.labValue("LAB_MAIL_NAME"), "--timeout", "3", "--log", directory + "/wizard.log"],
                       in: directory, environment: "LANG=C.UTF-8 XDG_CONFIG_HOME=\(directory)/config")
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("2")
        try tmux.waitFor("Password")
        try tmux.keys("Tab", "Tab", "Tab", "Tab")
        try tmux.type(Harness.labValue("LAB_USER"))
        try tmux.keys("Tab")
        try tmux.type(password)
        let form = try tmux.waitFor(String(repeating: "*", count: password.count))
        XCTAssertFalse(form.contains(password))
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("NO PROBLEM FOUND", timeout: 30)
        XCTAssertTrue(verdict.contains("authenticated with PLAIN"), verdict)
        try tmux.keys("s")
        try tmux.waitFor("Save the report as:")
        try tmux.keys("Enter")
        try tmux.waitFor("Saved ")
        try tmux.keys("Escape")
        try tmux.waitFor("ruled out The server rejects the credentials")
        let history = try tmux.tmux(["capture-pane", "-p", "-S", "-", "-t", "0"])
        XCTAssertFalse(history.contains(password), "the password is in the pane's history")
        XCTAssertFalse(history.contains(Data(password.utf8).base64EncodedString()))
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
        // Every file the wizard wrote: the report twice, the log, the recent targets.
        let user = Harness.labValue("LAB_USER")
        let forms = [password, Data(password.utf8).base64EncodedString(),
                     Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()]
        var written: [String] = []
        let walker = FileManager.default.enumerator(atPath: directory)
        while let name = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            written.append(name)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            for form in forms {
                XCTAssertNil(bytes.range(of: Data(form.utf8)), "the password (as \(form == password ? "text" : "base64")) is in \(name)")
            }
        }
        XCTAssertEqual(written.filter { $0.hasSuffix(".json") || $0.hasSuffix(".md") || $0.hasSuffix(".log") }.count, 4, "\(written)")
        XCTAssertTrue(written.contains("config/smtp-doctor/recent.json"), "\(written)")
    }

    /// The spam family in the wizard: domain and sending address typed into the
    /// form, the verdict from the lab's DNS, and the SPF lookup tree on screen.
    func testSpamFamilyShowsTheSPFLookupTree() throws {
        try Harness.requireLab()
        let tmux = Tmux()
        try tmux.start(["--dns-server", Harness.labValue("LAB_DNS"), "--dnsbl", Harness.labValue("LAB_DNSBL_ZONE"), "--timeout", "3"])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("4")
        try tmux.waitFor("Which domain do you send from")
        try tmux.type("not a domain")
        try tmux.waitFor("not a domain name")
        for _ in 0..<12 { try tmux.keys("BSpace") }
        try tmux.type(Harness.labValue("LAB_SPAM_MANYLOOKUPS"))
        try tmux.keys("Tab")
        try tmux.type(Harness.labValue("LAB_SEND_GOOD4"))
        try tmux.keys("Enter")
        let verdict = try tmux.waitFor("PROBLEM: spf-too-many-lookups", timeout: 30)
        XCTAssertTrue(verdict.contains("12 DNS lookups"), verdict)
        try tmux.keys("Escape")
        // Back on the steps, the verdict's step is selected and its evidence is the tree.
        try tmux.waitFor("CONFIRMED The domain's SPF record is missing or broken")
        let tree = try tmux.waitFor("include:l1._spf.\(Harness.labValue("LAB_SPAM_MANYLOOKUPS")): 2 lookups")
        XCTAssertTrue(tree.contains("4 lookups, 12 with everything below"), tree)
        try tmux.keys("q")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
    }

    /// The explain entry: a pasted reply explained, and the suggested check
    /// opening the spam form with the address the reply named.
    func testExplainAPastedReplyAndOpenTheCheckItSuggests() throws {
        let tmux = Tmux()
        try tmux.start([])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("5")
        try tmux.waitFor("Paste the error")
        try tmux.type("550 5.7.1 Service unavailable; client host [192.0.2.55] blocked using zen.spamhaus.org")
        try tmux.keys("Tab", "Tab", "Enter")
        let explanation = try tmux.waitFor("ip-blocklisted")
        XCTAssertTrue(explanation.contains("192.0.2.55"), explanation)
        XCTAssertTrue(explanation.contains("press the number"), explanation)
        try tmux.keys("1")
        let form = try tmux.waitFor("Which domain do you send from")
        XCTAssertTrue(form.contains("192.0.2.55"), form)
        try tmux.keys("C-c")
        let (exit, stty) = try tmux.afterExit()
        XCTAssertEqual(exit, "EXIT=0")
        assertTerminalRestored(stty)
    }

    func testHelpTellsWhatEachFamilyChecks() throws {
        let tmux = Tmux()
        try tmux.start([])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("?")
        try tmux.waitFor("What the connection family checks")
        try tmux.keys("x")
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    /// Home and End as tmux sends them (ESC [1~ and ESC [4~), which the
    /// xterm-256color entry does not know: they scroll the help, and are not
    /// taken for Esc followed by stray keys (which closed the help and picked
    /// family 4).
    func testHomeAndEndAsTmuxSendsThem() throws {
        let tmux = Tmux()
        try tmux.start([])
        try tmux.waitFor("What is happening with your email?")
        try tmux.keys("?")
        let top = try tmux.waitFor("Keys on every screen")
        XCTAssertFalse(top.contains("opens a saved report in these same screens"), top)
        try tmux.keys("End")
        let bottom = try tmux.waitFor("opens a saved report in these same screens")
        XCTAssertTrue(bottom.contains("smtp-doctor - help"), bottom)
        XCTAssertFalse(bottom.contains("Keys on every screen"), bottom)
        try tmux.keys("Home")
        let again = try tmux.waitFor("Keys on every screen")
        XCTAssertTrue(again.contains("smtp-doctor - help"), again)
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    func testTooSmallAndResize() throws {
        let tmux = Tmux()
        try tmux.start([], columns: 50, rows: 12)
        try tmux.waitFor("Terminal too small")
        try tmux.tmux(["resize-window", "-t", "0", "-x", "100", "-y", "30"])
        let screen = try tmux.waitFor("What is happening with your email?")
        XCTAssertFalse(screen.contains("Terminal too small"))
        try tmux.keys("q")
        assertTerminalRestored(try tmux.afterExit().stty)
    }

    func testRestoredAfterSignals() throws {
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            let tmux = Tmux()
            try tmux.start([])
            try tmux.waitFor("What is happening with your email?")
            let pid = try XCTUnwrap(tmux.appPID(), "no smtp-doctor process in the pane")
            kill(pid, signal)
            let (exit, stty) = try tmux.afterExit()
            XCTAssertEqual(exit, "EXIT=\(128 + signal)", "signal \(signal)")
            assertTerminalRestored(stty)
        }
    }

    func testRestoredAfterACrash() throws {
        let tmux = Tmux()
        try tmux.start(["--debug-crash-after-start"])
        let (exit, stty) = try tmux.afterExit()
        // A Swift trap ends the process with SIGILL or SIGTRAP (SIGABRT on some builds).
        XCTAssertTrue(["EXIT=132", "EXIT=133", "EXIT=134"].contains(exit), exit)
        assertTerminalRestored(stty)
    }
}
