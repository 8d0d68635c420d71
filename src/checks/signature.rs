//! SIG002–SIG005: are the signatures that are there sound, and by whom?
//! SIG001 (a required signature is absent) depends on the ruleset: see
//! [`super::evidence`]. Two layers are judged here rather than in
//! inspection, so that cached facts stay independent of policy and date:
//! the algorithm policy (`algorithm_ok`) and, for a signature that carries
//! no time, the certificate chain's validity at the evaluation date.

use chrono::NaiveDate;

use crate::facts::{
    Coverage, FileFacts, ModifiedAfter, RevocationStatus, SignatureFacts, SignerKind, TrustState,
    UntrustedReason,
};
use crate::findings::{Code, Finding, Msg};
use crate::rules::AlgorithmPolicy;

pub fn check(f: &FileFacts, policy: &AlgorithmPolicy, as_of: NaiveDate, out: &mut Vec<Finding>) {
    let name = super::file_name(&f.path);
    for s in &f.signatures {
        let (who, who_en) = describe(s);
        let notes = if s.notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", s.notes.join("; "))
        };
        if s.intact == Some(false) || s.crypto_valid == Some(false) {
            out.push(
                Finding::new(
                    Code::Sig002,
                    Msg::new(
                        format!("Chữ ký số {who} trên {name} không hợp lệ{notes}: văn bản bị sửa sau khi ký hoặc chữ ký bị hỏng. Ký số lại bản gốc."),
                        format!("The digital signature {who_en} on {name} is invalid{notes}: the file was altered after signing or the signature is broken. Sign the original again."),
                    ),
                )
                .path(&f.path),
            );
            continue;
        }
        if let Err(why) = algorithm_ok(s, policy) {
            out.push(weak_algorithm(s, (&who, &who_en), name, &why, policy).path(&f.path));
            // A forged certificate is worth saying even when the algorithm already fails.
            if s.trust == Some(TrustState::Untrusted) && !is_timestamp(s) {
                out.push(untrusted(s, (&who, &who_en), name, None).path(&f.path));
            }
            continue;
        }
        let disallowed = s.modified_after == Some(ModifiedAfter::Disallowed);
        let partial = matches!(s.coverage, Some(Coverage::Partial | Coverage::Unclear));
        if disallowed || partial {
            let what = if disallowed && !s.changes.is_empty() {
                format!(": {}", s.changes.join("; "))
            } else {
                String::new()
            };
            out.push(
                Finding::new(
                    Code::Sig003,
                    Msg::new(
                        if disallowed {
                            format!("{name} đã bị thay đổi sau khi ký {who}{what}. Nộp bản đã ký, không chỉnh sửa sau khi ký.")
                        } else {
                            format!("Chữ ký {who} trên {name} không bao phủ toàn bộ văn bản: phần không được ký có thể bị thay đổi.")
                        },
                        if disallowed {
                            format!("{name} was changed after the signature {who_en}{what}. Submit the signed file without later edits.")
                        } else {
                            format!("The signature {who_en} on {name} does not cover the whole document: unsigned parts could have been changed.")
                        },
                    ),
                )
                .path(&f.path),
            );
        }
        if is_timestamp(s) {
            continue;
        }
        let expired = expired_at(s, as_of);
        if matches!(
            s.trust,
            Some(
                TrustState::Untrusted
                    | TrustState::Expired
                    | TrustState::NotYetValid
                    | TrustState::Revoked
            )
        ) || expired.is_some()
        {
            out.push(untrusted(s, (&who, &who_en), name, expired.as_deref()).path(&f.path));
        } else if s.trust == Some(TrustState::ChainIncomplete) {
            out.push(chain_incomplete(s, (&who, &who_en), name).path(&f.path));
        }
        if let Some(r) = revoked_after_signing(s) {
            out.push(r.path(&f.path));
        }
    }
    signer_set(f, name, out);
}

