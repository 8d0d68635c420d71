//! DUE001–DUE003: was the document issued — and released, i.e. signed by
//! the organisation — by its deadline? Compared in Vietnam time (+07:00).

pub(crate) mod diags;

use chrono::NaiveDate;

use super::signature::release_time;
use super::vi_date;
use crate::config::FolderConfig;
use crate::facts::KeptFacts;
use crate::findings::{Finding, Msg};
use crate::rules::{period::Period, Deadline};

/// A deadline made concrete for one document or period.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub date: NaiveDate,
    pub basis: Option<String>,
}

/// Resolve a requirement's deadline. `Err(key)` when a local deadline is
/// not given in tlkc.toml.
pub fn resolve(
    deadline: Option<&Deadline>,
    period: Option<Period>,
    year: i32,
    config: &FolderConfig,
) -> Result<Option<Due>, String> {
    Ok(match deadline {
        None => None,
        Some(Deadline::Fixed { date, basis }) => Some(Due {
            date: *date,
            basis: basis.clone(),
        }),
        Some(Deadline::PeriodDay { day, basis }) => {
            period.and_then(|p| p.deadline(year, *day)).map(|date| Due {
                date,
                basis: basis.clone(),
            })
        }
        Some(Deadline::Local { key, basis }) => {
            let local = config.deadlines.get(key).ok_or_else(|| key.clone())?;
            Some(Due {
                date: local.date,
                basis: local.basis.clone().or_else(|| basis.clone()),
            })
        }
    })
}

/// The day the document counts as issued: its date line, or later if the
/// organisation only signed (released) it later. When only the month of the
/// date line could be read (a handwritten day on a scan), the first day of
/// that month: the earliest the document can be dated. Every check that
/// compares a document with a deadline (DUE001, the task register) uses this one.
///
/// A copy (bản sao điện tử, a portal's republication) carries the copier's
/// signature, made after the release, often long after: only its date line
/// counts, and without one the date cannot be told.
pub fn release_date(f: &KeptFacts) -> Option<(NaiveDate, Source)> {
    let released = release_time(f)
        .filter(|_| !f.document.copy)
        .map(|t| t.with_timezone(&crate::time::VIETNAM).date_naive());
    match (f.document.date, released) {
        (Some(d), Some(r)) if r > d => Some((r, Source::Released)),
        (Some(d), _) => Some((d, Source::Dated)),
        (None, released) => match (month_start(f), released) {
            (Some(m), Some(r)) if m > r => Some((m, Source::MonthStart)),
            (_, Some(r)) => Some((r, Source::Released)),
            (Some(m), None) => Some((m, Source::MonthStart)),
            (None, None) => None,
        },
    }
}

