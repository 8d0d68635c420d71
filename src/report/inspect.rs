//! `tlkc inspect` output: what tlkc reads in each file.

use std::io::{self, Write};

use serde::Serialize;

use crate::facts::{DocumentFacts, FileFacts, PdfFacts, SignatureFacts};
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
    writeln!(out, "  sha256    {}  ({} bytes)", f.sha256, f.size)?;
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
        writeln!(out, "  {}     {e}", if vi { "lỗi" } else { "error" })?;
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
    writeln!(
        out,
        "  {}      {} ({})",
        if vi { "ngày" } else { "date" },
        opt(&d.date),
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
            "  {}      {:?}, {} {}",
            if vi { "bản sao" } else { "copy   " },
            c.kind,
            opt(&c.organisation),
            opt(&c.time)
        )?;
    }
    for why in &d.problems {
        writeln!(
            out,
            "  {}      {why}",
            if vi { "ghi chú" } else { "note   " }
        )?;
    }
    Ok(())
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
        writeln!(
            out,
            "  {} {} [{}] {} — {} ({:?}), {} {}",
            if vi { "chữ ký" } else { "signature" },
            opt(&s.field),
            opt(&s.sub_filter),
            opt(&s.signer),
            opt(&s.issuer),
            s.kind,
            if vi { "lúc" } else { "at" },
            s.signing_time
                .map(|t| t.to_rfc3339())
                .unwrap_or_else(|| "—".into())
        )?;
        writeln!(
            out,
            "      coverage {:?}, intact {}, crypto_valid {}, modified_after {:?}, trusted {}",
            s.coverage,
            yes_no(s.intact, lang),
            yes_no(s.crypto_valid, lang),
            s.modified_after,
            trust_word(s, lang)
        )?;
        let a = &s.algorithms;
        if a.digest.is_some() || a.key.is_some() {
            let key = match (&a.key, a.key_bits, &a.curve) {
                (Some(k), _, Some(c)) if k == "EC" => c.clone(),
                (Some(k), Some(b), _) => format!("{k} {b}"),
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
        for c in &s.changes {
            writeln!(out, "      ~ {c}")?;
        }
        for n in &s.notes {
            writeln!(out, "      - {n}")?;
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
    let reason = s.untrusted_reason.map(|r| {
        format!(
            " ({})",
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        )
    });
    let ca = s.trust_ca.as_ref().map(|c| format!(" «{c}»"));
    format!(
        "{word}{}{}",
        reason.unwrap_or_default(),
        ca.unwrap_or_default()
    )
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
            pr.severity.as_str(),
            pr.code,
            pr.message.get(lang)
        )?;
    }
    Ok(())
}
