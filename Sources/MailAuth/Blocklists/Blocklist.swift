import Inet

/// One DNS blocklist (DNSBL) zone and how to read its answers (RFC 5782).
public struct Blocklist: Sendable, Hashable, Codable {
    public var zone: String
    /// A short name for people ("Spamhaus ZEN").
    public var name: String
    /// Meanings of particular answers (last octet of 127.0.0.x), when the
    /// operator publishes them.
    public var codes: [Int: String]
    /// A line of advice on getting delisted, when known.
    public var delisting: String?

    public init(zone: String, name: String? = nil, codes: [Int: String] = [:], delisting: String? = nil) {
        self.zone = zone.lowercased().trimmingTrailingDot
        self.name = name ?? self.zone
        self.codes = codes
        self.delisting = delisting
    }

    /// The free, public IP blocklists checked when none are named. Each is
    /// queried for the address and for its two RFC 5782 test points.
    public static let defaults: [Blocklist] = [
        Blocklist(zone: "zen.spamhaus.org", name: "Spamhaus ZEN", codes: [
            2: "SBL: a known spam source or spam operation",
            3: "SBL CSS: snowshoe spam or a low-reputation sender",
            4: "XBL: the address is part of a botnet or runs malware (CBL data)",
            5: "XBL: an exploited or infected machine",
            6: "XBL: an exploited or infected machine",
            7: "XBL: an exploited or infected machine",
            9: "SBL DROP: a hijacked or criminal network",
            10: "PBL (listed by the ISP): the ISP says this range should not send mail directly",
            11: "PBL (listed by Spamhaus): a dynamic or end-user range that should not send mail directly",
        ], delisting: "Look the address up at https://check.spamhaus.org/ and follow the removal steps it gives; for a PBL listing, send through your provider's relay instead."),
        Blocklist(zone: "bl.spamcop.net", name: "SpamCop",
                  delisting: "SpamCop listings expire on their own about 24 hours after the reports stop; find and stop the source of the reports."),
        Blocklist(zone: "b.barracudacentral.org", name: "Barracuda BRBL",
                  delisting: "Request removal at https://www.barracudacentral.org/rbl/removal-request once the cause is fixed."),
        Blocklist(zone: "psbl.surriel.com", name: "PSBL",
                  delisting: "Remove the address yourself at https://psbl.org/ after fixing the cause."),
        Blocklist(zone: "dnsbl-1.uceprotect.net", name: "UCEPROTECT level 1",
                  delisting: "Level 1 listings expire after 7 days without new spam-trap hits."),
        Blocklist(zone: "bl.mailspike.net", name: "Mailspike", codes: [
            2: "listed for spam",
            10: "worst reputation (L5)",
            11: "very bad reputation (L4)",
            12: "bad reputation (L3)",
        ]),
        Blocklist(zone: "all.spamrats.com", name: "SpamRATS"),
        Blocklist(zone: "bl.spameatingmonkey.net", name: "Spam Eating Monkey"),
        Blocklist(zone: "ix.dnsbl.manitu.net", name: "NiX Spam"),
        Blocklist(zone: "dnsbl.dronebl.org", name: "DroneBL"),
        Blocklist(zone: "truncate.gbudb.net", name: "GBUdb Truncate"),
        Blocklist(zone: "db.wpbl.info", name: "WPBL"),
    ]

    /// A zone given with `--dnsbl`: known zones keep their code table.
    public static func named(_ zone: String) -> Blocklist {
        let clean = zone.lowercased().trimmingTrailingDot
        return defaults.first { $0.zone == clean } ?? Blocklist(zone: clean)
    }

    /// The name to query for `address` (reversed octets or nibbles + zone).
    public func queryName(for address: IPAddress) -> String {
        let reverse = address.reverseName
        let suffix = address.family == .ipv4 ? ".in-addr.arpa" : ".ip6.arpa"
        return String(reverse.dropLast(suffix.count)) + "." + zone
    }

