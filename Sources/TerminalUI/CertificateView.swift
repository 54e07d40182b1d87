import Diagnosis
import Foundation
import Probes

/// The certificate chain each TLS session was shown: every certificate's
/// subject, issuer, validity and names, and whether a careful client trusts it.
enum CertificateView {
    /// Names listed at most per certificate (a hostile one may carry thousands).
    static let nameLimit = 40

    static func lines(_ state: DiagnosisState?, width: Int) -> [Line] {
        guard let state else { return [Line(" No diagnosis has run yet.", .dim)] }
        guard let check = state.facts.smtp else {
            let why = state.symptom == .spam ? "The spam family holds no TLS session: there is no certificate to show."
                : "No SMTP session has finished in this run, so no certificate was seen."
            return ViewText.wrapped(why, width: width, style: .dim)
        }
        let sessions = ([check.primary] + (check.alternate.map { [$0] } ?? [])).filter { $0.tls != nil }
        guard !sessions.isEmpty else {
            return ViewText.wrapped("No TLS handshake got far enough to show a certificate (see the transcript, t).", width: width, style: .dim)
        }
        var lines: [Line] = []
        for session in sessions {
            guard let tls = session.tls else { continue }
            if !lines.isEmpty { lines.append(.blank) }
            let details = [tls.version, tls.cipherSuite].compactMap { $0 }.map(SafeText.clean).joined(separator: ", ")
            lines += ViewText.wrapped("\(session.address.endpoint(session.port)) \(TranscriptView.modeName(session.mode))" + (details.isEmpty ? "" : ": \(details)"),
                                      width: width, style: .bold)
            lines += ViewText.wrapped("Checked against: \(SafeText.clean(tls.trustDescription))", width: width, first: "  ", rest: "    ", style: .dim)
            if tls.problems.isEmpty {
                lines.append(Line("  Verdict: trusted (chain, dates and name all check out)", .good))
            } else {
                for problem in tls.problems {
                    lines += ViewText.wrapped("Problem: " + describe(problem), width: width, first: "  ", rest: "    ", style: .bad)
                }
            }
            if tls.chain.isEmpty { lines.append(Line("  The server presented no certificate.", .warn)) }
            for (index, certificate) in tls.chain.enumerated() {
                lines.append(.blank)
                let role = index == 0 ? "the server's own" : (certificate.selfIssued ? "self-issued (a root)" : "intermediate")
                lines.append(Line("  #\(index + 1) \(role)", .accent))
                lines += field("subject", SafeText.clean(certificate.subject), width: width)
                lines += field("issuer", SafeText.clean(certificate.issuer), width: width)
                lines += field("valid", "\(date(certificate.notBefore)) to \(date(certificate.notAfter))", width: width)
                let names = certificate.dnsNames.prefix(nameLimit).map(SafeText.clean)
                var shown = names.isEmpty ? "none (no DNS names)" : names.joined(separator: ", ")
                if certificate.dnsNames.count > nameLimit { shown += " ... and \(certificate.dnsNames.count - nameLimit) more" }
                lines += field("names", shown, width: width)
            }
        }
        return lines
    }

    static func field(_ label: String, _ value: String, width: Int) -> [Line] {
        let prefix = "     " + ViewText.column(label, 8)
        return ViewText.wrapped(value, width: width, first: prefix, rest: String(repeating: " ", count: prefix.count))
    }

    static func date(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    static func describe(_ problem: CertificateProblem) -> String {
        switch problem {
        case .expired(let notAfter):
            return "expired on \(date(notAfter))"
        case .notYetValid(let notBefore):
            return "not valid before \(date(notBefore))"
        case .hostnameMismatch(let host, let names):
            let shown = names.prefix(5).map(SafeText.clean).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            return "made out for \(names.isEmpty ? "no DNS name" : shown), not for \(SafeText.clean(host))"
        case .selfSigned(let subject):
            return "self-signed (\(SafeText.clean(subject))): no authority vouches for it"
        case .missingIntermediate(let issuer):
            return "the server sent no intermediate certificate; its issuer \(SafeText.clean(issuer)) is not a trusted root"
        case .unknownIssuer(let issuer, let detail):
            return "the chain ends at \(SafeText.clean(issuer)), which is not trusted (\(SafeText.clean(detail)))"
        }
    }
}
