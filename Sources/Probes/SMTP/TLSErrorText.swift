import NIOCore
import NIOSSL

/// TLS failures in plain words for the verdict, with the library's own code
/// kept short in brackets: a support agent reads "the server closed the
/// connection during the TLS handshake", not a Swift enum dump.
public enum TLSErrorText {
    public static func describe(_ error: Error) -> String {
        let raw = String(describing: error)
        let upper = raw.uppercased()
        func phrase(_ text: String, _ code: String) -> String { "\(text) [\(code)]" }
        if let ssl = error as? NIOSSLError {
            switch ssl {
            case .uncleanShutdown:
                return phrase("the server closed the connection in the middle of TLS", "unclean shutdown")
            case .readInInvalidTLSState:
                return phrase("data arrived where TLS was expected", "read in invalid TLS state")
            default: break
            }
        }
        let known: [(String, String)] = [
            ("EXCESSIVE_MESSAGE_SIZE", "the server sent a TLS message larger than clients accept (e.g. a certificate of over 100 KB)"),
            ("WRONG_VERSION_NUMBER", "the server did not answer in TLS (it spoke plain text where the handshake was due)"),
            ("UNSUPPORTED_PROTOCOL", "the server offers only TLS versions this client refuses (TLS 1.0/1.1 or SSL)"),
            ("NO_SHARED_CIPHER", "client and server have no cipher suite in common"),
            ("HANDSHAKE_FAILURE", "the server aborted the TLS handshake (no common protocol or cipher, or it wants a client certificate)"),
            ("CERTIFICATE_VERIFY_FAILED", "the server's certificate could not be verified"),
            ("TLSV1_ALERT_PROTOCOL_VERSION", "the server refused the TLS version offered"),
            ("TLSV1_ALERT_INTERNAL_ERROR", "the server reported an internal TLS error"),
            ("DECODE_ERROR", "the server's TLS messages could not be decoded"),
            ("UNEXPECTED_MESSAGE", "the server sent a TLS message out of order"),
            ("EOF DURING HANDSHAKE", "the server closed the connection during the TLS handshake"),
            ("UNEXPECTED EOF", "the server closed the connection during the TLS handshake"),
            ("CONNECTION RESET", "the server reset the connection during the TLS handshake"),
            ("ECONNRESET", "the server reset the connection during the TLS handshake"),
        ]
        for (marker, text) in known where upper.contains(marker) {
            return phrase(text, marker.lowercased())
        }
        if let io = error as? IOError { return phrase("the connection failed during TLS", ErrnoName.of(io.errnoCode)) }
        // Unknown: the library's reason, cut and cleaned, after a plain lead-in.
        return "TLS failed [\(SafeText.clean(String(raw.prefix(160))))]"
    }
}
