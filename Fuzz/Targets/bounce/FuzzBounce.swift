import Explain
import Foundation
import FuzzSupport

/// A bounce message as strangers send it: MIME, RFC 3464 reports and the
/// non-standard formats. Properties: the limits hold and every string in the
/// report is free of control characters (it may reach a terminal).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBounce(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let report = BounceParser.parse(input.bytes)
    require(report.recipients.count <= MIMELimits.standard.maxRecipients, "\(report.recipients.count) recipients")
    for recipient in report.recipients {
        for text in [recipient.address, recipient.reason] + [recipient.diagnosticCode, recipient.remoteMTA].compactMap({ $0 }) {
            require(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "control character in \(text.debugDescription)")
        }
        if let code = recipient.replyCode { require((200...599).contains(code), "reply code \(code)") }
    }
    return 0
}

@_cdecl("fuzz_bounce_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzBounce)
}
