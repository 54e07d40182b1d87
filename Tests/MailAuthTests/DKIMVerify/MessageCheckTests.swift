import Foundation
import Inet
import XCTest
@testable import MailAuth

/// A saved message judged as the large providers judge it.
final class MessageCheckTests: XCTestCase {
    private let signer = DKIMTestSigner(key: .rsa(DKIMTestSigner.rsaKey))

    /// example.com with a key, a p=reject DMARC record and SPF for 192.0.2.10.
    private func zone(dmarc: String? = "v=DMARC1; p=reject; rua=mailto:d@example.com") -> MemoryDNS {
        let dns = MemoryDNS()
        dns.txtRecords[signer.keyName] = [signer.keyRecord]
        if let dmarc { dns.txtRecords["_dmarc.example.com"] = [dmarc] }
        dns.txtRecords["example.com"] = ["v=spf1 ip4:192.0.2.10 -all"]
        dns.txtRecords["bounces.example.com"] = ["v=spf1 ip4:192.0.2.10 -all"]
        return dns
    }

    private func run(_ message: String, _ dns: MemoryDNS, ip: String? = nil) async -> MessageReport {
        await MessageCheck.run(message: Array(message.utf8), dns: dns, spfIP: ip.flatMap(IPAddress.init))
    }

    private func causes(_ report: MessageReport) -> [MessageFinding.Cause] { report.findings.map(\.cause) }

    func testSignedAlignedMessageIsHealthy() async {
        let report = await run(signer.sign(DKIMTestMessages.plain), zone())
        XCTAssertEqual(causes(report), [], "\(report.findings)")
        XCTAssertTrue(report.isHealthy)
        XCTAssertEqual(report.fromDomain, "example.com")
        XCTAssertEqual(report.alignment.dkimAlignedDomains, ["example.com"])
        XCTAssertTrue(report.alignment.passesDMARC)
        XCTAssertEqual(report.alignment.spf.source, .unknown)
        XCTAssertEqual(report.headers?.fromCount, 1)
        XCTAssertEqual(report.headers?.isBulk, false)
    }

    func testSubdomainSignatureAlignsRelaxedButNotStrict() async {
        var sub = signer
        sub.domain = "mail.example.com"
        let dns = zone()
        dns.txtRecords[sub.keyName] = [sub.keyRecord]
        let relaxed = await run(sub.sign(DKIMTestMessages.plain), dns)
        XCTAssertEqual(relaxed.alignment.dkimAlignedDomains, ["mail.example.com"])
        dns.txtRecords["_dmarc.example.com"] = ["v=DMARC1; p=reject; adkim=s"]
        let strict = await run(sub.sign(DKIMTestMessages.plain), dns)
        XCTAssertEqual(strict.alignment.dkimMode, .strict)
        XCTAssertEqual(causes(strict), [.dmarcNotAligned])
        XCTAssertEqual(strict.findings.first?.severity, .error)
    }

    func testMissingKeyAndNoDMARC() async {
        let dns = zone(dmarc: nil)
        dns.txtRecords[signer.keyName] = nil
        let report = await run(signer.sign(DKIMTestMessages.plain), dns)
        XCTAssertEqual(causes(report), [.dkimKeyMissing, .dmarcMissing, .dmarcNotAligned])
        XCTAssertEqual(report.findings.last?.severity, .warning)
        XCTAssertTrue(report.findings[1].evidence[0].contains("_dmarc.example.com"))
    }

    func testInvalidSignatureAndInvalidDMARC() async {
        let signed = signer.sign(DKIMTestMessages.plain).replacingOccurrences(of: "Hello Bob", with: "Hello Eve")
        let report = await run(signed, zone(dmarc: "v=DMARC1; p=maybe"))
        XCTAssertEqual(causes(report), [.dkimSignatureInvalid, .dmarcInvalid, .dmarcNotAligned])
        XCTAssertTrue(report.findings[0].summary.contains("body hash"), report.findings[0].summary)
    }

    func testPolicyNoneIsAWarning() async {
        let report = await run(signer.sign(DKIMTestMessages.plain), zone(dmarc: "v=DMARC1; p=none"))
        XCTAssertEqual(causes(report), [.dmarcPolicyNone])
        XCTAssertEqual(report.findings.first?.severity, .warning)
    }

    func testUnsignedMessageWithSPFEvaluatedHere() async {
        let message = "Return-Path: <bounce@bounces.example.com>\r\n" + DKIMTestMessages.plain
        let pass = await run(message, zone(), ip: "192.0.2.10")
        XCTAssertEqual(pass.alignment.spf.source, .evaluated(IPAddress("192.0.2.10")!))
        XCTAssertEqual(pass.alignment.spf.result, .pass)
        XCTAssertEqual(pass.alignment.spf.domain, "bounces.example.com")
        XCTAssertTrue(pass.alignment.spfAligned)
        XCTAssertEqual(causes(pass), [.dkimSignatureMissing])

        let fail = await run(message, zone(), ip: "198.51.100.7")
        XCTAssertEqual(fail.alignment.spf.result, .fail)
        XCTAssertEqual(causes(fail), [.dkimSignatureMissing, .dmarcNotAligned])
        XCTAssertTrue(fail.findings[1].evidence.contains("SPF: fail for bounces.example.com"), "\(fail.findings[1].evidence)")
    }