/// Decree 30: an original electronic document carries the competent
/// person's signature and the organisation's. An image-only electronic copy
/// (bản sao điện tử) needs only the organisation's, so scans (also those
/// under an OCR layer, good or garbled) and recognised copies are skipped.
fn is_scan_or_copy(f: &FileFacts) -> bool {
    f.pdf.text_layer != Some(true)
        || f.pdf.ocr_layer
        || f.pdf.text_garbled
        || f.pdf.scan_dpi.is_some()
        || f.document.copy.is_some()
}

fn signer_set(f: &FileFacts, name: &str, out: &mut Vec<Finding>) {
    let sigs: Vec<&SignatureFacts> = f
        .signatures
        .iter()
        .filter(|s| s.sig_type == "signature")
        .collect();
    if sigs.is_empty() || is_scan_or_copy(f) {
        return;
    }
    if sigs.iter().any(|s| s.kind == SignerKind::Unknown) {
        return; // cannot tell who signed: no claim either way
    }
    let person = sigs.iter().any(|s| s.kind == SignerKind::Person);
    let org = sigs.iter().any(|s| s.kind == SignerKind::Organization);
    let (vi, en) = match (person, org) {
        (true, true) => return,
        (true, false) => (
            "thiếu chữ ký số của cơ quan, tổ chức",
            "the organisation's signature is missing",
        ),
        (false, true) => (
            "thiếu chữ ký số của người có thẩm quyền",
            "the competent person's signature is missing",
        ),
        (false, false) => return,
    };
    out.push(
        Finding::new(
            Code::Sig004,
            Msg::new(
                format!("{name}: {vi} (Nghị định 30/2020/NĐ-CP, Điều 5: văn bản điện tử cần chữ ký số của người có thẩm quyền và của cơ quan)."),
                format!("{name}: {en} (Decree 30/2020, Art. 5: an electronic document needs both the competent person's and the organisation's digital signature)."),
            ),
        )
        .path(&f.path),
    );
}

/// The algorithm layer: `Ok` when the signature's digest, scheme and key
/// size meet `policy`, else why not ("SHA-1 as the digest").
pub fn algorithm_ok(s: &SignatureFacts, policy: &AlgorithmPolicy) -> Result<(), String> {
    let a = &s.algorithms;
    let weak = |d: &Option<String>| {
        d.as_ref().is_some_and(|d| {
            policy.weak_digests.contains(d) && policy.tolerated(d, &s.chain_sha256).is_none()
        })
    };
    if let Some(d) = a.digest.as_deref().filter(|_| weak(&a.digest)) {
        return Err(format!("{d} as the digest"));
    }
    if let Some(d) = a
        .signature_digest
        .as_deref()
        .filter(|_| weak(&a.signature_digest))
    {
        let scheme = a.signature.as_deref().unwrap_or("signature");
        return Err(format!("{scheme} with {d}"));
    }
    match (a.key.as_deref(), a.key_bits) {
        (Some("RSA"), Some(bits)) if bits < policy.min_rsa_bits => Err(format!(
            "an RSA key of {bits} bits (at least {} required)",
            policy.min_rsa_bits
        )),
        (Some("EC" | "Ed25519" | "Ed448"), Some(bits)) if bits < policy.min_ec_bits => {
            let curve = a.curve.as_deref().unwrap_or("an elliptic curve");
            Err(format!(
                "{curve} ({bits} bits, at least {} required)",
                policy.min_ec_bits
            ))
        }
        _ => Ok(()),
    }
}

