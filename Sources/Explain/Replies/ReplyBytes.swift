#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small ASCII helpers over UTF-8 bytes, shared by the reply scanners.
/// Scanning bytes keeps every pass linear and independent of Unicode
/// grapheme rules (a CR LF pair is one `Character` in Swift).
enum ReplyBytes {
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5a) ? b | 0x20 : b }

    /// ASCII-lowercased copy (other bytes unchanged).
    static func lowered(_ bytes: [UInt8]) -> [UInt8] { bytes.map(lower) }

    /// The first index at or after `from` where `needle` occurs.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int = 0) -> Int? {
        hay.withUnsafeBufferPointer { hay in needle.withUnsafeBufferPointer { find($0, in: hay, from: from) } }
    }

    /// The same over buffers: `memchr` for the needle's first byte, then
    /// `memcmp`, so a long text is scanned at C speed (debug builds included).
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let first = needle.first, let wanted = needle.baseAddress, let base = hay.baseAddress,
              hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        let last = hay.count - needle.count
        var i = max(0, from)
        while i <= last {
            guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + at, wanted, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    static func contains(_ needle: String, in hay: [UInt8]) -> Bool { find(Array(needle.utf8), in: hay) != nil }

    static func string(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Drops a UTF-8 sequence cut short at the end (after truncating bytes).
    static func trimmedToCharacterBoundary(_ bytes: [UInt8]) -> [UInt8] {
        var lead = bytes.count - 1
        while lead >= 0, bytes.count - lead <= 4, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0 else { return bytes }
        let b = bytes[lead]
        let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        return lead + length > bytes.count ? Array(bytes[..<lead]) : bytes
    }

    /// Reads 1...max digits starting at `i`; returns the value and the index after.
    static func digits(_ b: [UInt8], at i: Int, max: Int) -> (value: Int, end: Int)? {
        var j = i
        var value = 0
        while j < b.count, j - i < max, isDigit(b[j]) {
            value = value * 10 + Int(b[j] - 0x30)
            j += 1
        }
        guard j > i else { return nil }
        if j < b.count, isDigit(b[j]) { return nil }   // more digits than allowed
        return (value, j)
    }
}
