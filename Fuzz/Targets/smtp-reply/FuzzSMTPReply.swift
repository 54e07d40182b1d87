import FuzzSupport
import NIOCore
@testable import Probes

/// What one decoding of a byte stream gave: the replies (code and lines)
/// and the error that stopped it, if any.
struct Decoded: Equatable {
    var replies: [[String]] = []
    var codes: [Int] = []
    var error: SMTPReplyError?
}

/// Decodes `bytes` handed over in chunks of the given sizes (the last chunk
/// takes the rest), as a TCP stream arrives, until the first error.
func decode(_ bytes: [UInt8], chunks: [Int], limits: (line: Int, lines: Int)) -> Decoded {
    var decoder = SMTPReplyDecoder(maxLineLength: limits.line, maxLines: limits.lines)
    var buffer = ByteBufferAllocator().buffer(capacity: 0)
    var out = Decoded()
    var offset = 0
    var chunk = 0
    while offset < bytes.count {
        let size = chunk < chunks.count ? max(1, chunks[chunk]) : bytes.count - offset
        let end = min(bytes.count, offset + size)
        buffer.writeBytes(bytes[offset..<end])
        offset = end
        chunk += 1
        do {
            while let reply = try decoder.decodeReply(&buffer) {
                check(reply, limits: limits)
                out.replies.append(reply.lines)
                out.codes.append(reply.code)
            }
        } catch let error as SMTPReplyError {
            out.error = error
            return out
        } catch {
            require(false, "decodeReply threw a \(type(of: error)), not an SMTPReplyError: \(error)")
        }
    }
    return out
}

/// Properties every decoded reply has, and the derived views the probes read.
func check(_ reply: SMTPReply, limits: (line: Int, lines: Int)) {
    require((200...599).contains(reply.code), "reply code \(reply.code) out of range")
    require(!reply.lines.isEmpty && reply.lines.count <= limits.lines,
            "\(reply.lines.count) lines with a limit of \(limits.lines)")
    require(reply.trailingBytes >= 0, "negative trailing bytes")
    for line in reply.lines {
        // Invalid UTF-8 becomes U+FFFD: one scalar per byte at most.
        require(line.unicodeScalars.count <= limits.line, "a line of \(line.unicodeScalars.count) scalars kept")
    }
    _ = reply.enhanced
    _ = reply.wireLines
    _ = reply.capabilities
    _ = reply.offers("STARTTLS")
    _ = reply.text
}

/// The decoder must give the same replies and the same error however the
/// stream is cut into reads (a hostile server chooses its segments), with
/// the default limits and with small ones that short inputs can reach.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReply(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    var random = InputRandom(input.bytes)
    let small = (line: 1 + Int(input.selector.byte % 64), lines: 1 + Int(input.selector.byte % 7))
    for limits in [(line: SMTPReplyDecoder.defaultMaxLineLength, lines: SMTPReplyDecoder.defaultMaxLines), small] {
        let whole = decode(input.bytes, chunks: [], limits: limits)
        // At most 40 reads, small and large ones, so a long input stays fast.
        let typical = max(1, input.bytes.count / 20)
        var sizes: [Int] = []
        var total = 0
        while total < input.bytes.count, sizes.count < 40 {
            let next = random.next(below: 3) == 0 ? 1 + random.next(below: 4) : 1 + random.next(below: 2 * typical)
            sizes.append(next)
            total += next
        }
        let pieces = decode(input.bytes, chunks: sizes, limits: limits)
        require(whole == pieces, "one read gave \(whole), reads of \(sizes.prefix(8))... gave \(pieces)")
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_smtp_reply_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSMTPReply)
}