fn weak_algorithm(
    s: &SignatureFacts,
    (who, who_en): (&str, &str),
    name: &str,
    why: &str,
    policy: &AlgorithmPolicy,
) -> Finding {
    let (vi_time, en_time) = match s.signing_time {
        Some(t) => {
            let t = t.format("%d/%m/%Y %H:%M").to_string();
            (format!("ký lúc {t}"), format!("signed {t}"))
        }
        None => (
            "không rõ thời điểm ký".into(),
            "signing time unknown".into(),
        ),
    };
    let (vi_src, en_src) = match &policy.override_reason {
        Some(r) => (
            format!("chính sách thuật toán của tlkc.toml ({r})"),
            format!("the algorithm policy of tlkc.toml ({r})"),
        ),
        None => (
            "chính sách thuật toán".into(),
            "the algorithm policy".into(),
        ),
    };
    Finding::new(
        Code::Sig002,
        Msg::new(
            format!("Chữ ký số {who} trên {name} dùng {why} ({vi_time}): {vi_src} không chấp nhận thuật toán này nên chữ ký không được tính. Ký số lại bằng chứng thư và thuật toán hiện hành."),
            format!("The digital signature {who_en} on {name} uses {why} ({en_time}): {en_src} does not accept it, so the signature does not count. Sign again with a current certificate and algorithm."),
        ),
    )
}

/// A signature without a time whose chain is not valid at the evaluation
/// date (its time can only be "now", and now is `as_of`).
fn expired_at(s: &SignatureFacts, as_of: NaiveDate) -> Option<String> {
    if s.trusted != Some(true) || s.signing_time.is_some() {
        return None;
    }
    let w = s.chain_validity?;
    let (from, until) = (w.not_before.date_naive(), w.not_after.date_naive());
    (as_of < from || as_of > until).then(|| {
        format!(
            "the signature carries no time and the certificate chain is valid only from {} to {}, not on {}",
            super::vi_date(from),
            super::vi_date(until),
            super::vi_date(as_of)
        )
    })
}

/// A document timestamp vouches for a time, not for a signer: the trust of
/// its authority (TSA) is recorded in the facts but gives no SIG005–SIG008
/// (a genuine document timestamped by a public TSA is not at fault).
fn is_timestamp(s: &SignatureFacts) -> bool {
    s.sig_type == "timestamp"
}

