import MailAuth
import Synchronization

/// The record checks' view of DNS, served by the c-ares resolver. Keeps every
/// lookup it made, in order, as evidence ("the DNS records seen").
public final class ResolverMailDNS: MailDNS {
    public let resolver: Resolver
    private let log = Mutex<[DNSLookup]>([])
    /// Lookups kept at most, so a hostile record tree cannot grow the log without end.
    public static let logLimit = 2000

    public init(resolver: Resolver) {
        self.resolver = resolver
    }

    /// Every lookup made so far, in the order they finished.
    public var lookups: [DNSLookup] { log.withLock { $0 } }

    private func ask(_ name: String, _ type: DNSRecordType) async -> DNSLookup {
        let lookup = await resolver.lookup(name, type)
        log.withLock { if $0.count < Self.logLimit { $0.append(lookup) } }
        return lookup
    }

    public func txt(_ name: String) async -> DNSAnswer<String> {
        await answer(ask(name, .txt).outcome) { record in
            if case .txt(let strings) = record { return strings.joined() }
            return nil
        }
    }

    public func addresses(_ name: String, family: IPAddress.Family) async -> DNSAnswer<IPAddress> {
        await answer(ask(name, family == .ipv4 ? .a : .aaaa).outcome) { record in
            if case .address(let ip, _) = record, ip.family == family { return ip }
            return nil
        }
    }

    public func mx(_ name: String) async -> DNSAnswer<MXRecord> {
        await answer(ask(name, .mx).outcome) { record in
            if case .mx(let preference, let exchange) = record { return MXRecord(preference: preference, exchange: exchange) }
            return nil
        }
    }

    public func ptr(_ address: IPAddress) async -> DNSAnswer<String> {
        await answer(ask(address.reverseName, .ptr).outcome) { record in
            if case .ptr(let name) = record { return name }
            return nil
        }
    }

    private func answer<Value>(_ outcome: DNSOutcome, _ pick: (DNSRecord) -> Value?) -> DNSAnswer<Value> {
        switch outcome {
        case .answer(let records, _):
            let values = records.compactMap(pick)
            return values.isEmpty ? .noRecords : .records(values)
        case .noData: return .noRecords
        case .nxdomain: return .nxdomain
        default: return .failure(outcome.summary)
        }
    }
}
