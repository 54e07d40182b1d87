import Foundation
@testable import Probes
import XCTest

/// AUTH and the envelope in the pure state machine: what is sent, what the
/// transcript may show, and when nothing secret may leave.
final class SMTPClientStateMachineAuthTests: XCTestCase {
    private let credentials = SMTPCredentials(user: "alice@example.test", secret: Secret("s3cret-pw"))

    private func reply(_ code: Int, _ lines: String...) -> SMTPClientStateMachine.Event {
        .reply(SMTPReply(code: code, lines: lines))
    }

    /// Runs a machine to its post-TLS EHLO, offering `auth` mechanisms.
    private func readyForAuth(_ machine: inout SMTPClientStateMachine, auth: String = "AUTH PLAIN LOGIN CRAM-MD5", verified: Bool = true) -> [SMTPClientStateMachine.Action] {
        _ = machine.handle(.connected)
        _ = machine.handle(reply(220, "mx ESMTP"))
        _ = machine.handle(reply(250, "mx", "STARTTLS"))
        _ = machine.handle(reply(220, "go ahead"))
        machine.peerVerified = verified
        _ = machine.handle(.tlsEstablished)
        return machine.handle(reply(250, "mx", auth))
    }

    func testPLAINIsSentWithItsPayloadButShownRedacted() {
        var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials)
        let actions = readyForAuth(&m)
        guard case .sendSecret(let line, let display) = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(line, "AUTH PLAIN " + Data("\0alice@example.test\0s3cret-pw".utf8).base64EncodedString())
        XCTAssertEqual(display, "AUTH PLAIN [credentials redacted]")
        XCTAssertFalse(display.contains("s3cret"))
        XCTAssertEqual(m.handle(reply(235, "2.7.0 ok")), [.send("QUIT"), .arm(.quit)])
        XCTAssertTrue(m.authenticated)
        XCTAssertEqual(m.handle(reply(221, "bye")), [.close, .finished(.completed)])
    }

    func testLOGINAnswersEachChallengeRedacted() {
        var login = credentials
        login.mechanism = .login
        var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: login)
        XCTAssertEqual(readyForAuth(&m).first, .send("AUTH LOGIN"))
        XCTAssertEqual(m.handle(reply(334, "VXNlcm5hbWU6")).first,
                       .sendSecret(Data("alice@example.test".utf8).base64EncodedString(), display: "[user name redacted]"))
        XCTAssertEqual(m.handle(reply(334, "UGFzc3dvcmQ6")).first,
                       .sendSecret(Data("s3cret-pw".utf8).base64EncodedString(), display: "[password redacted]"))
        XCTAssertEqual(m.handle(reply(535, "5.7.8 bad")), [.send("QUIT"), .arm(.quit)])
        guard case .finished(.authRejected(.login, let r)) = m.handle(.closed).last else { return XCTFail() }
        XCTAssertEqual(r.code, 535)
    }

    func testCRAMMD5ResponseFollowsRFC2195() {
        // RFC 2195's example: tim / tanstaaftanstaaf.
        var cram = SMTPCredentials(user: "tim", secret: Secret("tanstaaftanstaaf"), mechanism: .cramMD5)
        cram.allowPlaintext = true
        let challenge = Data("<1896.697170952@postoffice.reston.mci.net>".utf8).base64EncodedString()
        let (line, display) = SASL.respond(.cramMD5, step: 0, challenge: challenge, cram)
        XCTAssertEqual(String(decoding: Data(base64Encoded: line)!, as: UTF8.self), "tim b913a602c7eda7a495b4e6e7334d3890")
        XCTAssertEqual(display, "[CRAM-MD5 response redacted]")
    }

    func testNothingSecretLeavesWithoutTLS() {
        var m = SMTPClientStateMachine(mode: .plain, helo: "c", credentials: credentials)
        _ = m.handle(.connected)
        _ = m.handle(reply(220, "mx"))
        XCTAssertEqual(m.handle(reply(250, "mx", "AUTH PLAIN")), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(reply(221, "bye")).last, .finished(.plaintextAuthRefused))
    }

    func testNothingSecretGoesToAnUnverifiedCertificate() {
        var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials)
        XCTAssertEqual(readyForAuth(&m, verified: false), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(m.handle(.closed).last, .finished(.authWithheld))
    }

    func testNoAUTHOfferedAndNoMechanismInCommon() {
        var none = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials)
        XCTAssertEqual(readyForAuth(&none, auth: "8BITMIME"), [.send("QUIT"), .arm(.quit)])
        XCTAssertEqual(none.handle(.closed).last, .finished(.authNotOffered))
        var odd = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials)
        _ = readyForAuth(&odd, auth: "AUTH=GSSAPI NTLM")
        XCTAssertEqual(odd.handle(.closed).last, .finished(.authMechanismUnsupported(offered: ["GSSAPI", "NTLM"])))
    }

    func testEnvelopeAfterAUTHThenQUITBeforeDATA() {
        let envelope = SMTPEnvelope(mailFrom: "alice@example.test", rcptTo: "bob@elsewhere.test")
        var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials, envelope: envelope)
        _ = readyForAuth(&m)
        XCTAssertEqual(m.handle(reply(235, "ok")), [.send("MAIL FROM:<alice@example.test>"), .arm(.mail)])
        XCTAssertEqual(m.handle(reply(250, "ok")), [.send("RCPT TO:<bob@elsewhere.test>"), .arm(.rcpt)])
        XCTAssertEqual(m.handle(reply(554, "5.7.1 <bob@elsewhere.test>: Relay access denied")), [.send("QUIT"), .arm(.quit)])
        guard case .finished(.envelopeRejected("RCPT TO", let r)) = m.handle(reply(221, "bye")).last else { return XCTFail() }
        XCTAssertEqual(r.enhanced, EnhancedStatusCode(klass: 5, subject: 7, detail: 1))
    }

    func testGarbageInReplyToAUTHIsAProtocolViolation() {
        var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: credentials)
        _ = readyForAuth(&m)
        XCTAssertEqual(m.handle(.decodeFailed(.malformed("\u{1}\u{2}garbage"))).last,
                       .finished(.protocolViolation(stage: .auth, detail: "a line that is not an SMTP reply: \"\u{1}\u{2}garbage\"")))
    }

    /// A server that keeps challenging never gets a secret twice: LOGIN sends
    /// the user name and the password once each, then cancels with "*".
    func testAnEndlessChallengeIsCancelledAndNoSecretIsSentTwice() {
        for mechanism in [SASLMechanism.login, .plain, .cramMD5, .xoauth2] {
            var creds = credentials
            creds.mechanism = mechanism
            var m = SMTPClientStateMachine(mode: .opportunistic, helo: "c", credentials: creds)
            _ = readyForAuth(&m, auth: "AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2")
            var secrets = 0
            var actions = m.handle(reply(334, "TW9yZT8="))
            while case .sendSecret = actions.first {
                secrets += 1
                actions = m.handle(reply(334, "TW9yZT8="))
            }
            XCTAssertEqual(secrets, SASL.responses(mechanism), "\(mechanism)")
            XCTAssertEqual(actions.first, .send("*"), "\(mechanism): the exchange is cancelled (RFC 4954 4)")
            let end = m.handle(reply(501, "5.7.0 Authentication cancelled"))
            XCTAssertEqual(end.first, .send("QUIT"))
            guard case .awaitingQuit(.protocolViolation(.auth, let detail)) = m.state else { return XCTFail("\(mechanism): \(m.state)") }
            XCTAssertTrue(detail.contains("nothing was sent again"), detail)
        }
    }

    func testATwoTwentyToEHLOIsAProtocolViolationNotARefusal() {
        var m = SMTPClientStateMachine(mode: .plain, helo: "c")
        _ = m.handle(.connected)
        _ = m.handle(reply(220, "first greeting"))
        _ = m.handle(reply(220, "second greeting"))
        guard case .awaitingQuit(.protocolViolation(.ehlo, _)) = m.state else { return XCTFail("\(m.state)") }
    }

    func testNonASCIIPasswordIsSentAsUTF8() {
        let utf8 = SMTPCredentials(user: "jürgen@example.test", secret: Secret("pässwörd✓"))
        let (line, _) = SASL.start(.plain, utf8)
        let payload = Data(base64Encoded: String(line.dropFirst("AUTH PLAIN ".count)))!
        XCTAssertEqual(Array(payload), [0] + Array("jürgen@example.test".utf8) + [0] + Array("pässwörd✓".utf8))
    }

    func testSecretsNeverPrintThemselves() {
        XCTAssertEqual("\(Secret("pw"))", "[redacted]")
        XCTAssertFalse(String(reflecting: credentials).contains("s3cret"))
    }
}
