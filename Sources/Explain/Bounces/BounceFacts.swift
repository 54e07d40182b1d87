/// What the signatures look at, computed once.
struct BounceFacts {
    let from: String
    let subject: String
    let headers: Set<String>
    let body: String
    let header: MIMEHeader
    let fromSystemMailbox: Bool
    let reportFields: Set<String>

    init(_ context: BounceContext) {
        header = context.header
        from = (context.header.decoded("From") ?? "").lowercased()
        subject = (context.header.decoded("Subject") ?? "").lowercased().mimeTrimmed()
        headers = Set(context.header.fields.map { $0.name.lowercased() })
        body = String(context.fullText.prefix(64 * 1024)).lowercased()
        fromSystemMailbox = BounceAddress.inHeader(context.header["From"]).contains(where: BounceTextScanner.isSystemMailbox)
            || from.contains("mailer-daemon") || from.contains("postmaster")
        reportFields = Set(context.reports.flatMap { report in
            (report.messageFields.fields + report.recipientGroups.flatMap(\.fields)).map { $0.name.lowercased() }
        })
    }

    func headerValue(_ name: String) -> String { (header[name] ?? "").lowercased() }
}
