import Inet

/// Collects the lines of one reply while the parser walks the input.
struct ReplyBuilder {
    private var code: Int?
    private var enhanced: EnhancedStatusCode?
    private var rawLines: [[UInt8]] = []
    private var textParts: [[UInt8]] = []
    private var stage: SMTPStage?
    private var notes: [String] = []
    /// The last coded line was a continuation (`550-`): more must follow.
    private(set) var open: Bool

    var lineCount: Int { rawLines.count }

    init(firstLine: [UInt8], candidates: [ReplyCodeCandidate], primary: ReplyCodeCandidate, stage: SMTPStage?, prefixLines: [[UInt8]] = []) {
        code = primary.code
        enhanced = primary.enhanced
        self.stage = stage
        open = true
        rawLines = prefixLines + [firstLine]
        if let code = primary.code, let enhanced = primary.enhanced, !primary.classesAgree {
            notes.append("The enhanced code \(enhanced) does not match reply \(code): their first digits differ. The reply code decides whether the failure is temporary.")
        }
        // The text starts after the codes; what comes before is a log prefix.
        var text = Self.strip(firstLine, candidates: candidates, code: primary.code, from: primary.end)
        // "'550 ...'", "(reason: 550 ...)": drop the closing mark of an opening one before the code.
        if primary.start > 0, let closer = Self.closer(for: firstLine[primary.start - 1]) {
            while let last = text.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "=") { text.removeLast() }
            if text.last == closer { text.removeLast() }
        }
        textParts = [text]
        open = Self.isContinuation(candidates: candidates, code: primary.code)
    }

    /// Whether a line with a code belongs to this reply.
    func accepts(_ primary: ReplyCodeCandidate, indented: Bool, line: [UInt8]) -> Bool {
        guard primary.code == code, rawLines.count < ReplyLineParser.maxLinesPerReply else { return false }
        if let mine = enhanced, let theirs = primary.enhanced, mine != theirs { return false }
        if open { return true }
        // A re-wrapped line ("    not exist. Please try 550-5.1.1 double-...") carries on.
        return indented && primary.start > (line.firstIndex { !ReplyBytes.isSpace($0) } ?? 0)
    }

    mutating func addCodedLine(_ line: [UInt8], candidates: [ReplyCodeCandidate], primary: ReplyCodeCandidate) {
        rawLines.append(line)
        if enhanced == nil { enhanced = primary.enhanced }
        // Continuation lines are all text once the repeated codes are taken out.
        let lead = primary.start == (line.firstIndex { !ReplyBytes.isSpace($0) } ?? 0) ? primary.end : 0
        textParts.append(Self.strip(line, candidates: candidates, code: code, from: lead))
        open = Self.isContinuation(candidates: candidates, code: code)
    }

    mutating func addTextLine(_ line: [UInt8]) {
        rawLines.append(line)
        textParts.append(line)
    }

    func finish() -> ParsedReply {
        var joined: [UInt8] = []
        for part in textParts {
            if !joined.isEmpty { joined.append(0x20) }
            joined.append(contentsOf: part)
        }
        let text = Self.withoutPostfixTrailer(Self.collapse(joined, limit: ReplyLineParser.maxTextBytes))
        var raw: [UInt8] = []
        for line in rawLines {
            if !raw.isEmpty { raw.append(0x0A) }
            raw.append(contentsOf: line.prefix(ReplyLineParser.maxTextBytes))
        }
        let lowerRaw = ReplyBytes.lowered(raw)
        var reply = ParsedReply(code: code, enhanced: enhanced)
        reply.text = SafeText.clean(ReplyBytes.string(text))
        reply.lines = rawLines.prefix(ReplyLineParser.maxLinesPerReply).map { line in
            let string = ReplyBytes.string(line)
            let shortened = string.count > ReplyLineParser.maxLineChars ? String(string.prefix(ReplyLineParser.maxLineChars)) + "…" : string
            return SafeText.clean(shortened)
        }
        reply.stage = Self.statedStage(lowerRaw) ?? stage ?? (Self.isGreeting(code: code, text: text) ? .connect : nil)
        var entities = ReplyEntityExtractor.extract(from: raw, cleanText: text)
        if let code, [220, 221, 421, 521, 554].contains(code), let host = Self.greetingHost(text), !entities.hosts.contains(host) {
            entities.hosts.insert(host, at: 0)
            entities.domains.removeAll { $0 == host }
        }
        reply.entities = entities
        reply.provider = ReplyProviders.detect(hosts: entities.hosts, lowercasedText: Self.withoutMailboxes(lowerRaw))
        reply.notes = notes.map(SafeText.clean)
        return reply
    }

    // MARK: - Helpers

    /// The line from `from`, with every copy of this reply's code markers
    /// (`550-5.7.26`, `550 5.7.26`) taken out.
    private static func strip(_ line: [UInt8], candidates: [ReplyCodeCandidate], code: Int?, from: Int) -> [UInt8] {
        var out: [UInt8] = []
        var k = from
        for candidate in candidates where candidate.start >= from && candidate.code == code && candidate.kind != .enhancedOnly {
            if candidate.start > k { out.append(contentsOf: line[k..<candidate.start]) }
            k = max(k, candidate.end)
        }
        if k < line.count { out.append(contentsOf: line[k...]) }
        return out
    }

    /// RFC 5321 4.2.1: `550-` means more lines follow; the last line has `550 `.
    /// A re-wrapped line may hold both; any final marker ends the reply.
    private static func isContinuation(candidates: [ReplyCodeCandidate], code: Int?) -> Bool {
        let mine = candidates.filter { $0.code == code && $0.kind != .enhancedOnly }
        guard !mine.isEmpty else { return false }
        return mine.allSatisfy(\.continuation)
    }

    private static func closer(for opener: UInt8) -> UInt8? {
        switch opener {
        case UInt8(ascii: "'"): return UInt8(ascii: "'")
        case UInt8(ascii: "\""): return UInt8(ascii: "\"")
        case UInt8(ascii: "("): return UInt8(ascii: ")")
        case UInt8(ascii: "["): return UInt8(ascii: "]")
        case UInt8(ascii: "<"): return UInt8(ascii: ">")
        default: return nil
        }
    }

    /// Single spaces, no leading or trailing space, at most `limit` bytes.
    private static func collapse(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, limit))
        for b in bytes {
            if ReplyBytes.isSpace(b) {
                if let last = out.last, last != 0x20 { out.append(0x20) }
            } else {
                out.append(b)
            }
            if out.count >= limit { break }
        }
        while out.last == 0x20 { out.removeLast() }
        return ReplyBytes.trimmedToCharacterBoundary(out)
    }

    /// Postfix appends "(in reply to RCPT TO command)": not the server's words.
    /// A closing bracket left over from a log wrapper goes too.
    private static func withoutPostfixTrailer(_ text: [UInt8]) -> [UInt8] {
        var out = text
        let lower = ReplyBytes.lowered(out)
        if let at = ReplyBytes.find(Array("(in reply to ".utf8), in: lower) {
            var end = at
            while end < out.count, out[end] != UInt8(ascii: ")") { end += 1 }
            out.removeSubrange(at..<min(end + 1, out.count))
        }
        while out.last == 0x20 { out.removeLast() }
        let opens = out.filter { $0 == UInt8(ascii: "(") }.count
        var closes = out.filter { $0 == UInt8(ascii: ")") }.count
        while closes > opens, out.last == UInt8(ascii: ")") {
            out.removeLast()
            closes -= 1
            while out.last == 0x20 { out.removeLast() }
        }
        return out
    }

    private static func statedStage(_ lower: [UInt8]) -> SMTPStage? {
        var best: (index: Int, stage: SMTPStage)?
        for (phrase, stage) in SMTPStage.phrases {
            if let at = ReplyBytes.find(Array(phrase.utf8), in: lower), best == nil || at < best!.index {
                best = (at, stage)
            }
        }
        return best?.stage
    }

    /// "220 mx.example.com ESMTP", "421 4.7.0 mx7.example.com Error: ...":
    /// the first word names the answering host.
    private static func greetingHost(_ text: [UInt8]) -> String? {
        let word = text.prefix { $0 != 0x20 }
        var name = ReplyBytes.string(word).lowercased()
        while name.hasSuffix(".") || name.hasSuffix(":") || name.hasSuffix(",") { name.removeLast() }
        guard ReplyEntityExtractor.isHostName(name, strictTLD: true), name.split(separator: ".").count >= 3 else { return nil }
        return SafeText.clean(name)
    }

    /// "554 mx.example.com ESMTP not accepting messages", "554 No SMTP service
    /// here": the reply is the server's greeting (RFC 5321 3.1, 4.3.2).
    private static func isGreeting(code: Int?, text: [UInt8]) -> Bool {
        guard let code, [220, 421, 521, 554].contains(code) else { return false }
        let lower = ReplyBytes.string(ReplyBytes.lowered(Array(text.prefix(200))))
        if lower.contains("no smtp service") { return true }
        let words = lower.split(separator: " ", maxSplits: 2)
        return words.count >= 2 && greetingHost(Array(words[0].utf8)) != nil && ["esmtp", "smtp"].contains(words[1])
    }

    private static func withoutMailboxes(_ lower: [UInt8]) -> [UInt8] {
        var copy = lower
        for (range, _) in ReplyEntityExtractor.mailboxes(in: lower) {
            for k in range { copy[k] = 0x20 }
        }
        return copy
    }
}
