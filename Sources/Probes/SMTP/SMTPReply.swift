/// An enhanced status code (RFC 3463): class.subject.detail, e.g. 5.7.8.
public struct EnhancedStatusCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public var klass: Int
    public var subject: Int
    public var detail: Int

    public init(klass: Int, subject: Int, detail: Int) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    /// Parses "X.Y.Z" at the start of a reply line's text (RFC 3463 section 2, RFC 2034).
    public static func parse(_ text: Substring) -> EnhancedStatusCode? {
        let token = text.prefix { $0 != " " }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        // Plain digits only (RFC 3463 2): class one digit, subject and detail 1-3 digits.
        func digits(_ part: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard parts.count == 3, digits(parts[0], 1...1), digits(parts[1], 1...3), digits(parts[2], 1...3),
              let k = Int(parts[0]), [2, 4, 5].contains(k), let s = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return EnhancedStatusCode(klass: k, subject: s, detail: d)
    }

    public var description: String { "\(klass).\(subject).\(detail)" }
}

/// One whole SMTP reply: its code and every line's text (continuation lines kept).
public struct SMTPReply: Sendable, Hashable, Codable {
    public var code: Int
    /// The text of each line after "NNN-" or "NNN ", as received (not yet made printable).
    public var lines: [String]
    /// Bytes that had already arrived after this reply when it was decoded
    /// (pipelined replies, or plaintext injected after a STARTTLS 220).
    public var trailingBytes: Int

    public init(code: Int, lines: [String], trailingBytes: Int = 0) {
        self.code = code
        self.lines = lines
        self.trailingBytes = trailingBytes
    }

    public var enhanced: EnhancedStatusCode? { lines.first.flatMap { EnhancedStatusCode.parse(Substring($0)) } }
    public var text: String { lines.joined(separator: " / ") }
    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTransient: Bool { (400..<500).contains(code) }
    public var isPermanent: Bool { (500..<600).contains(code) }

    /// The reply as the wire showed it, one line per element.
    public var wireLines: [String] {
        lines.enumerated().map { i, text in "\(code)\(i == lines.count - 1 ? " " : "-")\(text)" }
    }

    /// EHLO keywords (RFC 5321 4.1.1.1): every line but the first, upper-cased first word kept with its parameters.
    public var capabilities: [String] { Array(lines.dropFirst()) }

    public func offers(_ keyword: String) -> Bool {
        capabilities.contains { $0.split(separator: " ").first?.uppercased() == keyword.uppercased() }
    }
}
