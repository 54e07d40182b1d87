/// How many records one analysis may fetch: a tree past this size is far over
/// the lookup limit already, and the bound keeps hostile include graphs cheap.
actor SPFAnalysisBudget {
    private var remaining: Int

    init(records: Int) { remaining = records }

    func take() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// The analysis of one record and everything below it.
struct SPFNodeReport: Sendable {
    var node: SPFTreeNode
    /// Problems in tree order (this record's first, then its terms').
    var problems: [SPFProblem] = []
    var steps: [String] = []
}

extension SPFEvaluator {
    /// Walks the whole include/redirect tree of `domain` without an IP: counts
    /// DNS-querying terms per record and void lookups of targets that expand
    /// without the connection, and reports every problem found anywhere.
    /// The result is none without a record, permerror when a problem makes
    /// every check_host() fail, temperror when DNS failed, else neutral.
    public func analyze(domain: String) async -> SPFEvaluation {
        let domain = SPFDomainName.withoutTrailingDot(domain)
        let budget = SPFAnalysisBudget(records: max(50, maxLookups * 5))
        let walker = SPFTreeWalker(dns: dns, budget: budget)
        var report = await walker.walk(domain: domain, via: "root", ancestors: [SPFDomainName.key(domain)], depth: 0)
        let lookups = report.node.totalLookups
        let voids = report.node.allVoidLookups
        if lookups > maxLookups { report.problems.append(.tooManyLookups(count: lookups)) }
        if voids > maxVoidLookups { report.problems.append(.tooManyVoidLookups(count: voids)) }

        let (result, problem) = SPFEvaluator.verdict(report.problems, rootDomain: domain)
        var steps = report.steps
        steps.append("DNS-querying terms in the whole tree: \(lookups) of \(maxLookups); void lookups: \(voids) of \(maxVoidLookups)")
        for other in report.problems { steps.append("Problem: \(other.summary)") }
        steps.append("Result regardless of the connecting IP: \(result.rawValue)")
        return SPFEvaluation(result: result, problem: problem, lookups: lookups, voidLookups: voids,
                             tree: report.node, steps: steps)
    }

    /// The result every check_host() would share, and the problem behind it.
    static func verdict(_ problems: [SPFProblem], rootDomain: String) -> (SPFResult, SPFProblem?) {
        let root = SPFDomainName.key(rootDomain)
        for problem in problems {
            switch problem {
            case .noRecord(let domain) where SPFDomainName.key(domain) == root: return (.none, problem)
            case .invalidDomain(let domain) where SPFDomainName.key(domain) == root: return (.none, problem)
            default: continue
            }
        }
        if let permanent = problems.first(where: { if case .dnsFailure = $0 { return false } else { return true } }) {
            return (.permerror, permanent)
        }
        if let failure = problems.first { return (.temperror, failure) }
        return (.neutral, nil)
    }
}

extension SPFTreeNode {
    /// Void lookups of this node and all of its descendants.
    var allVoidLookups: Int { voidLookups + children.reduce(0) { $0 + $1.allVoidLookups } }
}
