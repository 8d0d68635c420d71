//! The server's Vietnamese pages (askama templates under
//! `templates/server/`, checked at compile time, every value escaped).
//! The report page itself is the HTML report `tlkc check` writes, stored
//! with the upload; these pages frame everything around it.

use askama::Template;

use crate::run::units::ranking::UnitsReport;

use super::auth::Auth;
use super::data::human_size;
use super::db::{StoredFile, Unit, Upload};
use super::queue::Core;

pub const UPLOAD_JS: &str = include_str!("../../static/upload.js");
pub const CSS: &str = include_str!("../../static/tlkc.css");

pub struct Nav {
    pub login: String,
    pub home: String,
    pub csrf: String,
}

fn nav(a: &Auth, home: String) -> Option<Nav> {
    Some(Nav {
        login: a.user.login.clone(),
        home,
        csrf: a.csrf.clone().unwrap_or_default(),
    })
}

fn unit_home(unit: &Unit) -> String {
    format!("/units/{}", unit.slug)
}

fn rendered(t: impl Template) -> String {
    t.render()
        .unwrap_or_else(|e| format!("<!DOCTYPE html><title>tlkc</title><p>Lỗi trang: {e}</p>"))
}

#[derive(Template)]
#[template(path = "server/error.html")]
struct ErrorPage<'a> {
    title: String,
    nav: Option<Nav>,
    message: &'a str,
}

pub fn error_page(status: u16, message: &str) -> String {
    let title = match status {
        401 => "Cần đăng nhập".to_string(),
        403 => "Không có quyền".to_string(),
        404 => "Không tìm thấy".to_string(),
        413 => "Tải lên quá lớn".to_string(),
        429 => "Thử quá nhiều lần".to_string(),
        s => format!("Không thực hiện được ({s})"),
    };
    rendered(ErrorPage {
        title,
        nav: None,
        message,
    })
}

#[derive(Template)]
#[template(path = "server/login.html")]
struct LoginPage<'a> {
    title: &'a str,
    nav: Option<Nav>,
    province: &'a str,
    csrf: &'a str,
    error: Option<&'a str>,
}

pub fn login_page(province: &str, csrf: &str, error: Option<&str>) -> String {
    rendered(LoginPage {
        title: "Đăng nhập",
        nav: None,
        province,
        csrf,
        error,
    })
}

struct UploadRow {
    id: i64,
    created: String,
    login: String,
    files: i64,
    state: String,
    class: &'static str,
    score: String,
    done: bool,
}

/// "Sẵn sàng nộp" / "Có 3 lỗi" / "Đang kiểm tra" …, and its style.
fn state_text(u: &Upload) -> (String, &'static str) {
    match (u.state.as_str(), u.ready) {
        ("done", Some(true)) => ("Sẵn sàng nộp (không có lỗi)".into(), "ok"),
        ("done", _) => (
            format!(
                "Chưa sẵn sàng: {} lỗi, {} cảnh báo",
                u.errors.unwrap_or(0),
                u.warnings.unwrap_or(0)
            ),
            "bad",
        ),
        ("failed", _) => (
            format!(
                "Không kiểm tra được: {}",
                u.error.as_deref().unwrap_or("lỗi không rõ")
            ),
            "bad",
        ),
        ("checking", _) => ("Đang kiểm tra…".into(), "wait"),
        _ => ("Đang chờ kiểm tra…".into(), "wait"),
    }
}

fn score_text(u: &Upload) -> String {
    match (u.estimated, u.max) {
        (Some(e), Some(m)) if m > 0.0 => format!(
            "{}/{}",
            crate::report::points(e, crate::findings::Lang::Vi),
            crate::report::points(m, crate::findings::Lang::Vi)
        ),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "server/unit.html")]
struct UnitPage {
    title: String,
    nav: Option<Nav>,
    unit_name: String,
    slug: String,
    csrf: String,
    can_upload: bool,
    limits: String,
    rows: Vec<UploadRow>,
}

