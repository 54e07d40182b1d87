extension ReplyCatalogue {
    /// RFC 3463 section 3.1: the class digit.
    public static let classes: [StatusPartInfo] = [
        StatusPartInfo(number: 2, title: "Success",
                       meaning: "The action worked; the rest of the code may note something that happened on the way."),
        StatusPartInfo(number: 4, title: "Temporary failure",
                       meaning: "The message itself is fine, but something on the way is not right now; trying again later may succeed."),
        StatusPartInfo(number: 5, title: "Permanent failure",
                       meaning: "Sending the same message the same way again will fail again; the message, the address or the setup must change first."),
    ]

    /// RFC 3463 section 3.2: the subject digit.
    public static let subjects: [StatusPartInfo] = [
        StatusPartInfo(number: 0, title: "Other or undefined",
                       meaning: "The server gives no area for the problem."),
        StatusPartInfo(number: 1, title: "Addressing",
                       meaning: "Something about the sender or recipient address: its spelling, its domain, or whether it exists."),
        StatusPartInfo(number: 2, title: "Mailbox",
                       meaning: "Something about the recipient's mailbox, such as being full or switched off; this is normally on the recipient's side."),
        StatusPartInfo(number: 3, title: "Mail system",
                       meaning: "Something about the receiving mail system as a whole, such as storage, size limits or maintenance."),
        StatusPartInfo(number: 4, title: "Network and routing",
                       meaning: "Something about reaching the next server: DNS, connections, time-outs or mail loops."),
        StatusPartInfo(number: 5, title: "Mail protocol",
                       meaning: "Something about the SMTP conversation itself: a command that was wrong, out of order or not supported."),
        StatusPartInfo(number: 6, title: "Message content",
                       meaning: "Something about the message's content or format, such as encoding or conversion."),
        StatusPartInfo(number: 7, title: "Security or policy",
                       meaning: "A security or policy rule: logging in, relaying permission, encryption, sender authentication (SPF, DKIM, DMARC), reputation or spam filtering."),
    ]
}
