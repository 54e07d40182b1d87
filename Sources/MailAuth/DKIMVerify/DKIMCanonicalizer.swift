/// The two canonicalisation algorithms of RFC 6376 3.4, for header fields
/// and for bodies.
public enum DKIMCanonicalization: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing changes but trailing empty lines of the body (3.4.1, 3.4.3).
    case simple
    /// Tolerates re-folding, letter case of names and white space changes
    /// (3.4.2, 3.4.4).
    case relaxed
}

/// Canonicalises header fields and bodies byte for byte (RFC 6376 3.4).
/// Input is the wire form; bare LFs are turned into CRLF first, as a saved
/// file usually has them.
public enum DKIMCanonicalizer {
    /// One header field, name through the CRLF that ends it. Relaxed output
    /// is `name:value` CRLF; simple output is the input.
    public static func header<Bytes: Collection<UInt8>>(_ field: Bytes, _ mode: DKIMCanonicalization) -> [UInt8] {
        let bytes = LineEndings.crlf(Array(field))
        switch mode {
        case .simple: return bytes
        case .relaxed: return relaxedHeader(bytes[...])
        }
    }

    /// A whole body, as one array (for tests and small bodies; the verifier
    /// streams through `body(_:_:emit:)`).
    public static func body<Bytes: Collection<UInt8>>(_ body: Bytes, _ mode: DKIMCanonicalization) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = LineEndings.crlf(Array(body))
        self.body(bytes[...], mode) { out.append(contentsOf: $0) }
        return out
    }

    /// Canonicalises a body already in CRLF form, handing the output over in
    /// pieces so that a large body is never copied whole.
    static func body(_ body: ArraySlice<UInt8>, _ mode: DKIMCanonicalization,
                     emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        body.withUnsafeBufferPointer { buffer in
            switch mode {
            case .simple: simpleBody(buffer, emit: emit)
            case .relaxed: RelaxedBodyWriter.run(buffer, emit: emit)
            }
        }
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]

    /// RFC 6376 3.4.3: empty lines at the end go; the body then ends with
    /// exactly one CRLF, added when missing (an empty body becomes CRLF).
    private static func simpleBody(_ buffer: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var end = buffer.count
        while end >= 2, buffer[end - 2] == 0x0D, buffer[end - 1] == 0x0A { end -= 2 }
        if end > 0 { emit(UnsafeBufferPointer(rebasing: buffer[..<end])) }
        crlf.withUnsafeBufferPointer { emit($0) }
    }

    /// RFC 6376 3.4.2: name in lower case, no white space around the colon,
    /// the value unfolded, runs of white space made one space, none at the
    /// ends.
    static func relaxedHeader(_ field: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else {
            return Array(field)   // not a field: nothing to canonicalise
        }
        for byte in field[..<colon] where !isWSP(byte) {
            out.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        out.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var wroteValue = false
        let value = field[(colon + 1)...]
        for index in value.indices {
            let byte = value[index]
            // Unfolding (CRLF before WSP) and the final CRLF; a bare CR stays.
            if byte == 0x0A { continue }
            if byte == 0x0D, index + 1 < value.endIndex, value[index + 1] == 0x0A { continue }
            if isWSP(byte) {
                pendingSpace = wroteValue
                continue
            }
            if pendingSpace { out.append(0x20) }
            pendingSpace = false
            out.append(byte)
            wroteValue = true
        }
        out.append(contentsOf: crlf)
        return out
    }

    static func isWSP(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}

/// RFC 6376 3.4.4, streamed: white space at line ends goes, runs of it
/// inside a line become one space, empty lines at the end go, and a
/// non-empty body ends with CRLF.
private struct RelaxedBodyWriter {
    private static let chunkSize = 64 * 1024
    private var chunk: [UInt8] = []
    /// Empty lines seen but not yet written: written only if text follows.
    private var pendingEmptyLines = 0
    private var pendingSpace = false
    private var lineHasText = false

    static func run(_ input: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var writer = RelaxedBodyWriter()
        writer.chunk.reserveCapacity(chunkSize + 4)
        var index = 0
        let count = input.count
        while index < count {
            let byte = input[index]
            if byte == 0x0D, index + 1 < count, input[index + 1] == 0x0A {
                writer.endLine(emit)
                index += 2
            } else if byte == 0x20 || byte == 0x09 {
                writer.pendingSpace = true
                index += 1
            } else {
                // A run of text up to the next white space or CR, copied whole.
                var end = index + 1
                while end < count, input[end] != 0x20, input[end] != 0x09, input[end] != 0x0D { end += 1 }
                writer.text(UnsafeBufferPointer(rebasing: input[index..<end]), emit)
                index = end
            }
        }
        if writer.lineHasText { writer.endLine(emit) }
        writer.flush(emit)
    }

    private mutating func text(_ run: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !lineHasText {
            // Text after empty lines: they were not trailing after all.
            for _ in 0..<pendingEmptyLines { append(0x0D, emit); append(0x0A, emit) }
            pendingEmptyLines = 0
            lineHasText = true
        }
        if pendingSpace { append(0x20, emit) }
        pendingSpace = false
        chunk.append(contentsOf: run)
        if chunk.count >= Self.chunkSize { flush(emit) }
    }

    private mutating func endLine(_ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        pendingSpace = false   // white space at the end of a line is dropped
        if lineHasText {
            append(0x0D, emit)
            append(0x0A, emit)
            lineHasText = false
        } else {
            pendingEmptyLines += 1
        }
    }

    private mutating func append(_ byte: UInt8, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        chunk.append(byte)
        if chunk.count >= Self.chunkSize { flush(emit) }
    }

    private mutating func flush(_ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard !chunk.isEmpty else { return }
        chunk.withUnsafeBufferPointer { emit($0) }
        chunk.removeAll(keepingCapacity: true)
    }
}
