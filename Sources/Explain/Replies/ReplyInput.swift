/// Turns pasted text into bounded, terminal-safe lines of bytes.
///
/// Only the first `maxBytes` are read. ANSI escape sequences (copied from a
/// coloured terminal) are removed; other control characters become spaces,
/// so nothing that could drive a terminal reaches the parser's output.
enum ReplyInput {
    static let maxBytes = 64 * 1024

    struct Prepared {
        var lines: [[UInt8]]
        var truncated: Bool
    }

    static func prepare(_ text: String) -> Prepared {
        var bytes = Array(text.utf8.prefix(maxBytes + 1))
        let truncated = bytes.count > maxBytes
        if truncated {
            bytes.removeLast(bytes.count - maxBytes)
            bytes = ReplyBytes.trimmedToCharacterBoundary(bytes)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B {
                i = skipEscape(bytes, from: i)
                continue
            }
            if b == 0x0A || b == 0x0D || b == 0x09 {
                out.append(b)
            } else if b < 0x20 || b == 0x7F {
                out.append(0x20)
            } else if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] >= 0x80, bytes[i + 1] < 0xA0 {
                // C1 control characters (U+0080 to U+009F), including the one-byte CSI.
                out.append(0x20)
                i += 2
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var k = 0
        while k < out.count {
            let b = out[k]
            if b == 0x0A || b == 0x0D {
                lines.append(current)
                current.removeAll(keepingCapacity: true)
                if b == 0x0D, k + 1 < out.count, out[k + 1] == 0x0A { k += 1 }
            } else {
                current.append(b == 0x09 ? 0x20 : b)
            }
            k += 1
        }
        if !current.isEmpty { lines.append(current) }
        return Prepared(lines: lines, truncated: truncated)
    }

    /// Index after an escape sequence starting at `i` (ECMA-48: CSI, OSC,
    /// or a two-byte escape).
    private static func skipEscape(_ b: [UInt8], from i: Int) -> Int {
        var j = i + 1
        guard j < b.count else { return j }
        switch b[j] {
        case UInt8(ascii: "["):
            j += 1
            while j < b.count, !(0x40...0x7E).contains(b[j]) { j += 1 }
            return min(j + 1, b.count)
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"):
            j += 1
            while j < b.count {
                if b[j] == 0x07 { return j + 1 }
                if b[j] == 0x1B, j + 1 < b.count, b[j + 1] == UInt8(ascii: "\\") { return j + 2 }
                if b[j] == 0x0A { return j }
                j += 1
            }
            return j
        default:
            return j + 1
        }
    }
}
