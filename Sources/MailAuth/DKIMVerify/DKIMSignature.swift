/// One DKIM-Signature header field, parsed (RFC 6376 3.5).
public struct DKIMSignature: Sendable, Hashable {
    /// `a=`: the signing algorithm.
    public enum Algorithm: Sendable, Hashable, CustomStringConvertible {
        case rsaSHA256
        /// RFC 8463.
        case ed25519SHA256
        /// Obsolete: RFC 8301 3.1 has verifiers refuse it.
        case rsaSHA1
        /// Anything else, as written.
        case other(String)

        init(_ text: String) {
            switch DKIMTagList.asciiLowercased(text) {
            case "rsa-sha256": self = .rsaSHA256
            case "ed25519-sha256": self = .ed25519SHA256
            case "rsa-sha1": self = .rsaSHA1
            default: self = .other(text)
            }
        }

        public var description: String {
            switch self {
            case .rsaSHA256: return "rsa-sha256"
            case .ed25519SHA256: return "ed25519-sha256"
            case .rsaSHA1: return "rsa-sha1"
            case .other(let text): return text
            }
        }

        /// The key record's `k=` this algorithm needs.
        public var keyType: String? {
            switch self {
            case .rsaSHA256, .rsaSHA1: return "rsa"
            case .ed25519SHA256: return "ed25519"
            case .other: return nil
            }
        }

        /// What a verifier today may accept (RFC 8301 3.1, RFC 8463 3).
        public var isAcceptable: Bool {
            self == .rsaSHA256 || self == .ed25519SHA256
        }
    }

    /// The header field's value as given.
    public var raw: String
    /// The tags as written.
    public var tags: DKIMTagList
    public var algorithm: Algorithm
    /// `b=`, decoded.
    public var signature: [UInt8]
    /// `bh=`, decoded.
    public var bodyHash: [UInt8]
    /// `c=`: header/body; "simple" when absent, "relaxed" alone meaning relaxed/simple.
    public var headerCanonicalization: DKIMCanonicalization
    public var bodyCanonicalization: DKIMCanonicalization
    /// `d=`, the signing domain (lower case).
    public var domain: String
    /// `s=`, the selector.
    public var selector: String
    /// `h=`: the signed header field names, as written, in order.
    public var signedHeaders: [String]
    /// `i=`, or `@` plus `d=` when absent.
    public var identity: String
    /// `l=`: how many bytes of the canonical body are signed; nil for all.
    public var bodyLength: Int?
    /// `q=`: "dns/txt" when absent.
    public var queryMethods: [String]
    /// `t=`: signing time, seconds since 1970.
    public var timestamp: Int64?
    /// `x=`: expiry, seconds since 1970.
    public var expiration: Int64?
    /// `z=`: copied header fields, as written.
    public var copiedHeaders: String?

    /// The name of the key record, `<s>._domainkey.<d>` (RFC 6376 3.6.2.1).
    public var keyName: String { "\(selector)._domainkey.\(domain)" }

    /// `c=` as written in the usual form.
    public var canonicalization: String { "\(headerCanonicalization.rawValue)/\(bodyCanonicalization.rawValue)" }

    /// Parses the value of a DKIM-Signature field (folding may remain).
    public static func parse(headerValue: String) -> Result<DKIMSignature, DKIMSignatureError> {
        switch DKIMTagList.parse(headerValue) {
        case .failure(let error):
            return .failure(DKIMSignatureError(tag: error.tag, message: error.message))
        case .success(let tags):
            do {
                return .success(try DKIMSignatureParser(raw: headerValue, tags: tags).signature())
            } catch {
                return .failure(error)
            }
        }
    }
}
