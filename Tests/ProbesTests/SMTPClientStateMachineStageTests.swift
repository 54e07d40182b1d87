import XCTest
@testable import Probes

/// How every stage ends when the server goes quiet, hangs up or sends garbage.
final class SMTPClientStateMachineStageTests: XCTestCase {
    typealias Machine = SMTPClientStateMachine
    static func reply(_ code: Int, _ lines: String...) -> Machine.Event { .reply(SMTPReply(code: code, lines: lines)) }
    static let greeting = reply(220, "mx.example.com ESMTP")
    static let ehloWithStartTLS = reply(250, "mx.example.com", "STARTTLS")

    /// Each stage, with the events that lead there.
    static let stages: [(stage: SMTPStage, mode: SMTPTLSMode, events: [Machine.Event])] = [
        (.connect, .opportunistic, []),
        (.tlsHandshake, .implicit, [.connected]),
        (.greeting, .opportunistic, [.connected]),
        (.greeting, .implicit, [.connected, .tlsEstablished]),
        (.ehlo, .opportunistic, [.connected, greeting]),
        (.helo, .opportunistic, [.connected, greeting, reply(502, "no")]),
        (.startTLS, .opportunistic, [.connected, greeting, ehloWithStartTLS]),
        (.tlsHandshake, .opportunistic, [.connected, greeting, ehloWithStartTLS, reply(220, "go")]),
        (.ehlo, .opportunistic, [.connected, greeting, ehloWithStartTLS, reply(220, "go"), .tlsEstablished]),
    ]

    func testEveryStageIsWhereTheEventsLead() {
        for (stage, mode, events) in Self.stages {
            XCTAssertEqual(SMTPClientStateMachineTests.machine(mode, after: events).stage, stage, "\(mode) \(events)")
        }
    }

    func testDeadlineInEachStageIsATimeoutOfThatStage() {
        for (stage, mode, events) in Self.stages {
            var m = SMTPClientStateMachineTests.machine(mode, after: events)
            XCTAssertEqual(m.handle(.deadlineExpired), [.close, .finished(.timedOut(stage: stage))], "\(stage) \(mode)")
        }
    }

    func testHangUpInEachStageIsClosedByServerInThatStage() {
        for (stage, mode, events) in Self.stages {
            var m = SMTPClientStateMachineTests.machine(mode, after: events)
            XCTAssertEqual(m.handle(.closed), [.close, .finished(.closedByServer(stage: stage))], "\(stage) \(mode)")
        }
    }

    func testUndecodableReplyInEachStageIsAProtocolViolation() {
        for (stage, mode, events) in Self.stages {
            var m = SMTPClientStateMachineTests.machine(mode, after: events)
            let error = SMTPReplyError.malformed("garbage")
            XCTAssertEqual(m.handle(.decodeFailed(error)),
                           [.close, .finished(.protocolViolation(stage: stage, detail: error.description))], "\(stage) \(mode)")
        }
    }

    func testTLSFailureNamesTheStage() {
        var implicit = SMTPClientStateMachineTests.machine(.implicit, after: [.connected])
        XCTAssertEqual(implicit.handle(.tlsFailed("wrong version number")),
                       [.close, .finished(.tlsFailed(stage: .tlsHandshake, detail: "wrong version number"))])
        var startTLS = SMTPClientStateMachineTests.machine(after: Self.stages.last!.events.dropLast())
        XCTAssertEqual(startTLS.handle(.tlsFailed("handshake failure")),
                       [.close, .finished(.tlsFailed(stage: .tlsHandshake, detail: "handshake failure"))])
    }

    func testReplyWhileWaitingForTLSIsAProtocolViolation() {
        var m = SMTPClientStateMachineTests.machine(after: Self.stages.last!.events.dropLast())
        XCTAssertEqual(m.handle(Self.reply(250, "plain text?")),
                       [.close, .finished(.protocolViolation(stage: .tlsHandshake, detail: "unexpected reply 250 while waiting for tls-handshake"))])
    }

    func testSecondConnectedEventIsAProtocolViolation() {
        var m = SMTPClientStateMachineTests.machine(after: [.connected])
        XCTAssertEqual(m.handle(.connected), [.close, .finished(.protocolViolation(stage: .greeting, detail: "unexpected event in greeting"))])
    }

    func testAQuietQuitKeepsTheEndAlreadyKnown() {
        var m = SMTPClientStateMachineTests.machine(.startTLS, after: [.connected, Self.greeting, Self.reply(250, "mx.example.com")])
        XCTAssertEqual(m.stage, .quit)
        XCTAssertEqual(m.handle(.deadlineExpired), [.close, .finished(.startTLSNotOffered)])
    }

    func testEventsAfterTheEndDoNothing() {
        var m = SMTPClientStateMachineTests.machine(after: [.connected, .deadlineExpired])
        XCTAssertEqual(m.state, .done(.timedOut(stage: .greeting)))
        let after: [Machine.Event] = [.connected, Self.greeting, .tlsEstablished, .decodeFailed(.malformed("x")),
                                      .tlsFailed("x"), .deadlineExpired, .closed]
        for event in after {
            XCTAssertEqual(m.handle(event), [], "\(event)")
        }
        XCTAssertEqual(m.state, .done(.timedOut(stage: .greeting)))
    }
}
