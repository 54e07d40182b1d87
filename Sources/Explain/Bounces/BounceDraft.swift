/// A recipient as first read from a report or a text, before codes are
/// reconciled and a reason is worded.
struct BounceDraft {
    var address: String
    var originalAddress: String?
    /// The Status field (or a vendor's own status field), raw.
    var reportedStatus: String?
    var action: BounceAction?
    /// The diagnostic text: Diagnostic-Code without its type, or the error text block.
    var diagnostic: String?
    /// RFC 3464 diagnostic-type: "smtp", "X-Postfix", "X-Unix"...
    var diagnosticType: String?
    var remoteMTA: String?
    /// A reply code given separately from the diagnostic (vendor formats).
    var replyCode: Int?
    /// The human-readable part's words about this recipient, when the
    /// diagnostic came from a report: a second source of codes.
    var notificationText: String?
    /// A reason fixed by the format (an auto-reply is no failure at all).
    var reasonOverride: String?

    init(address: String, originalAddress: String? = nil, reportedStatus: String? = nil, action: BounceAction? = nil,
         diagnostic: String? = nil, remoteMTA: String? = nil, replyCode: Int? = nil) {
        self.address = address
        self.originalAddress = originalAddress
        self.reportedStatus = reportedStatus
        self.action = action
        self.diagnostic = diagnostic
        self.remoteMTA = remoteMTA
        self.replyCode = replyCode
    }

    /// A recipient group of an RFC 3464 report.
    init(dsn group: MIMEHeader) {
        let final = group["Final-Recipient"].map(DSNField.address)
        let original = group["Original-Recipient"].map(DSNField.address)
        let actual = group["X-Actual-Recipient"].map(DSNField.address)
        address = final ?? actual ?? original ?? ""
        originalAddress = (original.map(BounceAddress.normalized) != final.map(BounceAddress.normalized)) ? original : nil
        reportedStatus = group["Status"]
        action = group["Action"].flatMap(BounceAction.init(field:))
        diagnostic = group["Diagnostic-Code"].map(DSNField.typedText).flatMap { $0.isEmpty ? nil : $0 }
        diagnosticType = group["Diagnostic-Code"].flatMap(DSNField.type)
        remoteMTA = group["Remote-MTA"].map(DSNField.typedText).flatMap { $0.isEmpty ? nil : $0 }
    }
}
