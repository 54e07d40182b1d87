/// Finds the DMARC record that governs mail from a domain (RFC 7489 6.6.3):
/// `_dmarc.<domain>`, then `_dmarc.<organizational domain>`.
public enum DMARCLookup {
    public static func discover(
        for domain: String, dns: any MailDNS, suffixes: PublicSuffixList = .shared, rules: DMARCRules = .rfc7489
    ) async -> DMARCDiscovery {
        let domain = DMARCAlignment.normalized(domain)
        guard !domain.isEmpty else { return .missing(checked: []) }
        let first = "_dmarc.\(domain)"
        if let decided = await ask(first, dns: dns, rules: rules, fallback: false) {
            return decided
        }
        let organization = suffixes.organizationalDomain(of: domain)
        guard organization != domain else { return .missing(checked: [first]) }
        let second = "_dmarc.\(organization)"
        if let decided = await ask(second, dns: dns, rules: rules, fallback: true) {
            return decided
        }
        return .missing(checked: [first, second])
    }

    /// The discovery's answer from one name, or nil to go on looking.
    private static func ask(_ name: String, dns: any MailDNS, rules: DMARCRules, fallback: Bool) async -> DMARCDiscovery? {
        switch await dns.txt(name) {
        case .failure(let reason):
            return .dnsFailure(name: name, reason: reason)
        case .noRecords, .nxdomain:
            return nil
        case .records(let texts):
            let candidates = texts.filter(isCandidate)
            guard let raw = candidates.first else { return nil }
            guard candidates.count == 1 else { return .multiple(name: name, count: candidates.count) }
            switch DMARCRecord.parse(raw, rules: rules) {
            case .success(let record): return .found(record: record, name: name, organizationalFallback: fallback)
            case .failure(let error): return .invalid(name: name, raw: raw, error: error)
            }
        }
    }

    /// RFC 7489 6.6.3 step 3 drops records that do not start with `v=DMARC1`.
    /// The test here is looser (spaces, letter case), so a record meant as
    /// DMARC but miswritten is reported as invalid instead of vanishing.
    static func isCandidate(_ text: String) -> Bool {
        let squeezed = text.utf8.prefix(64).filter { !DKIMTagList.isFWS($0) }
        return DKIMTagList.asciiLowercased(String(decoding: squeezed, as: UTF8.self)).hasPrefix("v=dmarc1")
    }
}
