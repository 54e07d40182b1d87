import MailAuth
import Probes

/// The "mail goes to spam or is not delivered" family. Every record check
/// runs at once; every node reports (none stops the run), because a domain
/// can have several faults: all are findings, and the worst is the verdict.
/// Nodes are ordered worst first: a listing or an SPF fail gets mail
/// rejected outright, a missing PTR or DMARC costs reputation.
public enum SpamFamily {
    public static let tree = TroubleshootingTree(
        symptom: .spam,
        nodes: [blocklists, spfRecord, spfAuthorized, dkimKey, dmarcRecord, reverseDNS, mx, dmarcPolicy, bulkSender],
        healthy: healthy
    )

    static let blocklists = TreeNode(
        id: "blocklists",
        hypothesis: "The sending address is on a blocklist",
        why: "Receivers ask DNS blocklists about every connecting address and refuse or junk mail from listed ones.",
        probe: .blocklists, judge: judgeBlocklists)

    static let spfRecord = TreeNode(
        id: "spf-record",
        hypothesis: "The domain's SPF record is missing or broken",
        why: "Without one valid SPF record, receivers cannot tell your servers from forgers; a broken one (permerror) counts as a failure.",
        probe: .spf, judge: judgeSPFRecord)

    static let spfAuthorized = TreeNode(
        id: "spf-authorized",
        hypothesis: "SPF does not authorise the sending address",
        why: "check_host() of RFC 7208 is what the receiver runs: a fail or softfail for your own server sends mail to spam or back.",
        probe: .spf, judge: judgeSPFAuthorized)

    static let dkimKey = TreeNode(
        id: "dkim-key",
        hypothesis: "No usable DKIM key is published",
        why: "Receivers verify the DKIM signature with the public key in DNS; without it every signature fails.",
        probe: .dkim, judge: judgeDKIM)

    static let dmarcRecord = TreeNode(
        id: "dmarc-record",
        hypothesis: "The domain has no valid DMARC record",
        why: "The large mailbox providers require DMARC from bulk senders; an invalid record is treated as none.",
        probe: .dmarc, judge: judgeDMARCRecord)

    static let reverseDNS = TreeNode(
        id: "reverse-dns",
        hypothesis: "The sending address has no forward-confirmed reverse DNS",
        why: "Receivers distrust an address without a PTR name, or whose name does not lead back to it.",
        probe: .reverseDNS, judge: judgeReverseDNS)

    static let mx = TreeNode(
        id: "mx",
        hypothesis: "The sender's domain cannot receive mail (no MX)",
        why: "Many receivers refuse mail from a domain that cannot take replies and bounces.",
        probe: .mx, judge: judgeMX)

    static let dmarcPolicy = TreeNode(
        id: "dmarc-policy",
        hypothesis: "The DMARC policy only monitors (p=none)",
        why: "p=none asks receivers to do nothing with failing mail: it protects no one from forgery of the domain.",
        probe: .dmarc, judge: judgeDMARCPolicy)

    static let bulkSender = TreeNode(
        id: "bulk-sender",
        hypothesis: "The domain falls short of the large providers' bulk-sender rules",
        why: "Gmail, Yahoo and Microsoft require SPF, DKIM, DMARC, reverse DNS, TLS and one-click unsubscribe from anyone sending in bulk.",
        probe: .mx, judge: judgeBulkSender)

    static func healthy(_ facts: Facts) -> Finding {
        let failed = dnsFailures(facts)
        if !failed.isEmpty {
            return Finding(cause: .dnsFailure,
                summary: "The DNS server gave no usable answer for \(failed.count) lookup\(failed.count == 1 ? "" : "s"), so some checks could not be made.",
                evidence: failed.map(\.evidenceLine),
                remediation: [
                    "Check that the DNS server answers (dig @SERVER \(facts.target.domain ?? "example.com") TXT); a timeout or SERVFAIL here is the resolver's fault, not the domain's.",
                    "Run the check again; if only some lookups fail, the domain's authoritative servers may be unreachable.",
                ])
        }
        var checked: [String] = []
        if let domain = facts.target.domain { checked.append("SPF, DKIM, DMARC and MX of \(domain) are in order") }
        if let ip = facts.target.sendingIP {
            var parts: [String] = []
            if facts.spf?.authorization?.result == .pass { parts.append("authorised by SPF") }
            if facts.reverseDNS?.result.verdict == .confirmed { parts.append("named (forward-confirmed PTR)") }
            if let scan = facts.blocklists {
                let usable = scan.results.filter { $0.verdict == .notListed }.count
                parts.append(usable == 0 ? "not vouched for by any blocklist (none gave a usable answer)"
                                         : "on none of the \(usable) blocklist\(usable == 1 ? "" : "s") that answered")
            }
            if !parts.isEmpty { checked.append("\(ip) is " + parts.joined(separator: ", ")) }
        }
        guard !checked.isEmpty else {
            return Finding(cause: .healthy, severity: .warning, summary: "Nothing was checked: no sender domain or sending address was given.",
                           evidence: [], remediation: ["Give the domain of the From address (and the sending server's address) and run again."])
        }
        let summary = checked.joined(separator: "; ")
        return Finding(cause: .healthy, severity: .warning, summary: summary + ".",
            evidence: [],
            remediation: [
                "If mail still lands in spam, check a delivered message's headers (Authentication-Results) and its content; reputation builds over weeks of steady volume.",
            ])
    }

    /// Every lookup of the record probes that ended in a resolver failure.
    /// Blocklist lookups are left out: a list that refuses or ignores this
    /// resolver is common and is said in the blocklist step, not a DNS fault.
    static func dnsFailures(_ facts: Facts) -> [DNSLookup] {
        let all: [DNSLookup] = (facts.spf?.lookups ?? []) + (facts.dkim?.lookups ?? []) + (facts.dmarc?.lookups ?? [])
            + (facts.reverseDNS?.lookups ?? []) + (facts.mx?.lookups ?? [])
        return all.filter { $0.outcome.isResolverFailure }
    }

    static func notAsked(_ what: String) -> Judgement {
        Judgement(.skipped, evidence: ["Not checked: \(what)."])
    }
}
