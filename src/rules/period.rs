//! Reporting periods of periodic reports (Decree 09/2019/NĐ-CP windows):
//! quarters, the half-year, nine months, the year, and months.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::fold;

/// Written in rulesets as `"Q1"`…`"Q4"`, `"H1"`, `"M9"`, `"Y"`, and
/// `"T01"`…`"T12"` for months (T = tháng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Period {
    T01,
    T02,
    T03,
    /// Quý I.
    Q1,
    T04,
    T05,
    T06,
    /// Quý II.
    Q2,
    /// 6 tháng (đầu năm).
    H1,
    T07,
    T08,
    T09,
    /// Quý III.
    Q3,
    /// 9 tháng.
    M9,
    T10,
    T11,
    T12,
    /// Quý IV.
    Q4,
    /// Năm.
    Y,
}

const MONTHS: [Period; 12] = [
    Period::T01,
    Period::T02,
    Period::T03,
    Period::T04,
    Period::T05,
    Period::T06,
    Period::T07,
    Period::T08,
    Period::T09,
    Period::T10,
    Period::T11,
    Period::T12,
];

impl Period {
    /// The four quarters ("hằng quý").
    pub const QUARTERS: [Period; 4] = [Period::Q1, Period::Q2, Period::Q3, Period::Q4];
    /// Decree 09/2019 periodic reports: quý I, 6 tháng, quý III, năm.
    pub const PERIODIC: [Period; 4] = [Period::Q1, Period::H1, Period::Q3, Period::Y];
    /// Twelve months ("hằng tháng").
    pub const MONTHS: [Period; 12] = MONTHS;

    /// Month `m` (1–12).
    pub fn month(m: u32) -> Option<Period> {
        MONTHS.get((m as usize).checked_sub(1)?).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Q1 => "Q1",
            Period::Q2 => "Q2",
            Period::H1 => "H1",
            Period::Q3 => "Q3",
            Period::M9 => "M9",
            Period::Q4 => "Q4",
            Period::Y => "Y",
            Period::T01 => "T01",
            Period::T02 => "T02",
            Period::T03 => "T03",
            Period::T04 => "T04",
            Period::T05 => "T05",
            Period::T06 => "T06",
            Period::T07 => "T07",
            Period::T08 => "T08",
            Period::T09 => "T09",
            Period::T10 => "T10",
            Period::T11 => "T11",
            Period::T12 => "T12",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Period::Q1 => "quý I",
            Period::Q2 => "quý II",
            Period::H1 => "6 tháng",
            Period::Q3 => "quý III",
            Period::M9 => "9 tháng",
            Period::Q4 => "quý IV",
            Period::Y => "năm",
            Period::T01 => "tháng 01",
            Period::T02 => "tháng 02",
            Period::T03 => "tháng 3",
            Period::T04 => "tháng 4",
            Period::T05 => "tháng 5",
            Period::T06 => "tháng 6",
            Period::T07 => "tháng 7",
            Period::T08 => "tháng 8",
            Period::T09 => "tháng 9",
            Period::T10 => "tháng 10",
            Period::T11 => "tháng 11",
            Period::T12 => "tháng 12",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Period::Q1 => "Q1",
            Period::Q2 => "Q2",
            Period::H1 => "first half-year",
            Period::Q3 => "Q3",
            Period::M9 => "nine months",
            Period::Q4 => "Q4",
            Period::Y => "full year",
            Period::T01 => "January",
            Period::T02 => "February",
            Period::T03 => "March",
            Period::T04 => "April",
            Period::T05 => "May",
            Period::T06 => "June",
            Period::T07 => "July",
            Period::T08 => "August",
            Period::T09 => "September",
            Period::T10 => "October",
            Period::T11 => "November",
            Period::T12 => "December",
        }
    }

    /// Last month of the period.
    pub fn last_month(self) -> u32 {
        if let Some(i) = MONTHS.iter().position(|m| *m == self) {
            return i as u32 + 1;
        }
        match self {
            Period::Q1 => 3,
            Period::Q2 | Period::H1 => 6,
            Period::Q3 | Period::M9 => 9,
            _ => 12,
        }
    }

    /// Day `day` of the period's last month in `year` (clamped to the month's length).
    pub fn deadline(self, year: i32, day: u32) -> Option<NaiveDate> {
        let month = self.last_month();
        (1..=day.min(31))
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
    }

    /// The period a report's title names, or `None` when it cannot tell.
    /// A title naming a year and no shorter period is an annual report.
    pub fn detect(title: &str) -> Option<Period> {
        let t = format!(
            " {} ",
            fold(title).replace([',', '.', ';', ':', '(', ')'], " ")
        );
        let has = |p: &str| t.contains(p);
        if has(" quy iii ") || has(" quy 3 ") || has(" quy iii/") {
            Some(Period::Q3)
        } else if has(" quy ii ") || has(" quy 2 ") || has(" quy ii/") {
            Some(Period::Q2)
        } else if has(" quy iv ") || has(" quy 4 ") || has(" quy iv/") {
            Some(Period::Q4)
        } else if has(" quy i ") || has(" quy 1 ") || has(" quy i/") {
            Some(Period::Q1)
        } else if has(" 6 thang ") || has(" sau thang ") {
            Some(Period::H1)
        } else if has(" 9 thang ") || has(" chin thang ") {
            Some(Period::M9)
        } else if let Some(m) = month_of(&t) {
            Some(m)
        } else if regex_year(&t) {
            Some(Period::Y)
        } else {
            None
        }
    }
}

