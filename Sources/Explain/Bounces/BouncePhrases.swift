/// Words in an error text that say what went wrong when no code says it
/// precisely, each with the enhanced code (RFC 3463) that means the same.
struct BouncePhrase: Sendable {
    var status: String
    var reason: String
    var phrases: [String]

    /// Checked in order: the first entry with a matching phrase wins.
    static let table: [BouncePhrase] = [
        BouncePhrase(status: "5.1.1", reason: "the mailbox does not exist", phrases: [
            "user unknown", "unknown user", "no such user", "user not found", "mailbox not found", "does not exist",
            "doesn't exist", "no mailbox", "invalid recipient", "unknown recipient", "not listed in", "no such recipient",
            "recipient not found", "account does not exist", "not a valid mailbox", "unknown address",
            "doesn't have a", "does not have an account", "bad recipient", "recipient unknown", "recipient name is not recognized",
            "no account by that name", "mailbox unavailable", "invalid mailbox", "unknown local part", "address unknown",
            "user doesn't exist", "not a known user", "no such mailbox", "address does not exist", "invalid address",
            "account is unavailable", "recipient address rejected: user unknown", "unknown or illegal alias",
            "no valid recipients", "unrouteable address", "address not found", "address couldn't be found",
            "invalid final delivery userid", "not a valid recipient", "recipient address rejected", "address rejected",
        ]),
        BouncePhrase(status: "5.1.2", reason: "the recipient's domain does not exist or has no mail server", phrases: [
            "host not found", "host unknown", "domain not found", "no mx", "name service error", "unroutable",
            "domain does not exist", "nxdomain", "couldn't find any host", "no such domain", "unknown host",
            "non-existent host", "host or domain name not found", "domain name not found", "all relevant mx records point",
            "mx record", "unknown domain", "no such host",
        ]),
        BouncePhrase(status: "5.2.2", reason: "the recipient's mailbox is full", phrases: [
            "mailbox full", "mailbox is full", "quota exceeded", "over quota", "exceeded storage", "mailbox size limit",
            "insufficient disk", "user is over", "out of space", "full mailbox", "exceeds quota", "overquota",
            "exceeded its quota", "exceed the quota", "mailbox exceeded", "storage limit", "quota exceed", "quota full",
            "mailbox has exceeded", "number of messages in recipient's mailbox exceeded", "mailfolder is full",
        ]),
        BouncePhrase(status: "5.2.1", reason: "the recipient's mailbox is disabled or suspended", phrases: [
            "account disabled", "mailbox disabled", "has been disabled", "account is disabled", "suspended",
            "inactive", "no longer active", "account is locked", "account has been locked", "account expired",
            "mailbox is inactive", "is not active", "deactivated", "disabled", "inactive email address",
        ]),
        BouncePhrase(status: "5.1.1", reason: "the mailing list (group) does not exist or does not accept posts from you", phrases: [
            "group you tried to contact", "not a member of this mailing list", "not allowed to post", "are not member",
        ]),
        BouncePhrase(status: "5.4.6", reason: "a mail loop was detected", phrases: [
            "hop count exceeded", "routing loop", "mail loop", "too many hops", "loops back to myself", "mail for loop",
        ]),
        BouncePhrase(status: "5.1.10", reason: "the recipient's domain accepts no mail (null MX)", phrases: ["null mx"]),
        BouncePhrase(status: "5.3.4", reason: "the message is too large", phrases: [
            "message too large", "message size exceeds", "too big", "message is too large", "exceeds the maximum size",
            "size limit", "message length exceeds", "mail size limit", "message exceeds", "exceeds size limit",
            "size exceeds", "message too big",
        ]),
        BouncePhrase(status: "5.7.1", reason: "the server refused to relay the message", phrases: [
            "relay access denied", "relaying denied", "relay not permitted", "not permitted to relay", "unable to relay",
            "relaying not allowed", "we do not relay", "relay denied", "not allowed to relay", "relaying mail to",
        ]),
        BouncePhrase(status: "5.7.1", reason: "the message contained a virus", phrases: ["virus", "malware", "infected"]),
        BouncePhrase(status: "5.7.26", reason: "the sender's domain failed authentication (SPF, DKIM or DMARC)", phrases: [
            "dmarc", "spf", "dkim", "unauthenticated email", "sender policy framework", "authentication checks",
        ]),
        BouncePhrase(status: "5.7.25", reason: "the sending server has no valid reverse DNS (PTR) name", phrases: [
            "reverse dns", "ptr record", "rdns", "reverse lookup", "no ptr", "reverse-dns", "reverse hostname",
            "lookup of your ip", "does not have a valid hostname", "hostname does not resolve",
        ]),
        BouncePhrase(status: "5.7.1", reason: "the message was rejected as spam", phrases: [
            "spam", "junk mail", "unsolicited", "bulk mail", "content filter", "message content rejected",
        ]),
        BouncePhrase(status: "5.7.1", reason: "the sending server or its address is blocked", phrases: [
            "blacklist", "blocklist", "block list", "black list", "dnsbl", "rbl", "listed at", "listed in", "reputation",
            "blocked", "banned", "access denied", "denied access",
        ]),
        BouncePhrase(status: "5.7.1", reason: "the message was rejected by the recipient's policy", phrases: [
            "policy", "not authorized", "not permitted", "prohibited", "rejected by", "refused", "administratively",
            "filter", "not accepted", "rejected",
        ]),
        BouncePhrase(status: "4.4.7", reason: "delivery was retried until the message expired", phrases: [
            "retry timeout exceeded", "too long in the queue", "queue too long", "message expired", "delivery time expired",
            "has been in the queue too long", "could not be delivered within", "retry time", "giving up", "expired",
            "delayed", "will retry", "still trying", "delivery failed 20 attempts", "attempts:",
        ]),
        BouncePhrase(status: "4.4.1", reason: "the recipient's server could not be reached", phrases: [
            "connection refused", "connection timed out", "network is unreachable", "no route to host",
            "connection reset", "timed out", "timeout", "could not connect", "unable to connect", "connection failed",
            "lost connection", "unreachable", "did not accept our requests to connect",
        ]),
        BouncePhrase(status: "4.3.0", reason: "the recipient's mail system had an internal error", phrases: [
            "system error", "internal error", "temporary failure", "try again later", "service unavailable",
            "local error", "temporarily", "resources", "unavailable",
        ]),
    ]

    /// The first entry whose phrase occurs in `text` (compared lowercased).
    static func match(_ text: String) -> BouncePhrase? {
        let lower = text.lowercased()
        guard !lower.isEmpty else { return nil }
        return table.first { entry in entry.phrases.contains { lower.containsBytes(of: $0) } }
    }
}
