//! The self-scoring estimate (tự chấm): points per scorable unit by its
//! ruleset method, the total, what could not be estimated, and the fixes that
//! win back most points. Pure: runs on evaluated outcomes and findings (after
//! waivers); never counts a unit without its input as full or zero.

pub(crate) mod diags;

use std::collections::BTreeSet;

use super::tasks::TaskReport;
use crate::config::FolderConfig;
use crate::findings::{Code, Finding, Msg, Outcome, Severity};
use crate::rules::{Band, Method, Ruleset, Scorable};

/// The estimate for one scorable unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub id: String,
    /// The method that gave the number ("manual" when a person's score decided it).
    pub method: &'static str,
    /// `None`: not estimated (its metric, manual score or tasks are missing).
    pub points: Option<f64>,
    /// Negative points are a deduction.
    pub deduction: bool,
    /// One sentence: which files, metric or tasks gave the number.
    pub basis: Msg,
}

/// Fixing these error findings wins back `points` on one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub criterion: String,
    /// Fixable error findings on the unit.
    pub findings: usize,
    /// Distinct files they are about (a file with four bad signatures is one).
    pub files: usize,
    /// Findings about no file: documents to add (EVD001, EVD002, TSK002).
    pub documents: usize,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    pub criteria: Vec<Estimate>,
    /// Sum over estimated units, deductions subtracted.
    pub estimated: f64,
    /// Maximum of the estimated units (deductions excluded).
    pub max: f64,
    pub not_estimated: Vec<String>,
    /// Only when the ruleset states grade bands and every unit was estimated.
    pub grade: Option<String>,
    /// Most points first.
    pub fixes: Vec<Fix>,
    /// Units with requirements not yet due, and their points (not counted
    /// in `estimated`, still in `max`).
    pub pending: Vec<(String, f64)>,
}

impl Score {
    pub fn of(&self, id: &str) -> Option<&Estimate> {
        self.criteria.iter().find(|e| e.id == id)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// "0,5" in Vietnamese sentences, "0.5" in English ones.
fn num(x: f64, vi: bool) -> String {
    let s = round2(x).to_string();
    if vi {
        s.replace('.', ",")
    } else {
        s
    }
}

/// value / target × max, capped at max (and at 0 below).
pub fn ratio(value: f64, target: f64, max: f64) -> f64 {
    (value / target).clamp(0.0, 1.0) * max
}

/// Points of the highest band reached; 0 below every band. `bands` high to low.
pub fn bands(value: f64, bands: &[Band]) -> f64 {
    bands
        .iter()
        .find(|b| value >= b.min)
        .map_or(0.0, |b| b.points)
}

/// (on time + late_weight × late) / total × max; `None` when nothing counts.
pub fn tasks(on_time: usize, late: usize, total: usize, late_weight: f64, max: f64) -> Option<f64> {
    (total > 0).then(|| (on_time as f64 + late_weight * late as f64) / total as f64 * max)
}

/// max − per_item × count, floored at 0.
pub fn per_item(count: f64, per_item: f64, max: f64) -> f64 {
    (max - per_item * count.max(0.0)).max(0.0)
}

/// Estimate every scorable unit. `findings` are after waivers; CFG002 notes
/// for unused `[metrics]`/`[manual]` entries are appended to `notes`.
/// `fixable` says whether fixing a file clears a code (the registry's
/// declaration, [`super::registry::diag`]; passed in because the registry
/// lists this family and a family never names the registry).
pub fn estimate(
    rules: &Ruleset,
    outcomes: &[Outcome],
    findings: &[Finding],
    task_reports: &[TaskReport],
    config: &FolderConfig,
    fixable: &dyn Fn(Code) -> bool,
    notes: &mut Vec<Finding>,
) -> Score {
    let deductions: BTreeSet<&str> = rules.deductions.iter().map(|d| d.id.as_str()).collect();
    let mut score = Score::default();
    for (_, s) in rules.scorables() {
        let deduction = deductions.contains(s.id.as_str());
        let outcome = outcomes.iter().find(|o| o.id == s.id);
        let active: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.is_active() && f.severity == Severity::Error)
            .filter(|f| f.criterion.as_deref() == Some(s.id.as_str()))
            .collect();
        let tasks = task_reports.iter().find(|r| r.criterion == s.id);
        let (e, if_fixed) = unit(s, deduction, outcome, tasks, findings, config);
        if let (Some(p), Some(best)) = (e.points, if_fixed) {
            if let Some(fix) = fix(&s.id, &active, best - p, fixable) {
                score.fixes.push(fix);
            }
        }
        if let Some(o) = outcome.filter(|o| o.points_pending > 0.0 && !deduction) {
            score.pending.push((s.id.clone(), o.points_pending));
        }
        match e.points {
            Some(p) => {
                score.estimated += p;
                if !deduction {
                    score.max += s.max_points;
                }
            }
            None => score.not_estimated.push(s.id.clone()),
        }
        score.criteria.push(e);
    }
    score.fixes.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then(a.criterion.cmp(&b.criterion))
    });
    if score.not_estimated.is_empty() {
        score.grade = rules
            .framework
            .grades
            .iter()
            .find(|g| score.estimated + 1e-9 >= g.min)
            .map(|g| g.name.clone());
    }
    unused_inputs(rules, config, notes);
    score
}

