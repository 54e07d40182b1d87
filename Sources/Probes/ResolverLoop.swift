import CAres
import Foundation
import Synchronization

/// The thread that owns a c-ares channel. Everything that touches the channel
/// runs on it; other threads only append to `pending` and poke the wake pipe.
final class ResolverLoop: @unchecked Sendable {
    private var channel: ares_channel?
    private let pending = Mutex<(queries: [PendingQuery], stopping: Bool)>(([], false))
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    let serverDescription: String

    private static let libraryInit: Int32 = ares_library_init(ARES_LIB_INIT_ALL)

    init(_ configuration: Resolver.Configuration) throws {
        guard Self.libraryInit == ARES_SUCCESS else { throw Resolver.SetupError.cares("library init failed") }
        var options = ares_options()
        // Two tries; c-ares doubles the per-try timeout, so T + 2T fits the deadline.
        let perTry = max(configuration.timeout.milliseconds / 3, 50)
        options.timeout = Int32(perTry)
        options.tries = 2
        // Hand us SERVFAIL/REFUSED at once instead of silently trying again.
        options.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH
        var channel: ares_channel?
        let mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS
        let status = ares_init_options(&channel, &options, mask)
        guard status == ARES_SUCCESS, let channel else {
            throw Resolver.SetupError.cares(String(cString: ares_strerror(status)))
        }
        if !configuration.servers.isEmpty {
            let csv = configuration.servers.map(\.caresForm).joined(separator: ",")
            let set = ares_set_servers_ports_csv(channel, csv)
            guard set == ARES_SUCCESS else {
                ares_destroy(channel)
                throw Resolver.SetupError.cares(String(cString: ares_strerror(set)))
            }
        }
        self.channel = channel
        self.serverDescription = Self.describeServers(channel)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            ares_destroy(channel)
            throw Resolver.SetupError.cares("pipe failed")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        _ = fcntl(wakeWrite, F_SETFL, O_NONBLOCK)
        let thread = Thread { [self] in self.run() }
        thread.name = "smtp-doctor-dns"
        thread.start()
    }

    func submit(_ query: PendingQuery) {
        let accepted = pending.withLock { state -> Bool in
            if state.stopping { return false }
            state.queries.append(query)
            return true
        }
        if accepted { wake() } else { query.continuation.resume(returning: .failure("resolver stopped")) }
    }

    func stop() {
        pending.withLock { $0.stopping = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func run() {
        guard let channel else { return }
        while true {
            let (queries, stopping) = pending.withLock { state -> ([PendingQuery], Bool) in
                let taken = state.queries
                state.queries.removeAll()
                return (taken, state.stopping)
            }
            if stopping {
                for q in queries { q.continuation.resume(returning: .failure("resolver stopped")) }
                break
            }
            for query in queries { start(query, on: channel) }
            pollOnce(channel)
        }
        // Completes every outstanding query with ARES_EDESTRUCTION.
        ares_destroy(channel)
        close(wakeRead)
        close(wakeWrite)
    }

    private func start(_ query: PendingQuery, on channel: ares_channel) {
        let box = Unmanaged.passRetained(QueryBox(type: query.type, continuation: query.continuation)).toOpaque()
        ares_query(channel, query.name, 1 /* C_IN */, query.type.wireValue, { arg, status, _, abuf, alen in
            guard let arg else { return }
            let box = Unmanaged<QueryBox>.fromOpaque(arg).takeRetainedValue()
            box.continuation.resume(returning: DNSAnswerParser.outcome(status: status, type: box.type, buffer: abuf, length: alen))
        }, box)
    }

    private func pollOnce(_ channel: ares_channel) {
        let maxSockets = Int(sd_ares_getsock_maxnum())
        var sockets = [ares_socket_t](repeating: sd_ares_socket_bad(), count: maxSockets)
        let bits = ares_getsock(channel, &sockets, Int32(maxSockets))
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        for i in 0..<maxSockets {
            var events: Int16 = 0
            if sd_ares_sock_readable(bits, Int32(i)) != 0 { events |= Int16(POLLIN) }
            if sd_ares_sock_writable(bits, Int32(i)) != 0 { events |= Int16(POLLOUT) }
            if events != 0 { fds.append(pollfd(fd: sockets[i], events: events, revents: 0)) }
        }
        var tv = timeval()
        var timeoutMs: Int32 = -1
        if let next = ares_timeout(channel, nil, &tv) {
            timeoutMs = Int32(next.pointee.tv_sec * 1000 + next.pointee.tv_usec / 1000) + 1
        }
        let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
        if ready > 0, fds[0].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
        for entry in fds.dropFirst() where entry.revents != 0 {
            let readable = entry.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
            let writable = entry.revents & Int16(POLLOUT) != 0
            ares_process_fd(channel, readable ? entry.fd : sd_ares_socket_bad(), writable ? entry.fd : sd_ares_socket_bad())
        }
        // Lets c-ares expire queries whose time is up.
        ares_process_fd(channel, sd_ares_socket_bad(), sd_ares_socket_bad())
    }

    private static func describeServers(_ channel: ares_channel) -> String {
        var head: UnsafeMutablePointer<ares_addr_port_node>?
        guard ares_get_servers_ports(channel, &head) == ARES_SUCCESS else { return "system resolver" }
        defer { ares_free_data(head) }
        var names: [String] = []
        var node = head
        while let current = node {
            let n = current.pointee
            var address: IPAddress?
            if n.family == AF_INET {
                address = IPAddress(ipv4: n.addr.addr4)
            } else if n.family == AF_INET6 {
                var raw = n.addr.addr6
                address = withUnsafeBytes(of: &raw) { bytes in
                    var six = in6_addr()
                    withUnsafeMutableBytes(of: &six) { $0.copyMemory(from: bytes) }
                    return IPAddress(ipv6: six)
                }
            }
            if let address {
                let port = Int(n.udp_port == 0 ? 53 : n.udp_port)
                names.append(DNSServer(address: address, port: port).description)
            }
            node = n.next
        }
        return names.isEmpty ? "system resolver" : names.joined(separator: ",")
    }
}
