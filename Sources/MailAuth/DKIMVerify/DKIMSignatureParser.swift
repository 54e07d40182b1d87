/// Reads the tags of a DKIM-Signature into a `DKIMSignature`, checking what
/// RFC 6376 3.5 and 6.1.1 require of each.
struct DKIMSignatureParser {
    let raw: String
    let tags: DKIMTagList

    /// `l=`, `t=`, `x=` are at most this many digits (RFC 6376 3.5: 76 for
    /// l=, 12 for times); more is refused rather than overflowed.
    static let maximumDigits = 76

    func signature() throws(DKIMSignatureError) -> DKIMSignature {
        let version = try required("v")
        guard version == "1" else {
            throw DKIMSignatureError(tag: "v", message: "version is '\(SafeShown.text(version))', not 1")
        }
        let algorithm = DKIMSignature.Algorithm(try required("a"))
        let signature = try base64("b")
        let bodyHash = try base64("bh")
        let (headerMode, bodyMode) = try canonicalization()
        let domain = DKIMTagList.asciiLowercased(try required("d"))
        guard Self.isDomainName(domain) else {
            throw DKIMSignatureError(tag: "d", message: "'\(SafeShown.text(domain))' is not a domain name")
        }
        let selector = try required("s")
        guard Self.isDomainName(selector) else {
            throw DKIMSignatureError(tag: "s", message: "'\(SafeShown.text(selector))' is not a selector (dot-separated labels)")
        }
        let headers = try signedHeaders()
        let identity = try self.identity(domain: domain)
        let timestamp = try number("t").map(Int64.init)
        let expiration = try number("x").map(Int64.init)
        if let timestamp, let expiration, expiration < timestamp {
            throw DKIMSignatureError(tag: "x", message: "expires (\(expiration)) before it was made (t=\(timestamp)); RFC 6376 3.5")
        }
        return DKIMSignature(
            raw: raw, tags: tags, algorithm: algorithm, signature: signature, bodyHash: bodyHash,
            headerCanonicalization: headerMode, bodyCanonicalization: bodyMode, domain: domain, selector: selector,
            signedHeaders: headers, identity: identity, bodyLength: try number("l"), queryMethods: try queryMethods(),
            timestamp: timestamp, expiration: expiration, copiedHeaders: tags.value("z"))
    }

    private func required(_ name: String) throws(DKIMSignatureError) -> String {
        guard let value = tags.value(name) else {
            throw DKIMSignatureError(tag: name, message: "the required tag \(name)= is missing (RFC 6376 3.5)")
        }
        guard !value.isEmpty else {
            throw DKIMSignatureError(tag: name, message: "\(name)= is empty")
        }
        return value
    }

    private func base64(_ name: String) throws(DKIMSignatureError) -> [UInt8] {
        switch DKIMBase64.decode(try required(name)) {
        case .success(let bytes) where !bytes.isEmpty:
            return bytes
        case .success:
            throw DKIMSignatureError(tag: name, message: "\(name)= is empty")
        case .failure(.badCharacter(let byte, _)):
            throw DKIMSignatureError(tag: name, message: "not base64: character '\(SafeShown.text([byte]))'")
        case .failure(.badPadding):
            throw DKIMSignatureError(tag: name, message: "not base64: wrong length or '=' padding")
        }
    }

    private func canonicalization() throws(DKIMSignatureError) -> (DKIMCanonicalization, DKIMCanonicalization) {
        guard let text = tags.value("c") else { return (.simple, .simple) }
        let parts = DKIMTagList.asciiLowercased(text).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              let header = DKIMCanonicalization(rawValue: String(parts[0])),
              let body = parts.count == 2 ? DKIMCanonicalization(rawValue: String(parts[1])) : .simple else {
            throw DKIMSignatureError(
                tag: "c", message: "'\(SafeShown.text(text))' is not simple or relaxed, for header/body")
        }
        return (header, body)
    }

    /// RFC 6376 5.4: the From field must be signed.
    private func signedHeaders() throws(DKIMSignatureError) -> [String] {
        let names = try required("h").split(separator: ":", omittingEmptySubsequences: false).map {
            String(decoding: DKIMTagList.trimFWS(ArraySlice(Array($0.utf8))), as: UTF8.self)
        }
        if let bad = names.first(where: { $0.isEmpty || !$0.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) }) {
            throw DKIMSignatureError(tag: "h", message: "'\(SafeShown.text(bad))' is not a header field name")
        }
        guard names.contains(where: { DKIMTagList.asciiLowercased($0) == "from" }) else {
            throw DKIMSignatureError(tag: "h", message: "From is not among the signed fields (RFC 6376 5.4 requires it)")
        }
        return names
    }

    /// RFC 6376 3.5: the domain of `i=` is `d=` or a subdomain of it.
    private func identity(domain: String) throws(DKIMSignatureError) -> String {
        guard let identity = tags.value("i") else { return "@" + domain }
        guard let at = identity.lastIndex(of: "@") else {
            throw DKIMSignatureError(tag: "i", message: "'\(SafeShown.text(identity))' has no '@'")
        }
        let identityDomain = DKIMTagList.asciiLowercased(String(identity[identity.index(after: at)...]))
        guard identityDomain == domain || identityDomain.hasSuffix("." + domain) else {
            throw DKIMSignatureError(
                tag: "i", message: "the domain of i= (\(SafeShown.text(identityDomain))) is not d= (\(domain)) or below it")
        }
        return identity
    }

    private func number(_ name: String) throws(DKIMSignatureError) -> Int? {
        guard let text = tags.value(name) else { return nil }
        guard !text.isEmpty, text.utf8.count <= Self.maximumDigits, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw DKIMSignatureError(tag: name, message: "'\(SafeShown.text(text))' is not a decimal number")
        }
        // More digits than an Int holds: larger than any message or date.
        return Int(text) ?? Int.max
    }

    /// RFC 6376 3.5: `dns/txt` is the only query method defined.
    private func queryMethods() throws(DKIMSignatureError) -> [String] {
        guard let text = tags.value("q") else { return ["dns/txt"] }
        let methods = DKIMKeyRecord.colonList(text)
        guard methods.contains(where: { DKIMTagList.asciiLowercased($0).hasPrefix("dns/txt") }) else {
            throw DKIMSignatureError(tag: "q", message: "'\(SafeShown.text(text))' names no query method but dns/txt")
        }
        return methods
    }

    /// Dot-separated labels of letters, digits, '-' and '_' (underscores
    /// appear in selectors); no empty label, no label over 63 bytes.
    static func isDomainName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }) else { return false }
        }
        return true
    }
}
