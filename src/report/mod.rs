//! Renderers: a [`Report`] in, text out. They never decide anything.

pub mod human;
pub mod inspect;
pub mod json;
pub mod rules;

use std::io::{self, Write};

use crate::findings::Lang;
use crate::run::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The only place that chooses a renderer.
pub fn render(format: Format, report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, lang, out),
        Format::Json => json::render(report, lang, out),
    }
}

/// "0,5" in Vietnamese, "0.5" in English; at most two decimals.
pub fn points(x: f64, lang: Lang) -> String {
    let s = format!("{:.2}", crate::run::round2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// "ngày 05 tháng 3 năm 2022" (Decree 30 padding) or "2022-03-05".
pub fn long_date(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Vi => {
            let month = if d.month() <= 2 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn vietnamese_numbers_and_dates() {
        assert_eq!(points(0.5, Lang::Vi), "0,5");
        assert_eq!(points(13.0, Lang::Vi), "13");
        assert_eq!(points(2.19, Lang::En), "2.19");
        let d = NaiveDate::from_ymd_opt(2022, 3, 5).unwrap();
        assert_eq!(long_date(d, Lang::Vi), "ngày 05 tháng 3 năm 2022");
        let d = NaiveDate::from_ymd_opt(2022, 2, 14).unwrap();
        assert_eq!(long_date(d, Lang::Vi), "ngày 14 tháng 02 năm 2022");
    }
}
