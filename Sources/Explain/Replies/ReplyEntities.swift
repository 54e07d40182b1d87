/// Names and numbers found in a reply's text, deduplicated, in the order they
/// first appear. Every string is safe to print (no control characters).
public struct ReplyEntities: Sendable, Codable, Equatable {
    /// Every IPv4/IPv6 address mentioned, canonical form.
    public var ips: [String] = []
    /// Blocklist (DNSBL) zones named, such as `zen.spamhaus.org`.
    public var zones: [String] = []
    /// Other domain names mentioned (not hosts, zones, web links or
    /// provider infrastructure), lowercased.
    public var domains: [String] = []
    /// Email addresses mentioned.
    public var mailboxes: [String] = []
    /// Names of the remote server that answered (`host mx.example.com[...] said:`).
    public var hosts: [String] = []
    /// Addresses given for the remote server, a subset of `ips`.
    public var remoteAddresses: [String] = []
    /// The domain the text says the mail was sent from, when it says so
    /// ("Unauthenticated email from example.com", "sending domain [X]").
    public var senderDomain: String?
    /// The address most likely to be the sender's: named in the text and
    /// not the remote server's (nor loopback).
    public var sendingIP: String?

    public init() {}

    public var isEmpty: Bool {
        ips.isEmpty && zones.isEmpty && domains.isEmpty && mailboxes.isEmpty && hosts.isEmpty
    }

    /// Adds `other`'s values after this one's, keeping first appearances.
    mutating func merge(_ other: ReplyEntities) {
        func add(_ values: [String], to list: inout [String]) {
            for value in values where !list.contains(value) { list.append(value) }
        }
        add(other.ips, to: &ips)
        add(other.zones, to: &zones)
        add(other.domains, to: &domains)
        add(other.mailboxes, to: &mailboxes)
        add(other.hosts, to: &hosts)
        add(other.remoteAddresses, to: &remoteAddresses)
        senderDomain = senderDomain ?? other.senderDomain
        domains.removeAll { hosts.contains($0) || zones.contains($0) }
        sendingIP = ips.first { !remoteAddresses.contains($0) && !ReplyEntityExtractor.isLoopbackOrUnspecified($0) }
    }
}
