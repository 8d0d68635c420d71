//! .docx (Word): the tables of word/document.xml, read with zip + roxmltree.
//! Horizontal merges (`w:gridSpan`) keep the columns aligned; a vertical
//! merge (`w:vMerge`) repeats its first cell's text in the cells it covers.

use std::io::Cursor;

use roxmltree::{Document, Node, ParsingOptions};

use super::grid::{check_zip, zip_member, Cell, Grid, MAX_COLS};
use super::ImportError;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Every top-level table of the document body, in order.
pub fn grids(bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let xml = zip_member(&mut zip, "word/document.xml")?
        .ok_or_else(|| ImportError::Unreadable("no word/document.xml: not a Word file".into()))?;
    let text = String::from_utf8(xml)
        .map_err(|_| ImportError::Unreadable("word/document.xml is not UTF-8".into()))?;
    // No DTDs (entity expansion); roxmltree's own node limit bounds the rest.
    let doc = Document::parse_with_options(
        &text,
        ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_XML_NODES,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| ImportError::Unreadable(format!("word/document.xml: {e}")))?;
    let mut out = Vec::new();
    for (i, tbl) in outer_tables(doc.root()).into_iter().enumerate() {
        out.push(table(tbl, i + 1)?);
    }
    Ok(out)
}

/// XML nodes a document may have (a 300-page appendix has well under a million).
const MAX_XML_NODES: u32 = 4_000_000;
/// Top-level tables read; the criteria table is among the first few.
const MAX_TABLES: usize = 200;

/// Tables not inside another table, in document order. An explicit stack,
/// never `ancestors()` per node: a deeply nested file must not go quadratic.
fn outer_tables<'a>(root: Node<'a, 'a>) -> Vec<Node<'a, 'a>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if is(&n, "tbl") {
            out.push(n);
            if out.len() >= MAX_TABLES {
                break;
            }
            continue;
        }
        let kids: Vec<Node> = n.children().filter(|c| c.is_element()).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

fn is(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

fn child<'a>(n: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children().find(|c| is(c, name))
}

fn val(n: Node, name: &str) -> Option<String> {
    n.attribute((W, name)).map(str::to_string)
}

fn table(tbl: Node, number: usize) -> Result<Grid, ImportError> {
    let mut g = Grid {
        name: format!("table {number}"),
        ..Grid::default()
    };
    for tr in tbl.children().filter(|n| is(n, "tr")) {
        let mut cells = Vec::new();
        for tc in tr.children().filter(|n| is(n, "tc")) {
            let props = child(tc, "tcPr");
            // A cell a vertical merge continues holds no text of its own.
            let continues = props
                .and_then(|p| child(p, "vMerge"))
                .is_some_and(|v| val(v, "val").as_deref() != Some("restart"));
            cells.push(if continues {
                Cell::default()
            } else {
                Cell::text(&cell_text(tc))
            });
            cells.extend(std::iter::repeat_n(Cell::default(), span(props) - 1));
            if cells.len() >= MAX_COLS {
                break;
            }
        }
        g.push_row(cells)?;
    }
    fill_merges(tbl, &mut g);
    Ok(g)
}

fn span(props: Option<Node>) -> usize {
    props
        .and_then(|p| child(p, "gridSpan"))
        .and_then(|s| val(s, "val"))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLS)
}

/// Second pass: repeat each vertical merge's text down the cells it covers.
fn fill_merges(tbl: Node, g: &mut Grid) {
    let mut start: Vec<Option<usize>> = vec![None; MAX_COLS];
    for (r, tr) in tbl.children().filter(|n| is(n, "tr")).enumerate() {
        let mut col = 0;
        for tc in tr.children().filter(|n| is(n, "tc")) {
            if col >= MAX_COLS {
                break;
            }
            let props = child(tc, "tcPr");
            match props.and_then(|p| child(p, "vMerge")) {
                Some(v) if val(v, "val").as_deref() == Some("restart") => start[col] = Some(r),
                Some(_) => {
                    if let Some(s) = start[col] {
                        g.fill_vertical(s, r, col);
                    }
                }
                None => start[col] = None,
            }
            col += span(props);
        }
    }
}

/// Paragraphs joined by line breaks; `w:tab` and `w:br` kept as space /
/// break; a table nested in the cell is left out.
fn cell_text(tc: Node) -> String {
    let mut out = String::new();
    let mut stack: Vec<Node> = tc.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        if is(&n, "tbl") {
            continue;
        }
        if is(&n, "p") && !out.is_empty() {
            out.push('\n');
        }
        if is(&n, "t") {
            out.push_str(n.text().unwrap_or(""));
        } else if is(&n, "tab") {
            out.push(' ');
        } else if is(&n, "br") {
            out.push('\n');
        }
        if out.len() > super::grid::MAX_CELL_CHARS * 4 {
            break;
        }
        let kids: Vec<Node> = n.children().filter(|c| c.is_element()).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}
