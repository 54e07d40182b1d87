import ArgumentParser
import Explain
import Foundation
import Report

/// `smtp-doctor explain TEXT | --file bounce.eml`: a reply, a log line or a
/// bounce in plain words, with what it names and the checks that would
/// confirm it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an SMTP error, a log line or a bounce message in plain words.",
        discussion: """
        Give the text as arguments (quote it), `-` to read it from standard input, \
        or --file for a bounce message (.eml). Exit status: 0 when nothing in it \
        is a failure, 1 when it reports one, 2 for bad usage.
        """
    )

    @Argument(help: "The error text (one or several reply lines), or - for standard input.")
    var text: [String] = []

    @Option(help: "A bounce message (delivery status notification) to read.")
    var file: String?

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    func run() throws {
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown format \"\(SafeArgument.show(format))\"; choose text or json")
        }
        let document: ExplainDocument
        if let file {
            guard text.isEmpty else { throw ValidationError("give either the text or --file, not both") }
            document = ExplainDocument(bounce: BounceParser.parse(try SavedFile.read(file, limit: SavedFile.messageLimit)))
        } else {
            var input = text.joined(separator: " ")
            if text == ["-"] || (text.isEmpty && isatty(STDIN_FILENO) == 0) {
                let data = FileHandle.standardInput.readData(ofLength: Self.stdinLimit + 1)
                input = String(decoding: data.prefix(Self.stdinLimit), as: UTF8.self)
            }
            guard !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("give the error text to explain (quoted), - to read it from standard input, or --file BOUNCE.eml")
            }
            document = ExplainDocument(text: input)
        }
        FileHandle.standardOutput.write(Data(document.render(json: format == "json").utf8))
        throw ExitCode(document.isHealthy ? ExitStatus.healthy : ExitStatus.diagnosed)
    }

    static let stdinLimit = 1024 * 1024
}
