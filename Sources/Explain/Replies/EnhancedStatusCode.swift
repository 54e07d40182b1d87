/// An RFC 3463 enhanced mail system status code, `class.subject.detail`.
///
/// RFC 3463 section 2: the class is 2, 4 or 5; subject and detail are each
/// one to three digits with no leading zeros beyond the digit 0 itself
/// (providers use three-digit details such as Microsoft's 5.7.606).
public struct EnhancedStatusCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let statusClass: Int
    public let subject: Int
    public let detail: Int

    public init?(statusClass: Int, subject: Int, detail: Int) {
        guard [2, 4, 5].contains(statusClass), (0...999).contains(subject), (0...999).contains(detail) else { return nil }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses exactly `c.s.d` (no surrounding text).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts.allSatisfy({ (1...3).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              parts[0].count == 1,
              let c = Int(parts[0]), let s = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(statusClass: c, subject: s, detail: d)
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }

    /// The registry's way of naming a code independent of its class: `X.7.1`.
    public var registryKey: String { "X.\(subject).\(detail)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.statusClass, lhs.subject, lhs.detail) < (rhs.statusClass, rhs.subject, rhs.detail)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = EnhancedStatusCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an enhanced status code: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
