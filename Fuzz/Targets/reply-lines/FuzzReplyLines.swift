import Explain
import FuzzSupport

/// Pasted reply and log lines: the parser, then the explainer. Properties:
/// bounded output, codes in range, no control character in any explanation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplyLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let replies = ReplyLineParser.parse(input.text)
    require(replies.count <= ReplyLineParser.maxReplies, "\(replies.count) replies")
    for reply in replies { if let code = reply.code { require((200...599).contains(code), "code \(code)") } }
    for explanation in Explainer.explain(input.text) {
        for text in [explanation.title, explanation.meaning, explanation.text] + explanation.advice {
            require(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7f }, "control character in \(text.debugDescription)")
        }
    }
    return 0
}

@_cdecl("fuzz_reply_lines_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzReplyLines)
}
