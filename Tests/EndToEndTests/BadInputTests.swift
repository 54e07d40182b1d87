import XCTest

/// Bad input: a clear one-line message and exit status 2, never a crash or a stack trace.
final class BadInputTests: XCTestCase {
    private func assertUsageError(_ args: [String], mentions: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try Harness.run(args)
        XCTAssertEqual(run.status, 2, "exit status for \(args)", file: file, line: line)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.contains(mentions), run.stderr, file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Fatal error") || run.stderr.contains("backtrace"), file: file, line: line)
        XCTAssertTrue(run.stdout.isEmpty, file: file, line: line)
    }

    func testInvalidHostName() throws {
        try assertUsageError(["check", "--host", "mail_server!.example"], mentions: "invalid host")
        try assertUsageError(["check", "--host", "a..b"], mentions: "empty label")
        try assertUsageError(["check", "--host", "192.0.2.300"], mentions: "neither a valid IP address")
        try assertUsageError(["check", "--host", "bad\u{1b}[31mhost"], mentions: "invalid host")
    }

    func testEscapeSequencesInAHostNeverReachTheOutput() throws {
        let run = try Harness.run(["check", "--host", "x\u{1b}]0;pwned\u{07}"])
        XCTAssertFalse(run.stderr.contains("\u{1b}"))
    }

    func testPortOutOfRange() throws {
        try assertUsageError(["check", "--host", "mail.example", "--port", "70000"], mentions: "out of range")
        try assertUsageError(["check", "--host", "mail.example", "--port", "0"], mentions: "out of range")
    }

    func testUnknownOption() throws {
        try assertUsageError(["check", "--host", "mail.example", "--frobnicate"], mentions: "--frobnicate")
    }

    func testBadDNSServer() throws {
        try assertUsageError(["check", "--host", "mail.example", "--dns-server", "dns.example"], mentions: "--dns-server")
        try assertUsageError(["check", "--host", "mail.example", "--dns-server", "127.0.0.1:99999"], mentions: "port")
    }

    func testOtherBadValues() throws {
        try assertUsageError(["check", "--host", "mail.example", "--format", "xml"], mentions: "format")
        try assertUsageError(["check", "--host", "mail.example", "--tls", "maybe"], mentions: "TLS mode")
        try assertUsageError(["check", "--host", "mail.example", "--timeout", "-1"], mentions: "timeout")
        try assertUsageError(["check", "--host", "mail.example", "-4", "-6"], mentions: "-4 and -6")
        try assertUsageError(["check", "--host", "mail.example", "--symptom", "sadness"], mentions: "symptom")
        try assertUsageError(["check"], mentions: "--host")
    }

    func testWithoutTerminalAndWithoutHost() throws {
        try assertUsageError([], mentions: "no terminal")
    }

    func testUnreachableDNSServerIsAFindingNotAnError() throws {
        // Nothing listens on this loopback port: the lookup fails at once, and that is a diagnosis.
        let run = try Harness.run(["check", "--format", "json", "--host", "mail.example.test", "--timeout", "2",
                                   "--dns-server", "127.0.0.1:9"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual((run.json?["verdict"] as? [String: Any])?["cause"] as? String, "dns-failure")
    }

    func testHelpExitsZero() throws {
        let run = try Harness.run(["check", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("--dns-server"))
    }
}
