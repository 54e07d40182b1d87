import Foundation
import XCTest
@testable import Probes

/// `Resolver` through a real c-ares channel, against servers on 127.0.0.1 only.
/// Outcomes are asserted, never durations.
final class ResolverTests: XCTestCase {
    private func resolver(_ server: DNSServer) throws -> Resolver {
        try Resolver(.init(servers: [server], timeout: .seconds(1)))
    }

    func testNothingListeningIsUnreachableOrTimeout() async throws {
        let port = try Loopback.closedPort(udp: true)
        let resolver = try resolver(DNSServer(address: Loopback.v4, port: port))
        let lookup = await resolver.lookup("mail.example.com", .a)
        XCTAssertTrue([.serverUnreachable, .timeout].contains(lookup.outcome), "\(lookup.outcome)")
        XCTAssertEqual(lookup.name, "mail.example.com")
        XCTAssertEqual(lookup.type, .a)
        XCTAssertEqual(lookup.server, "127.0.0.1:\(port)")
    }

    func testSilentServerIsTimeout() async throws {
        let silent = try Loopback.silentUDP()
        let resolver = try resolver(DNSServer(address: Loopback.v4, port: silent.port))
        let lookup = await resolver.lookup("mail.example.com", .aaaa)
        XCTAssertEqual(lookup.outcome, .timeout)
        XCTAssertTrue(lookup.evidenceLine.hasPrefix("AAAA mail.example.com @127.0.0.1:\(silent.port): no answer before the deadline ["))
    }

    func testLookupAllKeepsTheOrderAskedEvenWhenAllTimeOut() async throws {
        let silent = try Loopback.silentUDP()
        let resolver = try resolver(DNSServer(address: Loopback.v4, port: silent.port))
        let asked: [(String, DNSRecordType)] = [("a.example.com", .a), ("b.example.com", .mx), ("c.example.com", .txt)]
        let lookups = await resolver.lookupAll(asked)
        XCTAssertEqual(lookups.map(\.name), ["a.example.com", "b.example.com", "c.example.com"])
        XCTAssertEqual(lookups.map(\.type), [.a, .mx, .txt])
        XCTAssertEqual(lookups.map(\.outcome), [.timeout, .timeout, .timeout])
    }

    func testServerDescription() throws {
        XCTAssertEqual(try resolver(DNSServer(address: Loopback.v4, port: 5353)).serverDescription, "127.0.0.1:5353")
        XCTAssertEqual(try resolver(DNSServer(address: Loopback.v4, port: 53)).serverDescription, "127.0.0.1")
        XCTAssertEqual(try resolver(DNSServer(address: Loopback.v6, port: 5353)).serverDescription, "[::1]:5353")
    }

    func testAnswersFromARealServerAreTyped() async throws {
        typealias M = DNSMessageBuilder
        let responder = try LoopbackDNSResponder { name, type in
            switch (name, type) {
            case ("mail.example.com", M.typeA): return .init(answers: [(M.typeA, [192, 0, 2, 25])])
            case ("example.com", M.typeMX): return .init(answers: [(M.typeMX, M.u16(10) + M.labels("mail") + M.pointer(12))])
            case ("example.com", M.typeTXT): return .init(answers: [(M.typeTXT, M.characterStrings(["v=spf1 ", "-all"]))])
            case ("missing.example.com", _): return .init(rcode: 3)
            case ("broken.example.com", _): return .init(rcode: 2)
            case ("private.example.com", _): return .init(rcode: 5)
            default: return .init()
            }
        }
        defer { responder.stop() }
        let resolver = try resolver(responder.server)
        let lookups = await resolver.lookupAll([
            ("mail.example.com", .a), ("example.com", .mx), ("example.com", .txt), ("mail.example.com", .aaaa),
            ("missing.example.com", .a), ("broken.example.com", .a), ("private.example.com", .a),
        ])
        XCTAssertEqual(lookups.map(\.outcome), [
            .answer([.address(IPAddress("192.0.2.25")!, ttl: 300)], canonicalName: nil),
            .answer([.mx(preference: 10, exchange: "mail.example.com")], canonicalName: nil),
            .answer([.txt(strings: ["v=spf1 ", "-all"])], canonicalName: nil),
            .noData, .nxdomain, .serverFailure, .refused,
        ])
    }
}