/// SIG005: why the signature's certificate cannot be relied on, and what to do.
fn untrusted(
    s: &SignatureFacts,
    (who, who_en): (&str, &str),
    name: &str,
    expired_at_as_of: Option<&str>,
) -> Finding {
    let ca = s.trust_ca.as_deref().unwrap_or("?");
    let time = |t: chrono::DateTime<chrono::FixedOffset>| {
        format!("{} {}", t.format("%H:%M"), super::vi_date(t.date_naive()))
    };
    let signed = s
        .signing_time
        .map(time)
        .unwrap_or_else(|| "không rõ".into());
    let resign = (
        "Ký số lại văn bản bằng chứng thư số còn hiệu lực do Ban Cơ yếu Chính phủ cấp.",
        "Sign the document again with a valid certificate issued by the Government Cipher Committee (Ban Cơ yếu Chính phủ).",
    );
    let (vi, en, action): (String, String, (&str, &str)) = match (s.trust, s.untrusted_reason) {
        (_, _) if expired_at_as_of.is_some() => {
            let e = expired_at_as_of.unwrap_or_default();
            (
                format!("chữ ký không ghi thời điểm ký và chuỗi chứng thư số không còn hiệu lực vào ngày đánh giá ({e})"),
                format!("the signature carries no time and its certificate chain is not valid on the evaluation date ({e})"),
                resign,
            )
        }
        (Some(TrustState::Expired), _) => (
            format!("chứng thư số {} đã hết hạn tại thời điểm ký ({signed})", cert_vi(s)),
            format!("the certificate {} had expired when the document was signed ({signed})", cert_en(s)),
            resign,
        ),
        (Some(TrustState::NotYetValid), _) => (
            format!("chứng thư số {} chưa có hiệu lực tại thời điểm ký ({signed})", cert_vi(s)),
            format!("the certificate {} was not yet valid when the document was signed ({signed})", cert_en(s)),
            resign,
        ),
        (Some(TrustState::Revoked), _) => {
            let when = s
                .revocation
                .and_then(|r| r.revoked_at)
                .map(time)
                .unwrap_or_else(|| "không rõ ngày".into());
            (
                format!("chứng thư số của người ký đã bị thu hồi ({when}) trước thời điểm ký ({signed}), theo danh sách thu hồi (CRL) của tổ chức cấp"),
                format!("the signer's certificate was revoked ({when}) before the signing time ({signed}), according to the issuing CA's revocation list (CRL)"),
                resign,
            )
        }
        (_, Some(UntrustedReason::SelfSigned)) => (
            "chứng thư số là chứng thư tự cấp (tự ký), không do tổ chức chứng thực nào cấp: ai cũng tự tạo được chứng thư như vậy với bất kỳ tên nào".into(),
            "the certificate is self-signed, issued by no certification authority: anyone can make one with any name".into(),
            resign,
        ),
        (_, Some(UntrustedReason::CopiesGovernmentCa)) => (
            format!("chuỗi chứng thư số dùng tên tổ chức chứng thực \"{ca}\" nhưng KHÔNG do tổ chức chứng thực của Chính phủ cấp (chữ ký trên chứng thư không khớp khóa của tổ chức đó): đây là chứng thư giả mạo tên"),
            format!("the certificate chain uses the name of the certification authority \"{ca}\" but was NOT issued by the government CA (its signature does not verify under that CA's key): the name is copied"),
            (
                "Không sử dụng văn bản này làm tài liệu kiểm chứng; đề nghị cơ quan ban hành ký số lại bằng chứng thư số do Ban Cơ yếu Chính phủ cấp.",
                "Do not use this file as evidence; ask the issuing body to sign it again with a certificate issued by the Government Cipher Committee.",
            ),
        ),
        (_, Some(UntrustedReason::NotIssuedByNamedCa)) => (
            format!("chứng thư số ghi bên cấp là \"{ca}\" nhưng không được tổ chức đó ký"),
            format!("the certificate names \"{ca}\" as its issuer but that CA did not sign it"),
            resign,
        ),
        (_, Some(UntrustedReason::UnknownRoot | UntrustedReason::UnknownCa)) => (
            format!("chứng thư số do \"{ca}\" cấp, không thuộc các tổ chức chứng thực tlkc tin cậy (Ban Cơ yếu Chính phủ) và chưa được khai báo"),
            format!("the certificate was issued by \"{ca}\", which is neither a certification authority tlkc trusts (the Government Cipher Committee) nor declared"),
            (
                "Nếu đó là tổ chức chứng thực hợp pháp, khai báo chứng thư gốc của nó trong [trust] anchors của tlkc.toml; nếu không, ký số lại bằng chứng thư số do Ban Cơ yếu Chính phủ cấp.",
                "If it is a lawful certification authority, declare its root certificate in [trust] anchors of tlkc.toml; otherwise sign again with a certificate issued by the Government Cipher Committee.",
            ),
        ),
        (_, Some(UntrustedReason::NotAllowedToSign)) => (
            "một chứng thư trong chuỗi không được phép cấp chứng thư hoặc ký (basic constraints, key usage)".into(),
            "a certificate of the chain may not issue certificates or sign (basic constraints, key usage)".into(),
            resign,
        ),
        (_, Some(UntrustedReason::NoCertificate)) => (
            "chữ ký không kèm chứng thư số của người ký".into(),
            "the signature does not carry the signer's certificate".into(),
            resign,
        ),
        _ => (
            "không dựng được chuỗi chứng thư số tin cậy".into(),
            "no trusted certificate chain could be built".into(),
            resign,
        ),
    };
    let notes = if s.notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.notes.join("; "))
    };
    Finding::new(
        Code::Sig005,
        Msg::new(
            format!(
                "Chữ ký số {who} trên {name} không được tin cậy: {vi}. {}",
                action.0
            ),
            format!(
                "The digital signature {who_en} on {name} is not trusted: {en}{notes}. {}",
                action.1
            ),
        ),
    )
}

