import Probes

/// The pure heart of the wizard: `(state, action) -> effects`. No I/O here.
public enum DiagnosisReducer {
    public static func reduce(_ state: inout DiagnosisState, _ action: DiagnosisAction) -> [DiagnosisEffect] {
        switch (state.phase, action) {
        case (_, .started):
            guard let tree = TroubleshootingTree.forSymptom(state.symptom) else {
                state.beginRun()
                state.phase = .finished
                return []
            }
            state.beginRun()
            state.steps = tree.nodes.map {
                StepRecord(id: $0.id, hypothesis: $0.hypothesis, why: $0.why, probe: $0.probe,
                           status: .waiting, evidence: [], durationMs: nil, cause: nil)
            }
            if case .success(.address(let literal)) = TargetHost.parse(state.target.host) {
                state.facts.resolution = HostResolution(host: state.target.host, literal: literal)
            }
            return advance(&state, tree)

        case (.running, .probeFinished(let runID, let request, let observation, let durationMs, let startedAtMs)):
            // A result for a question no longer asked (an earlier run, or not an awaited probe) is dropped.
            let kind = request.kind
            guard runID == state.runID, state.pending[kind] == request,
                  let tree = TroubleshootingTree.forSymptom(state.symptom) else { return [] }
            state.facts.store(observation)
            state.pending[kind] = nil
            state.timings.append(ProbeTiming(request: request, startedAtMs: startedAtMs, durationMs: durationMs))
            if let first = state.steps.firstIndex(where: { $0.probe == kind }) {
                state.steps[first].durationMs = durationMs
            }
            return advance(&state, tree)

        case (.ready, .probeFinished), (.finished, .probeFinished):
            return []
        }
    }

    /// Judges nodes in order until one needs a probe or the run ends.
    static func advance(_ state: inout DiagnosisState, _ tree: TroubleshootingTree) -> [DiagnosisEffect] {
        // Every probe started on the way, returned together: none may be lost
        // when a step is skipped after a later step's probe was started.
        var launched: [DiagnosisEffect] = []
        while state.current < tree.nodes.count {
            let index = state.current
            let node = tree.nodes[index]
            if !state.facts.has(node.probe) {
                launched += startProbes(&state, tree)
                guard state.pending[node.probe] != nil else {
                    // The probe cannot be asked (no address to try): the earlier step said why.
                    state.steps[index].status = .skipped
                    state.current += 1
                    continue
                }
                state.steps[index].status = .running
                return launched
            }
            let judgement = node.judge(state.facts)
            state.steps[index].status = StepStatus(judgement.outcome)
            state.steps[index].evidence = judgement.evidence
            state.steps[index].cause = judgement.finding?.cause
            if state.steps[index].durationMs == nil { state.steps[index].durationMs = 0 }
            if let finding = judgement.finding { state.findings.append(finding) }
            switch judgement.next {
            case .following:
                state.current += 1
            case .stop:
                state.current = tree.nodes.count
            case .node(let id):
                let target = tree.nodes.firstIndex { $0.id == id } ?? tree.nodes.count
                for skipped in (index + 1)..<max(target, index + 1) {
                    state.steps[skipped].status = .skipped
                    state.steps[skipped].evidence = ["Not needed: an earlier step answered this."]
                }
                state.current = max(target, index + 1)
            }
        }
        // The verdict is in: probes started on the way are no longer awaited.
        finish(&state, tree)
        return []
    }

    /// Starts, at once, every probe that the remaining nodes need and that can
    /// already be asked: independent probes run concurrently, so a diagnosis
    /// costs about one deadline rather than one per hypothesis.
    static func startProbes(_ state: inout DiagnosisState, _ tree: TroubleshootingTree) -> [DiagnosisEffect] {
        var effects: [DiagnosisEffect] = []
        for node in tree.nodes[state.current...] where !state.facts.has(node.probe) && state.pending[node.probe] == nil {
            guard let request = request(for: node.probe, state.facts) else { continue }
            state.pending[node.probe] = request
            effects.append(.run(request, runID: state.runID))
        }
        return effects
    }

    static func request(for kind: ProbeKind, _ facts: Facts) -> ProbeRequest? {
        switch kind {
        case .dns:
            return .resolveHost(facts.target.host, family: facts.target.family)
        case .tcpConnect:
            let addresses = (facts.resolution?.addresses ?? []).filter { facts.target.family.allows($0.family) }
            guard !addresses.isEmpty else { return nil }
            return .scanPorts(addresses: addresses, ports: facts.target.portsToScan, timeoutSeconds: facts.target.deadlines.connectMs.seconds)
        case .smtp:
            let target = facts.target
            guard let address = (facts.resolution?.addresses ?? []).first(where: { target.family.allows($0.family) }) else { return nil }
            let mode = target.smtpMode
            let alternate: SMTPTLSMode = mode == .implicit ? .plain : .implicit
            var session = SMTPSessionRequest(address: address, port: target.port, mode: mode, alternate: alternate,
                                             serverName: target.host, deadlines: target.deadlines)
            session.authenticate = target.user != nil
            if let from = target.mailFrom, let to = target.rcptTo { session.envelope = SMTPEnvelope(mailFrom: from, rcptTo: to) }
            return .smtpSession(session)
        case .spf:
            guard let domain = facts.target.domain else { return nil }
            return .spf(domain: domain, sendingIP: facts.target.sendingIP,
                        sender: facts.target.mailFrom ?? "postmaster@\(domain)", helo: facts.target.heloName)
        case .dkim:
            guard let domain = facts.target.domain else { return nil }
            return .dkim(domain: domain, selectors: facts.target.dkimSelectors)
        case .dmarc:
            guard let domain = facts.target.domain else { return nil }
            return .dmarc(domain: domain)
        case .blocklists:
            guard let ip = facts.target.sendingIP else { return nil }
            return .blocklists(address: ip, zones: facts.target.dnsblZones)
        case .reverseDNS:
            guard let ip = facts.target.sendingIP else { return nil }
            return .reverseDNS(address: ip, helo: facts.target.heloName)
        case .mx:
            guard let domain = facts.target.domain else { return nil }
            return .mx(domain: domain)
        }
    }

    static func finish(_ state: inout DiagnosisState, _ tree: TroubleshootingTree) {
        for index in state.steps.indices where state.steps[index].status == .waiting || state.steps[index].status == .running {
            state.steps[index].status = .skipped
            state.steps[index].evidence = ["Not needed: an earlier step found the cause."]
        }
        state.phase = .finished
        state.abandoned = state.pending.values.sorted { $0.probeName < $1.probeName }
        state.pending = [:]
        state.verdict = state.findings.first { $0.severity == .error }
            ?? state.findings.first
            ?? tree.healthy(state.facts)
    }
}

extension ProbeRequest {
    /// The kind of observation this request produces.
    public var kind: ProbeKind {
        switch self {
        case .resolveHost: return .dns
        case .scanPorts: return .tcpConnect
        case .smtpSession: return .smtp
        case .spf: return .spf
        case .dkim: return .dkim
        case .dmarc: return .dmarc
        case .blocklists: return .blocklists
        case .reverseDNS: return .reverseDNS
        case .mx: return .mx
        }
    }
}
