import MailAuth
import Probes

extension SpamFamily {
    // MARK: blocklists

    static func judgeBlocklists(_ facts: Facts) -> Judgement {
        guard let scan = facts.blocklists else { return notAsked("give the sending server's address with --sending-ip") }
        let evidence = scan.results.map(\.evidenceLine)
        let listed = scan.results.filter { $0.verdict == .listed }
        let unusable = scan.results.filter { $0.verdict != .listed && $0.verdict != .notListed }
        var summaryTail = ""
        if !unusable.isEmpty {
            summaryTail = " \(unusable.count) list\(unusable.count == 1 ? "" : "s") could not be used (see the evidence)."
        }
        guard !listed.isEmpty else {
            let usable = scan.results.count - unusable.count
            if usable == 0 {
                return Judgement(.inconclusive, evidence: evidence + ["No list gave a usable answer, so nothing can be said about \(scan.address)."])
            }
            let verdict = usable == 1 ? "is not on the one list that answered properly" : "is on none of the \(usable) lists that answered properly"
            return Judgement(.ruledOut, evidence: evidence + ["\(scan.address) \(verdict).\(summaryTail)"])
        }
        var remediation = [
            "Find why \(scan.address) was listed before asking for removal: a compromised account or machine, an open relay, or mail to addresses that never opted in. Lists relist quickly when the cause remains.",
        ]
        for result in listed {
            if let advice = result.list.delisting { remediation.append("\(result.list.name): \(advice)") }
        }
        if listed.contains(where: { $0.meanings.contains { $0.hasPrefix("PBL") } }) {
            remediation.append("A PBL listing means the range should not send mail directly: relay through your provider's or ISP's smarthost (port 587 with AUTH).")
        }
        let names = listed.map(\.list.name).joined(separator: ", ")
        return SMTPNodes.confirmed(.ipBlocklisted, evidence: evidence,
            summary: "\(scan.address) is listed on \(listed.count) blocklist\(listed.count == 1 ? "" : "s"): \(names).\(summaryTail)",
            remediation: remediation, stop: false)
    }

    // MARK: DKIM

    static func judgeDKIM(_ facts: Facts) -> Judgement {
        guard let dkim = facts.dkim else { return notAsked("give the sender's domain with --domain") }
        var evidence: [String] = []
        var found: [(String, DKIMKeyRecord)] = []
        var invalid: [(String, String)] = []
        var failures = 0
        for result in dkim.results {
            switch result.outcome {
            case .found(let key):
                if key.isRevoked {
                    invalid.append((result.selector, "the key is revoked (empty p=)"))
                    evidence.append("\(result.name): revoked (empty p=)")
                } else {
                    found.append((result.selector, key))
                    var line = "\(result.name): \(key.keyType)" + (key.keyBits.map { " \($0)-bit" } ?? "") + " key"
                    if !key.warnings.isEmpty { line += "; " + key.warnings.joined(separator: "; ") }
                    evidence.append(line)
                }
            case .missing:
                if !dkim.guessed { evidence.append("\(result.name): no key record") }
            case .invalid(let raw, let error):
                invalid.append((result.selector, error.message))
                evidence.append("\(result.name): invalid: \(error.message)")
                evidence.append("    \"\(SafeText.clean(String(raw.prefix(200))))\"")
            case .dnsFailure(let why):
                failures += 1
                evidence.append("\(result.name): lookup failed (\(why))")
            }
        }
        if dkim.guessed {
            evidence.append("No selector was named; tried \(dkim.results.map(\.selector).joined(separator: ", ")).")
        }
        if let (selector, reason) = invalid.first {
            return SMTPNodes.confirmed(.dkimKeyInvalid, evidence: evidence,
                summary: "The DKIM key at \(selector)._domainkey.\(dkim.domain) cannot be used: \(reason). Every signature made with this selector fails.",
                remediation: [
                    "Publish the public key exactly as your signing service gives it, as one TXT record:",
                    "    \(selector)._domainkey.\(dkim.domain). TXT \"v=DKIM1; k=rsa; p=<base64 public key, 2048 bits>\"",
                    "Long keys must be split into strings of at most 255 characters inside the one record; most DNS panels do this for you. Do not add spaces or line breaks inside p=.",
                ], stop: false)
        }
        if !found.isEmpty {
            return Judgement(.ruledOut, evidence: evidence)
        }
        if failures > 0 && failures == dkim.results.count {
            return Judgement(.inconclusive, evidence: evidence)
        }
        let selectors = dkim.results.map(\.selector)
        let summary = dkim.guessed
            ? "No DKIM key was found at any of the \(selectors.count) common selectors of \(dkim.domain). The selector in use may have another name: it is the s= of the DKIM-Signature header of a sent message."
            : "No DKIM key is published for selector\(selectors.count == 1 ? "" : "s") \(selectors.joined(separator: ", ")) of \(dkim.domain): receivers cannot verify signatures made with it."
        return SMTPNodes.confirmed(.dkimKeyMissing, severity: dkim.guessed ? .warning : .error, evidence: evidence,
            summary: summary,
            remediation: [
                "Turn on DKIM signing in the service that sends the mail; it gives a selector and a public key to publish:",
                "    \(selectors.first ?? "selector")._domainkey.\(dkim.domain). TXT \"v=DKIM1; k=rsa; p=<base64 public key>\"",
                dkim.guessed ? "Then run again with --dkim-selector NAME to check that exact key." : "Then run this check again.",
            ], stop: false)
    }