fn cert_vi(s: &SignatureFacts) -> String {
    match &s.trust_ca {
        Some(ca) => format!("của tổ chức chứng thực \"{ca}\" trong chuỗi"),
        None => "của người ký".into(),
    }
}

fn cert_en(s: &SignatureFacts) -> String {
    match &s.trust_ca {
        Some(ca) => format!("of the certification authority \"{ca}\" in the chain"),
        None => "of the signer".into(),
    }
}

/// SIG006: the issuing CA is a known government CA whose certificate tlkc
/// does not have; the signature is neither trusted nor untrusted.
fn chain_incomplete(s: &SignatureFacts, (who, who_en): (&str, &str), name: &str) -> Finding {
    let ca = s.trust_ca.as_deref().unwrap_or("?");
    Finding::new(
        Code::Sig006,
        Msg::new(
            format!("Chưa xác định được độ tin cậy của chữ ký số {who} trên {name}: chứng thư số do \"{ca}\" cấp, nhưng tlkc chưa có chứng thư của tổ chức chứng thực này và tệp không kèm theo. Cần người kiểm tra chữ ký bằng phần mềm ký số của Ban Cơ yếu Chính phủ, hoặc khai báo chứng thư \"{ca}\" trong [trust] anchors của tlkc.toml."),
            format!("The trust of the digital signature {who_en} on {name} cannot be decided: its certificate was issued by \"{ca}\", whose certificate tlkc does not have and the file does not embed. Have someone check it with the Government Cipher Committee's signing software, or declare the \"{ca}\" certificate in [trust] anchors of tlkc.toml."),
        ),
    )
}

/// SIG008: revoked, but after the document was signed.
fn revoked_after_signing(s: &SignatureFacts) -> Option<Finding> {
    let r = s.revocation?;
    if r.status != RevocationStatus::Revoked || s.trust != Some(TrustState::Trusted) {
        return None;
    }
    let (at, signed) = (r.revoked_at?, s.signing_time?);
    let (who, who_en) = describe(s);
    let d = |t: chrono::DateTime<chrono::FixedOffset>| super::vi_date(t.date_naive());
    Some(Finding::new(
        Code::Sig008,
        Msg::new(
            format!("Chứng thư số của chữ ký {who} bị thu hồi {}, sau thời điểm ký {}: chữ ký vẫn có giá trị vì văn bản được ký khi chứng thư còn hiệu lực.", d(at), d(signed)),
            format!("The certificate behind the signature {who_en} was revoked on {}, after the signing time ({}): the signature still stands, as the document was signed while the certificate was valid.", d(at), d(signed)),
        ),
    ))
}

/// SIG007, once per report: the signatures' certificates were judged
/// without a revocation list, so a certificate revoked before signing would
/// not be noticed. Not repeated per signature: it is a fact of the run.
pub fn revocation_note(files: &[&FileFacts], out: &mut Vec<Finding>) {
    let unchecked = files
        .iter()
        .flat_map(|f| &f.signatures)
        .filter(|s| !is_timestamp(s))
        .filter(|s| {
            s.revocation
                .is_some_and(|r| r.status == RevocationStatus::NotChecked)
        })
        .count();
    if unchecked == 0 {
        return;
    }
    out.push(Finding::new(
        Code::Sig007,
        Msg::new(
            format!("Chưa kiểm tra thu hồi chứng thư số cho {unchecked} chữ ký (tlkc không truy cập mạng): muốn kiểm tra, tải danh sách thu hồi (CRL) của Ban Cơ yếu Chính phủ trên máy có mạng rồi chạy lại với --crl TỆP hoặc [trust] crls trong tlkc.toml."),
            format!("Certificate revocation was not checked for {unchecked} signature(s) (tlkc never goes online): to check it, download the Government Cipher Committee's revocation lists (CRL) on a connected machine and run again with --crl FILE or [trust] crls in tlkc.toml."),
        ),
    ));
}

