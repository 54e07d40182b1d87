import Probes
import XCTest

/// The cipher suite read from a ServerHello's bytes.
final class TLSServerHelloTests: XCTestCase {
    private func serverHello(sessionID: [UInt8], suite: UInt16) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03] + Array(repeating: 0xAB, count: 32)
        body += [UInt8(sessionID.count)] + sessionID + [UInt8(suite >> 8), UInt8(suite & 0xff), 0x00]
        let handshake: [UInt8] = [0x02, 0x00, UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
        return [0x16, 0x03, 0x03, UInt8(handshake.count >> 8), UInt8(handshake.count & 0xff)] + handshake
    }

    func testReadsTheSuiteWithAndWithoutASessionID() {
        XCTAssertEqual(TLSServerHello.cipherSuite(serverHello(sessionID: Array(repeating: 7, count: 32), suite: 0x1302)), 0x1302)
        XCTAssertEqual(TLSServerHello.cipherSuite(serverHello(sessionID: [], suite: 0xC02F)), 0xC02F)
        XCTAssertEqual(TLSServerHello.name(0x1302), "TLS_AES_256_GCM_SHA384")
        XCTAssertEqual(TLSServerHello.name(0x00FF), "0x00FF")
    }

    func testIncompleteOrForeignBytesGiveNothing() {
        let hello = serverHello(sessionID: [1, 2, 3], suite: 0x1301)
        for cut in 0..<(5 + 4 + 2 + 32 + 1 + 3 + 2) {
            XCTAssertNil(TLSServerHello.cipherSuite(Array(hello.prefix(cut))), "cut at \(cut)")
        }
        XCTAssertNil(TLSServerHello.cipherSuite(Array("220 mail ESMTP\r\n".utf8)))
        XCTAssertNil(TLSServerHello.cipherSuite([0x16, 0x03, 0x03, 0x00, 0x10, 0x01]), "a ClientHello is not a ServerHello")
        var badSession = hello
        badSession[5 + 4 + 2 + 32] = 200
        XCTAssertNil(TLSServerHello.cipherSuite(badSession))
    }
}
