import Probes

extension RefusedFamily {
    static func judgeResolution(_ facts: Facts) -> Judgement {
        guard let resolution = facts.resolution else { return Judgement(.inconclusive, evidence: ["No lookup was made."]) }
        let host = facts.target.host
        if let literal = resolution.literal {
            guard facts.target.family.allows(literal.family) else {
                let flag = facts.target.family == .ipv4Only ? "-4" : "-6"
                return confirmed(.hostNoAddress, evidence: ["\(literal) is an \(literal.family.rawValue) address."],
                    summary: "\(literal) is an \(literal.family.rawValue) address, but \(flag) allows only the other family.",
                    remediation: ["Drop \(flag), or give an address of the family you want to test."])
            }
            return Judgement(.skipped, evidence: ["\(literal) is an IP address; there is no name to look up."])
        }
        let evidence = resolution.lookups.map(\.evidenceLine)
        let all = resolution.addresses
        let usable = all.filter { facts.target.family.allows($0.family) }
        if !usable.isEmpty {
            return Judgement(.ruledOut, evidence: evidence + ["\(host) resolves to \(usable.map(\.description).joined(separator: ", "))."])
        }
        if !all.isEmpty {
            let wanted = facts.target.family == .ipv4Only ? "IPv4" : "IPv6"
            let other = facts.target.family == .ipv4Only ? "-4" : "-6"
            return confirmed(.hostNoAddress, evidence: evidence,
                summary: "\(host) has no \(wanted) address, and only \(wanted) was allowed.",
                remediation: ["Drop \(other) to let the other address family be used, or use a host name that has an \(wanted) address."])
        }
        let outcomes = resolution.lookups.map(\.outcome)
        if outcomes.contains(.nxdomain) {
            let guess = ProviderCatalogue.nearMiss(host)
            return confirmed(.hostNXDomain, evidence: evidence,
                summary: "\(host) does not exist in DNS (NXDOMAIN).\(guess.map { " Did you mean \($0)?" } ?? "")",
                remediation: (guess.map { ["Use \($0): \(host) looks like a typing mistake for it."] } ?? []) + [
                    "Check the spelling of the host name against your provider's documentation.",
                    "If the domain is new or was just changed, confirm it is registered and its DNS is published.",
                    "Compare with another resolver (--dns-server) to rule out a resolver that hides names.",
                ])
        }
        if !outcomes.isEmpty, outcomes.allSatisfy({ $0 == .noData }) {
            return confirmed(.hostNoAddress, evidence: evidence,
                summary: "\(host) exists in DNS but has no A or AAAA record, so there is no address to connect to.",
                remediation: [
                    "Use the mail server's own host name (often smtp.<domain> or mail.<domain>), not the bare domain.",
                    "If you manage the zone, add an A (and AAAA if reachable over IPv6) record for \(host).",
                ])
        }
        let server = resolution.lookups.first?.server ?? "the resolver"
        return confirmed(.dnsFailure, evidence: evidence,
            summary: "The DNS lookup for \(host) failed at \(server): \(firstFailure(outcomes)).",
            remediation: [
                "Check that the resolver \(server) is reachable and working (this machine's /etc/resolv.conf, or --dns-server).",
                "Try another resolver with --dns-server to tell a broken resolver from a broken zone.",
                "If only DNS is blocked on this network, an IP address as --host lets you test the rest meanwhile.",
            ])
    }

    static func judgeReachable(_ facts: Facts) -> Judgement {
        guard let scan = facts.scan else { return Judgement(.inconclusive, evidence: []) }
        let evidence = scan.results.map(\.evidenceLine)
        let answered = scan.results.filter { $0.state.answered }
        if !answered.isEmpty {
            let ports = Set(answered.map(\.port)).sorted().map(String.init).joined(separator: ", ")
            let smtp = Target.smtpPorts.filter { scan.isOpen(port: $0) }
            let smtpLine = smtp.isEmpty ? "No SMTP port accepts connections." : "SMTP ports accepting connections: \(smtp.map(String.init).joined(separator: ", "))."
            return Judgement(.ruledOut, evidence: evidence + ["The host answered on port \(ports).", smtpLine])
        }
        let port = facts.target.port
        let requested = scan.results(port: port)
        if !requested.isEmpty, requested.allSatisfy({ $0.state == .unreachable }) {
            return Judgement(.confirmed, evidence: evidence, finding: unreachableFinding(facts, scan), next: .stop)
        }
        return Judgement(.confirmed, evidence: evidence, finding: Finding(
            cause: .portFiltered,
            summary: "No port of \(facts.target.host) answered within \(seconds(scan.deadlineMs)), not even the control port \(facts.target.controlPort): the server is down, or a firewall drops everything sent to it.",
            evidence: evidence,
            remediation: [
                "Check that the server is running and that \(facts.target.host) still points at it (an old address in DNS looks exactly like this).",
                "Run the same check from another network (a phone hotspot, say): if it works there, your network drops the traffic.",
                "If you run the server, check its firewall and the cloud provider's security group for inbound TCP \(port).",
            ]), next: .stop)
    }

