//! The assigned-task register: what the province asked of the unit, by
//! which document, and by when. Read from `tasks.csv` beside tlkc.toml or
//! from `[[task]]` tables in it; judged by `checks::tasks`.

use chrono::NaiveDate;
use serde::Deserialize;

/// The register's file name, beside tlkc.toml.
pub const FILE_NAME: &str = "tasks.csv";

/// One assignment (nhiệm vụ được giao).
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Number of the assigning document, e.g. "2291/UBND-NC".
    pub number: String,
    pub date: NaiveDate,
    /// Who assigned it ("UBND tỉnh Kon Tum").
    pub issuer: String,
    /// What was asked.
    pub asked: String,
    /// Last day allowed for the reply (inclusive).
    pub deadline: NaiveDate,
    pub unit: Option<String>,
    /// Explicit reply file, relative to the folder, when its text does not cite the assignment.
    pub reply: Option<String>,
    /// Where it was written: "tasks.csv:3" or "tlkc.toml:12".
    pub at: String,
}

/// Rows of the register that repeat one assignment: counted once (the
/// first row), reported as TSK004 so that a person removes the copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub number: String,
    pub deadline: NaiveDate,
    /// Where the row that is kept was written ("tasks.csv:3").
    pub kept: String,
    /// Where the repeats were written, in order.
    pub repeated: Vec<String>,
}

/// Two rows are one assignment when they name the same assigning document
/// (its number compared as Decree 30 numbers are: spacing, dashes and case
/// aside), the same deadline and the same reply file: whatever else they
/// say, a reply judged for one is judged for the other, so counting both
/// would only weigh that one reply twice.
fn identity(t: &Task) -> (String, NaiveDate, Option<String>) {
    (
        crate::decree30::number_key(&t.number),
        t.deadline,
        t.reply.clone(),
    )
}

/// Keep the first row of every assignment; repeats are merged into
/// `duplicates` (an entry for the same kept row grows, so this may run
/// again after more rows are added).
pub fn merge_duplicates(tasks: &mut Vec<Task>, duplicates: &mut Vec<Duplicate>) {
    let mut first: std::collections::HashMap<(String, NaiveDate, Option<String>), usize> =
        std::collections::HashMap::new();
    let mut kept = Vec::with_capacity(tasks.len());
    for t in tasks.drain(..) {
        match first.get(&identity(&t)) {
            Some(&i) => {
                let k: &Task = &kept[i];
                match duplicates.iter_mut().find(|d| d.kept == k.at) {
                    Some(d) => d.repeated.push(t.at),
                    None => duplicates.push(Duplicate {
                        number: k.number.clone(),
                        deadline: k.deadline,
                        kept: k.at.clone(),
                        repeated: vec![t.at],
                    }),
                }
            }
            None => {
                first.insert(identity(&t), kept.len());
                kept.push(t);
            }
        }
    }
    *tasks = kept;
}

/// `[[task]]` in tlkc.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub asked: String,
    pub deadline: String,
    pub unit: Option<String>,
    pub reply: Option<String>,
}

/// The columns of tasks.csv, in any order; `unit` and `reply` may be absent.
const COLUMNS: [&str; 7] = [
    "number", "date", "issuer", "asked", "deadline", "unit", "reply",
];

impl RawTask {
    /// Validate one entry; `at` names where it was written.
    pub fn into_task(self, at: String) -> Result<Task, String> {
        let date = parse_date(&self.date)
            .ok_or_else(|| format!("{at}: date `{}` is not a date", self.date))?;
        let deadline = parse_date(&self.deadline)
            .ok_or_else(|| format!("{at}: deadline `{}` is not a date", self.deadline))?;
        let number = self.number.trim().to_string();
        if !number.contains('/') {
            return Err(format!(
                "{at}: number `{number}` is not a document number (N/SYMBOL)"
            ));
        }
        if deadline < date {
            return Err(format!(
                "{at}: deadline {deadline} is before the assignment {date}"
            ));
        }
        let opt = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let reply = match opt(self.reply) {
            None => None,
            Some(p) => Some(super::clean_relative(&p).ok_or_else(|| {
                format!("{at}: reply `{p}` must stay inside the evidence folder")
            })?),
        };
        Ok(Task {
            number,
            date,
            issuer: self.issuer.trim().to_string(),
            asked: self.asked.trim().to_string(),
            deadline,
            unit: opt(self.unit),
            reply,
            at,
        })
    }
}

/// YYYY-MM-DD, or the Vietnamese dd/mm/yyyy a spreadsheet exports.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::time::parse_day(s)
}

