//! CFG003: the ruleset is for another evaluation year, or another unit
//! level, than the folder being checked. Said once for the whole run, as
//! every deadline and requirement after it inherits the mismatch.

pub(crate) mod diags;

use chrono::{Datelike, NaiveDate};

use crate::findings::{Finding, Msg};
use crate::rules::Ruleset;
use crate::text::fold;

/// The ruleset-fit check: year and unit level, once per run.
pub struct RulesetFit;

impl super::family::Check for RulesetFit {
    fn family(&self) -> &'static super::family::Family {
        &diags::FAMILY
    }
    fn folder(&self, input: &super::family::Input) -> Vec<Finding> {
        let ctx = input.ctx;
        let mut out = Vec::new();
        check(ctx.rules, ctx.config.unit.as_deref(), ctx.as_of, &mut out);
        out
    }
}

/// Unit levels a ruleset is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Sở, ban, ngành (provincial department).
    So,
    /// UBND huyện, quận, thị xã.
    Huyen,
    /// UBND xã, phường, thị trấn.
    Xa,
}

impl Level {
    fn vi(self) -> &'static str {
        match self {
            Level::So => "sở, ban, ngành",
            Level::Huyen => "huyện",
            Level::Xa => "xã",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Level::So => "department",
            Level::Huyen => "district",
            Level::Xa => "commune",
        }
    }
}

/// The level a ruleset's `level` names ("huyện", "cấp xã", "sở"), if any.
pub fn ruleset_level(level: &str) -> Option<Level> {
    let l = fold(level);
    let words: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).collect();
    if words.contains(&"xa") || words.contains(&"phuong") {
        Some(Level::Xa)
    } else if words.contains(&"huyen") || words.contains(&"quan") {
        Some(Level::Huyen)
    } else if words.contains(&"so") || words.contains(&"nganh") {
        Some(Level::So)
    } else {
        None
    }
}

/// The level a unit's name shows ("UBND xã Đắk Môn" → xã), when it is
/// plain; "thành phố" is left unknown (a city may be a district or a province).
pub fn unit_level(unit: &str) -> Option<Level> {
    let u = fold(unit);
    let u = u.trim();
    let body = u
        .strip_prefix("ubnd ")
        .or_else(|| u.strip_prefix("uy ban nhan dan "))
        .unwrap_or(u)
        .trim_start();
    let starts = |p: &str| body.starts_with(p);
    if starts("thi xa ") || starts("huyen ") || starts("quan ") {
        Some(Level::Huyen)
    } else if starts("xa ") || starts("phuong ") || starts("thi tran ") || starts("dac khu ") {
        Some(Level::Xa)
    } else if u.starts_with("so ") || u.starts_with("ban ") {
        Some(Level::So)
    } else {
        None
    }
}

/// Whether `as_of` falls in the evaluation round of year `year`: from
/// December of the year before (plans are issued then) to the end of the
/// first quarter after (scoring and appraisal run into Q1).
fn in_round(year: i32, as_of: NaiveDate) -> bool {
    let from = NaiveDate::from_ymd_opt(year - 1, 12, 1);
    let to = NaiveDate::from_ymd_opt(year + 1, 3, 31);
    matches!((from, to), (Some(f), Some(t)) if f <= as_of && as_of <= t)
}