    // MARK: DMARC

    static func judgeDMARCRecord(_ facts: Facts) -> Judgement {
        guard let dmarc = facts.dmarc else { return notAsked("give the sender's domain with --domain") }
        let suggestion = "    _dmarc.\(dmarc.domain). TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@\(dmarc.domain)\""
        switch dmarc.discovery {
        case .found(let record, let name, let fallback):
            var evidence = ["\(name): \"\(SafeText.clean(String(record.raw.prefix(300))))\""]
            let publisher = fallback ? publisherDomain(name) : nil
            evidence += record.meaning(for: dmarc.domain, foundAt: publisher)
            evidence += record.warnings.map { "note: \($0)" }
            return Judgement(.ruledOut, evidence: evidence)
        case .missing(let checked):
            return SMTPNodes.confirmed(.dmarcMissing, evidence: checked.map { "\($0): no DMARC record" },
                summary: "\(dmarc.domain) has no DMARC record. Gmail, Yahoo and Microsoft require one from bulk senders, and without it nothing ties the From address to SPF or DKIM.",
                remediation: [
                    "Publish a DMARC record, starting in monitoring mode to collect reports:",
                    suggestion,
                    "Read the aggregate reports for a few weeks, then move to p=quarantine and p=reject once all your senders pass.",
                ], stop: false)
        case .multiple(let name, let count):
            return SMTPNodes.confirmed(.dmarcInvalid, evidence: ["\(name): \(count) DMARC records"],
                summary: "\(name) holds \(count) DMARC records; receivers then apply none of them (RFC 7489 6.6.3).",
                remediation: ["Keep exactly one TXT record starting with v=DMARC1 at \(name) and delete the others."], stop: false)
        case .invalid(let name, let raw, let error):
            var evidence = ["\(name): \"\(SafeText.clean(String(raw.prefix(300))))\""]
            evidence.append("invalid" + (error.tag.map { " at tag \($0)" } ?? "") + ": \(error.message)")
            return SMTPNodes.confirmed(.dmarcInvalid, evidence: evidence,
                summary: "The DMARC record at \(name) is invalid (\(error.message)); receivers ignore it, as if there were none.",
                remediation: [
                    "Fix the record; a minimal valid one is:",
                    suggestion,
                    "v=DMARC1 must come first, tags are separated by semicolons, and p= takes none, quarantine or reject.",
                ], stop: false)
        case .dnsFailure(let name, let reason):
            return Judgement(.inconclusive, evidence: ["\(name): lookup failed (\(reason))"])
        }
    }

