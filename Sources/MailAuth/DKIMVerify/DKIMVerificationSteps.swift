import Foundation

/// The checks of one signature in RFC 6376 6.1's order: the field (6.1.1),
/// the key (6.1.2), the body hash, then the signature (6.1.3). The first
/// failure decides; each step leaves a line of evidence.
struct DKIMVerificationSteps {
    private(set) var verification: DKIMVerification
    private let fieldPosition: Int
    private var signature: DKIMSignature?

    init(message: SavedMessage, position: Int, fieldPosition: Int, now: Date) {
        self.fieldPosition = fieldPosition
        let field = message.fields[fieldPosition]
        verification = DKIMVerification(outcome: .pass, position: position, domain: "", selector: "", algorithm: "")
        guard let value = message.value(field, limit: DKIMTagList.maximumLength) else {
            let size = field.range.count
            fail(.syntax("the field is \(size) bytes long; longer than \(DKIMTagList.maximumLength) is not examined"),
                 "DKIM-Signature \(position): \(size) bytes, too long to examine")
            return
        }
        switch DKIMSignature.parse(headerValue: value) {
        case .failure(let error):
            let tags = try? DKIMTagList.parse(value).get()
            verification.domain = tags?.value("d").map(DKIMTagList.asciiLowercased) ?? ""
            verification.selector = tags?.value("s") ?? ""
            verification.algorithm = tags?.value("a") ?? ""
            fail(.syntax(error.description), "DKIM-Signature \(position): does not parse: \(error)")
        case .success(let parsed):
            signature = parsed
            verification.signature = parsed
            verification.domain = parsed.domain
            verification.selector = parsed.selector
            verification.algorithm = parsed.algorithm.description
            var line = "DKIM-Signature \(position): d=\(parsed.domain) s=\(SafeShown.text(parsed.selector)) "
                + "a=\(SafeShown.text(parsed.algorithm.description)) c=\(parsed.canonicalization)"
            if let length = parsed.bodyLength { line += " l=\(length)" }
            verification.evidence.append(line)
            checkField(parsed, now: now)
        }
    }

    private var undecided: Bool { verification.outcome == .pass && signature != nil }

    /// The key record to fetch, while nothing has failed yet.
    var keyNameToFetch: DKIMVerifier.KeyName? {
        guard undecided, let signature else { return nil }
        return DKIMVerifier.KeyName(selector: signature.selector, domain: signature.domain)
    }

    var bodyHashRequest: DKIMBodyHashes.Request? {
        guard undecided, let signature else { return nil }
        return DKIMBodyHashes.Request(mode: signature.bodyCanonicalization, length: signature.bodyLength)
    }

    private mutating func fail(_ failure: DKIMFailure, _ evidence: String) {
        verification.outcome = .fail(failure)
        verification.evidence.append(evidence)
    }

    /// RFC 6376 6.1.1 and RFC 8301 3.1: what can be judged without DNS.
    private mutating func checkField(_ signature: DKIMSignature, now: Date) {
        switch signature.algorithm {
        case .rsaSHA256, .ed25519SHA256:
            break
        case .rsaSHA1:
            return fail(.algorithmNotAcceptable, "a=rsa-sha1 is obsolete: verifiers must not accept it (RFC 8301 3.1); sign with rsa-sha256")
        case .other(let name):
            return fail(.algorithmNotAcceptable,
                        "a=\(SafeShown.text(name)) is not an algorithm verifiers know (rsa-sha256, ed25519-sha256)")
        }
        let seconds = Int64(now.timeIntervalSince1970)
        if let expiration = signature.expiration, expiration < seconds {
            return fail(.expired, "x=\(expiration) (\(Self.date(expiration))) is before now (\(Self.date(seconds)))")
        }
        if let timestamp = signature.timestamp, timestamp > seconds + 300 {
            verification.evidence.append(
                "t=\(timestamp) (\(Self.date(timestamp))) is in the future: the signer's clock is wrong; some verifiers fail this")
        }
    }

