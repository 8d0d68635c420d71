//! `tlkc rules list|show`: a ruleset's tree and requirements.

use std::io::{self, Write};

use super::points;
use crate::findings::Lang;
use crate::rules::{Deadline, Requirement, Ruleset, Scorable, Scoring, SignatureRule};

/// `tlkc rules validate`: the ruleset read, what it scores, what is left to review.
pub fn validated(r: &Ruleset, file: &str, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let t = |vi: String, en: String| if lang == Lang::Vi { vi } else { en };
    let n = r.scorables().count();
    writeln!(
        out,
        "{file}: ok — {} ({}), {n} {}",
        r.framework.title,
        r.framework.id,
        t(
            "tiêu chí thành phần được chấm".into(),
            "scorable units".into()
        )
    )?;
    let inferred = r.inferred_count();
    if inferred > 0 {
        writeln!(
            out,
            "{}",
            t(
                format!("{inferred} mục còn đánh dấu inferred = true (do `tlkc rules import` suy ra): rà soát rồi xoá dấu."),
                format!("{inferred} items are still marked inferred = true (drafted by `tlkc rules import`): review them, then remove the flag.")
            )
        )?;
    }
    Ok(())
}

/// [`json`] written out; `false` when `only` names nothing in the ruleset.
pub fn write_json(r: &Ruleset, only: Option<&str>, out: &mut dyn Write) -> io::Result<bool> {
    let v = match (json(r, only), only) {
        (Some(v), _) => v,
        (None, Some(_)) => return Ok(false),
        (None, None) => serde_json::Value::default(),
    };
    let text = serde_json::to_string_pretty(&v).map_err(io::Error::other)?;
    writeln!(out, "{text}")?;
    Ok(true)
}

pub fn list(r: &Ruleset, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let fw = &r.framework;
    writeln!(out, "{} ({}, {}) — {}", fw.title, fw.id, fw.year, r.source)?;
    defaults_line(r, lang, "", out)?;
    for a in &r.areas {
        writeln!(out, "{} {} [{}]", a.id, a.title, points(a.max_points, lang))?;
        for c in &a.criteria {
            writeln!(
                out,
                "  {} {} [{}]{}",
                c.id,
                c.title,
                points(c.max_points, lang),
                marker(c.scorable.as_ref(), lang)
            )?;
            for s in &c.sub {
                writeln!(
                    out,
                    "    {} {} [{}]{}",
                    s.id,
                    s.title,
                    points(s.max_points, lang),
                    marker(Some(s), lang)
                )?;
            }
        }
    }
    for d in &r.deductions {
        writeln!(
            out,
            "{} {} [−{}]{}",
            d.id,
            d.title,
            points(d.max_points, lang),
            marker(Some(d), lang)
        )?;
    }
    Ok(())
}

fn marker(s: Option<&Scorable>, lang: Lang) -> String {
    match s.map(|s| &s.scoring) {
        Some(Scoring::Statistics { .. }) => match lang {
            Lang::Vi => " (số liệu hệ thống)".into(),
            Lang::En => " (system statistics)".into(),
        },
        Some(Scoring::Documents { requirements }) => format!(" ({} TLKC)", requirements.len()),
        None => String::new(),
    }
}

/// Print one node; false when the id is unknown.
pub fn show(r: &Ruleset, id: &str, lang: Lang, out: &mut dyn Write) -> io::Result<bool> {
    for a in &r.areas {
        if a.id == id {
            writeln!(out, "{} {} [{}]", a.id, a.title, points(a.max_points, lang))?;
            for c in &a.criteria {
                writeln!(
                    out,
                    "  {} {} [{}]",
                    c.id,
                    c.title,
                    points(c.max_points, lang)
                )?;
            }
            return Ok(true);
        }
        for c in &a.criteria {
            if c.id == id && c.scorable.is_none() {
                writeln!(out, "{} {} [{}]", c.id, c.title, points(c.max_points, lang))?;
                if let Some(n) = &c.note {
                    writeln!(out, "  {n}")?;
                }
                for s in &c.sub {
                    writeln!(
                        out,
                        "  {} {} [{}]{}",
                        s.id,
                        s.title,
                        points(s.max_points, lang),
                        marker(Some(s), lang)
                    )?;
                }
                return Ok(true);
            }
        }
    }
    let Some(s) = r.find(id) else {
        return Ok(false);
    };
    let vi = lang == Lang::Vi;
    writeln!(out, "{} {} [{}]", s.id, s.title, points(s.max_points, lang))?;
    if let Some(n) = &s.note {
        writeln!(out, "  {n}")?;
    }
    if matches!(s.scoring, Scoring::Documents { .. }) {
        defaults_line(r, lang, "  ", out)?;
    }
    writeln!(
        out,
        "  {}: {}",
        if vi {
            "Phương pháp chấm"
        } else {
            "Scoring method"
        },
        method(&s.method, lang)
    )?;
    match &s.scoring {
        Scoring::Statistics { source } => {
            writeln!(
                out,
                "  {}: {source}",
                if vi {
                    "Chấm theo số liệu"
                } else {
                    "Scored from statistics"
                }
            )?;
        }
        Scoring::Documents { requirements } => {
            for req in requirements {
                requirement(req, lang, out)?;
            }
        }
    }
    Ok(true)
}