    /// "_dmarc.example.com" -> "example.com".
    static func publisherDomain(_ recordName: String) -> String {
        recordName.lowercased().hasPrefix("_dmarc.") ? String(recordName.dropFirst(7)) : recordName
    }

    static func judgeDMARCPolicy(_ facts: Facts) -> Judgement {
        guard let dmarc = facts.dmarc, case .found(let record, let name, let fallback) = dmarc.discovery else {
            return Judgement(.skipped, evidence: ["No valid DMARC record, so no policy to judge (see the DMARC step)."])
        }
        // A record found at the organisational domain applies its sp= to this subdomain.
        let applies = fallback ? record.policy(forSubdomainThatExists: true) : record.policy
        var evidence = ["\(name): p=\(record.policy.rawValue)" + (record.subdomainPolicy.map { ", sp=\($0.rawValue)" } ?? "")
                        + (record.percent < 100 ? ", pct=\(record.percent)" : "")]
        if fallback { evidence.append("\(dmarc.domain) is a subdomain without its own record: the policy that applies to it is \(applies.rawValue)") }
        if record.aggregateReports.isEmpty { evidence.append("no rua=: the domain receives no aggregate reports, so failures go unseen") }
        guard applies == .none else { return Judgement(.ruledOut, evidence: evidence) }
        return SMTPNodes.confirmed(.dmarcPolicyNone, severity: .warning, evidence: evidence,
            summary: "The DMARC policy that applies to \(dmarc.domain) is none: it satisfies the bulk-sender minimum, but tells receivers to deliver forged mail as usual.",
            remediation: [
                "Once the aggregate reports show that all your own mail passes SPF or DKIM with alignment, tighten the policy:",
                "    \(name). TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@\(dmarc.domain)\"",
                "and later p=reject.",
            ], stop: false)
    }

    // MARK: reverse DNS, MX

    static func judgeReverseDNS(_ facts: Facts) -> Judgement {
        guard let check = facts.reverseDNS else { return notAsked("give the sending server's address with --sending-ip") }
        let result = check.result
        var evidence = result.evidence
        var heloAdvice: [String] = []
        if let helo = result.helo, !helo.matchesPTR, result.verdict != .lookupFailed {
            evidence.append(helo.notFQDN ? "The HELO name is not a fully qualified host name: many receivers reject or score that."
                                         : "The HELO name differs from the PTR name: some receivers score this as suspicious.")
            let name = result.confirmedNames.first ?? "the host name its PTR record gives"
            heloAdvice.append("Make the sending server introduce itself (HELO/EHLO) as \(name).")
        }
        switch result.verdict {
        case .confirmed:
            return Judgement(.ruledOut, evidence: evidence + heloAdvice)
        case .lookupFailed:
            return Judgement(.inconclusive, evidence: evidence)
        case .missing:
            let name = "mail.\(facts.target.domain ?? "example.com")"
            return SMTPNodes.confirmed(.ptrMissing, evidence: evidence,
                summary: "\(result.address) has no reverse DNS name. Gmail and Microsoft refuse or junk mail from addresses without a PTR record.",
                remediation: [
                    "Ask whoever owns \(result.address) (the hosting company, cloud provider or ISP; only they can) to set its PTR to a name of yours, e.g. \(name), and publish the matching forward record:",
                    "    \(result.reverseName). PTR \(name).",
                    "    \(name). \(result.address.family == .ipv4 ? "A" : "AAAA") \(result.address)",
                ] + heloAdvice, stop: false)
        case .mismatch:
            let name = result.ptrNames.first ?? "the PTR name"
            return SMTPNodes.confirmed(.fcrdnsMismatch, evidence: evidence,
                summary: "\(result.address) has the reverse name \(name), but that name does not resolve back to \(result.address): the reverse DNS is not forward-confirmed.",
                remediation: [
                    "Publish the forward record so the name leads back to the address:",
                    "    \(name). \(result.address.family == .ipv4 ? "A" : "AAAA") \(result.address)",
                    "or have the address's owner change the PTR to a name that already resolves to it.",
                ] + heloAdvice, stop: false)
        }
    }

