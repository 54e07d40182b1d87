import XCTest
import Explain

final class ReplyLineParserTests: XCTestCase {
    private func only(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedReply {
        let replies = ReplyLineParser.parse(text)
        XCTAssertEqual(replies.count, 1, "\(replies)", file: file, line: line)
        return try XCTUnwrap(replies.first, file: file, line: line)
    }

    func testBareReplyWithAndWithoutEnhancedCode() throws {
        let plain = try only("550 Requested action not taken: mailbox unavailable")
        XCTAssertEqual(plain.code, 550)
        XCTAssertNil(plain.enhanced)
        XCTAssertEqual(plain.text, "Requested action not taken: mailbox unavailable")

        let enhanced = try only("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
        XCTAssertEqual(enhanced.code, 550)
        XCTAssertEqual(enhanced.enhanced?.description, "5.1.1")
        XCTAssertEqual(enhanced.text, "<bob@example.org>: Recipient address rejected: User unknown")
    }

    func testMultiLineReplyIsOneReply() throws {
        let reply = try only("""
        550-5.7.1 [192.0.2.22      18] Our system has detected that this message is
        550-5.7.1 likely suspicious due to the very low reputation of the sending IP
        550 5.7.1 address. To best protect our users from spam, the message has been blocked. - gsmtp
        """)
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "5.7.1")
        XCTAssertEqual(reply.lines.count, 3)
        XCTAssertTrue(reply.isMultiline)
        XCTAssertTrue(reply.text.hasPrefix("[192.0.2.22 18] Our system has detected that this message is likely suspicious"), reply.text)
        XCTAssertFalse(reply.text.contains("550"), reply.text)
    }

    func testRewrappedGmailReplyInsideAPostfixBounce() throws {
        let reply = try only("""
        <kijitora@example.jp>: host gmail-smtp-in.l.google.com[64.233.188.26] said:
            550-5.7.26 This mail has been blocked because the sender is
            unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate
            with either SPF or DKIM. 550 5.7.26 x1si2.3 - gsmtp (in reply to end of DATA
            command)
        """)
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "5.7.26")
        XCTAssertEqual(reply.stage, .endOfData)
        XCTAssertEqual(reply.entities.hosts, ["gmail-smtp-in.l.google.com"])
        XCTAssertEqual(reply.entities.remoteAddresses, ["64.233.188.26"])
        XCTAssertEqual(reply.entities.mailboxes, ["kijitora@example.jp"])
        XCTAssertEqual(reply.provider, "google")
        XCTAssertEqual(reply.text, "This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. x1si2.3 - gsmtp")
    }

    func testClientTranscriptPrefixes() throws {
        for line in ["<<< 550 5.1.1 User unknown", "<- 550 5.1.1 User unknown", "<~ 550 5.1.1 User unknown",
                     "S: 550 5.1.1 User unknown", "    said: 550 5.1.1 User unknown", "Received >>> 550 5.1.1 User unknown"] {
            let reply = try only(line)
            XCTAssertEqual(reply.code, 550, line)
            XCTAssertEqual(reply.enhanced?.description, "5.1.1", line)
            XCTAssertEqual(reply.text, "User unknown", line)
        }
    }

    func testDialogueSetsTheStageFromTheCommand() {
        let replies = ReplyLineParser.parse("""
        >>> MAIL FROM:<a@example.com>
        <<< 250 2.1.0 Ok
        >>> RCPT TO:<b@example.org>
        <<< 550 5.7.1 <b@example.org>: Relay access denied
         -> DATA
        <-  503 5.5.1 Error: need RCPT command
        """)
        XCTAssertEqual(replies.map(\.code), [250, 550, 503])
        XCTAssertEqual(replies.map(\.stage), [.mailFrom, .rcptTo, .data])
    }

    func testClientLinesNeverJoinAReply() {
        let replies = ReplyLineParser.parse("""
        <~  334 VXNlcm5hbWU6
         ~> dXNlckBleGFtcGxlLmNvbQ==
        <~  334 UGFzc3dvcmQ6
         ~> c2VjcmV0LXBhc3N3b3Jk
        <~  535 5.7.8 Authentication credentials invalid
        """)
        XCTAssertEqual(replies.map(\.code), [334, 334, 535])
        for reply in replies {
            XCTAssertFalse((reply.lines + [reply.text]).joined().contains("c2VjcmV0"), "\(reply)")
        }
    }

