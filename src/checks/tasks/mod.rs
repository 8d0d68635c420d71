//! TSK001–TSK004: the assigned-task register against the replies in the
//! folder, and rows that repeat an assignment. A reply answers a task when its page-1 text cites the assigning
//! document's number (or the register names it); it is on time when released
//! (DUE001's effective date, +07:00) by the deadline. Pure: `as_of` is given.

pub(crate) mod diags;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::deadline::release_date;
use super::{file_name, vi_date, Context};
use crate::config::Task;
use crate::decree30::number_key;
use crate::discover::Discovery;
use crate::facts::KeptFacts;
use crate::findings::{Finding, Msg};
use crate::rules::{Method, Scorable};

/// Where one task stands on `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskStatus {
    OnTime {
        reply: String,
        date: NaiveDate,
    },
    Late {
        reply: String,
        date: NaiveDate,
        days: i64,
    },
    /// Deadline passed, no reply.
    Missing,
    /// Not yet due, no reply yet.
    Pending,
    /// A reply exists but its release date cannot be told.
    Undated {
        reply: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskOutcome {
    pub number: String,
    pub deadline: NaiveDate,
    pub status: TaskStatus,
}

/// The register judged for one task-scored criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskReport {
    pub criterion: String,
    pub max: f64,
    pub late_weight: f64,
    pub tasks: Vec<TaskOutcome>,
}

impl TaskReport {
    /// (on time, late, missing, undated): pending tasks count in none.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for t in &self.tasks {
            match t.status {
                TaskStatus::OnTime { .. } => c.0 += 1,
                TaskStatus::Late { .. } => c.1 += 1,
                TaskStatus::Missing => c.2 += 1,
                TaskStatus::Undated { .. } => c.3 += 1,
                TaskStatus::Pending => {}
            }
        }
        c
    }

    /// Tasks that count in the formula.
    pub fn total(&self) -> usize {
        let (o, l, m, u) = self.counts();
        o + l + m + u
    }
}