/// What fixing a unit's fixable errors wins back. A late document or task
/// reply cannot be fixed: its points are taken off the gain, and a unit
/// with nothing else to fix gets no entry (it needs a giải trình).
fn fix(id: &str, active: &[&Finding], gain: f64, fixable: &dyn Fn(Code) -> bool) -> Option<Fix> {
    let (fixable, late): (Vec<&Finding>, Vec<&Finding>) =
        active.iter().copied().partition(|f| fixable(f.code));
    if fixable.is_empty() {
        return None;
    }
    let mut late_points = 0.0;
    for f in &late {
        // A late finding that does not say what it costs: the gain cannot be told apart.
        late_points += f.points?;
    }
    let points = gain - late_points;
    if points <= 1e-9 {
        return None;
    }
    let files: BTreeSet<&str> = fixable.iter().filter_map(|f| f.path.as_deref()).collect();
    Some(Fix {
        criterion: id.to_string(),
        findings: fixable.len(),
        files: files.len(),
        documents: fixable.iter().filter(|f| f.path.is_none()).count(),
        points,
    })
}

/// The estimate of one unit and the points it would have with its error findings fixed.
fn unit(
    s: &Scorable,
    deduction: bool,
    outcome: Option<&Outcome>,
    tasks: Option<&TaskReport>,
    findings: &[Finding],
    config: &FolderConfig,
) -> (Estimate, Option<f64>) {
    let max = s.max_points;
    let metric = config.metrics.get(&s.id);
    let manual = config.manual.get(&s.id);
    let mk = |method, points: Option<f64>, vi: String, en: String| Estimate {
        id: s.id.clone(),
        method,
        points,
        deduction,
        basis: Msg::new(vi, en),
    };
    let metric_text = |vi: bool| {
        metric.map_or(String::new(), |m| {
            let (label, from) = if vi {
                ("số liệu", "nguồn")
            } else {
                ("metric", "source")
            };
            format!(
                " ({label} {} {}, {from}: {})",
                num(m.value, vi),
                m.unit,
                m.source
            )
        })
    };
    match &s.method {
        Method::Evidence => {
            let risk = outcome.map_or(0.0, |o| o.points_at_risk).min(max);
            let pending = outcome.map_or(0.0, |o| o.points_pending);
            let files = outcome.map_or(0, |o| o.files.len());
            if deduction {
                // No deduction is 0, not −0.
                let e = mk("evidence", Some(if risk > 0.0 { -risk } else { 0.0 }),
                    format!("Điểm trừ {} điểm theo kết quả kiểm tra {files} tệp.", num(risk, true)),
                    format!("Deduction of {} points from the check of {files} file(s).", round2(risk)));
                return (e, Some(0.0));
            }
            let evidence = (max - risk - pending).max(0.0);
            let (mut vi, mut en) = if risk > 0.0 {
                (format!("{files} tệp; lỗi làm mất {} điểm.", num(risk, true)),
                 format!("{files} file(s); findings put {} points at risk.", round2(risk)))
            } else {
                (format!("{files} tệp đủ yêu cầu"), format!("{files} file(s) meet the requirements"))
            };
            if pending > 0.0 {
                vi = format!("{}; {} điểm của yêu cầu chưa đến hạn chưa được tính.", vi.trim_end_matches('.'), num(pending, true));
                en = format!("{}; {} points of requirements not yet due are not counted.", en.trim_end_matches('.'), round2(pending));
            }
            // A person may judge the content lower than the files allow, never higher.
            let cap = manual.map_or(max, |m| m.score.min(max));
            match manual {
                Some(m) if cap < evidence => (
                    mk("manual", Some(cap),
                        format!("Tự chấm {} (tệp: {}): {}", num(cap, true), vi.trim_end_matches('.'), m.reason),
                        format!("Scored by hand {} (files: {}): {}", round2(cap), en.trim_end_matches('.'), m.reason)),
                    Some(cap),
                ),
                _ if risk > 0.0 || pending > 0.0 => (mk("evidence", Some(evidence), vi, en), Some(cap - pending)),
                _ => (
                    mk("evidence", Some(evidence), format!("{vi}: đủ điểm."), format!("{en}: full points.")),
                    Some(cap),
                ),
            }
        }
        Method::Manual => match manual {
            Some(m) => {
                let p = m.score.min(max);
                (mk("manual", Some(p),
                    format!("Tự chấm: {}{}", m.reason, metric_text(true)),
                    format!("Scored by hand: {}{}", m.reason, metric_text(false))), None)
            }
            None => (mk("manual", None,
                format!("Chưa ước tính: cần điểm tự chấm và lý do trong tlkc.toml [manual].\"{}\"{}.", s.id, metric_text(true)),
                format!("Not estimated: needs a score and its reason in tlkc.toml [manual].\"{}\"{}.", s.id, metric_text(false))), None),
        },
        Method::Ratio { .. } | Method::Bands { .. } | Method::PerItem { .. } => {
            let Some(m) = metric else {
                return (mk(s.method.name(), None,
                    format!("Chưa ước tính: thiếu số liệu trong tlkc.toml [metrics].\"{}\".", s.id),
                    format!("Not estimated: no value in tlkc.toml [metrics].\"{}\".", s.id)), None);
            };
            let (p, vi, en) = match &s.method {
                Method::Ratio { target } => (ratio(m.value, *target, max),
                    format!("{} {} / chỉ tiêu {} × {}", num(m.value, true), m.unit, num(*target, true), num(max, true)),
                    format!("{} {} / target {target} × {max}", m.value, m.unit)),
                Method::Bands { bands: b } => (bands(m.value, b),
                    format!("{} {} theo ngưỡng điểm", num(m.value, true), m.unit),
                    format!("{} {} against the bands", m.value, m.unit)),
                Method::PerItem { per_item: x } => (per_item(m.value, *x, max),
                    format!("{} − {} × {} {}", num(max, true), num(*x, true), num(m.value, true), m.unit),
                    format!("{max} − {x} × {} {}", m.value, m.unit)),
                _ => unreachable!("matched above"),
            };
            (mk(s.method.name(), Some(p),
                format!("{vi} (nguồn: {}).", m.source), format!("{en} (source: {}).", m.source)), None)
        }
        Method::Tasks { .. } => tasks_unit(s, tasks, findings, &mk),
    }
}