/// The first day of `document.date_month` ("2022-03" → 2022-03-01).
fn month_start(f: &KeptFacts) -> Option<NaiveDate> {
    let (y, m) = f.document.date_month.as_deref()?.split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The last day of the month that starts on `first`.
fn month_end(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Dated,
    Released,
    /// Only the month is known: the first day of it.
    MonthStart,
}

/// DUE001 / DUE002 for one document against one deadline. Returns true when late.
pub fn check(f: &KeptFacts, due: &Due, what: &str, out: &mut Vec<Finding>) -> bool {
    let name = super::file_name(&f.path);
    let number = f
        .document
        .number
        .as_deref()
        .map(|n| format!(" số {n}"))
        .unwrap_or_default();
    let number_en = f
        .document
        .number
        .as_deref()
        .map(|n| format!(" no. {n}"))
        .unwrap_or_default();
    let basis = due
        .basis
        .as_deref()
        .map(|b| format!(" ({b})"))
        .unwrap_or_default();
    match release_date(f) {
        None => {
            out.push(
                Finding::new(
                    &diags::DUE002,
                    Msg::new(
                        format!("{what}: không xác định được ngày ban hành của {name} (không đọc được ngày, không có chữ ký số phát hành của cơ quan{}) để so với hạn {}{basis}.", if f.document.copy { "; chữ ký trên bản sao là của nơi sao" } else { "" }, vi_date(due.date)),
                        format!("{what}: the issue date of {name} cannot be told (no readable date, no organisation signature releasing it{}) to compare with the deadline {}{basis}.", if f.document.copy { "; the signature on a copy is the copier's" } else { "" }, due.date),
                    ),
                )
                .path(&f.path),
            );
            false
        }
        Some((first, Source::MonthStart)) if month_end(first) > due.date && first <= due.date => {
            out.push(
                Finding::new(
                    &diags::DUE002,
                    Msg::new(
                        format!("{what}: chỉ đọc được tháng {}/{} trên {name} (không đọc được ngày), tháng này bao trùm hạn {}{basis}: không xác định được có trễ hạn không.", first.format("%m"), first.format("%Y"), vi_date(due.date)),
                        format!("{what}: only the month {} of {name} could be read (not the day), and that month spans the deadline {}{basis}: whether it was late cannot be told.", first.format("%Y-%m"), due.date),
                    ),
                )
                .path(&f.path),
            );
            false
        }
        Some((date, source)) if date > due.date => {
            let (vi_how, en_how) = match source {
                Source::Dated => ("ban hành ngày", "dated"),
                Source::MonthStart => (
                    "ban hành trong tháng bắt đầu từ ngày",
                    "dated (day unreadable) no earlier than",
                ),
                Source::Released => (
                    "ký số phát hành ngày",
                    "released (signed by the organisation) on",
                ),
            };
            let days = (date - due.date).num_days();
            out.push(
                Finding::new(
                    &diags::DUE001,
                    Msg::new(
                        format!("{what}: văn bản{number} ({name}) {vi_how} {}, trễ {days} ngày so với hạn {}{basis}.", vi_date(date), vi_date(due.date)),
                        format!("{what}: document{number_en} ({name}) {en_how} {date}, {days} day(s) after the deadline {}{basis}.", due.date),
                    ),
                )
                .path(&f.path)
                .fact("requirement", what)
                .fact("number", f.document.number.clone().unwrap_or_default())
                .fact("date", vi_date(date))
                .fact("date_source", vi_how)
                .fact("deadline", vi_date(due.date))
                .fact("deadline_basis", due.basis.clone().unwrap_or_default())
                .fact("days_late", days.to_string()),
            );
            true
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DocumentFacts, FileFacts, FileKind, PdfFacts, SignatureFacts, SignerKind};
    use crate::findings::Code;
    use chrono::{DateTime, FixedOffset, TimeZone, Utc};

    // The checks read what the run keeps of whole facts.
    fn check(f: &FileFacts, due: &Due, what: &str, out: &mut Vec<Finding>) -> bool {
        super::check(&KeptFacts::of(f), due, what, out)
    }

    fn release_date(f: &FileFacts) -> Option<(NaiveDate, Source)> {
        super::release_date(&KeptFacts::of(f))
    }

    fn dated(d: Option<NaiveDate>, org_signed: Option<DateTime<FixedOffset>>) -> FileFacts {
        let mut sigs = vec![];
        if let Some(t) = org_signed {
            let mut s = SignatureFacts::unknown(None);
            s.kind = SignerKind::Organization;
            s.signing_time = Some(t);
            sigs.push(s);
        }
        FileFacts {
            path: "x/bc.pdf".into(),
            sha256: String::new(),
            size: 1,
            kind: FileKind::Pdf,
            pdf: PdfFacts::default(),
            document: DocumentFacts {
                date: d,
                number: Some("45/BC-UBND".into()),
                ..Default::default()
            },
            signatures: sigs,
            unsigned_fields: vec![],
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn month_only_is_late_only_when_the_whole_month_is() {
        let due = Due {
            date: ymd(2022, 3, 14),
            basis: None,
        };
        let month = |m: &str| {
            let mut f = dated(None, None);
            f.document.date_month = Some(m.into());
            f
        };
        let mut out = vec![];
        // A Q1 report dated "tháng 4 năm 2022" is late whatever its day.
        assert!(check(&month("2022-04"), &due, "BC quý I", &mut out));
        assert_eq!(out[0].code, Code::Due001);
        assert!(
            out[0].message.en.contains("2022-04-01"),
            "{}",
            out[0].message.en
        );
        // March spans the deadline: cannot tell.
        out.clear();
        assert!(!check(&month("2022-03"), &due, "BC quý I", &mut out));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::Due002);
        // February is before it: on time.
        out.clear();
        assert!(!check(&month("2022-02"), &due, "BC quý I", &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn late_by_date_line() {
        let due = Due {
            date: ymd(2022, 3, 14),
            basis: None,
        };
        let mut out = vec![];
        assert!(check(
            &dated(Some(ymd(2022, 3, 18)), None),
            &due,
            "1.2.1",
            &mut out
        ));
        assert_eq!(out[0].code, Code::Due001);
        assert!(
            out[0].message.vi.contains("trễ 4 ngày"),
            "{}",
            out[0].message.vi
        );
        assert!(!check(
            &dated(Some(ymd(2022, 3, 14)), None),
            &due,
            "1.2.1",
            &mut out
        ));
    }

    #[test]
    fn released_late_in_vietnam_time() {
        // 2022-12-04T18:30Z is already 5 December in Vietnam.
        let utc = Utc
            .with_ymd_and_hms(2022, 12, 4, 18, 30, 0)
            .unwrap()
            .fixed_offset();
        let due = Due {
            date: ymd(2022, 12, 4),
            basis: None,
        };
        let mut out = vec![];
        assert!(check(
            &dated(Some(ymd(2022, 12, 2)), Some(utc)),
            &due,
            "2.1.1",
            &mut out
        ));
        assert!(
            out[0].message.en.contains("2022-12-05"),
            "{}",
            out[0].message.en
        );
    }

    #[test]
    fn unknown_date_cannot_be_assessed() {
        let due = Due {
            date: ymd(2022, 12, 4),
            basis: None,
        };
        let mut out = vec![];
        assert!(!check(&dated(None, None), &due, "2.1.1", &mut out));
        assert_eq!(out[0].code, Code::Due002);
    }

    #[test]
    fn a_copy_signature_is_not_the_release() {
        use crate::facts::{CopyFacts, CopyKind};
        // Copied (SAO Y) months after the deadline; the original is dated in time.
        let copied = Utc
            .with_ymd_and_hms(2025, 7, 25, 3, 25, 15)
            .unwrap()
            .fixed_offset();
        let copy = CopyFacts {
            kind: CopyKind::SaoY,
            organisation: Some("VĂN PHÒNG ỦY BAN NHÂN DÂN".into()),
            time: Some(copied),
            evidence: "signature reason".into(),
        };
        let due = Due {
            date: ymd(2025, 7, 31),
            basis: None,
        };
        let mut f = dated(
            Some(ymd(2025, 7, 24)),
            Some(copied + chrono::Duration::days(30)),
        );
        f.document.copy = Some(copy);
        assert_eq!(release_date(&f), Some((ymd(2025, 7, 24), Source::Dated)));
        let mut out = vec![];
        assert!(!check(&f, &due, "1.1", &mut out));
        assert!(out.is_empty());
        // A scanned copy with no readable date: cannot be told, never "late".
        f.document.date = None;
        assert_eq!(release_date(&f), None);
        assert!(!check(&f, &due, "1.1", &mut out));
        assert_eq!(out[0].code, Code::Due002);
        assert!(
            out[0].message.en.contains("copier"),
            "{}",
            out[0].message.en
        );
    }

    #[test]
    fn local_deadline_must_be_configured() {
        let d = Deadline::Local {
            key: "tai-san-cong".into(),
            basis: None,
        };
        assert_eq!(
            resolve(Some(&d), None, 2022, &FolderConfig::default()),
            Err("tai-san-cong".into())
        );
    }
}