    static func date(_ seconds: Int64) -> String {
        guard abs(seconds) < 253_402_300_800 else { return "beyond year 9999" }
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// RFC 6376 6.1.2 and 6.1.3, once the keys and hashes are in.
    mutating func finish(keys: [DKIMVerifier.KeyName: DKIMSelectorResult], bodyHashes: DKIMBodyHashes,
                         headerHasher: inout DKIMHeaderHasher) {
        guard undecided, let signature, let name = keyNameToFetch, let request = bodyHashRequest else { return }
        guard let lookup = keys[name], let key = checkKey(lookup, signature) else { return }
        guard let hash = bodyHashes[request], checkBody(hash, signature) else { return }
        let headers = headerHasher.hash(signature: signature, fieldPosition: fieldPosition)
        var signed = "signed header fields found: " + headers.found.map { SafeShown.text($0) }.joined(separator: ", ")
        if !headers.absent.isEmpty {
            signed += "; signed as absent (adding such a field breaks the signature): "
                + headers.absent.map { SafeShown.text($0) }.joined(separator: ", ")
        }
        verification.evidence.append(signed)
        switch DKIMSignatureCheck.check(signature: signature.signature, digest: headers.digest,
                                        algorithm: signature.algorithm, key: key.publicKey) {
        case .valid:
            verification.evidence.append("the signature verifies with the key at \(lookup.name)")
        case .invalid:
            fail(.signatureMismatch, "the signature does not match: a signed header field was changed after signing, "
                 + "or the key at \(lookup.name) is not the one that signed")
        case .unusableKey(let why):
            fail(.keyInvalid(why), "\(lookup.name): \(why)")
        }
    }

    /// The key record: present, usable, and fit for this signature.
    private mutating func checkKey(_ lookup: DKIMSelectorResult, _ signature: DKIMSignature) -> DKIMKeyRecord? {
        switch lookup.outcome {
        case .missing:
            fail(.keyMissing, "no DKIM key at \(lookup.name) (no TXT record)")
            return nil
        case .dnsFailure(let reason):
            fail(.dnsFailure(reason), "the lookup of \(lookup.name) failed: \(reason)")
            return nil
        case .invalid(let raw, let error):
            fail(.keyInvalid(error.description), "\(lookup.name) holds \"\(SafeShown.text(raw, limit: 80))\": \(error)")
            return nil
        case .found(let key):
            verification.key = key
            if key.isRevoked {
                fail(.keyRevoked, "the key at \(lookup.name) is revoked (empty p=)")
                return nil
            }
            let type = key.keyType == "rsa" ? "RSA" : "Ed25519"
            let bits = key.keyType == "rsa" ? key.keyBits.map { " of \($0) bits" } ?? "" : ""
            verification.evidence.append("key at \(lookup.name): \(type)\(bits)")
            verification.evidence.append(contentsOf: key.warnings.map { "key: \($0)" })
            return judge(key, name: lookup.name, signature)
        }
    }

    /// RFC 6376 3.6.1 and 6.1.2: k=, h=, s= and t=s against the signature.
    private mutating func judge(_ key: DKIMKeyRecord, name: String, _ signature: DKIMSignature) -> DKIMKeyRecord? {
        if let needed = signature.algorithm.keyType, key.keyType != needed {
            fail(.keyTypeMismatch, "a=\(signature.algorithm) needs a k=\(needed) key; the key at \(name) is k=\(key.keyType)")
            return nil
        }
        if !key.hashAlgorithms.isEmpty, !key.hashAlgorithms.contains("sha256") {
            fail(.algorithmNotAcceptable, "the key at \(name) allows only h=\(key.hashAlgorithms.joined(separator: ":")); "
                 + "a=\(signature.algorithm) needs sha256")
            return nil
        }
        if !key.serviceTypes.contains("*"), !key.serviceTypes.contains("email") {
            fail(.keyInvalid("s= does not include email"), "the key at \(name) is not for email (s=\(key.serviceTypes.joined(separator: ":")))")
            return nil
        }
        if key.strictSubdomains {
            let identityDomain = DKIMTagList.asciiLowercased(String(signature.identity.split(separator: "@").last ?? ""))
            if identityDomain != signature.domain {
                fail(.keyInvalid("t=s forbids an i= below d="),
                     "the key at \(name) has t=s: i= must be in \(signature.domain) itself, not \(SafeShown.text(identityDomain))")
                return nil
            }
        }
        return key
    }

    /// RFC 6376 3.7: the body hash, honouring l=.
    private mutating func checkBody(_ hash: DKIMBodyHashes.Hash, _ signature: DKIMSignature) -> Bool {
        let mode = signature.bodyCanonicalization.rawValue
        guard let digest = hash.digest else {
            fail(.bodyHashMismatch, "l=\(signature.bodyLength ?? 0) is longer than the \(mode) canonical body "
                 + "(\(hash.canonicalLength) bytes): the body was shortened after signing")
            return false
        }
        var what = "body hash (\(mode), \(hash.canonicalLength) canonical bytes"
        if let length = signature.bodyLength {
            what += ", of which l=\(length) signed"
            if length < hash.canonicalLength {
                verification.evidence.append(
                    "l=\(length) signs only part of the body: \(hash.canonicalLength - length) bytes after it are not covered "
                    + "(anyone may append text)")
            }
        }
        guard digest == signature.bodyHash else {
            fail(.bodyHashMismatch, what + "): computed \(Self.base64(digest)), bh= says \(Self.base64(signature.bodyHash)); "
                 + "the body was changed after signing")
            return false
        }
        verification.evidence.append(what + "): matches bh=")
        return true
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