    /// Checks a zone name given by a person: host-name syntax, at least two labels.
    public static func validateZone(_ zone: String) -> String? {
        let clean = zone.trimmingTrailingDot
        guard !clean.isEmpty, clean.utf8.count <= 200 else { return "a blocklist zone must be 1 to 200 characters" }
        let labels = clean.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "\"\(clean)\" is not a DNS zone (it needs at least one dot)" }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63,
                  label.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x2d || $0 == 0x5f })
            else { return "\"\(clean)\" is not a valid DNS zone name" }
        }
        return nil
    }
}

/// What one zone said about one address, with its self-test.
public struct BlocklistResult: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Codable {
        /// Listed, and the zone passed its self-test.
        case listed
        /// Not listed, and the zone passed its self-test.
        case notListed = "not-listed"
        /// The zone answers "listed" even for 127.0.0.1: it lists the world
        /// (a dead or hijacked zone). Its answer is ignored.
        case listsEverything = "lists-everything"
        /// The operator refused this resolver or its volume (127.255.255.x):
        /// no answer about the address is possible from here.
        case queryRefused = "query-refused"
        /// The zone did not list its own test entry 127.0.0.2: it is dead,
        /// unreachable or not a blocklist, so "not listed" means nothing.
        case untrustworthy
        /// The lookup failed (timeout, SERVFAIL...).
        case lookupFailed = "lookup-failed"
    }

    public var list: Blocklist
    public var queryName: String
    public var verdict: Verdict
    /// The A answers for the address (127.0.0.x).
    public var answers: [String]
    /// What the answers mean, from the operator's code table.
    public var meanings: [String]
    /// The TXT reason the zone gives, when listed.
    public var reason: String?
    /// One line on the self-test and anything odd.
    public var note: String?
    public var elapsedMs: Int

    public var evidenceLine: String {
        var line = "\(list.name) (\(list.zone)): "
        switch verdict {
        case .listed: line += "LISTED " + answers.joined(separator: ", ")
        case .notListed: line += "not listed"
        case .listsEverything: line += "ignored: the zone lists every address, even 127.0.0.1"
        case .queryRefused: line += "no answer for this resolver (" + answers.joined(separator: ", ") + ")"
        case .untrustworthy: line += "cannot vouch: the zone did not list its test entry 127.0.0.2"
        case .lookupFailed: line += "lookup failed"
        }
        if !meanings.isEmpty { line += " - " + meanings.joined(separator: "; ") }
        if let reason { line += " - \"\(reason)\"" }
        if let note { line += " (\(note))" }
        return line + " [\(elapsedMs) ms]"
    }
}