    static func judgePortClosed(_ facts: Facts) -> Judgement {
        guard let scan = facts.scan else { return Judgement(.inconclusive, evidence: []) }
        let port = facts.target.port
        let requested = scan.results(port: port)
        let evidence = requested.map(\.evidenceLine)
        if let open = requested.first(where: { $0.state == .open }) {
            return Judgement(.ruledOut, evidence: evidence + ["Port \(port) accepted a connection on \(open.address)."], next: .node("ipv6"))
        }
        guard requested.contains(where: { $0.state == .refused }) else {
            return Judgement(.ruledOut, evidence: evidence + ["No TCP reset came back from port \(port), so the host never said \"nothing listens here\"."])
        }
        let open = openSMTPPorts(scan)
        var remediation = PortAdvice.alternatives(open: open, excluding: port)
        if remediation.isEmpty {
            remediation.append("No SMTP port answers on \(facts.target.host): the mail service is stopped, or this host is not the mail server (check the host name your provider documents).")
        }
        remediation.append("If you run the server: start the mail service and make sure it listens on port \(port) on the address clients connect to, not only on loopback (`ss -ltn` shows it).")
        return confirmed(.portClosed, evidence: evidence + alternativesEvidence(scan, excluding: port),
            summary: "\(facts.target.host) is up but refused the connection on port \(port) (TCP reset): nothing listens there.",
            remediation: remediation)
    }

    static func judgeSMTPBlocked(_ facts: Facts) -> Judgement {
        guard let scan = facts.scan else { return Judgement(.inconclusive, evidence: []) }
        let port = facts.target.port
        let control = facts.target.controlPort
        let controlResults = scan.results(port: control)
        var evidence = controlResults.map(\.evidenceLine) + scan.results(port: port).map(\.evidenceLine)
        guard let answer = controlResults.first(where: { $0.state.answered }) else {
            return Judgement(.inconclusive, evidence: evidence + ["Port \(control) did not answer either, so a blocked network cannot be told from a server that is down."])
        }
        let silent = Target.smtpPorts.filter { p in !scan.results(port: p).isEmpty && !scan.results(port: p).contains { $0.state.answered } }
        evidence.append("Port \(control) \(answer.state == .open ? "accepted a connection" : "answered with a reset") on \(answer.address), so the host is up and reachable.")
        if !silent.isEmpty { evidence.append("SMTP ports with no answer: \(silent.map(String.init).joined(separator: ", ")).") }
        if let rejection = scan.results(port: port).first(where: { $0.icmp != nil }), let icmp = rejection.icmp {
            evidence.append("The rejection came from \(icmp.from): \(icmp.meaning).")
        }
        let local = scan.results(port: port).contains { $0.blockedLocally }
        var remediation = PortAdvice.alternatives(open: openSMTPPorts(scan), excluding: port)
        if local {
            remediation.append("This machine's own firewall refuses the connection: look for an outgoing rule on port \(port) (nft list ruleset, iptables -S, ufw status).")
        }
        remediation += [
            "Your network (ISP, office firewall, hosting or cloud provider) probably blocks outgoing SMTP; many block port 25 for everyone. Ask them to open it, or use the provider's submission port (587 or 465, sometimes 2525).",
            "Run the same check from another network: if SMTP answers there, the block is on your side of the path.",
        ]
        return confirmed(.networkBlocksSMTP, evidence: evidence,
            summary: "\(facts.target.host) answers on port \(control) but not on SMTP port \(port): something between you and the server blocks SMTP.",
            remediation: remediation)
    }

    static func judgePortFiltered(_ facts: Facts) -> Judgement {
        guard let scan = facts.scan else { return Judgement(.inconclusive, evidence: []) }
        let port = facts.target.port
        let requested = scan.results(port: port)
        let evidence = requested.map(\.evidenceLine) + alternativesEvidence(scan, excluding: port)
        if !requested.isEmpty, requested.allSatisfy({ $0.state == .unreachable }) {
            return Judgement(.confirmed, evidence: evidence, finding: unreachableFinding(facts, scan), next: .stop)
        }
        var remediation = PortAdvice.alternatives(open: openSMTPPorts(scan), excluding: port)
        remediation += [
            "A firewall drops connections to port \(port), on your network or at the server. Run the check from another network to tell which.",
            "If you run the server, allow inbound TCP \(port) in its firewall and in the cloud provider's security group.",
        ]
        return confirmed(.portFiltered, evidence: evidence,
            summary: "Port \(port) of \(facts.target.host) gave no answer within \(seconds(scan.deadlineMs)): the connection attempt is dropped silently.",
            remediation: remediation)
    }

