import ArgumentParser
import Foundation
import Report

/// `smtp-doctor show REPORT.json`: a saved report (from the wizard's `s` or
/// `check --format json`) opened again in the wizard's screens, read-only,
/// so support staff can read what a customer sent; or printed in a format.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Open a saved JSON report in the wizard's screens (read-only), or print it.",
        discussion: """
        On a terminal, without --format, opens the steps and the verdict as the \
        wizard showed them; nothing is run again. Elsewhere, or with --format, \
        prints the report, with exit status 0 when the report found nothing wrong \
        and 1 when it diagnosed a problem. Exit status 2 when the file is not a \
        readable report.
        """
    )

    @Argument(help: "The JSON report to open.")
    var report: String

    @Option(help: "Print instead of opening the screens: text, json, markdown or summary (a few lines for a ticket).")
    var format: String?

    @Option(help: "Append a diagnostic log to this file.")
    var log: String?

    func run() throws {
        var chosen: ReportFormat?
        if let format {
            guard let known = ReportFormat(rawValue: format) else {
                throw ValidationError("unknown format \"\(SafeArgument.show(format))\"; choose \(ReportFormat.choices)")
            }
            chosen = known
        }
        let document: ReportDocument
        let restored: ReportDocument.Restored
        do {
            document = try ReportReader.read(path: report)
            restored = try document.restored()
        } catch let problem as ReportReader.Problem {
            throw ValidationError(problem.description)
        }
        let status = document.isHealthy ? ExitStatus.healthy : ExitStatus.diagnosed
        let log = try log.map { try DiagnosticLog(path: $0) }
        if chosen == nil, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            let code = try WizardLauncher.show(document, restored: restored, source: report, log: log)
            throw ExitCode(code)
        }
        FileHandle.standardOutput.write(Data((chosen ?? .text).render(document).utf8))
        throw ExitCode(status)
    }
}
