/// Content-Transfer-Encoding decoders (RFC 2045 section 6), lenient: stray
/// characters are skipped and a broken tail is kept rather than refused.
enum MIMETransferEncoding {
    /// Decodes base64, ignoring characters outside the alphabet (line breaks,
    /// spaces) and stopping at the first padding character.
    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for b in input {
            let value = base64Table[Int(b)]
            if value == 64 { break }          // '='
            if value > 64 { continue }        // not in the alphabet
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// Decodes quoted-printable: `=XX` escapes and `=` soft line breaks. An
    /// invalid escape is kept as written. In RFC 2047 Q-words `_` means space.
    static func quotedPrintable(_ input: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = input.startIndex
        let end = input.endIndex
        while i < end {
            let b = input[i]
            if b == UInt8(ascii: "=") {
                // Soft line break: "=" then optional trailing blanks then CR LF or LF.
                var j = i + 1
                while j < end, input[j] == MIMEBytes.space || input[j] == MIMEBytes.tab { j += 1 }
                if j < end, input[j] == MIMEBytes.cr, j + 1 < end, input[j + 1] == MIMEBytes.lf {
                    i = j + 2; continue
                }
                if j < end, input[j] == MIMEBytes.lf { i = j + 1; continue }
                if j == end { i = end; continue }
                if i + 2 < end, let high = MIMEBytes.hexValue(input[i + 1]), let low = MIMEBytes.hexValue(input[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
                out.append(b)
                i += 1
            } else if underscoreIsSpace && b == UInt8(ascii: "_") {
                out.append(MIMEBytes.space)
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// Decodes `body` according to a Content-Transfer-Encoding value; at most
    /// about `limit` decoded bytes are produced (the input is cut first, so a
    /// huge part costs only a prefix).
    static func decode(_ body: ArraySlice<UInt8>, encoding: String, limit: Int) -> [UInt8] {
        switch encoding.lowercased() {
        case "base64":
            let cut = limit >= Int.max / 2 ? body : body.prefix(limit / 3 * 4 + limit / 20 + 8)
            return Array(base64(cut).prefix(limit))
        case "quoted-printable":
            let cut = limit >= Int.max / 4 ? body : body.prefix(limit * 3 + 8)
            return Array(quotedPrintable(cut).prefix(limit))
        default:
            return Array(body.prefix(limit))
        }
    }

    /// 0-63 for the alphabet, 64 for '=', 255 for anything else.
    private static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (index, c) in alphabet.enumerated() { table[Int(c)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62   // base64url, seen in the wild
        table[Int(UInt8(ascii: "_"))] = 63
        table[Int(UInt8(ascii: "="))] = 64
        return table
    }()
}
