/// One recognisable notification format: it matches when any listed clue is present.
struct BounceSignature: Sendable {
    var name: String
    var headers: [String] = []
    var headerValues: [(name: String, contains: String)] = []
    var from: [String] = []
    var subject: [String] = []
    var body: [String] = []
    /// Fields of the RFC 3464 report (per-message or per-recipient).
    var reportFields: [String] = []

    func matches(_ facts: BounceFacts) -> Bool {
        headers.contains { facts.headers.contains($0) }
            || headerValues.contains { facts.headerValue($0.name).contains($0.contains) }
            || from.contains { facts.from.contains($0) }
            || subject.contains { facts.subject.hasPrefix($0) }
            || body.contains { facts.body.contains($0) }
            || reportFields.contains { facts.reportFields.contains($0) }
    }

    /// Providers and filters first (they often relay an MTA's words), then MTAs.
    static let table: [BounceSignature] = [
        BounceSignature(name: "amazon-workmail", headerValues: [("x-mailer", "amazon workmail")]),
        BounceSignature(name: "amazon-ses", headers: ["x-ses-outgoing"], from: ["@sns.amazonaws.com", "amazonses.com"],
                        body: ["\"notificationtype\""]),
        BounceSignature(name: "gmail", from: ["mailer-daemon@googlemail.com", "mailer-daemon@google.com"],
                        body: ["delivery to the following recipient failed permanently", "google tried to deliver your message"]),
        BounceSignature(name: "outlook.com",
                        from: ["postmaster@hotmail.com", "postmaster@mail.hotmail.com", "postmaster@outlook.com", "postmaster@live.com"]),
        BounceSignature(name: "office365", headers: ["x-ms-exchange-crosstenant-id", "x-eopattributedmessage", "x-forefront-antispam-report"],
                        from: ["onmicrosoft.com"], body: ["microsoft 365", "office 365"]),
        BounceSignature(name: "outlook.com", headers: ["x-message-delivery", "x-message-info"]),
        BounceSignature(name: "exchange", headers: ["x-ms-exchange-message-is-ndr", "x-ms-embedded-report", "x-ms-tnef-correlator"],
                        body: ["did not reach the following recipient", "remote server returned", "delivery has failed to these recipients",
                               "msexch:", "microsoft exchange"]),
        BounceSignature(name: "yahoo", headers: ["x-ymailisg"], from: ["mailer-daemon@yahoo", "@yahoo-inc.com"],
                        body: ["sorry, we were unable to deliver your message to the following address"]),
        BounceSignature(name: "aol", headers: ["x-aol-ip"], from: ["@aol.com"]),
        BounceSignature(name: "mail.ru", headers: ["x-mailer-daemon-recipients"], from: ["@corp.mail.ru", "@mail.ru"]),
        BounceSignature(name: "yandex", headers: ["x-yandex-front"], from: ["@yandex.ru", "@yandex.com"]),
        BounceSignature(name: "zoho", headers: ["x-zohomail"], from: ["mail.zoho.com", "@zoho.com"]),
        BounceSignature(name: "gmx", headers: ["x-gmx-antispam"], from: ["@mail.gmx.com", "@gmx.net", "@gmx.de"]),
        BounceSignature(name: "1and1", from: ["kundenserver.de", "@1and1.", "@ionos."]),
        BounceSignature(name: "sendgrid", body: ["automatically generated message from sendgrid"]),
        BounceSignature(name: "mailgun", headers: ["x-mailgun-sid"], body: ["mailgun"]),
        BounceSignature(name: "mcafee", headers: ["x-nai-header"]),
        BounceSignature(name: "barracuda", headers: ["x-barracuda-connect", "x-barracuda-bbl-ip"],
                        subject: ["**message you sent blocked by our bulk email filter**"]),
        BounceSignature(name: "messagelabs", headers: ["x-starscan-version"], from: ["messagelabs.com"]),
        BounceSignature(name: "mimecast", headers: ["x-mimecast-spam-score"], from: ["mimecast.com"]),
        BounceSignature(name: "mxlogic", headers: ["x-mx-bounce", "x-mxl-notehash"], from: ["mxlogic.net"]),
        BounceSignature(name: "surfcontrol", headers: ["x-sef-processed"], headerValues: [("x-mailer", "surfcontrol")]),
        BounceSignature(name: "m-filter", headerValues: [("x-mailer", "m-filter")]),
        BounceSignature(name: "activehunter", headers: ["x-ahmailid"]),
        BounceSignature(name: "amavis", headers: ["x-amavis-alert"], from: ["content-filter at"], body: ["amavisd-new"]),
        BounceSignature(name: "interscan-mss", from: ["interscan"], body: ["interscan"]),
        BounceSignature(name: "imail", headers: ["x-imail-threadid"], headerValues: [("x-mailer", "<smtp32")]),
        BounceSignature(name: "mailmarshal", body: ["mailmarshal"]),
        BounceSignature(name: "mailfoundry", body: ["delivery failed for the following reason:"]),
        BounceSignature(name: "lotus-domino", subject: ["delivery failure:", "delivery report (failure)"], body: ["domino directory"]),
        BounceSignature(name: "lotus-notes", body: ["------- failure reasons  --------", "lotus smtp mta"]),
        BounceSignature(name: "apache-james", body: ["error message below:"]),
        BounceSignature(name: "verizon", from: ["@vtext.com", "vzwpix.com"]),
        BounceSignature(name: "facebook", from: ["@mx.facebook.com", "@facebook.com"]),
        BounceSignature(name: "fml", headers: ["x-mlserver"]),
        BounceSignature(name: "ezweb", from: ["@ezweb.ne.jp"]),
        BounceSignature(name: "kddi", from: ["dion.ne.jp", "@au.com"]),
        BounceSignature(name: "biglobe", from: ["@biglobe.ne.jp"]),
        BounceSignature(name: "docomo", from: ["@docomo.ne.jp"]),
        BounceSignature(name: "powermta", body: ["hello, this is the mail server on", "x-powermta"]),
        BounceSignature(name: "messaging-server", subject: ["delivery notification: delivery has"],
                        body: ["this report relates to a message you sent with the following header fields"]),
        BounceSignature(name: "courier", subject: ["notice: mail delivery status"], body: ["running the courier mail server"]),
        BounceSignature(name: "opensmtpd", subject: ["delivery status notification: "],
                        body: ["this is the mailer-daemon, please do not reply"]),
        BounceSignature(name: "dragonfly", body: ["dragonfly mail agent"]),
        BounceSignature(name: "qmail", body: ["this is the qmail-send program", "hi. this is the", "--- below this line is a copy of the message"]),
        BounceSignature(name: "exim", headers: ["x-failed-recipients"],
                        body: ["this message was created automatically by mail delivery software",
                               "recipient addresses that were incorrectly constructed", "this is a copy of your message, including all the headers"]),
        BounceSignature(name: "postfix", body: ["this is the mail system at host", "this is the postfix program", "postfix smtp server"],
                        reportFields: ["x-postfix-queue-id", "x-postfix-sender"]),
        BounceSignature(name: "sendmail", subject: ["returned mail:", "warning: could not send message", "postmaster notify:"],
                        body: ["----- the following addresses had permanent fatal errors -----", "----- transcript of session follows -----",
                               "----- unsent message follows -----"]),
    ]
}
