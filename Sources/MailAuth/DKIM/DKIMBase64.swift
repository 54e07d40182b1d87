/// Base64 as DKIM writes it (RFC 6376 2.7): the RFC 4648 alphabet, folding
/// whitespace anywhere, padding at the end.
public enum DKIMBase64 {
    public enum Failure: Error, Sendable, Hashable {
        /// A character outside the alphabet, with its offset in the text.
        case badCharacter(UInt8, at: Int)
        /// `=` in the middle, more than two, or a length no encoder produces.
        case badPadding
    }

    /// Decodes `text`, skipping spaces, tabs, CR and LF.
    public static func decode(_ text: String) -> Result<[UInt8], Failure> {
        var sextets: [UInt8] = []
        sextets.reserveCapacity(text.utf8.count)
        var padding = 0
        for (offset, byte) in text.utf8.enumerated() {
            if DKIMTagList.isFWS(byte) { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = sextet(byte) else {
                return .failure(padding > 0 && sextet(byte) != nil ? .badPadding : .badCharacter(byte, at: offset))
            }
            sextets.append(value)
        }
        // Four characters make three bytes; a group of one character cannot
        // happen, and padding (when written) completes the last group.
        let remainder = sextets.count % 4
        guard padding <= 2, remainder != 1 else { return .failure(.badPadding) }
        if padding > 0, (sextets.count + padding) % 4 != 0 { return .failure(.badPadding) }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(sextets.count * 3 / 4)
        var index = 0
        while index + 4 <= sextets.count {
            let group = UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
                | UInt32(sextets[index + 2]) << 6 | UInt32(sextets[index + 3])
            bytes.append(UInt8(truncatingIfNeeded: group >> 16))
            bytes.append(UInt8(truncatingIfNeeded: group >> 8))
            bytes.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        if remainder >= 2 {
            var group = UInt32(sextets[index]) << 18 | UInt32(sextets[index + 1]) << 12
            if remainder == 3 { group |= UInt32(sextets[index + 2]) << 6 }
            bytes.append(UInt8(truncatingIfNeeded: group >> 16))
            if remainder == 3 { bytes.append(UInt8(truncatingIfNeeded: group >> 8)) }
        }
        return .success(bytes)
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
