@testable import Probes
import XCTest
@testable import Diagnosis

/// The TLS handshake and certificate judges on hand-built sessions.
final class SMTPNodesTLSTests: XCTestCase {
    private func facts(_ session: SMTPSessionObservation, tls: TLSMode = .auto) -> Facts {
        SMTPNodesTests.facts(session, tls: tls)
    }

    private func ended(_ end: SMTPSessionEnd, _ mode: SMTPTLSMode = .opportunistic, bytes: Int? = nil) -> SMTPSessionObservation {
        Fixture.session(mode, end: end, ehloAfterTLS: nil, tls: nil, bytes: bytes)
    }

    private func certificate(_ problems: CertificateProblem...) -> Judgement {
        SMTPNodes.judgeCertificate(facts(Fixture.session(tls: Fixture.tls(problems))))
    }

    // MARK: handshake

    func testFailedHandshakeIsTLSHandshakeFailed() {
        let j = SMTPNodes.judgeHandshake(facts(ended(.tlsFailed(stage: .tlsHandshake, detail: "handshake failure"))))
        XCTAssertEqual(j.finding?.cause, .tlsHandshakeFailed)
        XCTAssertEqual(j.finding?.summary, "On port 587, the TLS handshake failed: handshake failure.")
        XCTAssertEqual(j.next, .stop)
    }

    func testStalledHandshakeAfterSTARTTLSSaysItStalls() {
        let j = SMTPNodes.judgeHandshake(facts(ended(.timedOut(stage: .tlsHandshake))))
        XCTAssertEqual(j.finding?.cause, .tlsHandshakeFailed)
        XCTAssertEqual(j.finding?.summary, "On port 587, the server accepted STARTTLS, then sent no TLS handshake within 5 s: the handshake stalls.")
    }

    func testStalledImplicitHandshakeSaysNoHandshakeCompleted() {
        let session = Fixture.session(.implicit, end: .timedOut(stage: .tlsHandshake), greeting: nil, ehlo: nil, ehloAfterTLS: nil,
                                      tls: nil, firstBytes: "\u{16}\u{03}\u{03}", bytes: 90)
        let j = SMTPNodes.judgeHandshake(facts(session, tls: .implicit))
        XCTAssertEqual(j.finding?.summary, "On port 587, no TLS handshake completed within 5 s.")
    }

    func testSTARTTLSRefusedOrUnansweredIsTLSHandshakeFailed() {
        let refused = SMTPReply(code: 454, lines: ["4.7.0 TLS not available"])
        XCTAssertEqual(SMTPNodes.judgeHandshake(facts(ended(.startTLSRefused(refused)))).finding?.summary,
                       "On port 587, the server refused STARTTLS: 454 4.7.0 TLS not available.")
        XCTAssertEqual(SMTPNodes.judgeHandshake(facts(ended(.timedOut(stage: .startTLS)))).finding?.summary,
                       "On port 587, the server did not answer STARTTLS within 5 s.")
    }

    func testEstablishedOrNeverTriedHandshake() {
        XCTAssertEqual(SMTPNodes.judgeHandshake(facts(Fixture.healthySession())).evidence, ["TLS was established (TLSv1.3)."])
        let plain = Fixture.session(.plain, ehloAfterTLS: nil, tls: nil)
        XCTAssertEqual(SMTPNodes.judgeHandshake(facts(plain, tls: .none)).outcome, .skipped)
    }

    // MARK: certificate

    func testVerifiedChainRulesTheCertificateOut() {
        let j = SMTPNodes.judgeCertificate(facts(Fixture.healthySession()))
        XCTAssertEqual(j.outcome, .ruledOut)
        XCTAssertEqual(j.evidence, [
            "Verified against the system trust store; TLSv1.3.",
            "certificate 0: CN=mail.example.com issued by CN=Example Issuing CA; valid 2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z; names mail.example.com",
        ])
    }

    func testNoTLSMeansNoCertificateToJudge() {
        XCTAssertEqual(SMTPNodes.judgeCertificate(facts(ended(.completed))).outcome, .skipped)
    }

    func testExpired() {
        let j = certificate(.expired(notAfter: Fixture.validTo))
        XCTAssertEqual(j.finding?.cause, .certExpired)
        XCTAssertEqual(j.finding?.summary, "The server's certificate expired on 2027-01-01T00:00:00Z.")
        XCTAssertEqual(j.evidence.last, "problem: expired on 2027-01-01T00:00:00Z")
    }

    func testNotYetValid() {
        let j = certificate(.notYetValid(notBefore: Fixture.validFrom))
        XCTAssertEqual(j.finding?.cause, .certNotYetValid)
        XCTAssertEqual(j.finding?.summary, "The server's certificate is not valid before 2025-01-01T00:00:00Z.")
    }

    func testHostnameMismatchListsTheNamesHeld() {
        let j = certificate(.hostnameMismatch(host: Fixture.host, names: ["mx1.example.net", "*.example.net"]))
        XCTAssertEqual(j.finding?.cause, .certHostnameMismatch)
        XCTAssertEqual(j.finding?.summary, "The certificate does not name mail.example.com; it holds mx1.example.net, *.example.net.")
        XCTAssertEqual(j.finding?.remediation.first, "Connect with a name the certificate holds (mx1.example.net), if it is the same server.")
        XCTAssertEqual(certificate(.hostnameMismatch(host: Fixture.host, names: [])).finding?.summary,
                       "The certificate does not name mail.example.com; it holds no DNS names at all.")
    }

    func testSelfSignedIsUntrusted() {
        let j = certificate(.selfSigned(subject: "CN=mail.example.com"))
        XCTAssertEqual(j.finding?.cause, .certUntrusted)
        XCTAssertEqual(j.finding?.summary, "The certificate is self-signed (CN=mail.example.com), so no client trusts it by default.")
    }

    func testMissingIntermediateIsUntrusted() {
        let j = certificate(.missingIntermediate(issuer: "CN=Example Issuing CA"))
        XCTAssertEqual(j.finding?.cause, .certUntrusted)
        XCTAssertEqual(j.finding?.summary, "The server sent only its own certificate; its issuer (CN=Example Issuing CA) is not a trusted root, so the intermediate certificate is missing.")
        XCTAssertTrue(j.finding?.remediation.first?.contains("fullchain.pem") ?? false)
    }

    func testUnknownIssuerIsUntrusted() {
        let j = certificate(.unknownIssuer(issuer: "CN=Private Root", detail: "no chain to a trusted root"))
        XCTAssertEqual(j.finding?.cause, .certUntrusted)
        XCTAssertEqual(j.finding?.summary, "The certificate chain ends at CN=Private Root, which is not trusted here.")
        XCTAssertEqual(j.evidence.last, "problem: unknown issuer CN=Private Root (no chain to a trusted root)")
    }

    func testTheFirstProblemNamesTheCauseAndEveryProblemIsEvidence() {
        let j = certificate(.expired(notAfter: Fixture.validTo), .hostnameMismatch(host: Fixture.host, names: ["other.example.net"]))
        XCTAssertEqual(j.finding?.cause, .certExpired)
        XCTAssertEqual(j.evidence.suffix(2), ["problem: expired on 2027-01-01T00:00:00Z",
                                              "problem: mail.example.com is not among the names other.example.net"])
    }

    func testControlCharactersInCertificateNamesAreEscaped() {
        let j = certificate(.selfSigned(subject: "CN=evil\u{1b}[2J"))
        XCTAssertEqual(j.finding?.summary, "The certificate is self-signed (CN=evil\\x1B[2J), so no client trusts it by default.")
    }
}
