@testable import Diagnosis
import Foundation
@testable import Probes
@testable import TerminalUI
import XCTest

/// Finished runs built by the real reducer from hand-made observations
/// (documentation addresses only), for the evidence views' tests.
enum EvidenceFixture {
    static let host = "mail.example.com"
    static let v4 = IPAddress("192.0.2.10")!
    static let dnsServer = "192.0.2.53:5353"

    static func lookup(_ name: String, _ type: DNSRecordType, _ outcome: DNSOutcome) -> DNSLookup {
        DNSLookup(name: name, type: type, server: dnsServer, outcome: outcome, elapsedMs: 3)
    }

    static func transcript(_ lines: [String]) -> [TranscriptLine] {
        lines.enumerated().map { index, line in
            let marker = line.prefix(while: { $0 != " " })
            let text = String(line.dropFirst(marker.count + 1))
            let (direction, encrypted): (TranscriptLine.Direction, Bool) = switch marker {
            case "->": (.sent, false)
            case "~>": (.sent, true)
            case "<-": (.received, false)
            case "<~": (.received, true)
            case "***": (.error, false)
            default: (.info, false)
            }
            return TranscriptLine(direction: direction, encrypted: encrypted, offsetMs: index * 10, text: text)
        }
    }

    static let leaf = CertificateSummary(subject: "CN=mail.example.com", issuer: "CN=Example Issuing CA",
                                         dnsNames: [host, "smtp.example.com"],
                                         notBefore: Date(timeIntervalSince1970: 1_735_689_600), notAfter: Date(timeIntervalSince1970: 1_798_761_600),
                                         selfIssued: false)
    static let intermediate = CertificateSummary(subject: "CN=Example Issuing CA", issuer: "CN=Example Root", dnsNames: [],
                                                 notBefore: Date(timeIntervalSince1970: 1_600_000_000), notAfter: Date(timeIntervalSince1970: 1_900_000_000),
                                                 selfIssued: false)

