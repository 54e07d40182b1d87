/// Cuts the few lines that state a recipient's error out of a notification
/// block, so `diagnosticCode` reads like the server's answer rather than the
/// whole letter around it.
enum BounceExcerpt {
    static let maxLines = 8

    static func focus(_ block: String, address: String) -> String {
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map { $0.mimeTrimmedSubstring() }
        guard lines.count > 1 else { return block }
        let key = address.lowercased()
        let mention = key.isEmpty ? nil : lines.firstIndex { $0.lowercased().contains(key) }
        // A line where the server answers ("550 5.1.1 ...") beats one that only cites a code.
        let coded = lines.firstIndex(where: hasReply) ?? lines.firstIndex(where: hasCode)
        let start: Int, from: Int
        if let coded {
            from = coded
            start = (mention.map { $0 <= coded && coded - $0 <= 4 } ?? false) ? mention! : coded
        } else if let mention {
            from = mention
            start = mention
        } else {
            return block
        }
        var end = from + 1
        // An address alone on its line: its error is the next paragraph.
        if coded == nil, end < lines.count, lines[end].isEmpty { end += 1 }
        while end < lines.count, !lines[end].isEmpty, end - from < maxLines { end += 1 }
        // "...because:" announces the next paragraph: take it too.
        if lines[end - 1].hasSuffix(":") {
            var next = end
            while next < lines.count, lines[next].isEmpty { next += 1 }
            end = next
            while end < lines.count, !lines[end].isEmpty, end - next < maxLines { end += 1 }
        }
        return lines[start..<end].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private static func hasReply(_ line: Substring) -> Bool {
        let text = String(line)
        if BounceCodeScanner.enhancedCodes(in: text, limit: 4).contains(where: { ($0.replyCode ?? 0) >= 400 }) { return true }
        return (BounceCodeScanner.leadingReplyCode(text) ?? 0) >= 400
    }

    private static func hasCode(_ line: Substring) -> Bool {
        let text = String(line)
        // Error codes only: a transcript's "250 Ok" lines are not the answer.
        if BounceCodeScanner.enhancedCodes(in: text, limit: 4).contains(where: { !$0.code.hasPrefix("2") }) { return true }
        return BounceCodeScanner.replyCodes(in: text, limit: 4).contains { $0.code >= 400 }
    }
}
