import CAres
import Foundation
import Synchronization

/// Asynchronous DNS lookups through c-ares. One thread owns the c-ares channel
/// and drives its poll loop; callers submit queries and await the outcome.
public final class Resolver: Sendable {
    public struct Configuration: Sendable {
        /// Servers to ask; empty means the system's /etc/resolv.conf.
        public var servers: [DNSServer]
        /// Deadline for one lookup, retries included.
        public var timeout: Duration

        public init(servers: [DNSServer] = [], timeout: Duration = .seconds(5)) {
            self.servers = servers
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    /// The servers in use, for evidence ("127.0.0.1:5353").
    public let serverDescription: String
    private let loop: ResolverLoop

    public enum SetupError: Error, CustomStringConvertible {
        case cares(String)
        public var description: String { "could not start the DNS resolver: \(self)" }
    }

    public init(_ configuration: Configuration = .init()) throws {
        self.configuration = configuration
        let loop = try ResolverLoop(configuration)
        self.loop = loop
        self.serverDescription = loop.serverDescription
    }

    deinit { loop.stop() }

    /// Looks up `name` for one record type. Never throws: every failure is an outcome.
    public func lookup(_ name: String, _ type: DNSRecordType) async -> DNSLookup {
        let started = ContinuousClock.now
        var asked = name
        var visited: Set<String> = [name.lowercased()]
        var outcome = await query(asked, type)
        // Chase a CNAME the server left unresolved, a bounded number of times.
        while case .cname(let target) = outcome {
            let next = target.hasSuffix(".") ? String(target.dropLast()) : target
            guard visited.count <= Self.maxCNAMEHops, visited.insert(next.lowercased()).inserted else {
                outcome = .malformed(visited.count > Self.maxCNAMEHops
                    ? "CNAME chain longer than \(Self.maxCNAMEHops) names" : "CNAME loop through \(next)")
                break
            }
            asked = next
            outcome = await query(asked, type)
            if case .answer(let records, nil) = outcome { outcome = .answer(records, canonicalName: asked) }
        }
        return DNSLookup(name: name, type: type, server: serverDescription, outcome: outcome,
                         elapsedMs: started.duration(to: .now).milliseconds)
    }

    /// CNAMEs followed at most (RFC 1034 leaves it to the resolver; 8 is what stub resolvers use).
    public static let maxCNAMEHops = 8

    private func query(_ name: String, _ type: DNSRecordType) async -> DNSOutcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<DNSOutcome, Never>) in
            loop.submit(PendingQuery(name: name, type: type, continuation: continuation))
        }
    }

    /// Looks up several (name, type) pairs at once; results in the order asked.
    public func lookupAll(_ queries: [(String, DNSRecordType)]) async -> [DNSLookup] {
        await withTaskGroup(of: (Int, DNSLookup).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask { (index, await self.lookup(query.0, query.1)) }
            }
            var results = [DNSLookup?](repeating: nil, count: queries.count)
            for await (index, lookup) in group { results[index] = lookup }
            return results.compactMap { $0 }
        }
    }
}

struct PendingQuery: Sendable {
    let name: String
    let type: DNSRecordType
    let continuation: CheckedContinuation<DNSOutcome, Never>
}

/// Carries one query's continuation through c-ares's `void *arg`.
final class QueryBox {
    let type: DNSRecordType
    let continuation: CheckedContinuation<DNSOutcome, Never>
    init(type: DNSRecordType, continuation: CheckedContinuation<DNSOutcome, Never>) {
        self.type = type
        self.continuation = continuation
    }
}
