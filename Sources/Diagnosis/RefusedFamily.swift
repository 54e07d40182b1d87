import Probes

/// The "connection refused / cannot connect" family: does the name resolve,
/// does the port answer, which SMTP ports answer, does a non-SMTP port on the
/// same host answer, and do IPv4 and IPv6 agree.
public enum RefusedFamily {
    public static let tree = TroubleshootingTree(
        symptom: .refused,
        nodes: [resolves, reachable, portClosed, smtpBlocked, portFiltered, ipv6] + SMTPNodes.all,
        healthy: healthy
    )

    static let resolves = TreeNode(
        id: "dns",
        hypothesis: "The host name does not resolve to an address",
        why: "A client cannot connect to a name it cannot turn into an IP address.",
        probe: .dns,
        judge: judgeResolution
    )

    static let reachable = TreeNode(
        id: "reach",
        hypothesis: "Nothing on the server answers at all",
        why: "If no port answers, the server is down or unreachable, whatever the port.",
        probe: .tcpConnect,
        judge: judgeReachable
    )

    static let portClosed = TreeNode(
        id: "port",
        hypothesis: "Nothing listens on the requested port",
        why: "A TCP reset means the host is up but no mail service accepts on that port.",
        probe: .tcpConnect,
        judge: judgePortClosed
    )

    static let smtpBlocked = TreeNode(
        id: "blocked",
        hypothesis: "Something between you and the server blocks SMTP",
        why: "When a web port on the same host answers and the SMTP ports do not, the block is in a firewall, not a dead server.",
        probe: .tcpConnect,
        judge: judgeSMTPBlocked
    )

    static let portFiltered = TreeNode(
        id: "filtered",
        hypothesis: "The requested port is filtered or unreachable",
        why: "Silence or an ICMP error on the port, with no other sign of the host, points at a firewall or routing.",
        probe: .tcpConnect,
        judge: judgePortFiltered
    )

    static let ipv6 = TreeNode(
        id: "ipv6",
        hypothesis: "IPv6 is broken while IPv4 works",
        why: "Many clients try IPv6 first; a dead IPv6 path makes them hang or fail although IPv4 is fine.",
        probe: .tcpConnect,
        judge: judgeIPv6
    )
}