/// Who signed, for the Vietnamese and the English message.
fn describe(s: &SignatureFacts) -> (String, String) {
    match (&s.signer, &s.field) {
        (Some(cn), _) => (format!("của {cn}"), format!("by {cn}")),
        (None, Some(field)) => (format!("[{field}]"), format!("[{field}]")),
        (None, None) => (String::new(), String::new()),
    }
}

/// The latest organisation signing time, the moment the document was released.
pub fn release_time(f: &FileFacts) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    f.signatures
        .iter()
        .filter(|s| s.sig_type == "signature" && s.kind == SignerKind::Organization)
        .filter_map(|s| s.signing_time)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(sigs: Vec<SignatureFacts>) -> FileFacts {
        FileFacts {
            signatures: sigs,
            ..FileFacts::pdf("a/b.pdf")
        }
    }

    fn sound(kind: SignerKind) -> SignatureFacts {
        let mut s = SignatureFacts::unknown(Some("Sig1".into()));
        s.kind = kind;
        s.intact = Some(true);
        s.crypto_valid = Some(true);
        s.coverage = Some(Coverage::EntireFile);
        s.modified_after = Some(ModifiedAfter::None);
        s
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn codes_at(f: &FileFacts, p: &AlgorithmPolicy, as_of: NaiveDate) -> Vec<Code> {
        let mut out = vec![];
        check(f, p, as_of, &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    fn codes(f: &FileFacts) -> Vec<Code> {
        codes_at(f, &AlgorithmPolicy::default(), day(2022, 11, 30))
    }

    fn messages(f: &FileFacts, p: &AlgorithmPolicy) -> Vec<String> {
        let mut out = vec![];
        check(f, p, day(2022, 11, 30), &mut out);
        out.into_iter().map(|f| f.message.en.clone()).collect()
    }

    #[test]
    fn a_weak_algorithm_does_not_count_and_says_which_and_when() {
        let mut s = sound(SignerKind::Person);
        s.algorithms.digest = Some("SHA-1".into());
        s.signing_time = chrono::DateTime::parse_from_rfc3339("2016-04-18T15:40:19+07:00").ok();
        let f = file(vec![s.clone(), sound(SignerKind::Organization)]);
        assert_eq!(codes(&f), [Code::Sig002]);
        let m = &messages(&f, &AlgorithmPolicy::default())[0];
        assert!(
            m.contains("SHA-1 as the digest") && m.contains("18/04/2016 15:40"),
            "{m}"
        );
        // A folder may accept it, with its reason.
        let relaxed = AlgorithmPolicy {
            weak_digests: vec!["MD5".into()],
            override_reason: Some("archived documents signed before 2017".into()),
            ..AlgorithmPolicy::default()
        };
        assert!(codes_at(&f, &relaxed, day(2022, 11, 30)).is_empty());
        // The government PKI's own SHA-1 signatures count when the chain verified
        // through its CA certificate (by fingerprint); a copied name is not enough.
        let mut gov = s.clone();
        gov.issuer = Some("CA phục vụ các cơ quan Nhà nước G2".into());
        assert!(algorithm_ok(&gov, &AlgorithmPolicy::default()).is_err());
        gov.chain_sha256 = vec![crate::rules::policy::G2_STATE_CA_SHA256.into()];
        assert_eq!(algorithm_ok(&gov, &AlgorithmPolicy::default()), Ok(()));
        for (key, bits, curve, want) in [
            ("RSA", 1024, None, Some("an RSA key of 1024 bits")),
            ("RSA", 2048, None, None),
            ("EC", 192, Some("P-192"), Some("P-192 (192 bits")),
            ("EC", 256, Some("P-256"), None),
        ] {
            let mut s = sound(SignerKind::Person);
            s.algorithms.key = Some(key.into());
            s.algorithms.key_bits = Some(bits);
            s.algorithms.curve = curve.map(String::from);
            let got = algorithm_ok(&s, &AlgorithmPolicy::default()).err();
            assert_eq!(got.is_some(), want.is_some(), "{key} {bits}: {got:?}");
            if let (Some(g), Some(w)) = (got, want) {
                assert!(g.contains(w), "{g}");
            }
        }
        let mut s = sound(SignerKind::Person);
        s.algorithms.signature = Some("ECDSA".into());
        s.algorithms.signature_digest = Some("SHA-1".into());
        assert_eq!(
            algorithm_ok(&s, &AlgorithmPolicy::default()),
            Err("ECDSA with SHA-1".into())
        );
    }

    /// The hidden clock (issue 16): a signature with no time was judged at
    /// inspection's wall clock and cached. Now the facts hold the chain's
    /// window and the verdict moves with the evaluation date.
    #[test]
    fn a_signature_without_time_is_judged_at_the_evaluation_date() {
        let mut s = sound(SignerKind::Organization);
        s.trusted = Some(true);
        s.chain_validity = Some(crate::facts::Validity {
            not_before: chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00+07:00").unwrap(),
            not_after: chrono::DateTime::parse_from_rfc3339("2022-06-30T23:59:59+07:00").unwrap(),
        });
        let f = file(vec![sound(SignerKind::Person), s.clone()]);
        let p = AlgorithmPolicy::default();
        assert!(codes_at(&f, &p, day(2022, 3, 1)).is_empty());
        assert_eq!(codes_at(&f, &p, day(2022, 11, 30)), [Code::Sig005]);
        // With a signing time, the file's own time decides, not as_of.
        let mut timed = s;
        timed.signing_time = chrono::DateTime::parse_from_rfc3339("2022-03-01T09:00:00+07:00").ok();
        let f = file(vec![sound(SignerKind::Person), timed]);
        assert!(codes_at(&f, &p, day(2030, 1, 1)).is_empty());
    }

    #[test]
    fn sound_pair_is_clean() {
        assert!(codes(&file(vec![
            sound(SignerKind::Person),
            sound(SignerKind::Organization)
        ]))
        .is_empty());
    }

    #[test]
    fn forged_contents_is_invalid() {
        let mut s = sound(SignerKind::Person);
        s.intact = Some(false);
        s.crypto_valid = Some(false);
        assert_eq!(
            codes(&file(vec![s, sound(SignerKind::Organization)])),
            [Code::Sig002]
        );
    }

    #[test]
    fn later_edit_and_untrusted() {
        let mut s = sound(SignerKind::Person);
        s.modified_after = Some(ModifiedAfter::Disallowed);
        s.changes = vec!["page 1 content changed".into()];
        let mut o = sound(SignerKind::Organization);
        o.trusted = Some(false);
        o.trust = Some(TrustState::Untrusted);
        assert_eq!(codes(&file(vec![s, o])), [Code::Sig003, Code::Sig005]);
    }

    /// Issue 22: each verdict state has its finding, and its message says why.
    #[test]
    fn each_trust_state_has_its_finding() {
        let with = |state, reason: Option<UntrustedReason>, ca: Option<&str>| {
            let mut s = sound(SignerKind::Organization);
            s.trust = Some(state);
            s.trusted = Some(state == TrustState::Trusted);
            s.untrusted_reason = reason;
            s.trust_ca = ca.map(String::from);
            s.signing_time = chrono::DateTime::parse_from_rfc3339("2022-03-18T09:30:00+07:00").ok();
            file(vec![sound(SignerKind::Person), s])
        };
        let p = AlgorithmPolicy::default();
        let forged = with(
            TrustState::Untrusted,
            Some(UntrustedReason::CopiesGovernmentCa),
            Some("CA phục vụ các cơ quan Nhà nước G2"),
        );
        assert_eq!(codes(&forged), [Code::Sig005]);
        let m = &messages(&forged, &p)[0];
        assert!(m.contains("NOT issued by the government CA"), "{m}");
        let mut out = vec![];
        check(&forged, &p, day(2022, 11, 30), &mut out);
        assert!(
            out[0].message.vi.contains("giả mạo tên"),
            "{}",
            out[0].message.vi
        );
        let selfsigned = with(
            TrustState::Untrusted,
            Some(UntrustedReason::SelfSigned),
            None,
        );
        assert!(messages(&selfsigned, &p)[0].contains("self-signed"));
        for state in [
            TrustState::Expired,
            TrustState::NotYetValid,
            TrustState::Revoked,
        ] {
            assert_eq!(codes(&with(state, None, None)), [Code::Sig005], "{state:?}");
        }
        // A known CA whose certificate is missing: a warning, never an error.
        let incomplete = with(
            TrustState::ChainIncomplete,
            None,
            Some("CA phục vụ các cơ quan Đảng G2"),
        );
        assert_eq!(codes(&incomplete), [Code::Sig006]);
        assert_eq!(Code::Sig006.severity(), crate::findings::Severity::Warning);
        assert!(messages(&incomplete, &p)[0].contains("CA phục vụ các cơ quan Đảng G2"));
        assert!(codes(&with(TrustState::Trusted, None, None)).is_empty());
        // A forged chain with SHA-1: refused for the algorithm AND said to be forged.
        let mut sha1 = with(
            TrustState::Untrusted,
            Some(UntrustedReason::CopiesGovernmentCa),
            Some("X"),
        );
        sha1.signatures[1].algorithms.digest = Some("SHA-1".into());
        assert_eq!(codes(&sha1), [Code::Sig002, Code::Sig005]);
        // A document timestamp's authority is recorded, not judged.
        let mut ts = with(
            TrustState::Untrusted,
            Some(UntrustedReason::UnknownRoot),
            Some("TSA"),
        );
        ts.signatures[1].sig_type = "timestamp".into();
        assert!(!codes(&ts).contains(&Code::Sig005), "{:?}", codes(&ts));
        // Revoked after the signing time: information only.
        let mut after = with(TrustState::Trusted, None, None);
        after.signatures[1].revocation = Some(crate::facts::Revocation {
            status: RevocationStatus::Revoked,
            revoked_at: chrono::DateTime::parse_from_rfc3339("2022-06-01T00:00:00+07:00").ok(),
            crl_issued: None,
        });
        assert_eq!(codes(&after), [Code::Sig008]);
    }

    #[test]
    fn revocation_not_checked_is_said_once_per_report() {
        let mut s = sound(SignerKind::Organization);
        s.revocation = Some(crate::facts::Revocation {
            status: RevocationStatus::NotChecked,
            revoked_at: None,
            crl_issued: None,
        });
        let a = file(vec![s.clone(), s.clone()]);
        let b = file(vec![s]);
        let mut out = vec![];
        revocation_note(&[&a, &b], &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::Sig007);
        assert!(
            out[0].message.en.contains("3 signature(s)"),
            "{}",
            out[0].message.en
        );
        let mut out = vec![];
        revocation_note(&[&file(vec![sound(SignerKind::Person)])], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn person_only_lacks_organisation() {
        assert_eq!(
            codes(&file(vec![sound(SignerKind::Person)])),
            [Code::Sig004]
        );
        let mut scan = file(vec![sound(SignerKind::Organization)]);
        scan.pdf.text_layer = Some(false);
        assert!(codes(&scan).is_empty());
        // A scan under an OCR layer (readable or garbled) is still a scan.
        for garbled in [false, true] {
            let mut ocr = file(vec![sound(SignerKind::Organization)]);
            ocr.pdf.ocr_layer = !garbled;
            ocr.pdf.text_garbled = garbled;
            assert!(codes(&ocr).is_empty(), "garbled: {garbled}");
        }
    }
}
