/// Finds mailbox addresses (RFC 5322 addr-spec, dot-atom form) in free text.
enum BounceAddress {
    struct Found {
        var address: String
        /// Byte offset of the address in the text.
        var offset: Int
    }

    static func find(in text: String, limit: Int = 4_000) -> [Found] {
        let bytes = Array(text.utf8)
        var found: [Found] = []
        var at = 0
        var resumeAt = 0
        while at < bytes.count, found.count < limit {
            guard bytes[at] == 0x40 else { at += 1; continue }
            var start = at
            while start > resumeAt, isLocalChar(bytes[start - 1]) { start -= 1 }
            while start < at, bytes[start] == 0x2E { start += 1 }   // no leading dot
            var end = at + 1
            while end < bytes.count, isDomainChar(bytes[end]) { end += 1 }
            while end > at + 1, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D { end -= 1 }
            let domain = bytes[(at + 1)..<end]
            if start < at, !domain.isEmpty, domain.contains(0x2E) || isBareHostAllowed(domain), at - start <= 128, end - at <= 256 {
                found.append(Found(address: String(decoding: bytes[start..<end], as: UTF8.self), offset: start))
                resumeAt = end
                at = end
            } else {
                at += 1
            }
        }
        return found
    }

    /// Addresses in a header value such as `"Name" <a@b>, c@d`.
    static func inHeader(_ value: String?) -> [String] {
        guard let value else { return [] }
        return find(in: value, limit: 100).map(\.address)
    }

    static func normalized(_ address: String) -> String { address.lowercased() }

    private static func isLocalChar(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || "._%+-!#$&'*^`{|}~".utf8.contains(b)
    }

    private static func isDomainChar(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D
    }

    /// "user@localhost" is rare in bounces but real; other dotless hosts are usually noise.
    private static func isBareHostAllowed(_ domain: ArraySlice<UInt8>) -> Bool {
        String(decoding: domain, as: UTF8.self).lowercased() == "localhost"
    }
}
