/// Everything checking a saved message found.
public struct MessageReport: Sendable, Hashable {
    /// Bytes in the file as given.
    public var size: Int
    /// False when the file was too large to examine.
    public var examined: Bool
    /// One result per DKIM-Signature field (at most `DKIMVerifier.maximumSignatures`).
    public var dkim: [DKIMVerification]
    /// DKIM-Signature fields in the message (may exceed those verified).
    public var dkimSignatureFields: Int
    /// The RFC5322.From domain DMARC is about; nil without a usable From.
    public var fromDomain: String?
    /// The DMARC record of the From domain; nil when there is no From domain.
    public var dmarc: DMARCDiscovery?
    public var alignment: MessageAlignment
    public var headers: MessageHeaderCheck?
    public var findings: [MessageFinding]
    /// Facts about the file itself (line endings converted, lines skipped...).
    public var notes: [String]

    public init(size: Int, examined: Bool, dkim: [DKIMVerification] = [], dkimSignatureFields: Int = 0,
                fromDomain: String? = nil, dmarc: DMARCDiscovery? = nil, alignment: MessageAlignment = MessageAlignment(),
                headers: MessageHeaderCheck? = nil, findings: [MessageFinding] = [], notes: [String] = []) {
        self.size = size
        self.examined = examined
        self.dkim = dkim
        self.dkimSignatureFields = dkimSignatureFields
        self.fromDomain = fromDomain
        self.dmarc = dmarc
        self.alignment = alignment
        self.headers = headers
        self.findings = findings
        self.notes = notes
    }

    /// Nothing to report.
    public var isHealthy: Bool { findings.isEmpty }
}

/// DMARC identifier alignment (RFC 7489 3.1) of a message: which passing
/// identities match the From domain.
public struct MessageAlignment: Sendable, Hashable {
    /// `adkim=` of the DMARC record, relaxed when there is none.
    public var dkimMode: DMARCAlignmentMode
    /// `aspf=` of the DMARC record, relaxed when there is none.
    public var spfMode: DMARCAlignmentMode
    /// `d=` of the passing signatures that align with From.
    public var dkimAlignedDomains: [String]
    public var spf: MessageSPF
    /// SPF passed for a MAIL FROM domain that aligns with From.
    public var spfAligned: Bool

    public init(dkimMode: DMARCAlignmentMode = .relaxed, spfMode: DMARCAlignmentMode = .relaxed,
                dkimAlignedDomains: [String] = [], spf: MessageSPF = MessageSPF(source: .unknown), spfAligned: Bool = false) {
        self.dkimMode = dkimMode
        self.spfMode = spfMode
        self.dkimAlignedDomains = dkimAlignedDomains
        self.spf = spf
        self.spfAligned = spfAligned
    }

    public var dkimAligned: Bool { !dkimAlignedDomains.isEmpty }
    /// DMARC passes when either identity aligns (RFC 7489 4.2).
    public var passesDMARC: Bool { dkimAligned || spfAligned }
}
