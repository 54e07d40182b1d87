import Foundation
import XCTest
@testable import Probes

/// Address literals: parsing, canonical printing, reverse names.
final class IPAddressTests: XCTestCase {
    func testIPv4() throws {
        let ip = try XCTUnwrap(IPAddress("192.0.2.10"))
        XCTAssertEqual(ip.family, .ipv4)
        XCTAssertEqual(ip.bytes, [192, 0, 2, 10])
        XCTAssertEqual(ip.description, "192.0.2.10")
        XCTAssertEqual(ip.bracketed, "192.0.2.10")
    }

    func testIPv6IsPrintedCanonically() throws {
        let ip = try XCTUnwrap(IPAddress("2001:0DB8:0000:0000:0000:0000:0000:0025"))
        XCTAssertEqual(ip.family, .ipv6)
        XCTAssertEqual(ip.bytes, [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x25])
        XCTAssertEqual(ip.description, "2001:db8::25")
        XCTAssertEqual(ip.bracketed, "[2001:db8::25]")
        XCTAssertEqual(IPAddress("::1")?.bytes, [UInt8](repeating: 0, count: 15) + [1])
    }

    func testBracketedIPv6() {
        XCTAssertEqual(IPAddress("[2001:db8::25]"), IPAddress("2001:db8::25"))
        XCTAssertEqual(IPAddress("[::1]")?.family, .ipv6)
    }

    func testIPv4MappedIPv6StaysIPv6() {
        let ip = IPAddress("::ffff:192.0.2.10")
        XCTAssertEqual(ip?.family, .ipv6)
        XCTAssertEqual(ip?.description, "::ffff:192.0.2.10")
    }

    func testGarbageIsRejected() {
        let garbage = ["", " ", "192.0.2", "192.0.2.300", "192.0.2.10.", "192.0.2.10 ", "1.2.3.4.5", "example.com",
                       "2001:db8:::1", "2001:db8::g", "[2001:db8::1", "2001:db8::1]", "[]", "::1%lo", "0x7f.0.0.1"]
        for text in garbage {
            XCTAssertNil(IPAddress(text), "\"\(text)\" parsed")
        }
    }

    func testReverseNameIPv4() {
        XCTAssertEqual(IPAddress("192.0.2.10")?.reverseName, "10.2.0.192.in-addr.arpa")
        XCTAssertEqual(IPAddress("198.51.100.255")?.reverseName, "255.100.51.198.in-addr.arpa")
    }

    func testReverseNameIPv6() {
        // RFC 3596 2.5's own example.
        XCTAssertEqual(IPAddress("4321:0:1:2:3:4:567:89ab")?.reverseName,
                       "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa")
        XCTAssertEqual(IPAddress("2001:db8::1")?.reverseName,
                       "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
    }

    func testBinaryInitialisersAgreeWithText() {
        var v4 = in_addr()
        v4.s_addr = UInt32(0xC000020A).bigEndian
        XCTAssertEqual(IPAddress(ipv4: v4), IPAddress("192.0.2.10"))
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { raw in
            raw.copyBytes(from: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x25])
        }
        XCTAssertEqual(IPAddress(ipv6: v6), IPAddress("2001:db8::25"))
    }

    func testCodableUsesTheTextForm() throws {
        let list = [IPAddress("192.0.2.10")!, IPAddress("2001:db8::25")!]
        let json = try JSONEncoder().encode(list)
        XCTAssertEqual(String(decoding: json, as: UTF8.self), #"["192.0.2.10","2001:db8::25"]"#)
        XCTAssertEqual(try JSONDecoder().decode([IPAddress].self, from: json), list)
        XCTAssertThrowsError(try JSONDecoder().decode([IPAddress].self, from: Data(#"["192.0.2.300"]"#.utf8)))
    }
}
