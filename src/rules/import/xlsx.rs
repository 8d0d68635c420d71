//! .xlsx (Office Open XML workbooks), read with calamine's streaming cell
//! reader after a zip-bomb check. Streaming, not `worksheet_range`: a range
//! is allocated from the extreme cell positions, so two cells at A1 and
//! XFD1048576 would ask for billions of cells. Sheets are read one at a time
//! and dropped when they hold no criteria table; every cell and every copy a
//! merged range makes is paid for from the one [`Budget`] first.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx, XlsxError};

use super::grid::{check_zip, Budget, Cell, Grid, MAX_COLS, MAX_ROWS, MAX_ROW_INDEX};
use super::{ImportError, Visit};

/// Every sheet (or only `only`), in workbook order, to `visit`.
pub fn grids(
    bytes: &[u8],
    only: Option<&str>,
    budget: &Budget,
    visit: &mut Visit,
) -> Result<(), ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let names = super::pick_sheets(wb.sheet_names(), only)?;
    for name in names {
        let mut g = sheet(&mut wb, &name, budget)?;
        if let Some(Ok(merges)) = wb.worksheet_merge_cells(&name) {
            for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
                let first = (m.start.0 as usize).checked_sub(g.first_row);
                let last = (m.end.0 as usize).checked_sub(g.first_row);
                if let (Some(first), Some(last)) = (first, last) {
                    g.fill_vertical(first, last, m.start.1 as usize, budget)?;
                }
            }
        }
        if visit(g)? {
            break;
        }
    }
    Ok(())
}

fn unreadable(e: XlsxError) -> ImportError {
    ImportError::Unreadable(e.to_string())
}

fn sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, budget: &Budget) -> Result<Grid, ImportError> {
    let mut cells: Vec<(u32, usize, Cell)> = Vec::new();
    {
        let mut rd = wb.worksheet_cells_reader(name).map_err(unreadable)?;
        while let Some(c) = rd.next_cell().map_err(unreadable)? {
            let (r, col) = c.get_position();
            let cell = cell(c.get_value());
            if cell.is_blank() || col as usize >= MAX_COLS {
                continue;
            }
            if r as usize >= MAX_ROW_INDEX {
                return Err(ImportError::TooTall {
                    limit: MAX_ROW_INDEX,
                });
            }
            if cells.len() >= MAX_ROWS * MAX_COLS {
                return Err(ImportError::TooManyRows { limit: MAX_ROWS });
            }
            cells.push((r, col as usize, budget.cell(cell)?));
        }
    }
    let mut formulas: Vec<(u32, usize)> = Vec::new();
    {
        let mut rd = wb.worksheet_cells_reader(name).map_err(unreadable)?;
        while let Some(f) = rd.next_formula().map_err(unreadable)? {
            let (r, col) = f.get_position();
            if !f.get_value().is_empty()
                && (r as usize) < MAX_ROW_INDEX
                && (col as usize) < MAX_COLS
            {
                budget.spend(std::mem::size_of::<(u32, usize)>())?;
                formulas.push((r, col as usize));
                if formulas.len() > MAX_ROWS * MAX_COLS {
                    return Err(ImportError::TooManyRows { limit: MAX_ROWS });
                }
            }
        }
    }
    let first = cells.iter().map(|c| c.0).min().unwrap_or(0);
    let last = cells.iter().map(|c| c.0).max().unwrap_or(0);
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); (last - first) as usize + 1];
    for (r, col, cell) in cells {
        let row = &mut rows[(r - first) as usize];
        if row.len() <= col {
            budget.cells(col + 1 - row.len(), 0)?;
            row.resize(col + 1, Cell::default());
        }
        row[col] = cell;
    }
    let mut g = Grid {
        name: crate::text::one_line(name),
        first_row: first as usize,
        ..Grid::default()
    };
    for row in rows {
        g.push_row(row, budget)?;
    }
    for (r, col) in formulas {
        let Some(gr) = (r as usize).checked_sub(g.first_row) else {
            continue;
        };
        // Writers that cannot compute store 0: no real result either.
        let has_value = g
            .rows
            .get(gr)
            .and_then(|row| row.get(col))
            .is_some_and(|c| !c.is_blank() && c.number != Some(0.0));
        g.formulas.push((gr, col, has_value));
    }
    Ok(g)
}

fn cell(d: &DataRef) -> Cell {
    match d {
        DataRef::Empty => Cell::default(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::text(s),
        DataRef::SharedString(s) => Cell::text(s),
        DataRef::Float(f) => Cell::number(*f),
        DataRef::Int(i) => Cell::number(*i as f64),
        DataRef::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
        // A date where a code or points belong is a typing slip: keep its serial visible.
        DataRef::DateTime(d) => Cell::text(&format!("(date {})", d.as_f64())),
        DataRef::Error(e) => Cell::text(&format!("#{e:?}")),
    }
}
