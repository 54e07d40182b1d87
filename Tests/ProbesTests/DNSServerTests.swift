import XCTest
@testable import Probes

/// `--dns-server IP[:PORT]` parsing.
final class DNSServerTests: XCTestCase {
    private let loopback4 = IPAddress("127.0.0.1")!
    private let loopback6 = IPAddress("::1")!

    func testIPv4WithoutAPortUses53() {
        XCTAssertEqual(DNSServer.parse("127.0.0.1"), .success(DNSServer(address: loopback4, port: 53)))
        XCTAssertEqual(DNSServer(address: loopback4).description, "127.0.0.1")
    }

    func testIPv4WithAPort() {
        let server = DNSServer.parse("127.0.0.1:5353")
        XCTAssertEqual(server, .success(DNSServer(address: loopback4, port: 5353)))
        XCTAssertEqual(try server.get().description, "127.0.0.1:5353")
        XCTAssertEqual(try server.get().caresForm, "127.0.0.1:5353")
    }

    func testBracketedIPv6WithAPort() {
        let server = DNSServer.parse("[::1]:5353")
        XCTAssertEqual(server, .success(DNSServer(address: loopback6, port: 5353)))
        XCTAssertEqual(try server.get().description, "[::1]:5353")
    }

    func testBareIPv6Uses53() {
        XCTAssertEqual(DNSServer.parse("::1"), .success(DNSServer(address: loopback6, port: 53)))
        XCTAssertEqual(DNSServer.parse("2001:db8::53"), .success(DNSServer(address: IPAddress("2001:db8::53")!, port: 53)))
        XCTAssertEqual(DNSServer.parse("[::1]"), .success(DNSServer(address: loopback6, port: 53)))
        XCTAssertEqual(DNSServer(address: loopback6).caresForm, "[::1]:53")
    }

    func testPortOutOfRange() {
        XCTAssertEqual(DNSServer.parse("127.0.0.1:0"), .failure(.badPort("0")))
        XCTAssertEqual(DNSServer.parse("127.0.0.1:70000"), .failure(.badPort("70000")))
        XCTAssertEqual(DNSServer.parse("[::1]:0"), .failure(.badPort("0")))
        XCTAssertEqual(DNSServer.parse("[::1]:70000"), .failure(.badPort("70000")))
        XCTAssertEqual(DNSServer.parse("127.0.0.1:"), .failure(.badPort("")))
        XCTAssertEqual(DNSServer.parse("127.0.0.1:dns"), .failure(.badPort("dns")))
        XCTAssertEqual(DNSServer.parse("127.0.0.1:65535"), .success(DNSServer(address: loopback4, port: 65535)))
        XCTAssertEqual(DNSServer.Problem.badPort("0").description, "\"0\" is not a port between 1 and 65535")
    }

    func testHostNamesAreRejected() {
        XCTAssertEqual(DNSServer.parse("example.com"), .failure(.notAnAddress("example.com")))
        XCTAssertEqual(DNSServer.parse("example.com:53"), .failure(.notAnAddress("example.com:53")))
        XCTAssertEqual(DNSServer.parse(""), .failure(.notAnAddress("")))
        XCTAssertEqual(DNSServer.parse("[::1]5353"), .failure(.notAnAddress("[::1]5353")))
        XCTAssertEqual(DNSServer.parse("[example.com]:53"), .failure(.notAnAddress("[example.com]:53")))
    }
}
