/// Reads a header block from bytes, within `MIMELimits`.
enum MIMEHeaderParser {
    struct Result {
        var header: MIMEHeader
        /// Where the body begins (after the blank line), or the end of the range.
        var bodyStart: Int
        var problems: [String]
    }

    /// `topLevel`: the start of a whole message, where an mbox "From " line may come first.
    static func parse(_ bytes: [UInt8], _ range: Range<Int>, limits: MIMELimits, topLevel: Bool = false) -> Result {
        var fields: [MIMEHeaderField] = []
        var problems: [String] = []
        var currentName: String?
        var currentValue: [UInt8] = []
        var cut = false, skipped = false
        var position = range.lowerBound
        let end = range.upperBound

        func finishField() {
            guard let name = currentName else { return }
            if fields.count < limits.maxHeaderFields {
                fields.append(MIMEHeaderField(name: name, value: text(currentValue)))
            } else {
                skipped = true
            }
            currentName = nil
            currentValue.removeAll(keepingCapacity: true)
        }
        func append(_ lineRange: Range<Int>) {
            let room = limits.maxHeaderFieldBytes - currentValue.count
            guard room > 0 else { cut = true; return }
            if lineRange.count > room { cut = true }
            currentValue.append(contentsOf: bytes[lineRange.lowerBound..<(lineRange.lowerBound + min(room, lineRange.count))])
        }

        // An mbox "From " separator line may precede the header.
        if topLevel, MIMEBytes.hasPrefix(bytes, position..<end, Array("From ".utf8)) {
            position = MIMEBytes.line(bytes, at: position, end: end).next
        }
        var bodyStart = end
        while position < end {
            let (content, next) = MIMEBytes.line(bytes, at: position, end: end)
            if MIMEBytes.isBlank(bytes, content) {
                bodyStart = next
                break
            }
            let first = bytes[content.lowerBound]
            if first == MIMEBytes.space || first == MIMEBytes.tab {
                if currentName != nil { append(content) }
                position = next
                continue
            }
            guard let colon = fieldColon(bytes, content) else {
                // Not a header line: the header ended without its blank line.
                bodyStart = position
                break
            }
            finishField()
            currentName = String(decoding: bytes[content.lowerBound..<colon], as: UTF8.self)
                .mimeTrimmed()
            var valueStart = colon + 1
            while valueStart < content.upperBound,
                  bytes[valueStart] == MIMEBytes.space || bytes[valueStart] == MIMEBytes.tab {
                valueStart += 1
            }
            append(valueStart..<content.upperBound)
            position = next
        }
        finishField()
        if cut { problems.append("A header field longer than \(limits.maxHeaderFieldBytes) bytes was cut short.") }
        if skipped { problems.append("A header with more than \(limits.maxHeaderFields) fields: the rest were ignored.") }
        return Result(header: MIMEHeader(fields: fields), bodyStart: bodyStart, problems: problems)
    }

    /// The colon ending a field name: printable ASCII without spaces, except
    /// spaces just before the colon (seen in the wild as "Subject :").
    private static func fieldColon(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        var sawSpace = false
        while i < range.upperBound {
            let b = bytes[i]
            if b == MIMEBytes.colon { return i > range.lowerBound ? i : nil }
            if b == MIMEBytes.space || b == MIMEBytes.tab {
                sawSpace = true
            } else if sawSpace || b < 0x21 || b > 0x7E {
                return nil
            }
            i += 1
            if i - range.lowerBound > 200 { return nil }
        }
        return nil
    }

    /// Header bytes as text: UTF-8 when valid, else ISO-8859-1 (raw 8-bit headers).
    static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        MIMECharset.decode(bytes, charset: nil).mimeTrimmed()
    }
}
