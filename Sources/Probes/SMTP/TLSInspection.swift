import Foundation
import SwiftASN1
import X509

/// One certificate of the chain the server presented, as evidence.
public struct CertificateSummary: Sendable, Hashable, Codable {
    public var subject: String
    public var issuer: String
    public var dnsNames: [String]
    public var notBefore: Date
    public var notAfter: Date
    public var selfIssued: Bool

    public var evidenceLine: String {
        let f = ISO8601DateFormatter()
        let names = dnsNames.isEmpty ? "no DNS names" : "names " + dnsNames.joined(separator: ", ")
        return "\(subject) issued by \(issuer); valid \(f.string(from: notBefore)) to \(f.string(from: notAfter)); \(names)"
    }
}

/// Why the certificate would not be trusted by a verifying client.
public enum CertificateProblem: Sendable, Hashable, Codable {
    case expired(notAfter: Date)
    case notYetValid(notBefore: Date)
    case hostnameMismatch(host: String, names: [String])
    case selfSigned(subject: String)
    /// The server sent only its own certificate and its issuer is not a trusted root.
    case missingIntermediate(issuer: String)
    case unknownIssuer(issuer: String, detail: String)
}

/// What the TLS handshake showed: version, the presented chain and its verdict.
public struct TLSObservation: Sendable, Hashable, Codable {
    public var version: String?
    /// The negotiated suite, read from the ServerHello.
    public var cipherSuite: String?
    public var chain: [CertificateSummary]
    public var problems: [CertificateProblem]
    public var trustDescription: String

    public init(version: String?, cipherSuite: String? = nil, chain: [CertificateSummary], problems: [CertificateProblem], trustDescription: String) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.chain = chain
        self.problems = problems
        self.trustDescription = trustDescription
    }

    public var verified: Bool { problems.isEmpty }
}

/// Checks a presented chain the way a careful client would, but names each
/// failure precisely (swift-nio-ssl alone says only "verify failed").
public enum TLSInspector {
    public static func inspect(presented: [Certificate], host: String, roots: CertificateStore, now: Date = Date()) async -> [CertificateProblem] {
        guard let leaf = presented.first else { return [.unknownIssuer(issuer: "none", detail: "the server presented no certificate")] }
        var problems: [CertificateProblem] = []
        if now > leaf.notValidAfter { problems.append(.expired(notAfter: leaf.notValidAfter)) }
        if now < leaf.notValidBefore { problems.append(.notYetValid(notBefore: leaf.notValidBefore)) }
        let names = dnsNames(leaf)
        if !matches(host: host, names: names, leaf: leaf) {
            problems.append(.hostnameMismatch(host: host, names: names))
        }
        // Trust is judged apart from time (dates are checked above), so an
        // expired but otherwise good chain is reported as expired only.
        var verifier = Verifier(rootCertificates: roots) { ChainOnlyPolicy() }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(presented.dropFirst()))
        if case .couldNotValidate(let failures) = result {
            let issuer = leaf.issuer.description
            if leaf.issuer == leaf.subject {
                problems.append(.selfSigned(subject: leaf.subject.description))
            } else if presented.count == 1 {
                problems.append(.missingIntermediate(issuer: issuer))
            } else {
                let top = presented.last!
                let detail = failures.first.map { String(describing: $0.policyFailureReason) } ?? "no chain to a trusted root"
                problems.append(.unknownIssuer(issuer: top.issuer.description, detail: String(detail.prefix(200))))
            }
        }
        return problems
    }

    public static func summary(_ certificate: Certificate) -> CertificateSummary {
        CertificateSummary(subject: certificate.subject.description, issuer: certificate.issuer.description,
                           dnsNames: dnsNames(certificate), notBefore: certificate.notValidBefore,
                           notAfter: certificate.notValidAfter, selfIssued: certificate.issuer == certificate.subject)
    }

    static func dnsNames(_ certificate: Certificate) -> [String] {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return sans.compactMap { name in
            if case .dnsName(let dns) = name { return dns }
            return nil
        }
    }

    /// RFC 6125 6.4: compare DNS names case-insensitively; a leading "*." matches one label.
    static func matches(host: String, names: [String], leaf: Certificate) -> Bool {
        let wanted = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if let ip = IPAddress(host) {
            guard let sans = try? leaf.extensions.subjectAlternativeNames else { return false }
            return sans.contains { name in
                if case .ipAddress(let octets) = name { return Array(octets.bytes) == ip.bytes }
                return false
            }
        }
        for name in names.map({ $0.lowercased() }) {
            if name == wanted { return true }
            if name.hasPrefix("*."), let dot = wanted.firstIndex(of: ".") {
                if wanted[wanted.index(after: dot)...] == name.dropFirst(2) { return true }
            }
        }
        return false
    }

    /// Loads every certificate of a PEM file (extra trust anchors from --ca-file).
    public static func loadPEM(_ path: String) throws -> [Certificate] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let documents = try PEMDocument.parseMultiple(pemString: text)
        return try documents.map { try Certificate(pemDocument: $0) }
    }
}

/// A policy that asks only for a signed chain from the leaf to a trusted root:
/// the verifier itself checks the signatures; dates and names are judged apart.
struct ChainOnlyPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.nameConstraints,
    ]

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        .meetsPolicy
    }
}
