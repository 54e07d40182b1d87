import ArgumentParser
import Diagnosis
import Foundation
import Probes

/// The diagnostic log (`--log FILE`): one timestamped line per event (a run
/// started, each probe's start, end and duration, the verdict), appended.
/// It is also where stray output goes while the wizard owns the screen.
/// Never a password or an AUTH exchange: probe lines name the request's
/// target only, and observations are reduced to their kind and outcome.
final class DiagnosticLog: Sendable {
    let fd: Int32

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ValidationError("cannot open --log \"\(SafeArgument.show(path))\": \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFCHR else {
            close(fd)
            throw ValidationError("--log \"\(SafeArgument.show(path))\" is not a file")
        }
    }

    deinit { close(fd) }

    /// Appends one line: the time, then the message with control characters made visible.
    func write(_ message: String) {
        let line = Self.timestamp() + " " + SafeText.clean(message) + "\n"
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = Foundation.write(fd, buffer.baseAddress, buffer.count - 1)  // one write: lines never interleave
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// A probe request as a log line: what is asked of which target, nothing more.
    static func describe(_ request: ProbeRequest) -> String {
        switch request {
        case .resolveHost(let host, let family): return "dns \(host) (\(family.rawValue))"
        case .scanPorts(let addresses, let ports, let timeout):
            return "tcp-connect \(addresses.map(\.description).joined(separator: ", ")) ports \(ports.map(String.init).joined(separator: ",")) (\(timeout) s)"
        case .smtpSession(let session):
            return "smtp \(session.address):\(session.port) \(session.mode)" + (session.alternate.map { " and \($0)" } ?? "")
                + (session.authenticate ? ", with AUTH" : "")
        case .spf(let domain, let ip, _, _): return "spf \(domain)" + (ip.map { " for \($0)" } ?? "")
        case .dkim(let domain, let selectors): return "dkim \(domain) selectors \(selectors.isEmpty ? "(common)" : selectors.joined(separator: ","))"
        case .dmarc(let domain): return "dmarc \(domain)"
        case .blocklists(let address, let zones): return "blocklists \(address) (\(zones.isEmpty ? "default" : String(zones.count)) zones)"
        case .reverseDNS(let address, _): return "reverse-dns \(address)"
        case .mx(let domain): return "mx \(domain)"
        }
    }

    /// An observation reduced to its outcome (no replies, no transcript: a server may echo anything).
    static func outcome(_ observation: Observation) -> String {
        switch observation {
        case .resolution(let r): return "\(r.addresses.count) address\(r.addresses.count == 1 ? "" : "es")"
        case .portScan(let scan):
            let open = scan.results.filter { $0.state == .open }.map { "\($0.port)" }
            return open.isEmpty ? "no port open" : "open: " + Array(Set(open)).sorted().joined(separator: ",")
        case .smtp(let check):
            let end = String(describing: check.primary.end)
            return "ended: " + (end.split(separator: "(").first.map(String.init) ?? end)
        case .spf: return "SPF evaluated"
        case .dkim(let check): return "\(check.results.count) selector\(check.results.count == 1 ? "" : "s") looked up"
        case .dmarc: return "DMARC looked up"
        case .blocklists(let scan): return "\(scan.results.count) lists asked"
        case .reverseDNS: return "PTR looked up"
        case .mx: return "MX looked up"
        }
    }
}

extension ProbeClient {
    /// The same client, logging each probe's start, end and duration.
    func logged(to log: DiagnosticLog?) -> ProbeClient {
        guard let log else { return self }
        let run = self.run
        return ProbeClient { request in
            let described = DiagnosticLog.describe(request)
            log.write("probe start: \(described)")
            let start = ContinuousClock.now
            let observation = await run(request)
            log.write("probe end: \(described): \(DiagnosticLog.outcome(observation)) (\(start.duration(to: .now).milliseconds) ms)")
            return observation
        }
    }
}
