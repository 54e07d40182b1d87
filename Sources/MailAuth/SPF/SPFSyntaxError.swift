/// Where and why an SPF record breaks the grammar of RFC 7208 section 12.
public struct SPFSyntaxError: Error, Sendable, Hashable, Codable {
    /// 0-based offset, in Unicode scalars, of the offending character in the record.
    public var position: Int
    /// The term (space-separated word) that holds it.
    public var term: String
    public var message: String

    public init(position: Int, term: String, message: String) {
        self.position = position
        self.term = term
        self.message = message
    }
}
