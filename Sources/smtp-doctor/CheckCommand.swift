import ArgumentParser
import Diagnosis
import Foundation
import MailAuth
import Probes
import Report

/// `smtp-doctor check`: the engine without a screen.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run a diagnosis without a screen and print the report.",
        discussion: """
        Exit status: 0 when nothing is wrong, 1 when a problem was diagnosed, \
        2 for bad usage or input, 70 when smtp-doctor itself failed.
        """
    )

    @OptionGroup var options: TargetOptions

    @Option(help: "Report format: text, json, markdown or summary (a few lines for a ticket).")
    var format: String = "text"

    @Option(help: "Check a saved message (.eml) instead: DKIM signatures, DMARC alignment, required headers.")
    var message: String?

    func run() throws {
        guard let format = ReportFormat(rawValue: format) else {
            throw ValidationError("unknown format \"\(SafeArgument.show(format))\"; choose \(ReportFormat.choices)")
        }
        if let message {
            throw ExitCode(try Self.checkMessage(path: message, options: options, format: format))
        }
        let resolved = try options.resolved()
        let code = try Self.diagnose(resolved, format: format, log: try options.openLog())
        throw ExitCode(code)
    }

    /// Runs the diagnosis, prints the report, returns the exit status.
    static func diagnose(_ resolved: TargetOptions.Resolved, format: ReportFormat, log: DiagnosticLog? = nil) throws -> Int32 {
        let resolver: Resolver
        do {
            resolver = try TargetOptions.makeResolver(resolved.dnsServer, timeout: resolved.target.timeoutSeconds)
        } catch {
            FileHandle.standardError.write(Data("smtp-doctor: \(error)\n".utf8))
            return ExitStatus.toolFailed
        }
        let client = LiveProbeClient.make(resolver: resolver, sourceIP: resolved.sourceIP, trust: resolved.trust, helo: resolved.helo,
                                             credentials: resolved.credentials).logged(to: log)
        let target = resolved.target
        let symptom = resolved.symptom
        log?.write("check started: \(symptom.rawValue) check of \(target.domain ?? target.host) port \(target.port), TLS \(target.tls.rawValue)")
        let state = runBlocking { await DiagnosisEngine.run(target: target, symptom: symptom, client: client) }
        let report = ReportDocument(state)
        log?.write("verdict: \(report.verdict.cause): \(report.verdict.summary)")
        FileHandle.standardOutput.write(Data(format.render(report).utf8))
        return report.isHealthy ? ExitStatus.healthy : ExitStatus.diagnosed
    }
}

extension CheckCommand {
    /// `check --message FILE`: the saved message's DKIM, DMARC alignment and headers.
    static func checkMessage(path: String, options: TargetOptions, format: ReportFormat) throws -> Int32 {
        let (_, server, _) = try options.validateCommon()
        var spfIP: IPAddress?
        if let sendingIP = options.sendingIP {
            guard let ip = IPAddress(sendingIP) else { throw ValidationError("invalid --sending-ip \"\(SafeArgument.show(sendingIP))\": not an IP address") }
            spfIP = ip
        }
        let bytes = try SavedFile.read(path, limit: SavedFile.messageLimit)
        let resolver: Resolver
        do {
            resolver = try TargetOptions.makeResolver(server, timeout: options.timeout)
        } catch {
            FileHandle.standardError.write(Data("smtp-doctor: \(error)\n".utf8))
            return ExitStatus.toolFailed
        }
        let dns = ResolverMailDNS(resolver: resolver)
        let ip = spfIP
        let report = runBlocking { await MessageCheck.run(message: bytes, dns: dns, spfIP: ip) }
        let document = ReportDocument(message: report, file: path)
        try options.openLog()?.write("message check of \(path): verdict \(document.verdict.cause)")
        FileHandle.standardOutput.write(Data(format.render(document).utf8))
        return document.isHealthy ? ExitStatus.healthy : ExitStatus.diagnosed
    }
}

/// Reads a file a person names (a bounce, a saved message), bounded, with a
/// clear message for every way it can fail.
enum SavedFile {
    static let messageLimit = 64 * 1024 * 1024

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let shown = SafeArgument.show(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ValidationError("cannot read \"\(shown)\": \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ValidationError("\"\(shown)\" is not a regular file") }
        guard Int(info.st_size) <= limit else {
            throw ValidationError("\"\(shown)\" is \(Int(info.st_size) / 1_048_576) MiB; at most \(limit / 1_048_576) MiB is read")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("cannot open \"\(shown)\" for reading")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else { throw ValidationError("\"\(shown)\" grew past \(limit / 1_048_576) MiB while being read") }
        return [UInt8](data)
    }
}

/// The exit statuses of DESIGN.md.
enum ExitStatus {
    static let healthy: Int32 = 0
    static let diagnosed: Int32 = 1
    static let usage: Int32 = 2
    static let toolFailed: Int32 = 70
}
