/// One header field, unfolded (RFC 5322 section 2.2.3) but otherwise raw:
/// encoded-words are left for `MIMEHeader.decoded(_:)`.
public struct MIMEHeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A header block: fields in their original order, looked up case-insensitively.
public struct MIMEHeader: Sendable, Hashable, Codable {
    public var fields: [MIMEHeaderField]

    public init(fields: [MIMEHeaderField] = []) {
        self.fields = fields
    }

    /// The first field with this name (case-insensitive), raw.
    public subscript(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every field with this name, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first field with this name, RFC 2047 encoded-words decoded for display.
    public func decoded(_ name: String) -> String? {
        self[name].map(MIMEEncodedWord.decode)
    }
}
