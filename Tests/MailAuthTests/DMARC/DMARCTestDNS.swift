import Inet
import MailAuth

/// A zone served from memory for the DMARC and DKIM tests: TXT answers by
/// name; every other name and type is NXDOMAIN.
struct DMARCTestDNS: MailDNS {
    var txtAnswers: [String: DNSAnswer<String>]

    init(_ txtAnswers: [String: DNSAnswer<String>]) {
        self.txtAnswers = txtAnswers
    }

    func txt(_ name: String) async -> DNSAnswer<String> {
        txtAnswers[name.lowercased()] ?? .nxdomain
    }

    func addresses(_ name: String, family: IPAddress.Family) async -> DNSAnswer<IPAddress> { .nxdomain }
    func mx(_ name: String) async -> DNSAnswer<MXRecord> { .nxdomain }
    func ptr(_ address: IPAddress) async -> DNSAnswer<String> { .nxdomain }
}
