//! .ods (OpenDocument spreadsheets, LibreOffice), read with calamine after a
//! zip-bomb check. Covered (merged) cells come back empty.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Ods, Reader};

use super::grid::{check_zip, Grid};
use super::{sheet, ImportError};

/// Every sheet (or only `only`), in workbook order.
pub fn grids(bytes: &[u8], only: Option<&str>) -> Result<Vec<Grid>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut wb: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::OdsError| ImportError::Unreadable(e.to_string()))?;
    let names = super::pick_sheets(wb.sheet_names(), only)?;
    let mut out = Vec::new();
    for name in names {
        let values = wb
            .worksheet_range(&name)
            .map_err(|e| ImportError::Unreadable(format!("sheet {name}: {e}")))?;
        let formulas = wb.worksheet_formula(&name).ok();
        out.push(sheet::grid(&name, &values, formulas.as_ref())?);
    }
    Ok(out)
}
