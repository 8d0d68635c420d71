//! The paragraphs of a Word appendix outside its tables: the title and the
//! notes under it, where a province states once that "tài liệu kiểm chứng
//! phải là văn bản điện tử có chữ ký số". Read with the same zip limits as
//! the table reader; tables (and anything inside them) are skipped.

use std::io::Cursor;

use roxmltree::{Document, ParsingOptions};

use super::grid::{check_zip, zip_member};
use super::ImportError;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Paragraphs kept (an appendix's title block and notes are a few dozen).
const MAX_PARAGRAPHS: usize = 2_000;
/// Characters kept per paragraph.
const MAX_CHARS: usize = 4_000;
const MAX_XML_NODES: u32 = 4_000_000;

/// Body paragraphs outside tables, in order, blank ones left out.
pub fn paragraphs(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let Some(xml) = zip_member(&mut zip, "word/document.xml")? else {
        return Ok(Vec::new());
    };
    let Ok(text) = String::from_utf8(xml) else {
        return Ok(Vec::new());
    };
    let doc = Document::parse_with_options(
        &text,
        ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_XML_NODES,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| ImportError::Unreadable(format!("word/document.xml: {e}")))?;
    let is = |n: &roxmltree::Node, name: &str| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
    };
    let mut out: Vec<String> = Vec::new();
    // An explicit stack: a deeply nested file must not overflow or go quadratic.
    let mut stack = vec![doc.root()];
    while let Some(n) = stack.pop() {
        if is(&n, "tbl") {
            continue;
        }
        if is(&n, "p") {
            let mut p = String::new();
            for d in n.descendants() {
                if is(&d, "t") {
                    p.push_str(d.text().unwrap_or(""));
                } else if is(&d, "tab") || is(&d, "br") {
                    p.push(' ');
                }
                if p.len() > MAX_CHARS {
                    break;
                }
            }
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if !p.is_empty() {
                out.push(p);
                if out.len() >= MAX_PARAGRAPHS {
                    break;
                }
            }
            continue;
        }
        let kids: Vec<roxmltree::Node> = n.children().filter(|c| c.is_element()).collect();
        stack.extend(kids.into_iter().rev());
    }
    Ok(out)
}
