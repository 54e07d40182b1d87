import Diagnosis
import Foundation
import MailAuth
import Probes

/// The report of one diagnosis as it is saved and exchanged (the JSON contract
/// of DESIGN.md). Built from a finished `DiagnosisState`.
public struct ReportDocument: Codable, Sendable, Equatable {
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    public struct Verdict: Codable, Sendable, Equatable {
        public var cause: String
        public var summary: String
    }

    public struct FindingEntry: Codable, Sendable, Equatable {
        public var cause: String
        public var severity: String
        public var summary: String
        public var evidence: [String]
    }

    public struct StepEntry: Codable, Sendable, Equatable {
        public var id: String
        public var hypothesis: String
        public var probe: String
        public var outcome: String
        public var evidence: [String]
        public var durationMs: Int
    }

    public struct TargetEntry: Codable, Sendable, Equatable {
        public var host: String
        public var port: Int
        public var tls: String
        public var controlPort: Int
        public var family: String
        public var timeoutSeconds: Double
        /// Spam family: the sender's domain, sending address, selectors, blocklists, HELO name.
        public var domain: String?
        public var sendingIP: String?
        public var dkimSelectors: [String]?
        public var dnsblZones: [String]?
        public var helo: String?
    }

    /// The SPF evaluation (spam family): check_host() for the sending address
    /// when one was given, else the analysis of the whole record tree.
    public struct SPFEntry: Codable, Sendable, Equatable {
        public var domain: String
        public var result: String
        public var explanation: String?
        public var lookups: Int
        public var voidLookups: Int
        public var tree: SPFTreeNode
    }

    public var tool: Tool
    public var generatedAt: String
    public var symptom: String
    public var target: TargetEntry
    public var verdict: Verdict
    public var findings: [FindingEntry]
    public var steps: [StepEntry]
    public var remediation: [String]
    /// The SMTP conversation, AUTH payloads redacted (empty until a family talks SMTP).
    public var transcript: [String]
    public var spf: SPFEntry?
    /// Every DNS lookup the record checks made (spam family), as evidence lines.
    public var dnsLookups: [String]?

    public static let toolVersion = "0.1.0"

    public init(_ state: DiagnosisState, generatedAt: Date = Date()) {
        tool = Tool(name: "smtp-doctor", version: Self.toolVersion)
        self.generatedAt = ISO8601DateFormatter().string(from: generatedAt)
        symptom = state.symptom.rawValue
        let t = state.target
        target = TargetEntry(host: t.host, port: t.port, tls: t.tls.rawValue, controlPort: t.controlPort,
                             family: t.family.rawValue, timeoutSeconds: t.timeoutSeconds,
                             domain: t.domain, sendingIP: t.sendingIP?.description,
                             dkimSelectors: t.domain == nil ? nil : t.dkimSelectors,
                             dnsblZones: t.domain == nil ? nil : t.dnsblZones, helo: t.heloName)
        let verdict = state.verdict
        self.verdict = Verdict(cause: verdict?.cause.rawValue ?? "unknown",
                               summary: verdict?.summary ?? "The diagnosis did not finish.")
        findings = state.findings.map {
            FindingEntry(cause: $0.cause.rawValue, severity: $0.severity.rawValue, summary: $0.summary, evidence: $0.evidence)
        }
        steps = state.steps.map { step in
            let outcome: String
            switch step.status {
            case .confirmed, .ruledOut, .inconclusive, .skipped: outcome = step.status.rawValue
            case .waiting, .running: outcome = StepStatus.skipped.rawValue
            }
            return StepEntry(id: step.id, hypothesis: step.hypothesis, probe: step.probe.rawValue,
                             outcome: outcome, evidence: step.evidence, durationMs: step.durationMs ?? 0)
        }
        remediation = state.remediation
        // The conversation as the person's client would hold it, then its opposite-TLS twin.
        var lines: [String] = []
        if let smtp = state.facts.smtp {
            lines = smtp.primary.transcript.map(\.rendered)
            if let twin = smtp.alternate {
                lines.append("=== the same port in \(twin.mode.rawValue) mode, tried at the same time:")
                lines += twin.transcript.map(\.rendered)
            }
        }
        transcript = lines
        if let check = state.facts.spf {
            let evaluation = check.authorization ?? check.analysis
            spf = SPFEntry(domain: check.domain, result: evaluation.result.rawValue, explanation: evaluation.explanation,
                           lookups: check.analysis.lookups, voidLookups: check.analysis.voidLookups, tree: check.analysis.tree)
        }
        let facts = state.facts
        let lookups = (facts.spf?.lookups ?? []) + (facts.dkim?.lookups ?? []) + (facts.dmarc?.lookups ?? [])
            + (facts.blocklists?.lookups ?? []) + (facts.reverseDNS?.lookups ?? []) + (facts.mx?.lookups ?? [])
        dnsLookups = lookups.isEmpty ? nil : lookups.map { SafeText.clean($0.evidenceLine) }
    }

    /// True when the verdict is that nothing is wrong.
    public var isHealthy: Bool { verdict.cause == Cause.healthy.rawValue }
}
