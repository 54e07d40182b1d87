import Crypto

/// Hashes what a DKIM signature signs besides the body (RFC 6376 3.7): the
/// header fields `h=` names, canonicalised, then the DKIM-Signature field
/// itself with its `b=` value deleted and no final CRLF.
struct DKIMHeaderHasher {
    let message: SavedMessage
    /// Field positions by lower-case name, top first.
    private let positions: [String: [Int]]
    /// Relaxed forms already made, by field position: fifty signatures over
    /// the same fields canonicalise each once.
    private var relaxedCache: [Int: [UInt8]] = [:]

    init(message: SavedMessage) {
        self.message = message
        var positions: [String: [Int]] = [:]
        for (position, field) in message.fields.enumerated() {
            positions[field.key, default: []].append(position)
        }
        self.positions = positions
    }

    struct Result {
        var digest: SHA256.Digest
        /// Names of `h=` that found a field, in order.
        var found: [String]
        /// Names of `h=` with no (further) field: over-signed, or absent.
        var absent: [String]
    }

    /// The hash for the signature in field `fieldPosition`.
    mutating func hash(signature: DKIMSignature, fieldPosition: Int) -> Result {
        var hasher = SHA256()
        var used: [String: Int] = [:]
        var candidatesByKey: [String: [Int]] = [:]
        var result = Result(digest: SHA256().finalize(), found: [], absent: [])
        for name in signature.signedHeaders {
            let key = DKIMTagList.asciiLowercased(name)
            // Bottom-up for repeated names (RFC 6376 5.4.2). The field being
            // verified did not exist when the signer chose fields. Worked
            // out once per name: h= may repeat a name thousands of times.
            let candidates = candidatesByKey[key] ?? (positions[key] ?? []).filter { $0 != fieldPosition }
            candidatesByKey[key] = candidates
            let taken = used[key, default: 0]
            guard taken < candidates.count else {
                result.absent.append(name)   // contributes nothing (RFC 6376 5.4)
                continue
            }
            used[key] = taken + 1
            let position = candidates[candidates.count - 1 - taken]
            if signature.headerCanonicalization == .relaxed {
                relaxed(position).withUnsafeBytes { hasher.update(bufferPointer: $0) }
            } else {
                message.raw(message.fields[position]).withUnsafeBytes { hasher.update(bufferPointer: $0) }
            }
            result.found.append(name)
        }
        let field = message.fields[fieldPosition]
        var own = Self.deletingSignatureValue(message.raw(field), valueOffset: field.valueStart - field.range.lowerBound)
        if signature.headerCanonicalization == .relaxed { own = DKIMCanonicalizer.relaxedHeader(own[...]) }
        if own.count >= 2, own[own.count - 2] == 0x0D, own[own.count - 1] == 0x0A { own.removeLast(2) }
        hasher.update(data: own)
        result.digest = hasher.finalize()
        return result
    }

    private mutating func relaxed(_ position: Int) -> [UInt8] {
        if let cached = relaxedCache[position] { return cached }
        let relaxed = DKIMCanonicalizer.relaxedHeader(message.raw(message.fields[position]))
        relaxedCache[position] = relaxed
        return relaxed
    }

    /// The field with everything between `b=` and the next `;` (or the end
    /// of the value) removed, white space included (RFC 6376 3.5, b=).
    static func deletingSignatureValue(_ field: ArraySlice<UInt8>, valueOffset: Int) -> [UInt8] {
        let bytes = Array(field)
        var valueEnd = bytes.count
        if valueEnd >= 2, bytes[valueEnd - 2] == 0x0D, bytes[valueEnd - 1] == 0x0A { valueEnd -= 2 }
        var start = min(valueOffset, valueEnd)
        while start <= valueEnd {
            let end = bytes[start..<valueEnd].firstIndex(of: UInt8(ascii: ";")) ?? valueEnd
            if let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "=")),
               DKIMTagList.trimFWS(bytes[start..<equals]).elementsEqual([UInt8(ascii: "b")]) {
                return Array(bytes[...equals]) + Array(bytes[end...])
            }
            start = end + 1
        }
        return bytes
    }
}