    static func judgeIPv6(_ facts: Facts) -> Judgement {
        guard let scan = facts.scan else { return Judgement(.inconclusive, evidence: []) }
        let port = facts.target.port
        let v4 = scan.results(port: port, family: .ipv4)
        let v6 = scan.results(port: port, family: .ipv6)
        let evidence = (v4 + v6).map(\.evidenceLine)
        guard !v4.isEmpty, !v6.isEmpty else {
            let only = v4.isEmpty ? "IPv6" : "IPv4"
            return Judgement(.skipped, evidence: ["\(facts.target.host) was tried over \(only) only, so there is nothing to compare."])
        }
        let v4Open = v4.contains { $0.state == .open }
        let v6Open = v6.contains { $0.state == .open }
        if v4Open, !v6Open {
            let failing = v6.map { "\($0.address.bracketed) \($0.state.rawValue)" }.joined(separator: ", ")
            return confirmedContinuing(.ipv6Broken, evidence: evidence,
                summary: "Port \(port) answers over IPv4 but not over IPv6 (\(failing)).",
                remediation: [
                    "Clients that try IPv6 first will hang or fail before they fall back, if they fall back at all.",
                    "If you run the server or its DNS: fix IPv6 routing or the firewall for \(v6.map(\.address.description).joined(separator: ", ")), or remove the AAAA record until it works.",
                    "Meanwhile, make the client use IPv4 (its IPv4 address, or a prefer-IPv4 setting).",
                ])
        }
        if v6Open, !v4Open {
            let failing = v4.map { "\($0.address) \($0.state.rawValue)" }.joined(separator: ", ")
            return confirmed(.portFiltered, severity: .warning, evidence: evidence,
                summary: "Port \(port) answers over IPv6 but not over IPv4 (\(failing)).",
                remediation: ["Clients without IPv6 cannot reach the server: fix the IPv4 path or firewall for \(v4.map(\.address.description).joined(separator: ", "))."])
        }
        return Judgement(.ruledOut, evidence: evidence + ["IPv4 and IPv6 give the same answer on port \(port)."])
    }

    static func healthy(_ facts: Facts) -> Finding {
        let port = facts.target.port
        let families = facts.scan.map { scan in
            Set(scan.results(port: port).filter { $0.state == .open }.map(\.address.family.rawValue)).sorted().joined(separator: " and ")
        } ?? ""
        return Finding(cause: .healthy, severity: .warning,
            summary: "\(facts.target.host) accepts connections on port \(port)\(families.isEmpty ? "" : " over \(families)"): nothing stops a connection from this network.",
            evidence: facts.scan.map { $0.results(port: port).map(\.evidenceLine) } ?? [],
            remediation: [
                "If your mail program still cannot connect, check it uses exactly \(facts.target.host) and port \(port), and that no proxy or antivirus intercepts mail traffic.",
                "Use port \(port) with \(PortAdvice.tlsPhrase(port)).",
            ])
    }

    // MARK: helpers

    static func confirmed(_ cause: Cause, severity: Severity = .error, evidence: [String], summary: String, remediation: [String]) -> Judgement {
        SMTPNodes.confirmed(cause, severity: severity, evidence: evidence, summary: summary, remediation: remediation)
    }

    /// A warning that does not end the run: the SMTP steps still follow.
    static func confirmedContinuing(_ cause: Cause, evidence: [String], summary: String, remediation: [String]) -> Judgement {
        SMTPNodes.confirmed(cause, severity: .warning, evidence: evidence, summary: summary, remediation: remediation, stop: false)
    }

    static func unreachableFinding(_ facts: Facts, _ scan: PortScan) -> Finding {
        let port = facts.target.port
        let requested = scan.results(port: port)
        let evidence = scan.results.map(\.evidenceLine)
        var remediation: [String] = []
        if requested.contains(where: { $0.blockedLocally }) {
            remediation.append("This machine's own firewall refuses the connection: check its outgoing rules (nft list ruleset, iptables -S, ufw status).")
        } else if let icmp = requested.compactMap(\.icmp).first(where: \.isAdministrativelyProhibited) {
            remediation.append("A firewall at \(icmp.from) rejects the connection (\(icmp.meaning)). Ask whoever runs it to allow TCP \(port) to \(facts.target.host).")
        } else {
            remediation.append("No route reaches the address: the host is down, the address is wrong or stale in DNS, or a VPN or routing rule sends the traffic nowhere.")
        }
        remediation.append("Check the address \(requested.map(\.address.description).joined(separator: ", ")) is the current mail server, then retry from another network.")
        let how = requested.first.map { r in r.icmp?.evidence ?? r.errno ?? r.state.rawValue } ?? "no route"
        return Finding(cause: .hostUnreachable,
            summary: "\(facts.target.host) cannot be reached on port \(port): \(how).",
            evidence: evidence, remediation: remediation)
    }

    static func openSMTPPorts(_ scan: PortScan) -> [Int] {
        Target.smtpPorts.filter { scan.isOpen(port: $0) }
    }

    static func alternativesEvidence(_ scan: PortScan, excluding port: Int) -> [String] {
        let others = Target.smtpPorts.filter { $0 != port }
        return others.flatMap { scan.results(port: $0).map(\.evidenceLine) }
    }

    static func firstFailure(_ outcomes: [DNSOutcome]) -> String {
        outcomes.first(where: \.isResolverFailure)?.summary ?? "no usable answer"
    }

    static func seconds(_ ms: Int) -> String { SMTPNodes.seconds(ms) }
}
