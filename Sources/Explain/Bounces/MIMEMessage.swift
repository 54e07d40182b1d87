import Foundation

/// A message parsed into its MIME tree (RFC 2045, RFC 2046, RFC 5322), within
/// `MIMELimits`: never throws, never traps; anything odd becomes a `problems` line.
public struct MIMEMessage: Sendable {
    /// Every node in document order; `parts[0]` is the whole message.
    public var parts: [MIMEPart]
    /// Plain-words notes about malformed or cut input.
    public var problems: [String]

    public var header: MIMEHeader { parts[0].header }
    public var root: MIMEPart { parts[0] }

    public init(data: Data, limits: MIMELimits = .standard) {
        if data.count > limits.maxInputBytes {
            self = MIMEMessage.refusing(data.count, limits: limits)
        } else {
            self.init(bytes: [UInt8](data), limits: limits)
        }
    }

    public init(bytes: [UInt8], limits: MIMELimits = .standard) {
        guard bytes.count <= limits.maxInputBytes else {
            self = MIMEMessage.refusing(bytes.count, limits: limits)
            return
        }
        var builder = MIMETreeBuilder(limits: limits)
        if bytes.isEmpty { builder.note("The input is empty.") }
        builder.parse(bytes, 0..<bytes.count, depth: 0, parent: nil, defaultType: .textPlain)
        self.init(parts: builder.parts, problems: builder.problems)
    }

    private init(parts: [MIMEPart], problems: [String]) {
        self.parts = parts
        self.problems = problems
    }

    private static func refusing(_ size: Int, limits: MIMELimits) -> MIMEMessage {
        let empty = MIMEPart(header: MIMEHeader(), contentType: .textPlain, transferEncoding: "7bit",
                             depth: 0, parent: nil, rawBody: [])
        return MIMEMessage(parts: [empty], problems: [
            limits.tooLargeProblem("\(size) bytes"),
        ])
    }

    /// The children of part `index`, in order.
    public func children(of index: Int) -> [MIMEPart] {
        parts[index].children.map { parts[$0] }
    }

    /// The header of the message embedded in wrapper part `index` (message/rfc822,
    /// text/rfc822-headers), if it was parsed.
    public func embeddedHeader(of index: Int) -> MIMEHeader? {
        parts[index].children.first.map { parts[$0].header }
    }
}
