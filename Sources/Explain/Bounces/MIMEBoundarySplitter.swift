/// Finds the body parts of a multipart entity (RFC 2046 section 5.1.1).
enum MIMEBoundarySplitter {
    struct Result {
        var parts: [Range<Int>] = []
        var foundDelimiter = false
        var closed = false
    }

    static func split(_ bytes: [UInt8], _ range: Range<Int>, boundary: String, maxParts: Int) -> Result {
        var result = Result()
        let delimiter = Array(("--" + boundary).utf8)
        var partStart: Int?
        var position = range.lowerBound
        let end = range.upperBound
        while position < end {
            let (line, next) = MIMEBytes.line(bytes, at: position, end: end)
            // Leading blanks are not allowed by RFC 2046 but occur in real bounces.
            var contentStart = line.lowerBound
            while contentStart < line.upperBound, contentStart - line.lowerBound < 4,
                  bytes[contentStart] == MIMEBytes.space || bytes[contentStart] == MIMEBytes.tab { contentStart += 1 }
            let content = contentStart..<line.upperBound
            if content.count >= delimiter.count,
               bytes[content.lowerBound] == MIMEBytes.dash,
               MIMEBytes.hasPrefix(bytes, content, delimiter) {
                var after = content.lowerBound + delimiter.count
                var closing = false
                if after + 2 <= content.upperBound, bytes[after] == MIMEBytes.dash, bytes[after + 1] == MIMEBytes.dash {
                    closing = true
                    after += 2
                }
                if MIMEBytes.isBlank(bytes, after..<content.upperBound) {
                    result.foundDelimiter = true
                    if let start = partStart {
                        result.parts.append(start..<lineBreakStart(bytes, before: position, floor: start))
                        if result.parts.count >= maxParts { return result }
                    }
                    if closing {
                        result.closed = true
                        return result
                    }
                    partStart = next
                }
            }
            position = next
        }
        if let start = partStart, start < end { result.parts.append(start..<end) }
        return result
    }

    /// The first `--token` line that occurs at least twice (or once with its
    /// closing form): the boundary a body really uses.
    static func guessBoundary(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        var seen: [String: Int] = [:]
        var order: [String] = []
        var position = range.lowerBound
        var lines = 0
        while position < range.upperBound, lines < 200_000 {
            let (content, next) = MIMEBytes.line(bytes, at: position, end: range.upperBound)
            lines += 1
            position = next
            guard content.count >= 4, content.count <= 200, bytes[content.lowerBound] == MIMEBytes.dash,
                  bytes[content.lowerBound + 1] == MIMEBytes.dash,
                  !bytes[content].contains(where: { $0 <= MIMEBytes.space || $0 >= 0x7F }) else { continue }
            var token = String(decoding: bytes[(content.lowerBound + 2)..<content.upperBound], as: UTF8.self)
            var closing = false
            if token.hasSuffix("--"), token.count > 2 { token.removeLast(2); closing = true }
            guard !token.allSatisfy({ $0 == "-" }) else { continue }
            if seen[token] == nil { order.append(token) }
            seen[token, default: 0] += closing ? 2 : 1
            if order.count > 1_000 { break }
        }
        return order.first { (seen[$0] ?? 0) >= 2 }
    }

    /// The line break before a delimiter belongs to the delimiter (RFC 2046 section 5.1.1).
    private static func lineBreakStart(_ bytes: [UInt8], before position: Int, floor: Int) -> Int {
        var end = position
        if end > floor, bytes[end - 1] == MIMEBytes.lf { end -= 1 }
        if end > floor, bytes[end - 1] == MIMEBytes.cr { end -= 1 }
        return end
    }
}
