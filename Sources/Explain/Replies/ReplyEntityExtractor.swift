import Inet

/// Pulls addresses, domains, mailboxes, host names and blocklist zones out of
/// a reply's text, without mistaking status codes (5.7.1), versions
/// (4.16.55.1) or timestamps (12:00:59) for addresses.
enum ReplyEntityExtractor {
    private typealias B = ReplyBytes

    /// `text` is the reply as pasted (prefixes included, for host names);
    /// `cleanText` is the reply text alone, for sender-domain phrases.
    static func extract(from text: [UInt8], cleanText: [UInt8]) -> ReplyEntities {
        var entities = ReplyEntities()
        let lower = B.lowered(text)
        var taken = [Bool](repeating: false, count: text.count)   // bytes already used by a mailbox or an address

        // Mailboxes first: their domains are not reported again as domains.
        for (range, mailbox) in mailboxes(in: text) {
            for k in range { taken[k] = true }
            append(mailbox, to: &entities.mailboxes)
        }

        // Addresses.
        var ipRanges: [(range: Range<Int>, ip: String)] = []
        for (range, ip) in ipv4s(in: text, lower: lower) + ipv6s(in: text, lower: lower) where !range.contains(where: { taken[$0] }) {
            ipRanges.append((range, ip))
        }
        ipRanges.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (range, ip) in ipRanges {
            for k in range { taken[k] = true }
            append(ip, to: &entities.ips)
        }

        // Domain-like tokens: zones, hosts, links, the rest.
        for token in domainTokens(in: text) where !token.range.contains(where: { taken[$0] }) {
            let name = token.name
            if token.isURLHost { continue }
            if isZone(name, before: lower, at: token.range.lowerBound) {
                append(name, to: &entities.zones)
                continue
            }
            if let hostIP = addressAfterHost(text, token.range.upperBound), !isInsideAngleBrackets(text, token.range.lowerBound) {
                append(name, to: &entities.hosts)
                if let ip = hostIP { append(ip, to: &entities.remoteAddresses) }
                continue
            }
            if precededByHostWord(lower, token.range.lowerBound) {
                append(name, to: &entities.hosts)
                continue
            }
            if ReplyProviders.isInfrastructure(name) { continue }
            append(name, to: &entities.domains)
        }

        // "host 192.0.2.1", "SMTP Server <192.0.2.223>": the remote server named by address only.
        for (range, ip) in ipRanges where precededByHostWord(lower, range.lowerBound) {
            append(ip, to: &entities.remoteAddresses)
        }
        if let sender = senderDomain(in: cleanText) ?? senderDomain(in: text) {
            entities.senderDomain = sender
        }
        entities.merge(ReplyEntities())   // computes sendingIP and removes overlaps
        return entities
    }

    static func isLoopbackOrUnspecified(_ ip: String) -> Bool {
        guard let address = IPAddress(ip) else { return true }
        if address.family == .ipv4 { return address.bytes[0] == 127 || address.bytes[0] == 0 }
        return address.bytes.dropLast().allSatisfy { $0 == 0 } && (address.bytes.last ?? 0) <= 1
    }

    private static func append(_ value: String, to list: inout [String]) {
        let clean = SafeText.clean(value)
        if !list.contains(clean), list.count < 32 { list.append(clean) }
    }

    // MARK: - Mailboxes

    private static func isLocalPartByte(_ b: UInt8) -> Bool {
        B.isAlnum(b) || Array("!#$%&'*+/=?^_`{|}~.-".utf8).contains(b) || b >= 0x80
    }

    private static func isDomainByte(_ b: UInt8) -> Bool { B.isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") }

    static func mailboxes(in b: [UInt8]) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var i = 0
        while i < b.count {
            defer { i += 1 }
            guard b[i] == UInt8(ascii: "@"), i > 0 else { continue }
            var start = i
            if b[i - 1] == UInt8(ascii: "\"") {
                // "quoted local part"@domain
                var k = i - 2
                while k >= 0, b[k] != UInt8(ascii: "\""), i - k < 66 { k -= 1 }
                guard k >= 0, b[k] == UInt8(ascii: "\"") else { continue }
                start = k
            } else {
                while start > 0, isLocalPartByte(b[start - 1]), i - start < 64 { start -= 1 }
                while start < i, b[start] == UInt8(ascii: ".") || b[start] == UInt8(ascii: "'") { start += 1 }
            }
            guard start < i else { continue }
            var end = i + 1
            while end < b.count, isDomainByte(b[end]), end - i < 254 { end += 1 }
            while end > i + 1, b[end - 1] == UInt8(ascii: ".") || b[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = B.string(b[(i + 1)..<end]).lowercased()
            guard isHostName(domain, strictTLD: false) else { continue }
            let local = B.string(b[start..<i])
            out.append((start..<end, local + "@" + domain))
            i = end - 1
        }
        return out
    }

    // MARK: - Addresses

    static func ipv4s(in b: [UInt8], lower: [UInt8]) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var i = 0
        while i < b.count {
            guard B.isDigit(b[i]), i == 0 || !(B.isDigit(b[i - 1]) || b[i - 1] == UInt8(ascii: ".") || B.isLetter(b[i - 1])) else {
                i += 1
                continue
            }
            var j = i
            var parts = 0
            var ok = true
            while parts < 4 {
                guard let (_, end) = B.digits(b, at: j, max: 3) else { ok = false; break }
                j = end
                parts += 1
                if parts < 4 {
                    guard j < b.count, b[j] == UInt8(ascii: ".") else { ok = false; break }
                    j += 1
                }
            }
            // A fifth part, or letters glued on, means this is something else.
            if ok, j < b.count, B.isLetter(b[j]) || (b[j] == UInt8(ascii: ".") && j + 1 < b.count && B.isDigit(b[j + 1])) { ok = false }
            if ok, let address = IPAddress(B.string(b[i..<j])), address.family == .ipv4,
               !looksLikeStatusSuffix(b, lower, i) {
                out.append((i..<j, address.description))
                i = j
                continue
            }
            // Skip the rest of this number run.
            while i < b.count, B.isDigit(b[i]) || b[i] == UInt8(ascii: ".") { i += 1 }
        }
        return out
    }

