//! .xlsx (Office Open XML workbooks), read with calamine after a zip-bomb check.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, Xlsx};

use super::grid::{check_zip, Grid};
use super::{sheet, ImportError};

/// Every sheet (or only `only`), in workbook order.
pub fn grids(bytes: &[u8], only: Option<&str>) -> Result<Vec<Grid>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Unreadable(e.to_string()))?;
    let names = super::pick_sheets(wb.sheet_names(), only)?;
    let mut out = Vec::new();
    for name in names {
        let values = wb
            .worksheet_range(&name)
            .map_err(|e| ImportError::Unreadable(format!("sheet {name}: {e}")))?;
        let formulas = wb.worksheet_formula(&name).ok();
        let mut g = sheet::grid(&name, &values, formulas.as_ref())?;
        if let Some(Ok(merges)) = wb.worksheet_merge_cells(&name) {
            for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
                let first = (m.start.0 as usize).checked_sub(g.first_row);
                let last = (m.end.0 as usize).checked_sub(g.first_row);
                if let (Some(first), Some(last)) = (first, last) {
                    g.fill_vertical(first, last, m.start.1 as usize);
                }
            }
        }
        out.push(g);
    }
    Ok(out)
}
