/// Builds DNS messages byte by byte (RFC 1035 4.1) for parser tests.
/// The question name always starts at offset 12, so `pointer(12)` names it.
struct DNSMessageBuilder {
    private(set) var bytes: [UInt8] = []

    /// Offset of the question name in every message built here.
    static let questionOffset = 12

    /// Header (QR, RD, RA set; `rcode` in the low bits) and one question.
    init(id: UInt16 = 0xBEEF, rcode: UInt8 = 0, answers: Int, question name: String, type: UInt16) {
        u16(id)
        u16(0x8180 | UInt16(rcode & 0x0f))
        u16(1)                  // QDCOUNT
        u16(UInt16(answers))    // ANCOUNT
        u16(0)                  // NSCOUNT
        u16(0)                  // ARCOUNT
        bytes += Self.name(name)
        u16(type)
        u16(1)                  // class IN
    }

    /// Where the next byte will go, for a later compression pointer.
    var offset: Int { bytes.count }

    /// One resource record: owner (already encoded), type, class IN, TTL, RDATA.
    mutating func record(owner: [UInt8], type: UInt16, ttl: UInt32 = 300, rdata: [UInt8]) {
        bytes += owner
        u16(type)
        u16(1)
        u32(ttl)
        u16(UInt16(rdata.count))
        bytes += rdata
    }

    /// A record whose owner is the question name, by compression pointer.
    mutating func answer(type: UInt16, ttl: UInt32 = 300, rdata: [UInt8]) {
        record(owner: Self.pointer(Self.questionOffset), type: type, ttl: ttl, rdata: rdata)
    }

    private mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xff)] }
    private mutating func u32(_ v: UInt32) { bytes += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    // MARK: pieces

    /// Labels then the root: `mail.example.com` -> 4 mail 7 example 3 com 0.
    static func name(_ name: String) -> [UInt8] { labels(name) + [0] }

    /// Labels without the terminating root, to be followed by a pointer.
    static func labels(_ name: String) -> [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    /// A compression pointer (two bytes, top bits 11) to `offset`.
    static func pointer(_ offset: Int) -> [UInt8] { [0xC0 | UInt8(offset >> 8), UInt8(offset & 0xff)] }

    /// TXT RDATA: each string as a length byte and its bytes.
    static func characterStrings(_ strings: [String]) -> [UInt8] {
        strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }

    // RR types (RFC 1035 3.2.2, RFC 3596).
    static let typeA: UInt16 = 1
    static let typeCNAME: UInt16 = 5
    static let typePTR: UInt16 = 12
    static let typeMX: UInt16 = 15
    static let typeTXT: UInt16 = 16
    static let typeAAAA: UInt16 = 28
}
