import NIOCore

/// Why bytes from the server are not a valid SMTP reply.
public enum SMTPReplyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A line longer than the limit (RFC 5321 4.5.3.1.5 allows 512 octets).
    case lineTooLong(limit: Int)
    /// A multi-line reply with more lines than the limit.
    case tooManyLines(limit: Int)
    /// A line that does not start with a three-digit code.
    case malformed(String)
    /// The code changed in the middle of a multi-line reply (RFC 5321 4.2.1).
    case inconsistentCode(first: Int, then: Int)

    public var description: String {
        switch self {
        case .lineTooLong(let limit): return "a reply line longer than \(limit) bytes"
        case .tooManyLines(let limit): return "a multi-line reply longer than \(limit) lines"
        case .malformed(let line): return "a line that is not an SMTP reply: \"\(line)\""
        case .inconsistentCode(let first, let then): return "the reply code changed from \(first) to \(then) within one reply"
        }
    }
}

/// Bytes to whole SMTP replies. Continuation lines are kept; line length and
/// line count are bounded so a hostile server cannot grow memory without end.
/// CR LF is trimmed as bytes (a bare LF is accepted too).
public struct SMTPReplyDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SMTPReply

    public static let defaultMaxLineLength = 4096
    public static let defaultMaxLines = 1000

    public let maxLineLength: Int
    public let maxLines: Int
    private var code: Int?
    private var lines: [String] = []

    public init(maxLineLength: Int = SMTPReplyDecoder.defaultMaxLineLength, maxLines: Int = SMTPReplyDecoder.defaultMaxLines) {
        self.maxLineLength = maxLineLength
        self.maxLines = maxLines
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try decodeReply(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let reply = try decodeReply(&buffer) {
            context.fireChannelRead(wrapInboundOut(reply))
        }
        return .needMoreData
    }

    /// Decodes one whole reply if the buffer holds one; the parsing core, free of channels.
    public mutating func decodeReply(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count > maxLineLength + 1 { throw SMTPReplyError.lineTooLong(limit: maxLineLength) }
                return nil
            }
            let length = newline - view.startIndex
            let hasCR = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
            if length - (hasCR ? 1 : 0) > maxLineLength { throw SMTPReplyError.lineTooLong(limit: maxLineLength) }
            var bytes = buffer.readBytes(length: length + 1)!
            bytes.removeLast()  // LF
            if hasCR { bytes.removeLast() }
            let (lineCode, more, text) = try Self.parseLine(bytes)
            if let code, code != lineCode { throw SMTPReplyError.inconsistentCode(first: code, then: lineCode) }
            code = lineCode
            lines.append(text)
            if more {
                if lines.count >= maxLines { throw SMTPReplyError.tooManyLines(limit: maxLines) }
                continue
            }
            let reply = SMTPReply(code: lineCode, lines: lines, trailingBytes: buffer.readableBytes)
            code = nil
            lines = []
            return reply
        }
    }

    static func parseLine(_ bytes: [UInt8]) throws -> (code: Int, more: Bool, text: String) {
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard bytes.count >= 3, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]) else {
            throw SMTPReplyError.malformed(String(decoding: bytes.prefix(80), as: UTF8.self))
        }
        let code = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
        if bytes.count == 3 { return (code, false, "") }
        switch bytes[3] {
        case UInt8(ascii: "-"): return (code, true, String(decoding: bytes[4...], as: UTF8.self))
        case UInt8(ascii: " "): return (code, false, String(decoding: bytes[4...], as: UTF8.self))
        default: throw SMTPReplyError.malformed(String(decoding: bytes.prefix(80), as: UTF8.self))
        }
    }
}
