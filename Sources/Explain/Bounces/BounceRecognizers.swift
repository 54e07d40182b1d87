/// Chooses how recipients are read for a format: from the RFC 3464 report
/// when there is one, else by the format's own reader, else by the generic
/// text scanner.
enum BounceRecognizers {
    static func drafts(format: BounceFormat, context: BounceContext, notes: inout [String]) -> [BounceDraft] {
        switch format.name {
        case BounceFormat.feedbackReport.name:
            return []
        case BounceFormat.autoReply.name:
            let from = BounceAddress.inHeader(context.header["From"]).first ?? ""
            var draft = BounceDraft(address: from)
            draft.reasonOverride = "an automatic reply (vacation or out of office): the message was delivered"
            return [draft]
        case "amazon-ses":
            if let (drafts, kind) = BounceAmazonSES.drafts(context) {
                notes = kind == "complaint" ? ["This is an Amazon SES complaint notification, not a bounce: the recipient marked the message as spam."] : []
                return drafts
            }
        default:
            break
        }
        var fromReports = context.reports.flatMap { $0.recipientGroups.map(BounceDraft.init(dsn:)) }
        if !fromReports.isEmpty {
            fillDiagnostics(&fromReports, context: context)
            return fromReports
        }
        guard format.recognised || looksLikeBounce(context) else { return [] }
        return BounceTextScanner.drafts(context)
    }

    /// Without a recognised format or report, a message is read as a bounce only
    /// when it comes from a mail system or talks like one.
    static func looksLikeBounce(_ context: BounceContext) -> Bool {
        let facts = BounceFacts(context)
        if facts.fromSystemMailbox { return true }
        let words = ["undeliver", "delivery", "returned mail", "failure", "failed", "bounce", "not delivered", "rejected",
                     "non remis", "unzustellbar", "non recapitabile", "error"]
        if words.contains(where: { facts.subject.contains($0) }) { return true }
        let text = context.errorText
        return !BounceCodeScanner.enhancedCodes(in: String(text.prefix(65_536)), limit: 1).isEmpty
    }

    /// Pairs each report recipient with its words in the human-readable part;
    /// a report without Diagnostic-Code takes them as its diagnostic.
    static func fillDiagnostics(_ drafts: inout [BounceDraft], context: BounceContext) {
        guard !context.errorText.isEmpty else { return }
        let addresses = drafts.map(\.address)
        let blocks = BounceTextScanner.drafts(context, candidates: addresses)
        for index in drafts.indices where index < blocks.count {
            let block = blocks[index].notificationText ?? ""
            guard drafts.count == 1 || block.lowercased().contains(drafts[index].address.lowercased()) else { continue }
            drafts[index].notificationText = block
            if drafts[index].diagnostic == nil { drafts[index].diagnostic = blocks[index].diagnostic }
        }
    }
}
