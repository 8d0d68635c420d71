//! Human renderings of the audit-trail commands (`log`, `diff`, `verify`,
//! the blockers `submit` refuses on). Renderers only: [`crate::trail`]
//! decides, records and owns the result types rendered here.

use std::io::{self, Write};

use serde_json::Value;

use crate::findings::Lang;
use crate::index::ledger::{Event, Kind};
use crate::run::Report;
use crate::trail::{Diff, Verification};

fn t(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Human lines listing the findings that block a submission: exactly
/// those [`Report::ready`] counts (active errors; waived ones do not block).
pub fn write_blockers(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for f in report.blocking() {
        writeln!(out, "  {} {}", f.code, f.message.get(lang))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- log

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// An event kind as the reader says it ("nộp hồ sơ"), stored name in English.
fn kind_label(kind: &str, lang: Lang) -> String {
    let vi = match Kind::parse(kind) {
        Some(Kind::FirstSeen) => "tệp mới",
        Some(Kind::Changed) => "tệp thay đổi",
        Some(Kind::Removed) => "tệp bị xóa",
        Some(Kind::CheckRun) => "kiểm tra",
        Some(Kind::Submission) => "nộp hồ sơ",
        Some(Kind::Export) => "xuất gói",
        Some(Kind::Verification) => "xác minh",
        Some(Kind::IndexClaimed) => "nhận chỉ mục",
        // Written by a newer tlkc: its stored name.
        None => return kind.to_string(),
    };
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => kind.to_string(),
    }
}

/// The actor as recorded; "unknown" (no --actor, no $USER) said in the reader's language.
fn actor_label(actor: &str, lang: Lang) -> String {
    match (actor, lang) {
        ("unknown", Lang::Vi) => "không rõ".to_string(),
        _ => actor.to_string(),
    }
}

/// "2022-11-30" → "30/11/2022" in Vietnamese.
fn day(iso: &str, lang: Lang) -> String {
    match (lang, chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")) {
        (Lang::Vi, Ok(d)) => crate::time::vi_date(d),
        _ => iso.to_string(),
    }
}

/// "12.42" → "12,42" in Vietnamese.
fn number(raw: &str, lang: Lang) -> String {
    match (lang, raw.trim_matches('"').parse::<f64>()) {
        (_, Ok(x)) => super::points(x, lang),
        _ => raw.to_string(),
    }
}

/// A chain fault in the reader's language.
fn fault(f: &crate::index::ledger::verify::Fault, lang: Lang) -> String {
    use crate::index::ledger::verify::Fault;
    if lang == Lang::En {
        return f.to_string();
    }
    match f {
        Fault::Altered { seq } => {
            format!("sự kiện #{seq}: nội dung không khớp mã băm (đã bị sửa hoặc bị chuyển chỗ)")
        }
        Fault::Unlinked { seq, prev } => format!(
            "sự kiện #{seq}: không nối tiếp sự kiện #{prev} (có sự kiện bị xóa, thay thế hoặc đổi thứ tự)"
        ),
        Fault::Missing { from, to } if from == to => format!("sự kiện #{from}: bị xóa"),
        Fault::Missing { from, to } => format!("các sự kiện #{from}–#{to}: bị xóa"),
        Fault::Truncated { last, head } => format!(
            "sự kiện #{}: bị mất — chuỗi dừng ở #{last} nhưng bản ghi đỉnh ghi #{head} (các sự kiện cuối bị cắt)",
            last + 1
        ),
        Fault::HeadMismatch { last } => format!(
            "sự kiện #{last}: bản ghi đỉnh bị mất hoặc không khớp sự kiện cuối"
        ),
    }
}

fn describe(e: &Event, lang: Lang) -> String {
    let d = &e.details;
    let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| d.get(k).map(|v| v.to_string()).unwrap_or_default();
    match Kind::parse(&e.kind) {
        Some(Kind::FirstSeen) => format!("{}  sha256 {}", s("path"), short(&s("sha256"))),
        Some(Kind::Changed) => format!(
            "{}  {} → {}",
            s("path"),
            short(&s("old_sha256")),
            short(&s("new_sha256"))
        ),
        Some(Kind::Removed) => format!("{}  sha256 {}", s("path"), short(&s("sha256"))),
        Some(Kind::CheckRun) => match lang {
            Lang::Vi => format!(
                "{} tính đến {}: {} tệp, {} lỗi, {} cảnh báo, {} điểm có nguy cơ mất",
                s("ruleset"),
                day(&s("as_of"), lang),
                n("files"),
                n("errors"),
                n("warnings"),
                number(&s("points_at_risk"), lang)
            ),
            Lang::En => format!(
                "{} as of {}: {} files, {} errors, {} warnings, {} points at risk",
                s("ruleset"),
                s("as_of"),
                n("files"),
                n("errors"),
                n("warnings"),
                s("points_at_risk")
            ),
        },
        Some(Kind::Submission) => {
            let files = d.get("files").and_then(Value::as_array).map_or(0, Vec::len);
            let forced = if d.get("forced").and_then(Value::as_bool) == Some(true) {
                " (--force)"
            } else {
                ""
            };
            match lang {
                Lang::Vi => format!(
                    "lần nộp số {}: {files} tệp{forced} — {}",
                    n("submission"),
                    s("note")
                ),
                Lang::En => format!(
                    "submission {}: {files} files{forced} — {}",
                    n("submission"),
                    s("note")
                ),
            }
        }
        Some(Kind::Export) => match lang {
            Lang::Vi => format!("lần nộp số {} → {}", n("submission"), s("bag")),
            Lang::En => format!("submission {} → {}", n("submission"), s("bag")),
        },
        Some(Kind::Verification) => {
            let ok = d.get("ok").and_then(Value::as_bool) == Some(true);
            let word = match (ok, lang) {
                (true, Lang::Vi) => "toàn vẹn",
                (true, Lang::En) => "intact",
                (false, Lang::Vi) => "CÓ SAI LỆCH",
                (false, Lang::En) => "FAILED",
            };
            match lang {
                Lang::Vi => format!("{word}; lần nộp số {}", n("submission")),
                Lang::En => format!("{word}; submission {}", n("submission")),
            }
        }
        Some(Kind::IndexClaimed) => match lang {
            Lang::Vi => format!(
                "nhận chỉ mục của thư mục khác hoặc máy khác ({}); đọc lại mọi tệp",
                short(&s("previous_installation"))
            ),
            Lang::En => format!(
                "took over an index written for another folder or elsewhere ({}); every file read again",
                short(&s("previous_installation"))
            ),
        },
        // A kind this tlkc does not know (written by a newer one): its details as they are.
        None => crate::hash::canonical_json(d),
    }
}

pub fn render_log_human(events: &[Event], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    if events.is_empty() {
        writeln!(out, "{}", t(lang, "Chưa có sự kiện nào.", "No events."))?;
    }
    for e in events {
        let format = match lang {
            Lang::Vi => "%d/%m/%Y %H:%M:%S",
            Lang::En => "%Y-%m-%d %H:%M:%S %:z",
        };
        let when = chrono::DateTime::parse_from_rfc3339(&e.local)
            .map(|t| t.format(format).to_string())
            .unwrap_or_else(|_| e.local.clone());
        writeln!(
            out,
            "#{:<5} {when}  {:<12} {:<12} {}",
            e.seq,
            kind_label(&e.kind, lang),
            actor_label(&e.actor, lang),
            describe(e, lang)
        )?;
    }
    Ok(())
}

pub fn render_log_json(events: &[Event], out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(events).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

// ---------------------------------------------------------------- diff

pub fn render_diff_human(diff: &Diff, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {}",
        t(lang, "So với lần nộp số", "Since submission"),
        diff.submission
    )?;
    for (mark, list) in [
        ("+", &diff.added),
        ("~", &diff.changed),
        ("-", &diff.removed),
    ] {
        for p in list {
            writeln!(out, "  {mark} {p}")?;
        }
    }
    writeln!(
        out,
        "{}: {} {}, {} {}, {} {}, {} {}",
        t(lang, "Tổng", "Total"),
        diff.added.len(),
        t(lang, "thêm", "added"),
        diff.changed.len(),
        t(lang, "thay đổi", "changed"),
        diff.removed.len(),
        t(lang, "mất", "removed"),
        diff.unchanged,
        t(lang, "không đổi", "unchanged"),
    )
}

// ---------------------------------------------------------------- verify

fn fail_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "SAI LỆCH",
        Lang::En => "FAIL",
    }
}

