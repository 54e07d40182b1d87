/// Splits an mbox file (several messages, each opened by a "From " line, the
/// format of RFC 4155) so that every bounce in it is read.
enum BounceMbox {
    /// Byte ranges of the messages, or nil when the input is a single message.
    static func split(_ bytes: [UInt8], maxMessages: Int = 1_000) -> [Range<Int>]? {
        let from = Array("From ".utf8)
        guard MIMEBytes.hasPrefix(bytes, 0..<bytes.count, from) else { return nil }
        var starts = [0]
        var position = MIMEBytes.line(bytes, at: 0, end: bytes.count).next
        var previousBlank = false
        while position < bytes.count {
            let (content, next) = MIMEBytes.line(bytes, at: position, end: bytes.count)
            // A separator follows a blank line and reads "From sender date".
            if previousBlank, MIMEBytes.hasPrefix(bytes, content, from), content.count > 10, looksLikeSeparator(bytes, content) {
                starts.append(position)
                if starts.count >= maxMessages { break }
            }
            previousBlank = content.isEmpty
            position = next
        }
        guard starts.count > 1 else { return nil }
        return starts.indices.map { i in starts[i]..<(i + 1 < starts.count ? starts[i + 1] : bytes.count) }
    }

    /// "From MAILER-DAEMON  Thu Apr 29 23:34:45 2015": a sender then a date with a year.
    private static func looksLikeSeparator(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let text = String(decoding: bytes[range.prefix(200)], as: UTF8.self)
        let words = text.split(separator: " ")
        guard words.count >= 3 else { return false }
        return words.contains { $0.count == 4 && $0.allSatisfy(\.isNumber) } && text.contains(":")
    }
}
