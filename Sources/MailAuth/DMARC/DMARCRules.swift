/// Which DMARC specification a record is read against.
public enum DMARCRules: Sendable, Hashable {
    /// RFC 7489 (2015): `p=` required (but see `DMARCRecord.parse`), `pct=`,
    /// `rf=` and `ri=` validated.
    case rfc7489
    /// RFC 9989 (DMARCbis): `p=` may be left out (read as none), `pct=`, `rf=`
    /// and `ri=` are gone (warned about, not checked), `t=` and `psd=` added.
    case rfc9989
}