/// Parse tasks.csv (RFC 4180: commas, double-quoted fields, a header row naming the columns).
pub fn parse_csv(text: &str, file: &str) -> Result<Vec<Task>, String> {
    let rows = csv_rows(text.trim_start_matches('\u{feff}'))
        .map_err(|line| format!("{file}:{line}: unterminated quoted field"))?;
    let mut rows = rows
        .into_iter()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let Some((_, header)) = rows.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if let Some(h) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(format!(
            "{file}:1: unknown column `{h}`; expected {}",
            COLUMNS.join(", ")
        ));
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    for required in &COLUMNS[..5] {
        if col(required).is_none() {
            return Err(format!("{file}:1: missing column `{required}`"));
        }
    }
    let mut tasks = Vec::new();
    for (line, row) in rows {
        let get = |name: &str| col(name).and_then(|i| row.get(i)).cloned();
        let raw = RawTask {
            number: get("number").unwrap_or_default(),
            date: get("date").unwrap_or_default(),
            issuer: get("issuer").unwrap_or_default(),
            asked: get("asked").unwrap_or_default(),
            deadline: get("deadline").unwrap_or_default(),
            unit: get("unit"),
            reply: get("reply"),
        };
        tasks.push(raw.into_task(format!("{file}:{line}"))?);
    }
    Ok(tasks)
}

/// Rows with the 1-based line each starts on; `Err(line)` for an open quote.
fn csv_rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut line, mut start) = (1, 1);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push((start, std::mem::take(&mut row)));
                line += 1;
                start = line;
            }
            (_, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if quoted {
        return Err(start);
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((start, row));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "number,date,issuer,asked,deadline,unit\n\
        2291/UBND-NC,18/07/2022,UBND tỉnh Kon Tum,\"Chuẩn bị nội dung làm việc với Đoàn thanh tra, Bộ Nội vụ\",2022-07-25,Phòng Nội vụ\n\
        \n\
        1008/UBND-HTKT,2022-04-12,UBND tỉnh Kon Tum,\"Kiểm tra \"\"trạm cân\"\"\",2022-04-22,\n";

    #[test]
    fn parses_quoted_fields_both_date_forms_and_blank_lines() {
        let t = parse_csv(CSV, "tasks.csv").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].date, NaiveDate::from_ymd_opt(2022, 7, 18).unwrap());
        assert!(t[0].asked.contains("Đoàn thanh tra, Bộ"));
        assert_eq!(t[1].asked, "Kiểm tra \"trạm cân\"");
        assert_eq!(t[1].unit, None);
        assert_eq!(t[1].at, "tasks.csv:4");
    }

    #[test]
    fn repeated_rows_are_one_task_and_named() {
        let row = "2291/UBND-NC,18/07/2022,UBND tỉnh,x,2022-07-25,\n";
        let mut text = String::from("number,date,issuer,asked,deadline,unit\n");
        for _ in 0..30 {
            text.push_str(row);
        }
        // Same document written another way, same deadline: the same assignment.
        text.push_str("2291 / ubnd-nc,2022-07-18,UBND tỉnh,y,25/07/2022,\n");
        // Same document, another deadline: another assignment.
        text.push_str("2291/UBND-NC,18/07/2022,UBND tỉnh,z,2022-08-25,\n");
        let mut tasks = parse_csv(&text, "tasks.csv").unwrap();
        let mut dups = Vec::new();
        merge_duplicates(&mut tasks, &mut dups);
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].at, "tasks.csv:2");
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].kept, "tasks.csv:2");
        assert_eq!(dups[0].repeated.len(), 30);
        assert_eq!(dups[0].repeated[0], "tasks.csv:3");
        assert_eq!(dups[0].repeated[29], "tasks.csv:32");
        // Running again (after more rows are added) adds to the same entry.
        let mut more = tasks.clone();
        more.push(Task {
            at: "tlkc.toml:9".into(),
            ..tasks[0].clone()
        });
        merge_duplicates(&mut more, &mut dups);
        assert_eq!(more.len(), 2);
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].repeated.last().unwrap(), "tlkc.toml:9");
    }

    #[test]
    fn rejects_bad_rows_with_their_line() {
        let e = parse_csv(&CSV.replace("2022-04-22", "sau Tết"), "tasks.csv").unwrap_err();
        assert!(
            e.starts_with("tasks.csv:4:") && e.contains("deadline"),
            "{e}"
        );
        let e = parse_csv("number,date,issuer,asked\n", "t.csv").unwrap_err();
        assert!(e.contains("missing column `deadline`"), "{e}");
        let e = parse_csv("number,ngay\n", "t.csv").unwrap_err();
        assert!(e.contains("unknown column `ngay`"), "{e}");
        let e = parse_csv("number,date\n\"open,x\n", "t.csv").unwrap_err();
        assert!(e.contains("t.csv:2: unterminated"), "{e}");
    }
}
