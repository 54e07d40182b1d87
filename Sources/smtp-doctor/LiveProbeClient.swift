import Diagnosis
import Probes

/// The probe client that talks to the real network.
enum LiveProbeClient {
    static func make(resolver: Resolver, sourceIP: IPAddress?) -> ProbeClient {
        ProbeClient { request in
            switch request {
            case .resolveHost(let host, _):
                // Both families are always asked (at once): "only IPv6 exists" is worth saying under -4.
                let lookups = await resolver.lookupAll([(host, .a), (host, .aaaa)])
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
