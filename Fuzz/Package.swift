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

/// The product modules the targets need, with the product's dependencies.
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
    .target(name: "CSupport", path: "Product/CSupport"),
    // Whole, as the product builds it (the report reader needs Diagnosis, which needs the probes' types).
    .target(
        name: "Probes",
        dependencies: ["CAres", "CSupport", "Inet", "MailAuth", nio,
                       .product(name: "NIOPosix", package: "swift-nio"),
                       .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                       .product(name: "NIOTLS", package: "swift-nio"),
                       .product(name: "NIOSSL", package: "swift-nio-ssl"),
                       .product(name: "X509", package: "swift-certificates"),
                       .product(name: "SwiftASN1", package: "swift-asn1"),
                       .product(name: "Crypto", package: "swift-crypto")],
        path: "Product/Probes"
    ),
    .target(name: "Diagnosis", dependencies: ["Probes", "MailAuth"], path: "Product/Diagnosis"),
    .target(name: "Report", dependencies: ["Diagnosis", "Probes", "MailAuth", "Explain"], path: "Product/Report"),
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
    ("report-reader", ["Report", "Diagnosis", "FuzzSupport"]),
]

let package = Package(
    name: "smtp-doctor-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
    ],
    targets: productModules
        + [.target(name: "CFuzzer", path: "Support/CFuzzer"),
           .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Support/FuzzSupport")]
        + fuzzTargets.map { .executableTarget(name: "fuzz-\($0.name)", dependencies: $0.dependencies, path: "Targets/\($0.name)") }
)
