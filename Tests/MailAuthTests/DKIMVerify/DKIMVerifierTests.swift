import Foundation
import XCTest
@testable import MailAuth

/// Messages signed here with keys made here, verified against keys served
/// from memory.
final class DKIMVerifierTests: XCTestCase {
    private let rsa = DKIMTestSigner(key: .rsa(DKIMTestSigner.rsaKey))
    private let ed25519 = DKIMTestSigner(key: .ed25519(DKIMTestSigner.ed25519Key), selector: "ed")

    private func dns(publishing signers: DKIMTestSigner...) -> MemoryDNS {
        let dns = MemoryDNS()
        for signer in signers { dns.txtRecords[signer.keyName] = [signer.keyRecord] }
        return dns
    }

    private func verify(_ message: String, _ dns: MemoryDNS, now: Date = Date()) async -> [DKIMVerification] {
        await DKIMVerifier.verify(message: Array(message.utf8), dns: dns, now: now)
    }

    private func assertOutcome(_ results: [DKIMVerification], _ expected: DKIMVerification.Outcome,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(results.count, 1, file: file, line: line)
        XCTAssertEqual(results.first?.outcome, expected,
                       results.first?.evidence.joined(separator: "\n") ?? "", file: file, line: line)
    }

    func testRSASignedMessageVerifies() async {
        let results = await verify(rsa.sign(DKIMTestMessages.plain), dns(publishing: rsa))
        assertOutcome(results, .pass)
        XCTAssertEqual(results.first?.domain, "example.com")
        XCTAssertEqual(results.first?.selector, "sel")
        XCTAssertEqual(results.first?.algorithm, "rsa-sha256")
        XCTAssertEqual(results.first?.key?.keyBits, 2048)
        XCTAssertTrue(results.first?.evidence.contains("the signature verifies with the key at sel._domainkey.example.com") ?? false)
    }

    func testEd25519SignedMessageVerifies() async {
        var signer = ed25519
        signer.canonicalization = (.simple, .simple)
        assertOutcome(await verify(signer.sign(DKIMTestMessages.plain), dns(publishing: signer)), .pass)
    }

    func testEveryCanonicalisationPairVerifies() async {
        for header in DKIMCanonicalization.allCases {
            for body in DKIMCanonicalization.allCases {
                var signer = rsa
                signer.canonicalization = (header, body)
                assertOutcome(await verify(signer.sign(DKIMTestMessages.plain), dns(publishing: signer)), .pass)
            }
        }
    }

    func testAlteredBodyByteIsABodyHashMismatch() async {
        let signed = rsa.sign(DKIMTestMessages.plain).replacingOccurrences(of: "Hello Bob", with: "Hello Rob")
        assertOutcome(await verify(signed, dns(publishing: rsa)), .fail(.bodyHashMismatch))
        let ed = ed25519.sign(DKIMTestMessages.plain).replacingOccurrences(of: "eight.", with: "nine.")
        assertOutcome(await verify(ed, dns(publishing: ed25519)), .fail(.bodyHashMismatch))
    }

    func testAlteredSignedHeaderIsASignatureMismatch() async {
        let signed = rsa.sign(DKIMTestMessages.plain).replacingOccurrences(of: "Dinner at eight", with: "Dinner at nine")
        assertOutcome(await verify(signed, dns(publishing: rsa)), .fail(.signatureMismatch))
        let ed = ed25519.sign(DKIMTestMessages.plain).replacingOccurrences(of: "bob@example.net", with: "eve@example.net")
        assertOutcome(await verify(ed, dns(publishing: ed25519)), .fail(.signatureMismatch))
    }

