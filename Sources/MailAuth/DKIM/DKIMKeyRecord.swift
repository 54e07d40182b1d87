/// A DKIM public-key record, the TXT record at `<selector>._domainkey.<domain>`
/// (RFC 6376 3.6.1), with RFC 8301's key-size rules and RFC 8463's Ed25519.
public struct DKIMKeyRecord: Sendable, Hashable, Codable {
    public var raw: String
    /// `v=`, which is optional; when written it must be first and `DKIM1`.
    public var version: String?
    /// `k=`: "rsa" (the default) or "ed25519".
    public var keyType: String
    /// The decoded `p=`; empty when the key is revoked.
    public var publicKey: [UInt8]
    /// An empty `p=`: the signer withdrew this key (RFC 6376 3.6.1).
    public var isRevoked: Bool
    /// RSA modulus bits, or 256 for an Ed25519 key; nil when revoked.
    public var keyBits: Int?
    /// `t=y`: the domain is testing DKIM.
    public var testing: Bool
    /// `t=s`: the `i=` domain of a signature must be exactly `d=`, not a subdomain.
    public var strictSubdomains: Bool
    /// `h=`: hash algorithms the key may be used with; empty means any.
    public var hashAlgorithms: [String]
    /// `s=`: services the key is for; `*` (the default) or `email`.
    public var serviceTypes: [String]
    /// `n=`: notes for humans.
    public var notes: String?
    /// Valid, but worth saying.
    public var warnings: [String]

    public init(
        raw: String, version: String? = "DKIM1", keyType: String = "rsa", publicKey: [UInt8] = [],
        isRevoked: Bool = false, keyBits: Int? = nil, testing: Bool = false, strictSubdomains: Bool = false,
        hashAlgorithms: [String] = [], serviceTypes: [String] = ["*"], notes: String? = nil, warnings: [String] = []
    ) {
        self.raw = raw
        self.version = version
        self.keyType = keyType
        self.publicKey = publicKey
        self.isRevoked = isRevoked
        self.keyBits = keyBits
        self.testing = testing
        self.strictSubdomains = strictSubdomains
        self.hashAlgorithms = hashAlgorithms
        self.serviceTypes = serviceTypes
        self.notes = notes
        self.warnings = warnings
    }

    /// RFC 8301 3.2: verifiers MUST NOT accept RSA keys under 1024 bits and
    /// must handle up to 4096; signers SHOULD use at least 2048.
    public static let minimumRSABits = 1024
    public static let recommendedRSABits = 2048
    public static let largestRSABitsVerifiersMustAccept = 4096
    /// RFC 8463 3: an Ed25519 `p=` is the bare 32-byte key.
    public static let ed25519KeyBytes = 32

    public static func parse(_ text: String) -> Result<DKIMKeyRecord, DKIMKeyError> {
        let list: DKIMTagList
        switch DKIMTagList.parse(text) {
        case .success(let parsed): list = parsed
        case .failure(let error): return .failure(DKIMKeyError(tag: error.tag, message: error.message))
        }
        var record = DKIMKeyRecord(raw: text, version: nil)

        if let index = list.index(of: "v") {
            let value = list.tags[index].value
            guard index == 0 else {
                return .failure(DKIMKeyError(tag: "v", message: "v= must be the first tag when present (RFC 6376 3.6.1)"))
            }
            guard value == "DKIM1" else {
                return .failure(DKIMKeyError(tag: "v", message: "version is '\(SafeShown.text(value))', not DKIM1"))
            }
            record.version = value
        }

        record.keyType = list.value("k") ?? "rsa"
        guard ["rsa", "ed25519"].contains(record.keyType) else {
            return .failure(DKIMKeyError(
                tag: "k", message: "unknown key type '\(SafeShown.text(record.keyType))'; verifiers know rsa and ed25519"))
        }

        guard let p = list.value("p") else {
            return .failure(DKIMKeyError(tag: "p", message: "no p= tag: the record carries no public key"))
        }
        switch DKIMBase64.decode(p) {
        case .failure(.badCharacter(let byte, _)):
            return .failure(DKIMKeyError(tag: "p", message: "not base64: character '\(SafeShown.text([byte]))'"))
        case .failure(.badPadding):
            return .failure(DKIMKeyError(tag: "p", message: "not base64: wrong length or '=' padding"))
        case .success(let key):
            record.publicKey = key
        }

        if record.publicKey.isEmpty {
            record.isRevoked = true
            record.warnings.append("the key is revoked (empty p=): signatures made with it fail")
        } else if let error = record.measureKey() {
            return .failure(error)
        }

        record.readOptionalTags(list)
        return .success(record)
    }