    func testDiagnosticCodeHeader() throws {
        let reply = try only("Diagnostic-Code: smtp; 550 5.2.2 <sabineko@example.jp>... Mailbox Full")
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "5.2.2")
        XCTAssertEqual(reply.text, "<sabineko@example.jp>... Mailbox Full")
        XCTAssertEqual(reply.entities.mailboxes, ["sabineko@example.jp"])
    }

    func testPostfixLogLine() throws {
        let reply = try only("Jan 15 10:23:45 mail postfix/smtp[12345]: 4F1A2B3C4D: to=<bob@example.org>, relay=mx.example.org[198.51.100.7]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, status=bounced (host mx.example.org[198.51.100.7] said: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org (in reply to RCPT TO command))")
        XCTAssertEqual(reply.code, 554)
        XCTAssertEqual(reply.enhanced?.description, "5.7.1")
        XCTAssertEqual(reply.stage, .rcptTo)
        XCTAssertEqual(reply.text, "Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org")
        XCTAssertEqual(reply.entities.hosts, ["mx.example.org"])
        XCTAssertEqual(reply.entities.zones, ["zen.spamhaus.org"])
        XCTAssertEqual(reply.entities.sendingIP, "203.0.113.5")
        XCTAssertEqual(reply.entities.remoteAddresses, ["198.51.100.7"])
    }

    func testPostfixDeferredLogLineWithOnlyADSNCode() throws {
        let reply = try only("Jan 15 10:23:45 mail postfix/smtp[12345]: 4F1A: to=<bob@example.org>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.org[198.51.100.7]:25: Connection timed out)")
        XCTAssertNil(reply.code)
        XCTAssertEqual(reply.enhanced?.description, "4.4.1")
        XCTAssertEqual(reply.entities.hosts, ["mx.example.org"])
    }

    func testEximLogLine() throws {
        let reply = try only("2024-05-01 10:00:00 1abcDE-000123-AB ** bob@example.net R=dnslookup T=remote_smtp H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<bob@example.net>: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown")
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "5.1.1")
        XCTAssertEqual(reply.stage, .rcptTo)
        XCTAssertEqual(reply.entities.hosts, ["mx.example.net"])
        XCTAssertEqual(reply.entities.mailboxes, ["bob@example.net"])
        XCTAssertEqual(reply.text, "<bob@example.net>: Recipient address rejected: User unknown")
    }

    func testEximMessageOnTwoLines() throws {
        let reply = try only("""
        SMTP error from remote mail server after end of data:
        554 5.7.1 Message rejected as spam
        """)
        XCTAssertEqual(reply.stage, .endOfData)
        XCTAssertEqual(reply.code, 554)
    }

    func testExchangeNDR() throws {
        let reply = try only("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'")
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "5.1.1")
        XCTAssertEqual(reply.text, "RESOLVER.ADR.RecipNotFound; not found")
        XCTAssertEqual(reply.entities.domains, [], "RESOLVER.ADR.RecipNotFound is not a domain")
        XCTAssertEqual(reply.provider, "microsoft")
    }

    func testTimestampedLines() throws {
        let reply = try only("2024-06-01T12:00:59.530Z [smtp] 12:00:59 <- 421 4.7.0 Try again later, closing connection.")
        XCTAssertEqual(reply.code, 421)
        XCTAssertEqual(reply.enhanced?.description, "4.7.0")
        XCTAssertEqual(reply.entities.ips, [], "a timestamp is not an address")
    }

    func testGreetingIsStageConnect() throws {
        let reply = try only("554 mx.example.com ESMTP not accepting messages")
        XCTAssertEqual(reply.stage, .connect)
        XCTAssertEqual(reply.entities.hosts, ["mx.example.com"])
    }

    func testClassMismatchIsNotedNotRejected() throws {
        let reply = try only("550 4.7.1 Greylisted, please try again")
        XCTAssertEqual(reply.code, 550)
        XCTAssertEqual(reply.enhanced?.description, "4.7.1")
        XCTAssertEqual(reply.notes.count, 1)
        XCTAssertTrue(reply.notes[0].contains("4.7.1"))
    }

    func testMatchingPairPreferredOverMismatchOnTheSameLine() throws {
        let reply = try only("Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>")
        XCTAssertEqual(reply.code, 421)
        XCTAssertEqual(reply.enhanced?.description, "4.4.2")
        XCTAssertEqual(reply.text, "Connection timed out")
    }

    func testNumbersInProseAreNotReplyCodes() {
        XCTAssertTrue(ReplyLineParser.parse("Your quota allows 250 messages per day and version 5.7.1 is current").isEmpty)
        XCTAssertTrue(ReplyLineParser.parse("Delivered in 450 ms to 192.0.2.1").isEmpty)
    }

    func testSeveralRepliesAndDuplicates() {
        let replies = ReplyLineParser.parse("""
        <<< 550 5.1.1 <a@example.org>... User unknown
        Diagnostic-Code: SMTP; 550 5.1.1 <a@example.org>... User unknown

        <<< 452 4.2.2 <b@example.org>... Mailbox full
        """)
        XCTAssertEqual(replies.map(\.code), [550, 452])
    }

    func testContinuationWithoutFinalLineStillEndsAtTheInputEnd() throws {
        let reply = try only("250-mx.example.com Hello\n250-PIPELINING\n250-STARTTLS")
        XCTAssertEqual(reply.code, 250)
        XCTAssertEqual(reply.lines.count, 3)
    }

    func testCRLFAndCROnlyLineEnds() {
        XCTAssertEqual(ReplyLineParser.parse("550-5.1.1 one\r\n550 5.1.1 two\r\n").first?.text, "one two")
        XCTAssertEqual(ReplyLineParser.parse("421 4.4.2 a\r451 4.3.0 b").map(\.code), [421, 451])
    }
}
