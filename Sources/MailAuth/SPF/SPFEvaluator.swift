import Foundation
import Inet

/// Evaluates SPF (RFC 7208) over a `MailDNS`: a receiver's check of one
/// connection, or an IP-free analysis of a domain's whole record tree.
public struct SPFEvaluator: Sendable {
    public let dns: any MailDNS
    /// DNS-querying terms allowed per check (RFC 7208 4.6.4: 10).
    public let maxLookups: Int
    /// Lookups that find nothing allowed per check (RFC 7208 4.6.4: 2).
    public let maxVoidLookups: Int
    /// `%{r}` in explanations.
    public let receivingHost: String
    /// Seconds since 1970, for `%{t}`.
    public let now: @Sendable () -> Int

    public init(dns: any MailDNS, maxLookups: Int = 10, maxVoidLookups: Int = 2, receivingHost: String = "unknown",
                now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.dns = dns
        self.maxLookups = maxLookups
        self.maxVoidLookups = maxVoidLookups
        self.receivingHost = receivingHost
        self.now = now
    }

    /// RFC 7208 check_host() for one identity.
    /// - Parameters:
    ///   - ip: the client address; an IPv4-mapped IPv6 address counts as IPv4 (RFC 7208 5).
    ///   - domain: the domain whose record is evaluated first.
    ///   - sender: the identity (`local@domain`); "postmaster" stands in for a missing local-part.
    ///   - helo: the HELO/EHLO name, for `%{h}`.
    public func checkHost(ip: IPAddress, domain: String, sender: String, helo: String?) async -> SPFEvaluation {
        let ip = ip.unmappedIPv4 ?? ip
        let domain = SPFDomainName.withoutTrailingDot(domain)
        var localPart = "postmaster"
        var senderDomain = domain
        if let at = sender.lastIndex(of: "@") {
            let local = sender[..<at]
            if !local.isEmpty { localPart = String(local) }
            senderDomain = String(sender[sender.index(after: at)...])
        } else if !sender.isEmpty {
            senderDomain = sender
        }
        let values = SPFMacroValues(sender: localPart + "@" + senderDomain, localPart: localPart,
                                    senderDomain: senderDomain, domain: domain, ip: ip, helo: helo ?? "unknown",
                                    validatedName: nil, receivingHost: receivingHost, timestamp: now())
        var check = SPFHostCheck(dns: dns, maxLookups: maxLookups, maxVoidLookups: maxVoidLookups, values: values)
        check.log(0, "SPF check of \(values.sender) from \(ip), starting at \(domain)")
        let outcome = await check.run(domain: domain, via: "root", chain: [SPFDomainName.key(domain)],
                                      wantExplanation: true)
        var summary = "Result: \(outcome.result.rawValue)"
        if let matched = outcome.matched { summary += ", decided by \(matched)" }
        if let problem = outcome.problem { summary += ". \(problem.summary)" }
        check.log(0, summary)
        check.log(0, "DNS-querying terms: \(check.lookups) of \(maxLookups); void lookups: \(check.voidLookups) of \(maxVoidLookups)")
        return SPFEvaluation(result: outcome.result, explanation: outcome.explanation, problem: outcome.problem,
                             lookups: check.lookups, voidLookups: check.voidLookups, matched: outcome.matched,
                             tree: outcome.node, steps: check.steps)
    }

    /// What a receiver does at MAIL FROM (RFC 7208 2.4): the identity is the
    /// reverse-path, or `postmaster@<helo>` when it is empty (a bounce).
    /// A domain that is malformed, a single label or a literal gives none (4.3).
    public func checkMailFrom(ip: IPAddress, mailFrom: String, helo: String) async -> SPFEvaluation {
        var sender = mailFrom.trimmingCharacters(in: .whitespaces)
        if sender.hasPrefix("<"), sender.hasSuffix(">"), sender.count >= 2 { sender = String(sender.dropFirst().dropLast()) }
        if sender.isEmpty { sender = "postmaster@" + helo }
        let domain = sender.lastIndex(of: "@").map { String(sender[sender.index(after: $0)...]) } ?? sender
        return await checkHost(ip: ip, domain: domain, sender: sender, helo: helo)
    }
}
