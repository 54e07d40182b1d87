/// A recognisable reply: which codes and words identify it, and what it
/// means. Specific patterns (a provider's known texts) are tried in order and
/// the first match explains the reply; phrase patterns all add their causes.
struct ReplyPattern: Sendable {
    /// Matches an enhanced code by class (nil: 4 or 5), subject and a detail range.
    struct Enhanced: Sendable {
        var statusClass: Int?
        var subject: Int
        var details: ClosedRange<Int>

        func matches(_ code: EnhancedStatusCode) -> Bool {
            (statusClass.map { $0 == code.statusClass } ?? (code.statusClass != 2))
                && code.subject == subject && details.contains(code.detail)
        }
    }

    /// A few words naming what was recognised ("SMTP AUTH disabled for the tenant").
    var title: String
    /// Basic codes that match; empty means any (or none).
    var codes: Set<Int> = []
    /// Enhanced codes that match; empty means any (or none).
    var enhanced: [Enhanced] = []
    /// Lowercase phrases that must all appear.
    var all: [String] = []
    /// Lowercase phrases of which one must appear (empty: no requirement).
    var any: [String] = []
    /// Lowercase phrases that must not appear.
    var none: [String] = []
    var stage: SMTPStage?
    /// Only when this provider was recognised from the host or text.
    var onlyProvider: String?
    /// The provider this pattern identifies.
    var provider: String?
    var family: ReplyFamily?
    var causes: [String] = []
    var meaning: String?
    var advice: [String] = []
    /// Overrides the class digit (SendGrid's "403" is not a retryable 4xx).
    var temporary: Bool?
    /// For phrase patterns: the family wins over the one the codes suggest.
    var strong = false

    /// `text` is the reply's lowercased bytes.
    func matches(_ reply: ParsedReply, lowercased text: [UInt8], provider detected: String?) -> Bool {
        if !codes.isEmpty {
            guard let code = reply.code, codes.contains(code) else { return false }
        }
        if !enhanced.isEmpty {
            guard let code = reply.enhanced, enhanced.contains(where: { $0.matches(code) }) else { return false }
        }
        if let stage, reply.stage != stage { return false }
        if let onlyProvider, detected != onlyProvider { return false }
        for phrase in all where !ReplyBytes.contains(phrase, in: text) { return false }
        if !any.isEmpty, !any.contains(where: { ReplyBytes.contains($0, in: text) }) { return false }
        for phrase in none where ReplyBytes.contains(phrase, in: text) { return false }
        return true
    }
}

extension ReplyPattern.Enhanced {
    /// `x(7, 26)` matches 4.7.26 and 5.7.26; `x(7, 606...649)` a range.
    static func x(_ subject: Int, _ detail: Int) -> Self { .init(statusClass: nil, subject: subject, details: detail...detail) }
    static func x(_ subject: Int, _ details: ClosedRange<Int>) -> Self { .init(statusClass: nil, subject: subject, details: details) }
}
