/// What smtp-doctor knows of a large mail provider: its submission hosts and
/// ports, how it wants the user name and password, and its own fix for each
/// authentication cause. Facts from ../shared/FIELD-NOTES.md, in our words.
public struct Provider: Sendable, Hashable {
    public var name: String
    /// Exact host names, lower case.
    public var hosts: [String]
    /// Host name patterns: a `*` stands for one label (a region).
    public var hostPatterns: [String] = []
    /// Ports and how TLS starts on each.
    public var ports: [(port: Int, tls: TLSMode)]
    public var userName: String
    /// Provider-specific steps, by cause.
    public var steps: [Cause: [String]]
    /// Replies this provider is known for: words of its text, the cause they mean, and its fix.
    public var knownReplies: [KnownReply] = []

    public struct KnownReply: Sendable, Hashable {
        public var text: String
        public var cause: Cause
        public var step: String
    }

    public static func == (a: Provider, b: Provider) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// "587 STARTTLS, 465 implicit TLS".
    public var portSummary: String {
        ports.map { "\($0.port) \($0.tls == .implicit ? "implicit TLS" : "STARTTLS")" }.joined(separator: ", ")
    }

    func matches(_ host: String) -> Bool {
        let host = host.lowercased()
        if hosts.contains(host) { return true }
        let labels = host.split(separator: ".")
        return hostPatterns.contains { pattern in
            let parts = pattern.split(separator: ".")
            return parts.count == labels.count && zip(parts, labels).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }
}
