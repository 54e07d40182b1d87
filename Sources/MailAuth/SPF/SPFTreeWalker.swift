/// The IP-free walk behind `SPFEvaluator.analyze`: one record, then the
/// records it includes or redirects to, fetched concurrently.
struct SPFTreeWalker: Sendable {
    let dns: any MailDNS
    let budget: SPFAnalysisBudget

    /// What one term adds to its record's report.
    private struct TermReport: Sendable {
        var lines: [String] = []
        var problems: [SPFProblem] = []
        var voids = 0
        var child: SPFNodeReport?
    }

    /// A lookup to run concurrently with the others of the same record.
    private enum Job: Sendable {
        case child(target: String, via: String)
        case addresses(target: String, term: String)
        case mx(target: String, term: String)
        case exists(target: String, term: String)
    }

    func walk(domain: String, via: String, ancestors: [String], depth: Int) async -> SPFNodeReport {
        var report = SPFNodeReport(node: SPFTreeNode(domain: domain, via: via))
        let pad = String(repeating: "  ", count: depth)
        func stop(_ problem: SPFProblem, _ line: String) -> SPFNodeReport {
            report.problems.append(problem)
            report.node.addNote(problem.summary)
            report.steps.append(pad + line)
            return report
        }
        guard SPFDomainName.isCheckable(domain) else {
            return stop(.invalidDomain(domain), "\(via): \"\(domain)\" is not a domain name SPF can check")
        }
        guard await budget.take() else {
            report.node.addNote("not fetched: the tree holds more records than one analysis reads")
            report.steps.append(pad + "\(via): not fetched, too many records in the tree")
            return report
        }
        let record: SPFRecord
        switch await SPFRecordLookup.fetch(domain, dns: dns) {
        case .failure(let reason):
            return stop(.dnsFailure(name: domain, reason: reason), "\(domain): TXT lookup failed (\(reason))")
        case .none(let why, let isVoid):
            if isVoid, depth > 0 { report.node.voidLookups = 1 }
            return stop(depth == 0 ? .noRecord(domain: domain) : .includeWithoutRecord(domain: domain),
                        "\(domain): no SPF record (\(why))")
        case .multiple(let count):
            return stop(.multipleRecords(domain: domain, count: count), "\(domain): \(count) SPF records, exactly one is allowed")
        case .found(let text):
            report.node.record = text
            switch SPFRecord.parse(text) {
            case .failure(let error):
                return stop(.syntax(domain: domain, record: text, error: error),
                            "\(domain): \"\(text)\" is invalid at character \(error.position + 1) (\(error.term)): \(error.message)")
            case .success(let parsed):
                record = parsed
            }
        }

        var terms: [TermReport] = []
        var jobs: [(Int, Job)] = []
        let directives = record.directives
        let allIndex = directives.firstIndex { if case .all = $0.mechanism { return true } else { return false } }
        let evaluated = allIndex.map { Array(directives[...$0]) } ?? directives
        for directive in evaluated {
            var term = TermReport()
            if directive.mechanism.queriesDNS { report.node.lookups += 1 }
            if let job = plan(directive.mechanism, text: directive.text, domain: domain, ancestors: ancestors,
                              term: &term, node: &report.node) {
                jobs.append((terms.count, job))
            }
            terms.append(term)
        }
        if let allIndex, allIndex + 1 < directives.count {
            report.node.addNote("terms after \(directives[allIndex].text) are never evaluated")
        }
        if let redirect = record.redirect {
            var term = TermReport()
            if allIndex != nil {
                term.lines.append("redirect=\(redirect): ignored because the record has \"all\" (RFC 7208 5.1)")
                report.node.addNote("redirect= is ignored because of all")
            } else {
                report.node.lookups += 1
                if let job = planChild(redirect, via: "redirect", domain: domain, ancestors: ancestors,
                                       term: &term, node: &report.node) {
                    jobs.append((terms.count, job))
                }
            }
            terms.append(term)
        }

        await withTaskGroup(of: (Int, TermReport).self) { group in
            for (index, job) in jobs {
                group.addTask { (index, await self.run(job, ancestors: ancestors, depth: depth + 1)) }
            }
            for await (index, done) in group {
                terms[index].lines += done.lines
                terms[index].problems += done.problems
                terms[index].voids += done.voids
                terms[index].child = done.child
            }
        }

        report.steps.append(pad + "\(domain) (\(via)): \"\(record.text)\", \(report.node.lookups) DNS-querying term(s)")
        for term in terms {
            report.steps += term.lines.map { pad + "  " + $0 }
            report.problems += term.problems
            report.node.voidLookups += term.voids
            if let child = term.child {
                report.steps += child.steps
                report.problems += child.problems
                report.node.children.append(child.node)
            }
        }
        report.node.updateTotal()
        return report
    }

