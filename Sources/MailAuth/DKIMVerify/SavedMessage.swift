/// A saved message (an `.eml` file, a "show original" download) split into
/// header fields and body, on bytes: DKIM hashes bytes, and a message may
/// hold any of them.
///
/// Bounded for hostile files: at most `maximumSize` bytes are read, at most
/// `maximumFields` fields and `maximumHeaderBytes` of header section are
/// kept (the rest is skipped to find the body); only ranges are stored, so a
/// 1 MB header line costs no copy.
public struct SavedMessage: Sendable {
    /// Larger messages are not examined: no provider accepts them.
    public static let maximumSize = 64 * 1024 * 1024
    public static let maximumHeaderBytes = 16 * 1024 * 1024
    public static let maximumFields = 10_000

    /// One header field: its name and where it sits in `bytes`.
    public struct Field: Sendable, Hashable {
        /// The name as written, without white space before the colon.
        public var name: String
        /// `name` in ASCII lower case, for comparing (names are
        /// case-insensitive, RFC 5322 1.2.2).
        public var key: String
        /// From the first byte of the name through the CRLF that ends the
        /// field's last line (continuation lines included).
        public var range: Range<Int>
        /// The first byte after the colon.
        public var valueStart: Int
    }

    /// The message with bare LFs turned into CRLF.
    public let bytes: [UInt8]
    /// The header fields in the order written, top first.
    public let fields: [Field]
    /// Where the body begins: after the empty line, or at the end when there
    /// is none.
    public let bodyStart: Int
    /// An empty line ends the header section (otherwise the whole message
    /// is header and the body is empty).
    public let hasSeparator: Bool
    /// The file had bare LF line endings, converted to CRLF.
    public let convertedLineEndings: Bool
    /// Header lines that are neither a field (`name:`) nor a continuation.
    public let malformedLines: Int
    /// More fields or header bytes than the limits: the rest were skipped.
    public let fieldsSkipped: Bool

    public init(bytes original: [UInt8]) {
        let converted = LineEndings.converted(original)
        bytes = converted ?? original
        convertedLineEndings = converted != nil
        let section = HeaderScan(bytes)
        fields = section.fields
        bodyStart = section.bodyStart
        hasSeparator = section.hasSeparator
        malformedLines = section.malformedLines
        fieldsSkipped = section.fieldsSkipped
    }

    public var body: ArraySlice<UInt8> { bytes[bodyStart...] }

    /// The field's bytes, name through the final CRLF.
    public func raw(_ field: Field) -> ArraySlice<UInt8> { bytes[field.range] }

    /// Fields named `name` (any letter case), top first.
    public func fields(named name: String) -> [Field] {
        let key = DKIMTagList.asciiLowercased(name)
        return fields.filter { $0.key == key }
    }

    /// The value unfolded (CRLFs removed), white space around it trimmed, as
    /// text; nil when longer than `limit` bytes.
    public func value(_ field: Field, limit: Int = 64 * 1024) -> String? {
        let slice = bytes[field.valueStart..<field.range.upperBound]
        guard slice.count <= limit else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        for byte in slice where byte != 0x0D && byte != 0x0A { out.append(byte) }
        while let last = out.last, last == 0x20 || last == 0x09 { out.removeLast() }
        let start = out.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? out.endIndex
        return String(decoding: out[start...], as: UTF8.self)
    }
}

/// One pass over the header section, line by line.
private struct HeaderScan {
    var fields: [SavedMessage.Field] = []
    var bodyStart: Int
    var hasSeparator = false
    var malformedLines = 0
    var fieldsSkipped = false

    init(_ bytes: [UInt8]) {
        bodyStart = bytes.count
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>) {
        var position = 0
        var open: (start: Int, name: [UInt8], valueStart: Int)?
        var openEnd = 0
        while position < buffer.count {
            let lineEnd = LineEndings.nextLF(in: buffer, from: position, to: buffer.count).map { $0 + 1 } ?? buffer.count
            let isEmptyLine = lineEnd - position == 2 && buffer[position] == 0x0D && buffer[position + 1] == 0x0A
            if isEmptyLine {
                close(&open, end: openEnd)
                hasSeparator = true
                bodyStart = lineEnd
                return
            }
            let keeping = !fieldsSkipped && position < SavedMessage.maximumHeaderBytes
            let first = buffer[position]
            if first == 0x20 || first == 0x09 {
                if open != nil { openEnd = lineEnd } else if keeping { malformedLines += 1 }
            } else {
                close(&open, end: openEnd)
                if !keeping || fields.count >= SavedMessage.maximumFields {
                    fieldsSkipped = true
                } else if let (name, colon) = Self.fieldName(buffer, from: position, to: lineEnd) {
                    open = (position, name, colon + 1)
                    openEnd = lineEnd
                } else {
                    malformedLines += 1
                }
            }
            position = lineEnd
        }
        close(&open, end: openEnd)
    }

    private mutating func close(_ open: inout (start: Int, name: [UInt8], valueStart: Int)?, end: Int) {
        guard let field = open else { return }
        let name = String(decoding: field.name, as: UTF8.self)
        fields.append(SavedMessage.Field(
            name: name, key: DKIMTagList.asciiLowercased(name), range: field.start..<end, valueStart: field.valueStart))
        open = nil
    }

    /// The name of a field line and the colon's index, or nil when the line
    /// is not `name:` (RFC 5322 2.2: printable ASCII but colon; RFC 5322
    /// 4.5 also allows white space before the colon).
    private static func fieldName(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> ([UInt8], Int)? {
        guard let colon = LineEndings.find(UInt8(ascii: ":"), in: buffer, from: start, to: end) else { return nil }
        var nameEnd = colon
        while nameEnd > start, buffer[nameEnd - 1] == 0x20 || buffer[nameEnd - 1] == 0x09 { nameEnd -= 1 }
        guard nameEnd > start else { return nil }
        let name = Array(UnsafeBufferPointer(rebasing: buffer[start..<nameEnd]))
        guard name.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return (name, colon)
    }
}