/// Judge the register for every task-scored unit of the ruleset.
pub fn evaluate(
    files: &[KeptFacts],
    discovery: &Discovery,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> Vec<TaskReport> {
    let mut reports = Vec::new();
    for (_, s) in ctx.rules.scorables() {
        if let Method::Tasks { late_weight } = s.method {
            reports.push(one(s, late_weight, files, discovery, ctx, out));
        }
    }
    let criterion = reports.first().map(|r| r.criterion.as_str());
    repeated_rows(&ctx.config.task_duplicates, criterion, out);
    reports
}

/// TSK004: rows that repeat an assignment, which config counted once.
fn repeated_rows(
    duplicates: &[crate::config::tasks::Duplicate],
    criterion: Option<&str>,
    out: &mut Vec<Finding>,
) {
    for d in duplicates {
        let rows = d.repeated.join(", ");
        let mut f = Finding::new(
            &diags::TSK004,
            Msg::new(
                format!("Sổ theo dõi nhiệm vụ ghi nhiệm vụ theo văn bản số {}, hạn {} ở {} và lặp lại ở {rows}: chỉ tính một lần. Xoá các dòng lặp.", d.number, vi_date(d.deadline), d.kept),
                format!("The task register lists the assignment by document no. {}, due {}, at {} and again at {rows}: it is counted once. Delete the repeated rows.", d.number, d.deadline, d.kept),
            ),
        )
        .path(if d.kept.contains(crate::config::tasks::FILE_NAME) {
            crate::config::tasks::FILE_NAME
        } else {
            crate::config::FILE_NAME
        })
        .fact("task", &d.number)
        .fact("kept", &d.kept)
        .fact("repeated", rows.clone());
        if let Some(c) = criterion {
            f = f.criterion(c);
        }
        out.push(f);
    }
}

fn one(
    s: &Scorable,
    late_weight: f64,
    files: &[KeptFacts],
    discovery: &Discovery,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> TaskReport {
    // Cited number → files citing it, in path order.
    let mut citing: BTreeMap<String, Vec<&KeptFacts>> = BTreeMap::new();
    for f in files {
        for c in &f.document.citations {
            citing.entry(number_key(c)).or_default().push(f);
        }
    }
    let by_path: BTreeMap<&str, &KeptFacts> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut tasks = Vec::new();
    for t in &ctx.config.tasks {
        let replies: Vec<&KeptFacts> = match &t.reply {
            Some(p) => by_path.get(p.as_str()).copied().into_iter().collect(),
            None => citing
                .get(&number_key(&t.number))
                .cloned()
                .unwrap_or_default(),
        };
        tasks.push(TaskOutcome {
            number: t.number.clone(),
            deadline: t.deadline,
            status: status(t, &replies, ctx.as_of),
        });
    }
    let report = TaskReport {
        criterion: s.id.clone(),
        max: s.max_points,
        late_weight,
        tasks,
    };
    findings(s, &report, &ctx.config.tasks, out);
    unregistered(s, files, discovery, &ctx.config.tasks, out);
    report
}

/// The earliest-released reply decides; a reply whose date cannot be told counts only when it is the only one.
fn status(t: &Task, replies: &[&KeptFacts], as_of: NaiveDate) -> TaskStatus {
    let dated = replies
        .iter()
        .filter_map(|f| release_date(f).map(|(d, _)| (d, f.path.clone())))
        .min();
    match (dated, replies.first()) {
        (Some((date, reply)), _) if date <= t.deadline => TaskStatus::OnTime { reply, date },
        (Some((date, reply)), _) => TaskStatus::Late {
            reply,
            date,
            days: (date - t.deadline).num_days(),
        },
        (None, Some(f)) => TaskStatus::Undated {
            reply: f.path.clone(),
        },
        (None, None) if as_of > t.deadline => TaskStatus::Missing,
        (None, None) => TaskStatus::Pending,
    }
}

fn findings(s: &Scorable, r: &TaskReport, register: &[Task], out: &mut Vec<Finding>) {
    let total = r.total().max(1) as f64;
    for (t, o) in register.iter().zip(&r.tasks) {
        let what = format!(
            "văn bản số {} ngày {} của {} ({})",
            t.number,
            vi_date(t.date),
            t.issuer,
            t.asked
        );
        let what_en = format!(
            "document no. {} of {} from {} ({})",
            t.number, t.date, t.issuer, t.asked
        );
        let f = match &o.status {
            TaskStatus::Late { reply, date, days } => Finding::new(
                &diags::TSK001,
                Msg::new(
                    format!("{}: nhiệm vụ giao tại {what}, hạn {}: văn bản trả lời {} phát hành ngày {}, trễ {days} ngày.", s.id, vi_date(t.deadline), file_name(reply), vi_date(*date)),
                    format!("{}: task assigned by {what_en}, due {}: the reply {} was released on {date}, {days} day(s) late.", s.id, t.deadline, file_name(reply)),
                ),
            )
            .path(reply)
            .points((1.0 - r.late_weight) * r.max / total)
            .fact("date", vi_date(*date))
            .fact("days_late", days.to_string()),
            TaskStatus::Missing => Finding::new(
                &diags::TSK002,
                Msg::new(
                    format!("{}: nhiệm vụ giao tại {what}, hạn {}: quá hạn, chưa có văn bản trả lời trong thư mục{}.", s.id, vi_date(t.deadline), reply_hint(t, true)),
                    format!("{}: task assigned by {what_en}, due {}: past its deadline with no reply in the folder{}.", s.id, t.deadline, reply_hint(t, false)),
                ),
            )
            .points(r.max / total),
            _ => continue,
        };
        out.push(
            f.criterion(&s.id)
                .fact("task", &t.number)
                .fact("deadline", vi_date(t.deadline))
                .fact("requirement", &t.asked)
                .fact("unit", t.unit.clone().unwrap_or_default()),
        );
    }
}

fn reply_hint(t: &Task, vi: bool) -> String {
    match (&t.reply, vi) {
        (Some(p), true) => format!(" (tệp {p} ghi ở cột reply không có trong thư mục)"),
        (Some(p), false) => {
            format!(" (the reply file {p} named in the register is not in the folder)")
        }
        (None, _) => String::new(),
    }
}

/// TSK003: a file filed under the task criterion that answers no registered
/// task but cites assignments (numbers without a year: not laws or decrees).
fn unregistered(
    s: &Scorable,
    files: &[KeptFacts],
    discovery: &Discovery,
    register: &[Task],
    out: &mut Vec<Finding>,
) {
    let keys: Vec<String> = register.iter().map(|t| number_key(&t.number)).collect();
    let explicit: Vec<&str> = register.iter().filter_map(|t| t.reply.as_deref()).collect();
    let filed: Vec<&str> = discovery
        .files
        .iter()
        .filter(|e| e.criteria.iter().any(|c| c == &s.id))
        .map(|e| e.rel.as_str())
        .collect();
    for f in files.iter().filter(|f| filed.contains(&f.path.as_str())) {
        let cites = &f.document.citations;
        if explicit.contains(&f.path.as_str())
            || cites.iter().any(|c| keys.contains(&number_key(c)))
        {
            continue;
        }
        let assignments: Vec<&str> = cites
            .iter()
            .filter(|c| !has_year(c))
            .map(String::as_str)
            .collect();
        if assignments.is_empty() {
            continue;
        }
        let list = assignments.join(", ");
        out.push(
            Finding::new(
                &diags::TSK003,
                Msg::new(
                    format!("{}: {} trích dẫn {list} nhưng sổ theo dõi nhiệm vụ (tasks.csv) không có nhiệm vụ này: bổ sung nếu đó là nhiệm vụ được giao.", s.id, file_name(&f.path)),
                    format!("{}: {} cites {list}, which the task register (tasks.csv) does not list: add it if it is an assignment.", s.id, file_name(&f.path)),
                ),
            )
            .criterion(&s.id)
            .path(&f.path)
            .fact("cited", list),
        );
    }
}

/// "60/2021/NĐ-CP": legal normative documents carry their year.
fn has_year(number: &str) -> bool {
    number
        .split('/')
        .nth(1)
        .is_some_and(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DocumentFacts, FileFacts, FileKind, PdfFacts};

    fn ymd(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).unwrap()
    }

    fn task() -> Task {
        Task {
            number: "2291/UBND-NC".into(),
            date: ymd(7, 18),
            issuer: "UBND tỉnh".into(),
            asked: "x".into(),
            deadline: ymd(7, 25),
            unit: None,
            reply: None,
            at: "tasks.csv:2".into(),
        }
    }

    fn reply(date: Option<NaiveDate>) -> KeptFacts {
        KeptFacts::of(&FileFacts {
            path: "1.5.1/cv.pdf".into(),
            sha256: String::new(),
            size: 1,
            kind: FileKind::Pdf,
            pdf: PdfFacts::default(),
            document: DocumentFacts {
                date,
                citations: vec!["2291 / UBND-NC".into()],
                ..Default::default()
            },
            signatures: vec![],
            unsigned_fields: vec![],
        })
    }

    #[test]
    fn deadline_day_is_on_time_the_day_after_is_late() {
        let t = task();
        let on = reply(Some(ymd(7, 25)));
        assert!(matches!(
            status(&t, &[&on], ymd(11, 30)),
            TaskStatus::OnTime { .. }
        ));
        let late = reply(Some(ymd(7, 26)));
        assert!(matches!(
            status(&t, &[&late], ymd(11, 30)),
            TaskStatus::Late { days: 1, .. }
        ));
        // The earliest reply decides.
        assert!(matches!(
            status(&t, &[&late, &on], ymd(11, 30)),
            TaskStatus::OnTime { .. }
        ));
        let undated = reply(None);
        assert!(matches!(
            status(&t, &[&undated], ymd(11, 30)),
            TaskStatus::Undated { .. }
        ));
    }

    #[test]
    fn no_reply_is_pending_until_the_deadline_has_passed() {
        let t = task();
        assert_eq!(status(&t, &[], ymd(7, 25)), TaskStatus::Pending);
        assert_eq!(status(&t, &[], ymd(7, 26)), TaskStatus::Missing);
    }

    #[test]
    fn normative_numbers_are_not_assignments() {
        assert!(has_year("30/2020/NĐ-CP"));
        assert!(!has_year("2291/UBND-NC"));
        assert_eq!(
            number_key(&reply(None).document.citations[0]),
            "2291/UBND-NC"
        );
    }
}
