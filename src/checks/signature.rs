//! SIG002–SIG005: are the signatures that are there sound, and by whom?
//! SIG001 (a required signature is absent) depends on the ruleset: see
//! [`super::evidence`].

use crate::facts::{Coverage, FileFacts, ModifiedAfter, SignatureFacts, SignerKind};
use crate::findings::{Code, Finding, Msg};

pub fn check(f: &FileFacts, out: &mut Vec<Finding>) {
    let name = super::file_name(&f.path);
    for s in &f.signatures {
        let who = describe(s);
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
                        format!("The digital signature {who} on {name} is invalid{notes}: the file was altered after signing or the signature is broken. Sign the original again."),
                    ),
                )
                .path(&f.path),
            );
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
                            format!("{name} was changed after the signature {who}{what}. Submit the signed file without later edits.")
                        } else {
                            format!("The signature {who} on {name} does not cover the whole document: unsigned parts could have been changed.")
                        },
                    ),
                )
                .path(&f.path),
            );
        }
        if s.trusted == Some(false) {
            out.push(
                Finding::new(
                    Code::Sig005,
                    Msg::new(
                        format!("Chứng thư số của chữ ký {who} trên {name} không được tin cậy, đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký{notes}."),
                        format!("The certificate behind the signature {who} on {name} is not trusted, or was expired or not yet valid when signing{notes}."),
                    ),
                )
                .path(&f.path),
            );
        }
    }
    signer_set(f, name, out);
}

/// Decree 30: an original electronic document carries the competent
/// person's signature and the organisation's. An image-only electronic copy
/// (bản sao điện tử) needs only the organisation's, so scans are skipped.
fn signer_set(f: &FileFacts, name: &str, out: &mut Vec<Finding>) {
    let sigs: Vec<&SignatureFacts> = f
        .signatures
        .iter()
        .filter(|s| s.sig_type == "signature")
        .collect();
    if sigs.is_empty() || f.pdf.text_layer != Some(true) {
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

fn describe(s: &SignatureFacts) -> String {
    match (&s.signer, &s.field) {
        (Some(cn), _) => format!("của {cn}"),
        (None, Some(field)) => format!("[{field}]"),
        (None, None) => String::new(),
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
    use crate::facts::{DocumentFacts, FileKind, PdfFacts};

    fn file(sigs: Vec<SignatureFacts>) -> FileFacts {
        FileFacts {
            path: "a/b.pdf".into(),
            sha256: String::new(),
            size: 1,
            kind: FileKind::Pdf,
            pdf: PdfFacts {
                readable: true,
                text_layer: Some(true),
                ..Default::default()
            },
            document: DocumentFacts::default(),
            signatures: sigs,
            unsigned_fields: vec![],
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

    fn codes(f: &FileFacts) -> Vec<Code> {
        let mut out = vec![];
        check(f, &mut out);
        out.into_iter().map(|f| f.code).collect()
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
        assert_eq!(codes(&file(vec![s, o])), [Code::Sig003, Code::Sig005]);
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
    }
}
