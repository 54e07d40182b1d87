import Foundation
import FuzzSupport
import Inet
@testable import MailAuth

/// A zone written by the input, answering like the RFC 7208 suite's driver:
/// an absent name is NXDOMAIN, TIMEOUT fails every type after it, CNAMEs are
/// followed (at most 8). It counts the queries it is asked.
///
///     <client IP> <MAIL FROM> <HELO>          first line
///     <name> TXT|A|AAAA|MX|PTR|CNAME|TIMEOUT [data]   then one record per line
///
/// MX data is "<preference> <host>"; a PTR's name is the reverse name.
final class FuzzZone: MailDNS, @unchecked Sendable {
    enum Record { case a(IPAddress), aaaa(IPAddress), mx(MXRecord), txt(String), ptr(String), cname(String), timeout }

    let names: [String: [Record]]
    private let lock = NSLock()
    private var asked = 0

    var queries: Int { lock.withLock { asked } }

    init(lines: ArraySlice<Substring>) {
        var names: [String: [Record]] = [:]
        for line in lines.prefix(400) {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2 else { continue }
            let data = parts.count > 2 ? String(parts[2]) : ""
            let record: Record?
            switch parts[1].uppercased() {
            case "TXT", "SPF": record = .txt(data)
            case "A": record = IPAddress(data).flatMap { $0.family == .ipv4 ? .a($0) : nil }
            case "AAAA": record = IPAddress(data).flatMap { $0.family == .ipv6 ? .aaaa($0) : nil }
            case "MX":
                let mx = data.split(separator: " ", maxSplits: 1)
                record = mx.count == 2 ? Int(mx[0]).map { .mx(MXRecord(preference: $0, exchange: String(mx[1]))) } : nil
            case "PTR": record = .ptr(data)
            case "CNAME": record = .cname(data)
            case "TIMEOUT": record = .timeout
            default: record = nil
            }
            if let record { names[Self.key(String(parts[0])), default: []].append(record) }
        }
        self.names = names
    }

    static func key(_ name: String) -> String { (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased() }

    func txt(_ name: String) async -> DNSAnswer<String> {
        answer(name) { if case .txt(let text) = $0 { return text } else { return nil } }
    }

    func addresses(_ name: String, family: IPAddress.Family) async -> DNSAnswer<IPAddress> {
        answer(name) { record in
            switch record {
            case .a(let address) where family == .ipv4: return address
            case .aaaa(let address) where family == .ipv6: return address
            default: return nil
            }
        }
    }

    func mx(_ name: String) async -> DNSAnswer<MXRecord> {
        answer(name) { if case .mx(let record) = $0 { return record } else { return nil } }
    }

    func ptr(_ address: IPAddress) async -> DNSAnswer<String> {
        answer(address.reverseName) { if case .ptr(let name) = $0 { return name } else { return nil } }
    }

    private func answer<Value>(_ name: String, hops: Int = 0, _ pick: (Record) -> Value?) -> DNSAnswer<Value> {
        if hops == 0 { lock.withLock { asked += 1 } }
        guard let records = names[Self.key(name)] else { return .nxdomain }
        var found: [Value] = []
        for record in records {
            switch record {
            case .timeout:
                return found.isEmpty ? .failure("timeout (fuzz zone)") : .records(found)
            case .cname(let target):
                guard hops < 8 else { return .failure("CNAME chain too long (fuzz zone)") }
                return answer(target, hops: hops + 1, pick)
            default:
                if let value = pick(record) { found.append(value) }
            }
        }
        return found.isEmpty ? .noRecords : .records(found)
    }
}

/// Most DNS queries one SPF check may cause: 10 DNS-querying terms (RFC 7208
/// 4.6.4), each an mx or ptr with at most 10 names looked up in both families
/// (4.6.4, 5.4, 5.5), the record fetches of includes and redirect, and the
/// explanation. Far above what any check needs; a missing limit blows it.
let queryBound = 1 + 10 * (2 + 10 * 2) + 2

/// check_host() for the identity of the first line, and the whole-tree
/// analysis of its domain, over the zone of the following lines: both end,
/// count lookups within RFC 7208's limits (one over: the term that broke
/// them), and ask DNS a bounded number of times.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPFEval(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let lines = FuzzInput(data, size).text.split(separator: "\n")
    guard let first = lines.first else { return 0 }
    let head = first.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard head.count >= 2, let ip = IPAddress(head[0]) else { return 0 }
    let mailFrom = head[1], helo = head.count > 2 ? head[2] : "helo.example.test"
    let zone = FuzzZone(lines: lines.dropFirst())
    let evaluator = SPFEvaluator(dns: zone, now: { 1_700_000_000 })
    let checked = blocking { await evaluator.checkMailFrom(ip: ip, mailFrom: mailFrom, helo: helo) }
    require(checked.lookups <= evaluator.maxLookups + 1, "\(checked.lookups) DNS-querying terms counted")
    require(checked.voidLookups <= evaluator.maxVoidLookups + 1, "\(checked.voidLookups) void lookups counted")
    require(zone.queries <= queryBound, "check_host() asked DNS \(zone.queries) times")
    _ = checked.tree.renderedLines()
    let domain = mailFrom.split(separator: "@").last.map(String.init) ?? mailFrom
    let before = zone.queries
    let analysed = blocking { await evaluator.analyze(domain: domain) }
    _ = analysed.tree.renderedLines()
    // The analysis walks the whole tree (every include, not only the first
    // match) and goes on past the limits to show them, but stays bounded.
    require(zone.queries - before <= 4 * queryBound, "the analysis asked DNS \(zone.queries - before) times")
    return 0
}

@_cdecl("fuzz_spf_eval_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSPFEval)
}