fn tasks_unit(
    s: &Scorable,
    report: Option<&TaskReport>,
    findings: &[Finding],
    mk: &dyn Fn(&'static str, Option<f64>, String, String) -> Estimate,
) -> (Estimate, Option<f64>) {
    let none = |vi: &str, en: &str| (mk("tasks", None, vi.to_string(), en.to_string()), None);
    let Some(r) = report else {
        return none(
            "Chưa ước tính: chưa có sổ theo dõi nhiệm vụ.",
            "Not estimated: no task register.",
        );
    };
    let (mut on, mut late, mut missing, undated) = r.counts();
    if undated > 0 {
        let reply = r.tasks.iter().find_map(|t| match &t.status {
            super::tasks::TaskStatus::Undated { reply } => Some(reply.as_str()),
            _ => None,
        });
        let reply = reply.unwrap_or_default();
        return none(
            &format!("Chưa ước tính: không xác định được ngày phát hành của văn bản trả lời {reply} (không đọc được ngày, không có chữ ký số của cơ quan)."),
            &format!("Not estimated: the release date of the reply {reply} cannot be told (no readable date, no organisation signature)."),
        );
    }
    // A waived TSK001/TSK002 means the council accepted it: the task counts as on time.
    for f in findings
        .iter()
        .filter(|f| !f.is_active() && f.criterion.as_deref() == Some(&s.id))
    {
        match f.code {
            Code::Tsk001 if late > 0 => (late, on) = (late - 1, on + 1),
            Code::Tsk002 if missing > 0 => (missing, on) = (missing - 1, on + 1),
            _ => {}
        }
    }
    let total = on + late + missing;
    let Some(p) = tasks(on, late, total, r.late_weight, r.max) else {
        return none(
            "Chưa ước tính: chưa có nhiệm vụ nào đến hạn trong sổ theo dõi.",
            "Not estimated: no task in the register is due yet.",
        );
    };
    let pending = r.tasks.len() - r.total();
    let w = r.late_weight;
    let e = mk(
        "tasks",
        Some(p),
        format!("{total} nhiệm vụ đến hạn: {on} đúng hạn, {late} trễ hạn, {missing} chưa trả lời ({pending} chưa đến hạn); ({on} + {} × {late}) / {total} × {}.", num(w, true), num(r.max, true)),
        format!("{total} tasks due: {on} on time, {late} late, {missing} unanswered ({pending} not yet due); ({on} + {w} × {late}) / {total} × {}.", r.max),
    );
    // What acting now can win: the unanswered tasks answered (late).
    let if_answered = tasks(on, late + missing, total, w, r.max);
    (e, if_answered)
}

/// CFG002: `[metrics]`/`[manual]` entries that no unit reads.
fn unused_inputs(rules: &Ruleset, config: &FolderConfig, notes: &mut Vec<Finding>) {
    let method_of = |id: &str| rules.find(id).map(|s| &s.method);
    let mut unused: Vec<(&str, &str)> = Vec::new();
    for id in config.metrics.keys() {
        if !method_of(id).is_some_and(|m| m.needs_metric() || *m == Method::Manual) {
            unused.push(("metrics", id));
        }
    }
    for id in config.manual.keys() {
        if !method_of(id).is_some_and(|m| matches!(m, Method::Manual | Method::Evidence)) {
            unused.push(("manual", id));
        }
    }
    let has_tasks_unit = rules
        .scorables()
        .any(|(_, s)| matches!(s.method, Method::Tasks { .. }));
    if !config.tasks.is_empty() && !has_tasks_unit {
        notes.push(
            Finding::new(
                &diags::CFG002,
                Msg::new(
                    format!("Sổ theo dõi nhiệm vụ có {} nhiệm vụ nhưng bộ tiêu chí không có tiêu chí chấm theo nhiệm vụ (score = {{ method = \"tasks\" }}); điểm ước tính bỏ qua sổ này.", config.tasks.len()),
                    format!("The task register lists {} task(s) but the ruleset has no unit scored by tasks (score = {{ method = \"tasks\" }}); the estimate ignores it.", config.tasks.len()),
                ),
            )
            .path(if config.tasks[0].at.contains(crate::config::tasks::FILE_NAME) {
                crate::config::tasks::FILE_NAME
            } else {
                crate::config::FILE_NAME
            }),
        );
    }
    for (table, id) in unused {
        let how = match method_of(id) {
            None => ("không có trong bộ tiêu chí", "is not in the ruleset"),
            Some(_) => (
                "có phương pháp chấm không dùng giá trị này",
                "has a scoring method that does not read it",
            ),
        };
        notes.push(
            Finding::new(
                &diags::CFG002,
                Msg::new(
                    format!("tlkc.toml [{table}].\"{id}\": tiêu chí {id} {}; điểm ước tính bỏ qua mục này.", how.0),
                    format!("tlkc.toml [{table}].\"{id}\": criterion {id} {}; the estimate ignores this entry.", how.1),
                ),
            )
            .path(crate::config::FILE_NAME),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_capped_at_max_and_floored_at_zero() {
        assert!((ratio(86.07, 100.0, 1.0) - 0.8607).abs() < 1e-12);
        assert_eq!(ratio(100.0, 100.0, 2.0), 2.0);
        assert_eq!(ratio(120.0, 100.0, 2.0), 2.0);
        assert_eq!(ratio(-5.0, 100.0, 2.0), 0.0);
    }

    #[test]
    fn bands_take_the_highest_reached() {
        let b = [
            Band {
                min: 100.0,
                points: 2.0,
            },
            Band {
                min: 90.0,
                points: 1.0,
            },
        ];
        assert_eq!(bands(100.0, &b), 2.0);
        assert_eq!(bands(99.99, &b), 1.0);
        assert_eq!(bands(90.0, &b), 1.0);
        assert_eq!(bands(89.99, &b), 0.0);
    }

    #[test]
    fn tasks_formula_matches_the_seed() {
        // Đắk Glei 2022, 1.5.1: 12 tasks, 8 on time, 4 late → 3.33 of 4.
        let p = tasks(8, 4, 12, 0.5, 4.0).unwrap();
        assert_eq!(round2(p), 3.33);
        assert_eq!(tasks(12, 0, 12, 0.5, 4.0), Some(4.0));
        assert_eq!(tasks(0, 0, 3, 0.5, 4.0), Some(0.0));
        assert_eq!(tasks(0, 0, 0, 0.5, 4.0), None);
        assert_eq!(tasks(0, 2, 2, 1.0, 4.0), Some(4.0));
    }

    #[test]
    fn per_item_is_floored_at_zero() {
        assert_eq!(per_item(0.0, 0.5, 3.0), 3.0);
        assert_eq!(per_item(2.0, 0.5, 3.0), 2.0);
        assert_eq!(per_item(6.0, 0.5, 3.0), 0.0);
        assert_eq!(per_item(7.0, 0.5, 3.0), 0.0);
    }

    const RULES: &str = r#"
[framework]
id = "t"
title = "T"
year = 2022
[[area]]
id = "1"
title = "A"
max_points = 10
[[area.criterion]]
id = "1.1"
title = "C"
max_points = 6
[[area.criterion.sub]]
id = "1.1.1"
title = "Kế hoạch"
max_points = 1
[[area.criterion.sub.document]]
id = "kh"
title = "Kế hoạch"
points = 1
[[area.criterion.sub]]
id = "1.1.2"
title = "Tỷ lệ"
max_points = 2
statistics = "Hệ thống"
score = { method = "ratio", target = 100 }
[[area.criterion.sub]]
id = "1.1.3"
title = "Kỷ luật"
max_points = 3
statistics = "Quyết định"
score = { method = "manual" }
"#;

    fn run(config: &str) -> (Score, Vec<Finding>) {
        let rules = crate::rules::load_str(RULES, "t.toml").unwrap();
        let config = FolderConfig::parse(config, "tlkc.toml").unwrap();
        let outcomes = vec![Outcome {
            id: "1.1.1".into(),
            status: crate::findings::Status::Ok,
            points_at_risk: 0.0,
            points_pending: 0.0,
            files: vec!["a.pdf".into()],
        }];
        let mut notes = Vec::new();
        let s = estimate(
            &rules,
            &outcomes,
            &[],
            &[],
            &config,
            &|c| crate::checks::registry::diag(c).handling.fixable,
            &mut notes,
        );
        (s, notes)
    }

    #[test]
    fn units_without_input_are_named_not_counted() {
        let (s, notes) = run("");
        assert_eq!(s.estimated, 1.0);
        assert_eq!(s.max, 1.0);
        assert_eq!(s.not_estimated, ["1.1.2", "1.1.3"]);
        assert!(notes.is_empty());
    }

    #[test]
    fn metrics_manual_caps_and_unused_entries() {
        let (s, notes) = run(r#"
[metrics]
"1.1.2" = { value = 86.07, unit = "%", source = "Hệ thống" }
"1.1.9" = { value = 1, unit = "x", source = "y" }
[manual]
"1.1.1" = { score = 0.5, reason = "nội dung chưa đạt" }
"1.1.3" = { score = 2, reason = "2 người bị kỷ luật" }
"1.1.2" = { score = 2, reason = "không dùng" }
"#);
        assert_eq!(s.of("1.1.1").unwrap().points, Some(0.5));
        assert_eq!(s.of("1.1.1").unwrap().method, "manual");
        assert_eq!(round2(s.of("1.1.2").unwrap().points.unwrap()), 1.72);
        assert_eq!(s.of("1.1.3").unwrap().points, Some(2.0));
        assert!(s.not_estimated.is_empty());
        assert_eq!(s.max, 6.0);
        let codes: Vec<Code> = notes.iter().map(|n| n.code).collect();
        assert_eq!(codes, [Code::Cfg002, Code::Cfg002], "{notes:?}");
    }

    #[test]
    fn grade_only_when_stated_and_everything_is_estimated() {
        let graded = RULES.replace(
            "year = 2022\n",
            "year = 2022\n[[framework.grade]]\nname = \"Tốt\"\nmin = 5\n[[framework.grade]]\nname = \"Khá\"\nmin = 3\n",
        );
        let rules = crate::rules::load_str(&graded, "t.toml").unwrap();
        let outcomes = vec![];
        let est = |cfg: &str| {
            let config = FolderConfig::parse(cfg, "tlkc.toml").unwrap();
            estimate(
                &rules,
                &outcomes,
                &[],
                &[],
                &config,
                &|c| crate::checks::registry::diag(c).handling.fixable,
                &mut Vec::new(),
            )
        };
        assert_eq!(est("").grade, None, "1.1.2 and 1.1.3 not estimated");
        let all = "[metrics]\n\"1.1.2\" = { value = 100, unit = \"%\", source = \"s\" }\n\
                   [manual]\n\"1.1.3\" = { score = 1, reason = \"r\" }\n";
        let s = est(all);
        assert_eq!(s.estimated, 4.0);
        assert_eq!(s.grade.as_deref(), Some("Khá"));
    }
}
