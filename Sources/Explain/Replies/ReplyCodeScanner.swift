/// One place in a line where a reply code appears.
struct ReplyCodeCandidate: Equatable {
    enum Kind: Equatable {
        /// `550 5.7.1` / `550-5.7.1`: basic code followed by an enhanced code.
        case pair
        /// `550 text` with no enhanced code.
        case basicOnly
        /// `dsn=5.7.1`, `Status: 5.1.1`: an enhanced code with no basic code.
        case enhancedOnly
    }

    var kind: Kind
    var code: Int?
    var enhanced: EnhancedStatusCode?
    /// Index of the first byte of the candidate.
    var start: Int
    /// Index just after the last code digit.
    var end: Int
    /// `550-...`: more lines of this reply follow (RFC 5321 4.2.1).
    var continuation: Bool

    /// Both codes present and the enhanced class equals the first digit.
    var classesAgree: Bool {
        guard let code, let enhanced else { return true }
        return code / 100 == enhanced.statusClass
    }
}

/// Finds reply codes inside one line of pasted text, wherever they are: at
/// the start, after a log prefix, or in the middle of a re-wrapped line
/// (`... Please try 550-5.1.1 double-checking ...`).
enum ReplyCodeScanner {
    /// Every candidate in the line, left to right.
    static func candidates(in b: [UInt8]) -> [ReplyCodeCandidate] {
        var found: [ReplyCodeCandidate] = []
        var i = 0
        while i < b.count {
            if let candidate = basicAt(b, i) {
                found.append(candidate)
                i = candidate.end
                continue
            }
            if let candidate = enhancedOnlyAt(b, i) {
                found.append(candidate)
                i = candidate.end
                continue
            }
            i += 1
        }
        return found
    }

    /// The candidate that best stands for the line's reply: a pair whose
    /// classes agree, else any pair, else a basic code in reply position,
    /// else an enhanced code on its own.
    static func primary(in candidates: [ReplyCodeCandidate]) -> ReplyCodeCandidate? {
        candidates.first { $0.kind == .pair && $0.classesAgree }
            ?? candidates.first { $0.kind == .pair }
            ?? candidates.first { $0.kind == .basicOnly }
            ?? candidates.first { $0.kind == .enhancedOnly }
    }

    // MARK: - Matching

    /// Characters that may come right before a code: anything that cannot be
    /// part of a word, a number or a path.
    private static func boundaryBefore(_ b: [UInt8], _ i: Int) -> Bool {
        guard i > 0 else { return true }
        let p = b[i - 1]
        return !(ReplyBytes.isAlnum(p) || p == UInt8(ascii: ".") || p == UInt8(ascii: "-") || p == UInt8(ascii: "_")
                 || p == UInt8(ascii: "/") || p == UInt8(ascii: "+") || p == UInt8(ascii: "@") || p >= 0x80)
    }

    /// `c.s.d` at `i`, with nothing number-like on either side.
    static func enhancedAt(_ b: [UInt8], _ i: Int, afterSeparator: Bool = false) -> (EnhancedStatusCode, Int)? {
        guard i + 4 < b.count, [UInt8(ascii: "2"), UInt8(ascii: "4"), UInt8(ascii: "5")].contains(b[i]),
              b[i + 1] == UInt8(ascii: "."), afterSeparator || boundaryBefore(b, i)
        else { return nil }
        guard let subject = ReplyBytes.digits(b, at: i + 2, max: 3),
              subject.end < b.count, b[subject.end] == UInt8(ascii: "."),
              let detail = ReplyBytes.digits(b, at: subject.end + 1, max: 3)
        else { return nil }
        let end = detail.end
        // "4.16.55.1" is a version or an address, not a status code.
        if end + 1 < b.count, b[end] == UInt8(ascii: "."), ReplyBytes.isDigit(b[end + 1]) { return nil }
        if end < b.count, ReplyBytes.isLetter(b[end]) { return nil }
        guard let code = EnhancedStatusCode(statusClass: Int(b[i] - 0x30), subject: subject.value, detail: detail.value) else { return nil }
        return (code, end)
    }

    private static func basicAt(_ b: [UInt8], _ i: Int) -> ReplyCodeCandidate? {
        guard i + 2 < b.count, b[i] >= UInt8(ascii: "2"), b[i] <= UInt8(ascii: "5"),
              ReplyBytes.isDigit(b[i + 1]), ReplyBytes.isDigit(b[i + 2]), boundaryBefore(b, i)
        else { return nil }
        let code = Int(b[i] - 0x30) * 100 + Int(b[i + 1] - 0x30) * 10 + Int(b[i + 2] - 0x30)
        let after = i + 3
        if after == b.count {
            return inReplyPosition(b, i) ? ReplyCodeCandidate(kind: .basicOnly, code: code, start: i, end: after, continuation: false) : nil
        }
        let sep = b[after]
        guard sep == UInt8(ascii: " ") || sep == UInt8(ascii: "-") || sep == 0x09 else { return nil }
        let continuation = sep == UInt8(ascii: "-")
        // Enhanced code after one separator and at most three extra spaces.
        var j = after + 1
        var spaces = 0
        while j < b.count, b[j] == UInt8(ascii: " "), spaces < 3 { j += 1; spaces += 1 }
        if let (enhanced, end) = enhancedAt(b, j, afterSeparator: true) {
            return ReplyCodeCandidate(kind: .pair, code: code, enhanced: enhanced, start: i, end: end, continuation: continuation)
        }
        guard inReplyPosition(b, i) else { return nil }
        // "550-" must be followed by text for a continuation line, "550 " by anything.
        return ReplyCodeCandidate(kind: .basicOnly, code: code, start: i, end: after, continuation: continuation)
    }

    /// A bare code counts only where a reply starts: at the beginning of the
    /// line or after punctuation that ends a prefix (`said:`, `smtp;`, `'`,
    /// `[`, `<<<`), never in the middle of a sentence ("in 250 seconds").
    private static func inReplyPosition(_ b: [UInt8], _ i: Int) -> Bool {
        var k = i - 1
        while k >= 0, ReplyBytes.isSpace(b[k]) { k -= 1 }
        if k < 0 { return true }
        // "<- 250", "<~ 250" (swaks), "<** 550" (swaks errors).
        if b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: "~") || b[k] == UInt8(ascii: "*") {
            var m = k
            while m >= 0, b[m] == UInt8(ascii: "-") || b[m] == UInt8(ascii: "~") || b[m] == UInt8(ascii: "*") { m -= 1 }
            return m >= 0 && b[m] == UInt8(ascii: "<")
        }
        return [UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "["),
                UInt8(ascii: "("), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: "=")].contains(b[k])
    }

    private static func enhancedOnlyAt(_ b: [UInt8], _ i: Int) -> ReplyCodeCandidate? {
        guard let (enhanced, end) = enhancedAt(b, i), inReplyPosition(b, i) else { return nil }
        return ReplyCodeCandidate(kind: .enhancedOnly, enhanced: enhanced, start: i, end: end, continuation: false)
    }
}
