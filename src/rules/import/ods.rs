//! .ods (OpenDocument spreadsheets, LibreOffice): content.xml read as a
//! stream (zip + quick-xml), one sheet at a time. A general reader expands
//! `number-rows-repeated` / `number-columns-repeated` into a dense sheet (an
//! 885-byte file asks for gigabytes); here a repeat is paid for from the one
//! [`Budget`] before it is expanded, blank repeats are only counted, columns
//! past [`MAX_COLS`] are never made, and a sheet that is not wanted is skipped
//! unread. Covered (merged) cells come back empty, as LibreOffice stores them.

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};

use super::grid::{
    check_zip, zip_member, Budget, Cell, Grid, MAX_CELL_CHARS, MAX_COLS, MAX_ROW_INDEX,
};
use super::xml::{self, local, Xml};
use super::{ImportError, Visit};

const OFFICE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TABLE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const TEXT: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const MEMBER: &str = "content.xml";

/// A sheet whose first used row is further down than this is refused
/// (the rows above would all be empty: a crafted file, not a criteria table).
const MAX_FIRST_ROW: usize = 100_000;

/// Every sheet (or only `only`), in workbook order, to `visit`.
pub fn grids(
    bytes: &[u8],
    only: Option<&str>,
    budget: &Budget,
    visit: &mut Visit,
) -> Result<(), ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let content = zip_member(&mut zip, MEMBER, budget)?.ok_or_else(|| {
        ImportError::Unreadable("no content.xml: not an OpenDocument spreadsheet".into())
    })?;
    if std::str::from_utf8(&content).is_err() {
        return Err(ImportError::Unreadable(format!("{MEMBER} is not UTF-8")));
    }
    let mut r = Xml::new(&content, MEMBER);
    let mut names = Vec::new();
    loop {
        let (ns, ev) = r.next()?;
        match ev {
            Event::Start(e) if ns.as_deref() == Some(TABLE) && local(&e) == b"table" => {
                let name = r.attr(&e, TABLE, b"name").unwrap_or_default();
                let wanted = only.is_none_or(|want| {
                    name == want || crate::text::fold(&name) == crate::text::fold(want)
                });
                names.push(name.clone());
                if !wanted {
                    r.skip(&e)?;
                    continue;
                }
                let g = sheet(&mut r, &name, budget)?;
                if visit(g)? || only.is_some() {
                    return Ok(());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match only {
        Some(want) => Err(ImportError::NoSheet {
            name: want.to_string(),
            available: names.join(", "),
        }),
        None => Ok(()),
    }
}

fn bad(e: impl std::fmt::Display) -> ImportError {
    ImportError::Unreadable(format!("{MEMBER}: {e}"))
}

/// A repeat count: 1 when absent; a count that is not a number is an error.
fn repeat(r: &Xml, e: &BytesStart, key: &[u8]) -> Result<usize, ImportError> {
    match r.attr(e, TABLE, key) {
        None => Ok(1),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .map_err(|_| bad(format!("table:{} = \"{v}\"", String::from_utf8_lossy(key)))),
    }
}

/// One sheet: the reader stands just after its `<table:table>`.
fn sheet(r: &mut Xml, name: &str, budget: &Budget) -> Result<Grid, ImportError> {
    let mut g = Grid {
        name: crate::text::one_line(name),
        ..Grid::default()
    };
    // The sheet row (0-based) the next `table:table-row` stands for.
    let mut at: usize = 0;
    let mut started = false;
    let mut depth = 0usize;
    loop {
        let (ns, ev) = r.next()?;
        let is_row = |e: &BytesStart| ns.as_deref() == Some(TABLE) && local(e) == b"table-row";
        match ev {
            Event::Start(e) if is_row(&e) => {
                let n = repeat(r, &e, b"number-rows-repeated")?;
                let (cells, formulas) = row(r, budget)?;
                add_rows(&mut g, &mut started, &mut at, n, cells, formulas, budget)?;
            }
            Event::Empty(e) if is_row(&e) => {
                at = at.saturating_add(repeat(r, &e, b"number-rows-repeated")?);
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth > 0 => depth -= 1,
            // The sheet's own end tag.
            Event::End(_) => return Ok(g),
            Event::Eof => return Err(bad("the sheet does not end")),
            _ => {}
        }
    }
}

/// `n` copies of a row read at sheet row `at`: blank ones only move `at`; the
/// copies of a row with content are paid for before any is made.
fn add_rows(
    g: &mut Grid,
    started: &mut bool,
    at: &mut usize,
    n: usize,
    cells: Vec<Cell>,
    formulas: Vec<usize>,
    budget: &Budget,
) -> Result<(), ImportError> {
    let blank = cells.iter().all(Cell::is_blank) && formulas.is_empty();
    if blank {
        *at = at.saturating_add(n);
        return Ok(());
    }
    if !*started {
        if *at > MAX_FIRST_ROW {
            return Err(ImportError::TooTall {
                limit: MAX_FIRST_ROW,
            });
        }
        *started = true;
        g.first_row = *at;
    }
    let offset = *at - g.first_row;
    if offset.saturating_add(n) > MAX_ROW_INDEX {
        return Err(ImportError::TooTall {
            limit: MAX_ROW_INDEX,
        });
    }
    // Blank rows between the last row kept and this one.
    while g.rows.len() < offset {
        g.push_row(Vec::new(), budget)?;
    }
    let per_copy: usize = cells
        .iter()
        .map(|c| std::mem::size_of::<Cell>() + c.text.len())
        .sum::<usize>()
        + formulas.len() * std::mem::size_of::<(usize, usize, bool)>();
    budget.spend(n.saturating_mul(per_copy))?;
    for _ in 0..n {
        let gr = g.rows.len();
        for &c in &formulas {
            // Writers that cannot compute store 0: no real result either.
            let has_value = cells
                .get(c)
                .is_some_and(|x| !x.is_blank() && x.number != Some(0.0));
            g.formulas.push((gr, c, has_value));
        }
        g.push_row(cells.clone(), budget)?;
    }
    *at = at.saturating_add(n);
    Ok(())
}

/// One `table:table-row`'s cells (columns past [`MAX_COLS`] dropped) and the
/// columns holding a formula; the reader ends after the row.
fn row(r: &mut Xml, budget: &Budget) -> Result<(Vec<Cell>, Vec<usize>), ImportError> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut formulas = Vec::new();
    let mut col: usize = 0;
    let mut depth = 0usize;
    loop {
        let (ns, ev) = r.next()?;
        let (e, open) = match ev {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) if depth > 0 => {
                depth -= 1;
                continue;
            }
            Event::End(_) => return Ok((cells, formulas)),
            Event::Eof => return Err(bad("a row does not end")),
            _ => continue,
        };
        let is_cell = ns.as_deref() == Some(TABLE)
            && matches!(local(&e), b"table-cell" | b"covered-table-cell");
        if !is_cell {
            if open {
                depth += 1;
            }
            continue;
        }
        let n = repeat(r, &e, b"number-columns-repeated")?;
        let formula = r.attr(&e, TABLE, b"formula").is_some_and(|f| !f.is_empty());
        let cell = value(r, &e, open)?;
        let here = col.min(MAX_COLS);
        let kept = n.min(MAX_COLS - here);
        col = col.saturating_add(n);
        if kept == 0 || (cell.is_blank() && !formula) {
            continue;
        }
        // Paid for before the copies are made.
        budget.cells(here.saturating_sub(cells.len()), 0)?;
        budget.cells(kept, cell.text.len())?;
        cells.resize(here, Cell::default());
        if formula {
            formulas.extend(here..here + kept);
        }
        cells.extend(std::iter::repeat_n(cell, kept));
    }
}

/// A cell's value as LibreOffice stores it: the number in `office:value`, a
/// date/time/boolean attribute, or, for text, the paragraphs joined by line breaks.
fn value(r: &mut Xml, e: &BytesStart, open: bool) -> Result<Cell, ImportError> {
    let get = |key: &[u8]| r.attr(e, OFFICE, key);
    let cell = if let Some(v) = get(b"value").and_then(|v| v.trim().parse::<f64>().ok()) {
        Some(Cell::number(v))
    } else if let Some(s) = get(b"string-value")
        .or_else(|| get(b"date-value"))
        .or_else(|| get(b"time-value"))
    {
        Some(Cell::text(&s))
    } else if let Some(b) = get(b"boolean-value") {
        Some(Cell::text(if b.eq_ignore_ascii_case("true") {
            "TRUE"
        } else {
            "FALSE"
        }))
    } else if get(b"value-type").as_deref() == Some("string") {
        None
    } else {
        Some(Cell::default())
    };
    match (cell, open) {
        (Some(c), true) => {
            r.skip(e)?;
            Ok(c)
        }
        (Some(c), false) => Ok(c),
        (None, false) => Ok(Cell::default()),
        (None, true) => Ok(Cell::text(&text(r)?)),
    }
}

/// The text of a string cell, up to its end tag: paragraphs on their own
/// lines, `text:s` as spaces, tabs and line breaks kept, annotations left out.
fn text(r: &mut Xml) -> Result<String, ImportError> {
    const CAP: usize = MAX_CELL_CHARS * 4;
    let mut out = String::new();
    let mut paragraphs = 0usize;
    let mut depth = 0usize;
    let push = |out: &mut String, s: &str| {
        if out.len() < CAP {
            out.push_str(s);
        }
    };
    loop {
        let (ns, ev) = r.next()?;
        let (e, open) = match ev {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::Text(t) => {
                push(&mut out, &t.xml10_content().map_err(bad)?);
                continue;
            }
            Event::CData(t) => {
                push(&mut out, &String::from_utf8_lossy(&t));
                continue;
            }
            Event::GeneralRef(e) => {
                let mut s = String::new();
                xml::push_ref(&mut s, &e);
                push(&mut out, &s);
                continue;
            }
            Event::End(_) if depth > 0 => {
                depth -= 1;
                continue;
            }
            // The cell's own end tag.
            Event::End(_) => return Ok(out),
            Event::Eof => return Err(bad("a cell does not end")),
            _ => continue,
        };
        let name = local(&e);
        match (ns.as_deref(), name) {
            (Some(OFFICE), b"annotation") => {
                if open {
                    r.skip(&e)?;
                }
                continue;
            }
            (Some(TEXT), b"p") => {
                if paragraphs > 0 {
                    push(&mut out, "\n");
                }
                paragraphs += 1;
            }
            (Some(TEXT), b"s") => {
                let n = r
                    .attr(&e, TEXT, b"c")
                    .and_then(|c| c.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(MAX_CELL_CHARS);
                push(&mut out, &" ".repeat(n));
            }
            (Some(TEXT), b"tab") => push(&mut out, " "),
            (Some(TEXT), b"line-break") => push(&mut out, "\n"),
            _ => {}
        }
        if open {
            depth += 1;
        }
    }
}
