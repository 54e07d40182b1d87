import Inet
import MailAuth
import Synchronization

/// A DNS served from memory for the record checks' unit tests. Names absent
/// are NXDOMAIN; a name in `failing` answers with a failure (as a timeout would).
final class MemoryDNS: MailDNS, @unchecked Sendable {
    var txtRecords: [String: [String]] = [:]
    var addressRecords: [String: [IPAddress]] = [:]
    var mxRecords: [String: [MXRecord]] = [:]
    var ptrRecords: [String: [String]] = [:]
    var failing: Set<String> = []
    private let asked = Mutex<[String]>([])

    var questions: [String] { asked.withLock { $0 } }

    private func answer<T>(_ name: String, _ table: [String: [T]]) -> DNSAnswer<T> {
        let key = name.lowercased()
        asked.withLock { $0.append(key) }
        if failing.contains(key) { return .failure("no answer before the deadline") }
        if let values = table[key] { return values.isEmpty ? .noRecords : .records(values) }
        let exists = txtRecords[key] != nil || addressRecords[key] != nil || mxRecords[key] != nil || ptrRecords[key] != nil
        return exists ? .noRecords : .nxdomain
    }

    func txt(_ name: String) async -> DNSAnswer<String> { answer(name, txtRecords) }
    func addresses(_ name: String, family: IPAddress.Family) async -> DNSAnswer<IPAddress> {
        let all = answer(name, addressRecords)
        guard case .records(let values) = all else { return all }
        let matching = values.filter { $0.family == family }
        return matching.isEmpty ? .noRecords : .records(matching)
    }
    func mx(_ name: String) async -> DNSAnswer<MXRecord> { answer(name, mxRecords) }
    func ptr(_ address: IPAddress) async -> DNSAnswer<String> { answer(address.reverseName, ptrRecords) }
}

