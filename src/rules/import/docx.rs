//! .docx (Word): the tables of word/document.xml, read as a stream (zip +
//! quick-xml). Horizontal merges (`w:gridSpan`) keep the columns aligned; a
//! vertical merge (`w:vMerge`) repeats its first cell's text in the cells it
//! covers. Each table is handed on as soon as it ends, so only one is in
//! memory; every cell and every merge copy is paid for from the one
//! [`Budget`] before it is made, and each covered cell is filled once
//! (a run of n covered cells costs n copies, never n²).

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};

use super::grid::{check_zip, zip_member, Budget, Cell, Grid, MAX_CELL_CHARS, MAX_COLS};
use super::xml::{self, local, Xml};
use super::{ImportError, Visit};

const W: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MEMBER: &str = "word/document.xml";

/// Top-level tables read; the criteria table is among the first few.
const MAX_TABLES: usize = 200;

/// Every top-level table of the document body, in order, to `visit`.
pub fn grids(bytes: &[u8], budget: &Budget, visit: &mut Visit) -> Result<(), ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let doc = zip_member(&mut zip, MEMBER, budget)?
        .ok_or_else(|| ImportError::Unreadable("no word/document.xml: not a Word file".into()))?;
    if std::str::from_utf8(&doc).is_err() {
        return Err(ImportError::Unreadable(format!("{MEMBER} is not UTF-8")));
    }
    let mut reader = Reader::default();
    let mut r = Xml::new(&doc, MEMBER);
    loop {
        let (ns, ev) = r.next()?;
        let w = ns.as_deref() == Some(W);
        match ev {
            Event::Start(e) => reader.start(&r, w, &e, false),
            Event::Empty(e) => reader.start(&r, w, &e, true),
            Event::End(e) => {
                let name = e.local_name().into_inner().to_vec();
                if let Some(g) = reader.end(w, &name, budget)? {
                    if visit(g)? || reader.tables >= MAX_TABLES {
                        return Ok(());
                    }
                }
            }
            Event::Text(t) if reader.in_text() => {
                let s = t.xml10_content().map_err(|e| r.bad(e))?;
                reader.push_text(&s);
            }
            Event::CData(t) if reader.in_text() => {
                reader.push_text(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(e) if reader.in_text() => {
                let mut s = String::new();
                xml::push_ref(&mut s, &e);
                reader.push_text(&s);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// What a cell's `w:tcPr` says.
#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// Where the reader is inside the current top-level table.
#[derive(Default)]
struct Reader {
    /// Open elements below the top-level `w:tbl` (local names, W namespace
    /// or not); empty when outside any table.
    path: Vec<(bool, Vec<u8>)>,
    /// Inside the top-level table.
    in_table: bool,
    /// Depth of `w:tbl` elements nested inside the current cell.
    nested: usize,
    grid: Grid,
    row: Vec<Cell>,
    /// The cells of the current row: (column, vertical merge).
    merges: Vec<(usize, VMerge)>,
    /// Per column, the row a vertical merge started at and the last row it filled.
    start: Vec<Option<(usize, usize)>>,
    cell: Option<CellState>,
    tables: usize,
}

struct CellState {
    text: String,
    span: usize,
    vmerge: VMerge,
    in_t: bool,
}

impl Reader {
    fn parent_is(&self, name: &[u8]) -> bool {
        self.path
            .last()
            .is_some_and(|(w, n)| *w && n.as_slice() == name)
    }

    fn in_text(&self) -> bool {
        self.nested == 0 && self.cell.as_ref().is_some_and(|c| c.in_t)
    }

    fn push_text(&mut self, s: &str) {
        if let Some(c) = &mut self.cell {
            if c.text.len() <= MAX_CELL_CHARS * 4 {
                c.text.push_str(s);
            }
        }
    }

    fn start(&mut self, r: &Xml, w: bool, e: &BytesStart, empty: bool) {
        let name = local(e);
        if !self.in_table {
            if w && name == b"tbl" && !empty {
                self.in_table = true;
                self.tables += 1;
                self.grid = Grid {
                    name: format!("table {}", self.tables),
                    ..Grid::default()
                };
                self.start = vec![None; MAX_COLS];
                self.path.clear();
            }
            return;
        }
        if self.nested > 0 {
            if w && name == b"tbl" && !empty {
                self.nested += 1;
            }
            if !empty {
                self.path.push((w, name.to_vec()));
            }
            return;
        }
        if w {
            match name {
                b"tbl" if self.cell.is_some() && !empty => self.nested = 1,
                b"tr" if self.path.is_empty() => {
                    self.row.clear();
                    self.merges.clear();
                }
                b"tc" if self.parent_is(b"tr") && self.path.len() == 1 => {
                    self.cell = Some(CellState {
                        text: String::new(),
                        span: 1,
                        vmerge: VMerge::None,
                        in_t: false,
                    });
                }
                b"gridSpan" if self.parent_is(b"tcPr") && self.path.len() == 3 => {
                    if let Some(c) = &mut self.cell {
                        c.span = r
                            .attr(e, W, b"val")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, MAX_COLS);
                    }
                }
                b"vMerge" if self.parent_is(b"tcPr") && self.path.len() == 3 => {
                    if let Some(c) = &mut self.cell {
                        c.vmerge = if r.attr(e, W, b"val").as_deref() == Some("restart") {
                            VMerge::Restart
                        } else {
                            VMerge::Continue
                        };
                    }
                }
                b"p" => {
                    if let Some(c) = &mut self.cell {
                        if !c.text.is_empty() {
                            c.text.push('\n');
                        }
                    }
                }
                b"t" => {
                    if let Some(c) = &mut self.cell {
                        c.in_t = !empty;
                    }
                }
                b"tab" => self.push_text(" "),
                b"br" => self.push_text("\n"),
                _ => {}
            }
        }
        if !empty {
            self.path.push((w, name.to_vec()));
        }
    }

    /// Ends an element; returns the table when the top-level one ends.
    fn end(&mut self, w: bool, name: &[u8], budget: &Budget) -> Result<Option<Grid>, ImportError> {
        if !self.in_table {
            return Ok(None);
        }
        let Some((was_w, _)) = self.path.pop() else {
            // The top-level table itself ends.
            self.in_table = false;
            self.cell = None;
            return Ok(Some(std::mem::take(&mut self.grid)));
        };
        if self.nested > 0 {
            if was_w && name == b"tbl" {
                self.nested -= 1;
            }
            return Ok(None);
        }
        if !w {
            return Ok(None);
        }
        match name {
            b"t" => {
                if let Some(c) = &mut self.cell {
                    c.in_t = false;
                }
            }
            b"tc" if self.path.len() == 1 => {
                if let Some(c) = self.cell.take() {
                    self.end_cell(c, budget)?;
                }
            }
            b"tr" if self.path.is_empty() => self.end_row(budget)?,
            _ => {}
        }
        Ok(None)
    }

    fn end_cell(&mut self, c: CellState, budget: &Budget) -> Result<(), ImportError> {
        if self.row.len() >= MAX_COLS {
            return Ok(());
        }
        self.merges.push((self.row.len(), c.vmerge));
        // A cell a vertical merge continues holds no text of its own.
        let cell = if c.vmerge == VMerge::Continue {
            Cell::default()
        } else {
            Cell::text(&c.text)
        };
        self.row.push(budget.cell(cell)?);
        let pad = (c.span - 1).min(MAX_COLS - self.row.len());
        budget.cells(pad, 0)?;
        self.row.extend(std::iter::repeat_n(Cell::default(), pad));
        Ok(())
    }

    /// The row joins the grid; each covered cell takes its merge origin's text.
    fn end_row(&mut self, budget: &Budget) -> Result<(), ImportError> {
        let r = self.grid.rows.len();
        self.grid.push_row(std::mem::take(&mut self.row), budget)?;
        for &(col, vm) in &self.merges {
            match vm {
                VMerge::Restart => self.start[col] = Some((r, r)),
                VMerge::Continue => {
                    // Rows since the last fill (a short row may have skipped this column).
                    if let Some((s, done)) = self.start[col] {
                        self.grid.fill_from(s, done + 1, r, col, budget)?;
                        self.start[col] = Some((s, r));
                    }
                }
                VMerge::None => self.start[col] = None,
            }
        }
        Ok(())
    }
}
