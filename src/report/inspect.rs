//! `tlkc inspect` output: what tlkc reads in each file.

use std::io::{self, Write};

use serde::Serialize;

use crate::facts::{
    CopyKind, Coverage, DocumentFacts, FileFacts, ModifiedAfter, PdfFacts, SigType, SignatureFacts,
    SignerKind,
};
use crate::findings::{Finding, Lang};

#[derive(Serialize)]
struct WireFile<'a> {
    path: &'a str,
    sha256: &'a str,
    size: u64,
    kind: crate::facts::FileKind,
    pdf: &'a PdfFacts,
    document: &'a DocumentFacts,
    signatures: &'a [SignatureFacts],
    unsigned_fields: &'a [String],
    problems: Vec<WireProblem<'a>>,
}

#[derive(Serialize)]
struct WireProblem<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
}

pub fn json(rows: &[(FileFacts, Vec<Finding>)], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let wire: Vec<WireFile> = rows
        .iter()
        .map(|(f, problems)| WireFile {
            path: &f.path,
            sha256: &f.sha256,
            size: f.size,
            kind: f.kind,
            pdf: &f.pdf,
            document: &f.document,
            signatures: &f.signatures,
            unsigned_fields: &f.unsigned_fields,
            problems: problems
                .iter()
                .map(|p| WireProblem {
                    code: p.code.as_str(),
                    severity: p.severity.as_str(),
                    message: p.message.get(lang),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &wire).map_err(io::Error::other)?;
    writeln!(out)
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref()
        .map(|x| x.to_string())
        .unwrap_or_else(|| "—".into())
}

fn yes_no(v: Option<bool>, lang: Lang) -> &'static str {
    match (v, lang) {
        (Some(true), Lang::Vi) => "có",
        (Some(false), Lang::Vi) => "không",
        (Some(true), Lang::En) => "yes",
        (Some(false), Lang::En) => "no",
        (None, Lang::Vi) => "không xác định",
        (None, Lang::En) => "cannot tell",
    }
}

/// "39,3 KB" / "1,2 MB" (Vietnamese decimal comma) or "39.3 KB".
fn size(bytes: u64, lang: Lang) -> String {
    crate::text::size_text(bytes, lang == Lang::Vi)
}

/// Why the PDF could not be read, in the reader's language; inspection
/// keeps its own (English) words in the JSON view.
fn read_error(e: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        "empty file" => "tệp rỗng".into(),
        "no %PDF- header" => "không phải tệp PDF".into(),
        "encrypted with a password" => "tệp được đặt mật khẩu, không mở được".into(),
        "no pages" => "tệp không có trang nào".into(),
        _ => "cấu trúc PDF bị hỏng, không đọc được (chi tiết: --format json)".into(),
    }
}

fn signer_kind(k: SignerKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (SignerKind::Person, Lang::Vi) => "cá nhân",
        (SignerKind::Organization, Lang::Vi) => "cơ quan",
        (SignerKind::Unknown, Lang::Vi) => "không rõ cá nhân hay cơ quan",
        (SignerKind::Person, Lang::En) => "person",
        (SignerKind::Organization, Lang::En) => "organisation",
        (SignerKind::Unknown, Lang::En) => "person or organisation unknown",
    }
}

fn coverage(c: Option<Coverage>, lang: Lang) -> &'static str {
    match (c, lang) {
        (Some(Coverage::EntireFile), Lang::Vi) => "toàn bộ tệp",
        (Some(Coverage::EntireRevision), Lang::Vi) => "toàn bộ văn bản lúc ký (có phần thêm sau)",
        (Some(Coverage::Partial), Lang::Vi) => "một phần tệp",
        (Some(Coverage::Unclear), Lang::Vi) | (None, Lang::Vi) => "không xác định",
        (Some(Coverage::EntireFile), Lang::En) => "the entire file",
        (Some(Coverage::EntireRevision), Lang::En) => {
            "the entire signed revision (later additions)"
        }
        (Some(Coverage::Partial), Lang::En) => "part of the file",
        (Some(Coverage::Unclear), Lang::En) | (None, Lang::En) => "cannot tell",
    }
}

