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
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CAres", path: "Sources/CAres"),
        // Small C helpers that Swift cannot express safely (signal-safe
        // terminal restore, ICMP error-queue reading).
        .target(name: "CSupport", path: "Sources/CSupport"),

        .target(name: "Probes", dependencies: ["CAres", "CSupport"]),
        .target(name: "Diagnosis", dependencies: ["Probes"]),
        .target(name: "Report", dependencies: ["Diagnosis"]),
        .target(name: "TerminalUI", dependencies: ["Diagnosis", "CNcurses", "CSupport"]),
        .executableTarget(
            name: "smtp-doctor",
            dependencies: [
                "Probes", "Diagnosis", "Report", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "ProbesTests", dependencies: ["Probes"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ]
)
