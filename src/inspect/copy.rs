//! Is the file a copy (bản sao điện tử) rather than the original as released?
//!
//! Copies made by e-office systems say so in three places: the copy
//! signature's /Reason ("… ký số bản sao văn bản điện tử!"), the stamp drawn
//! on page 1 ("SAO Y", "SAO Y BẢN CHÍNH", "SAO LỤC", "TRÍCH SAO", "BẢN SAO"),
//! and, for documents republished on a government portal, a signature by the
//! portal itself. The copy's signing time is the copy's, never the release
//! of the document it copies.

use crate::facts::{CopyFacts, CopyKind, SigType, SignatureFacts, SignerKind};

/// Stamp words, upper case as stamps print them (body text writing "bản
/// sao" in lower case is about other documents, not this file).
const STAMPS: &[(&str, CopyKind)] = &[
    ("SAO Y", CopyKind::SaoY),
    ("SAO LỤC", CopyKind::SaoLuc),
    ("TRÍCH SAO", CopyKind::TrichSao),
    ("BẢN SAO", CopyKind::BanSao),
];

/// `text`: page-1 text and the text of page-1 stamps and widgets, NFC.
pub fn detect(text: &str, signatures: &[SignatureFacts]) -> Option<CopyFacts> {
    let stamp = STAMPS
        .iter()
        .find(|(word, _)| has_word(text, word))
        .map(|(word, kind)| (*word, *kind));
    let signed: Vec<&SignatureFacts> = signatures
        .iter()
        .filter(|s| s.sig_type == SigType::Signature)
        .collect();
    if let Some(s) = signed.iter().find(|s| is_copy_reason(s.reason.as_deref())) {
        return Some(CopyFacts {
            kind: stamp.map_or(CopyKind::BanSao, |(_, k)| k),
            organisation: s.signer.clone(),
            time: s.signing_time,
            evidence: format!(
                "signature reason \"{}\"",
                s.reason.as_deref().unwrap_or("").trim()
            ),
        });
    }
    if let Some((word, kind)) = stamp {
        // The copier signs last, as an organisation.
        let copier = signed
            .iter()
            .filter(|s| s.kind == SignerKind::Organization)
            .max_by_key(|s| s.signing_time);
        return Some(CopyFacts {
            kind,
            organisation: copier.and_then(|s| s.signer.clone()),
            time: copier.and_then(|s| s.signing_time),
            evidence: format!("\"{word}\" on page 1"),
        });
    }
    let portal = signed.iter().find(|s| is_portal(s.signer.as_deref()))?;
    Some(CopyFacts {
        kind: CopyKind::Publication,
        organisation: portal.signer.clone(),
        time: portal.signing_time,
        evidence: "signed by a government portal (Cổng Thông tin điện tử)".into(),
    })
}

fn is_copy_reason(reason: Option<&str>) -> bool {
    let r = crate::text::nfc(reason.unwrap_or("")).to_lowercase();
    r.contains("bản sao") || r.contains("sao y")
}

fn is_portal(signer: Option<&str>) -> bool {
    crate::text::nfc(signer.unwrap_or(""))
        .to_uppercase()
        .contains("CỔNG THÔNG TIN ĐIỆN TỬ")
}

/// `word` in `text` with no letter glued on either side ("SAO YẾN" is not "SAO Y").
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn sig(signer: &str, kind: SignerKind, time: &str, reason: &str) -> SignatureFacts {
        SignatureFacts {
            signer: Some(signer.into()),
            kind,
            signing_time: DateTime::parse_from_rfc3339(time).ok(),
            reason: Some(reason.into()),
            ..SignatureFacts::unknown(Some("Signature1".into()))
        }
    }

    #[test]
    fn copy_signature_reason() {
        let s = sig(
            "VĂN PHÒNG ỦY BAN NHÂN DÂN",
            SignerKind::Organization,
            "2025-07-25T10:25:15+07:00",
            "VĂN PHÒNG ỦY BAN NHÂN DÂN ký số bản sao văn bản điện tử!",
        );
        let c = detect(
            "SAO Y\nVĂN PHÒNG ỦY BAN NHÂN DÂN\n25/07/2025 10:25:14 +07:00",
            &[s],
        )
        .unwrap_or_else(|| panic!("not a copy"));
        assert_eq!(c.kind, CopyKind::SaoY);
        assert_eq!(c.organisation.as_deref(), Some("VĂN PHÒNG ỦY BAN NHÂN DÂN"));
        assert_eq!(
            c.time,
            DateTime::parse_from_rfc3339("2025-07-25T10:25:15+07:00").ok()
        );
        assert!(c.evidence.contains("bản sao"));
    }

    #[test]
    fn stamp_words_alone() {
        let person = sig(
            "Nguyễn Văn A",
            SignerKind::Person,
            "2025-01-02T08:00:00+07:00",
            "",
        );
        let org = sig(
            "SỞ NỘI VỤ",
            SignerKind::Organization,
            "2025-01-03T08:00:00+07:00",
            "",
        );
        let c = detect("SAO Y BẢN CHÍNH", &[person, org]).unwrap_or_else(|| panic!("no copy"));
        assert_eq!(c.kind, CopyKind::SaoY);
        assert_eq!(c.organisation.as_deref(), Some("SỞ NỘI VỤ"));
        assert_eq!(
            detect("TRÍCH SAO", &[]).map(|c| c.kind),
            Some(CopyKind::TrichSao)
        );
        assert_eq!(
            detect("SAO LỤC", &[]).map(|c| c.kind),
            Some(CopyKind::SaoLuc)
        );
    }

    #[test]
    fn portal_republication() {
        let s = sig(
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
            SignerKind::Organization,
            "2025-07-08T16:23:51+07:00",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ<thongtinchinhphu@chinhphu.vn> đã ký lên văn bản này!",
        );
        assert_eq!(
            detect("", &[s]).map(|c| c.kind),
            Some(CopyKind::Publication)
        );
    }

    #[test]
    fn originals_are_not_copies() {
        let s = sig(
            "Bộ Nội vụ",
            SignerKind::Organization,
            "2025-09-18T15:15:32+07:00",
            "Bộ Nội vụ<bonoivu@moha.gov.vn> đã ký lên văn bản này!",
        );
        let body = "Đề nghị gửi bản sao quyết định; SAO YẾN là tên riêng";
        assert_eq!(detect(body, &[s]), None);
    }
}
