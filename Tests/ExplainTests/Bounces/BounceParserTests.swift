import Foundation
import XCTest
@testable import Explain

/// Reports read from bounces, standard and not, each written out in full.
final class BounceParserTests: XCTestCase {
    static func parse(_ lines: [String]) -> BounceReport {
        BounceParser.parse(Data(lines.joined(separator: "\r\n").utf8))
    }

    static func dsn(recipientGroups: [[String]], notification: [String] = ["Your message could not be delivered."]) -> [String] {
        var lines = [
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
            "To: sender@example.com",
            "Subject: Undelivered Mail Returned to Sender",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"BOUNDARY\"",
            "",
            "--BOUNDARY", "Content-Type: text/plain", "",
        ] + notification + [
            "--BOUNDARY", "Content-Type: message/delivery-status", "",
            "Reporting-MTA: dns; mx.example.org", "Arrival-Date: Thu, 29 Apr 2021 23:34:45 +0900", "",
        ]
        for group in recipientGroups { lines += group + [""] }
        lines += [
            "--BOUNDARY", "Content-Type: text/rfc822-headers", "",
            "From: Sender <sender@example.com>", "To: someone@example.net",
            "Subject: =?UTF-8?Q?Caf=C3=A9_order?=", "Message-ID: <abc@example.com>", "",
            "--BOUNDARY--",
        ]
        return lines
    }