/// "tháng 3 năm 2022", "tháng 03/2022": a monthly report — but not the
/// date line's "ngày 05 tháng 3".
fn month_of(folded: &str) -> Option<Period> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(\bngay \d{1,2} )?\bthang (\d{1,2})\b(?:\s*(?:/|nam)\s*\d{4})?")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    re.captures_iter(folded)
        .filter(|c| c.get(1).is_none())
        .find_map(|c| Period::month(c[2].parse().ok()?))
}

fn regex_year(folded: &str) -> bool {
    folded
        .split(' ')
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w[0] == "nam" && w[1].len() == 4 && w[1].chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_periods_from_titles() {
        assert_eq!(
            Period::detect("Báo cáo công tác CCHC quý I năm 2022"),
            Some(Period::Q1)
        );
        assert_eq!(
            Period::detect("BÁO CÁO CCHC QUÝ III NĂM 2022"),
            Some(Period::Q3)
        );
        assert_eq!(
            Period::detect("Báo cáo CCHC 6 tháng đầu năm 2022"),
            Some(Period::H1)
        );
        assert_eq!(Period::detect("Báo cáo CCHC năm 2022"), Some(Period::Y));
        assert_eq!(
            Period::detect("Báo cáo CCHC quý II năm 2022"),
            Some(Period::Q2)
        );
        assert_eq!(
            Period::detect("Báo cáo CCHC quý IV năm 2022"),
            Some(Period::Q4)
        );
        assert_eq!(
            Period::detect("Báo cáo tình hình tháng 3 năm 2022"),
            Some(Period::T03)
        );
        assert_eq!(
            Period::detect("Báo cáo CCHC tháng 11/2022"),
            Some(Period::T11)
        );
        assert_eq!(
            Period::detect("Kế hoạch ban hành ngày 05 tháng 3 năm 2022"),
            Some(Period::Y)
        );
        assert_eq!(Period::detect("Báo cáo về công tác CCHC"), None);
    }

    #[test]
    fn deadlines_fall_on_day_14_of_last_month() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(Period::Q1.deadline(2022, 14), d(2022, 3, 14));
        assert_eq!(Period::Y.deadline(2022, 14), d(2022, 12, 14));
        assert_eq!(Period::H1.deadline(2022, 31), d(2022, 6, 30));
        assert_eq!(Period::Q4.deadline(2022, 14), d(2022, 12, 14));
        assert_eq!(Period::T02.deadline(2022, 30), d(2022, 2, 28));
        assert_eq!(Period::month(13), None);
    }
}