pub fn render_verify_human(v: &Verification, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    match (&v.chain.head, v.chain.intact()) {
        (Some((seq, hash)), true) => writeln!(
            out,
            "{} {} {}, {} #{seq} {hash}",
            t(
                lang,
                "Nhật ký: chuỗi băm toàn vẹn,",
                "Ledger: hash chain intact,"
            ),
            v.chain.events,
            t(lang, "sự kiện", "events"),
            t(lang, "đỉnh", "head"),
        )?,
        (None, true) => writeln!(out, "{}", t(lang, "Nhật ký: trống.", "Ledger: empty."))?,
        (_, false) => {
            for f in &v.chain.faults {
                writeln!(out, "{} {}", fail_word(lang), fault(f, lang))?;
            }
        }
    }
    match v.submission {
        None => writeln!(
            out,
            "{}",
            t(lang, "Chưa có lần nộp nào.", "No submission yet.")
        )?,
        Some(n) => {
            for f in &v.file_faults {
                match &f.found {
                    None => writeln!(
                        out,
                        "{} {}: {} {n}",
                        fail_word(lang),
                        f.path,
                        t(
                            lang,
                            "thiếu (hoặc không đọc được) — thuộc lần nộp số",
                            "missing (or unreadable) — part of submission"
                        ),
                    )?,
                    Some(h) => writeln!(
                        out,
                        "{} {}: {} {n} (sha256 {h}, {} {})",
                        fail_word(lang),
                        f.path,
                        t(
                            lang,
                            "đã thay đổi so với lần nộp số",
                            "changed since submission"
                        ),
                        t(lang, "đã nộp", "submitted"),
                        f.expected
                    )?,
                }
            }
            if !v.reports_ok {
                writeln!(
                    out,
                    "{} {} {n}",
                    fail_word(lang),
                    t(
                        lang,
                        "báo cáo lưu kèm không khớp nhật ký: lần nộp số",
                        "stored reports do not match the ledger: submission"
                    )
                )?;
            }
            if v.file_faults.is_empty() {
                writeln!(
                    out,
                    "{} {n}: {} {}",
                    t(lang, "Lần nộp số", "Submission"),
                    v.files_checked,
                    t(
                        lang,
                        "tệp có mặt, đúng từng byte",
                        "files present, byte for byte"
                    ),
                )?;
            }
        }
    }
    writeln!(
        out,
        "{}",
        if v.ok() {
            t(lang, "KẾT QUẢ: TOÀN VẸN", "RESULT: VERIFIED")
        } else {
            t(lang, "KẾT QUẢ: CÓ SAI LỆCH", "RESULT: NOT VERIFIED")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Code, Finding, Msg, Severity, Waived};
    use crate::index::ledger::verify::ChainReport;
    use crate::trail::verify::FileFault;

    fn blockers(report: &Report) -> String {
        let mut out = Vec::new();
        write_blockers(report, Lang::En, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn blockers_are_what_ready_counts_waived_errors_excluded() {
        let mut report = crate::report::fixture::report();
        report.findings.retain(|f| f.severity != Severity::Error);
        assert!(report.ready());
        assert_eq!(blockers(&report), "");
        let late = Finding::new(
            crate::checks::registry::diag(Code::Due001),
            Msg::new("trễ", "late"),
        );
        report.findings.push(Finding {
            waived: Some(Waived {
                reason: "explained".into(),
                until: None,
            }),
            ..late.clone()
        });
        assert!(report.ready(), "a waived error does not block");
        assert_eq!(blockers(&report), "", "so it is not listed either");
        report.findings.push(late);
        assert!(!report.ready());
        assert_eq!(blockers(&report), "  DUE001 late\n");
    }

    #[test]
    fn unknown_event_kinds_are_shown_as_they_are() {
        let e = Event {
            seq: 9,
            kind: "index_moved".into(),
            utc: "2024-01-01T00:00:00.000Z".into(),
            local: "2024-01-01T07:00:00.000+07:00".into(),
            actor: "an".into(),
            details: serde_json::json!({"b": 1, "a": "x"}),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(describe(&e, Lang::En), r#"{"a":"x","b":1}"#);
        let mut out = Vec::new();
        render_log_human(&[e], Lang::En, &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.starts_with("#9     2024-01-01 07:00:00 +07:00  index_moved"),
            "{line}"
        );
    }

    #[test]
    fn verify_rendering_names_each_fault() {
        let v = Verification {
            chain: ChainReport::default(),
            submission: Some(2),
            files_checked: 3,
            file_faults: vec![FileFault {
                path: "a.pdf".into(),
                found: None,
                expected: "ab".into(),
            }],
            reports_ok: true,
        };
        let mut out = Vec::new();
        render_verify_human(&v, Lang::En, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("FAIL a.pdf: missing (or unreadable) — part of submission 2"),
            "{text}"
        );
        assert!(text.ends_with("RESULT: NOT VERIFIED\n"), "{text}");
    }
}
