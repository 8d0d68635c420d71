//! Certificate revocation lists signed by a test CA, for tlkc's offline revocation tests.

use chrono::{DateTime, Duration, Utc};

use crate::der::{self, seq};
use crate::pki::{rsa_sign, sig_alg, Identity};

/// A v2 CRL issued by `ca` at `this_update` (next update 30 days later)
/// listing each `(certificate holder, revocation time)`.
pub fn make(
    ca: &Identity,
    revoked: &[(&Identity, DateTime<Utc>)],
    this_update: DateTime<Utc>,
) -> Vec<u8> {
    make_signed_by(ca, ca, revoked, this_update)
}

/// A CRL that names `ca` as its issuer but is signed with `signer`'s key (a forged CRL
/// when they differ).
pub fn make_signed_by(
    ca: &Identity,
    signer: &Identity,
    revoked: &[(&Identity, DateTime<Utc>)],
    this_update: DateTime<Utc>,
) -> Vec<u8> {
    let issuer = der::cert_subject(&ca.cert).expect("CA certificate has a subject");
    let mut fields = vec![
        der::small_int(1),
        sig_alg(),
        issuer,
        der::time(this_update),
        der::time(this_update + Duration::days(30)),
    ];
    if !revoked.is_empty() {
        let entries: Vec<Vec<u8>> = revoked
            .iter()
            .map(|(who, at)| seq(&[der::uint(&who.serial), der::time(*at)]))
            .collect();
        fields.push(seq(&entries));
    }
    let tbs = seq(&fields);
    let sig = rsa_sign(&signer.key, &tbs);
    seq(&[tbs, sig_alg(), der::bits(&sig)])
}
