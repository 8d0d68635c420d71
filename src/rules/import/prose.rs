//! The paragraphs of a Word appendix outside its tables: the title and the
//! notes under it, where a province states once that "tài liệu kiểm chứng
//! phải là văn bản điện tử có chữ ký số". Read as a stream with the same zip
//! limits and the same budget as the table reader (the decoded XML is paid
//! for again); tables (and anything inside them) are skipped unread.

use std::io::Cursor;

use quick_xml::events::Event;

use super::grid::{check_zip, zip_member, Budget, Cell};
use super::xml::{self, local, Xml};
use super::ImportError;

const W: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MEMBER: &str = "word/document.xml";
/// Paragraphs kept (an appendix's title block and notes are a few dozen).
const MAX_PARAGRAPHS: usize = 2_000;
/// Characters kept per paragraph.
const MAX_CHARS: usize = 4_000;

/// Body paragraphs outside tables, in order, blank ones left out.
pub fn paragraphs(bytes: &[u8], budget: &Budget) -> Result<Vec<String>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let Some(doc) = zip_member(&mut zip, MEMBER, budget)? else {
        return Ok(Vec::new());
    };
    if std::str::from_utf8(&doc).is_err() {
        return Ok(Vec::new());
    }
    let mut r = Xml::new(&doc, MEMBER);
    let mut out: Vec<String> = Vec::new();
    // Open `w:p` elements (a text box's paragraphs sit inside a paragraph:
    // their text joins the outer one) and open `w:t` elements.
    let (mut p_depth, mut t_depth) = (0usize, 0usize);
    let mut p = String::new();
    loop {
        let (ns, ev) = r.next()?;
        let w = ns.as_deref() == Some(W);
        match ev {
            Event::Start(e) if w && local(&e) == b"tbl" => r.skip(&e)?,
            Event::Start(e) if w && local(&e) == b"p" => p_depth += 1,
            Event::Start(e) if w && local(&e) == b"t" && p_depth > 0 => t_depth += 1,
            Event::Empty(e) if w && p_depth > 0 && matches!(local(&e), b"tab" | b"br") => {
                push(&mut p, " ");
            }
            Event::End(e) if w && local_end(&e) == b"t" => t_depth = t_depth.saturating_sub(1),
            Event::End(e) if w && local_end(&e) == b"p" && p_depth > 0 => {
                p_depth -= 1;
                if p_depth == 0 {
                    // As a cell's text is kept: NFC, no control or bidi characters.
                    let text = Cell::text(&p).text;
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    p.clear();
                    if !text.is_empty() {
                        out.push(text);
                        if out.len() >= MAX_PARAGRAPHS {
                            return Ok(out);
                        }
                    }
                }
            }
            Event::Text(t) if t_depth > 0 => {
                let s = t.xml10_content().map_err(|e| r.bad(e))?;
                push(&mut p, &s);
            }
            Event::CData(t) if t_depth > 0 => push(&mut p, &String::from_utf8_lossy(&t)),
            Event::GeneralRef(e) if t_depth > 0 => {
                let mut s = String::new();
                xml::push_ref(&mut s, &e);
                push(&mut p, &s);
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

fn local_end<'a>(e: &'a quick_xml::events::BytesEnd) -> &'a [u8] {
    e.local_name().into_inner()
}

/// `s` appended while the paragraph is under [`MAX_CHARS`] bytes.
fn push(p: &mut String, s: &str) {
    if p.len() <= MAX_CHARS {
        p.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx(body: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file(MEMBER, opts).unwrap();
        write!(
            z,
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn paragraphs_outside_tables_in_order() {
        let bytes = docx(concat!(
            "<w:p><w:r><w:t>PHỤ LỤC</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">TLKC là văn bản điện tử </w:t></w:r>",
            "<w:r><w:tab/><w:t>có chữ ký số &amp; đúng hạn</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>trong bảng</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:p/><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p>",
        ));
        let got = paragraphs(&bytes, &Budget::default()).unwrap();
        assert_eq!(
            got,
            vec![
                "PHỤ LỤC",
                "TLKC là văn bản điện tử có chữ ký số & đúng hạn",
                "Ghi chú"
            ]
        );
    }

    #[test]
    fn the_decoded_xml_is_paid_for() {
        let bytes = docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
        let e = paragraphs(&bytes, &Budget::new(16)).unwrap_err();
        assert!(matches!(e, ImportError::Budget { .. }), "{e}");
    }
}
