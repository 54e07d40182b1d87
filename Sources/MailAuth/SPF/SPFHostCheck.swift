import Inet

/// One run of check_host() (RFC 7208 section 4): the counters and reasoning
/// shared by the record it starts from and every record it includes or
/// redirects to. A value type driven by the async evaluator; DNS is the only I/O.
struct SPFHostCheck {
    let dns: any MailDNS
    let maxLookups: Int
    let maxVoidLookups: Int
    /// Macro values; `domain` is set per record when expanding.
    let values: SPFMacroValues
    private(set) var lookups = 0
    private(set) var voidLookups = 0
    private(set) var steps: [String] = []
    /// `%{p}` per domain (RFC 7208 7.3), looked up at most once.
    var validatedNames: [String: String?] = [:]

    init(dns: any MailDNS, maxLookups: Int, maxVoidLookups: Int, values: SPFMacroValues) {
        self.dns = dns
        self.maxLookups = maxLookups
        self.maxVoidLookups = maxVoidLookups
        self.values = values
    }

    struct Outcome {
        var result: SPFResult
        var problem: SPFProblem?
        var matched: String?
        var explanation: String?
        var node: SPFTreeNode
    }

    mutating func log(_ depth: Int, _ text: String) {
        steps.append(String(repeating: "  ", count: max(0, depth)) + text)
    }

    /// check_host() for `domain`. `chain` holds the keys of the domains being
    /// evaluated above this one, for loop detection.
    mutating func run(domain: String, via: String, chain: [String], wantExplanation: Bool) async -> Outcome {
        var node = SPFTreeNode(domain: domain, via: via)
        var outcome = await evaluate(domain: domain, chain: chain, wantExplanation: wantExplanation, node: &node)
        node.updateTotal()
        outcome.node = node
        return outcome
    }

    private mutating func evaluate(domain: String, chain: [String], wantExplanation: Bool,
                                   node: inout SPFTreeNode) async -> Outcome {
        let depth = chain.count - 1
        func outcome(_ result: SPFResult, _ problem: SPFProblem? = nil, matched: String? = nil) -> Outcome {
            Outcome(result: result, problem: problem, matched: matched, explanation: nil, node: node)
        }
        func stop(_ result: SPFResult, _ problem: SPFProblem, _ line: String) -> Outcome {
            log(depth, line)
            node.addNote(problem.summary)
            return outcome(result, problem)
        }
        guard SPFDomainName.isCheckable(domain) else {
            return stop(.none, .invalidDomain(domain), "\(domain) is not a multi-label domain name SPF can check (RFC 7208 4.3): none")
        }
        let text: String
        switch await SPFRecordLookup.fetch(domain, dns: dns) {
        case .failure(let reason):
            return stop(.temperror, .dnsFailure(name: domain, reason: reason), "TXT lookup for \(domain) failed (\(reason)): temperror")
        case .none(let why, let isVoid):
            if isVoid, depth > 0 {
                // An include/redirect target that does not answer is a void lookup too;
                // the permerror that follows names the missing record instead of the count.
                voidLookups += 1
                node.voidLookups += 1
            }
            return stop(.none, .noRecord(domain: domain), "\(domain) has no SPF record: \(why)")
        case .multiple(let count):
            return stop(.permerror, .multipleRecords(domain: domain, count: count),
                        "\(domain) has \(count) SPF records; exactly one is allowed (RFC 7208 4.5): permerror")
        case .found(let found):
            text = found
        }
        node.record = text
        log(depth, "\(domain): \"\(text)\"")
        let record: SPFRecord
        switch SPFRecord.parse(text) {
        case .failure(let error):
            return stop(.permerror, .syntax(domain: domain, record: text, error: error),
                        "syntax error at character \(error.position + 1) in \"\(error.term)\": \(error.message): permerror")
        case .success(let parsed):
            record = parsed
        }

        for directive in record.directives {
            if directive.mechanism.queriesDNS, let over = countLookup(directive.text, depth: depth, node: &node) {
                return outcome(.permerror, over)
            }
            let match = await self.match(directive.mechanism, text: directive.text, domain: domain,
                                         chain: chain, node: &node)
            switch match {
            case .noMatch(let why):
                log(depth, "\(directive.text): no match (\(why))")
            case .stop(let result, let problem):
                return outcome(result, problem)
            case .match(let detail), .includeMatched(let detail):
                let result = directive.qualifier.result
                let here = "\(directive.text) in \(domain)"
                var matched = here
                if case .includeMatched(let inner?) = match {
                    matched = directive.qualifier == .pass ? inner : "\(here) (\(inner))"
                }
                log(depth, "\(directive.text): match\(detail.map { " (\($0))" } ?? ""), result \(result.rawValue)")
                var found = outcome(result, matched: matched)
                if result == .fail, wantExplanation {
                    found.explanation = await explanation(record, domain: domain, depth: depth)
                }
                return found
            }
        }

        guard let redirect = record.redirect else {
            log(depth, "no mechanism matched in \(domain): neutral (RFC 7208 4.7)")
            return outcome(.neutral)
        }
        let term = "redirect=\(redirect)"
        if let over = countLookup(term, depth: depth, node: &node) { return outcome(.permerror, over) }
        let target: String
        switch await self.target(redirect, domain: domain) {
        case .name(let name):
            target = name
        case .invalid(let expanded):
            return stop(.permerror, .invalidDomain(expanded), "\(term): \"\(expanded)\" is not a valid domain name: permerror (RFC 7208 6.1)")
        }
        guard !chain.contains(SPFDomainName.key(target)) else {
            return stop(.permerror, .loop(domain: target), "\(term): \(target) is already being evaluated, a loop: permerror")
        }
        log(depth, "no mechanism matched; following \(term) to \(target)")
        let child = await run(domain: target, via: "redirect=\(target)", chain: chain + [SPFDomainName.key(target)],
                              wantExplanation: wantExplanation)
        node.children.append(child.node)
        guard child.result != .none else {
            let problem = child.problem.flatMap { if case .invalidDomain = $0 { return $0 } else { return nil } }
                ?? .includeWithoutRecord(domain: target)
            return stop(.permerror, problem, "\(term): \(target) has no SPF record, so the result is permerror (RFC 7208 6.1)")
        }
        var result = outcome(child.result, child.problem, matched: child.matched)
        result.explanation = child.explanation
        return result
    }

    /// Counts one DNS-querying term; returns the problem when over the limit.
    private mutating func countLookup(_ term: String, depth: Int, node: inout SPFTreeNode) -> SPFProblem? {
        lookups += 1
        node.lookups += 1
        guard lookups > maxLookups else { return nil }
        let problem = SPFProblem.tooManyLookups(count: lookups)
        log(depth, "\(term) would be DNS-querying term \(lookups), over the limit of \(maxLookups) (RFC 7208 4.6.4): permerror")
        node.addNote(problem.summary)
        return problem
    }

    /// Counts a lookup that found nothing; returns a stop when over the limit.
    mutating func countVoid(_ name: String, depth: Int, node: inout SPFTreeNode) -> SPFMatch? {
        voidLookups += 1
        node.voidLookups += 1
        guard voidLookups > maxVoidLookups else { return nil }
        let problem = SPFProblem.tooManyVoidLookups(count: voidLookups)
        log(depth, "the lookup of \(name) found nothing: void lookup \(voidLookups), over the limit of \(maxVoidLookups) (RFC 7208 4.6.4): permerror")
        node.addNote(problem.summary)
        return .stop(.permerror, problem)
    }

    func values(for domain: String) -> SPFMacroValues {
        var copy = values
        copy.domain = domain
        return copy
    }
}
