import CAres
import FuzzSupport
@testable import Probes

/// c-ares wants its library initialised once before parsing.
let aresReady: Int32 = ares_library_init(ARES_LIB_INIT_ALL)

/// A DNS message as received, read for each record type smtp-doctor asks
/// for (A, AAAA, MX, TXT, PTR) through c-ares's rdata parsers and the
/// product's own CNAME walk; the outcome's summary is what reports show.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSAnswer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = aresReady
    let message = FuzzInput(data, size).bytes
    guard !message.isEmpty, message.count <= 65_535 else { return 0 }
    for type in DNSRecordType.allCases {
        let outcome = message.withUnsafeBufferPointer { raw in
            DNSAnswerParser.outcome(status: ARES_SUCCESS, type: type, buffer: raw.baseAddress, length: Int32(raw.count))
        }
        _ = outcome.summary
        _ = outcome.isResolverFailure
        require(outcome == DNSAnswerParser.parse(message, type: type) || {
            if case .cname = outcome { return true } else { return false }
        }(), "outcome() and parse() disagree for \(type)")
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_dns_answer_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDNSAnswer)
}
