/// Splits a notification text into one block per recipient.
enum BounceTextBlocks {
    /// From the line that first names a recipient to the next line naming
    /// another one; the first block also takes the preamble.
    static func split(_ index: BounceTextIndex, candidates: [String], found: [BounceAddress.Found]) -> [BounceDraft] {
        let keys = candidates.map(BounceAddress.normalized)
        let number = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // (line, candidate) for every mention, in text order.
        var mentions: [(line: Int, candidate: Int)] = []
        var firstMention: [Int: Int] = [:]   // candidate -> position in `mentions`
        for item in found {
            guard let c = number[BounceAddress.normalized(item.address)] else { continue }
            if firstMention[c] == nil { firstMention[c] = mentions.count }
            mentions.append((index.line(of: item.offset), c))
        }
        let earliest = mentions.first?.line ?? 0
        return candidates.enumerated().map { c, address in
            guard let position = firstMention[c] else { return BounceDraft(address: address) }
            let first = mentions[position].line
            var next = position + 1
            while next < mentions.count, mentions[next].line == first || mentions[next].candidate == c { next += 1 }
            let startByte = first == earliest ? 0 : index.lineStarts[first]
            let endByte = next < mentions.count ? index.lineStarts[mentions[next].line] : index.bytes.count
            return BounceDraft(address: address, diagnostic: index.string(startByte..<endByte))
        }
    }
}
