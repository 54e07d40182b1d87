/// Why a DKIM signature did not verify.
public enum DKIMFailure: Sendable, Hashable {
    /// The body was changed after signing (or `l=` is longer than the body).
    case bodyHashMismatch
    /// The signed header fields (or the key) do not match the signature.
    case signatureMismatch
    /// No key record at `<s>._domainkey.<d>`.
    case keyMissing
    /// The key record has an empty `p=` (RFC 6376 3.6.1).
    case keyRevoked
    /// The key record or the key in it cannot be used.
    case keyInvalid(String)
    /// `x=` is in the past.
    case expired
    /// The DKIM-Signature field itself is malformed.
    case syntax(String)
    /// rsa-sha1 (RFC 8301) or an algorithm no verifier knows, or one the key's `h=` forbids.
    case algorithmNotAcceptable
    /// The key is RSA and the signature Ed25519, or the other way round.
    case keyTypeMismatch
    /// The key lookup failed (timeout, SERVFAIL): try again later.
    case dnsFailure(String)
    /// The message is larger than `SavedMessage.maximumSize`; not examined.
    case messageTooLarge(Int)

    /// One sentence for a person.
    public var summary: String {
        switch self {
        case .bodyHashMismatch: return "the body hash does not match: the body was changed after signing"
        case .signatureMismatch: return "the signature does not match the signed header fields"
        case .keyMissing: return "no DKIM key is published at the selector"
        case .keyRevoked: return "the DKIM key is revoked (empty p=)"
        case .keyInvalid(let why): return "the DKIM key record cannot be used: \(why)"
        case .expired: return "the signature has expired (x=)"
        case .syntax(let why): return "the DKIM-Signature field is malformed: \(why)"
        case .algorithmNotAcceptable: return "the signing algorithm is not acceptable to verifiers"
        case .keyTypeMismatch: return "the key type does not match the signing algorithm"
        case .dnsFailure(let why): return "the key lookup failed: \(why)"
        case .messageTooLarge(let bytes): return "the message (\(bytes) bytes) is larger than \(SavedMessage.maximumSize) bytes; not verified"
        }
    }
}

/// What verifying one DKIM-Signature field found.
public struct DKIMVerification: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case pass
        case fail(DKIMFailure)
    }

    public var outcome: Outcome
    /// 1 for the topmost DKIM-Signature field, 2 for the next...
    public var position: Int
    /// `d=` (lower case); as much as could be read when the field is malformed.
    public var domain: String
    /// `s=`.
    public var selector: String
    /// `a=` as written.
    public var algorithm: String
    /// The parsed field; nil when it did not parse.
    public var signature: DKIMSignature?
    /// The key record used, when one was found.
    public var key: DKIMKeyRecord?
    /// What was checked and seen, one fact a line.
    public var evidence: [String]

    public init(outcome: Outcome, position: Int, domain: String, selector: String, algorithm: String,
                signature: DKIMSignature? = nil, key: DKIMKeyRecord? = nil, evidence: [String] = []) {
        self.outcome = outcome
        self.position = position
        self.domain = domain
        self.selector = selector
        self.algorithm = algorithm
        self.signature = signature
        self.key = key
        self.evidence = evidence
    }

    public var passed: Bool { outcome == .pass }

    public var failure: DKIMFailure? {
        if case .fail(let failure) = self.outcome { return failure }
        return nil
    }

    /// Whether the signature covers a header field of this name (any case).
    public func signs(_ fieldName: String) -> Bool {
        let wanted = DKIMTagList.asciiLowercased(fieldName)
        return signature?.signedHeaders.contains { DKIMTagList.asciiLowercased($0) == wanted } ?? false
    }
}