    func testSPFFromAuthenticationResults() async {
        let message = "Authentication-Results: mx.google.com;\r\n dkim=none;\r\n"
            + "  spf=pass (google.com: domain of bounce@bounces.example.com designates 192.0.2.10 as permitted sender)"
            + " smtp.mailfrom=bounce@bounces.example.com;\r\n dmarc=pass (p=REJECT) header.from=example.com\r\n"
            + DKIMTestMessages.plain
        let report = await run(message, zone())
        XCTAssertEqual(report.alignment.spf.source, .authenticationResults(authservID: "mx.google.com"))
        XCTAssertEqual(report.alignment.spf.result, .pass)
        XCTAssertEqual(report.alignment.spf.domain, "bounces.example.com")
        XCTAssertTrue(report.alignment.spfAligned)
        XCTAssertTrue(report.alignment.spf.evidence[0].contains("not evaluated here"))
    }

    func testSPFFromReceivedSPF() async {
        let message = "Received-SPF: softfail (example.net: transitioning domain of other.org does not designate "
            + "198.51.100.7 as permitted sender) client-ip=198.51.100.7; envelope-from=\"x@other.org\";\r\n"
            + DKIMTestMessages.plain
        let report = await run(message, zone())
        XCTAssertEqual(report.alignment.spf.source, .receivedSPF)
        XCTAssertEqual(report.alignment.spf.result, .softfail)
        XCTAssertEqual(report.alignment.spf.domain, "other.org")
        XCTAssertFalse(report.alignment.spfAligned)
    }

    func testRequiredHeaderFields() async {
        let message = DKIMTestMessages.plain
            .replacingOccurrences(of: "Message-ID: <m1@example.com>\r\n", with: "")
            .replacingOccurrences(of: "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n", with: "From: mallory@example.org\r\n")
        let report = await run(signer.sign(message), zone())
        XCTAssertEqual(causes(report), [.messageHeadersInvalid])
        let evidence = report.findings[0].evidence
        XCTAssertEqual(evidence.count, 3, "\(evidence)")
        XCTAssertTrue(evidence[0].contains("2 From fields"))
        XCTAssertTrue(evidence[1].contains("Message-ID"))
        XCTAssertTrue(evidence[2].contains("Date"))
    }

    func testBulkMailNeedsSignedOneClickUnsubscribe() async {
        let bulk = DKIMTestMessages.plain.replacingOccurrences(
            of: "Subject:",
            with: "List-Unsubscribe: <mailto:u@example.com>, <https://example.com/u?id=1>\r\n"
                + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nSubject:")
        // Signed, but the signature does not cover the unsubscribe fields.
        let uncovered = await run(signer.sign(bulk), zone())
        XCTAssertEqual(causes(uncovered), [.oneClickUnsubscribeMissing])
        XCTAssertEqual(uncovered.headers?.hasHTTPSUnsubscribe, true)
        XCTAssertEqual(uncovered.headers?.hasOneClickPost, true)
        XCTAssertEqual(uncovered.headers?.unsubscribeSigned, false)

        var covering = signer
        covering.headers += ["List-Unsubscribe", "List-Unsubscribe-Post"]
        let good = await run(covering.sign(bulk), zone())
        XCTAssertEqual(causes(good), [], "\(good.findings)")
        XCTAssertEqual(good.headers?.hasOneClickUnsubscribe, true)

        let mailtoOnly = bulk.replacingOccurrences(of: ", <https://example.com/u?id=1>", with: "")
            .replacingOccurrences(of: "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", with: "")
        let report = await run(covering.sign(mailtoOnly), zone())
        XCTAssertEqual(causes(report), [.oneClickUnsubscribeMissing])
        XCTAssertTrue(report.findings[0].evidence.contains { $0.contains("no https URI") })
        XCTAssertTrue(report.findings[0].evidence.contains { $0.contains("no List-Unsubscribe-Post") })

        let precedence = DKIMTestMessages.plain.replacingOccurrences(of: "Subject:", with: "Precedence: bulk\r\nSubject:")
        let list = await run(signer.sign(precedence), zone())
        XCTAssertEqual(list.headers?.bulkReason, "it has Precedence: bulk")
        XCTAssertEqual(causes(list), [.oneClickUnsubscribeMissing])
    }

    func testGarbageIsNotAMessage() async {
        let report = await MessageCheck.run(message: Array("just some text without any colon\r\n".utf8), dns: zone())
        XCTAssertEqual(causes(report), [.messageUnreadable])
        XCTAssertTrue(report.findings[0].evidence.contains { $0.contains("neither a field") })
    }

    func testLFFileIsNoted() async {
        let report = await run(signer.sign(DKIMTestMessages.plain).replacingOccurrences(of: "\r\n", with: "\n"), zone())
        XCTAssertEqual(causes(report), [])
        XCTAssertTrue(report.notes.contains { $0.contains("bare LF") })
    }
}