    static func judgeMX(_ facts: Facts) -> Judgement {
        guard let check = facts.mx else { return notAsked("give the sender's domain with --domain") }
        let result = check.result
        let record = "    \(result.domain). MX 10 mail.\(result.domain)."
        switch result.verdict {
        case .present:
            return Judgement(.ruledOut, evidence: result.evidence)
        case .lookupFailed:
            return Judgement(.inconclusive, evidence: result.evidence)
        case .nullMX:
            return SMTPNodes.confirmed(.mxMissing, evidence: result.evidence,
                summary: "\(result.domain) publishes a null MX: it declares that it accepts no mail, and many receivers refuse mail from such a domain.",
                remediation: ["If the domain sends mail, replace the null MX with a real mail server:", record], stop: false)
        case .missing:
            return SMTPNodes.confirmed(.mxMissing, evidence: result.evidence,
                summary: "\(result.domain) has no MX and no address: replies and bounces cannot reach it, and receivers refuse mail from domains that cannot receive.",
                remediation: ["Publish an MX record naming a server that accepts mail for the domain:", record], stop: false)
        case .implicit:
            return SMTPNodes.confirmed(.mxMissing, severity: .warning, evidence: result.evidence,
                summary: "\(result.domain) has no MX record; mail to it falls back to the domain's own address, which is fragile and often not a mail server.",
                remediation: ["Publish an MX record naming the server that receives the domain's mail:", record], stop: false)
        }
    }

    // MARK: bulk-sender summary

    static func judgeBulkSender(_ facts: Facts) -> Judgement {
        var lines: [String] = []
        var unmet = 0
        func requirement(_ met: Bool?, _ text: String) {
            let mark: String
            switch met {
            case true?: mark = "[met]    "
            case false?: mark = "[NOT met]"; unmet += 1
            case nil: mark = "[unknown]"
            }
            lines.append("\(mark) \(text)")
        }
        let spfValid: Bool? = facts.spf.flatMap { check in
            if case .dnsFailure = check.analysis.problem { return nil }
            return check.analysis.problem == nil
        }
        if let check = facts.spf?.authorization {
            requirement(check.result == .temperror ? nil : check.result == .pass, "SPF passes for the sending address (\(check.result.rawValue))")
        } else {
            requirement(spfValid, "SPF: one valid record (give --sending-ip to test the address)")
        }
        let dkimFound: Bool? = facts.dkim.flatMap { check in
            if check.results.contains(where: { if case .found(let key) = $0.outcome { return !key.isRevoked }; return false }) { return true }
            let allFailed = !check.results.isEmpty && check.results.allSatisfy { if case .dnsFailure = $0.outcome { return true }; return false }
            return allFailed ? nil : false
        }
        requirement(dkimFound, "DKIM: a key published for the signing selector")
        var dmarcOK: Bool?
        if let dmarc = facts.dmarc {
            if case .found = dmarc.discovery { dmarcOK = true } else if case .dnsFailure = dmarc.discovery { dmarcOK = nil } else { dmarcOK = false }
        }
        requirement(dmarcOK, "DMARC: a valid record, at least p=none")
        requirement(nil, "DMARC alignment: the From domain must match the SPF or DKIM domain (needs a sent message)")
        if let reverse = facts.reverseDNS {
            requirement(reverse.result.verdict == .lookupFailed ? nil : reverse.result.verdict == .confirmed,
                        "Reverse DNS: the sending address has a forward-confirmed PTR name")
        } else {
            requirement(nil, "Reverse DNS (give --sending-ip)")
        }
        requirement(nil, "TLS on the sending connection (check the sending server's own SMTP settings)")
        requirement(nil, "One-click unsubscribe (List-Unsubscribe + List-Unsubscribe-Post) in bulk mail (needs a sent message)")
        lines.append("Applies to senders of more than about 5,000 messages a day to Gmail or Yahoo addresses; Microsoft's rules are alike. Spam-complaint rates must also stay under 0.3%.")
        return Judgement(unmet > 0 ? .confirmed : .ruledOut, evidence: lines)
    }
}
