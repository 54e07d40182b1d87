import Inet

extension SPFTreeNode {
    /// The record tree as indented lines for a person: each record, what it
    /// costs in DNS lookups, and what it says. At most `limit` lines.
    public func renderedLines(limit: Int = 60) -> [String] {
        var lines: [String] = []
        var cut = false
        func walk(_ node: SPFTreeNode, _ depth: Int) {
            guard lines.count < limit else { cut = true; return }
            let indent = String(repeating: "  ", count: depth)
            let head = depth == 0 ? node.domain : "- \(node.via)"
            var line = "\(indent)\(head): \(node.lookups) lookup\(node.lookups == 1 ? "" : "s")"
            if !node.children.isEmpty || depth == 0 { line += ", \(node.totalLookups) with everything below" }
            if node.voidLookups > 0 { line += ", \(node.voidLookups) void" }
            if let note = node.note { line += " (\(SafeText.clean(note)))" }
            lines.append(line)
            if let record = node.record, lines.count < limit {
                lines.append("\(indent)    \"\(SafeText.clean(String(record.prefix(300))))\"")
            }
            for child in node.children { walk(child, depth + 1) }
        }
        walk(self, 0)
        if cut { lines.append("(tree cut at \(limit) lines)") }
        return lines
    }
}
