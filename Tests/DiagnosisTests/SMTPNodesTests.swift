@testable import Probes
import XCTest
@testable import Diagnosis

/// The SMTP judges on hand-built sessions: greeting, rejection, speed,
/// protocol and STARTTLS. (TLS and certificates: SMTPNodesTLSTests.)
final class SMTPNodesTests: XCTestCase {
    static func facts(_ primary: SMTPSessionObservation, alternate: SMTPSessionObservation? = nil,
                      port: Int = 587, tls: TLSMode = .auto) -> Facts {
        Facts(target: Target(host: Fixture.host, port: port, tls: tls), smtp: SMTPCheck(primary: primary, alternate: alternate))
    }

    /// Connected, then nothing at all (or only `bytes` of a greeting) before the deadline.
    static func silent(_ mode: SMTPTLSMode = .opportunistic, port: Int = 587, bytes: String = "") -> SMTPSessionObservation {
        Fixture.session(mode, port: port, end: mode == .implicit ? .timedOut(stage: .tlsHandshake) : .timedOut(stage: .greeting),
                        greeting: nil, ehlo: nil, ehloAfterTLS: nil, tls: nil, firstBytes: bytes, bytes: bytes.utf8.count)
    }

    /// A healthy implicit-TLS session: the alternate that shows a port wants TLS at once.
    static let implicitWorks = Fixture.healthySession(port: 587, mode: .implicit)

    static func ended(_ end: SMTPSessionEnd, greeting: SMTPReply? = Fixture.greeting, ehlo: SMTPReply? = nil) -> SMTPSessionObservation {
        Fixture.session(end: end, greeting: greeting, ehlo: ehlo, ehloAfterTLS: nil, tls: nil)
    }

    // MARK: greeting

    func testSilentGreetingWithTLSOnTheAlternateIsImplicitMismatch() {
        let j = SMTPNodes.judgeGreeting(Self.facts(Self.silent(), alternate: Self.implicitWorks))
        XCTAssertEqual(j.finding?.cause, .tlsModeMismatchImplicit)
        XCTAssertEqual(j.next, .stop)
        XCTAssertEqual(j.finding?.summary, "Port 587 says nothing in plain text for 5 s but completes a TLS handshake (TLSv1.3): it wants TLS from the first byte (implicit TLS), and the client spoke plain text or STARTTLS.")
        XCTAssertEqual(j.finding?.remediation.first, "Set the mail program to SSL/TLS (implicit TLS) on port 587.")
        XCTAssertTrue(j.evidence.contains("--- the same port in implicit mode:"), "\(j.evidence)")
    }

    func testSilentGreetingWithATLSRecordOnTheAlternateIsImplicitMismatchToo() {
        var alert = Self.silent(.implicit)
        alert.end = .tlsFailed(stage: .tlsHandshake, detail: "certificate verify failed")
        alert.firstBytes = [0x15, 0x03, 0x03, 0x00, 0x02]
        XCTAssertEqual(SMTPNodes.judgeGreeting(Self.facts(Self.silent(), alternate: alert)).finding?.cause, .tlsModeMismatchImplicit)
    }

    func testSilentBothWaysIsBannerTimeout() {
        let j = SMTPNodes.judgeGreeting(Self.facts(Self.silent(), alternate: Self.silent(.implicit)))
        XCTAssertEqual(j.outcome, .confirmed)
        XCTAssertEqual(j.finding?.cause, .bannerTimeout)
        XCTAssertEqual(j.finding?.summary, "Connected to 192.0.2.10:587, but no greeting arrived within 5 s, and a TLS handshake on the same port failed too.")
    }

    func testTrickledBytesAreBannerTimeoutThatSaysHowMany() {
        let j = SMTPNodes.judgeGreeting(Self.facts(Self.silent(bytes: "22"), alternate: Self.silent(.implicit)))
        XCTAssertEqual(j.finding?.cause, .bannerTimeout)
        XCTAssertTrue(j.finding?.summary.hasSuffix("Only 2 bytes arrived, not a whole reply: the server trickles its greeting, as a tarpit does.") ?? false,
                      j.finding?.summary ?? "")
    }

