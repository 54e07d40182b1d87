import Diagnosis
import Foundation
import FuzzSupport
import Report

/// A saved report as `smtp-doctor show` gets it from a stranger: decoded,
/// cleaned, turned back into the wizard's state and printed in every format.
/// Properties: what is decoded is bounded and free of control characters;
/// no printed format carries a control character but the line feed; the JSON
/// smtp-doctor writes of a report it read reads back with the same steps and
/// findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReportReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let document: ReportDocument
    do {
        document = try ReportReader.decode(Data(input.bytes))
    } catch is ReportReader.Problem {
        return 0
    } catch {
        require(false, "decode threw something other than a Problem: \(error)")
        return 0
    }
    require(document.tool.name == "smtp-doctor", "accepted a report of \(document.tool.name.debugDescription)")
    let limit = ReportReader.listLimit
    require(document.steps.count <= limit && document.findings.count <= limit, "lists past \(limit)")
    for list in [document.remediation, document.transcript, document.dnsLookups ?? []] + document.steps.map(\.evidence) {
        require(list.count <= limit + 1, "a list of \(list.count) lines kept")
    }
    for text in strings(of: document) {
        requireClean(text, lineFeeds: false, "decoded field")
        // Cleaning can write one character as eight (CR LF, one Character, as \x0D\x0A); the cut adds its mark.
        require(text.count <= ReportReader.textLimit * 8 + 16, "a field of \(text.count) characters kept")
    }

    if let restored = try? document.restored() {
        require(restored.state.steps.count == document.steps.count, "steps lost in restoring")
    }
    for format in ReportFormat.allCases where format != .json {
        requireClean(format.render(document), lineFeeds: true, "\(format) output")
    }
    let json = ReportFormat.json.render(document)
    do {
        let again = try ReportReader.decode(Data(json.utf8))
        require(again.steps.count == document.steps.count && again.findings.count == document.findings.count,
                "the JSON written of a report read back with other steps or findings")
    } catch {
        require(false, "the JSON written of a report it read does not read back: \(error)")
    }
    return 0
}

/// Every text field a reader shows, the SPF tree's included.
private func strings(of d: ReportDocument) -> [String] {
    var all = [d.tool.name, d.tool.version, d.generatedAt, d.symptom, d.target.host, d.target.tls, d.target.family,
               d.verdict.cause, d.verdict.summary]
    all += [d.target.domain, d.target.sendingIP, d.target.helo].compactMap { $0 }
    all += (d.target.dkimSelectors ?? []) + (d.target.dnsblZones ?? [])
    all += d.findings.flatMap { [$0.cause, $0.severity, $0.summary] + $0.evidence }
    all += d.steps.flatMap { [$0.id, $0.hypothesis, $0.probe, $0.outcome] + $0.evidence }
    all += d.remediation + d.transcript + (d.dnsLookups ?? [])
    if let spf = d.spf { all += [spf.domain, spf.result] + [spf.explanation].compactMap { $0 } }
    return all
}

private func requireClean(_ text: String, lineFeeds: Bool, _ what: String) {
    for scalar in text.unicodeScalars {
        let v = scalar.value
        if lineFeeds && v == 0x0a { continue }
        require(!(v < 0x20 || v == 0x7f || (0x80..<0xa0).contains(v)),
                "\(what) holds U+\(String(v, radix: 16)): \(String(text.prefix(300)).debugDescription)")
    }
}

@_cdecl("fuzz_report_reader_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzReportReader)
}