/// `[defaults]` of the ruleset, when it has any.
fn defaults_line(r: &Ruleset, lang: Lang, indent: &str, out: &mut dyn Write) -> io::Result<()> {
    let Some(sig) = r.defaults.signature else {
        return Ok(());
    };
    let vi = lang == Lang::Vi;
    let name = crate::rules::import::signature_name(sig);
    write!(
        out,
        "{indent}{} [defaults] signature = \"{name}\"",
        if vi { "Mặc định:" } else { "Defaults:" }
    )?;
    if r.defaults.inferred {
        write!(
            out,
            " — {} {}",
            if vi {
                "SUY RA, chưa rà soát, từ"
            } else {
                "INFERRED, not yet reviewed, from"
            },
            r.defaults.source.as_deref().unwrap_or("?")
        )?;
    }
    writeln!(out)
}

fn deadline_text(d: &Deadline, vi: bool) -> String {
    let (text, basis) = match d {
        Deadline::Fixed { date, basis } => (date.to_string(), basis),
        Deadline::PeriodDay { day, basis } => (
            format!(
                "{} {day}",
                if vi {
                    "ngày trong tháng cuối kỳ:"
                } else {
                    "day of the period's last month:"
                }
            ),
            basis,
        ),
        Deadline::Local { key, basis } => (format!("tlkc.toml [deadlines.{key}]"), basis),
    };
    match basis {
        Some(b) => format!("{text} — {b}"),
        None => text,
    }
}

/// "tasks (late_weight 0,5)", "bands (≥ 100 → 2; ≥ 90 → 1)".
fn method(m: &crate::rules::Method, lang: Lang) -> String {
    use crate::rules::Method;
    let p = |x: f64| super::points(x, lang);
    match m {
        Method::Ratio { target } => format!("ratio (target {})", p(*target)),
        Method::Bands { bands } => {
            let b: Vec<String> = bands
                .iter()
                .map(|b| format!("≥ {} → {}", p(b.min), p(b.points)))
                .collect();
            format!("bands ({})", b.join("; "))
        }
        Method::Tasks { late_weight } => format!("tasks (late_weight {})", p(*late_weight)),
        Method::PerItem { per_item } => format!("per_item ({})", p(*per_item)),
        other => other.name().to_string(),
    }
}

fn requirement(req: &Requirement, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    writeln!(
        out,
        "  • {} [{}] ({})",
        req.title,
        points(req.points, lang),
        req.id
    )?;
    if !req.types.is_empty() {
        writeln!(
            out,
            "      {}: {}",
            if vi { "loại văn bản" } else { "types" },
            req.types.join(", ")
        )?;
    }
    if !req.title_patterns.is_empty() {
        writeln!(
            out,
            "      {}: {}",
            if vi {
                "trích yếu chứa"
            } else {
                "title contains"
            },
            req.title_patterns.join(" | ")
        )?;
    }
    if !req.periods.is_empty() {
        let p: Vec<&str> = req
            .periods
            .iter()
            .map(|p| if vi { p.label_vi() } else { p.label_en() })
            .collect();
        writeln!(
            out,
            "      {}: {}",
            if vi { "các kỳ" } else { "periods" },
            p.join(", ")
        )?;
    } else if req.count > 1 {
        writeln!(
            out,
            "      {}: {}",
            if vi { "số lượng" } else { "count" },
            req.count
        )?;
    }
    if let Some(d) = &req.deadline {
        let text = deadline_text(d, vi);
        writeln!(out, "      {}: {text}", if vi { "hạn" } else { "deadline" })?;
    }
    let sig_rule = req.signature;
    let sig = match (sig_rule, vi) {
        (SignatureRule::None, true) => "không bắt buộc",
        (SignatureRule::Required, true) => "bắt buộc",
        (SignatureRule::PersonAndOrganization, true) => {
            "bắt buộc, của người có thẩm quyền và của cơ quan"
        }
        (SignatureRule::None, false) => "not required",
        (SignatureRule::Required, false) => "required",
        (SignatureRule::PersonAndOrganization, false) => {
            "required, by the competent person and the organisation"
        }
    };
    let from = if req.signature_from_defaults {
        if vi {
            " (theo [defaults] của bộ tiêu chí)"
        } else {
            " (from the ruleset's [defaults])"
        }
    } else {
        ""
    };
    writeln!(
        out,
        "      {}: {sig}{from}",
        if vi { "ký số" } else { "digital signature" }
    )?;
    if let Some(b) = &req.basis {
        writeln!(out, "      {}: {b}", if vi { "căn cứ" } else { "basis" })?;
    }
    if req.inferred {
        writeln!(
            out,
            "      {}: {}",
            if vi {
                "SUY RA, chưa rà soát, từ"
            } else {
                "INFERRED, not yet reviewed, from"
            },
            req.source.as_deref().unwrap_or("?")
        )?;
    }
    Ok(())
}

