import Foundation
import XCTest
@testable import Probes

/// `TCPProbe.probe` over real sockets on the loopback interface.
final class TCPProbeTests: XCTestCase {
    let deadline = Duration.seconds(2)

    func testListeningPortIsOpen() async throws {
        let listener = try Loopback.listener()
        let results = await TCPProbe.probe([listener.target], deadline: deadline)
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results.first?.state, .open)
        XCTAssertEqual(results.first?.address, Loopback.v4)
        XCTAssertEqual(results.first?.port, listener.port)
        XCTAssertNil(results.first?.errno)
        XCTAssertNil(results.first?.icmp)
        XCTAssertEqual(results.first?.prohibited, false)
    }

    func testClosedPortIsRefused() async throws {
        let port = try Loopback.closedPort()
        let results = await TCPProbe.probe([ConnectTarget(address: Loopback.v4, port: port)], deadline: deadline)
        XCTAssertEqual(results.first?.state, .refused)
        XCTAssertEqual(results.first?.errno, "ECONNREFUSED")
        XCTAssertEqual(results.first?.blockedLocally, false)
        XCTAssertEqual(results.first?.state.answered, true)
        XCTAssertTrue(results.first?.evidenceLine.hasPrefix("127.0.0.1:\(port) refused (TCP reset after ") ?? false)
    }

    func testManyTargetsComeBackInRequestOrder() async throws {
        let first = try Loopback.listener()
        let second = try Loopback.listener()
        let closedA = try Loopback.closedPort()
        let closedB = try Loopback.closedPort()
        let targets = [
            ConnectTarget(address: Loopback.v4, port: closedA), second.target,
            ConnectTarget(address: Loopback.v4, port: closedB), first.target,
        ]
        let results = await TCPProbe.probe(targets, deadline: deadline)
        XCTAssertEqual(results.map { ConnectTarget(address: $0.address, port: $0.port) }, targets)
        XCTAssertEqual(results.map(\.state), [.refused, .open, .refused, .open])
    }

    func testSameTargetTwiceIsTriedTwice() async throws {
        let listener = try Loopback.listener()
        let results = await TCPProbe.probe([listener.target, listener.target], deadline: deadline)
        XCTAssertEqual(results.map(\.state), [.open, .open])
    }

    func testNoTargetsNoResults() async {
        let results = await TCPProbe.probe([], deadline: deadline)
        XCTAssertEqual(results, [])
    }

    func testSourceAddressOfTheSameFamilyIsUsed() async throws {
        let listener = try Loopback.listener()
        let results = await TCPProbe.probe([listener.target], deadline: deadline, sourceAddress: Loopback.v4)
        XCTAssertEqual(results.first?.state, .open)
    }

    func testSourceAddressOfTheOtherFamilyIsUnreachable() async throws {
        let listener = try Loopback.listener()
        let results = await TCPProbe.probe([listener.target], deadline: deadline, sourceAddress: Loopback.v6)
        XCTAssertEqual(results.first?.state, .unreachable)
        XCTAssertEqual(results.first?.errno, "EAFNOSUPPORT")
        XCTAssertEqual(results.first?.port, listener.port)

        let reverse = await TCPProbe.probe([ConnectTarget(address: Loopback.v6, port: listener.port)], deadline: deadline,
                                           sourceAddress: Loopback.v4)
        XCTAssertEqual(reverse.first?.state, .unreachable)
        XCTAssertEqual(reverse.first?.errno, "EAFNOSUPPORT")
    }

    func testSourceAddressThatIsNotLocalIsReported() async throws {
        let listener = try Loopback.listener()
        // Binding to an address this machine does not own fails locally; nothing is sent.
        let results = await TCPProbe.probe([listener.target], deadline: deadline, sourceAddress: IPAddress("192.0.2.1")!)
        XCTAssertEqual(results.first?.state, .unreachable)
        XCTAssertEqual(results.first?.errno, "EADDRNOTAVAIL")
    }

    func testIPv6Loopback() async throws {
        try Loopback.requireIPv6()
        let listener = try Loopback.listener(Loopback.v6)
        let closed = try Loopback.closedPort(Loopback.v6)
        let results = await TCPProbe.probe([listener.target, ConnectTarget(address: Loopback.v6, port: closed)], deadline: deadline)
        XCTAssertEqual(results.map(\.state), [.open, .refused])
        XCTAssertTrue(results[0].evidenceLine.hasPrefix("[::1]:\(listener.port) open"))
    }

    func testSYNDroppedByAFullAcceptQueueIsFiltered() async throws {
        // Backlog 0 and one connection never accepted: Linux then drops further
        // SYNs, which is exactly what a silent firewall looks like.
        let listener = try Loopback.listener(backlog: 0)
        let filler = try Loopback.connectBlocking(listener.target)
        defer { close(filler) }
        let open = try Loopback.listener()
        let results = await TCPProbe.probe([listener.target, open.target], deadline: .milliseconds(500))
        XCTAssertEqual(results.map(\.state), [.filtered, .open])
        XCTAssertNil(results[0].errno)
        XCTAssertNil(results[0].icmp)
        XCTAssertEqual(results[0].state.answered, false)
    }
}