    func testRelaxedToleratesRefoldingAndCase() async {
        let signed = rsa.sign(DKIMTestMessages.plain)
            .replacingOccurrences(of: "Subject: Dinner at eight", with: "SUBJECT:   Dinner\r\n\tat   eight  ")
        assertOutcome(await verify(signed, dns(publishing: rsa)), .pass)
        var simple = rsa
        simple.canonicalization = (.simple, .simple)
        let strict = simple.sign(DKIMTestMessages.plain)
            .replacingOccurrences(of: "Subject: Dinner at eight", with: "Subject:  Dinner at eight")
        assertOutcome(await verify(strict, dns(publishing: rsa)), .fail(.signatureMismatch))
    }

    func testUnsignedHeaderMayChange() async {
        let signed = rsa.sign(DKIMTestMessages.plain + "").replacingOccurrences(
            of: "From: Alice", with: "X-Mailer: test\r\nFrom: Alice")
        assertOutcome(await verify(signed, dns(publishing: rsa)), .pass)
    }

    func testKeyRemovedIsKeyMissing() async {
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), MemoryDNS()), .fail(.keyMissing))
    }

    func testRevokedKey() async {
        let dns = MemoryDNS()
        dns.txtRecords[rsa.keyName] = ["v=DKIM1; k=rsa; p="]
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), dns), .fail(.keyRevoked))
    }

    func testBrokenKeyRecordIsKeyInvalid() async {
        let dns = MemoryDNS()
        dns.txtRecords[rsa.keyName] = ["v=DKIM1; k=rsa; p=AAAA"]
        let results = await verify(rsa.sign(DKIMTestMessages.plain), dns)
        guard case .fail(.keyInvalid) = results.first?.outcome else {
            return XCTFail("\(String(describing: results.first?.outcome))")
        }
    }

    func testWrongKeyIsASignatureMismatch() async {
        let other = DKIMTestSigner(key: .rsa(try! .init(keySize: .bits2048)))
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), dns(publishing: other)), .fail(.signatureMismatch))
    }

    func testKeyTypeMismatch() async {
        let dns = MemoryDNS()
        dns.txtRecords[rsa.keyName] = [ed25519.keyRecord]
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), dns), .fail(.keyTypeMismatch))
    }

    func testKeyRestrictedToSHA1IsNotAcceptable() async {
        let dns = MemoryDNS()
        dns.txtRecords[rsa.keyName] = [rsa.keyRecord.replacingOccurrences(of: "k=rsa;", with: "k=rsa; h=sha1;")]
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), dns), .fail(.algorithmNotAcceptable))
    }

    func testRSASHA1IsNotAcceptable() async {
        var signer = rsa
        signer.algorithmName = "rsa-sha1"
        let results = await verify(signer.sign(DKIMTestMessages.plain), dns(publishing: rsa))
        assertOutcome(results, .fail(.algorithmNotAcceptable))
        XCTAssertTrue(results.first?.evidence.contains { $0.contains("RFC 8301") } ?? false)
    }

    func testDNSFailure() async {
        let dns = self.dns(publishing: rsa)
        dns.failing = [rsa.keyName]
        assertOutcome(await verify(rsa.sign(DKIMTestMessages.plain), dns), .fail(.dnsFailure("no answer before the deadline")))
    }

    func testExpiredSignature() async {
        var signer = rsa
        let now = Int64(Date().timeIntervalSince1970)
        signer.timestamp = now - 7200
        signer.expiration = now - 3600
        let dns = self.dns(publishing: rsa)
        assertOutcome(await verify(signer.sign(DKIMTestMessages.plain), dns), .fail(.expired))
        // Judged before DNS (RFC 6376 6.1.1): no key lookup for an expired signature.
        XCTAssertEqual(dns.questions, [])
        signer.expiration = now + 3600
        assertOutcome(await verify(signer.sign(DKIMTestMessages.plain), dns), .pass)
    }

    func testBodyLengthIsRespected() async {
        var signer = rsa
        signer.bodyLength = 10
        let signed = signer.sign(DKIMTestMessages.plain)
        // Text appended after the signed part does not break the signature...
        let appended = await verify(signed + "P.S. unsigned text\r\n", dns(publishing: rsa))
        assertOutcome(appended, .pass)
        XCTAssertTrue(appended.first?.evidence.contains { $0.contains("signs only part of the body") } ?? false)
        // ...but a change inside it does.
        let changed = signed.replacingOccurrences(of: "Hello Bob", with: "Hallo Bob")
        assertOutcome(await verify(changed, dns(publishing: rsa)), .fail(.bodyHashMismatch))
        // l= longer than the body: it was cut.
        signer.bodyLength = 20
        let cut = signer.sign(DKIMTestMessages.plain).replacingOccurrences(of: "See you  at eight.", with: "")
        let results = await verify(cut, dns(publishing: rsa))
        assertOutcome(results, .fail(.bodyHashMismatch))
        XCTAssertTrue(results.first?.evidence.contains { $0.contains("l=20 is longer than") } ?? false)
    }

    func testOverSignedAbsentFieldContributesNothing() async {
        var signer = rsa
        signer.headers = ["From", "To", "Subject", "Reply-To", "Subject"]
        let signed = signer.sign(DKIMTestMessages.plain)
        assertOutcome(await verify(signed, dns(publishing: rsa)), .pass)
        // Adding a field signed as absent breaks the signature.
        let added = signed.replacingOccurrences(of: "To: bob", with: "Reply-To: eve@example.org\r\nTo: bob")
        assertOutcome(await verify(added, dns(publishing: rsa)), .fail(.signatureMismatch))
        let second = signed.replacingOccurrences(of: "To: bob", with: "Subject: another\r\nTo: bob")
        assertOutcome(await verify(second, dns(publishing: rsa)), .fail(.signatureMismatch))
    }

    func testRepeatedFieldsAreTakenBottomUp() async {
        var signer = rsa
        signer.headers = ["From", "X-Tag", "X-Tag"]
        let message = DKIMTestMessages.plain.replacingOccurrences(
            of: "To: bob", with: "X-Tag: one\r\nX-Tag: two\r\nTo: bob")
        let signed = signer.sign(message)
        assertOutcome(await verify(signed, dns(publishing: rsa)), .pass)
        let swapped = signed.replacingOccurrences(of: "X-Tag: one\r\nX-Tag: two", with: "X-Tag: two\r\nX-Tag: one")
        assertOutcome(await verify(swapped, dns(publishing: rsa)), .fail(.signatureMismatch))
    }

    func testMessageSavedWithBareLFVerifies() async {
        let signed = rsa.sign(DKIMTestMessages.plain).replacingOccurrences(of: "\r\n", with: "\n")
        assertOutcome(await verify(signed, dns(publishing: rsa)), .pass)
    }

    func testSeveralSignaturesFetchTheirKeysOnce() async {
        var second = rsa
        second.domain = "mailer.example.net"
        second.selector = "s2"
        let message = ed25519.sign(second.sign(rsa.sign(DKIMTestMessages.plain)))
        let dns = self.dns(publishing: rsa, second, ed25519)
        let results = await verify(message + "", dns)
        XCTAssertEqual(results.map(\.outcome), [.pass, .pass, .pass])
        XCTAssertEqual(results.map(\.position), [1, 2, 3])
        XCTAssertEqual(results.map(\.domain), ["example.com", "mailer.example.net", "example.com"])
        XCTAssertEqual(dns.questions.sorted(),
                       ["ed._domainkey.example.com", "s2._domainkey.mailer.example.net", "sel._domainkey.example.com"])
    }

    func testMalformedSignatureIsASyntaxFailureWithWhatCouldBeRead() async {
        let message = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=to; bh=AAAA; b=AAAA\r\n"
            + DKIMTestMessages.plain
        let results = await verify(message, MemoryDNS())
        guard case .fail(.syntax(let why)) = results.first?.outcome else {
            return XCTFail("\(String(describing: results.first?.outcome))")
        }
        XCTAssertTrue(why.contains("From"), why)
        XCTAssertEqual(results.first?.domain, "example.com")
        XCTAssertEqual(results.first?.selector, "sel")
    }
}