/// `rules list|show --format json`: the ruleset as the flat node list `check`
/// evaluates. `only` keeps one node and its descendants.
pub fn json(r: &Ruleset, only: Option<&str>) -> Option<serde_json::Value> {
    let mut nodes = Vec::new();
    for a in &r.areas {
        nodes.push(node(&a.id, "area", &a.title, a.max_points, None));
        for c in &a.criteria {
            nodes.push(node(
                &c.id,
                "criterion",
                &c.title,
                c.max_points,
                c.scorable.as_ref(),
            ));
            for s in &c.sub {
                nodes.push(node(&s.id, "sub", &s.title, s.max_points, Some(s)));
            }
        }
    }
    for d in &r.deductions {
        nodes.push(node(&d.id, "deduction", &d.title, d.max_points, Some(d)));
    }
    if let Some(id) = only {
        let prefix = format!("{id}.");
        nodes.retain(|n| n.id == id || n.id.starts_with(&prefix));
        if nodes.is_empty() {
            return None;
        }
    }
    Some(serde_json::json!({
        "schema": 1,
        "framework": {
            "id": r.framework.id,
            "title": r.framework.title,
            "year": r.framework.year,
        },
        "source": r.source,
        "defaults": r.defaults,
        "inferred": r.inferred_count(),
        "nodes": nodes,
    }))
}

/// One node of the JSON view.
#[derive(serde::Serialize)]
struct JsonNode {
    id: String,
    level: &'static str,
    title: String,
    max_points: f64,
    system: bool,
    /// Scored from system data, and that was drafted by `rules import`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    system_inferred: bool,
    /// How the unit is self-scored (`score = {…}` in the ruleset).
    #[serde(skip_serializing_if = "Option::is_none")]
    scoring: Option<crate::rules::Method>,
    requirements: Vec<JsonRequirement>,
}

#[derive(serde::Serialize)]
struct JsonRequirement {
    id: String,
    label: String,
    types: Vec<String>,
    title_patterns: Vec<String>,
    count: u32,
    period: Vec<&'static str>,
    deadline: Option<Deadline>,
    signature: SignatureRule,
    points: f64,
    inferred: bool,
    source: Option<String>,
}

fn node(id: &str, level: &'static str, title: &str, max: f64, s: Option<&Scorable>) -> JsonNode {
    let (system, requirements) = match s.map(|s| &s.scoring) {
        Some(Scoring::Statistics { .. }) => (true, Vec::new()),
        Some(Scoring::Documents { requirements }) => {
            (false, requirements.iter().map(json_requirement).collect())
        }
        None => (false, Vec::new()),
    };
    JsonNode {
        id: id.to_string(),
        level,
        title: title.to_string(),
        max_points: max,
        system,
        system_inferred: s.is_some_and(|s| s.inferred),
        scoring: s.map(|s| s.method.clone()),
        requirements,
    }
}

fn json_requirement(r: &Requirement) -> JsonRequirement {
    JsonRequirement {
        id: r.id.clone(),
        label: r.title.clone(),
        types: r.types.clone(),
        title_patterns: r.title_patterns.clone(),
        count: r.count,
        period: r.periods.iter().map(|p| p.as_str()).collect(),
        deadline: r.deadline.clone(),
        signature: r.signature,
        points: r.points,
        inferred: r.inferred,
        source: r.source.clone(),
    }
}