    /// A healthy STARTTLS session on 587 that logged in with PLAIN when `authenticated`.
    static func startTLSSession(port: Int = 587, authenticated: Bool = false, problems: [CertificateProblem] = []) -> SMTPSessionObservation {
        let ehlo = SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "STARTTLS"])
        let after = SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "AUTH PLAIN LOGIN"])
        var lines = ["=== Trying 192.0.2.10:\(port) (opportunistic)", "=== Connected (3 ms)",
                     "<- 220 mail.example.com ESMTP ready", "-> EHLO smtp-doctor.invalid",
                     "<- 250-mail.example.com", "<- 250-PIPELINING", "<- 250 STARTTLS",
                     "-> STARTTLS", "<- 220 2.0.0 Ready to start TLS", "=== TLS established (TLSv1.3)",
                     "~> EHLO smtp-doctor.invalid", "<~ 250-mail.example.com", "<~ 250-PIPELINING", "<~ 250 AUTH PLAIN LOGIN"]
        if authenticated { lines += ["~> AUTH PLAIN [credentials hidden]", "<~ 235 2.7.0 Authentication successful"] }
        lines += ["~> QUIT", "<~ 221 2.0.0 Bye"]
        return SMTPSessionObservation(
            address: v4, port: port, mode: .opportunistic, end: .completed, connectMs: 3,
            greeting: SMTPReply(code: 220, lines: ["mail.example.com ESMTP ready"]), greetingDelayMs: 40,
            ehloBeforeTLS: ehlo, ehloAfterTLS: after,
            tls: TLSObservation(version: "TLSv1.3", chain: [leaf, intermediate], problems: problems, trustDescription: "the system trust store"),
            firstBytes: Array("220 ".utf8), bytesReceived: 600, transcript: transcript(lines), elapsedMs: 180,
            deadlines: StageDeadlines(allMs: 5000), authMechanism: authenticated ? .plain : nil, authenticated: authenticated)
    }

    /// The implicit-TLS twin failing on a STARTTLS port, as it should.
    static func implicitTwinFails(port: Int = 587) -> SMTPSessionObservation {
        SMTPSessionObservation(
            address: v4, port: port, mode: .implicit, end: .tlsFailed(stage: .tlsHandshake, detail: "wrong version number"), connectMs: 3,
            greeting: nil, greetingDelayMs: nil, ehloBeforeTLS: nil, ehloAfterTLS: nil, tls: nil, firstBytes: Array("220 ".utf8),
            bytesReceived: 40, transcript: transcript(["=== Trying 192.0.2.10:\(port) (implicit)", "=== Connected (3 ms)",
                                                       "*** TLS handshake failed: wrong version number"]),
            elapsedMs: 20, deadlines: StageDeadlines(allMs: 5000))
    }

    /// Runs `symptom` to its verdict: DNS (started at 0, 4 ms), then the port
    /// scan (starts 4, 12 ms) and the SMTP session (starts 5, 180 ms) at once.
    static func run(_ target: Target, symptom: Symptom = .timeout, open: Set<Int> = [25, 465, 587, 2525, 443],
                    primary: SMTPSessionObservation? = nil) -> DiagnosisState {
        var state = DiagnosisState(target: target, symptom: symptom)
        var pending = DiagnosisReducer.reduce(&state, .started)
        let clock = 1000
        while let effect = pending.first {
            pending.removeFirst()
            guard case .run(let request, let runID) = effect else { continue }
            let observation: Observation
            let duration: Int
            switch request {
            case .resolveHost(let name, _):
                observation = .resolution(HostResolution(host: name, lookups: [
                    lookup(name, .a, .answer([.address(v4, ttl: 300)], canonicalName: nil)), lookup(name, .aaaa, .noData)]))
                duration = 4
            case .scanPorts(let addresses, let ports, let seconds):
                let results = addresses.flatMap { address in ports.map {
                    PortProbeResult(address: address, port: $0, state: open.contains($0) ? .open : .refused, elapsedMs: 1)
                } }
                observation = .portScan(PortScan(results: results, deadlineMs: Int(seconds * 1000)))
                duration = 12
            case .smtpSession(let session):
                observation = .smtp(SMTPCheck(primary: primary ?? startTLSSession(port: session.port), alternate: implicitTwinFails(port: session.port)))
                duration = 180
            default:
                preconditionFailure("no fixture for \(request)")
            }
            let start = clock + (request.kind == .dns ? 0 : (request.kind == .tcpConnect ? 4 : 5))
            pending += DiagnosisReducer.reduce(&state, .probeFinished(runID: runID, request: request, observation: observation,
                                                                       durationMs: duration, startedAtMs: start))
        }
        return state
    }

    /// A wizard on `screen` at a size, with the run.
    static func model(_ state: DiagnosisState, screen: Screen = .steps, rows: Int = 24, columns: Int = 80) -> WizardModel {
        var model = WizardModel(target: state.target, prefilledHost: true)
        model.diagnosis = state
        model.screen = screen
        model.rows = rows
        model.columns = columns
        model.selectedStep = state.steps.firstIndex { $0.status == .confirmed } ?? 0
        return model
    }

    @discardableResult
    static func press(_ model: inout WizardModel, _ keys: Key...) -> [WizardEffect] {
        var effects: [WizardEffect] = []
        for key in keys { effects += WizardReducer.reduce(&model, .key(key)) }
        return effects
    }

    static func type(_ model: inout WizardModel, _ text: String) {
        for c in text { _ = WizardReducer.reduce(&model, .key(.char(c))) }
    }

    static func assertFits(_ frame: Frame, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(frame.lines.count, frame.rows, file: file, line: line)
        for (i, row) in frame.lines.enumerated() {
            XCTAssertLessThanOrEqual(row.text.count, frame.columns, "row \(i) too wide: \(row.text)", file: file, line: line)
        }
    }
}
