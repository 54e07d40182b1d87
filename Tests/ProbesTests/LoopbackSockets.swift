import Foundation
import XCTest
@testable import Probes

/// Sockets on 127.0.0.1 / ::1 only, for probe tests. Nothing here talks to
/// any other address.
enum Loopback {
    static let v4 = IPAddress("127.0.0.1")!
    static let v6 = IPAddress("::1")!

    /// A socket bound to `address` with a kernel-chosen port; closed on deinit.
    final class BoundSocket {
        let fd: Int32
        let address: IPAddress
        let port: Int

        init(_ address: IPAddress, type: Int32, listenBacklog: Int32? = nil) throws {
            let fd = socket(address.family == .ipv4 ? AF_INET : AF_INET6, type | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
            guard SockAddr.with(address, port: 0, { bind(fd, $0, $1) }) == 0 else {
                let message = String(cString: strerror(errno))
                close(fd)
                throw Failure("bind \(address): \(message)")
            }
            if let listenBacklog, listen(fd, listenBacklog) != 0 {
                close(fd)
                throw Failure("listen: \(String(cString: strerror(errno)))")
            }
            self.fd = fd
            self.address = address
            self.port = Loopback.localPort(fd)
        }

        var target: ConnectTarget { ConnectTarget(address: address, port: port) }

        deinit { close(fd) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A TCP socket listening on a free port of `address`.
    static func listener(_ address: IPAddress = v4, backlog: Int32 = 16) throws -> BoundSocket {
        try BoundSocket(address, type: Int32(SOCK_STREAM.rawValue), listenBacklog: backlog)
    }

    /// A UDP socket bound to a free port that nobody ever reads.
    static func silentUDP(_ address: IPAddress = v4) throws -> BoundSocket {
        try BoundSocket(address, type: Int32(SOCK_DGRAM.rawValue))
    }

    /// A port that was free a moment ago: bound, read back, closed.
    static func closedPort(_ address: IPAddress = v4, udp: Bool = false) throws -> Int {
        try BoundSocket(address, type: Int32((udp ? SOCK_DGRAM : SOCK_STREAM).rawValue)).port
    }

    /// Skips the test when this machine has no IPv6 loopback.
    static func requireIPv6() throws {
        do { _ = try silentUDP(v6) } catch { throw XCTSkip("no IPv6 loopback here: \(error)") }
    }

    /// A blocking TCP connection to `target`, returned open (the caller closes it).
    static func connectBlocking(_ target: ConnectTarget) throws -> Int32 {
        let fd = socket(target.address.family == .ipv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket failed") }
        guard SockAddr.with(target.address, port: target.port, { connect(fd, $0, $1) }) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure("connect: \(message)")
        }
        return fd
    }

    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { raw in
            if family == sa_family_t(AF_INET) {
                return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
            return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
        }
    }
}
