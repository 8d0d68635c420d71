//! Shared by the .xlsx and .ods importers: a calamine range → [`Grid`].

use calamine::{Data, Range};

use super::grid::{Cell, Grid, MAX_COLS};
use super::ImportError;

/// A sheet whose first used row is further down than this is refused
/// (the rows above would all be empty: a crafted file, not a criteria table).
const MAX_FIRST_ROW: u32 = 100_000;

pub fn grid(
    name: &str,
    values: &Range<Data>,
    formulas: Option<&Range<String>>,
) -> Result<Grid, ImportError> {
    let mut g = Grid {
        name: name.to_string(),
        ..Grid::default()
    };
    let Some((row0, col0)) = values.start() else {
        return Ok(g);
    };
    if row0 > MAX_FIRST_ROW {
        return Err(ImportError::TooManyRows {
            limit: super::grid::MAX_ROWS,
        });
    }
    g.first_row = row0 as usize;
    // Leading empty columns are kept so that column numbers stay the sheet's.
    let pad = (col0 as usize).min(MAX_COLS);
    for row in values.rows() {
        let mut cells = vec![Cell::default(); pad];
        cells.extend(row.iter().take(MAX_COLS.saturating_sub(pad)).map(cell));
        g.push_row(cells)?;
    }
    if let Some(f) = formulas {
        if let Some((fr, fc)) = f.start() {
            for (r, c, text) in f.used_cells() {
                if text.is_empty() {
                    continue;
                }
                let (abs_r, abs_c) = (fr as usize + r, fc as usize + c);
                let Some(gr) = abs_r.checked_sub(g.first_row) else {
                    continue;
                };
                let has_value = g
                    .rows
                    .get(gr)
                    .and_then(|row| row.get(abs_c))
                    // Writers that cannot compute store 0: no real result either.
                    .is_some_and(|c| !c.is_blank() && c.number != Some(0.0));
                g.formulas.push((gr, abs_c, has_value));
            }
        }
    }
    Ok(g)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::text(s),
        Data::Float(f) => Cell::number(*f),
        Data::Int(i) => Cell::number(*i as f64),
        Data::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
        // A date where a code or points belong is a typing slip: keep its serial visible.
        Data::DateTime(d) => Cell::text(&format!("(date {})", d.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
        Data::Error(e) => Cell::text(&format!("#{e:?}")),
    }
}