fn modified(m: Option<ModifiedAfter>, lang: Lang) -> &'static str {
    match (m, lang) {
        (Some(ModifiedAfter::None), Lang::Vi) => "không",
        (Some(ModifiedAfter::Allowed), Lang::Vi) => "chỉ có thay đổi được phép",
        (Some(ModifiedAfter::Disallowed), Lang::Vi) => "có thay đổi không được phép",
        (None, Lang::Vi) => "không xác định",
        (Some(ModifiedAfter::None), Lang::En) => "no",
        (Some(ModifiedAfter::Allowed), Lang::En) => "allowed changes only",
        (Some(ModifiedAfter::Disallowed), Lang::En) => "changes that are not allowed",
        (None, Lang::En) => "cannot tell",
    }
}

fn copy_kind(k: CopyKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (CopyKind::SaoY, Lang::Vi) => "sao y",
        (CopyKind::SaoLuc, Lang::Vi) => "sao lục",
        (CopyKind::TrichSao, Lang::Vi) => "trích sao",
        (CopyKind::BanSao, Lang::Vi) => "bản sao",
        (CopyKind::Publication, Lang::Vi) => "bản đăng trên cổng thông tin điện tử",
        (CopyKind::SaoY, Lang::En) => "certified copy (sao y)",
        (CopyKind::SaoLuc, Lang::En) => "copy (sao lục)",
        (CopyKind::TrichSao, Lang::En) => "extract (trích sao)",
        (CopyKind::BanSao, Lang::En) => "copy (bản sao)",
        (CopyKind::Publication, Lang::En) => "published on a government portal",
    }
}

