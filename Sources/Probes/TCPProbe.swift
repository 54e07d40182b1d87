import CSupport
import Foundation

/// An address and port to try.
public struct ConnectTarget: Hashable, Sendable {
    public var address: IPAddress
    public var port: Int
    public init(address: IPAddress, port: Int) {
        self.address = address
        self.port = port
    }
}

/// Tries TCP connections to many address/port pairs at once, all under one
/// deadline, and classifies each: open, refused, filtered or unreachable.
/// One non-blocking socket per target, one poll loop on its own thread, so
/// twelve filtered ports cost one deadline, not twelve.
public enum TCPProbe {
    public static func probe(_ targets: [ConnectTarget], deadline: Duration, sourceAddress: IPAddress? = nil) async -> [PortProbeResult] {
        if targets.isEmpty { return [] }
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: run(targets, deadline: deadline, sourceAddress: sourceAddress))
            }
            thread.name = "smtp-doctor-tcp"
            thread.start()
        }
    }

    private struct Attempt {
        var target: ConnectTarget
        var fd: Int32
        var result: PortProbeResult?
    }

    static func run(_ targets: [ConnectTarget], deadline: Duration, sourceAddress: IPAddress?) -> [PortProbeResult] {
        let start = ContinuousClock.now
        let end = start + deadline
        func elapsed() -> Int { start.duration(to: .now).milliseconds }

        var attempts: [Attempt] = targets.map { target in
            var attempt = Attempt(target: target, fd: -1, result: nil)
            let family = target.address.family == .ipv4 ? AF_INET : AF_INET6
            let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                attempt.result = failure(target, errno: Glibc.errno, elapsedMs: elapsed())
                return attempt
            }
            _ = sd_enable_recverr(fd, family)
            if let source = sourceAddress {
                guard source.family == target.address.family else {
                    close(fd)
                    attempt.result = PortProbeResult(address: target.address, port: target.port, state: .unreachable,
                                                     errno: "EAFNOSUPPORT", elapsedMs: 0)
                    return attempt
                }
                let bound = SockAddr.with(source, port: 0) { bind(fd, $0, $1) }
                if bound != 0 {
                    let code = Glibc.errno
                    close(fd)
                    attempt.result = failure(target, errno: code, elapsedMs: 0)
                    return attempt
                }
            }
            let rc = SockAddr.with(target.address, port: target.port) { connect(fd, $0, $1) }
            let code = Glibc.errno
            if rc == 0 {
                attempt.result = PortProbeResult(address: target.address, port: target.port, state: .open, elapsedMs: elapsed())
                close(fd)
            } else if code != EINPROGRESS {
                attempt.result = failure(target, errno: code, elapsedMs: elapsed(), fd: fd)
                close(fd)
            } else {
                attempt.fd = fd
            }
            return attempt
        }

        while attempts.contains(where: { $0.result == nil }) {
            let remaining = ContinuousClock.now.duration(to: end).milliseconds
            if remaining <= 0 { break }
            let waiting = attempts.indices.filter { attempts[$0].result == nil }
            var fds = waiting.map { pollfd(fd: attempts[$0].fd, events: Int16(POLLOUT), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1000)))
            if ready < 0 && Glibc.errno != EINTR { break }
            for (slot, index) in waiting.enumerated() where fds[slot].revents != 0 {
                let fd = attempts[index].fd
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                let target = attempts[index].target
                if soError == 0 {
                    attempts[index].result = PortProbeResult(address: target.address, port: target.port, state: .open, elapsedMs: elapsed())
                } else {
                    attempts[index].result = failure(target, errno: soError, elapsedMs: elapsed(), fd: fd)
                }
                close(fd)
            }
        }
        let final = elapsed()
        return attempts.map { attempt in
            if let result = attempt.result { return result }
            // Still waiting at the deadline: nothing answered the SYN.
            let icmp = readICMP(attempt.fd)
            close(attempt.fd)
            return PortProbeResult(address: attempt.target.address, port: attempt.target.port,
                                   state: icmp == nil ? .filtered : .unreachable, errno: icmp == nil ? nil : "ETIMEDOUT",
                                   icmp: icmp, elapsedMs: final)
        }
    }

    private static func failure(_ target: ConnectTarget, errno code: Int32, elapsedMs: Int, fd: Int32 = -1) -> PortProbeResult {
        let icmp = fd >= 0 ? readICMP(fd) : nil
        let state: PortState
        var local = false
        switch code {
        case ECONNREFUSED: state = .refused
        case ETIMEDOUT: state = .filtered
        case EPERM, EACCES:
            // EACCES is also how ICMPv6 "administratively prohibited" arrives.
            state = .unreachable
            local = icmp == nil
        default: state = .unreachable
        }
        return PortProbeResult(address: target.address, port: target.port, state: state, errno: ErrnoName.of(code),
                               icmp: icmp, elapsedMs: elapsedMs, blockedLocally: local)
    }

    private static func readICMP(_ fd: Int32) -> ICMPReport? {
        var report = sd_icmp_error()
        guard fd >= 0, sd_read_icmp_error(fd, &report) == 0, report.found == 1 else { return nil }
        // SO_EE_ORIGIN_ICMP = 2, SO_EE_ORIGIN_ICMP6 = 3; others are local errors.
        guard report.origin == 2 || report.origin == 3 else { return nil }
        let from = withUnsafeBytes(of: &report.offender) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        return ICMPReport(version: report.origin == 3 ? 6 : 4, type: Int(report.type), code: Int(report.code), from: from)
    }
}
