import Inet

/// What evaluating one mechanism gave.
enum SPFMatch {
    /// It matched; the detail says how (which address, which MX host).
    case match(String?)
    /// An `include` matched: its target gave pass through the term named here.
    case includeMatched(String?)
    case noMatch(String)
    /// check_host() ends here (temperror or permerror).
    case stop(SPFResult, SPFProblem?)
}

/// A mechanism or modifier target after macro expansion.
enum SPFTarget {
    case name(String)
    /// Expanded, but not a name DNS can be asked about.
    case invalid(String)
}

extension SPFHostCheck {
    /// RFC 7208 section 5, one mechanism at a time.
    mutating func match(_ mechanism: SPFMechanism, text: String, domain: String, chain: [String],
                        node: inout SPFTreeNode) async -> SPFMatch {
        let depth = chain.count - 1
        let ip = values.ip
        switch mechanism {
        case .all:
            return .match(nil)
        case .ip4(let network, let length), .ip6(let network, let length):
            return ip.isInside(network, prefixLength: length) ? .match(nil) : .noMatch("\(ip) is outside \(network)/\(length)")
        case .a, .mx, .ptr, .exists, .include:
            break
        }
        let target: String
        switch await self.target(mechanism.domainSpec, domain: domain) {
        case .name(let name):
            target = name
        case .invalid(let expanded):
            if case .include = mechanism {
                node.addNote("include target \"\(expanded)\" is not a valid domain name")
                return .stop(.permerror, .invalidDomain(expanded))
            }
            return .noMatch("\"\(expanded)\" is not a valid domain name, treated as no match")
        }
        switch mechanism {
        case .a(_, let cidr):
            return await matchAddresses(of: target, prefixLength: cidr.prefixLength(for: ip.family), depth: depth, node: &node)
        case .mx(_, let cidr):
            return await matchMX(target, prefixLength: cidr.prefixLength(for: ip.family), depth: depth, node: &node)
        case .ptr:
            return await matchPTR(target, depth: depth, node: &node)
        case .exists:
            switch await dns.addresses(target, family: .ipv4) {
            case .failure(let reason): return .stop(.temperror, .dnsFailure(name: target, reason: reason))
            case .records: return .match(nil)
            case .noRecords, .nxdomain: return countVoid(target, depth: depth, node: &node) ?? .noMatch("\(target) has no A record")
            }
        case .include:
            return await include(target, term: text, chain: chain, node: &node)
        case .all, .ip4, .ip6:
            return .noMatch("")
        }
    }

    /// Expands a domain-spec (or takes the current domain when there is none).
    mutating func target(_ spec: SPFMacroString?, domain: String) async -> SPFTarget {
        guard let spec else { return .name(domain) }
        var values = values(for: domain)
        if spec.letters.contains("p") { values.validatedName = await validatedName(for: domain) }
        let expanded = spec.expand(values)
        return SPFDomainName.target(fromExpanded: expanded).map(SPFTarget.name) ?? .invalid(expanded)
    }

    /// `a` (RFC 7208 5.3): A or AAAA records by the IP's family.
    private mutating func matchAddresses(of name: String, prefixLength: Int, depth: Int, node: inout SPFTreeNode) async -> SPFMatch {
        let ip = values.ip
        switch await dns.addresses(name, family: ip.family) {
        case .failure(let reason):
            return .stop(.temperror, .dnsFailure(name: name, reason: reason))
        case .noRecords, .nxdomain:
            return countVoid(name, depth: depth, node: &node) ?? .noMatch("\(name) has no \(ip.family.rawValue) address")
        case .records(let addresses):
            if let hit = addresses.first(where: { ip.isInside($0, prefixLength: prefixLength) }) {
                return .match("\(hit)/\(prefixLength) of \(name)")
            }
            return .noMatch("\(ip) is not within /\(prefixLength) of any address of \(name)")
        }
    }

