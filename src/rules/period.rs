//! Reporting periods of periodic reports (Decree 09/2019/NĐ-CP windows).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Period {
    /// Quý I.
    Q1,
    /// 6 tháng (đầu năm).
    H1,
    /// Quý III.
    Q3,
    /// 9 tháng.
    M9,
    /// Năm.
    Y,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Q1 => "Q1",
            Period::H1 => "H1",
            Period::Q3 => "Q3",
            Period::M9 => "M9",
            Period::Y => "Y",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Period::Q1 => "quý I",
            Period::H1 => "6 tháng",
            Period::Q3 => "quý III",
            Period::M9 => "9 tháng",
            Period::Y => "năm",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Period::Q1 => "Q1",
            Period::H1 => "first half-year",
            Period::Q3 => "Q3",
            Period::M9 => "nine months",
            Period::Y => "full year",
        }
    }

    /// Last month of the period.
    pub fn last_month(self) -> u32 {
        match self {
            Period::Q1 => 3,
            Period::H1 => 6,
            Period::Q3 | Period::M9 => 9,
            Period::Y => 12,
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
        } else if has(" quy i ") || has(" quy 1 ") || has(" quy i/") {
            Some(Period::Q1)
        } else if has(" 6 thang ") || has(" sau thang ") {
            Some(Period::H1)
        } else if has(" 9 thang ") || has(" chin thang ") {
            Some(Period::M9)
        } else if has(" quy ii ") || has(" quy iv ") || has(" quy 2 ") || has(" quy 4 ") {
            None
        } else if regex_year(&t) {
            Some(Period::Y)
        } else {
            None
        }
    }
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
        assert_eq!(Period::detect("Báo cáo CCHC quý II năm 2022"), None);
        assert_eq!(Period::detect("Báo cáo về công tác CCHC"), None);
    }

    #[test]
    fn deadlines_fall_on_day_14_of_last_month() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(Period::Q1.deadline(2022, 14), d(2022, 3, 14));
        assert_eq!(Period::Y.deadline(2022, 14), d(2022, 12, 14));
        assert_eq!(Period::H1.deadline(2022, 31), d(2022, 6, 30));
    }
}
