/// What asking DNS for a domain's SPF record gave (RFC 7208 4.4, 4.5).
enum SPFRecordLookup: Sendable, Hashable {
    /// Exactly one `v=spf1` record.
    case found(String)
    /// No SPF record; the text says why (NXDOMAIN, no TXT, no `v=spf1` among
    /// them). `isVoid`: the TXT query itself found nothing (RFC 7208 4.6.4).
    case none(String, isVoid: Bool)
    /// More than one `v=spf1` record: permerror.
    case multiple(Int)
    /// Timeout or server failure: temperror.
    case failure(String)

    /// Fetches TXT records and keeps those that begin with `v=spf1` (type SPF
    /// records are no longer consulted, RFC 7208 3.1).
    static func fetch(_ domain: String, dns: any MailDNS) async -> SPFRecordLookup {
        switch await dns.txt(domain) {
        case .failure(let reason):
            return .failure(reason)
        case .nxdomain:
            return .none("the domain does not exist (NXDOMAIN)", isVoid: true)
        case .noRecords:
            return .none("the domain has no TXT records", isVoid: true)
        case .records(let texts):
            let records = texts.filter(SPFRecord.isSPFRecord)
            switch records.count {
            case 0: return .none("none of its \(texts.count) TXT record(s) starts with v=spf1", isVoid: false)
            case 1: return .found(records[0])
            default: return .multiple(records.count)
            }
        }
    }
}