/// The import summary's one line on the signature default; a warning when there is none.
fn signature_line(
    sig: Option<&crate::rules::import::SignatureDefault>,
    vi: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(sig) = sig else {
        return writeln!(
            out,
            "{}",
            if vi {
                "CẢNH BÁO chữ ký số: bảng không nêu quy định chung và không có --signature; yêu cầu nào không tự ghi thì không bắt buộc ký số, nên bản quét ký tay sẽ không bị báo. Nếu tỉnh yêu cầu TLKC là văn bản điện tử có chữ ký số, nhập lại với --signature required."
            } else {
                "WARNING signature: the table states no general rule and --signature was not given; requirements that say nothing need no digital signature, so hand-signed scans will not be flagged. If the province requires digitally signed electronic TLKC, import again with --signature required."
            }
        );
    };
    let name = crate::rules::import::signature_name(sig.rule);
    match (&sig.source, sig.row) {
        (Some(src), row) => {
            let row = row.map(|r| format!(" ({} {r})", if vi { "dòng" } else { "row" }));
            writeln!(
                out,
                "{} [defaults] signature = \"{name}\"{}: \"{}\"",
                if vi {
                    "Chữ ký số mặc định (suy ra, cần rà soát):"
                } else {
                    "Signature default (inferred, to review):"
                },
                row.unwrap_or_default(),
                // The sentence is the table's own text.
                crate::text::one_line(src)
            )
        }
        (None, _) => writeln!(
            out,
            "{} [defaults] signature = \"{name}\"",
            if vi {
                "Chữ ký số mặc định (theo --signature):"
            } else {
                "Signature default (from --signature):"
            }
        ),
    }
}

/// What `rules import` found, for the person who will review the draft.
pub fn import_summary(
    set: &crate::rules::import::ImportedSet,
    output: &str,
    invalid: Option<&crate::rules::RulesError>,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::rules::import::Level;
    let vi = lang == Lang::Vi;
    // Sheet names and cell text are the table author's: one line, no control characters.
    let clean = crate::text::one_line;
    let count = |l: Level| set.nodes.iter().filter(|n| n.level == l).count();
    let cols: Vec<String> = set
        .columns
        .iter()
        .map(|(r, c)| format!("{r}={c}"))
        .collect();
    writeln!(
        out,
        "{} {} ({} {}; {})",
        if vi { "Bảng:" } else { "Table:" },
        clean(&set.table),
        if vi {
            "dòng tiêu đề"
        } else {
            "header row"
        },
        set.header_row,
        cols.join(", ")
    )?;
    if let Some(enc) = set.encoding {
        writeln!(out, "{} {enc}", if vi { "Bảng mã:" } else { "Encoding:" })?;
    }
    let (a, c, s, d) = (
        count(Level::Area),
        count(Level::Criterion),
        count(Level::Sub),
        count(Level::Deduction),
    );
    if vi {
        writeln!(
            out,
            "{a} lĩnh vực, {c} tiêu chí, {s} tiêu chí thành phần, {d} mục điểm trừ."
        )?;
    } else {
        writeln!(
            out,
            "{a} areas, {c} criteria, {s} sub-criteria, {d} deductions."
        )?;
    }
    if let Some((row, total)) = set.total {
        writeln!(
            out,
            "{} {} ({} {row})",
            if vi { "Tổng cộng:" } else { "Total:" },
            points(total, lang),
            if vi { "dòng" } else { "row" }
        )?;
    }
    for m in &set.mismatches {
        if vi {
            writeln!(
                out,
                "  KIỂM TRA {} (dòng {}): bảng ghi {} điểm, các phần cộng lại {} điểm",
                clean(&m.id),
                m.row,
                points(m.stated, lang),
                points(m.sum, lang)
            )?;
        } else {
            writeln!(
                out,
                "  CHECK {} (row {}): the table states {} points, its parts add up to {}",
                clean(&m.id),
                m.row,
                points(m.stated, lang),
                points(m.sum, lang)
            )?;
        }
    }
    for n in &set.notes {
        writeln!(
            out,
            "  {} {}: {}",
            if vi { "dòng" } else { "row" },
            n.row,
            clean(if vi { &n.vi } else { &n.text })
        )?;
    }
    signature_line(set.signature.as_ref(), vi, out)?;
    let inferred = set.inferred_count();
    if vi {
        writeln!(out, "Đã ghi {output}: {inferred} mục suy ra từ văn bản (inferred = true) cần người rà soát.")?;
    } else {
        writeln!(
            out,
            "Wrote {output}: {inferred} drafted items (inferred = true) await a person's review."
        )?;
    }
    if let Some(e) = invalid {
        let fix = if vi {
            "Bản nháp chưa hợp lệ, sửa rồi chạy `tlkc rules validate`:"
        } else {
            "The draft does not validate yet; fix it, then run `tlkc rules validate`:"
        };
        writeln!(out, "{fix} {e}")?;
    }
    Ok(())
}
