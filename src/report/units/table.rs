//! The province ranking as a spreadsheet the Sở can sort and forward:
//! `--format csv` (UTF-8 with a byte-order mark and CRLF, so Excel opens
//! Vietnamese correctly) and `--format xlsx` (two sheets). The rows are the
//! same in both: the ranking, then the sub-criteria units lose.

use std::io::{self, Write};

use super::{code_count, state_label, t};
use crate::findings::Lang;
use crate::run::units::ranking::UnitsReport;

/// A cell: text or a number (numbers stay numbers in the spreadsheet).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

/// (header, rows) of the ranking.
pub fn ranking(report: &UnitsReport, lang: Lang) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let head = vec![
        t(lang, "Hạng", "Rank"),
        t(lang, "Đơn vị", "Unit"),
        t(lang, "Thư mục", "Folder"),
        t(lang, "Điểm ước tính", "Estimated score"),
        t(lang, "Điểm tối đa ước tính", "Estimated maximum"),
        t(lang, "Lỗi", "Errors"),
        t(lang, "Cảnh báo", "Warnings"),
        t(lang, "Điểm nguy cơ mất", "Points at risk"),
        t(lang, "Tình trạng", "State"),
    ];
    let rows = report
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let d = u.digest();
            let score = d.and_then(|d| d.score.as_ref());
            let num =
                |x: Option<f64>| x.map_or(Cell::Empty, |v| Cell::Number(crate::run::round2(v)));
            vec![
                Cell::Number((i + 1) as f64),
                Cell::Text(
                    d.and_then(|d| d.unit.clone())
                        .unwrap_or_else(|| u.name.clone()),
                ),
                Cell::Text(u.root.clone()),
                num(score.map(|s| s.estimated)),
                num(score.map(|s| s.max)),
                num(d.map(|d| d.summary.errors as f64)),
                num(d.map(|d| d.summary.warnings as f64)),
                num(d.map(|d| d.summary.points_at_risk)),
                Cell::Text(state_label(u, lang).to_string()),
            ]
        })
        .collect();
    (head, rows)
}

/// (header, rows) of the sub-criteria units lose, most units first.
pub fn losses(report: &UnitsReport, lang: Lang) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let head = vec![
        t(lang, "Tiêu chí thành phần", "Sub-criterion"),
        t(lang, "Tên", "Title"),
        t(lang, "Số đơn vị", "Units"),
        t(lang, "Đơn vị", "Which"),
        t(lang, "Tổng điểm nguy cơ mất", "Points at risk, all units"),
        t(lang, "Lỗi", "Errors"),
    ];
    let rows = report
        .common_losses
        .iter()
        .map(|l| {
            let codes: Vec<String> = l
                .findings
                .iter()
                .map(|(c, _, n)| code_count(*c, *n, lang))
                .collect();
            vec![
                Cell::Text(l.criterion.clone()),
                Cell::Text(l.title.clone()),
                Cell::Number(l.units.len() as f64),
                Cell::Text(l.units.join(", ")),
                Cell::Number(crate::run::round2(l.points_at_risk)),
                Cell::Text(codes.join("; ")),
            ]
        })
        .collect();
    (head, rows)
}

fn csv_field(c: &Cell, lang: Lang) -> String {
    let s = match c {
        Cell::Text(s) => s.clone(),
        // Excel in a Vietnamese locale reads "9,73"; the file is for it.
        Cell::Number(n) => crate::report::points(*n, lang),
        Cell::Empty => String::new(),
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Both tables in one CSV file, a blank line between them.
pub fn csv(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    for (i, (head, rows)) in [ranking(report, lang), losses(report, lang)]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.write_all(b"\r\n")?;
        }
        let h: Vec<String> = head
            .iter()
            .map(|s| csv_field(&Cell::Text(s.to_string()), lang))
            .collect();
        write!(out, "{}\r\n", h.join(","))?;
        for r in rows {
            let cells: Vec<String> = r.iter().map(|c| csv_field(c, lang)).collect();
            write!(out, "{}\r\n", cells.join(","))?;
        }
    }
    Ok(())
}

/// An .xlsx workbook: sheet "Xếp hạng" (ranking) and "Mất điểm" (losses).
pub fn xlsx(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheets = [
        (t(lang, "Xếp hạng", "Ranking"), ranking(report, lang)),
        (t(lang, "Mất điểm", "Losses"), losses(report, lang)),
    ];
    for (name, (head, rows)) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(io::Error::other)?;
        for (c, h) in head.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(io::Error::other)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(io::Error::other)?;
            }
        }
        sheet.autofit();
    }
    let bytes = book.save_to_buffer().map_err(io::Error::other)?;
    out.write_all(&bytes)
}
