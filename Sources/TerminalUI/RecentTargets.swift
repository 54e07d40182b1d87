import Diagnosis
import Foundation
import Probes

/// A target the wizard checked recently: enough to fill the form again.
/// Never a password, and not the user name either: the file outlives the
/// session on machines support staff share, and a login name says whose
/// mailbox was checked; typing it again costs little.
public struct RecentTarget: Codable, Sendable, Equatable {
    public var symptom: Symptom
    /// Server families: the host, port and TLS mode.
    public var host: String?
    public var port: Int?
    public var tls: TLSMode?
    /// Spam family: the sender's domain, the sending address, a DKIM selector.
    public var domain: String?
    public var sendingIP: String?
    public var selector: String?

    public init(symptom: Symptom, host: String? = nil, port: Int? = nil, tls: TLSMode? = nil,
                domain: String? = nil, sendingIP: String? = nil, selector: String? = nil) {
        self.symptom = symptom
        self.host = host
        self.port = port
        self.tls = tls
        self.domain = domain
        self.sendingIP = sendingIP
        self.selector = selector
    }

    /// The entry for a target the wizard is about to check.
    public init(target: Target, symptom: Symptom) {
        if symptom == .spam {
            self.init(symptom: symptom, domain: target.domain, sendingIP: target.sendingIP?.description,
                      selector: target.dkimSelectors.first)
        } else {
            self.init(symptom: symptom, host: target.host, port: target.port, tls: target.tls)
        }
    }

    /// Still a target the form accepts (a file may have been edited by hand).
    var isValid: Bool {
        guard symptom != .explain else { return false }
        if symptom == .spam {
            guard let domain, case .success(.name) = TargetHost.parse(domain) else { return false }
            if let sendingIP, IPAddress(sendingIP) == nil { return false }
            if let selector, selector.isEmpty || selector.count > 63 || selector.unicodeScalars.contains(where: { !$0.isASCII || $0.value <= 0x20 }) { return false }
            return true
        }
        guard let host, case .success = TargetHost.parse(host), let port, (1...65535).contains(port), tls != nil else { return false }
        return true
    }

    /// One line for the menu.
    var label: String {
        let family = symptom.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        if symptom == .spam {
            return family + SafeText.clean(domain ?? "") + (sendingIP.map { " from " + SafeText.clean($0) } ?? "")
                + (selector.map { ", selector " + SafeText.clean($0) } ?? "")
        }
        return family + SafeText.clean(host ?? "") + " port \(port ?? 0), TLS \(tls?.rawValue ?? "auto")"
    }

    /// The list with `entry` first: an earlier use of the same target moves up, the oldest fall off.
    public static func remembering(_ entry: RecentTarget, in list: [RecentTarget], limit: Int = RecentTargetsFile.limit) -> [RecentTarget] {
        Array(([entry] + list.filter { $0 != entry }).prefix(limit))
    }
}

/// The recent-targets file: `$XDG_CONFIG_HOME/smtp-doctor/recent.json`
/// (`~/.config/smtp-doctor/recent.json` by default), mode 0600, replaced
/// atomically, at most `limit` entries. A file that cannot be read is ignored
/// with a note, and replaced at the next save.
public struct RecentTargetsFile: Sendable {
    public let path: String
    public static let limit = 10
    /// Larger files are not read (ten entries take about 2 KB).
    public static let sizeLimit = 256 * 1024

    struct Contents: Codable {
        var version: Int
        var targets: [RecentTarget]
    }

    public init(path: String) { self.path = path }

    /// The file's place under the XDG base directories; nil when neither
    /// XDG_CONFIG_HOME (absolute) nor HOME says where.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/smtp-doctor/recent.json"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.config/smtp-doctor/recent.json"
    }

    /// The remembered targets, newest first, and a note when the file could not be used.
    public func load() -> (targets: [RecentTarget], note: String?) {
        let shown = SafeText.clean(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? ([], nil) : ([], "recent targets ignored: cannot read \(shown)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.sizeLimit,
              let data = FileManager.default.contents(atPath: path), data.count <= Self.sizeLimit else {
            return ([], "recent targets ignored: \(shown) is not a small regular file")
        }
        guard let contents = try? JSONDecoder().decode(Contents.self, from: data) else {
            return ([], "recent targets ignored: \(shown) is damaged (it is replaced at the next check)")
        }
        let valid = contents.targets.filter(\.isValid)
        var unique: [RecentTarget] = []
        for target in valid where !unique.contains(target) { unique.append(target) }
        let dropped = contents.targets.count - valid.count
        return (Array(unique.prefix(Self.limit)), dropped > 0 ? "\(dropped) unusable recent target\(dropped == 1 ? "" : "s") ignored" : nil)
    }

    /// Writes the list: a new file beside the old (mode 0600), then renamed over it.
    public func save(_ targets: [RecentTarget]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Contents(version: 1, targets: Array(targets.prefix(Self.limit))))
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError(message: "cannot create \(SafeText.clean(temporary)): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SaveError(message: "cannot write \(SafeText.clean(path)): \(reason)")
        }
    }

    public struct SaveError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