    func testImplicitTLSOnAPlainPortIsPlainMismatch() {
        let failing = Fixture.oppositeModeFails(mode: .implicit)
        let plain = Fixture.healthySession(mode: .plain)
        let j = SMTPNodes.judgeGreeting(Self.facts(failing, alternate: plain, tls: .implicit))
        XCTAssertEqual(j.finding?.cause, .tlsModeMismatchPlain)
        XCTAssertEqual(j.finding?.summary, "Port 587 greets in plain text (\"220 mail.example.com ESMTP ready\"), but the client started TLS at once: this port wants STARTTLS, not implicit TLS.")
        XCTAssertEqual(SMTPNodes.judgeGreeting(Self.facts(failing, tls: .implicit)).finding?.cause, .tlsModeMismatchPlain,
                       "the raw bytes alone show the plain-text greeting")
    }

    func testAGreetingRulesTheSilenceOut() {
        let j = SMTPNodes.judgeGreeting(Self.facts(Fixture.healthySession()))
        XCTAssertEqual(j.outcome, .ruledOut)
        XCTAssertEqual(j.evidence, ["The greeting arrived after 40 ms: 220 mail.example.com ESMTP ready"])
    }

    // MARK: rejected

    func test421IsServerBusyWithTheServersText() {
        let busy = SMTPReply(code: 421, lines: ["4.7.0 mail.example.com too busy, try later"])
        let j = SMTPNodes.judgeRejected(Self.facts(Self.ended(.greetingRejected(busy), greeting: busy)))
        XCTAssertEqual(j.finding?.cause, .serverBusy)
        XCTAssertEqual(j.finding?.summary, "The server answered the connection with 421: \"421 4.7.0 mail.example.com too busy, try later\". It is busy or limiting this client for now.")
        XCTAssertEqual(SMTPNodes.judgeGreeting(Self.facts(Self.ended(.greetingRejected(busy), greeting: busy))).outcome, .ruledOut,
                       "a 421 is a greeting, just not a welcome")
    }

    func test554IsServiceRefused() {
        let refused = SMTPReply(code: 554, lines: ["5.7.1 no SMTP service here"])
        let j = SMTPNodes.judgeRejected(Self.facts(Self.ended(.greetingRejected(refused), greeting: refused)))
        XCTAssertEqual(j.finding?.cause, .serviceRefused)
        XCTAssertEqual(j.finding?.summary, "The server refused service at the greeting with 554: \"554 5.7.1 no SMTP service here\".")
    }

    func testClosedBeforeTheGreetingIsServiceRefused() {
        var closed = Self.silent()
        closed.end = .closedByServer(stage: .greeting)
        let j = SMTPNodes.judgeRejected(Self.facts(closed))
        XCTAssertEqual(j.finding?.cause, .serviceRefused)
        XCTAssertEqual(j.finding?.summary, "The server closed the connection without a word, before any greeting.")
    }

    func testA220RulesTheRejectionOut() {
        XCTAssertEqual(SMTPNodes.judgeRejected(Self.facts(Fixture.healthySession())).evidence,
                       ["The greeting was a 220 welcome: 220 mail.example.com ESMTP ready"])
    }

    // MARK: slow

    func testThreeSecondGreetingIsASlowBannerWarningAndTheRunGoesOn() {
        let j = SMTPNodes.judgeSlow(Self.facts(Fixture.session(delayMs: 3000)))
        XCTAssertEqual(j.finding?.cause, .slowBanner)
        XCTAssertEqual(j.finding?.severity, .warning)
        XCTAssertEqual(j.next, .following)
        XCTAssertEqual(j.finding?.summary, "The greeting took 3 s after the connection opened; clients with a shorter timeout give up before it.")
        XCTAssertTrue(j.finding?.remediation.first?.hasPrefix("Raise the mail program's connection or server timeout to at least 30 s") ?? false)
        XCTAssertEqual(SMTPNodes.judgeSlow(Self.facts(Fixture.session(delayMs: 1999))).outcome, .ruledOut)
        XCTAssertEqual(SMTPNodes.judgeSlow(Self.facts(Self.silent())).outcome, .skipped)
    }

    // MARK: protocol

