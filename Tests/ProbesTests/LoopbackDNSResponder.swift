import Foundation
import Synchronization
@testable import Probes

/// A tiny DNS server on 127.0.0.1 for resolver tests: answers every query
/// with whatever `reply` builds for its (name, type). Loopback only.
final class LoopbackDNSResponder: @unchecked Sendable {
    /// What to answer: the response code and the answers (RDATA by type).
    struct Reply {
        var rcode: UInt8 = 0
        var answers: [(type: UInt16, rdata: [UInt8])] = []
    }

    let socket: Loopback.BoundSocket
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    let queries = Mutex<[(name: String, type: UInt16)]>([])

    var server: DNSServer { DNSServer(address: socket.address, port: socket.port) }

    init(reply: @escaping @Sendable (String, UInt16) -> Reply) throws {
        socket = try Loopback.silentUDP()
        let thread = Thread { [self] in
            self.serve(reply)
            self.done.signal()
        }
        thread.name = "test-dns-responder"
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        done.wait()
    }

    private func serve(_ reply: (String, UInt16) -> Reply) {
        var buffer = [UInt8](repeating: 0, count: 1500)
        while !stopping.load(ordering: .relaxed) {
            var fds = [pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 50) > 0 else { continue }
            var from = sockaddr_storage()
            var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(socket.fd, &buffer, buffer.count, 0, $0, &fromLength) }
            }
            guard count >= 12, let (name, type) = Self.question(Array(buffer.prefix(count))) else { continue }
            queries.withLock { $0.append((name, type)) }
            let answer = reply(name, type)
            let id = UInt16(buffer[0]) << 8 | UInt16(buffer[1])
            var message = DNSMessageBuilder(id: id, rcode: answer.rcode, answers: answer.answers.count, question: name, type: type)
            for record in answer.answers { message.answer(type: record.type, rdata: record.rdata) }
            let bytes = message.bytes
            _ = withUnsafePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(socket.fd, bytes, bytes.count, 0, $0, fromLength) }
            }
        }
    }

    /// The question name (uncompressed, as queries carry it) and type.
    static func question(_ query: [UInt8]) -> (String, UInt16)? {
        var labels: [String] = []
        var i = 12
        while i < query.count, query[i] != 0 {
            let length = Int(query[i])
            guard length < 64, i + 1 + length < query.count else { return nil }
            labels.append(String(decoding: query[(i + 1)...(i + length)], as: UTF8.self))
            i += 1 + length
        }
        guard i + 2 < query.count else { return nil }
        return (labels.joined(separator: "."), UInt16(query[i + 1]) << 8 | UInt16(query[i + 2]))
    }
}