    /// Decides what a mechanism needs looked up; notes what cannot be.
    private func plan(_ mechanism: SPFMechanism, text: String, domain: String, ancestors: [String],
                      term: inout TermReport, node: inout SPFTreeNode) -> Job? {
        switch mechanism {
        case .all, .ip4, .ip6:
            return nil
        case .ptr:
            term.lines.append("\(text): needs the connecting IP; counted, not resolved (RFC 7208 5.5 advises against ptr)")
            node.addNote("\(text) counted, not resolved (needs the IP)")
            return nil
        case .include(let spec):
            return planChild(spec, via: "include", domain: domain, ancestors: ancestors, term: &term, node: &node)
        case .a, .mx, .exists:
            guard let target = expandable(mechanism.domainSpec, text: text, domain: domain, term: &term, node: &node) else { return nil }
            switch mechanism {
            case .mx: return .mx(target: target, term: text)
            case .exists: return .exists(target: target, term: text)
            default: return .addresses(target: target, term: text)
            }
        }
    }

    /// An include or redirect target, unless it needs the connection, is invalid or loops.
    private func planChild(_ spec: SPFMacroString, via: String, domain: String, ancestors: [String],
                           term: inout TermReport, node: inout SPFTreeNode) -> Job? {
        let text = via == "include" ? "include:\(spec)" : "redirect=\(spec)"
        guard let target = expandable(spec, text: text, domain: domain, term: &term, node: &node) else {
            if !spec.needsConnection {
                term.problems.append(.invalidDomain(spec.expand(.domainOnly(domain))))
            }
            return nil
        }
        guard !ancestors.contains(SPFDomainName.key(target)) else {
            let problem = SPFProblem.loop(domain: target)
            term.problems.append(problem)
            term.lines.append("\(text): \(target) is already above this record, a loop")
            node.addNote(problem.summary)
            return nil
        }
        return .child(target: target, via: (via == "include" ? "include:" : "redirect=") + target)
    }

    /// The target name when it expands without the connection; otherwise nil, with a note.
    private func expandable(_ spec: SPFMacroString?, text: String, domain: String,
                            term: inout TermReport, node: inout SPFTreeNode) -> String? {
        guard let spec else { return domain }
        if spec.needsConnection {
            term.lines.append("\(text): its macros need the connection (IP, sender or HELO); counted, not resolved")
            node.addNote("\(text) counted, not resolved (macros need the connection)")
            return nil
        }
        let expanded = spec.expand(.domainOnly(domain))
        guard let target = SPFDomainName.target(fromExpanded: expanded) else {
            term.lines.append("\(text): \"\(expanded)\" is not a valid domain name")
            node.addNote("\(text) names no valid domain")
            return nil
        }
        return target
    }

    private func run(_ job: Job, ancestors: [String], depth: Int) async -> TermReport {
        var term = TermReport()
        switch job {
        case .child(let target, let via):
            term.child = await walk(domain: target, via: via, ancestors: ancestors + [SPFDomainName.key(target)], depth: depth)
        case .addresses(let target, let text):
            let v4 = await dns.addresses(target, family: .ipv4)
            let v6 = await dns.addresses(target, family: .ipv6)
            if case .failure(let reason) = v4 { term.problems.append(.dnsFailure(name: target, reason: reason)) }
            else if case .failure(let reason) = v6 { term.problems.append(.dnsFailure(name: target, reason: reason)) }
            else if v4.isVoid, v6.isVoid {
                term.voids = 1
                term.lines.append("\(text): \(target) has no A or AAAA record (a void lookup)")
            } else {
                term.lines.append("\(text): \(target) has \(v4.values.count) IPv4 and \(v6.values.count) IPv6 address(es)")
            }
        case .mx(let target, let text):
            switch await dns.mx(target) {
            case .failure(let reason):
                term.problems.append(.dnsFailure(name: target, reason: reason))
            case .noRecords, .nxdomain:
                term.voids = 1
                term.lines.append("\(text): \(target) has no MX records (a void lookup)")
            case .records(let records) where records.count > 10:
                term.problems.append(.tooManyMXRecords(domain: target, count: records.count))
                term.lines.append("\(text): \(target) has \(records.count) MX records; more than 10 is a permerror")
            case .records(let records):
                term.lines.append("\(text): \(target) has \(records.count) MX host(s)")
            }
        case .exists(let target, let text):
            switch await dns.addresses(target, family: .ipv4) {
            case .failure(let reason):
                term.problems.append(.dnsFailure(name: target, reason: reason))
            case .noRecords, .nxdomain:
                term.voids = 1
                term.lines.append("\(text): \(target) has no A record (a void lookup; never matches)")
            case .records:
                term.lines.append("\(text): \(target) exists (always matches)")
            }
        }
        return term
    }
}