    /// Yahoo appends sub-codes like "4.16.55.1" after its replies; an address
    /// whose first octet is a lone class digit (2, 4, 5) counts only where an
    /// address is expected: in brackets or after "ip", "from", "host", "client".
    private static func looksLikeStatusSuffix(_ b: [UInt8], _ lower: [UInt8], _ i: Int) -> Bool {
        guard i + 1 < b.count, [UInt8(ascii: "2"), UInt8(ascii: "4"), UInt8(ascii: "5")].contains(b[i]), b[i + 1] == UInt8(ascii: ".") else { return false }
        if i > 0, [UInt8(ascii: "["), UInt8(ascii: "("), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ":")].contains(b[i - 1]) { return false }
        let window = B.string(lower[max(0, i - 12)..<i])
        for word in ["ip ", "ip: ", "from ", "host ", "client ", "address "] where window.hasSuffix(word) { return false }
        return true
    }

    static func ipv6s(in b: [UInt8], lower: [UInt8]) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var i = 0
        while i < b.count {
            guard B.isHex(b[i]) || b[i] == UInt8(ascii: ":") else { i += 1; continue }
            var j = i
            var colons = 0
            while j < b.count, B.isHex(b[j]) || b[j] == UInt8(ascii: ":") || b[j] == UInt8(ascii: ".") {
                if b[j] == UInt8(ascii: ":") { colons += 1 }
                j += 1
            }
            var start = i
            // "IPv6:2001:db8::1" (Postfix and Exim write addresses this way).
            if i >= 3, B.string(lower[(i - 3)..<i]) == "ipv", j - i > 2, b[i] == UInt8(ascii: "6"), b[i + 1] == UInt8(ascii: ":") {
                start = i + 2
                colons -= 1
            } else if i > 0, B.isAlnum(b[i - 1]) || b[i - 1] == UInt8(ascii: ".") {
                i = j
                continue
            }
            var end = j
            while end > start, b[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if end > start, b[end - 1] == UInt8(ascii: ":"), !(end - 2 >= start && b[end - 2] == UInt8(ascii: ":")) { end -= 1 }
            let followedByWord = j < b.count && B.isLetter(b[j])
            if colons >= 2, !followedByWord, end > start,
               let address = IPAddress(B.string(b[start..<end])), address.family == .ipv6, address.description != "::" {
                out.append((start..<end, address.description))
            }
            i = max(j, i + 1)
        }
        return out
    }

    // MARK: - Domain names

    struct DomainToken {
        var range: Range<Int>
        var name: String
        var isURLHost: Bool
    }

    static func domainTokens(in b: [UInt8]) -> [DomainToken] {
        var out: [DomainToken] = []
        var i = 0
        while i < b.count {
            guard B.isAlnum(b[i]) else { i += 1; continue }
            if i > 0, isDomainByte(b[i - 1]) || b[i - 1] == UInt8(ascii: "_") || b[i - 1] == UInt8(ascii: "@") || b[i - 1] >= 0x80 {
                i += 1
                continue
            }
            var j = i
            while j < b.count, isDomainByte(b[j]) { j += 1 }
            var end = j
            while end > i, b[end - 1] == UInt8(ascii: ".") || b[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let gluedToWord = j < b.count && (b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: "@") || b[j] >= 0x80)
            let name = B.string(b[i..<end]).lowercased()
            if !gluedToWord, end - i <= 253, isHostName(name, strictTLD: true) {
                let url = i >= 2 && b[i - 1] == UInt8(ascii: "/") && b[i - 2] == UInt8(ascii: "/")
                out.append(DomainToken(range: i..<end, name: name, isURLHost: url))
            }
            i = j
        }
        return out
    }

    /// Two or more labels of letters, digits and hyphens, ending in a real
    /// top-level domain (with `strictTLD`, from a fixed list, so that
    /// "STOREDRV.Deliver" or "RESOLVER.ADR.RecipNotFound" are not domains).
    static func isHostName(_ name: String, strictTLD: Bool) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, name.utf8.count <= 253 else { return false }
        for label in labels {
            guard (1...63).contains(label.utf8.count), label.utf8.first != UInt8(ascii: "-"), label.utf8.last != UInt8(ascii: "-"),
                  label.utf8.allSatisfy({ B.isAlnum($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        let tld = String(labels.last!)
        if tld.hasPrefix("xn--") { return true }
        guard tld.utf8.allSatisfy(B.isLetter), tld.utf8.count >= 2 else { return false }
        guard strictTLD else { return true }
        return tld.utf8.count == 2 ? countryCodes.contains(tld) : genericTLDs.contains(tld)
    }

    /// `name[192.0.2.1]`, `name [192.0.2.1]`, `name (192.0.2.1)`, `name:[192.0.2.1]`:
    /// the token is a host; returns the address when it parses (`[#.#.#.#]` is
    /// an anonymised one, still a host).
    private static func addressAfterHost(_ b: [UInt8], _ end: Int) -> String?? {
        var k = end
        if k < b.count, b[k] == UInt8(ascii: ":") { k += 1 }
        if k < b.count, b[k] == UInt8(ascii: " ") { k += 1 }
        guard k < b.count, b[k] == UInt8(ascii: "[") || b[k] == UInt8(ascii: "(") else { return nil }
        let close = b[k] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")
        var m = k + 1
        while m < b.count, m - k < 60, b[m] != close { m += 1 }
        guard m < b.count, b[m] == close else { return nil }
        var inner = B.string(b[(k + 1)..<m])
        if inner.lowercased().hasPrefix("ipv6:") { inner = String(inner.dropFirst(5)) }
        if let ip = IPAddress(inner) { return .some(ip.description) }
        if inner.allSatisfy({ $0 == "#" || $0 == "." }) && !inner.isEmpty { return .some(nil) }
        return nil
    }

    /// Postfix writes the *client* as `<name[ip]>` in "Client host rejected".
    private static func isInsideAngleBrackets(_ b: [UInt8], _ start: Int) -> Bool {
        start > 0 && b[start - 1] == UInt8(ascii: "<")
    }

    private static func precededByHostWord(_ lower: [UInt8], _ start: Int) -> Bool {
        let window = B.string(lower[max(0, start - 16)..<start])
        for word in ["host ", "host: ", "smtp server <", "remote-mta: dns; ", "remote-mta: dns;", "relay=", "server ", "connect to "] where window.hasSuffix(word) {
            if word == "host " && (window.hasSuffix("client host ") || window.hasSuffix("sending host ")) { return false }
            return true
        }
        return false
    }

    // MARK: - Blocklist zones

    static func isZone(_ name: String, before lower: [UInt8], at start: Int) -> Bool {
        if knownZones.contains(name) { return true }
        for suffix in zoneSuffixes where name.hasSuffix(suffix) {
            let first = name.split(separator: ".").first.map(String.init) ?? ""
            if !["www", "check", "portal", "docs", "blog", "status", "lookup", "mxtoolbox"].contains(first) { return true }
        }
        let window = B.string(lower[max(0, start - 14)..<start])
        for phrase in ["blocked using ", "listed in ", "listed on ", "listed at ", "listed by ", "rbl ", "dnsbl ", "blacklisted by ", "blocklisted by ", "found in "] where window.hasSuffix(phrase) {
            return true
        }
        return false
    }

    // MARK: - Sender domain

    /// The domain a phrase names as the sender's, e.g. Gmail's
    /// "Unauthenticated email from example.com", Microsoft's
    /// "sending domain [EXAMPLE.COM]", "is not allowed to send from <example.net>".
    static func senderDomain(in b: [UInt8]) -> String? {
        let lower = B.lowered(b)
        let phrases = [
            "unauthenticated email from ", "the mail from domain [", "mail from domain [", "sending domain [", "sending domain ",
            "dmarc policy for ", "not allowed to send from <", "not allowed to send from ", "administrator of ",
            "sender domain ", "domain of sender address ", "identities failed the check in region ",
        ]
        for phrase in phrases {
            guard let at = B.find(Array(phrase.utf8), in: lower) else { continue }
            var k = at + phrase.utf8.count
            if phrase == "identities failed the check in region " {
                // "... in region US-EAST-1: sender@example.com"
                while k < b.count, b[k] != UInt8(ascii: ":"), k - at < 80 { k += 1 }
                k += 1
            }
            while k < b.count, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "<") { k += 1 }
            var end = k
            while end < b.count, isDomainByte(b[end]) || b[end] == UInt8(ascii: "@") || isLocalPartByte(b[end]) {
                if b[end] == UInt8(ascii: ">") || b[end] == UInt8(ascii: "]") { break }
                end += 1
            }
            var candidate = B.string(b[k..<end]).lowercased()
            if let atSign = candidate.lastIndex(of: "@") { candidate = String(candidate[candidate.index(after: atSign)...]) }
            while candidate.hasSuffix(".") || candidate.hasSuffix(",") || candidate.hasSuffix("'") { candidate.removeLast() }
            if isHostName(candidate, strictTLD: false) { return SafeText.clean(candidate) }
        }
        return nil
    }
}
