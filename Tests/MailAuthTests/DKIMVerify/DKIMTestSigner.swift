import Crypto
import Foundation
import _CryptoExtras
@testable import MailAuth

/// Signs test messages with keys made in the test, as a sending server
/// would (RFC 6376 5): body hash, header fields chosen bottom-up, the
/// DKIM-Signature field with an empty b= hashed last. The field selection
/// and b= handling are written here independently of the verifier.
struct DKIMTestSigner {
    enum Key {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    var key: Key
    var domain = "example.com"
    var selector = "sel"
    var headers = ["From", "To", "Subject", "Date", "Message-ID"]
    var canonicalization: (header: DKIMCanonicalization, body: DKIMCanonicalization) = (.relaxed, .relaxed)
    var bodyLength: Int?
    var timestamp: Int64? = Int64(Date().timeIntervalSince1970)
    var expiration: Int64?
    /// Written as a=; the real algorithm of `key` signs regardless.
    var algorithmName: String?

    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ed25519Key = Curve25519.Signing.PrivateKey()

    /// The key record to publish at `<selector>._domainkey.<domain>`.
    var keyRecord: String {
        switch key {
        case .rsa(let key): return "v=DKIM1; k=rsa; p=" + key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let key): return "v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    var keyName: String { "\(selector)._domainkey.\(domain)" }

    /// `message` (CRLF line endings, unfolded header fields) with a
    /// DKIM-Signature field on top.
    func sign(_ message: String) -> String {
        let bytes = Array(message.utf8)
        var headerEnd = bytes.count, bodyStart = bytes.count
        if let blank = message.range(of: "\r\n\r\n") {
            headerEnd = message.utf8.distance(from: message.startIndex, to: blank.lowerBound)
            bodyStart = headerEnd + 4
        }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        let headerLines = header.components(separatedBy: "\r\n").map { $0 + "\r\n" }
        var canonicalBody = DKIMCanonicalizer.body(bytes[bodyStart...], canonicalization.body)
        if let bodyLength { canonicalBody = Array(canonicalBody.prefix(bodyLength)) }
        let bodyHash = Data(SHA256.hash(data: canonicalBody)).base64EncodedString()

        var tags = "v=1; a=\(algorithmName ?? algorithm); c=\(canonicalization.header.rawValue)/\(canonicalization.body.rawValue);\r\n"
            + " d=\(domain); s=\(selector);"
        if let timestamp { tags += " t=\(timestamp);" }
        if let expiration { tags += " x=\(expiration);" }
        if let bodyLength { tags += " l=\(bodyLength);" }
        tags += "\r\n h=\(headers.joined(separator: ":")); bh=\(bodyHash);\r\n b="
        let unsigned = "DKIM-Signature: " + tags

        var hashed: [UInt8] = []
        var used: [String: Int] = [:]
        for name in headers.map({ $0.lowercased() }) {
            let matching = headerLines.filter { $0.lowercased().hasPrefix(name + ":") }
            let taken = used[name, default: 0]
            guard taken < matching.count else { continue }
            used[name] = taken + 1
            hashed += DKIMCanonicalizer.header(Array(matching[matching.count - 1 - taken].utf8), canonicalization.header)
        }
        var own = DKIMCanonicalizer.header(Array((unsigned + "\r\n").utf8), canonicalization.header)
        own.removeLast(2)
        hashed += own
        let digest = SHA256.hash(data: hashed)
        let signature: Data
        switch key {
        case .rsa(let key): signature = try! key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let key): signature = try! key.signature(for: Array(digest))
        }
        return unsigned + signature.base64EncodedString() + "\r\n" + message
    }

    private var algorithm: String {
        switch key {
        case .rsa: return "rsa-sha256"
        case .ed25519: return "ed25519-sha256"
        }
    }
}

/// A small message with the fields the providers want.
enum DKIMTestMessages {
    static let plain = "From: Alice <alice@example.com>\r\n"
        + "To: bob@example.net\r\n"
        + "Subject: Dinner at eight\r\n"
        + "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
        + "Message-ID: <m1@example.com>\r\n"
        + "\r\n"
        + "Hello Bob,\r\n\r\nSee you  at eight.\t \r\n\r\n\r\n"
}
