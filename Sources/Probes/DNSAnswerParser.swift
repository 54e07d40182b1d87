import CAres
import Foundation

/// Turns c-ares's status and raw answer into a typed `DNSOutcome`, using
/// c-ares's own parsers for the rdata. Pure: no channel, no sockets.
public enum DNSAnswerParser {
    public static func outcome(status: Int32, type: DNSRecordType, buffer: UnsafePointer<UInt8>?, length: Int32) -> DNSOutcome {
        switch status {
        case ARES_SUCCESS: break
        case ARES_ENODATA: return .noData
        case ARES_ENOTFOUND: return .nxdomain
        case ARES_ESERVFAIL: return .serverFailure
        case ARES_EREFUSED: return .refused
        case ARES_ETIMEOUT: return .timeout
        case ARES_ECONNREFUSED: return .serverUnreachable
        case ARES_EBADRESP, ARES_EFORMERR: return .malformed(String(cString: ares_strerror(status)))
        default: return .failure(String(cString: ares_strerror(status)))
        }
        guard let buffer, length > 0 else { return .malformed("empty answer") }
        let parsed = parse(type: type, buffer: buffer, length: length)
        // Only a CNAME came back (an authoritative server does not chase names
        // outside its zones): the resolver asks again at the target.
        if parsed == .noData, let target = cnameTarget(buffer: buffer, length: length) {
            return .cname(target)
        }
        return parsed
    }

    /// The last CNAME target in the answer section, when there is one.
    static func cnameTarget(buffer: UnsafePointer<UInt8>, length: Int32) -> String? {
        let count = Int(length)
        guard count >= 12 else { return nil }
        func u16(_ at: Int) -> Int? { at + 1 < count ? Int(buffer[at]) << 8 | Int(buffer[at + 1]) : nil }
        func skipName(_ at: Int) -> Int? {
            var name: UnsafeMutablePointer<CChar>?
            var used = 0
            guard at < count, ares_expand_name(buffer + at, buffer, length, &name, &used) == ARES_SUCCESS else { return nil }
            ares_free_string(name)
            return at + used
        }
        guard let questions = u16(4), let answers = u16(6) else { return nil }
        var offset = 12
        for _ in 0..<min(questions, 4) {
            guard let next = skipName(offset) else { return nil }
            offset = next + 4
        }
        var target: String?
        for _ in 0..<min(answers, 64) {
            guard let afterName = skipName(offset), let rrType = u16(afterName), let rdLength = u16(afterName + 8) else { break }
            let rdata = afterName + 10
            guard rdata + rdLength <= count else { break }
            if rrType == 5 {
                var name: UnsafeMutablePointer<CChar>?
                var used = 0
                if ares_expand_name(buffer + rdata, buffer, length, &name, &used) == ARES_SUCCESS, let name {
                    target = String(cString: name)
                    ares_free_string(name)
                }
            }
            offset = rdata + rdLength
        }
        return target
    }

    /// Parses a whole DNS message (as received) for records of `type`.
    public static func parse(_ message: [UInt8], type: DNSRecordType) -> DNSOutcome {
        message.withUnsafeBufferPointer { raw in
            guard let base = raw.baseAddress, !raw.isEmpty else { return .malformed("empty answer") }
            return parse(type: type, buffer: base, length: Int32(raw.count))
        }
    }

    static func parse(type: DNSRecordType, buffer: UnsafePointer<UInt8>, length: Int32) -> DNSOutcome {
        switch type {
        case .a, .aaaa: return parseAddresses(type: type, buffer: buffer, length: length)
        case .mx: return parseMX(buffer: buffer, length: length)
        case .txt: return parseTXT(buffer: buffer, length: length)
        case .ptr: return parsePTR(buffer: buffer, length: length)
        }
    }

    private static func failure(_ status: Int32) -> DNSOutcome {
        status == ARES_ENODATA ? .noData : .malformed(String(cString: ares_strerror(status)))
    }

