import Foundation
import XCTest

/// `smtp-doctor explain` (reply text and bounce files) and `check --message`
/// (a message signed here with the lab's DKIM key, verified through the lab's
/// real DNS server), plus the bad files every reader must survive.
final class ExplainAndMessageTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("smtp-doctor-explain-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    // MARK: explain

    func testExplainABlocklistRejection() throws {
        let run = try Harness.run(["explain", "--format", "json",
                                   "550 5.7.1 Service unavailable; client host [192.0.2.55] blocked using zen.spamhaus.org"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let json = try XCTUnwrap(run.json, run.stdout)
        XCTAssertEqual(json["family"] as? String, "spam")
        let codes = json["codes"] as? [String: Any]
        XCTAssertEqual(codes?["reply"] as? Int, 550)
        XCTAssertEqual(codes?["enhanced"] as? String, "5.7.1")
        let first = (json["explanations"] as? [[String: Any]])?.first
        XCTAssertEqual(first?["causes"] as? [String], ["ip-blocklisted"])
        let checks = (first?["nextChecks"] as? [[String: Any]] ?? []).compactMap { $0["commandLine"] as? String }
        XCTAssertTrue(checks.contains { $0.contains("--sending-ip 192.0.2.55") && $0.contains("--dnsbl zen.spamhaus.org") }, "\(checks)")
    }

    func testExplainReadsStandardInputAndSeveralReplies() throws {
        let path = try write("pasted.txt", "<<< 421 4.7.0 Try again later, closing connection.\n>>> RCPT TO:<x@example.test>\n<<< 535 5.7.8 Username and Password not accepted\n")
        let run = try Harness.run(["explain", "--file", path])   // not a bounce: said so, no crash
        XCTAssertNotEqual(run.status, 70, run.stderr)
        let text = try Harness.run(["explain", "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials"])
        XCTAssertTrue(text.stdout.contains("family: auth"), text.stdout)
        XCTAssertTrue(text.stdout.contains("auth-bad-credentials"), text.stdout)
    }

    func testExplainABounceFile() throws {
        let dsn = """
        From: MAILER-DAEMON@mx.example.test\r
        To: alice@healthy.spam.test\r
        Subject: Undelivered Mail Returned to Sender\r
        MIME-Version: 1.0\r
        Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"\r
        \r
        --BOUNDARY\r
        Content-Type: text/plain\r
        \r
        Your message could not be delivered.\r
        --BOUNDARY\r
        Content-Type: message/delivery-status\r
        \r
        Reporting-MTA: dns; mx.example.test\r
        \r
        Final-Recipient: rfc822; bob@example.test\r
        Action: failed\r
        Status: 5.1.1\r
        Remote-MTA: dns; mx2.example.test\r
        Diagnostic-Code: smtp; 550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown\r
        \r
        Final-Recipient: rfc822; carol@example.test\r
        Action: delayed\r
        Status: 4.2.2\r
        Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\r
        --BOUNDARY--\r

        """
        let path = try write("bounce.eml", dsn)
        let run = try Harness.run(["explain", "--format", "json", "--file", path])
        XCTAssertEqual(run.status, 1, run.stderr)
        let json = try XCTUnwrap(run.json, run.stdout)
        let recipients = try XCTUnwrap(json["recipients"] as? [[String: Any]])
        XCTAssertEqual(recipients.map { $0["address"] as? String }, ["bob@example.test", "carol@example.test"])
        XCTAssertEqual(recipients.map { $0["status"] as? String }, ["5.1.1", "4.2.2"])
        XCTAssertEqual(recipients.map { $0["replyCode"] as? Int }, [550, 452])
        XCTAssertEqual(recipients.map { $0["permanent"] as? Bool }, [true, false])
        XCTAssertEqual(recipients.map { $0["action"] as? String }, ["failed", "delayed"])
    }

    // MARK: check --message with the lab's DKIM key and DNS

    /// Signs `message` (CRLF lines) with the lab key, c=simple/simple, using openssl.
    private func signWithLabKey(headers: [String], body: String, domain: String) throws -> String {
        let key = Harness.labValue("LAB_DKIM_KEY")
        let selector = Harness.labValue("LAB_DKIM_SELECTOR")
        let bodyPath = try write("body.bin", body)
        let bodyHash = try openssl(["dgst", "-sha256", "-binary", bodyPath])
        let names = headers.map { String($0.prefix { $0 != ":" }).lowercased() }
        let unsigned = "DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=\(domain); s=\(selector); h=\(names.joined(separator: ":")); bh=\(bodyHash.base64EncodedString()); b="
        let input = headers.map { $0 + "\r\n" }.joined() + unsigned
        let inputPath = try write("signed-headers.bin", input)
        let signature = try openssl(["dgst", "-sha256", "-sign", key, inputPath])
        return unsigned + signature.base64EncodedString() + "\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body
    }

    private func openssl(_ arguments: [String]) throws -> Data {
        let out = scratch.appendingPathComponent("openssl.out").path
        let outcome = try Spawn.run("/usr/bin/openssl", arguments, stdout: out, limit: 30)
        XCTAssertEqual(outcome.status, 0, "openssl \(arguments)")
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    func testLabSignedMessageVerifiesAndOneAlteredByteFails() throws {
        try Harness.requireLab()
        let domain = Harness.labValue("LAB_SPAM_HEALTHY")
        let headers = ["From: Alice <alice@\(domain)>", "To: bob@example.test", "Subject: lab DKIM check",
                       "Date: Sun, 29 Nov 2026 08:00:00 +0000", "Message-ID: <lab-1@\(domain)>"]
        let body = "Hello from the lab.\r\nSecond line.\r\n"
        let message = try signWithLabKey(headers: headers, body: body, domain: domain)
        let good = try write("good.eml", message)
        let run = try Harness.run(["check", "--message", good, "--format", "json", "--dns-server", Harness.labValue("LAB_DNS")])
        let json = try XCTUnwrap(run.json, run.stdout + run.stderr)
        XCTAssertEqual((json["verdict"] as? [String: Any])?["cause"] as? String, "healthy", run.stdout)
        XCTAssertEqual(run.status, 0)

        let altered = try write("altered.eml", message.replacingOccurrences(of: "Hello from the lab.", with: "Hello from the lab!"))
        let bad = try Harness.run(["check", "--message", altered, "--format", "json", "--dns-server", Harness.labValue("LAB_DNS")])
        let badJSON = try XCTUnwrap(bad.json, bad.stdout + bad.stderr)
        let causes = (badJSON["findings"] as? [[String: Any]] ?? []).compactMap { $0["cause"] as? String }
        XCTAssertTrue(causes.contains("dkim-signature-invalid"), bad.stdout)
        XCTAssertTrue(bad.stdout.lowercased().contains("body hash"), bad.stdout)
        XCTAssertEqual(bad.status, 1)
    }

    // MARK: bad files

    func testBadFilesGetAClearAnswerNeverACrash() throws {
        var random = SystemRandomNumberGenerator()
        let binary = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &random) }
        let big = Array(repeating: Array("a line of a very large message body, repeated\r\n".utf8), count: 1_100_000).flatMap { $0 }   // ~50 MB
        let files: [(String, [UInt8])] = [
            ("empty.eml", []),
            ("binary.eml", binary),
            ("truncated.eml", Array("Content-Type: multipart/report; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@".utf8)),
            ("longheader.eml", Array(("Subject: " + String(repeating: "x", count: 1_048_576) + "\r\nFrom: a@b.test\r\n\r\nbody\r\n").utf8)),
            ("fifty-mb.eml", Array("From: a@b.test\r\nSubject: big\r\n\r\n".utf8) + big),
        ]
        for (name, bytes) in files {
            let path = try write(name, bytes)
            for command in [["explain", "--file", path], ["check", "--message", path, "--dns-server", "127.0.0.1:9"]] {
                let started = Date()
                let run = try Harness.run(command, limit: 120)
                XCTAssertTrue([0, 1].contains(run.status), "\(name) \(command[0]): status \(run.status)\n\(run.stderr)")
                XCTAssertFalse(run.stdout.isEmpty, "\(name) \(command[0]): says nothing")
                XCTAssertFalse(run.stdout.contains("\u{1b}"), "\(name): an escape byte reached the output")
                XCTAssertLessThan(Date().timeIntervalSince(started), 110, "\(name) \(command[0])")
            }
        }
        // Beyond the size limit: a usage error that says so.
        let huge = scratch.appendingPathComponent("huge.eml").path
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 65 * 1024 * 1024)
        try handle.close()
        for command in [["explain", "--file", huge], ["check", "--message", huge]] {
            let run = try Harness.run(command)
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertTrue(run.stderr.contains("at most 64 MiB"), run.stderr)
        }
        let missing = try Harness.run(["explain", "--file", scratch.appendingPathComponent("nope.eml").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("No such file"), missing.stderr)
    }
}
