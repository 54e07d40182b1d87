import ArgumentParser
import Foundation
import MailAuth
import Probes

/// `smtp-doctor spf`: RFC 7208 check_host() for one address and sender,
/// with the reasoning and the record tree.
struct SPFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spf",
        abstract: "Evaluate SPF for a sending address and sender, and show why.",
        discussion: """
        Runs RFC 7208 check_host() as a receiver would at MAIL FROM (or for the \
        HELO name when the sender is empty). Exit status: 0 for pass, 1 for any \
        other result, 2 for bad usage.
        """
    )

    @Option(help: "The address the mail comes from.")
    var ip: String

    @Option(help: "The MAIL FROM address (or a bare domain); empty means the HELO identity.")
    var sender: String

    @Option(help: "The HELO/EHLO name of the sending server.")
    var helo: String?

    @Option(help: "Send every DNS lookup to this server: IP or IP:PORT, IPv6 as [IP]:PORT.")
    var dnsServer: String?

    @Option(help: "Deadline in seconds for each DNS lookup.")
    var timeout: Double = 5

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    struct Output: Encodable {
        var ip: String
        var sender: String
        var helo: String?
        var domain: String
        var result: String
        var explanation: String?
        var lookups: Int
        var voidLookups: Int
        var matched: String?
        var problem: SPFProblem?
        var steps: [String]
        var tree: SPFTreeNode
    }

    func run() throws {
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown format \"\(SafeArgument.show(format))\"; choose text or json")
        }
        guard let address = IPAddress(ip) else { throw ValidationError("invalid --ip \"\(SafeArgument.show(ip))\": not an IP address") }
        guard timeout > 0, timeout <= 600, timeout.isFinite else {
            throw ValidationError("timeout \(timeout) is out of range; use more than 0 and at most 600 seconds")
        }
        guard sender.utf8.count <= 320, !sender.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw ValidationError("invalid --sender: too long or holds control characters")
        }
        if sender.isEmpty && helo == nil { throw ValidationError("an empty --sender needs --helo NAME (SPF then checks the HELO identity)") }
        if let helo, helo.utf8.count > 255 || helo.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw ValidationError("invalid --helo: too long or holds control characters")
        }
        var server: DNSServer?
        if let dnsServer {
            switch DNSServer.parse(dnsServer) {
            case .success(let s): server = s
            case .failure(let problem): throw ValidationError("invalid --dns-server: \(problem)")
            }
        }
        let resolver: Resolver
        do {
            resolver = try TargetOptions.makeResolver(server, timeout: timeout)
        } catch {
            FileHandle.standardError.write(Data("smtp-doctor: \(error)\n".utf8))
            throw ExitCode(ExitStatus.toolFailed)
        }
        // A bare domain stands for postmaster@domain (RFC 7208 4.3).
        let mailFrom = sender.isEmpty || sender.contains("@") ? sender : "postmaster@\(sender)"
        let heloName = helo ?? "unknown"
        let dns = ResolverMailDNS(resolver: resolver)
        let evaluation = runBlocking {
            await SPFEvaluator(dns: dns).checkMailFrom(ip: address, mailFrom: mailFrom, helo: heloName)
        }
        let domain = mailFrom.isEmpty ? heloName : String(mailFrom.split(separator: "@", omittingEmptySubsequences: false).last ?? "")
        let output = Output(ip: address.description, sender: mailFrom, helo: helo, domain: domain, result: evaluation.result.rawValue,
                            explanation: evaluation.explanation, lookups: evaluation.lookups, voidLookups: evaluation.voidLookups,
                            matched: evaluation.matched, problem: evaluation.problem, steps: evaluation.steps, tree: evaluation.tree)
        FileHandle.standardOutput.write(Data((format == "json" ? json(output) : text(output)).utf8))
        throw ExitCode(evaluation.result == .pass ? ExitStatus.healthy : ExitStatus.diagnosed)
    }

    func json(_ output: Output) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(output) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func text(_ output: Output) -> String {
        let clean = SafeText.clean
        var lines = ["SPF check_host(\(output.ip), \(clean(output.domain)), \(clean(output.sender.isEmpty ? "<>" : output.sender))): \(output.result)"]
        if let matched = output.matched { lines.append("Decided by: \(clean(matched))") }
        if let explanation = output.explanation { lines.append("Explanation from the domain: \(clean(explanation))") }
        lines.append("DNS lookups: \(output.lookups) of 10 allowed; void lookups: \(output.voidLookups) of 2")
        if !output.steps.isEmpty {
            lines.append("")
            lines.append("Reasoning:")
            lines += output.steps.map { "  " + clean($0) }
        }
        lines.append("")
        lines.append("Record tree:")
        lines += output.tree.renderedLines().map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}
