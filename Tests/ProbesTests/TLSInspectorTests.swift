import Crypto
import Foundation
import X509
import XCTest
@testable import Probes

/// The certificate check on chains made in the test: a root, an intermediate
/// and leaves, each with its own P-256 key. DNS names only (see STYLE.md).
final class TLSInspectorTests: XCTestCase {
    struct Issuer {
        let key: P256.Signing.PrivateKey
        let certificate: Certificate
        var name: DistinguishedName { certificate.subject }
        var privateKey: Certificate.PrivateKey { Certificate.PrivateKey(key) }
    }

    static let day: TimeInterval = 86_400
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    static let host = "mail.example.com"

    static func name(_ common: String) throws -> DistinguishedName {
        try DistinguishedName { CommonName(common) }
    }

    /// A CA certificate, self-signed when `issuer` is nil.
    static func authority(_ common: String, signedBy issuer: Issuer? = nil) throws -> Issuer {
        let key = P256.Signing.PrivateKey()
        let subject = try name(common)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3650 * day, notValidAfter: now + 3650 * day,
            issuer: issuer?.name ?? subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: issuer?.privateKey ?? Certificate.PrivateKey(key))
        return Issuer(key: key, certificate: certificate)
    }

    /// A server certificate with these DNS names, valid from `from` days to `to` days around now.
    static func leaf(_ names: [String] = [host], from: Double = -30, to: Double = 60, signedBy issuer: Issuer?,
                     subject: String = host) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let subjectName = try name(subject)
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now + from * day, notValidAfter: now + to * day,
            issuer: issuer?.name ?? subjectName, subject: subjectName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(names.map { .dnsName($0) })
            },
            issuerPrivateKey: issuer?.privateKey ?? Certificate.PrivateKey(key))
    }

    var root: Issuer!
    var intermediate: Issuer!
    var roots: CertificateStore { CertificateStore([root.certificate]) }

    override func setUpWithError() throws {
        root = try Self.authority("Test Root")
        intermediate = try Self.authority("Test Intermediate", signedBy: root)
    }

    private func inspect(_ presented: [Certificate], host: String = host, roots: CertificateStore? = nil) async -> [CertificateProblem] {
        await TLSInspector.inspect(presented: presented, host: host, roots: roots ?? self.roots, now: Self.now)
    }

    func testFullChainToATrustedRootIsVerified() async throws {
        let problems = await inspect([try Self.leaf(signedBy: intermediate), intermediate.certificate])
        XCTAssertEqual(problems, [])
    }

    func testExpiredLeafIsExpiredOnly() async throws {
        let leaf = try Self.leaf(from: -400, to: -10, signedBy: intermediate)
        let problems = await inspect([leaf, intermediate.certificate])
        XCTAssertEqual(problems, [.expired(notAfter: leaf.notValidAfter)], "the chain itself is judged while the leaf was valid")
    }

    func testLeafNotYetValid() async throws {
        let leaf = try Self.leaf(from: 10, to: 400, signedBy: intermediate)
        let problems = await inspect([leaf, intermediate.certificate])
        XCTAssertEqual(problems, [.notYetValid(notBefore: leaf.notValidBefore)])
    }

    func testHostnameMismatchListsTheNames() async throws {
        let leaf = try Self.leaf(["mx1.example.net", "mx2.example.net"], signedBy: intermediate)
        let problems = await inspect([leaf, intermediate.certificate])
        XCTAssertEqual(problems, [.hostnameMismatch(host: Self.host, names: ["mx1.example.net", "mx2.example.net"])])
    }

    func testWildcardMatchesOneLabelOnly() throws {
        let leaf = try Self.leaf(["*.example.com"], signedBy: intermediate)
        let names = TLSInspector.dnsNames(leaf)
        XCTAssertEqual(names, ["*.example.com"])
        XCTAssertTrue(TLSInspector.matches(host: "mail.example.com", names: names, leaf: leaf))
        XCTAssertTrue(TLSInspector.matches(host: "MAIL.Example.COM.", names: names, leaf: leaf), "case and a final dot do not matter")
        XCTAssertFalse(TLSInspector.matches(host: "a.mail.example.com", names: names, leaf: leaf))
        XCTAssertFalse(TLSInspector.matches(host: "example.com", names: names, leaf: leaf))
        XCTAssertFalse(TLSInspector.matches(host: "mail.example.net", names: names, leaf: leaf))
    }

    func testWildcardChainIsVerified() async throws {
        let problems = await inspect([try Self.leaf(["*.example.com"], signedBy: intermediate), intermediate.certificate])
        XCTAssertEqual(problems, [])
    }

    func testAnIPAddressHostNeedsAnIPNameNotADNSName() throws {
        let leaf = try Self.leaf(["192.0.2.10"], signedBy: intermediate)
        XCTAssertFalse(TLSInspector.matches(host: "192.0.2.10", names: TLSInspector.dnsNames(leaf), leaf: leaf),
                       "a DNS name spelled like an address is not an IP address name")
    }

    func testSelfSignedLeaf() async throws {
        let leaf = try Self.leaf(signedBy: nil)
        let problems = await inspect([leaf])
        XCTAssertEqual(problems, [.selfSigned(subject: "CN=mail.example.com")])
        XCTAssertTrue(TLSInspector.summary(leaf).selfIssued)
    }

    func testSelfSignedLeafTrustedThroughCAFileIsVerified() async throws {
        let leaf = try Self.leaf(signedBy: nil)
        let problems = await inspect([leaf], roots: CertificateStore([leaf]))
        XCTAssertEqual(problems, [])
    }

    func testLeafAloneWhoseIssuerIsNotARootIsMissingTheIntermediate() async throws {
        let problems = await inspect([try Self.leaf(signedBy: intermediate)])
        XCTAssertEqual(problems, [.missingIntermediate(issuer: "CN=Test Intermediate")])
    }

    func testChainToAnUntrustedRootIsUnknownIssuer() async throws {
        let problems = await inspect([try Self.leaf(signedBy: intermediate), intermediate.certificate], roots: CertificateStore())
        guard case .unknownIssuer(let issuer, let detail)? = problems.first, problems.count == 1 else {
            return XCTFail("expected one unknown issuer, got \(problems)")
        }
        XCTAssertEqual(issuer, "CN=Test Root")
        XCTAssertFalse(detail.isEmpty)
        XCTAssertLessThanOrEqual(detail.count, 200)
    }

    func testNoCertificateAtAll() async {
        let problems = await inspect([])
        XCTAssertEqual(problems, [.unknownIssuer(issuer: "none", detail: "the server presented no certificate")])
    }

    func testSummaryIsTheEvidenceLine() throws {
        let leaf = try Self.leaf(["mail.example.com", "smtp.example.com"], from: 0, to: 90, signedBy: intermediate)
        let summary = TLSInspector.summary(leaf)
        XCTAssertEqual(summary.dnsNames, ["mail.example.com", "smtp.example.com"])
        XCTAssertFalse(summary.selfIssued)
        XCTAssertEqual(summary.evidenceLine,
                       "CN=mail.example.com issued by CN=Test Intermediate; valid 2026-01-01T00:00:00Z to 2026-04-01T00:00:00Z; names mail.example.com, smtp.example.com")
    }
}
