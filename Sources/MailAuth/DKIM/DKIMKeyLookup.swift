/// Fetches DKIM key records from DNS.
public enum DKIMKeyLookup {
    /// Selectors big providers and common software use, for when no
    /// signature is at hand to name one.
    public static let commonSelectors = ["google", "selector1", "selector2", "s1", "s2", "k1", "default", "dkim", "mail"]

    /// Looks up every selector at once (TaskGroup); results in the order given.
    public static func lookup(selectors: [String], domain: String, dns: any MailDNS) async -> [DKIMSelectorResult] {
        await withTaskGroup(of: (Int, DKIMSelectorResult).self) { group in
            for (position, selector) in selectors.enumerated() {
                group.addTask { (position, await lookup(selector: selector, domain: domain, dns: dns)) }
            }
            var results = [DKIMSelectorResult?](repeating: nil, count: selectors.count)
            for await (position, result) in group {
                results[position] = result
            }
            return results.compactMap { $0 }
        }
    }

    /// Looks up one selector.
    public static func lookup(selector: String, domain: String, dns: any MailDNS) async -> DKIMSelectorResult {
        let name = "\(trimDots(selector))._domainkey.\(trimDots(domain))"
        return DKIMSelectorResult(selector: selector, name: name, outcome: outcome(of: await dns.txt(name)))
    }

    /// Judges a TXT answer. A name may carry several TXT records; RFC 6376
    /// 3.6.2.2 lets a verifier pick any, so one usable key is enough.
    static func outcome(of answer: DNSAnswer<String>) -> DKIMSelectorResult.Outcome {
        switch answer {
        case .noRecords, .nxdomain:
            return .missing
        case .failure(let reason):
            return .dnsFailure(reason)
        case .records(let texts):
            var firstError: (String, DKIMKeyError)?
            for text in texts {
                switch DKIMKeyRecord.parse(text) {
                case .success(let record):
                    return .found(record)
                case .failure(let error):
                    if firstError == nil { firstError = (text, error) }
                }
            }
            guard let (raw, error) = firstError else { return .missing }
            return .invalid(raw: raw, error: error)
        }
    }

    private static func trimDots(_ name: String) -> String {
        var text = Substring(name)
        while text.hasSuffix(".") { text = text.dropLast() }
        while text.hasPrefix(".") { text = text.dropFirst() }
        return String(text)
    }
}
