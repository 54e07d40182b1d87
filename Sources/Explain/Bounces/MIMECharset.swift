/// Best-effort text decoding (RFC 2045 section 4, RFC 2046 section 4.1.2):
/// UTF-8, US-ASCII, ISO-8859-1 and Windows-1252 are decoded; anything else is
/// read as UTF-8 with invalid bytes replaced, which keeps the ASCII parts
/// (addresses, reply codes) that a bounce diagnosis needs.
enum MIMECharset {
    static func decode<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        let name = charset?.lowercased().mimeTrimmed() ?? ""
        if name == "iso-8859-1" || name == "latin1" || name == "iso8859-1" || name == "l1" {
            return latin1(bytes)
        }
        if name == "windows-1252" || name == "cp1252" || name == "x-cp1252" {
            return windows1252(bytes)
        }
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        if name.isEmpty || name == "us-ascii" || name == "ascii" {
            // Undeclared 8-bit text is most often Windows-1252 or Latin-1.
            return windows1252(bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func latin1<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = String.UnicodeScalarView()
        for b in bytes { out.append(Unicode.Scalar(b)) }
        return String(out)
    }

    static func windows1252<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = String.UnicodeScalarView()
        for b in bytes {
            if b >= 0x80 && b < 0xA0, let mapped = Unicode.Scalar(cp1252High[Int(b - 0x80)]) {
                out.append(mapped)
            } else {
                out.append(Unicode.Scalar(b))
            }
        }
        return String(out)
    }

    /// Windows-1252 0x80-0x9F; undefined positions map to U+FFFD.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]
}