pub fn unit_page(core: &Core, a: &Auth, unit: &Unit, uploads: &[Upload]) -> String {
    let rows = uploads
        .iter()
        .map(|u| {
            let (state, class) = state_text(u);
            UploadRow {
                id: u.id,
                created: u.created.clone(),
                login: u.login.clone(),
                files: u.files,
                state,
                class,
                score: score_text(u),
                done: u.state == "done",
            }
        })
        .collect();
    let l = core.limits;
    rendered(UnitPage {
        title: unit.name.clone(),
        nav: nav(
            a,
            if a.user.province {
                "/province".into()
            } else {
                unit_home(unit)
            },
        ),
        unit_name: unit.name.clone(),
        slug: unit.slug.clone(),
        csrf: a.csrf.clone().unwrap_or_default(),
        can_upload: a.user.unit_id == Some(unit.id),
        limits: format!(
            "tối đa {} tệp, mỗi tệp {}, tổng {}",
            l.max_files,
            human_size(l.max_file_bytes),
            human_size(l.max_upload_bytes)
        ),
        rows,
    })
}

#[derive(Template)]
#[template(path = "server/upload.html")]
struct UploadPage {
    title: String,
    nav: Option<Nav>,
    unit_name: String,
    slug: String,
    id: i64,
    created: String,
    login: String,
    files: i64,
    size: String,
    state: String,
    class: &'static str,
    finished: bool,
    done_ok: bool,
    done: u64,
    total: u64,
    notes: Vec<String>,
}

pub fn upload_page(a: &Auth, unit: &Unit, u: &Upload, progress: Option<(u64, u64)>) -> String {
    let (mut state, class) = state_text(u);
    if let Some((d, t)) = progress {
        state = format!("Đang kiểm tra: {d}/{t} tệp");
    }
    let (done, total) = progress.unwrap_or((0, u.files.max(0) as u64));
    rendered(UploadPage {
        title: format!("{} · lần {}", unit.name, u.id),
        nav: nav(a, unit_home(unit)),
        unit_name: unit.name.clone(),
        slug: unit.slug.clone(),
        id: u.id,
        created: u.created.clone(),
        login: u.login.clone(),
        files: u.files,
        size: human_size(u.bytes.max(0) as u64),
        state,
        class,
        finished: u.state == "done" || u.state == "failed",
        done_ok: u.state == "done",
        done,
        total: total.max(1),
        notes: u.notes.clone(),
    })
}

#[derive(Template)]
#[template(path = "server/diff.html")]
struct DiffPage {
    title: String,
    nav: Option<Nav>,
    unit_name: String,
    slug: String,
    id: i64,
    previous: String,
    summary: String,
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
}

/// Files added, changed (other bytes) and removed since the previous upload.
pub fn file_diff(
    before: &[StoredFile],
    now: &[StoredFile],
) -> (Vec<String>, Vec<String>, Vec<String>) {
    use std::collections::BTreeMap;
    let b: BTreeMap<&str, &str> = before
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let n: BTreeMap<&str, &str> = now
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let added = n
        .keys()
        .filter(|p| !b.contains_key(*p))
        .map(|p| p.to_string())
        .collect();
    let changed = n
        .iter()
        .filter(|(p, s)| b.get(*p).is_some_and(|old| old != *s))
        .map(|(p, _)| p.to_string())
        .collect();
    let removed = b
        .keys()
        .filter(|p| !n.contains_key(*p))
        .map(|p| p.to_string())
        .collect();
    (added, changed, removed)
}

pub fn diff_page(
    a: &Auth,
    unit: &Unit,
    u: &Upload,
    previous: Option<&Upload>,
    before: &[StoredFile],
    now: &[StoredFile],
) -> String {
    let (added, changed, removed) = file_diff(before, now);
    let summary = match previous {
        None => "Đây là lần tải lên đầu tiên: mọi tệp đều mới.".to_string(),
        Some(p) => {
            let (was, _) = state_text(p);
            let (is, _) = state_text(u);
            let score = match (score_text(p), score_text(u)) {
                (x, y) if !x.is_empty() && !y.is_empty() => {
                    format!(" Điểm tự chấm: {x} → {y}.")
                }
                _ => String::new(),
            };
            format!(
                "Lần trước (số {}, {}): {was}. Lần này: {is}.{score}",
                p.id, p.created
            )
        }
    };
    rendered(DiffPage {
        title: format!("{} · so sánh lần {}", unit.name, u.id),
        nav: nav(a, unit_home(unit)),
        unit_name: unit.name.clone(),
        slug: unit.slug.clone(),
        id: u.id,
        previous: previous
            .map(|p| format!("lần {}", p.id))
            .unwrap_or_else(|| "(chưa có lần trước)".into()),
        summary,
        added,
        changed,
        removed,
    })
}

