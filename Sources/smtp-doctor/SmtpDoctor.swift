import ArgumentParser
import Foundation
import Report

/// `smtp-doctor`: the wizard on a terminal, the text report elsewhere.
/// The wizard is the default subcommand, so `smtp-doctor --host H` opens it
/// and the other subcommands' options never collide with its own.
struct SmtpDoctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp-doctor",
        abstract: "Find out why email will not send, and how to fix it.",
        discussion: """
        Without a subcommand, opens the wizard when standard input and output are a \
        terminal; otherwise runs the same checks as `check` and prints the text report.
        """,
        subcommands: [WizardCommand.self, CheckCommand.self, ShowCommand.self, ExplainCommand.self, SPFCommand.self],
        defaultSubcommand: WizardCommand.self
    )
}

/// The wizard (the default when no subcommand is named).
struct WizardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "Open the wizard (the default): pick a symptom, watch each check, read the verdict."
    )

    @OptionGroup var options: TargetOptions

    @Flag(help: .hidden) var debugCrashAfterStart = false

    @Flag(help: .hidden) var debugStrayOutput = false

    func run() throws {
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            let code = try WizardLauncher.launch(options, crashAfterStart: debugCrashAfterStart, strayOutput: debugStrayOutput)
            throw ExitCode(code)
        }
        guard options.host != nil || options.domain != nil else {
            throw ValidationError("no terminal here: give --host NAME to get a text report (or run `smtp-doctor check`)")
        }
        throw ExitCode(try CheckCommand.diagnose(options.resolved(), format: .text, log: try options.openLog()))
    }
}

@main
enum Main {
    static func main() {
        do {
            var command = try SmtpDoctor.parseAsRoot()
            try command.run()
        } catch {
            let code = SmtpDoctor.exitCode(for: error)
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            if code == .success {
                // --help and --version.
                print(SmtpDoctor.fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = SmtpDoctor.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("smtp-doctor: \(SafeArgument.clean(message))\n".utf8))
            Foundation.exit(code == .failure ? ExitStatus.toolFailed : ExitStatus.usage)
        }
    }
}
