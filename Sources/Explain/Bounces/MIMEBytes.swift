#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers shared by the MIME parser: line scanning with `memchr`
/// so that a 50 MB body is walked at C speed even in a debug build.
enum MIMEBytes {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let dash: UInt8 = 0x2D

    /// Index of the next LF at or after `from`, or `end` when there is none.
    static func nextLF(_ bytes: [UInt8], from: Int, end: Int) -> Int {
        guard from < end else { return end }
        return bytes.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return end }
            guard let found = memchr(base + from, Int32(lf), end - from) else { return end }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The line starting at `start`: its content range (CR LF or LF removed) and
    /// where the following line begins.
    static func line(_ bytes: [UInt8], at start: Int, end: Int) -> (content: Range<Int>, next: Int) {
        let lfIndex = nextLF(bytes, from: start, end: end)
        var contentEnd = lfIndex
        if contentEnd > start && bytes[contentEnd - 1] == cr { contentEnd -= 1 }
        return (start..<contentEnd, lfIndex < end ? lfIndex + 1 : end)
    }

    static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        for i in range where bytes[i] != space && bytes[i] != tab { return false }
        return true
    }

    /// True when `bytes[range]` begins with the ASCII text of `prefix`.
    static func hasPrefix(_ bytes: [UInt8], _ range: Range<Int>, _ prefix: [UInt8]) -> Bool {
        guard range.count >= prefix.count else { return false }
        var i = range.lowerBound
        for b in prefix {
            if bytes[i] != b { return false }
            i += 1
        }
        return true
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

extension String {
    /// Whether `needle` occurs in the text, compared byte for byte in UTF-8
    /// (`ReplyBytes.find`). `contains` with a string argument is Foundation's
    /// when Foundation is imported, and converts the whole text to UTF-16 on
    /// every call: a 1 MB line checked against every phrase of a table took
    /// seconds.
    func containsBytes(of needle: String) -> Bool {
        guard !needle.isEmpty else { return true }
        var text = self
        var needle = needle
        return text.withUTF8 { hay in needle.withUTF8 { ReplyBytes.find($0, in: hay) != nil } }
    }
}
