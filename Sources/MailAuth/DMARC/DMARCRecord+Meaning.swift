extension DMARCRecord {
    /// What this record asks of receivers for mail whose From: domain is
    /// `domain`, in plain sentences. `foundAt` is where the record was found
    /// (its organizational domain, when that differs from `domain`).
    public func meaning(for domain: String, foundAt: String? = nil, suffixes: PublicSuffixList = .shared) -> [String] {
        let domain = DMARCAlignment.normalized(domain)
        let publisher = foundAt.map(DMARCAlignment.normalized) ?? domain
        let isSubdomain = publisher != domain
        let organization = suffixes.organizationalDomain(of: domain)
        var lines: [String] = []

        if isSubdomain {
            lines.append("\(domain) publishes no DMARC record of its own; the one at \(publisher) covers it as a subdomain.")
        }
        lines.append("Mail showing \(domain) in its From: line passes DMARC when DKIM or SPF passes for a matching domain.")
        switch dkimAlignment {
        case .relaxed: lines.append("DKIM matches when the signature's d= is \(organization) or any name under it (adkim=r).")
        case .strict: lines.append("DKIM matches only when the signature's d= is exactly \(domain) (adkim=s).")
        }
        switch spfAlignment {
        case .relaxed: lines.append("SPF matches when the bounce address (MAIL FROM) is at \(organization) or any name under it (aspf=r).")
        case .strict: lines.append("SPF matches only when the bounce address (MAIL FROM) is at exactly \(domain) (aspf=s).")
        }

        let applied = isSubdomain ? policy(forSubdomainThatExists: true) : policy
        lines.append(Self.consequence(of: applied, tag: isSubdomain && subdomainPolicy != nil ? "sp" : "p"))
        if percent < 100, applied != .none {
            lines.append("That applies to only \(percent)% of failing messages; the others are handled as \(applied.milder.rawValue) (pct=\(percent)).")
        }
        if testing {
            lines.append("The owner says it is testing (t=y): receivers go one step milder, \(applied.milder.rawValue).")
        }
        if !isSubdomain {
            lines.append(contentsOf: subdomainLines(domain))
        }
        lines.append(contentsOf: reportLines(domain))
        return lines
    }

    private static func consequence(of policy: DMARCPolicy, tag: String) -> String {
        switch policy {
        case .none:
            return "Failing mail is delivered as usual: the owner is only watching the reports (\(tag)=none)."
        case .quarantine:
            return "Failing mail should be treated as suspicious, usually put in the spam folder (\(tag)=quarantine)."
        case .reject:
            return "Failing mail should be refused while it is being sent, and the sender gets a bounce (\(tag)=reject)."
        }
    }

    private func subdomainLines(_ domain: String) -> [String] {
        var lines: [String] = []
        if let subdomainPolicy, subdomainPolicy != policy {
            lines.append("Mail from subdomains such as mail.\(domain) without their own record is handled as \(subdomainPolicy.rawValue) instead (sp=\(subdomainPolicy.rawValue)).")
        } else {
            lines.append("Mail from subdomains such as mail.\(domain) without their own record is handled the same way.")
        }
        if let nonexistentSubdomainPolicy {
            lines.append("Mail from subdomains that do not exist in DNS is handled as \(nonexistentSubdomainPolicy.rawValue) (np=\(nonexistentSubdomainPolicy.rawValue)).")
        }
        return lines
    }

    private func reportLines(_ domain: String) -> [String] {
        var lines: [String] = []
        if aggregateReports.isEmpty {
            lines.append("Nobody receives reports about mail sent as \(domain) (no rua=).")
        } else {
            let hours = max(1, (reportInterval + 1800) / 3600)
            let every = hours == 24 ? "daily" : hours == 1 ? "hourly" : "every \(hours) hours"
            lines.append("Receivers send \(every) summaries of who sent mail as \(domain), and whether it passed, to \(aggregateReports.joined(separator: ", ")).")
        }
        if !failureReports.isEmpty {
            lines.append("Reports on single failing messages go to \(failureReports.joined(separator: ", ")); few receivers send them.")
        }
        return lines
    }
}
