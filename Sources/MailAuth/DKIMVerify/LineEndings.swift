import Foundation

/// Line endings of saved messages. Mail travels with CRLF (RFC 5322 2.1),
/// but a message saved to a Unix file usually has bare LF; verifiers turn
/// those back into CRLF before canonicalising (RFC 6376 5.3 asks signers and
/// verifiers to work on the message in its wire form).
enum LineEndings {
    /// `bytes` with every LF that is not already preceded by CR turned into
    /// CR LF. Bare CRs stay as they are. Returns the input unchanged (no
    /// copy) when there is nothing to convert.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        converted(bytes) ?? bytes
    }

    /// The converted bytes, or nil when every LF already follows a CR.
    /// Finds LFs with `memchr`, so a 50 MB file costs milliseconds even in a
    /// debug build.
    static func converted(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
            let raw = UnsafeRawPointer(base)
            var out: [UInt8]?
            var copiedUpTo = 0
            var position = 0
            while position < buffer.count, let hit = memchr(raw + position, 0x0A, buffer.count - position) {
                let index = raw.distance(to: UnsafeRawPointer(hit))
                if index == 0 || buffer[index - 1] != 0x0D {
                    if out == nil {
                        out = []
                        out?.reserveCapacity(buffer.count + buffer.count / 16 + 16)
                    }
                    out?.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copiedUpTo..<index]))
                    out?.append(contentsOf: [0x0D, 0x0A])
                    copiedUpTo = index + 1
                }
                position = index + 1
            }
            guard var result = out else { return nil }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copiedUpTo...]))
            return result
        }
    }

    /// Index of the first LF at or after `start` in `bytes`, below `end`.
    static func nextLF(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        find(0x0A, in: buffer, from: start, to: end)
    }

    /// Index of the first `byte` at or after `start`, below `end`.
    static func find(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard let base = buffer.baseAddress, start < end else { return nil }
        let raw = UnsafeRawPointer(base)
        guard let hit = memchr(raw + start, Int32(byte), end - start) else { return nil }
        return raw.distance(to: UnsafeRawPointer(hit))
    }
}
