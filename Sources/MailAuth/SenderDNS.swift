import Inet

/// Reverse DNS of a sending address: its PTR names, and whether each name
/// leads back to the address (forward-confirmed reverse DNS, FCrDNS).
public struct ReverseDNSResult: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Codable {
        /// A PTR name whose A/AAAA records include the address.
        case confirmed
        /// No PTR record (NXDOMAIN or empty).
        case missing
        /// PTR names exist, but none resolves back to the address.
        case mismatch
        /// The PTR lookup itself failed: nothing can be said.
        case lookupFailed = "lookup-failed"
    }

    public var address: IPAddress
    public var reverseName: String
    public var verdict: Verdict
    public var ptrNames: [String]
    /// For each PTR name, the addresses it resolves to (of the address's family).
    public var forward: [ForwardName]
    /// The PTR names that resolve back to the address.
    public var confirmedNames: [String]
    public var helo: HeloCheck?
    public var failure: String?

    public struct ForwardName: Sendable, Hashable, Codable {
        public var name: String
        public var addresses: [IPAddress]
        public var failure: String?
    }

    /// How the HELO/EHLO name the sender uses relates to its address.
    public struct HeloCheck: Sendable, Hashable, Codable {
        public var name: String
        /// The HELO name is one of the confirmed PTR names.
        public var matchesPTR: Bool
        /// The HELO name's own A/AAAA records include the address.
        public var resolvesToAddress: Bool
        public var addresses: [IPAddress]
        /// Not a fully qualified domain name (one label, or an address literal).
        public var notFQDN: Bool
    }

    public var evidence: [String] {
        var lines: [String] = []
        switch verdict {
        case .lookupFailed:
            lines.append("PTR \(reverseName): lookup failed (\(failure ?? "no answer"))")
        case .missing:
            lines.append("PTR \(reverseName): no record, so \(address) has no name")
        case .confirmed, .mismatch:
            lines.append("PTR \(reverseName): " + ptrNames.joined(separator: ", "))
        }
        for entry in forward {
            let answer = entry.failure.map { "lookup failed (\($0))" }
                ?? (entry.addresses.isEmpty ? "no address" : entry.addresses.map(\.description).joined(separator: ", "))
            let mark = entry.addresses.contains(address) ? "leads back to \(address)" : "does not lead back to \(address)"
            lines.append("\(address.family == .ipv4 ? "A" : "AAAA") \(entry.name): \(answer): \(mark)")
        }
        if let helo {
            if helo.notFQDN {
                lines.append("HELO \(helo.name): not a fully qualified host name")
            } else {
                let resolved = helo.addresses.isEmpty ? "no address" : helo.addresses.map(\.description).joined(separator: ", ")
                lines.append("HELO \(helo.name): resolves to \(resolved); "
                    + (helo.matchesPTR ? "matches the PTR name" : "differs from the PTR name"))
            }
        }
        return lines
    }

    /// Looks up the PTR, then every PTR name's addresses at once (at most 10
    /// names, as RFC 7208 5.5 bounds the same walk), and the HELO name.
    public static func check(address: IPAddress, helo: String?, dns: any MailDNS) async -> ReverseDNSResult {
        async let heloAddresses: DNSAnswer<IPAddress>? = {
            guard let helo, isFQDN(helo) else { return nil }
            return await dns.addresses(helo.trimmingTrailingDot, family: address.family)
        }()
        let ptr = await dns.ptr(address)
        var result = ReverseDNSResult(address: address, reverseName: address.reverseName, verdict: .missing,
                                      ptrNames: [], forward: [], confirmedNames: [], helo: nil, failure: nil)
        switch ptr {
        case .failure(let why):
            result.verdict = .lookupFailed
            result.failure = why
        case .nxdomain, .noRecords:
            result.verdict = .missing
        case .records(let names):
            result.ptrNames = names.map { SafeText.clean($0.trimmingTrailingDot.lowercased()) }.uniqued()
            let checked = Array(result.ptrNames.prefix(10))
            result.forward = await withTaskGroup(of: (Int, ForwardName).self) { group in
                for (index, name) in checked.enumerated() {
                    group.addTask {
                        let answer = await dns.addresses(name, family: address.family)
                        if case .failure(let why) = answer { return (index, ForwardName(name: name, addresses: [], failure: why)) }
                        return (index, ForwardName(name: name, addresses: answer.values, failure: nil))
                    }
                }
                var ordered = [ForwardName?](repeating: nil, count: checked.count)
                for await (index, entry) in group { ordered[index] = entry }
                return ordered.compactMap { $0 }
            }
            result.confirmedNames = result.forward.filter { $0.addresses.contains(address) }.map(\.name)
            result.verdict = result.confirmedNames.isEmpty ? .mismatch : .confirmed
        }
        if let helo {
            let name = SafeText.clean(helo.trimmingTrailingDot.lowercased())
            let addresses = await heloAddresses?.values ?? []
            result.helo = HeloCheck(name: name, matchesPTR: result.confirmedNames.contains(name),
                                    resolvesToAddress: addresses.contains(address), addresses: addresses,
                                    notFQDN: !isFQDN(helo))
        }
        return result
    }

    static func isFQDN(_ name: String) -> Bool {
        let clean = name.trimmingTrailingDot
        guard !clean.hasPrefix("["), IPAddress(clean) == nil else { return false }
        return clean.split(separator: ".").count >= 2
    }
}

