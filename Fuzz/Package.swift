// swift-tools-version:6.0
// libFuzzer targets for smtp-doctor's parsers of untrusted input.
//
// Build and run through Scripts/fuzz.sh (which passes
// `-sanitize=fuzzer,address -parse-as-library`); see Fuzz/README.md.
//
// The product's own source folders are reached through the symlinks in
// Fuzz/Product (SwiftPM refuses target paths outside the package), compiled
// here as modules of the same names, so a target can `@testable import` them
// and reach internal parsers.
import Foundation
import PackageDescription

/// Every Swift file under `folder` but `keep` (paths relative to it): what a
/// target that builds a few files of a product folder must exclude.
func allSwiftFiles(in folder: String, but keep: [String]) -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(folder).resolvingSymlinksInPath().path
    let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
    return all.filter { $0.hasSuffix(".swift") && !keep.contains($0) }.sorted()
}

let probesDecoders = ["Exports.swift", "DNSTypes.swift", "DNSAnswerParser.swift",
                      "SMTP/SMTPReply.swift", "SMTP/SMTPReplyDecoder.swift"]

/// The product modules the targets need: name, sources (nil: the whole folder),
/// folders left out, dependencies.
let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let productModules: [Target] = [
    .systemLibrary(name: "CAres", path: "Product/CAres"),
    .target(name: "Inet", path: "Product/Inet"),
    .target(
        name: "MailAuth",
        dependencies: ["Inet", .product(name: "SwiftASN1", package: "swift-asn1"),
                       .product(name: "Crypto", package: "swift-crypto"),
                       .product(name: "_CryptoExtras", package: "swift-crypto")],
        path: "Product/MailAuth"
    ),
    .target(name: "Explain", dependencies: ["Inet"], path: "Product/Explain"),
    // Only the pure decoders of the Probes module: no sockets, no TLS.
    .target(
        name: "Probes",
        dependencies: ["CAres", "Inet", nio],
        path: "Product/Probes",
        exclude: allSwiftFiles(in: "Product/Probes", but: probesDecoders),
        sources: probesDecoders
    ),
]

/// One entry per fuzz target: its name (folder Targets/<name>, executable
/// fuzz-<name>, corpus Fuzz/corpus/<name>) and the modules it imports.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("smtp-reply", ["Probes", "FuzzSupport", nio]),
    ("spf-record", ["MailAuth", "FuzzSupport"]),
    ("spf-macro", ["MailAuth", "FuzzSupport"]),
    ("spf-eval", ["MailAuth", "FuzzSupport"]),
    ("dmarc-record", ["MailAuth", "FuzzSupport"]),
    ("dkim-key", ["MailAuth", "FuzzSupport"]),
    ("dkim-tag-list", ["MailAuth", "FuzzSupport"]),
    ("dns-answer", ["Probes", "CAres", "FuzzSupport"]),
    ("bounce", ["Explain", "FuzzSupport"]),
    ("reply-lines", ["Explain", "FuzzSupport"]),
    ("dkim-signature", ["MailAuth", "FuzzSupport"]),
]

let package = Package(
    name: "smtp-doctor-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: productModules
        + [.target(name: "CFuzzer", path: "Support/CFuzzer"),
           .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Support/FuzzSupport")]
        + fuzzTargets.map { .executableTarget(name: "fuzz-\($0.name)", dependencies: $0.dependencies, path: "Targets/\($0.name)") }
)
