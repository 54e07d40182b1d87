import Inet
import MailAuth
import Yams

/// An in-memory DNS zone that answers like the RFC 7208 suite's driver:
/// an absent name is NXDOMAIN, an absent name starting `error.` times out,
/// `TIMEOUT` times out every type with no record listed before it, and
/// CNAMEs are followed. "Timeouts" answer `.failure` at once.
struct SPFTestZone: MailDNS {
    enum Record: Sendable, Hashable {
        case a(IPAddress), aaaa(IPAddress), mx(MXRecord), txt(String), ptr(String), cname(String), timeout
    }

    private(set) var names: [String: [Record]] = [:]

    init() {}

    /// A zone from a list of (name, record) pairs, in order.
    init(_ records: [(String, Record)]) {
        for (name, record) in records { add(name, record) }
    }

    mutating func add(_ name: String, _ record: Record) {
        names[SPFTestZone.key(name), default: []].append(record)
    }

    static func key(_ name: String) -> String {
        (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
    }

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
        let key = SPFTestZone.key(name)
        guard let records = names[key] else {
            return key.hasPrefix("error.") ? .failure("timeout (test zone: error. name)") : .nxdomain
        }
        var found: [Value] = []
        for record in records {
            switch record {
            case .timeout:
                if found.isEmpty { return .failure("timeout (test zone)") }
                return .records(found)
            case .cname(let target):
                guard hops < 8 else { return .failure("CNAME chain too long (test zone)") }
                return answer(target, hops: hops + 1, pick)
            default:
                if let value = pick(record) { found.append(value) }
            }
        }
        return found.isEmpty ? .noRecords : .records(found)
    }
}

extension SPFTestZone {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// A scenario's `zonedata`. A TXT or SPF value given as a list is the
    /// strings of one record, joined; `TXT: NONE` means no TXT; `SPF:` records
    /// are served as TXT (after the name's other records, as pyspf's driver
    /// does) unless the name has TXT entries of its own.
    init(zonedata: Node) throws {
        guard let mapping = zonedata.mapping else { throw LoadError(description: "zonedata is not a mapping") }
        for (nameNode, entries) in mapping {
            guard let name = nameNode.scalar?.string, let list = entries.sequence else {
                throw LoadError(description: "bad zonedata entry \(nameNode)")
            }
            var hasTXT = false
            var spf: [String] = []
            for entry in list {
                if entry.scalar?.string == "TIMEOUT" { add(name, .timeout); continue }
                guard let pair = entry.mapping?.first, let type = pair.key.scalar?.string else {
                    throw LoadError(description: "bad record for \(name): \(entry)")
                }
                let value = pair.value
                let text = value.scalar?.string ?? ""
                switch type {
                case "A", "AAAA":
                    guard let address = IPAddress(text) else { throw LoadError(description: "bad address \(text)") }
                    add(name, type == "A" ? .a(address) : .aaaa(address))
                case "MX":
                    guard let parts = value.sequence, parts.count == 2, let preference = Int(parts[0].scalar?.string ?? ""),
                          let host = parts[1].scalar?.string else { throw LoadError(description: "bad MX for \(name)") }
                    add(name, .mx(MXRecord(preference: preference, exchange: host)))
                case "PTR":
                    add(name, .ptr(text))
                case "CNAME":
                    add(name, .cname(text))
                case "TXT":
                    hasTXT = true
                    if value.scalar?.string != "NONE" { add(name, .txt(SPFTestZone.strings(value))) }
                case "SPF":
                    spf.append(SPFTestZone.strings(value))
                default:
                    throw LoadError(description: "unknown record type \(type) for \(name)")
                }
            }
            if !hasTXT { for record in spf { add(name, .txt(record)) } }
        }
    }

    private static func strings(_ value: Node) -> String {
        if let list = value.sequence { return list.compactMap { $0.scalar?.string }.joined() }
        return value.scalar?.string ?? ""
    }
}
