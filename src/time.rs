//! Vietnam time: deadlines are Vietnamese calendar days, signing times are
//! shown in +07:00. Beneath every stage so inspection, checks, the ledger and
//! reports share one offset.

use chrono::{Datelike, FixedOffset, NaiveDate};

/// Vietnam's UTC offset (+07:00; no daylight saving).
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("+07:00 is a valid offset"),
};

/// Vietnam's UTC offset, as a function for call sites that map over it.
pub fn vietnam() -> FixedOffset {
    VIETNAM
}

/// A day as officers type it: ISO `2026-11-30`, or the Vietnamese
/// `30/11/2026` a spreadsheet exports (tasks.csv, tlkc.toml, `--as-of`).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// "05/3/2022", the short Vietnamese date form.
pub fn vi_date(d: NaiveDate) -> String {
    format!("{:02}/{}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_seven_hours_and_dates_are_short_vietnamese() {
        assert_eq!(VIETNAM.local_minus_utc(), 7 * 3600);
        let d = NaiveDate::from_ymd_opt(2022, 3, 5).map(vi_date);
        assert_eq!(d.as_deref(), Some("05/3/2022"));
    }
}
