/// Finds the SMTP replies in pasted text: single lines, multi-line replies
/// (`550-5.7.1 ...` then `550 5.7.1 ...`), and replies inside client output,
/// bounce messages and MTA logs (`<<< `, `said: `, `Diagnostic-Code: smtp; `,
/// Postfix `status=bounced (...)`, Exim `SMTP error from remote mail server
/// after RCPT TO:<...>: `, Exchange `Remote Server returned '...'`).
public enum ReplyLineParser {
    /// At most this much input is read (the rest is ignored).
    public static let maxInputBytes = ReplyInput.maxBytes
    /// At most this many replies are returned.
    public static let maxReplies = 50
    /// Continuation lines kept per reply.
    static let maxLinesPerReply = 40
    static let maxTextBytes = 4096
    static let maxLineChars = 1000

    /// Every reply in `text`, in order, duplicates (the same reply quoted twice
    /// in one bounce) removed.
    public static func parse(_ text: String) -> [ParsedReply] {
        parseWithStatus(text).replies
    }

    /// The first reply of a single line, or nil when the line holds none.
    public static func parseLine(_ line: String) -> ParsedReply? {
        parse(line).first
    }

    struct Result {
        var replies: [ParsedReply]
        var truncated: Bool
    }

    static func parseWithStatus(_ text: String) -> Result {
        let input = ReplyInput.prepare(text)
        var replies: [ParsedReply] = []
        var seen = Set<String>()
        var builder: ReplyBuilder?
        var pendingStage: SMTPStage?
        // "<a@b>: host mx.example.com[192.0.2.1] said:" with the reply on the
        // next line: the prefix still names the host, the stage, the recipient.
        var pendingPrefix: [[UInt8]] = []

        func close() {
            guard let finished = builder?.finish() else { builder = nil; return }
            builder = nil
            let key = dedupeKey(finished)
            if seen.insert(key).inserted { replies.append(finished) }
        }

        for line in input.lines {
            if replies.count >= maxReplies { break }
            let start = line.firstIndex { !ReplyBytes.isSpace($0) }
            guard let start else { close(); pendingPrefix.removeAll(); continue }
            let indented = start > 0
            // What the client sent (`>>> `, ` -> `, `C: `) never belongs to a
            // reply, and may hold credentials (AUTH responses): keep only the stage.
            if isClientLine(line, from: start) {
                close()
                pendingPrefix.removeAll()
                if let stage = commandStage(line, from: start) { pendingStage = stage }
                continue
            }
            let candidates = ReplyCodeScanner.candidates(in: line)
            if let primary = ReplyCodeScanner.primary(in: candidates) {
                if let current = builder, current.accepts(primary, indented: indented, line: line) {
                    builder?.addCodedLine(line, candidates: candidates, primary: primary)
                } else {
                    close()
                    builder = ReplyBuilder(firstLine: line, candidates: candidates, primary: primary, stage: pendingStage, prefixLines: pendingPrefix)
                    pendingStage = nil
                    pendingPrefix.removeAll()
                }
            } else if let stage = commandStage(line, from: start) {
                close()
                pendingStage = stage
            } else if let current = builder, indented || current.open, current.lineCount < maxLinesPerReply {
                builder?.addTextLine(line)
            } else {
                close()
                let trimmedEnd = line.lastIndex { !ReplyBytes.isSpace($0) }.map { line[$0] }
                if trimmedEnd == UInt8(ascii: ":") {
                    pendingPrefix = Array((pendingPrefix + [Array(line.prefix(ReplyLineParser.maxTextBytes))]).suffix(2))
                } else {
                    pendingPrefix.removeAll()
                }
            }
        }
        close()
        return Result(replies: Array(replies.prefix(maxReplies)), truncated: input.truncated)
    }

    private static func dedupeKey(_ reply: ParsedReply) -> String {
        let words = reply.text.lowercased().split(whereSeparator: { $0 == " " }).prefix(12).joined(separator: " ")
        return "\(reply.code ?? 0)|\(reply.enhanced?.description ?? "")|\(words)"
    }

    private static let clientPrefixes = [">>>", "->", "~>", "c:", "out:", "sent:", "client:"]

    static func isClientLine(_ line: [UInt8], from start: Int) -> Bool {
        let lower = ReplyBytes.lowered(Array(line[start...].prefix(8)))
        return clientPrefixes.contains { lower.starts(with: Array($0.utf8)) }
            && !(lower.starts(with: Array("out:".utf8)) && ReplyCodeScanner.primary(in: ReplyCodeScanner.candidates(in: line)) != nil)
    }

    /// A client command (`>>> RCPT To:<a@b>`, ` -> DATA`, `MAIL FROM:<a@b>`):
    /// the next reply answers it.
    static func commandStage(_ line: [UInt8], from start: Int) -> SMTPStage? {
        var k = start
        var prefixed = false
        let lower = ReplyBytes.lowered(Array(line[k...].prefix(16)))
        for prefix in clientPrefixes where lower.starts(with: Array(prefix.utf8)) {
            k += prefix.utf8.count
            prefixed = true
            break
        }
        while k < line.count, ReplyBytes.isSpace(line[k]) { k += 1 }
        guard k < line.count else { return nil }
        let rest = Substring(ReplyBytes.string(line[k...]).uppercased())
        guard let stage = SMTPStage.forCommand(rest) else { return nil }
        if prefixed || start == 0 && (rest.hasPrefix("MAIL FROM:") || rest.hasPrefix("RCPT TO:") || rest.hasPrefix("EHLO ")
            || rest.hasPrefix("HELO ") || rest.hasPrefix("AUTH ") || ["DATA", "QUIT", "STARTTLS", "."].contains(String(rest))) {
            return stage
        }
        return nil
    }
}
