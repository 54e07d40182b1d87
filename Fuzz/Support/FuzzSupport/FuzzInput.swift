import CFuzzer
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One input from libFuzzer, with the readings the targets share.
public struct FuzzInput {
    public let bytes: [UInt8]

    /// Copies libFuzzer's buffer (which it may reuse after the call).
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        if let data, size > 0 {
            bytes = Array(UnsafeBufferPointer(start: data, count: size))
        } else {
            bytes = []
        }
    }

    /// The bytes read as the product reads text from the network: UTF-8,
    /// invalid sequences replaced (as `String(decoding:as:)` does for TXT data).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The first byte, used by a target to pick a variant, and the rest.
    public var selector: (byte: UInt8, rest: ArraySlice<UInt8>) {
        guard let first = bytes.first else { return (0, []) }
        return (first, bytes.dropFirst())
    }
}

/// Stops the run with `message` when a property of the product's output does
/// not hold: libFuzzer records the input as a crash, like a trap or an
/// AddressSanitizer report.
public func require(_ condition: Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    guard !condition else { return }
    let text = "fuzz property failed at \(file):\(line): \(message())\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

/// A cheap deterministic stream of numbers seeded from the input, for
/// choices that must be the same on every run of one input (chunk sizes).
public struct InputRandom {
    private var state: UInt64

    public init(_ bytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325          // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = hash | 1
    }

    /// The next number in 0..<bound (bound > 0).
    public mutating func next(below bound: Int) -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17     // xorshift64
        return Int(state % UInt64(bound))
    }
}

/// Runs libFuzzer with the program's arguments and `test` as the target.
///
/// SwiftPM (tools 5.5 and later, on Linux) links an executable target with
/// `main` set to `<module>_main`, which would replace libFuzzer's own `main`.
/// So each target defines that function and hands over to libFuzzer here:
///
///     @_cdecl("fuzz_spf_record_main")          // module fuzz_spf_record
///     public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
///         runFuzzer(argc, argv, fuzzSPFRecord)
///     }
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    sd_fuzzer_run(argc, argv, test)
}

/// Holds what an async job gave back, for `blocking`.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs async work to its end from libFuzzer's synchronous callback.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}
