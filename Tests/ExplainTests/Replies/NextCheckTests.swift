import XCTest
import Explain

final class NextCheckTests: XCTestCase {
    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> NextCheck {
        let e = try XCTUnwrap(Explainer.explain(text).first, file: file, line: line)
        return try XCTUnwrap(e.nextChecks.first, "no next check for \(text)", file: file, line: line)
    }

    func testSpamCheckCarriesDomainIPAndZones() throws {
        let c = try check("550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org")
        XCTAssertEqual(c.symptom, .spam)
        XCTAssertEqual(c.sendingIP, "192.0.2.1")
        XCTAssertEqual(c.dnsblZones, ["zen.spamhaus.org"])
        XCTAssertEqual(c.missing, ["--domain"])
        XCTAssertEqual(c.commandLine, "smtp-doctor check --symptom spam --domain DOMAIN --sending-ip 192.0.2.1 --dnsbl zen.spamhaus.org")

        let dmarc = try check("550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy")
        XCTAssertEqual(dmarc.domain, "example.com")
        XCTAssertEqual(dmarc.commandLine, "smtp-doctor check --symptom spam --domain example.com --sending-ip SENDING_IP")
    }

    func testRemoteServerAddressIsNotTheSendingIP() throws {
        let c = try check("host mx.example.org[198.51.100.7] said: 550 5.7.25 The IP address sending this message does not have a PTR record (in reply to RCPT TO command)")
        XCTAssertNil(c.sendingIP)
        XCTAssertEqual(c.missing, ["--domain", "--sending-ip"])
    }

    func testRefusedAndTimeoutChecksUseTheHost() throws {
        let refused = try check("554 mx.example.com ESMTP not accepting messages")
        XCTAssertEqual(refused.commandLine, "smtp-doctor check --symptom refused --host mx.example.com")
        let timeout = try check("host mx.example.net[192.0.2.5] said: 451 4.4.2 Timeout waiting for data")
        XCTAssertEqual(timeout.commandLine, "smtp-doctor check --symptom timeout --host mx.example.net")
    }

    func testAuthCheckUsesTheProvidersSubmissionHost() throws {
        let gmail = try check("535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1 - gsmtp")
        XCTAssertEqual(gmail.commandLine, "smtp-doctor check --symptom auth --host smtp.gmail.com --user USER")
        XCTAssertEqual(gmail.missing, ["--user"])
        let microsoft = try check("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.")
        XCTAssertEqual(microsoft.host, "smtp.office365.com")
        let sendGrid = try check("550 5.7.1 Unauthenticated senders not allowed")
        XCTAssertEqual(sendGrid.commandLine, "smtp-doctor check --symptom auth --host smtp.sendgrid.net --user apikey")
        let unknown = try check("535 5.7.8 Error: authentication failed")
        XCTAssertEqual(unknown.commandLine, "smtp-doctor check --symptom auth --host HOST --user USER")
        XCTAssertEqual(unknown.missing, ["--host", "--user"])
    }

    func testRecipientSideFailuresSuggestNoCheck() throws {
        for text in ["550 5.1.1 User unknown", "552 5.2.2 Mailbox full", "552 5.3.4 Message too big", "250 2.0.0 Ok"] {
            let e = try XCTUnwrap(Explainer.explain(text).first)
            XCTAssertEqual(e.nextChecks, [], text)
        }
    }

    func testHostileValuesAreQuotedForTheShell() {
        XCTAssertEqual(NextCheck.shellQuoted("mx.example.com"), "mx.example.com")
        XCTAssertEqual(NextCheck.shellQuoted("2001:db8::1"), "2001:db8::1")
        XCTAssertEqual(NextCheck.shellQuoted("a;rm -rf /"), "'a;rm -rf /'")
        XCTAssertEqual(NextCheck.shellQuoted("it's"), "'it'\\''s'")
        XCTAssertEqual(NextCheck.shellQuoted("-x"), "'-x'")
        XCTAssertEqual(NextCheck.shellQuoted(""), "''")
    }
}