    /// `mx` (RFC 7208 5.4): at most 10 MX names, then their addresses.
    private mutating func matchMX(_ name: String, prefixLength: Int, depth: Int, node: inout SPFTreeNode) async -> SPFMatch {
        let ip = values.ip
        let exchanges: [MXRecord]
        switch await dns.mx(name) {
        case .failure(let reason):
            return .stop(.temperror, .dnsFailure(name: name, reason: reason))
        case .noRecords, .nxdomain:
            return countVoid(name, depth: depth, node: &node) ?? .noMatch("\(name) has no MX records")
        case .records(let records):
            exchanges = records
        }
        guard exchanges.count <= 10 else {
            let problem = SPFProblem.tooManyMXRecords(domain: name, count: exchanges.count)
            log(depth, "\(name) has \(exchanges.count) MX records, more than 10 (RFC 7208 4.6.4): permerror")
            node.addNote(problem.summary)
            return .stop(.permerror, problem)
        }
        for exchange in exchanges.sorted(by: { $0.preference < $1.preference }) {
            let host = SPFDomainName.withoutTrailingDot(exchange.exchange)
            guard SPFDomainName.isQueryable(host) else { continue }   // null MX (RFC 7505) or garbage
            switch await dns.addresses(host, family: ip.family) {
            case .failure(let reason):
                return .stop(.temperror, .dnsFailure(name: host, reason: reason))
            case .noRecords, .nxdomain:
                continue
            case .records(let addresses):
                if addresses.contains(where: { ip.isInside($0, prefixLength: prefixLength) }) {
                    return .match("MX \(host)")
                }
            }
        }
        return .noMatch("\(ip) is not an address of any MX host of \(name)")
    }

    /// `ptr` (RFC 7208 5.5): validated names ending in the target.
    private mutating func matchPTR(_ target: String, depth: Int, node: inout SPFTreeNode) async -> SPFMatch {
        let ip = values.ip
        let names: [String]
        switch await dns.ptr(ip) {
        case .failure(let reason):
            return .noMatch("PTR lookup failed (\(reason))")
        case .noRecords, .nxdomain:
            return countVoid(ip.reverseName, depth: depth, node: &node) ?? .noMatch("\(ip) has no PTR record")
        case .records(let records):
            names = records
        }
        let suffix = SPFDomainName.key(target)
        // RFC 7208 4.6.4: only the first 10 PTR names are looked at.
        for raw in names.prefix(10) {
            let name = SPFDomainName.key(raw)
            guard name == suffix || name.hasSuffix("." + suffix), SPFDomainName.isQueryable(name) else { continue }
            if case .records(let addresses) = await dns.addresses(name, family: ip.family), addresses.contains(ip) {
                return .match("validated PTR \(name)")
            }
        }
        return .noMatch("no validated PTR name of \(ip) ends in \(target)")
    }

    /// `include` (RFC 7208 5.2): a recursive check whose result maps to match, no match or an error.
    private mutating func include(_ target: String, term: String, chain: [String], node: inout SPFTreeNode) async -> SPFMatch {
        let depth = chain.count - 1
        let key = SPFDomainName.key(target)
        guard !chain.contains(key) else {
            let problem = SPFProblem.loop(domain: target)
            log(depth, "\(term): \(target) is already being evaluated, a loop: permerror")
            node.addNote(problem.summary)
            return .stop(.permerror, problem)
        }
        log(depth, "\(term): evaluating \(target)")
        let child = await run(domain: target, via: "include:\(target)", chain: chain + [key], wantExplanation: false)
        node.children.append(child.node)
        switch child.result {
        case .pass:
            return .includeMatched(child.matched)
        case .fail, .softfail, .neutral:
            return .noMatch("\(target) gave \(child.result.rawValue)")
        case .temperror:
            return .stop(.temperror, child.problem)
        case .permerror:
            return .stop(.permerror, child.problem)
        case .none:
            if let problem = child.problem, case .invalidDomain = problem { return .stop(.permerror, problem) }
            let problem = SPFProblem.includeWithoutRecord(domain: target)
            log(depth, "\(term): \(target) has no SPF record, so the include is a permerror (RFC 7208 5.2)")
            node.addNote(problem.summary)
            return .stop(.permerror, problem)
        }
    }

    /// `%{p}` (RFC 7208 7.3): a validated name of the IP, preferring the
    /// domain itself, then a subdomain of it, then any.
    mutating func validatedName(for domain: String) async -> String? {
        let key = SPFDomainName.key(domain)
        if let cached = validatedNames[key] { return cached }
        var validated: [String] = []
        let ip = values.ip
        if case .records(let names) = await dns.ptr(ip) {
            for raw in names.prefix(10) {
                let name = SPFDomainName.withoutTrailingDot(raw)
                guard SPFDomainName.isQueryable(name) else { continue }
                if case .records(let addresses) = await dns.addresses(name, family: ip.family), addresses.contains(ip) {
                    validated.append(name)
                }
            }
        }
        let chosen = validated.first { SPFDomainName.key($0) == key }
            ?? validated.first { SPFDomainName.key($0).hasSuffix("." + key) }
            ?? validated.first
        validatedNames[key] = .some(chosen)
        return chosen
    }
}
