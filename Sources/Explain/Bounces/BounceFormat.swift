/// Which kind of notification a bounce is, recognised from its headers and
/// wording. The name is what `BounceReport.format` shows.
struct BounceFormat: Sendable, Hashable {
    var name: String
    /// The MTA or provider was recognised (not just "rfc3464" or "unknown").
    var recognised: Bool

    static let feedbackReport = BounceFormat(name: "arf", recognised: true)
    static let autoReply = BounceFormat(name: "auto-reply", recognised: true)

    static func detect(_ context: BounceContext) -> BounceFormat {
        if isFeedbackReport(context) { return .feedbackReport }
        let facts = BounceFacts(context)
        if context.reports.isEmpty, !facts.fromSystemMailbox, isAutoReply(facts, strongOnly: true) { return .autoReply }
        if let signature = BounceSignature.table.first(where: { $0.matches(facts) }) {
            if signature.name == "postfix" && context.reports.isEmpty { return BounceFormat(name: "postfix-plain", recognised: true) }
            return BounceFormat(name: signature.name, recognised: true)
        }
        if !context.reports.isEmpty { return BounceFormat(name: "rfc3464", recognised: false) }
        if isAutoReply(facts) { return .autoReply }
        return BounceFormat(name: "unknown", recognised: false)
    }

    /// RFC 5965 abuse reports (and Hotmail's older complaint mails): not bounces.
    static func isFeedbackReport(_ context: BounceContext) -> Bool {
        if context.message.parts.contains(where: { $0.contentType.type == "message" && $0.contentType.subtype == "feedback-report" }) {
            return true
        }
        if context.message.root.contentType.parameters["report-type"]?.lowercased() == "feedback-report" { return true }
        let subject = (context.header.decoded("Subject") ?? "").lowercased().mimeTrimmed()
        return subject.hasPrefix("complaint about message from")
    }

    /// RFC 3834 automatic responses (vacation, out of office).
    static func isAutoReply(_ facts: BounceFacts, strongOnly: Bool = false) -> Bool {
        let autoSubjects = ["auto reply", "automatic reply", "autoreply", "auto-reply", "out of office", "away until",
                            "abwesenheitsnotiz", "réponse automatique", "vacation"]
        if autoSubjects.contains(where: { facts.subject.hasPrefix($0) }) { return true }
        if facts.headers.contains("x-autoreply") || facts.headers.contains("x-autorespond") { return true }
        if facts.headerValue("x-apple-action").contains("vacation") { return true }
        if strongOnly { return false }
        return facts.headerValue("auto-submitted").hasPrefix("auto-replied") && !facts.fromSystemMailbox
    }
}