pub fn human(
    rows: &[(FileFacts, Vec<Finding>)],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (f, problems) in rows {
        human_pdf(f, lang, out)?;
        human_document(f, lang, out)?;
        human_signatures(f, lang, out)?;
        human_problems(f, problems, lang, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Path, hash and what the PDF itself says.
fn human_pdf(f: &FileFacts, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    writeln!(out, "{}", f.path)?;
    writeln!(out, "  sha256    {}  ({})", f.sha256, size(f.size, lang))?;
    let p = &f.pdf;
    writeln!(
        out,
        "  pdf       {} {}, {} {}, {} {}, {} {}",
        if vi { "đọc được:" } else { "readable:" },
        yes_no(Some(p.readable), lang),
        if vi { "phiên bản" } else { "version" },
        opt(&p.version),
        if vi { "số trang" } else { "pages" },
        opt(&p.pages),
        if vi { "lớp chữ:" } else { "text layer:" },
        yes_no(p.text_layer, lang)
    )?;
    if let Some(e) = &p.error {
        writeln!(
            out,
            "  {}     {}",
            if vi { "lỗi" } else { "error" },
            read_error(e, lang)
        )?;
    }
    if p.leading_bytes > 0 {
        writeln!(
            out,
            "  {}",
            if vi {
                "đầu tệp có dữ liệu lạ trước phần đầu PDF (tệp tải xuống hoặc sao chép bị lỗi)"
            } else {
                "stray bytes before the PDF header (a broken download or copy)"
            }
        )?;
    }
    if let Some(producer) = &p.producer {
        writeln!(
            out,
            "  {} “{producer}”",
            if vi {
                "phần mềm lưu tệp:"
            } else {
                "saved by:"
            }
        )?;
    }
    Ok(())
}

/// Number, type, date and title as read per Decree 30.
fn human_document(f: &FileFacts, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    let d = &f.document;
    writeln!(
        out,
        "  {}    {}",
        if vi { "số/ký hiệu" } else { "number " },
        opt(&d.number)
    )?;
    writeln!(
        out,
        "  {}  {} / {}",
        if vi { "loại/cơ quan" } else { "type/issuer" },
        opt(&d.r#type),
        opt(&d.issuer)
    )?;
    let date = d.date.map(|x| match lang {
        Lang::Vi => crate::time::vi_date(x),
        Lang::En => x.format("%Y-%m-%d").to_string(),
    });
    writeln!(
        out,
        "  {}      {} ({})",
        if vi { "ngày" } else { "date" },
        opt(&date),
        opt(&d.place)
    )?;
    writeln!(
        out,
        "  {}  {} — {}",
        if vi { "tên loại  " } else { "title     " },
        opt(&d.title_type),
        opt(&d.title)
    )?;
    if !d.citations.is_empty() {
        writeln!(
            out,
            "  {}  {}",
            if vi { "trích dẫn" } else { "cites    " },
            d.citations.join(", ")
        )?;
    }
    if let Some(c) = &d.copy {
        writeln!(
            out,
            "  {}      {}, {} {}",
            if vi { "bản sao" } else { "copy   " },
            copy_kind(c.kind, lang),
            opt(&c.organisation),
            opt(&c.time.map(|t| time(t, lang)))
        )?;
    }
    if vi {
        if !d.problems.is_empty() {
            writeln!(
                out,
                "  ghi chú      {} ghi chú kỹ thuật về việc đọc trang 1 (xem bằng --format json)",
                d.problems.len()
            )?;
        }
    } else {
        for why in &d.problems {
            writeln!(out, "  note         {why}")?;
        }
    }
    Ok(())
}

fn time(t: chrono::DateTime<chrono::FixedOffset>, lang: Lang) -> String {
    match lang {
        Lang::Vi => t.format("%H:%M:%S ngày %d/%m/%Y").to_string(),
        Lang::En => t.to_rfc3339(),
    }
}

/// Every signature, layer by layer.
fn human_signatures(f: &FileFacts, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    if f.signatures.is_empty() {
        writeln!(
            out,
            "  {}",
            if vi {
                "chữ ký số: không có"
            } else {
                "signatures: none"
            }
        )?;
    }
    for s in &f.signatures {
        let what = match (s.sig_type, vi) {
            (SigType::Timestamp, true) => "dấu thời gian",
            (SigType::Timestamp, false) => "timestamp",
            (SigType::Signature, true) => "chữ ký",
            (SigType::Signature, false) => "signature",
        };
        let sub_filter = if vi {
            String::new()
        } else {
            format!(" [{}]", opt(&s.sub_filter))
        };
        let field = match (&s.field, vi) {
            (Some(f), true) => format!("(ô “{f}”)"),
            (f, _) => opt(f),
        };
        writeln!(
            out,
            "  {what} {field}{sub_filter} {} — {} ({}), {} {}",
            opt(&s.signer),
            opt(&s.issuer),
            signer_kind(s.kind, lang),
            if vi { "lúc" } else { "at" },
            s.signing_time
                .map(|t| time(t, lang))
                .unwrap_or_else(|| "—".into())
        )?;
        if vi {
            writeln!(
                out,
                "      phạm vi ký: {}; nguyên vẹn: {}; giá trị chữ ký đúng: {}; sửa sau khi ký: {}; chứng thư tin cậy: {}",
                coverage(s.coverage, lang),
                yes_no(s.intact, lang),
                yes_no(s.crypto_valid, lang),
                modified(s.modified_after, lang),
                trust_word(s, lang)
            )?;
        } else {
            writeln!(
                out,
                "      covers: {}; intact: {}; signature value valid: {}; changed after signing: {}; certificate trusted: {}",
                coverage(s.coverage, lang),
                yes_no(s.intact, lang),
                yes_no(s.crypto_valid, lang),
                modified(s.modified_after, lang),
                trust_word(s, lang)
            )?;
        }
        let a = &s.algorithms;
        if a.digest.is_some() || a.key.is_some() {
            let key = match (&a.key, a.key_bits, &a.curve) {
                (Some(k), _, Some(c)) if k == "EC" => c.clone(),
                (Some(k), Some(b), _) => format!("{k} {b} bit"),
                (Some(k), None, _) => k.clone(),
                (None, ..) => "—".into(),
            };
            writeln!(
                out,
                "      {} {}, {}, {key}",
                if vi { "thuật toán" } else { "algorithms" },
                opt(&a.digest),
                opt(&a.signature),
            )?;
        }
        if vi {
            vi_changes_and_notes(s, out)?;
        } else {
            for c in &s.changes {
                writeln!(out, "      ~ {c}")?;
            }
            for n in &s.notes {
                writeln!(out, "      - {n}")?;
            }
        }
    }
    Ok(())
}

/// The trust verdict in words: state, and the reason or the CA it names.
fn trust_word(s: &crate::facts::SignatureFacts, lang: Lang) -> String {
    use crate::facts::TrustState as T;
    let vi = lang == Lang::Vi;
    let Some(state) = s.trust else {
        return yes_no(s.trusted, lang).to_string();
    };
    let word = match (state, vi) {
        (T::Trusted, true) => "tin cậy",
        (T::Trusted, false) => "trusted",
        (T::Untrusted, true) => "KHÔNG tin cậy",
        (T::Untrusted, false) => "UNTRUSTED",
        (T::ChainIncomplete, true) => "chưa đủ chuỗi",
        (T::ChainIncomplete, false) => "chain incomplete",
        (T::Expired, true) => "hết hạn khi ký",
        (T::Expired, false) => "expired at signing",
        (T::NotYetValid, true) => "chưa hiệu lực khi ký",
        (T::NotYetValid, false) => "not yet valid at signing",
        (T::Revoked, true) => "bị thu hồi trước khi ký",
        (T::Revoked, false) => "revoked before signing",
    };
    let reason = s
        .untrusted_reason
        .map(|r| format!(" ({})", untrusted_reason_words(r, lang)));
    let ca = s.trust_ca.as_ref().map(|c| format!(" «{c}»"));
    format!(
        "{word}{}{}",
        reason.unwrap_or_default(),
        ca.unwrap_or_default()
    )
}

/// Why a certificate is not trusted, in words (never the program's name for it).
fn untrusted_reason_words(r: crate::facts::UntrustedReason, lang: Lang) -> &'static str {
    use crate::facts::UntrustedReason as R;
    match (r, lang == Lang::Vi) {
        (R::SelfSigned, true) => "chứng thư tự cấp",
        (R::SelfSigned, false) => "self-signed certificate",
        (R::UnknownRoot, true) => "chuỗi dừng ở một CA gốc không được khai báo",
        (R::UnknownRoot, false) => "the chain ends at a root nobody declared",
        (R::UnknownCa, true) => "không tìm thấy CA cấp chứng thư",
        (R::UnknownCa, false) => "the issuing CA is unknown",
        (R::CopiesGovernmentCa, true) => "mang tên CA của Chính phủ nhưng không do CA đó cấp",
        (R::CopiesGovernmentCa, false) => "bears a government CA's name but was not issued by it",
        (R::NotIssuedByNamedCa, true) => "không do CA ghi trên chứng thư cấp",
        (R::NotIssuedByNamedCa, false) => "not issued by the CA it names",
        (R::NotAllowedToSign, true) => "chứng thư không được phép ký hoặc cấp chứng thư",
        (R::NotAllowedToSign, false) => "a certificate is not allowed to sign or issue",
        (R::NoCertificate, true) => "chữ ký không kèm chứng thư của người ký",
        (R::NoCertificate, false) => "the signer's certificate is not in the signature",
        (R::ChainTooLong, true) => "chuỗi chứng thư quá dài",
        (R::ChainTooLong, false) => "the certificate chain is too long",
    }
}

/// The changes after signing in Vietnamese; the verifier's English notes
/// are counted here and shown whole by `--lang en` and `--format json`.
fn vi_changes_and_notes(s: &SignatureFacts, out: &mut dyn Write) -> io::Result<()> {
    let allowed = s
        .changes
        .iter()
        .filter(|c| c.starts_with("allowed:"))
        .count();
    if s.changes.len() > allowed {
        writeln!(
            out,
            "      ~ thay đổi không được phép sau khi ký: {}",
            crate::checks::signature::changes_vi(&s.changes)
        )?;
    }
    if allowed > 0 {
        writeln!(
            out,
            "      ~ {allowed} thay đổi được phép sau khi ký (thêm chữ ký, ô ký, dấu thời gian, thông tin tài liệu)"
        )?;
    }
    if !s.notes.is_empty() {
        writeln!(
            out,
            "      - {} ghi chú kỹ thuật (xem bằng --lang en hoặc --format json)",
            s.notes.len()
        )?;
    }
    Ok(())
}

/// Empty signature fields and the findings on this file.
fn human_problems(
    f: &FileFacts,
    problems: &[Finding],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    for u in &f.unsigned_fields {
        writeln!(
            out,
            "  {} {u}",
            if vi {
                "ô ký trống:"
            } else {
                "empty signature field:"
            }
        )?;
    }
    for pr in problems {
        writeln!(
            out,
            "  {} {}: {}",
            super::severity_label(pr.severity, lang),
            pr.code,
            pr.message.get(lang)
        )?;
    }
    Ok(())
}
