/// RFC 2047 encoded-words (`=?charset?B?...?=`, `=?charset?Q?...?=`) in
/// header fields, decoded for display.
enum MIMEEncodedWord {
    static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let bytes = Array(value.utf8)
        var out = ""
        var plain: [UInt8] = []         // undecoded text waiting to be appended
        var pendingSpace: [UInt8] = []  // whitespace that may sit between two encoded-words
        var lastWasEncoded = false
        var i = 0
        func flushPlain() {
            out += String(decoding: plain, as: UTF8.self)
            plain.removeAll()
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "?"),
               let (text, length) = decodeWord(bytes[i...]) {
                // Whitespace between two adjacent encoded-words is dropped (section 6.2).
                if !lastWasEncoded { plain += pendingSpace }
                pendingSpace.removeAll()
                flushPlain()
                out += text
                i += length
                lastWasEncoded = true
                continue
            }
            let b = bytes[i]
            if b == MIMEBytes.space || b == MIMEBytes.tab {
                pendingSpace.append(b)
            } else {
                plain += pendingSpace
                pendingSpace.removeAll()
                plain.append(b)
                lastWasEncoded = false
            }
            i += 1
        }
        plain += pendingSpace
        flushPlain()
        return out
    }

    /// Decodes one encoded-word at the start of `text`; returns it and its length in bytes.
    private static func decodeWord(_ text: ArraySlice<UInt8>) -> (String, Int)? {
        let scalars = Array(text.prefix(1024))
        // =?charset?enc?payload?=
        guard scalars.count > 6 else { return nil }
        var i = 2
        let charsetStart = i
        while i < scalars.count, scalars[i] != UInt8(ascii: "?") { i += 1 }
        guard i < scalars.count, i > charsetStart else { return nil }
        var charset = String(decoding: scalars[charsetStart..<i], as: UTF8.self)
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }   // RFC 2231 language
        i += 1
        guard i + 1 < scalars.count, scalars[i + 1] == UInt8(ascii: "?") else { return nil }
        let encoding = MIMEBytes.lowercased(scalars[i])
        i += 2
        let payloadStart = i
        while i + 1 < scalars.count, !(scalars[i] == UInt8(ascii: "?") && scalars[i + 1] == UInt8(ascii: "=")) {
            if scalars[i] == UInt8(ascii: " ") { return nil }
            i += 1
        }
        guard i + 1 < scalars.count else { return nil }
        let payload = Array(scalars[payloadStart..<i])
        let bytes: [UInt8]
        switch encoding {
        case UInt8(ascii: "b"): bytes = MIMETransferEncoding.base64(payload[...])
        case UInt8(ascii: "q"): bytes = MIMETransferEncoding.quotedPrintable(payload[...], underscoreIsSpace: true)
        default: return nil
        }
        return (MIMECharset.decode(bytes, charset: charset), i + 2)
    }
}
