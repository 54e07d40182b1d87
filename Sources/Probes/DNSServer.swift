/// A DNS server given as `IP[:PORT]` (IPv6 as `[IP]:PORT` when a port is given).
public struct DNSServer: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int

    public init(address: IPAddress, port: Int = 53) {
        self.address = address
        self.port = port
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notAnAddress(String)
        case badPort(String)

        public var description: String {
            switch self {
            case .notAnAddress(let t): return "\"\(t)\" is not an IP address; --dns-server takes IP or IP:PORT (IPv6 as [IP]:PORT)"
            case .badPort(let t): return "\"\(t)\" is not a port between 1 and 65535"
            }
        }
    }

    public static func parse(_ text: String) -> Result<DNSServer, Problem> {
        if let address = IPAddress(text) { return .success(DNSServer(address: address)) }
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(.notAnAddress(text)) }
            portText = rest.dropFirst()
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard let address = IPAddress(String(host)) else { return .failure(.notAnAddress(text)) }
        guard let p = portText.flatMap({ Int($0) }), (1...65535).contains(p) else {
            return .failure(.badPort(String(portText ?? "")))
        }
        return .success(DNSServer(address: address, port: p))
    }

    /// The form c-ares's `ares_set_servers_ports_csv` takes.
    var caresForm: String {
        address.family == .ipv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    public var description: String { port == 53 ? address.description : caresForm }
}
