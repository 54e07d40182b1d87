import FuzzSupport
@testable import MailAuth

/// The tag=value list of RFC 6376 3.2 (DKIM signatures and keys; DMARC
/// borrows it), in both name modes: a parsed list, written out again as
/// `name=value;...`, parses to the same tags.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDKIMTagList(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput(data, size).text
    for caseInsensitive in [false, true] {
        guard case .success(let list) = DKIMTagList.parse(text, caseInsensitiveNames: caseInsensitive) else { continue }
        require(!list.tags.isEmpty, "a list parsed with no tags")
        for tag in list.tags {
            require(!tag.name.isEmpty, "a tag without a name")
            require(list.index(of: tag.name, ignoringCase: caseInsensitive) != nil, "tag \(tag.name) not found again")
        }
        let again = list.tags.map { $0.name + "=" + $0.value }.joined(separator: ";")
        switch DKIMTagList.parse(again, caseInsensitiveNames: caseInsensitive) {
        case .failure(let error):
            require(false, "a parsed list written out does not parse: \(again.debugDescription): \(error)")
        case .success(let reparsed):
            require(reparsed == list, "a parsed list written out parses differently: \(again.debugDescription)")
        }
    }
    return 0
}

/// The program's entry (see `runFuzzer`): libFuzzer with the function above.
@_cdecl("fuzz_dkim_tag_list_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDKIMTagList)
}
