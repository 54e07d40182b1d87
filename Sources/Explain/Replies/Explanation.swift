/// What one reply (or one pasted error without a reply) means, and what to
/// run next. Every string is safe to print: control characters are escaped.
public struct Explanation: Sendable, Codable, Equatable {
    public struct Codes: Sendable, Codable, Equatable {
        public var reply: Int?
        public var enhanced: String?

        public init(reply: Int? = nil, enhanced: String? = nil) {
            self.reply = reply
            self.enhanced = enhanced
        }
    }

    public var family: ReplyFamily
    /// A short heading: "550 5.1.1 Recipient does not exist".
    public var title: String
    /// Plain words, one to three sentences.
    public var meaning: String
    /// True when the same attempt may succeed later without changes.
    public var temporary: Bool
    public var codes: Codes
    /// Causes from the project vocabulary, most likely first.
    public var causes: [String]
    /// What to do, sender's steps first, then the administrator's.
    public var advice: [String]
    public var entities: ReplyEntities
    /// `google`, `microsoft`, `amazon-ses`, `sendgrid`, `yahoo`, ... when recognised.
    public var provider: String?
    /// The command this reply answered, when stated.
    public var stage: SMTPStage?
    /// The reply's own text, as read.
    public var text: String
    /// Remarks about the input (class mismatch, truncated input).
    public var notes: [String]
    /// smtp-doctor runs that would confirm or rule out the causes.
    public var nextChecks: [NextCheck]

    public init(family: ReplyFamily, title: String, meaning: String, temporary: Bool, codes: Codes, causes: [String] = [],
                advice: [String] = [], entities: ReplyEntities = ReplyEntities(), provider: String? = nil,
                stage: SMTPStage? = nil, text: String = "", notes: [String] = [], nextChecks: [NextCheck] = []) {
        self.family = family
        self.title = title
        self.meaning = meaning
        self.temporary = temporary
        self.codes = codes
        self.causes = causes
        self.advice = advice
        self.entities = entities
        self.provider = provider
        self.stage = stage
        self.text = text
        self.notes = notes
        self.nextChecks = nextChecks
    }
}