/// The MX records of a domain and whether each exchange has an address.
public struct MXCheckResult: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case present
        /// "MX 0 ." (RFC 7505): the domain says it accepts no mail.
        case nullMX = "null-mx"
        /// No MX, but the domain has an address: mail falls back to it (RFC 5321 5.1).
        case implicit
        /// No MX and no address: nothing can reach the domain (bounces are lost).
        case missing
        case lookupFailed = "lookup-failed"
    }

    public var domain: String
    public var verdict: Verdict
    public var records: [MXRecord]
    /// Exchanges that have no A or AAAA record.
    public var unresolvable: [String]
    public var failure: String?

    public var evidence: [String] {
        switch verdict {
        case .present:
            var lines = ["MX \(domain): " + records.map { "\($0.preference) \($0.exchange)" }.joined(separator: ", ")]
            for name in unresolvable { lines.append("\(name) has no A or AAAA record") }
            return lines
        case .nullMX: return ["MX \(domain): 0 . (null MX: the domain accepts no mail)"]
        case .implicit: return ["MX \(domain): none; the domain's own address receives mail (implicit MX)"]
        case .missing: return ["MX \(domain): none, and the domain has no address either"]
        case .lookupFailed: return ["MX \(domain): lookup failed (\(failure ?? "no answer"))"]
        }
    }

    public static func check(domain: String, dns: any MailDNS) async -> MXCheckResult {
        let name = domain.trimmingTrailingDot.lowercased()
        var result = MXCheckResult(domain: name, verdict: .missing, records: [], unresolvable: [], failure: nil)
        switch await dns.mx(name) {
        case .failure(let why):
            result.verdict = .lookupFailed
            result.failure = why
        case .records(let records):
            result.records = records.map { MXRecord(preference: $0.preference, exchange: SafeText.clean($0.exchange.trimmingTrailingDot.lowercased())) }
                .sorted { ($0.preference, $0.exchange) < ($1.preference, $1.exchange) }
            if result.records.count == 1, result.records[0].exchange.isEmpty || result.records[0].exchange == "." {
                result.verdict = .nullMX
                return result
            }
            result.verdict = .present
            let exchanges = Array(result.records.map(\.exchange).uniqued().prefix(10))
            result.unresolvable = await withTaskGroup(of: (String, Bool).self) { group in
                for exchange in exchanges {
                    group.addTask {
                        async let v4 = dns.addresses(exchange, family: .ipv4)
                        async let v6 = dns.addresses(exchange, family: .ipv6)
                        let (four, six) = await (v4, v6)
                        return (exchange, !four.values.isEmpty || !six.values.isEmpty)
                    }
                }
                var missing: [String] = []
                for await (exchange, resolves) in group where !resolves { missing.append(exchange) }
                return exchanges.filter(missing.contains)
            }
        case .nxdomain, .noRecords:
            async let v4 = dns.addresses(name, family: .ipv4)
            async let v6 = dns.addresses(name, family: .ipv6)
            let (four, six) = await (v4, v6)
            result.verdict = four.values.isEmpty && six.values.isEmpty ? .missing : .implicit
        }
        return result
    }
}
