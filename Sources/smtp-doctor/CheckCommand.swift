import ArgumentParser
import Diagnosis
import Foundation
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

    @Option(help: "Report format: text, json or markdown.")
    var format: String = "text"

    func run() throws {
        guard let format = ReportFormat(rawValue: format) else {
            throw ValidationError("unknown format \"\(format)\"; choose text, json or markdown")
        }
        let resolved = try options.resolved()
        let code = try Self.diagnose(resolved, format: format)
        throw ExitCode(code)
    }

    /// Runs the diagnosis, prints the report, returns the exit status.
    static func diagnose(_ resolved: TargetOptions.Resolved, format: ReportFormat) throws -> Int32 {
        let resolver: Resolver
        do {
            resolver = try TargetOptions.makeResolver(resolved.dnsServer, timeout: resolved.target.timeoutSeconds)
        } catch {
            FileHandle.standardError.write(Data("smtp-doctor: \(error)\n".utf8))
            return ExitStatus.toolFailed
        }
        let client = LiveProbeClient.make(resolver: resolver, sourceIP: resolved.sourceIP, trust: resolved.trust, helo: resolved.helo,
                                             credentials: resolved.credentials)
        let target = resolved.target
        let symptom = resolved.symptom
        let state = runBlocking { await DiagnosisEngine.run(target: target, symptom: symptom, client: client) }
        let report = ReportDocument(state)
        FileHandle.standardOutput.write(Data(format.render(report).utf8))
        return report.isHealthy ? ExitStatus.healthy : ExitStatus.diagnosed
    }
}

/// The exit statuses of DESIGN.md.
enum ExitStatus {
    static let healthy: Int32 = 0
    static let diagnosed: Int32 = 1
    static let usage: Int32 = 2
    static let toolFailed: Int32 = 70
}
