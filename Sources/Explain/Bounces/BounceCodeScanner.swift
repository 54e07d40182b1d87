/// Finds SMTP reply codes (RFC 5321 section 4.2) and enhanced status codes
/// (RFC 3463) in free text, the way a person reading a bounce would.
enum BounceCodeScanner {
    struct EnhancedCode: Hashable {
        var code: String
        /// A basic reply code written just before it ("550 5.1.1", "550-5.1.1").
        var replyCode: Int?
    }

    /// Enhanced codes `class.subject.detail` with class 2, 4 or 5 and subject 0-7,
    /// not part of a longer dotted number (IP addresses, versions).
    static func enhancedCodes(in text: String, limit: Int = 64) -> [EnhancedCode] {
        let bytes = Array(text.utf8)
        var found: [EnhancedCode] = []
        var i = 0
        while i < bytes.count, found.count < limit {
            let b = bytes[i]
            guard b == 0x32 || b == 0x34 || b == 0x35, i + 4 < bytes.count || i + 4 == bytes.count,
                  i == 0 || !isWordOrDot(bytes[i - 1]) else { i += 1; continue }
            if let (length, subject) = dottedTriple(bytes, at: i), subject <= 7 {
                let code = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                found.append(EnhancedCode(code: code, replyCode: replyCode(before: i, in: bytes, classDigit: b)))
                i += length
            } else {
                i += 1
            }
        }
        return found
    }

    /// The reply code the text opens with ("550 ...", "550-...", "550"), if any.
    static func leadingReplyCode(_ text: String) -> Int? {
        let bytes = Array(text.utf8.prefix(16))
        var start = 0
        // Transcript markers: Sendmail's "<<< 550 ...", other MTAs' ">>> ".
        while start < bytes.count, [0x20, 0x09, 0x3C, 0x3E].contains(bytes[start]) { start += 1 }
        guard let code = replyCode(bytes, at: start) else { return nil }
        let after = start + 3
        if after == bytes.count || [0x20, 0x2D, 0x09, 0x2C, 0x3A, 0x2E].contains(bytes[after]) && !(bytes[after] == 0x2E && after + 1 < bytes.count && isDigit(bytes[after + 1])) {
            return code
        }
        return nil
    }

    /// The basic reply code a text gives: one quoted after Sendmail's "addr... "
    /// (the remote's words), else the one it opens with, else the first.
    static func replyCode(in text: String) -> Int? {
        let codes = replyCodes(in: text, limit: 32)
        let bytes = Array(text.utf8)
        for (code, offset) in codes where offset >= 4 {
            if bytes[offset - 1] == 0x20, bytes[offset - 2] == 0x2E, bytes[offset - 3] == 0x2E, bytes[offset - 4] == 0x2E {
                return code
            }
        }
        return leadingReplyCode(text) ?? codes.first?.code
    }

    /// Reply codes found after a space, colon or start of line and followed by
    /// a space, dash or end of line, in text order.
    static func replyCodes(in text: String, limit: Int = 32) -> [(code: Int, offset: Int)] {
        let bytes = Array(text.utf8)
        var found: [(Int, Int)] = []
        var i = 0
        while i + 2 < bytes.count, found.count < limit {
            if (i == 0 || [0x20, 0x09, 0x0A, 0x3A, 0x28, 0x22, 0x3C, 0x3D, 0x5B, 0x3B].contains(bytes[i - 1])),
               let code = replyCode(bytes, at: i) {
                let after = i + 3
                let ok = after == bytes.count || bytes[after] == 0x20 || bytes[after] == 0x0A || bytes[after] == 0x0D
                    || (bytes[after] == 0x2D && after + 1 < bytes.count && !isDigit(bytes[after + 1]))
                    || (bytes[after] == 0x2D && enhancedAt(bytes, after + 1))
                    || bytes[after] == 0x2C || bytes[after] == 0x29 || bytes[after] == 0x5D
                    || (bytes[after] == 0x3A && (i == 0 || bytes[i - 1] == 0x0A || bytes[i - 1] == 0x20)
                        && (after + 1 == bytes.count || !isDigit(bytes[after + 1])))   // "550: User unknown", not "12:30"
                if ok, !(i >= 1 && bytes[i - 1] == 0x3A && i >= 3 && isDigit(bytes[i - 2])) {
                    found.append((code, i))
                    i += 3
                    continue
                }
            }
            i += 1
        }
        return found
    }

    // MARK: - Byte helpers

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isWordOrDot(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F
    }

    /// A three-digit reply code at `i` whose digits are valid (2xx-5xx, second digit 0-5).
    private static func replyCode(_ bytes: [UInt8], at i: Int) -> Int? {
        guard i + 2 < bytes.count else { return nil }
        let a = bytes[i], b = bytes[i + 1], c = bytes[i + 2]
        guard a >= 0x32 && a <= 0x35, b >= 0x30 && b <= 0x35, isDigit(c) else { return nil }
        if i + 3 < bytes.count, isDigit(bytes[i + 3]) { return nil }
        return Int(a - 0x30) * 100 + Int(b - 0x30) * 10 + Int(c - 0x30)
    }

    /// Length and subject of `d.ddd.ddd` at `i` when not followed by more digits or dots-and-digits.
    private static func dottedTriple(_ bytes: [UInt8], at i: Int) -> (Int, Int)? {
        var j = i + 1
        guard j < bytes.count, bytes[j] == 0x2E else { return nil }
        j += 1
        var subject = 0, digits = 0
        while j < bytes.count, isDigit(bytes[j]), digits < 4 { subject = subject * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1 }
        guard digits >= 1, digits <= 3, j < bytes.count, bytes[j] == 0x2E else { return nil }
        j += 1
        digits = 0
        while j < bytes.count, isDigit(bytes[j]), digits < 4 { j += 1; digits += 1 }
        guard digits >= 1, digits <= 3 else { return nil }
        if j < bytes.count {
            if isDigit(bytes[j]) || (bytes[j] >= 0x41 && bytes[j] <= 0x5A) || (bytes[j] >= 0x61 && bytes[j] <= 0x7A) { return nil }
            if bytes[j] == 0x2E, j + 1 < bytes.count, isDigit(bytes[j + 1]) { return nil }
        }
        return (j - i, subject)
    }

    private static func enhancedAt(_ bytes: [UInt8], _ i: Int) -> Bool {
        guard i < bytes.count, [0x32, 0x34, 0x35].contains(bytes[i]) else { return false }
        return dottedTriple(bytes, at: i) != nil
    }

    /// "550 5.1.1" or "550-5.1.1": the basic code right before an enhanced one, same class.
    private static func replyCode(before i: Int, in bytes: [UInt8], classDigit: UInt8) -> Int? {
        guard i >= 4, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x2D else { return nil }
        guard bytes[i - 4] == classDigit, let code = replyCode(bytes, at: i - 4) else { return nil }
        if i >= 5, isWordOrDot(bytes[i - 5]) { return nil }
        return code
    }
}
