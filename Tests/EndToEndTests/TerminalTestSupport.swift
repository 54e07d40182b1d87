import Foundation
import XCTest

/// Helpers the tmux tests share: loopback ports without a lab, and the check
/// that the terminal came back in its normal mode.
enum LoopbackPorts {
    /// A loopback port with nothing listening: the refused family's port-closed, no lab needed.
    static func closed() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return bound(fd)
    }

    /// A loopback port that accepts connections (the kernel's backlog) and never says a word.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let port = bound(fd)
        guard listen(fd, 16) == 0 else { throw XCTSkip("cannot listen on loopback") }
        return (fd, port)
    }

    /// Binds `fd` to 127.0.0.1 on a port the kernel picks, and returns the port.
    private static func bound(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Fails unless `stty -a` output shows echo and canonical mode back on.
func assertTerminalRestored(_ stty: String, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let flags = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    XCTAssertTrue(flags.contains("echo"), "\(context): echo is off after exit:\n\(stty)", file: file, line: line)
    XCTAssertTrue(flags.contains("icanon"), "\(context): icanon is off after exit:\n\(stty)", file: file, line: line)
    XCTAssertFalse(flags.contains("-echo"), context, file: file, line: line)
    XCTAssertFalse(flags.contains("-icanon"), context, file: file, line: line)
}
