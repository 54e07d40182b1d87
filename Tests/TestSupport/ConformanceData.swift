import Foundation

/// Where the shared public test suites live (../shared/conformance beside the
/// repository). A user's clone has no such folder: tests that need it skip.
public enum ConformanceData {
    public static var root: URL? {
        if let override = ProcessInfo.processInfo.environment["SMTP_DOCTOR_CONFORMANCE"],
           FileManager.default.fileExists(atPath: override) {
            return URL(fileURLWithPath: override)
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Tests/TestSupport/<file> -> the repository's parent
        let candidate = url.appendingPathComponent("shared/conformance")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }

    public static func file(_ relative: String) -> URL? {
        guard let root else { return nil }
        let url = root.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