pub fn check(rules: &Ruleset, unit: Option<&str>, as_of: NaiveDate, out: &mut Vec<Finding>) {
    let fw = &rules.framework;
    let mut vi = Vec::new();
    let mut en = Vec::new();
    let year_off = !in_round(fw.year, as_of);
    if year_off {
        vi.push(format!(
            "bộ tiêu chí là của năm {}, còn ngày đánh giá là {}: mọi hạn nộp và kỳ báo cáo sẽ tính theo năm {}",
            fw.year,
            crate::time::vi_date(as_of),
            fw.year
        ));
        en.push(format!(
            "the ruleset is for {}, while the evaluation day is {}: every deadline and reporting period will be those of {}",
            fw.year, as_of, fw.year
        ));
    }
    let levels = fw
        .level
        .as_deref()
        .and_then(ruleset_level)
        .zip(unit.and_then(unit_level));
    let level_off = levels.filter(|(r, u)| r != u);
    if let Some((r, u)) = level_off {
        vi.push(format!(
            "bộ tiêu chí dành cho cấp {}, còn đơn vị \"{}\" là cấp {}",
            r.vi(),
            unit.unwrap_or_default(),
            u.vi()
        ));
        en.push(format!(
            "the ruleset is for the {} level, while the unit \"{}\" is at the {} level",
            r.en(),
            unit.unwrap_or_default(),
            u.en()
        ));
    }
    if vi.is_empty() {
        return;
    }
    let year = if year_off { as_of.year() } else { fw.year };
    let mut f = Finding::new(
        &diags::CFG003,
        Msg::new(
            format!(
                "Bộ tiêu chí {} ({}) có thể không đúng với hồ sơ này: {}. Nhập bảng tiêu chí năm {year} của tỉnh cho đúng cấp (tlkc rules import BẢNG.xlsx --id … --title … --year {year} -o bo-tieu-chi.toml) rồi ghi vào dòng rules của tlkc.toml hoặc dùng --rules; nếu đang kiểm tra lại hồ sơ năm cũ, đặt --as-of vào năm đó.",
                fw.title,
                fw.id,
                vi.join("; ")
            ),
            format!(
                "Ruleset {} ({}) may not fit this folder: {}. Import the province's {year} criteria table for the right level (tlkc rules import TABLE.xlsx --id … --title … --year {year} -o rules.toml) and name it in tlkc.toml's rules line or with --rules; when re-checking an old folder, set --as-of in that year.",
                fw.title,
                fw.id,
                en.join("; ")
            ),
        ),
    )
    .fact("ruleset_year", fw.year.to_string());
    if let Some(l) = &fw.level {
        f = f.fact("ruleset_level", l.clone());
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn kon_tum() -> Ruleset {
        crate::rules::load_file(std::path::Path::new("builtin:kon-tum-2022-huyen")).unwrap()
    }

    #[test]
    fn levels_from_names() {
        assert_eq!(unit_level("UBND xã Đắk Môn"), Some(Level::Xa));
        assert_eq!(unit_level("Ủy ban nhân dân phường 1"), Some(Level::Xa));
        assert_eq!(unit_level("UBND thị xã Buôn Hồ"), Some(Level::Huyen));
        assert_eq!(unit_level("UBND huyện Đắk Glei"), Some(Level::Huyen));
        assert_eq!(unit_level("Sở Nội vụ tỉnh Kon Tum"), Some(Level::So));
        assert_eq!(unit_level("UBND thành phố Kon Tum"), None);
        assert_eq!(ruleset_level("huyện"), Some(Level::Huyen));
        assert_eq!(ruleset_level("cấp xã"), Some(Level::Xa));
        assert_eq!(ruleset_level("sở, ban, ngành"), Some(Level::So));
    }

    #[test]
    fn said_once_for_another_year_or_level() {
        let rules = kon_tum();
        let mut out = Vec::new();
        check(
            &rules,
            Some("UBND huyện Đắk Glei"),
            day(2022, 11, 30),
            &mut out,
        );
        check(
            &rules,
            Some("UBND huyện Đắk Glei"),
            day(2023, 1, 20),
            &mut out,
        );
        check(&rules, None, day(2021, 12, 15), &mut out);
        assert!(out.is_empty(), "{out:?}");
        check(&rules, Some("UBND xã Đắk Môn"), day(2026, 11, 30), &mut out);
        assert_eq!(out.len(), 1);
        let vi = &out[0].message.vi;
        assert!(vi.contains("năm 2022") && vi.contains("cấp xã"), "{vi}");
        assert!(vi.contains("--year 2026"), "{vi}");
        out.clear();
        check(&rules, Some("UBND xã Đắk Môn"), day(2022, 6, 1), &mut out);
        assert_eq!(out.len(), 1);
        assert!(!out[0].message.vi.contains("ngày đánh giá"), "{:?}", out[0]);
    }
}
