/// Plain words for RFC 3463 enhanced status codes (section 3), by subject and detail.
enum BounceStatusWords {
    static let details: [String: String] = [
        "1.1": "the mailbox does not exist",
        "1.2": "the recipient's domain does not exist or has no mail server",
        "1.3": "the recipient address is not valid",
        "1.6": "the mailbox has moved",
        "1.7": "the sender address is not valid",
        "1.8": "the sender's domain is not valid",
        "1.10": "the recipient was not found (or its domain accepts no mail)",
        "2.0": "the recipient's mailbox has a problem",
        "2.1": "the recipient's mailbox is disabled or suspended",
        "2.2": "the recipient's mailbox is full",
        "2.3": "the message is larger than the mailbox accepts",
        "2.4": "a mailing list expansion failed",
        "3.0": "the recipient's mail system has a problem",
        "3.1": "the recipient's mail system is full",
        "3.2": "the recipient's mail system is not accepting messages",
        "3.4": "the message is too large",
        "3.5": "the recipient's mail system is misconfigured",
        "4.0": "a network or routing problem",
        "4.1": "the recipient's server did not answer",
        "4.2": "the connection to the recipient's server broke",
        "4.3": "a DNS or directory lookup failed",
        "4.4": "no route to the recipient's domain",
        "4.6": "a mail loop was detected",
        "4.7": "delivery was retried until the message expired",
        "5.0": "a protocol error in the SMTP conversation",
        "5.1": "the server did not accept a command",
        "5.2": "a command had a syntax error",
        "5.3": "too many recipients",
        "6.0": "the message content was refused",
        "6.1": "the message uses a format the recipient cannot accept",
        "7.0": "the message was refused by a security policy",
        "7.1": "delivery was not authorized (policy, spam or blocklist)",
        "7.8": "authentication failed",
        "7.9": "the authentication mechanism is too weak",
        "7.23": "the sender's SPF check failed",
        "7.25": "the sending server has no valid reverse DNS (PTR) name",
        "7.26": "the sender's domain failed authentication (SPF, DKIM or DMARC)",
        "7.27": "the sender's domain accepts no mail (null MX)",
        "7.509": "the sender's domain failed DMARC",
    ]
    static let subjects: [String: String] = [
        "0": "an unspecified failure",
        "1": "an addressing problem",
        "2": "a problem with the recipient's mailbox",
        "3": "a problem with the recipient's mail system",
        "4": "a network or routing problem",
        "5": "a mail protocol problem",
        "6": "a problem with the message content",
        "7": "a security or policy refusal",
    ]

    /// Codes whose meaning is narrow enough to trust over the error text's words.
    static let precise: Set<String> = [
        "1.1", "1.2", "1.3", "1.6", "1.7", "1.8", "2.1", "2.2", "2.3", "3.4", "4.7", "7.8", "7.9",
        "7.23", "7.25", "7.26", "7.27", "7.509",
    ]

    static func isPrecise(_ status: String) -> Bool {
        let pieces = status.split(separator: ".")
        return pieces.count == 3 && precise.contains("\(pieces[1]).\(pieces[2])")
    }

    /// Words for a code such as "5.1.1"; nil for an unspecific X.0.0.
    static func words(for status: String) -> String? {
        let pieces = status.split(separator: ".")
        guard pieces.count == 3 else { return nil }
        let key = "\(pieces[1]).\(pieces[2])"
        if let detail = details[key] { return detail }
        if pieces[1] == "0" { return nil }
        return subjects[String(pieces[1])]
    }
}