/// Queries every zone at once: the address and the two test points of each
/// zone all go out together, so 40 lists cost about one lookup's time.
public enum BlocklistCheck {
    public static func run(address: IPAddress, lists: [Blocklist], dns: any MailDNS,
                           clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) async -> [BlocklistResult] {
        // The RFC 5782 test points are IPv4; an IPv6 list (rare) is tested with ::1/::2 per 5782 too.
        await withTaskGroup(of: (Int, BlocklistResult).self) { group in
            for (index, list) in lists.enumerated() {
                group.addTask {
                    let started = clock()
                    let result = await check(address: address, list: list, dns: dns)
                    var timed = result
                    timed.elapsedMs = started.duration(to: clock()).milliseconds
                    return (index, timed)
                }
            }
            var results = [BlocklistResult?](repeating: nil, count: lists.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    static func check(address: IPAddress, list: Blocklist, dns: any MailDNS) async -> BlocklistResult {
        let mustList = testPoint(listed: true, family: address.family)
        let mustNotList = testPoint(listed: false, family: address.family)
        let name = list.queryName(for: address)
        async let asked = dns.addresses(name, family: .ipv4)
        async let positive = dns.addresses(list.queryName(for: mustList), family: .ipv4)
        async let negative = dns.addresses(list.queryName(for: mustNotList), family: .ipv4)
        let (answer, plus, minus) = await (asked, positive, negative)
        var result = BlocklistResult(list: list, queryName: name, verdict: .notListed, answers: [], meanings: [],
                                     reason: nil, note: nil, elapsedMs: 0)
        result.answers = answer.values.map(\.description)

        // The operator's "you may not ask" answers come first: they say nothing about the address.
        let refusals = (answer.values + plus.values).filter { isRefusalCode($0) }
        if !refusals.isEmpty {
            result.verdict = .queryRefused
            result.answers = Array(Set(refusals.map(\.description))).sorted()
            result.meanings = refusals.map { refusalMeaning($0) }.uniqued()
            return result
        }
        if case .failure(let why) = answer {
            result.verdict = .lookupFailed
            result.note = why
            return result
        }
        if minus.values.contains(where: isListingCode) {
            result.verdict = .listsEverything
            result.note = "the test address 127.0.0.1 came back listed as \(minus.values.map(\.description).joined(separator: ", "))"
            return result
        }
        let nonListing = answer.values.filter { !isListingCode($0) }
        if !nonListing.isEmpty {
            // An answer outside 127.0.0.0/8 is not a blocklist answer: often a
            // resolver that rewrites NXDOMAIN into an advertising page's address.
            result.verdict = .untrustworthy
            result.note = "answers outside 127.0.0.0/8 (\(nonListing.map(\.description).joined(separator: ", "))): the resolver rewrites answers"
            return result
        }
        let listed = answer.values.filter(isListingCode)
        if !listed.isEmpty {
            result.verdict = .listed
            result.meanings = listed.compactMap { list.codes[Int($0.bytes[3])] }.uniqued()
            if !plus.values.contains(where: isListingCode) {
                result.note = "the zone did not list its test entry 127.0.0.2, so treat this with care"
            }
            let txt = await dns.txt(name)
            result.reason = txt.values.first.map { String(SafeText.clean(String($0.prefix(300)))) }
            return result
        }
        if !plus.values.contains(where: isListingCode) {
            result.verdict = .untrustworthy
            switch plus {
            case .failure(let why): result.note = "test entry lookup failed: \(why)"
            default: result.note = nil
            }
        }
        return result
    }

    /// 127.0.0.2 (must be listed) or 127.0.0.1 (must not), per RFC 5782 5;
    /// for IPv6 lists ::FFFF:7F00:2 and ::FFFF:7F00:1.
    static func testPoint(listed: Bool, family: IPAddress.Family) -> IPAddress {
        let last: UInt8 = listed ? 2 : 1
        switch family {
        case .ipv4: return IPAddress(ipv4Bytes: [127, 0, 0, last])
        case .ipv6: return IPAddress(ipv6Bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x7f, 0, 0, last])
        }
    }

    /// 127.0.0.0/8 except the 127.255.255.0/24 error range.
    static func isListingCode(_ ip: IPAddress) -> Bool {
        ip.family == .ipv4 && ip.bytes[0] == 127 && !isRefusalCode(ip)
    }

    static func isRefusalCode(_ ip: IPAddress) -> Bool {
        ip.family == .ipv4 && ip.bytes[0] == 127 && ip.bytes[1] == 255 && ip.bytes[2] == 255
    }

    static func refusalMeaning(_ ip: IPAddress) -> String {
        switch ip.bytes[3] {
        case 252: return "127.255.255.252: the query was malformed"
        case 254: return "127.255.255.254: the list refuses queries from public or shared resolvers; ask through your own resolver or the operator's keyed service"
        case 255: return "127.255.255.255: too many queries from this resolver"
        default: return "\(ip): an error answer from the list operator, not a listing"
        }
    }
}

extension String {
    var trimmingTrailingDot: String { hasSuffix(".") ? String(dropLast()) : self }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
