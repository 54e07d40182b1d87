// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "smtp-doctor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smtp-doctor", targets: ["smtp-doctor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        // Test-only: reads the RFC 7208 SPF suite (YAML) from ../shared/conformance.
        .package(url: "https://github.com/jpsim/Yams", "5.0.0"..<"7.0.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CAres", path: "Sources/CAres"),
        // Small C helpers that Swift cannot express safely (signal-safe
        // terminal restore, ICMP error-queue reading).
        .target(name: "CSupport", path: "Sources/CSupport"),

        // The address type, shared by the probes and the record checks.
        .target(name: "Inet"),
        // SPF, DKIM keys, DMARC, blocklist answers: parsers and evaluators over
        // an abstract DNS (no sockets), so the public suites run from memory.
        .target(
            name: "MailAuth",
            dependencies: [
                "Inet",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),

        .target(
            name: "Probes",
            dependencies: [
                "CAres", "CSupport", "Inet", "MailAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Diagnosis", dependencies: ["Probes", "MailAuth"]),
        // "Explain this error": reply codes, provider texts, bounce messages.
        .target(name: "Explain", dependencies: ["Inet"]),
        .target(name: "Report", dependencies: ["Diagnosis", "Probes", "MailAuth", "Explain"]),
        .target(name: "TerminalUI", dependencies: ["Diagnosis", "Probes", "CNcurses", "CSupport"]),
        .executableTarget(
            name: "smtp-doctor",
            dependencies: [
                "Probes", "MailAuth", "Diagnosis", "Explain", "Report", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(
            name: "ProbesTests",
            dependencies: [
                "Probes",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        // Finds the shared public test suites (../shared/conformance) for the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "MailAuthTests",
            dependencies: [
                "MailAuth", "TestSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "ExplainTests", dependencies: ["Explain", "TestSupport"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "MailAuth"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ]
)