    func testMinimalRFC3464Report() {
        let report = Self.parse(Self.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; <someone@example.net>", "Action: failed", "Status: 5.1.1",
            "Remote-MTA: dns; mx.example.net", "Diagnostic-Code: smtp; 550 5.1.1 <someone@example.net>: Recipient",
            "    address rejected: User unknown in local recipient table",
        ]]))
        XCTAssertEqual(report.format, "rfc3464")
        XCTAssertEqual(report.reportingMTA, "mx.example.org")
        XCTAssertEqual(report.originalSubject, "Café order")
        XCTAssertEqual(report.originalMessageID, "<abc@example.com>")
        XCTAssertEqual(report.originalFrom, "Sender <sender@example.com>")
        XCTAssertEqual(report.recipients.count, 1)
        let r = report.recipients[0]
        XCTAssertEqual(r.address, "someone@example.net")
        XCTAssertEqual(r.status, "5.1.1")
        XCTAssertEqual(r.statusSource, .reported)
        XCTAssertEqual(r.replyCode, 550)
        XCTAssertEqual(r.action, .failed)
        XCTAssertEqual(r.permanent, true)
        XCTAssertEqual(r.remoteMTA, "mx.example.net")
        XCTAssertEqual(r.diagnosticCode, "550 5.1.1 <someone@example.net>: Recipient address rejected: User unknown in local recipient table")
        XCTAssertEqual(r.reason, "the mailbox does not exist")
        XCTAssertTrue(report.problems.isEmpty, "\(report.problems)")
    }

    func testMultiRecipientReportKeepsOrderAndActions() {
        let report = Self.parse(Self.dsn(recipientGroups: [
            ["Original-Recipient: rfc822;alias@example.net", "Final-Recipient: rfc822;one@example.net", "Action: failed",
             "Status: 5.2.2", "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full"],
            ["Final-Recipient: rfc822;two@example.org", "Action: delayed", "Status: 4.4.1",
             "Diagnostic-Code: smtp; connect to mx.example.org: Connection timed out"],
            // No blank line before the third recipient: still a group of its own.
            ["Final-Recipient: rfc822;three@example.com", "Action: delivered", "Status: 2.0.0",
             "Final-Recipient: rfc822;four@example.com", "Action: failed", "Status: 5.0.0",
             "Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable"],
        ]))
        XCTAssertEqual(report.recipients.map(\.address), ["one@example.net", "two@example.org", "three@example.com", "four@example.com"])
        XCTAssertEqual(report.recipients.map(\.status), ["5.2.2", "4.4.1", "2.0.0", "5.0.0"])
        XCTAssertEqual(report.recipients.map(\.action), [.failed, .delayed, .delivered, .failed])
        XCTAssertEqual(report.recipients.map(\.permanent), [true, false, nil, true])
        XCTAssertEqual(report.recipients[0].originalAddress, "alias@example.net")
        XCTAssertEqual(report.recipients[0].reason, "the recipient's mailbox is full")
        XCTAssertEqual(report.recipients[1].reason, "the recipient's server could not be reached")
        XCTAssertEqual(report.recipients[2].reason, "the message was delivered")
        XCTAssertEqual(report.recipients[3].replyCode, 550)
    }

    func testGenericStatusGivesWayToTheCodeInTheDiagnostic() {
        let report = Self.parse(Self.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; someone@example.net", "Action: failed", "Status: 5.0.0",
            "Diagnostic-Code: smtp; 550-5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy",
        ]]))
        let r = report.recipients[0]
        XCTAssertEqual(r.status, "5.7.26")
        XCTAssertEqual(r.statusSource, .diagnosticText)
        XCTAssertEqual(r.reportedStatus, "5.0.0")
        XCTAssertEqual(r.replyCode, 550)
        XCTAssertEqual(r.reason, "the sender's domain failed authentication (SPF, DKIM or DMARC)")
    }

    func testMissingStatusIsDerivedFromReplyCodeThenWords() {
        let fromCode = Self.parse(Self.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; a@example.net", "Action: failed", "Diagnostic-Code: smtp; 552 Quota exceeded",
        ]]))
        XCTAssertEqual(fromCode.recipients[0].status, "5.0.0")
        XCTAssertEqual(fromCode.recipients[0].statusSource, .replyCode)
        XCTAssertEqual(fromCode.recipients[0].reason, "the recipient's mailbox is full")
        let fromWords = Self.parse(Self.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; a@example.net", "Action: failed", "Diagnostic-Code: X-Local; mailbox full",
        ]]))
        XCTAssertEqual(fromWords.recipients[0].status, "5.2.2")
        XCTAssertEqual(fromWords.recipients[0].statusSource, .phrase)
        XCTAssertNil(fromWords.recipients[0].replyCode)
    }

    func testDiagnosticMissingFromReportIsTakenFromTheNotification() {
        let report = Self.parse(Self.dsn(
            recipientGroups: [["Final-Recipient: rfc822; a@example.net", "Action: failed", "Status: 5.0.0"]],
            notification: ["An error has occurred:", "", "a@example.net: 550 5.7.25 Reverse DNS lookup failed"]))
        XCTAssertEqual(report.recipients[0].status, "5.7.25")
        XCTAssertEqual(report.recipients[0].replyCode, 550)
        XCTAssertEqual(report.recipients[0].diagnosticCode, "a@example.net: 550 5.7.25 Reverse DNS lookup failed")
    }

    func testEncodedReportAndNotificationParts() {
        let report = Self.parse([
            "From: MAILER-DAEMON@mx.example.org", "Subject: Delivery Status Notification (Failure)",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=zz", "",
            "--zz", "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable", "",
            "Le message n'a pas pu =EAtre remis =E0 a@example.fr:", "550 5.2.2 bo=",
            "=EEte pleine",
            "--zz", "Content-Type: message/delivery-status", "Content-Transfer-Encoding: base64", "",
            // "Final-Recipient: rfc822; a@example.fr\r\nAction: failed\r\nStatus: 5.2.2\r\n"
            "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAZXhhbXBsZS5mcg0KQWN0aW9uOiBmYWlsZWQNClN0YXR1czogNS4yLjINCg==",
            "--zz--",
        ])
        XCTAssertEqual(report.recipients.map(\.address), ["a@example.fr"])
        XCTAssertEqual(report.recipients[0].status, "5.2.2")
        XCTAssertEqual(report.recipients[0].diagnosticCode, "Le message n'a pas pu être remis à a@example.fr: 550 5.2.2 boîte pleine")
        XCTAssertEqual(report.recipients[0].replyCode, 550)
    }

    func testQmailPlainText() {
        let report = Self.parse([
            "From: MAILER-DAEMON@mx.example.jp", "To: sender@example.com", "Subject: failure notice", "",
            "Hi. This is the qmail-send program at mx.example.jp.",
            "I'm afraid I wasn't able to deliver your message to the following addresses.",
            "This is a permanent error; I've given up. Sorry it didn't work out.", "",
            "<user@example.net>:", "192.0.2.1 does not like recipient.",
            "Remote host said: 550 5.1.1 <user@example.net>: Recipient address rejected: User unknown",
            "Giving up on 192.0.2.1.", "",
            "--- Below this line is a copy of the message.", "",
            "From: sender@example.com", "To: user@example.net", "Subject: hello", "Message-ID: <q@example.com>", "", "hi",
        ])
        XCTAssertEqual(report.format, "qmail")
        XCTAssertEqual(report.recipients.map(\.address), ["user@example.net"])
        XCTAssertEqual(report.recipients[0].status, "5.1.1")
        XCTAssertEqual(report.recipients[0].replyCode, 550)
        XCTAssertEqual(report.originalMessageID, "<q@example.com>")
        XCTAssertEqual(report.originalSubject, "hello")
    }

    func testEximPlainTextWithTwoRecipients() {
        let report = Self.parse([
            "From: Mail Delivery System <Mailer-Daemon@mx.example.org>", "To: sender@example.com",
            "Subject: Mail delivery failed: returning message to sender", "X-Failed-Recipients: a@example.jp, b@example.jp", "",
            "This message was created automatically by mail delivery software.", "",
            "A message that you sent could not be delivered to one or more of its",
            "recipients. This is a permanent error. The following address(es) failed:", "",
            "  a@example.jp", "    SMTP error from remote mail server after RCPT TO:<a@example.jp>:",
            "    host mx.example.jp [192.0.2.153]: 550 5.1.1 <a@example.jp>... User Unknown",
            "  b@example.jp", "    SMTP error from remote mail server after end of data:",
            "    host mx.example.jp [192.0.2.153]: 552 5.3.4 Message size exceeds fixed limit", "",
            "------ This is a copy of the message, including all the headers. ------", "",
            "From: sender@example.com", "Subject: test", "", "body",
        ])
        XCTAssertEqual(report.format, "exim")
        XCTAssertEqual(report.recipients.map(\.address), ["a@example.jp", "b@example.jp"])
        XCTAssertEqual(report.recipients.map(\.status), ["5.1.1", "5.3.4"])
        XCTAssertEqual(report.recipients.map(\.replyCode), [550, 552])
        XCTAssertEqual(report.recipients[1].reason, "the message is too large")
    }

    func testAmazonSESJSONNotification() {
        let json = #"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"x@example.net","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"reportingMTA":"dsn; a1.amazonses.com"},"mail":{"messageId":"0101-abc","headers":[{"name":"Subject","value":"Hi"}]}}"#
        let report = Self.parse(["From: SES <no-reply@sns.amazonaws.com>", "Subject: AWS Notification Message", "", json])
        XCTAssertEqual(report.format, "amazon-ses")
        XCTAssertEqual(report.recipients.map(\.address), ["x@example.net"])
        XCTAssertEqual(report.recipients[0].status, "5.1.1")
        XCTAssertEqual(report.recipients[0].replyCode, 550)
        XCTAssertEqual(report.originalSubject, "Hi")
    }

    func testFeedbackReportIsNotABounce() {
        let report = Self.parse([
            "From: fbl@example.net", "Subject: Abuse Report",
            "Content-Type: multipart/report; report-type=feedback-report; boundary=b", "",
            "--b", "", "This is an abuse report", "--b", "Content-Type: message/feedback-report", "",
            "Feedback-Type: abuse", "--b--",
        ])
        XCTAssertEqual(report.format, "arf")
        XCTAssertTrue(report.recipients.isEmpty)
        XCTAssertTrue(report.problems.contains { $0.contains("feedback") })
    }

    func testAutoReplyIsReportedAsDelivered() {
        let report = Self.parse(["From: Kim <kim@example.org>", "Subject: Automatic reply: hello", "", "I am away until Monday."])
        XCTAssertEqual(report.format, "auto-reply")
        XCTAssertEqual(report.recipients.map(\.address), ["kim@example.org"])
        XCTAssertTrue(report.recipients[0].reason.contains("automatic reply"))
    }

    func testOrdinaryMailIsNotABounce() {
        let report = Self.parse(["From: friend@example.org", "To: me@example.com", "Subject: lunch?", "", "Shall we meet at noon?"])
        XCTAssertTrue(report.recipients.isEmpty)
        XCTAssertTrue(report.problems.contains { $0.contains("does not look like a bounce") })
    }

    func testMboxWithTwoBouncesListsBothRecipients() {
        func bounce(_ to: String) -> [String] {
            Self.dsn(recipientGroups: [["Final-Recipient: rfc822; \(to)", "Action: failed", "Status: 5.1.1"]])
        }
        let lines = ["From MAILER-DAEMON  Thu Apr 29 23:34:45 2015"] + bounce("a@example.net") + [""]
            + ["From MAILER-DAEMON  Thu Apr 29 23:35:45 2015"] + bounce("b@example.net")
        let report = Self.parse(lines)
        XCTAssertEqual(report.recipients.map(\.address), ["a@example.net", "b@example.net"])
        XCTAssertTrue(report.problems.contains { $0.contains("mbox") })
    }

    func testEveryStringIsCleanedOfControlCharacters() {
        let report = Self.parse(Self.dsn(recipientGroups: [[
            "Final-Recipient: rfc822; a@example.net", "Action: failed", "Status: 5.1.1",
            "Diagnostic-Code: smtp; 550 5.1.1 evil \u{1B}[2Jclear screen",
        ]]))
        let diagnostic = report.recipients[0].diagnosticCode ?? ""
        XCTAssertFalse(diagnostic.unicodeScalars.contains { $0.value < 0x20 })
        XCTAssertTrue(diagnostic.contains("\\x1B[2J"))
    }

    func testReportRoundTripsThroughJSON() throws {
        let report = Self.parse(Self.dsn(recipientGroups: [["Final-Recipient: rfc822; a@example.net", "Action: failed", "Status: 5.1.1"]]))
        let decoded = try JSONDecoder().decode(BounceReport.self, from: JSONEncoder().encode(report))
        XCTAssertEqual(decoded, report)
    }
}