    func testProtocolViolationIsSMTPProtocolError() {
        let j = SMTPNodes.judgeProtocol(Self.facts(Self.ended(.protocolViolation(stage: .greeting, detail: "expected 220, got 250"))))
        XCTAssertEqual(j.finding?.cause, .smtpProtocolError)
        XCTAssertEqual(j.finding?.summary, "The server broke the SMTP protocol during greeting: expected 220, got 250.")
    }

    func testPlaintextAfterSTARTTLSIsInjection() {
        let j = SMTPNodes.judgeProtocol(Self.facts(Self.ended(.plaintextAfterStartTLS(bytes: 14), ehlo: Fixture.ehlo)))
        XCTAssertEqual(j.finding?.cause, .startTLSPlaintextInjection)
        XCTAssertEqual(j.finding?.summary, "14 bytes of plain text arrived right after the server's \"220 ready to start TLS\", before the handshake. smtp-doctor stopped there.")
    }

    func testHangUpMidDialogueAndSilenceAfterEHLOAreProtocolErrors() {
        XCTAssertEqual(SMTPNodes.judgeProtocol(Self.facts(Self.ended(.closedByServer(stage: .ehlo)))).finding?.summary,
                       "The server hung up during ehlo, before the conversation was over.")
        XCTAssertEqual(SMTPNodes.judgeProtocol(Self.facts(Self.ended(.timedOut(stage: .ehlo)))).finding?.summary,
                       "The server greeted but then did not answer EHLO within 5 s.")
        XCTAssertEqual(SMTPNodes.judgeProtocol(Self.facts(Fixture.healthySession())).evidence,
                       ["The conversation followed the protocol (a normal QUIT)."])
    }

    // MARK: STARTTLS

    func testNoSTARTTLSOnTheSubmissionPortIsAnError() {
        let j = SMTPNodes.judgeStartTLS(Self.facts(Fixture.session(ehlo: Fixture.ehloWithoutStartTLS, ehloAfterTLS: nil, tls: nil)))
        XCTAssertEqual(j.finding?.cause, .startTLSNotOffered)
        XCTAssertEqual(j.finding?.severity, .error)
        XCTAssertEqual(j.finding?.summary, "EHLO on port 587 lists no STARTTLS: the server offers no encryption on this port.")
        XCTAssertEqual(j.evidence, ["250-mail.example.com", "250-PIPELINING", "250 8BITMIME"])
    }

    func testNoSTARTTLSOnPort25IsAWarningUnlessTheClientInsists() {
        let relay = Fixture.session(port: 25, ehlo: Fixture.ehloWithoutStartTLS, ehloAfterTLS: nil, tls: nil)
        XCTAssertEqual(SMTPNodes.judgeStartTLS(Self.facts(relay, port: 25)).finding?.severity, .warning)
        var insisting = relay
        insisting.mode = .startTLS
        insisting.end = .startTLSNotOffered
        XCTAssertEqual(SMTPNodes.judgeStartTLS(Self.facts(insisting, port: 25, tls: .starttls)).finding?.severity, .error)
    }

    func testSTARTTLSOfferedOrNotApplicable() {
        XCTAssertEqual(SMTPNodes.judgeStartTLS(Self.facts(Fixture.healthySession())).outcome, .ruledOut)
        XCTAssertEqual(SMTPNodes.judgeStartTLS(Self.facts(Self.implicitWorks, tls: .implicit)).outcome, .skipped)
        XCTAssertEqual(SMTPNodes.judgeStartTLS(Self.facts(Self.silent())).evidence, ["EHLO was not answered, so the offer is unknown."])
    }

    // MARK: not reached

    func testEveryNodeIsInconclusiveWhenTheConnectionFailed() {
        let failed = Fixture.session(end: .connectFailed(detail: "ECONNREFUSED"), greeting: nil, ehlo: nil, ehloAfterTLS: nil, tls: nil)
        for node in SMTPNodes.all {
            let j = node.judge(Self.facts(failed))
            XCTAssertEqual(j.outcome, .inconclusive, node.id)
            XCTAssertEqual(j.evidence, ["The SMTP connection to 192.0.2.10:587 failed (ECONNREFUSED), so this was not tested."], node.id)
            XCTAssertEqual(node.judge(Facts(target: Target(host: Fixture.host))).evidence, ["No SMTP conversation was held."], node.id)
        }
    }
}
