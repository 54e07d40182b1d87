/// One SMTP reply found in pasted text: its codes, its text, where in the
/// conversation it came, and what it names.
public struct ParsedReply: Sendable, Codable, Equatable {
    /// The three-digit reply code, when the text has one.
    public var code: Int?
    /// The RFC 3463 enhanced code, when the text has one.
    public var enhanced: EnhancedStatusCode?
    /// The reply's own words, without codes, log prefixes or line breaks.
    public var text: String
    /// The pasted lines this reply was read from (cleaned, possibly shortened).
    public var lines: [String]
    /// The command this reply answered, when the text says.
    public var stage: SMTPStage?
    public var entities: ReplyEntities
    /// The provider that wrote it, when recognisable (`google`, `microsoft`, ...).
    public var provider: String?
    /// Remarks about the reply itself, such as an enhanced code whose class
    /// disagrees with the basic code.
    public var notes: [String]

    public var isMultiline: Bool { lines.count > 1 }

    public init(code: Int? = nil, enhanced: EnhancedStatusCode? = nil, text: String = "", lines: [String] = [],
                stage: SMTPStage? = nil, entities: ReplyEntities = ReplyEntities(), provider: String? = nil, notes: [String] = []) {
        self.code = code
        self.enhanced = enhanced
        self.text = text
        self.lines = lines
        self.stage = stage
        self.entities = entities
        self.provider = provider
        self.notes = notes
    }
}
