import Diagnosis
import Probes

/// The probe client that talks to the real network.
enum LiveProbeClient {
    static func make(resolver: Resolver, sourceIP: IPAddress?) -> ProbeClient {
        ProbeClient { request in
            switch request {
            case .resolveHost(let host, let family):
                var queries: [(String, DNSRecordType)] = []
                if family.allows(.ipv4) { queries.append((host, .a)) }
                if family.allows(.ipv6) { queries.append((host, .aaaa)) }
                let lookups = await resolver.lookupAll(queries)
                return .resolution(HostResolution(host: host, lookups: lookups))
            case .scanPorts(let addresses, let ports, let timeoutSeconds):
                let targets = addresses.flatMap { address in ports.map { ConnectTarget(address: address, port: $0) } }
                let deadline = Duration.milliseconds(Int(timeoutSeconds * 1000))
                let results = await TCPProbe.probe(targets, deadline: deadline, sourceAddress: sourceIP)
                return .portScan(PortScan(results: results, deadlineMs: deadline.milliseconds))
            }
        }
    }
}
