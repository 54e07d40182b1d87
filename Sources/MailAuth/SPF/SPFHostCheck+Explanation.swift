extension SPFHostCheck {
    /// RFC 7208 6.2: the `exp=` text for a fail. Any trouble (bad target, DNS
    /// error, not exactly one TXT record, a bad explain-string) means no
    /// explanation, never a different result. Not counted as a lookup.
    mutating func explanation(_ record: SPFRecord, domain: String, depth: Int) async -> String? {
        guard let spec = record.explanation else { return nil }
        guard case .name(let target) = await target(spec, domain: domain) else {
            log(depth, "exp=\(spec) does not expand to a valid domain name; no explanation")
            return nil
        }
        let texts: [String]
        switch await dns.txt(target) {
        case .records(let records):
            texts = records
        case .failure(let reason):
            log(depth, "exp=\(target): TXT lookup failed (\(reason)); no explanation")
            return nil
        case .noRecords, .nxdomain:
            log(depth, "exp=\(target): no TXT record; no explanation")
            return nil
        }
        guard texts.count == 1 else {
            log(depth, "exp=\(target): \(texts.count) TXT records instead of one; no explanation")
            return nil
        }
        switch SPFMacroString.parse(texts[0], grammar: .explanation) {
        case .failure(let error):
            log(depth, "exp=\(target): explanation text invalid at character \(error.offset + 1) (\(error.message)); no explanation")
            return nil
        case .success(let string):
            var values = values(for: domain)
            if string.letters.contains("p") { values.validatedName = await validatedName(for: domain) }
            let text = string.expand(values)
            log(depth, "explanation from exp=\(target): \"\(text)\"")
            return text
        }
    }
}
