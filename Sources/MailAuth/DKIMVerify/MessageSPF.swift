import Foundation
import Inet

/// SPF as it bears on a saved message's DMARC: the envelope (MAIL FROM)
/// domain, the SPF result for it, and where that result came from.
public struct MessageSPF: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// Evaluated here for the sending address given.
        case evaluated(IPAddress)
        /// Read from an Authentication-Results field (RFC 8601) written by this server.
        case authenticationResults(authservID: String)
        /// Read from a Received-SPF field (RFC 7208 9.1).
        case receivedSPF
        /// Not known: no sending address given and no result in the header.
        case unknown
    }

    public var source: Source
    public var result: SPFResult?
    /// The MAIL FROM domain SPF is about (the Return-Path's, or the one
    /// the header result names).
    public var domain: String?
    /// The full evaluation when SPF was evaluated here.
    public var evaluation: SPFEvaluation?
    public var evidence: [String]

    public init(source: Source, result: SPFResult? = nil, domain: String? = nil, evaluation: SPFEvaluation? = nil,
                evidence: [String] = []) {
        self.source = source
        self.result = result
        self.domain = domain
        self.evaluation = evaluation
        self.evidence = evidence
    }

    /// Finds the SPF result: evaluated for `ip` when given, else read from
    /// the topmost Authentication-Results or Received-SPF field that has one.
    static func find(message: SavedMessage, dns: any MailDNS, ip: IPAddress?) async -> MessageSPF {
        let returnPath = message.fields(named: "Return-Path").first.flatMap { message.value($0, limit: 4096) }
        let envelope = returnPath.map(Self.address)
        if let ip {
            guard let envelope, !envelope.isEmpty else {
                return MessageSPF(source: .unknown, evidence: [
                    returnPath == nil
                        ? "no Return-Path field: the envelope sender (MAIL FROM) is not known, so SPF was not evaluated for \(ip)"
                        : "the Return-Path is empty (a bounce): SPF would check the HELO name, which a saved message does not record",
                ])
            }
            let evaluation = await SPFEvaluator(dns: dns).checkMailFrom(ip: ip, mailFrom: envelope, helo: "unknown")
            let domain = Self.domain(of: envelope)
            return MessageSPF(source: .evaluated(ip), result: evaluation.result, domain: domain, evaluation: evaluation,
                              evidence: ["SPF evaluated here for \(ip) sending as \(SafeShown.text(envelope, limit: 120)): "
                                         + evaluation.result.rawValue])
        }
        if let found = SPFHeaderReader.authenticationResults(message) ?? SPFHeaderReader.receivedSPF(message) {
            var spf = found
            if spf.domain == nil, let envelope, !envelope.isEmpty { spf.domain = Self.domain(of: envelope) }
            return spf
        }
        var spf = MessageSPF(source: .unknown, evidence: [
            "no sending address was given and no Authentication-Results or Received-SPF field records an SPF result",
        ])
        if let envelope, !envelope.isEmpty { spf.domain = Self.domain(of: envelope) }
        return spf
    }

    /// The address inside `<...>`, or the whole value.
    static func address(_ value: String) -> String {
        var text = Substring(value)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = DMARCAlignment.normalized(String(address[address.index(after: at)...]))
        return domain.isEmpty ? nil : domain
    }
}
