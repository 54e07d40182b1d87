@testable import Diagnosis
import MailAuth
import Probes
@testable import TerminalUI
import XCTest

/// "Reproduce it": the commands for a step and the working settings, quoted
/// for the shell, in the TLS mode the target uses, never with a password.
final class ReproduceTests: XCTestCase {
    private func facts(_ target: Target, dns: Bool = true) -> Facts {
        var facts = Facts(target: target)
        facts.resolution = HostResolution(host: target.host, lookups: dns ? [
            EvidenceFixture.lookup(target.host, .a, .answer([.address(EvidenceFixture.v4, ttl: 300)], canonicalName: nil)),
            EvidenceFixture.lookup(target.host, .aaaa, .noData),
        ] : [])
        return facts
    }

    func testQuoting() {
        XCTAssertEqual(Reproduce.quote("mail.example.com"), "mail.example.com")
        XCTAssertEqual(Reproduce.quote("alice@example.com"), "alice@example.com")
        XCTAssertEqual(Reproduce.quote("it's"), "'it'\\''s'")
        XCTAssertEqual(Reproduce.quote("a b"), "'a b'")
        XCTAssertEqual(Reproduce.quote("$(reboot)"), "'$(reboot)'")
        XCTAssertEqual(Reproduce.quote("`x`;|&<>*?"), "'`x`;|&<>*?'")
        XCTAssertEqual(Reproduce.quote(""), "''")
        XCTAssertEqual(Reproduce.quote("bjørn@example.com"), "'bjørn@example.com'")
    }

    func testSTARTTLSWithLoginNeverCarriesAPassword() {
        var target = Target(host: "mail.example.com", port: 587, tls: .starttls)
        target.user = "o'brien@example.com"
        let commands = Reproduce.commands(for: .smtp, facts: facts(target))
        let swaks = commands[0].line
        XCTAssertEqual(swaks, "swaks --server 192.0.2.10 --port 587 --tls --tls-sni mail.example.com --timeout 5s --auth --auth-user 'o'\\''brien@example.com' --quit-after AUTH")
        XCTAssertEqual(commands[1].line, "openssl s_client -starttls smtp -connect 192.0.2.10:587 -servername mail.example.com")
        for command in commands {
            XCTAssertFalse(command.line.contains("--auth-password"), command.line)
            XCTAssertFalse(command.words.contains("-ap"), command.line)
        }
        XCTAssertTrue(commands[0].purpose.contains("asks for the password"))
    }

    func testModeSpecificFlags() {
        func swaksAndOpenSSL(_ tls: TLSMode, port: Int) -> [String] {
            Reproduce.commands(for: .smtp, facts: facts(Target(host: "mail.example.com", port: port, tls: tls), dns: false)).map(\.line)
        }
        let implicit = swaksAndOpenSSL(.implicit, port: 465)
        XCTAssertEqual(implicit[0], "swaks --server mail.example.com --port 465 --tls-on-connect --timeout 5s --quit-after EHLO")
        XCTAssertEqual(implicit[1], "openssl s_client -connect mail.example.com:465 -servername mail.example.com")
        XCTAssertEqual(implicit[2], "swaks --server mail.example.com --port 465 --timeout 5s --quit-after EHLO", "the plain twin")
        let auto = swaksAndOpenSSL(.auto, port: 587)
        XCTAssertTrue(auto[0].contains("--tls-optional-strict"), auto[0])
        XCTAssertTrue(auto[1].contains("-starttls smtp"), auto[1])
        XCTAssertTrue(auto[2].contains("--tls-on-connect"), "the implicit twin: \(auto[2])")
        let plain = swaksAndOpenSSL(.none, port: 25)
        XCTAssertFalse(plain[0].contains("--tls"), plain[0])
        XCTAssertFalse(plain.contains { $0.hasPrefix("openssl") }, "no TLS, no openssl: \(plain)")
    }

