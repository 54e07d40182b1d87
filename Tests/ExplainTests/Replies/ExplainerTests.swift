import XCTest
import Explain

final class ExplainerTests: XCTestCase {
    private struct Case {
        var text: String
        var family: ReplyFamily
        var causes: [String]            // must all be present, the first one first
        var provider: String? = nil
        var temporary: Bool
        var line: UInt = #line
    }

    /// Known provider texts and widespread MTA texts: family, causes, provider.
    func testKnownTexts() throws {
        let cases: [Case] = [
            // Gmail / Google Workspace
            Case(text: "421-4.7.28 [192.0.2.1      15] Our system has detected an unusual rate of\n421-4.7.28 unsolicited mail originating from your IP address. To protect our\n421 4.7.28 users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp",
                 family: .spam, causes: [], provider: "google", temporary: true),
            Case(text: "550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's\n550-5.7.26 DMARC policy. Please contact the administrator of example.jp domain if\n550 5.7.26 this was a legitimate mail. - gsmtp",
                 family: .spam, causes: ["spf-ip-not-authorized", "dkim-signature-invalid"], provider: "google", temporary: false),
            Case(text: "550-5.7.26 The MAIL FROM domain [mail4.example.com] has an SPF record with a hard fail\n550 5.7.26 policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.24]. - gsmtp",
                 family: .spam, causes: ["spf-ip-not-authorized"], provider: "google", temporary: false),
            Case(text: "550-5.7.25 [192.0.2.202] The IP address sending this message does not have a\n550 5.7.25 PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
                 family: .spam, causes: ["ptr-missing"], provider: "google", temporary: false),
            Case(text: "421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp",
                 family: .auth, causes: ["auth-requires-tls"], provider: "google", temporary: true),
            Case(text: "550-5.7.1 [192.0.2.22      18] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. - gsmtp",
                 family: .spam, causes: ["ip-blocklisted"], provider: "google", temporary: false),
            Case(text: "550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Rejected by remote",
                 family: .spam, causes: [], temporary: false),
            Case(text: "534-5.7.9 Application-specific password required. Learn more at\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a.5 - gsmtp",
                 family: .auth, causes: ["auth-app-password-required"], provider: "google", temporary: false),
            Case(text: "535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a.2 - gsmtp",
                 family: .auth, causes: ["auth-bad-credentials"], provider: "google", temporary: false),
            Case(text: "530 5.7.0 Must issue a STARTTLS command first. a1-20020a.1 - gsmtp",
                 family: .auth, causes: ["auth-requires-tls"], provider: "google", temporary: false),
            // Microsoft 365
            Case(text: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
                 family: .auth, causes: ["auth-disabled-by-provider"], provider: "microsoft", temporary: false),
            Case(text: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
                 family: .auth, causes: ["auth-disabled-by-provider"], provider: "microsoft", temporary: false),
            Case(text: "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
                 family: .auth, causes: ["auth-disabled-by-provider"], provider: "microsoft", temporary: false),
            Case(text: "530 5.7.57 Client not authenticated to send mail. [AM0PR02CA0001.eurprd02.prod.outlook.com]",
                 family: .auth, causes: ["relay-denied"], provider: "microsoft", temporary: false),
            Case(text: "550 5.7.606 Access denied, banned sending IP [198.51.100.222]. To request removal from this list please visit https://sender.office.com/ and follow the directions.",
                 family: .spam, causes: ["ip-blocklisted"], provider: "microsoft", temporary: false),
            Case(text: "550 5.7.649 Access denied, banned sending IP [198.51.100.1].",
                 family: .spam, causes: ["ip-blocklisted"], provider: "microsoft", temporary: false),
            Case(text: "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
                 family: .spam, causes: ["ip-blocklisted"], provider: "microsoft", temporary: false),
            Case(text: "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation.",
                 family: .spam, causes: ["ip-blocklisted"], provider: "microsoft", temporary: true),
            Case(text: "451 4.7.500 Server busy. Please try again later from [192.0.2.25]. (S77719)",
                 family: .spam, causes: ["ip-blocklisted"], provider: "microsoft", temporary: true),
            Case(text: "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification and has a DMARC policy of reject.",
                 family: .spam, causes: ["spf-ip-not-authorized", "dkim-signature-invalid"], temporary: false),
            // Amazon SES
            Case(text: "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: sender@example.com",
                 family: .spam, causes: [], provider: "amazon-ses", temporary: false),
            Case(text: "535 Authentication Credentials Invalid",
                 family: .auth, causes: ["auth-bad-credentials"], provider: "amazon-ses", temporary: false),
            // SendGrid
            Case(text: "550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.",
                 family: .spam, causes: [], provider: "sendgrid", temporary: false),
            Case(text: "403 You are not authorized to send from that email address",
                 family: .spam, causes: [], provider: "sendgrid", temporary: false),
            Case(text: "550 5.7.1 Unauthenticated senders not allowed",
                 family: .auth, causes: ["relay-denied"], provider: "sendgrid", temporary: false),
            // Yahoo
            Case(text: "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
                 family: .spam, causes: [], provider: "yahoo", temporary: true),
            Case(text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.9, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
                 family: .spam, causes: ["ip-blocklisted"], provider: "yahoo", temporary: false),
            Case(text: "554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes",
                 family: .spam, causes: [], provider: "yahoo", temporary: false),
            // Blocklists
            Case(text: "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.5",
                 family: .spam, causes: ["ip-blocklisted"], temporary: false),
            Case(text: "550 5.7.1 Rejected: 192.0.2.9 listed on bl.spamcop.net",
                 family: .spam, causes: ["ip-blocklisted"], temporary: false),
            Case(text: "554 5.7.1 Your IP is in an RBL, go away",
                 family: .spam, causes: ["ip-blocklisted"], temporary: false),
            Case(text: "550 5.7.1 Service unavailable; client [192.0.2.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.9 (PBL listing)",
                 family: .spam, causes: ["ip-blocklisted"], temporary: false),
            // Widespread MTA texts
            Case(text: "554 5.7.1 <bob@example.org>: Relay access denied", family: .auth, causes: ["relay-denied"], temporary: false),
            Case(text: "550 5.7.1 Relaying denied. Proper authentication required.", family: .auth, causes: ["relay-denied"], temporary: false),
            Case(text: "454 4.7.0 Temporary authentication failure", family: .auth, causes: ["auth-temporary-failure"], temporary: true),
            Case(text: "454 4.7.0 TLS not available due to local problem", family: .refused, causes: ["starttls-not-offered"], temporary: true),
            Case(text: "535 5.7.8 Error: authentication failed: authentication failure", family: .auth, causes: ["auth-bad-credentials"], temporary: false),
            Case(text: "538 5.7.11 Encryption required for requested authentication mechanism", family: .auth, causes: ["auth-requires-tls"], temporary: false),
            Case(text: "504 5.7.4 Unrecognized authentication type", family: .auth, causes: ["auth-mechanism-unsupported"], temporary: false),
            Case(text: "503 5.5.1 Error: authentication not enabled", family: .auth, causes: ["auth-not-offered"], temporary: false),
            Case(text: "421 4.7.0 mx.example.net Error: too many connections from 192.0.2.9", family: .refused, causes: ["server-busy"], temporary: true),
            Case(text: "421 mx.example.net Service not available, closing transmission channel", family: .refused, causes: ["server-busy"], temporary: true),
            Case(text: "554 mx.example.com ESMTP not accepting messages", family: .refused, causes: ["service-refused"], temporary: false),
            Case(text: "554 No SMTP service here", family: .refused, causes: ["service-refused"], temporary: false),
            Case(text: "521 5.3.2 mx.example.com does not accept mail", family: .refused, causes: ["service-refused"], temporary: false),
            Case(text: "450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.3]", family: .spam, causes: ["ptr-missing"], temporary: true),
            Case(text: "550 5.7.25 Reverse DNS validation failed", family: .spam, causes: ["ptr-missing"], temporary: false),
            Case(text: "550 5.7.23 SPF validation failed", family: .spam, causes: ["spf-ip-not-authorized"], temporary: false),
            Case(text: "451 4.7.24 SPF validation error: too many DNS lookups", family: .spam, causes: ["spf-too-many-lookups"], temporary: true),
            Case(text: "550 5.7.27 Sender address has null MX", family: .spam, causes: ["mx-missing"], temporary: false),
            Case(text: "421 4.4.2 mx.example.net Error: timeout exceeded", family: .timeout, causes: [], temporary: true),
            Case(text: "451 4.4.1 No answer from host", family: .timeout, causes: ["port-filtered"], temporary: true),
            Case(text: "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table", family: .spam, causes: [], temporary: false),
            Case(text: "552 5.2.2 Mailbox full", family: .spam, causes: [], temporary: true == false),
            Case(text: "C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\nS: 451 4.7.0 Temporary server error. Please try again later", family: .auth, causes: ["auth-temporary-failure"], temporary: true),
            Case(text: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [x.prod.protection.outlook.com]", family: .spam, causes: [], provider: "microsoft", temporary: false),
            Case(text: "554 5.7.0 Reject, id=20025-09 - SPAM", family: .spam, causes: [], temporary: false),
            Case(text: "250 2.0.0 Ok: queued as 4F1A2B3C4D", family: .none, causes: [], temporary: false),
            Case(text: "235 2.7.0 Authentication successful", family: .none, causes: [], temporary: false),
        ]
        for item in cases {
            let explanations = Explainer.explain(item.text)
            XCTAssertEqual(explanations.count, 1, item.text, line: item.line)
            guard let e = explanations.first else { continue }
            XCTAssertEqual(e.family, item.family, "family: \(item.text)", line: item.line)
            XCTAssertEqual(e.temporary, item.temporary, "temporary: \(item.text)", line: item.line)
            if let first = item.causes.first {
                XCTAssertEqual(e.causes.first, first, "first cause: \(item.text) -> \(e.causes)", line: item.line)
            }
            for cause in item.causes {
                XCTAssertTrue(e.causes.contains(cause), "cause \(cause): \(item.text) -> \(e.causes)", line: item.line)
            }
            if let provider = item.provider {
                XCTAssertEqual(e.provider, provider, "provider: \(item.text)", line: item.line)
            }
            for cause in e.causes {
                XCTAssertTrue(CauseVocabulary.all.contains(cause), "\(cause) is not in the vocabulary", line: item.line)
            }
            XCTAssertFalse(e.meaning.isEmpty, line: item.line)
            let sentences = e.meaning.split(whereSeparator: { ".!?".contains($0) }).filter { $0.count > 3 }
            XCTAssertLessThanOrEqual(sentences.count, 4, "meaning too long: \(e.meaning)", line: item.line)
            if e.family != .none { XCTAssertFalse(e.advice.isEmpty, "no advice: \(item.text)", line: item.line) }
        }
    }

    func testCredentialsInAPastedTranscriptAreNotRepeated() throws {
        let explanations = Explainer.explain("C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\nS: 535 5.7.8 Authentication credentials invalid")
        let json = String(decoding: try JSONEncoder().encode(explanations), as: UTF8.self)
        XCTAssertFalse(json.contains("AGFsaWNlAHNlY3JldA"), json)
        XCTAssertEqual(explanations.first?.stage, .auth)
    }

    func testMeaningSaysTemporaryOrPermanent() throws {
        let temporary = try XCTUnwrap(Explainer.explain("451 4.3.0 Temporary lookup failure").first)
        XCTAssertTrue(temporary.temporary)
        XCTAssertTrue(temporary.meaning.contains("temporary"))
        let permanent = try XCTUnwrap(Explainer.explain("550 5.1.1 User unknown").first)
        XCTAssertFalse(permanent.temporary)
        XCTAssertTrue(permanent.meaning.contains("permanent"))
        XCTAssertEqual(permanent.codes, Explanation.Codes(reply: 550, enhanced: "5.1.1"))
        XCTAssertTrue(permanent.title.hasPrefix("550 5.1.1 "), permanent.title)
    }

    func testClassMismatchFollowsTheReplyCode() throws {
        let e = try XCTUnwrap(Explainer.explain("550 4.7.1 Greylisted, please try again").first)
        XCTAssertFalse(e.temporary, "550 decides")
        XCTAssertEqual(e.codes.enhanced, "4.7.1")
        XCTAssertEqual(e.notes.count, 1)
    }

    func testUnknownProviderDetailUsesTheSubject() throws {
        let e = try XCTUnwrap(Explainer.explain("550 5.4.312 Message expired, DNS query failed").first)
        XCTAssertTrue(e.meaning.contains("5.4.312"), e.meaning)
        XCTAssertTrue(e.causes.contains("dns-failure"), "\(e.causes)")
        let other = try XCTUnwrap(Explainer.explain("571 Delivery not authorized, message refused").first)
        XCTAssertEqual(other.codes.reply, 571)
        XCTAssertFalse(other.temporary)
    }

    func testStageShowsInTheTitle() throws {
        let e = try XCTUnwrap(Explainer.explain("host mx.example.org[192.0.2.7] said: 550 5.1.1 <a@example.org>: User unknown (in reply to RCPT TO command)").first)
        XCTAssertEqual(e.stage, .rcptTo)
        XCTAssertTrue(e.title.hasSuffix("(answer to RCPT TO)"), e.title)
    }

    func testEachReplyGetsItsOwnExplanation() {
        let explanations = Explainer.explain("""
        >>> RCPT TO:<a@example.org>
        <<< 550 5.1.1 <a@example.org>: User unknown
        >>> RCPT TO:<b@example.org>
        <<< 452 4.2.2 <b@example.org>: Mailbox full
        """)
        XCTAssertEqual(explanations.map(\.codes.reply), [550, 452])
        XCTAssertEqual(explanations.map(\.temporary), [false, true])
    }

    func testTextWithoutAReplyCode() throws {
        let timeout = try XCTUnwrap(Explainer.explain("connect to smtp.example.com[192.0.2.10]:587: Connection timed out").first)
        XCTAssertEqual(timeout.family, .timeout)
        XCTAssertEqual(timeout.causes.first, "port-filtered")
        XCTAssertNil(timeout.codes.reply)
        XCTAssertTrue(timeout.meaning.contains("No SMTP reply code"))
        XCTAssertEqual(timeout.nextChecks.first?.commandLine, "smtp-doctor check --symptom timeout --host smtp.example.com")

        let refused = try XCTUnwrap(Explainer.explain("Could not connect: Connection refused").first)
        XCTAssertEqual(refused.family, .refused)
        XCTAssertEqual(refused.causes, ["port-closed"])

        let tls = try XCTUnwrap(Explainer.explain("error:0A00010B:SSL routines::wrong version number").first)
        XCTAssertEqual(tls.causes.first, "tls-mode-mismatch-plain")

        let login = try XCTUnwrap(Explainer.explain("SMTPAuthenticationError: Username and Password not accepted").first)
        XCTAssertEqual(login.family, .auth)
        XCTAssertEqual(login.causes.first, "auth-bad-credentials")

        let dns = try XCTUnwrap(Explainer.explain("getaddrinfo: Name or service not known").first)
        XCTAssertEqual(dns.causes, ["host-nxdomain"])

        let certificate = try XCTUnwrap(Explainer.explain("certificate verify failed: certificate has expired").first)
        XCTAssertEqual(certificate.causes.first, "cert-expired")

        let nothing = try XCTUnwrap(Explainer.explain("my email does not work, please help").first)
        XCTAssertEqual(nothing.family, .none)
        XCTAssertTrue(nothing.meaning.contains("No SMTP reply code was found"))
        XCTAssertEqual(nothing.nextChecks, [])

        XCTAssertEqual(Explainer.explain("").first?.family, ReplyFamily.none)
    }

    func testExplanationIsCodableAsTheJSONContract() throws {
        let e = try XCTUnwrap(Explainer.explain("550 5.7.1 Rejected: 192.0.2.9 listed on bl.spamcop.net").first)
        let data = try JSONEncoder().encode(e)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["family", "meaning", "temporary", "codes", "causes", "advice", "entities", "nextChecks"] {
            XCTAssertNotNil(object[key], key)
        }
        XCTAssertEqual(object["family"] as? String, "spam")
        let codes = try XCTUnwrap(object["codes"] as? [String: Any])
        XCTAssertEqual(codes["reply"] as? Int, 550)
        XCTAssertEqual(codes["enhanced"] as? String, "5.7.1")
        let back = try JSONDecoder().decode(Explanation.self, from: data)
        XCTAssertEqual(back, e)
    }
}
