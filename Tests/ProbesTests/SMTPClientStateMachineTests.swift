import XCTest
@testable import Probes

/// The SMTP client's decisions, event by event: each test reads like the
/// conversation it checks (server's reply in, client's actions out).
final class SMTPClientStateMachineTests: XCTestCase {
    typealias Machine = SMTPClientStateMachine

    static func reply(_ code: Int, _ lines: String..., trailingBytes: Int = 0) -> Machine.Event {
        .reply(SMTPReply(code: code, lines: lines, trailingBytes: trailingBytes))
    }

    func machine(_ mode: SMTPTLSMode = .opportunistic, after events: [Machine.Event] = []) -> Machine {
        Self.machine(mode, after: events)
    }

    let greeting = reply(220, "mx.example.com ESMTP")
    let ehloWithStartTLS = reply(250, "mx.example.com", "PIPELINING", "STARTTLS")
    let ehloWithoutStartTLS = reply(250, "mx.example.com", "PIPELINING")
    let bye = reply(221, "2.0.0 bye")

    /// A machine that has already been through `events`.
    static func machine(_ mode: SMTPTLSMode = .opportunistic, after events: [Machine.Event] = []) -> Machine {
        var m = Machine(mode: mode, helo: "client.example")
        for event in events { _ = m.handle(event) }
        return m
    }

    func testOpportunisticHappyPath() {
        var m = machine()
        XCTAssertEqual(m.handle(.connected), [.arm(.greeting)])
        XCTAssertEqual(m.handle(greeting), [.send("EHLO client.example"), .arm(.ehlo)])
        XCTAssertEqual(m.handle(ehloWithStartTLS), [.send("STARTTLS"), .arm(.startTLS)])
        XCTAssertEqual(m.handle(Self.reply(220, "2.0.0 go ahead")), [.startTLS, .arm(.tlsHandshake)])
        XCTAssertFalse(m.encrypted)
        XCTAssertEqual(m.handle(.tlsEstablished), [.send("EHLO client.example"), .arm(.ehlo)], "RFC 3207: EHLO again after TLS")
        XCTAssertTrue(m.encrypted)
        XCTAssertEqual(m.handle(Self.reply(250, "mx.example.com", "AUTH PLAIN")), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.completed)])
        XCTAssertEqual(m.state, .done(.completed))
        XCTAssertEqual(m.greeting?.code, 220)
        XCTAssertEqual(m.ehloBeforeTLS?.capabilities, ["PIPELINING", "STARTTLS"])
        XCTAssertEqual(m.ehloAfterTLS?.capabilities, ["AUTH PLAIN"])
    }

    func testImplicitTLSHandshakesBeforeTheGreeting() {
        var m = machine(.implicit)
        XCTAssertEqual(m.handle(.connected), [.arm(.tlsHandshake)])
        XCTAssertEqual(m.stage, .tlsHandshake)
        XCTAssertEqual(m.handle(.tlsEstablished), [.arm(.greeting)])
        XCTAssertEqual(m.handle(greeting), [.send("EHLO client.example"), .arm(.ehlo)])
        XCTAssertEqual(m.handle(ehloWithoutStartTLS), [.send("QUIT"), .arm(.quit)], "no STARTTLS inside TLS")
        XCTAssertEqual(m.handle(bye), [.close, .finished(.completed)])
        XCTAssertNil(m.ehloBeforeTLS)
        XCTAssertEqual(m.ehloAfterTLS?.code, 250)
    }

    func testPlainModeNeverStartsTLS() {
        var m = machine(.plain, after: [.connected, greeting])
        XCTAssertEqual(m.handle(ehloWithStartTLS), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.completed)])
    }

    func testEHLO502FallsBackToHELO() {
        var m = machine(after: [.connected, greeting])
        XCTAssertEqual(m.handle(Self.reply(502, "5.5.1 EHLO not implemented")), [.send("HELO client.example"), .arm(.helo)])
        XCTAssertEqual(m.handle(Self.reply(250, "mx.example.com")), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.completed)])
    }

    func testHELOFallbackInStartTLSModeMeansNoSTARTTLS() {
        var m = machine(.startTLS, after: [.connected, greeting, Self.reply(500, "what?")])
        XCTAssertEqual(m.handle(Self.reply(250, "mx.example.com")), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.startTLSNotOffered)])
    }

    func testHELORejected() {
        var m = machine(after: [.connected, greeting, Self.reply(502, "no")])
        XCTAssertEqual(m.handle(Self.reply(550, "go away")), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.commandRejected(command: "HELO", reply: SMTPReply(code: 550, lines: ["go away"])))])
    }

    func testStartTLSModeWithoutSTARTTLSOfferedQuits() {
        var m = machine(.startTLS, after: [.connected, greeting])
        XCTAssertEqual(m.handle(ehloWithoutStartTLS), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.startTLSNotOffered)])
    }

    func testOpportunisticWithoutSTARTTLSOfferedCompletes() {
        var m = machine(after: [.connected, greeting])
        XCTAssertEqual(m.handle(ehloWithoutStartTLS), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.completed)])
    }

    func test421GreetingIsRejectedAndStillQuits() {
        var m = machine(after: [.connected])
        let busy = SMTPReply(code: 421, lines: ["4.7.0 too many connections"])
        XCTAssertEqual(m.handle(.reply(busy)), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(.closed), [.close, .finished(.greetingRejected(busy))], "a hang-up after QUIT is fine")
    }

    func test554GreetingIsRejected() {
        var m = machine(after: [.connected])
        let refused = SMTPReply(code: 554, lines: ["5.7.1 no service for you"])
        XCTAssertEqual(m.handle(.reply(refused)), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(.deadlineExpired), [.close, .finished(.greetingRejected(refused))], "no answer to QUIT is fine")
    }

    func test250WhereThe220BelongsIsAProtocolViolation() {
        var m = machine(after: [.connected])
        XCTAssertEqual(m.handle(Self.reply(250, "hello?")),
                       [.close, .finished(.protocolViolation(stage: .greeting, detail: "expected 220, got 250"))])
    }

    func testPlaintextBehindTheSTARTTLS220IsRefusedAndTLSNeverStarts() {
        var m = machine(after: [.connected, greeting, ehloWithStartTLS])
        let actions = m.handle(Self.reply(220, "go ahead", trailingBytes: 14))
        XCTAssertEqual(actions, [.close, .finished(.plaintextAfterStartTLS(bytes: 14))])
        XCTAssertFalse(actions.contains(.startTLS))
        XCTAssertEqual(m.handle(.tlsEstablished), [], "nothing after the end")
    }

    func testSTARTTLS454IsRefused() {
        var m = machine(after: [.connected, greeting, ehloWithStartTLS])
        let refused = SMTPReply(code: 454, lines: ["4.7.0 TLS not available"])
        XCTAssertEqual(m.handle(.reply(refused)), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.startTLSRefused(refused))])
    }

    func testEHLORejectedAfterTLSDoesNotFallBackToHELO() {
        var m = machine(after: [.connected, greeting, ehloWithStartTLS, Self.reply(220, "go"), .tlsEstablished])
        let rejected = SMTPReply(code: 502, lines: ["no"])
        XCTAssertEqual(m.handle(.reply(rejected)), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(bye), [.close, .finished(.commandRejected(command: "EHLO", reply: rejected))])
    }
}