    /// Sets `keyBits` from the key, or says why the key is unusable.
    private mutating func measureKey() -> DKIMKeyError? {
        if keyType == "ed25519" {
            guard publicKey.count == Self.ed25519KeyBytes else {
                var message = "an Ed25519 key is 32 bytes; this one is \(publicKey.count)"
                if case .otherAlgorithm(let oid) = DKIMPublicKeyDER.read(publicKey), oid == "1.3.101.112" {
                    message += " (a SubjectPublicKeyInfo; RFC 8463 wants only the bare 32-byte key)"
                }
                return DKIMKeyError(tag: "p", message: message)
            }
            keyBits = 256
            return nil
        }
        switch DKIMPublicKeyDER.read(publicKey) {
        case .unparsable:
            return DKIMKeyError(tag: "p", message: "the key is not a DER RSA public key")
        case .otherAlgorithm(let oid):
            let which = oid == "1.3.101.112" ? "an Ed25519 key (write k=ed25519 and the bare 32 bytes)" : "an OID \(oid) key"
            return DKIMKeyError(tag: "p", message: "k=rsa, but p= holds \(which)")
        case .rsa(let bits):
            guard bits >= Self.minimumRSABits else {
                return DKIMKeyError(
                    tag: "p", message: "RSA key of \(bits) bits; verifiers must refuse keys under 1024 bits (RFC 8301 3.2)")
            }
            keyBits = bits
            if bits < Self.recommendedRSABits {
                warnings.append("RSA key of \(bits) bits is weak: accepted today, but signers should use 2048 bits (RFC 8301 3.2)")
            } else if bits > Self.largestRSABitsVerifiersMustAccept {
                warnings.append("RSA key of \(bits) bits: verifiers need only handle up to 4096 bits (RFC 8301 3.2); some will fail it")
            }
            return nil
        }
    }

    private mutating func readOptionalTags(_ list: DKIMTagList) {
        if let h = list.value("h") {
            hashAlgorithms = Self.colonList(h)
            if !hashAlgorithms.contains("sha256") {
                warnings.append(
                    "h= does not allow sha256; verifiers refuse sha1 (RFC 8301 3.1), so no signature with this key can pass")
            }
        }
        if let s = list.value("s") {
            serviceTypes = Self.colonList(s)
            if !serviceTypes.contains("*"), !serviceTypes.contains("email") {
                warnings.append("s= does not include email or *: verifiers must ignore this key for mail")
            }
        }
        if let t = list.value("t") {
            let flags = Self.colonList(t)
            testing = flags.contains("y")
            strictSubdomains = flags.contains("s")
            if testing {
                warnings.append("testing mode (t=y): verifiers may treat failures like unsigned mail")
            }
        }
        notes = list.value("n")
        let known: Set<String> = ["v", "h", "k", "n", "p", "s", "t"]
        for tag in list.tags where !known.contains(tag.name) {
            warnings.append("unknown tag \(SafeShown.text(tag.name))= is ignored")
        }
    }

    /// A colon-separated list, whitespace around items removed (RFC 6376 3.6.1).
    static func colonList(_ value: String) -> [String] {
        value.split(separator: ":", omittingEmptySubsequences: false).map {
            String(decoding: DKIMTagList.trimFWS(ArraySlice(Array($0.utf8))), as: UTF8.self)
        }.filter { !$0.isEmpty }
    }
}