    private static func parseAddresses(type: DNSRecordType, buffer: UnsafePointer<UInt8>, length: Int32) -> DNSOutcome {
        var host: UnsafeMutablePointer<hostent>?
        var count: Int32 = 64
        var records: [DNSRecord] = []
        let status: Int32
        if type == .a {
            var ttls = [ares_addrttl](repeating: ares_addrttl(), count: Int(count))
            status = ares_parse_a_reply(buffer, length, &host, &ttls, &count)
            if status == ARES_SUCCESS {
                records = ttls.prefix(Int(count)).map { .address(IPAddress(ipv4: $0.ipaddr), ttl: Int($0.ttl)) }
            }
        } else {
            var ttls = [ares_addr6ttl](repeating: ares_addr6ttl(), count: Int(count))
            status = ares_parse_aaaa_reply(buffer, length, &host, &ttls, &count)
            if status == ARES_SUCCESS {
                records = ttls.prefix(Int(count)).map { entry in
                    var raw = entry.ip6addr
                    let six = withUnsafeBytes(of: &raw) { bytes -> in6_addr in
                        var six = in6_addr()
                        withUnsafeMutableBytes(of: &six) { $0.copyMemory(from: bytes) }
                        return six
                    }
                    return .address(IPAddress(ipv6: six), ttl: Int(entry.ttl))
                }
            }
        }
        defer { if let host { ares_free_hostent(host) } }
        guard status == ARES_SUCCESS else { return failure(status) }
        if records.isEmpty { return .noData }
        return .answer(records, canonicalName: canonicalName(host, buffer: buffer, length: length))
    }

    /// The name the answer's CNAME chain ended at, when it differs from the question.
    private static func canonicalName(_ host: UnsafeMutablePointer<hostent>?, buffer: UnsafePointer<UInt8>, length: Int32) -> String? {
        guard let host, let cname = host.pointee.h_name else { return nil }
        let canonical = String(cString: cname)
        guard let question = questionName(buffer: buffer, length: length) else { return nil }
        return canonical.lowercased() == question.lowercased() ? nil : canonical
    }

    private static func questionName(buffer: UnsafePointer<UInt8>, length: Int32) -> String? {
        guard length > 12 else { return nil }
        var name: UnsafeMutablePointer<CChar>?
        var enclen: Int = 0
        let status = ares_expand_name(buffer + 12, buffer, length, &name, &enclen)
        guard status == ARES_SUCCESS, let name else { return nil }
        defer { ares_free_string(name) }
        return String(cString: name)
    }

    private static func parseMX(buffer: UnsafePointer<UInt8>, length: Int32) -> DNSOutcome {
        var head: UnsafeMutablePointer<ares_mx_reply>?
        let status = ares_parse_mx_reply(buffer, length, &head)
        guard status == ARES_SUCCESS else { return failure(status) }
        defer { ares_free_data(head) }
        var records: [DNSRecord] = []
        var node = head
        while let current = node {
            records.append(.mx(preference: Int(current.pointee.priority), exchange: String(cString: current.pointee.host)))
            node = current.pointee.next
        }
        return records.isEmpty ? .noData : .answer(records, canonicalName: nil)
    }

    private static func parseTXT(buffer: UnsafePointer<UInt8>, length: Int32) -> DNSOutcome {
        var head: UnsafeMutablePointer<ares_txt_ext>?
        let status = ares_parse_txt_reply_ext(buffer, length, &head)
        guard status == ARES_SUCCESS else { return failure(status) }
        defer { ares_free_data(head) }
        var records: [[String]] = []
        var node = head
        while let current = node {
            let n = current.pointee
            let bytes = n.txt.map { Array(UnsafeBufferPointer(start: $0, count: n.length)) } ?? []
            let text = String(decoding: bytes, as: UTF8.self)
            if n.record_start != 0 || records.isEmpty { records.append([text]) } else { records[records.count - 1].append(text) }
            node = n.next
        }
        return records.isEmpty ? .noData : .answer(records.map { .txt(strings: $0) }, canonicalName: nil)
    }

    private static func parsePTR(buffer: UnsafePointer<UInt8>, length: Int32) -> DNSOutcome {
        var host: UnsafeMutablePointer<hostent>?
        var dummy = in_addr()
        let status = ares_parse_ptr_reply(buffer, length, &dummy, Int32(MemoryLayout<in_addr>.size), AF_INET, &host)
        guard status == ARES_SUCCESS, let host else { return failure(status) }
        defer { ares_free_hostent(host) }
        var names: [String] = []
        if let name = host.pointee.h_name { names.append(String(cString: name)) }
        if var alias = host.pointee.h_aliases {
            while let entry = alias.pointee {
                names.append(String(cString: entry))
                alias += 1
            }
        }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0.lowercased()).inserted }
        return unique.isEmpty ? .noData : .answer(unique.map { .ptr($0) }, canonicalName: nil)
    }
}