struct RankRow {
    rank: usize,
    name: String,
    slug: String,
    state: String,
    class: &'static str,
    score: String,
    errors: usize,
    warnings: usize,
    risk: String,
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "server/province.html")]
struct ProvincePage {
    title: String,
    nav: Option<Nav>,
    province: String,
    verdict: String,
    rows: Vec<RankRow>,
    missing: Vec<(String, String)>,
    losses: Vec<(String, String, usize, String)>,
}

pub fn province_page(core: &Core, a: &Auth, report: &UnitsReport, units: &[Unit]) -> String {
    use crate::findings::Lang;
    let slug_of = |name: &str| {
        units
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.slug.clone())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    for u in &report.units {
        match u.digest() {
            Some(d) => rows.push(RankRow {
                rank: rows.len() + 1,
                name: u.label(),
                slug: slug_of(&u.name),
                state: crate::report::units::state_label(u, Lang::Vi).to_string(),
                class: if u.ready() { "ok" } else { "bad" },
                score: crate::report::units::score_text(u, Lang::Vi).unwrap_or_default(),
                errors: d.summary.errors,
                warnings: d.summary.warnings,
                risk: crate::report::points(d.summary.points_at_risk, Lang::Vi),
                link: u.report_link.clone(),
            }),
            None => missing.push((u.name.clone(), slug_of(&u.name))),
        }
    }
    let losses = report
        .common_losses
        .iter()
        .map(|l| {
            (
                l.criterion.clone(),
                l.title.clone(),
                l.units.len(),
                crate::report::points(l.points_at_risk, Lang::Vi),
            )
        })
        .collect();
    rendered(ProvincePage {
        title: core.province.clone(),
        nav: nav(a, "/province".into()),
        province: core.province.clone(),
        verdict: format!(
            "{} đơn vị; {} đã có kết quả kiểm tra, {} chưa tải lên.",
            units.len(),
            rows.len(),
            missing.len()
        ),
        rows,
        missing,
        losses,
    })
}

#[derive(Template)]
#[template(path = "server/rules.html")]
struct RulesPage {
    title: String,
    nav: Option<Nav>,
    ruleset_id: String,
    text: String,
}

pub fn rules_page(a: &Auth, rules: &crate::rules::Ruleset, id: Option<&str>, text: &str) -> String {
    let home = if a.user.province {
        "/province".to_string()
    } else {
        "/".to_string()
    };
    rendered(RulesPage {
        title: match id {
            Some(id) => format!("{} · {id}", rules.framework.title),
            None => rules.framework.title.clone(),
        },
        nav: nav(a, home),
        ruleset_id: rules.framework.id.clone(),
        text: text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_added_changed_removed() {
        let f = |p: &str, s: &str| StoredFile {
            path: p.into(),
            sha256: s.into(),
            size: 1,
        };
        let (a, c, r) = file_diff(
            &[f("a", "1"), f("b", "2"), f("c", "3")],
            &[f("a", "1"), f("b", "9"), f("d", "4")],
        );
        assert_eq!(
            (a, c, r),
            (
                vec!["d".to_string()],
                vec!["b".to_string()],
                vec!["c".to_string()]
            )
        );
    }

    #[test]
    fn pages_escape_and_carry_no_inline_script() {
        let html = error_page(403, "<script>alert(1)</script>");
        assert!(!html.contains("<script>alert"));
        assert!(
            html.contains("alert(1)"),
            "the message is still shown, escaped"
        );
        let login = login_page("Sở Nội vụ", "tok", Some("sai"));
        assert!(login.contains("name=\"csrf\" value=\"tok\""));
        assert!(!login.contains("<script>"));
    }
}