    func testDigAsksTheServerTheProbesAsked() {
        let commands = Reproduce.commands(for: .dns, facts: facts(Target(host: "mail.example.com")))
        XCTAssertEqual(commands.map(\.line), ["dig @192.0.2.53 -p 5353 mail.example.com A", "dig @192.0.2.53 -p 5353 mail.example.com AAAA"])
        XCTAssertEqual(Reproduce.commands(for: .dns, facts: facts(Target(host: "192.0.2.10"))), [], "an address: nothing to look up")
        var spam = Facts(target: { var t = Target(host: "example.com"); t.domain = "example.com"; t.sendingIP = IPAddress("192.0.2.25"); return t }())
        XCTAssertEqual(Reproduce.commands(for: .dmarc, facts: spam).map(\.line), ["dig _dmarc.example.com TXT"])
        XCTAssertEqual(Reproduce.commands(for: .reverseDNS, facts: spam).map(\.line), ["dig 25.2.0.192.in-addr.arpa PTR"])
        spam.dmarc = DMARCCheck(domain: "example.com", discovery: .missing(checked: ["_dmarc.example.com"]),
                                lookups: [EvidenceFixture.lookup("_dmarc.example.com", .txt, .noData), EvidenceFixture.lookup("_dmarc.exa mple.com", .txt, .noData),
                                          EvidenceFixture.lookup("_DMARC.example.com", .txt, .noData)])
        XCTAssertEqual(Reproduce.commands(for: .dmarc, facts: spam).map(\.line),
                       ["dig @192.0.2.53 -p 5353 _dmarc.example.com TXT", "dig @192.0.2.53 -p 5353 '_dmarc.exa mple.com' TXT"])
        XCTAssertEqual(Reproduce.commands(for: .reverseDNS, facts: spam).map(\.line), ["dig @192.0.2.53 -p 5353 25.2.0.192.in-addr.arpa PTR"],
                       "the server any lookup of the run used")
    }

    func testConnectionStepsUseNC() {
        let lines = Reproduce.commands(for: .tcpConnect, facts: facts(Target(host: "mail.example.com", port: 587), dns: false)).map(\.line)
        XCTAssertEqual(lines, ["nc -vz -w 5 mail.example.com 587", "nc -vz -w 5 mail.example.com 25", "nc -vz -w 5 mail.example.com 465",
                               "nc -vz -w 5 mail.example.com 2525", "nc -vz -w 5 mail.example.com 443"])
    }

    func testWorkingSettingsFromTheVerdict() {
        var target = Target(host: EvidenceFixture.host, port: 587)
        target.user = "alice@example.com"
        let state = EvidenceFixture.run(target, symptom: .auth, primary: EvidenceFixture.startTLSSession(authenticated: true))
        let settings = WorkingSettings.found(in: state.facts)
        XCTAssertEqual(settings, WorkingSettings(host: "mail.example.com", port: 587, tls: .starttls, authMechanism: "PLAIN", authVerified: true, user: "alice@example.com"))
        XCTAssertEqual(settings?.scriptBlock, ["SMTP_HOST=mail.example.com", "SMTP_PORT=587", "SMTP_SECURITY=starttls", "SMTP_AUTH=PLAIN",
                                               "SMTP_USER=alice@example.com", "# SMTP_PASSWORD: fill in yourself"])
        var model = EvidenceFixture.model(state, screen: .verdict)
        model.form.password = Secret("hunter2-secret")
        EvidenceFixture.press(&model, .char("c"))
        let frame = WizardView.render(model)
        EvidenceFixture.assertFits(frame)
        XCTAssertTrue(frame.text.contains("Working settings (for a mail client)"), frame.text)
        XCTAssertTrue(frame.text.contains("Connection security:    STARTTLS"), frame.text)
        XCTAssertFalse(frame.text.contains("hunter2"))
        // Every row of a long command fits, and rows that go on end in a backslash.
        var all = EvidenceScreen.content(model, .commands, width: 80).map(\.text)
        XCTAssertTrue(all.allSatisfy { $0.count <= 80 }, all.joined(separator: "\n"))
        XCTAssertTrue(all.contains { $0.hasPrefix("   swaks ") && $0.hasSuffix(" \\") }, all.joined(separator: "\n"))
        // A login that failed: no settings to paste.
        let failed = EvidenceFixture.run(target, symptom: .auth, primary: EvidenceFixture.startTLSSession(authenticated: false))
        XCTAssertNil(WorkingSettings.found(in: failed.facts))
        model = EvidenceFixture.model(failed, screen: .verdict)
        EvidenceFixture.press(&model, .char("c"))
        all = EvidenceScreen.content(model, .commands, width: 80).map(\.text)
        XCTAssertTrue(all.contains { $0.contains("No working settings to paste") }, all.joined(separator: "\n"))
    }

    func testAnUntrustedCertificateIsNoWorkingSetting() {
        let state = EvidenceFixture.run(Target(host: EvidenceFixture.host, port: 587),
                                        primary: EvidenceFixture.startTLSSession(problems: [.selfSigned(subject: "CN=x")]))
        XCTAssertNil(WorkingSettings.found(in: state.facts))
    }

    func testShellRowsNeverSplitAWord() {
        let rows = CommandsView.shellRows(["swaks", "--server", "'a b c'", "--port", "587"], width: 20)
        XCTAssertEqual(rows, ["   swaks --server \\", "       'a b c' \\", "       --port 587"])
    }
}
