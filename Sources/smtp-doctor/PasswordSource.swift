import ArgumentParser
import Foundation
import Probes

/// Where a password comes from: an environment variable, a file, or a
/// prompt on the terminal with echo off. It is never echoed, logged or saved.
enum PasswordSource {
    static func read(env: String?, file: String?, user: String) throws -> Secret {
        if env != nil && file != nil { throw ValidationError("give --password-env or --password-file, not both") }
        if let env {
            guard let value = ProcessInfo.processInfo.environment[env], !value.isEmpty else {
                throw ValidationError("the environment variable \(SafeArgument.show(env)) is not set or empty")
            }
            return Secret(value)
        }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read --password-file \"\(SafeArgument.show(file))\"")
            }
            var info = stat()
            if stat(file, &info) == 0, info.st_mode & S_IROTH != 0 {
                FileHandle.standardError.write(Data("smtp-doctor: warning: \(SafeArgument.show(file)) is readable by every user of this machine; chmod 600 it\n".utf8))
            }
            // The first line, without its line end (trimmed as bytes).
            var line = Array(data.prefix { $0 != 0x0a })
            if line.last == 0x0d { line.removeLast() }
            guard !line.isEmpty else { throw ValidationError("--password-file \"\(SafeArgument.show(file))\" is empty") }
            return Secret(String(decoding: line, as: UTF8.self))
        }
        return try prompt(user: user)
    }

    /// Asks on the terminal with echo off; the terminal is put back whatever happens.
    static func prompt(user: String) throws -> Secret {
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard tty >= 0 else {
            throw ValidationError("no terminal to ask for the password: use --password-env VAR or --password-file PATH")
        }
        defer { close(tty) }
        var saved = termios()
        guard tcgetattr(tty, &saved) == 0 else { throw ValidationError("cannot turn off echo on this terminal: use --password-env or --password-file") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ICANON)
        let question = "Password for \(SafeArgument.show(user)) (not shown): "
        _ = question.withCString { write(tty, $0, strlen($0)) }
        tcsetattr(tty, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(tty, TCSAFLUSH, &saved)
            _ = write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 4096, Glibc.read(tty, &byte, 1) == 1, byte != 0x0a, byte != 0x0d {
            bytes.append(byte)
        }
        guard !bytes.isEmpty else { throw ValidationError("no password was typed") }
        return Secret(String(decoding: bytes, as: UTF8.self))
    }
}
