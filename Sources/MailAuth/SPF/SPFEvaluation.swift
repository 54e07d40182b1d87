/// One record visited during an SPF check or analysis, with the records it
/// pulled in through `include:` and `redirect=`.
public struct SPFTreeNode: Sendable, Hashable, Codable {
    public var domain: String
    /// "root", "include:x" or "redirect=x".
    public var via: String
    /// The record as published; nil when none was found.
    public var record: String?
    /// DNS-querying terms (include, a, mx, ptr, exists, redirect) in this record.
    public var lookups: Int
    /// This node's lookups plus all of its descendants'.
    public var totalLookups: Int
    /// Lookups from this record that found nothing (NXDOMAIN or no records).
    public var voidLookups: Int
    /// A finding at this node, e.g. the problem that stopped it.
    public var note: String?
    public var children: [SPFTreeNode]

    public init(domain: String, via: String, record: String? = nil, lookups: Int = 0, totalLookups: Int = 0,
                voidLookups: Int = 0, note: String? = nil, children: [SPFTreeNode] = []) {
        self.domain = domain
        self.via = via
        self.record = record
        self.lookups = lookups
        self.totalLookups = totalLookups
        self.voidLookups = voidLookups
        self.note = note
        self.children = children
    }

    /// Recomputes `totalLookups` from `lookups` and the children.
    mutating func updateTotal() {
        totalLookups = lookups + children.reduce(0) { $0 + $1.totalLookups }
    }

    /// Adds a line to the note.
    mutating func addNote(_ text: String) {
        note = note.map { $0 + "; " + text } ?? text
    }
}

/// The outcome of an SPF check, with everything a support agent needs to
/// explain it.
public struct SPFEvaluation: Sendable, Hashable, Codable {
    public var result: SPFResult
    /// The `exp=` text, macro-expanded, when the result is fail and the
    /// domain publishes one (RFC 7208 6.2).
    public var explanation: String?
    public var problem: SPFProblem?
    /// DNS-querying terms evaluated (the limit is 10).
    public var lookups: Int
    /// Lookups that found nothing (the limit is 2).
    public var voidLookups: Int
    /// The term that decided, e.g. "-all in example.com".
    public var matched: String?
    public var tree: SPFTreeNode
    /// Human-readable reasoning, in order.
    public var steps: [String]

    public init(result: SPFResult, explanation: String? = nil, problem: SPFProblem? = nil, lookups: Int = 0,
                voidLookups: Int = 0, matched: String? = nil, tree: SPFTreeNode, steps: [String] = []) {
        self.result = result
        self.explanation = explanation
        self.problem = problem
        self.lookups = lookups
        self.voidLookups = voidLookups
        self.matched = matched
        self.tree = tree
        self.steps = steps
    }
}
