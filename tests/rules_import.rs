//! `tlkc rules import`: criteria tables generated here in several layouts
//! (xlsx via rust_xlsxwriter; docx and ods written as XML and zipped; CSV in
//! three encodings), the round trip import → validate → check, point sums,
//! and hostile inputs. Expected trees are written out in full.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use rust_xlsxwriter::{Format, Formula, Workbook};
use tlkc::findings::Lang;
use tlkc::rules::import::{
    import, to_toml, DraftDeadline, ImportError, ImportedSet, Kind, Level, Meta,
};
use tlkc::rules::period::Period;
use tlkc::rules::SignatureRule;

fn tlkc(args: &[&str], dir: &Path) -> Output {
    let mut c = crate::util::TestCommand::new();
    c.args(args).current_dir(dir).env("TLKC_LANG", "en");
    c.output().expect("run tlkc")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// (id, level, title, max) for every node; compare with [`same_tree`].
fn tree(set: &ImportedSet) -> Vec<(String, Level, String, Option<f64>)> {
    set.nodes
        .iter()
        .map(|n| (n.id.clone(), n.level, n.title.clone(), n.max_points))
        .collect()
}

/// Ids, levels and maxima exactly; each title starts with the expected words.
#[track_caller]
fn same_tree(
    got: Vec<(String, Level, String, Option<f64>)>,
    want: Vec<(String, Level, String, Option<f64>)>,
) {
    let strip = |v: &[(String, Level, String, Option<f64>)]| -> Vec<(String, Level, Option<f64>)> {
        v.iter().map(|(i, l, _, m)| (i.clone(), *l, *m)).collect()
    };
    assert_eq!(strip(&got), strip(&want));
    for (g, w) in got.iter().zip(&want) {
        assert!(
            g.2.starts_with(&w.2),
            "{}: title {:?} should start with {:?}",
            g.0,
            g.2,
            w.2
        );
    }
}

fn want(rows: &[(&str, Level, &str, f64)]) -> Vec<(String, Level, String, Option<f64>)> {
    rows.iter()
        .map(|(id, l, t, m)| (id.to_string(), *l, t.to_string(), Some(*m)))
        .collect()
}

fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, body) in files {
            z.start_file(*name, opts).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

use Level::{Area, Criterion, Deduction, Sub};

/// The generated tables, as seeds for the mutation fuzzer (tests/fuzz.rs).
pub fn seed_tables() -> Vec<Vec<u8>> {
    vec![
        xlsx_layout_a(),
        docx_layout_b(),
        ods_layout_c(),
        CSV_D.as_bytes().to_vec(),
        CSV_E.as_bytes().to_vec(),
    ]
}

// ───────────── Layout A: self-scoring workbook (.xlsx) ─────────────
// Title rows, a two-row header ("Điểm" over "Tối đa | Tự chấm"), a (1)(2)…
// numbering row, Roman areas with criteria numbered inside them, codes
// stored as numbers (1.10 became 1.1), decimal commas, a vertically merged
// TLKC cell, blank rows, a formula total, a deductions part and a note.

pub fn xlsx_layout_a() -> Vec<u8> {
    let mut wb = Workbook::new();
    let plain = Format::new();
    let guide = wb.add_worksheet();
    guide.set_name("Huong dan").unwrap();
    guide
        .write_string(0, 0, "Hướng dẫn tự chấm điểm: điền cột Tự chấm.")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Biểu 1").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        5,
        "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP HUYỆN NĂM 2024",
        &plain,
    )
    .unwrap();
    ws.write_string(1, 0, "(Kèm theo Quyết định số 45/QĐ-UBND ngày 10/01/2024)")
        .unwrap();
    ws.merge_range(3, 0, 4, 0, "STT", &plain).unwrap();
    ws.merge_range(3, 1, 4, 1, "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", &plain)
        .unwrap();
    ws.merge_range(3, 2, 3, 3, "Điểm", &plain).unwrap();
    ws.write_string(4, 2, "Tối đa").unwrap();
    ws.write_string(4, 3, "Tự chấm").unwrap();
    ws.merge_range(3, 4, 4, 4, "Tài liệu kiểm chứng", &plain)
        .unwrap();
    ws.merge_range(3, 5, 4, 5, "Ghi chú", &plain).unwrap();
    for c in 0..6u16 {
        ws.write_string(5, c, format!("({})", c + 1)).unwrap();
    }
    let r = std::cell::Cell::new(6u32);
    let mut row = |code: Option<f64>, code_s: &str, title: &str, max: &str, tlkc: &str| {
        let at = r.get();
        match code {
            Some(n) => ws.write_number(at, 0, n).unwrap(),
            None => ws.write_string(at, 0, code_s).unwrap(),
        };
        ws.write_string(at, 1, title).unwrap();
        match max.parse::<f64>() {
            Ok(n) => ws.write_number(at, 2, n).unwrap(),
            Err(_) => ws.write_string(at, 2, max).unwrap(),
        };
        if !tlkc.is_empty() {
            ws.write_string(at, 4, tlkc).unwrap();
        }
        r.set(at + 1);
        at
    };
    row(None, "I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "3", "");
    row(Some(1.0), "", "Kế hoạch CCHC năm", "2", "");
    let first = row(
        Some(1.1),
        "",
        "Ban hành kế hoạch CCHC năm kịp thời",
        "1",
        "",
    );
    let second = row(Some(1.2), "", "Mức độ hoàn thành kế hoạch", "1", "");
    row(Some(2.0), "", "Báo cáo CCHC", "1,0", "");
    row(None, "2.1", "Thực hiện chế độ báo cáo định kỳ", "0,5",
        "Báo cáo CCHC định kỳ quý, 6 tháng, 9 tháng, năm gửi chậm nhất ngày 14 của tháng cuối kỳ; có chữ ký số");
    row(
        None,
        "2.2",
        "Mức độ hài lòng của người dân",
        "0,5",
        "Kết quả điều tra xã hội học",
    );
    r.set(r.get() + 1); // a blank spacer row
    row(None, "II", "CẢI CÁCH THỂ CHẾ", "2", "");
    row(Some(1.0), "", "Xây dựng, ban hành văn bản QPPL", "2", "");
    row(
        Some(1.1),
        "",
        "Ban hành văn bản đúng thẩm quyền",
        "0,5",
        "Tờ trình; Quyết định ban hành văn bản",
    );
    row(
        Some(1.2),
        "",
        "Kiểm tra, rà soát văn bản",
        "1,5",
        "Thông báo kết luận kiểm tra",
    );
    row(None, "III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "1", "");
    row(Some(1.0), "", "Công khai TTHC", "1", "");
    for i in 1..=10 {
        // Excel keeps 1.10 as the number 1.1.
        let code = if i == 10 { 1.1 } else { 1.0 + i as f64 / 10.0 };
        row(
            Some(code),
            "",
            &format!("Công khai TTHC lĩnh vực thứ {i}"),
            "0.1",
            "",
        );
    }
    row(None, "B", "ĐIỂM TRỪ", "", "");
    row(
        Some(1.0),
        "",
        "Để xảy ra sai phạm trong giải quyết TTHC",
        "-1",
        "",
    );
    let r = r.get();
    ws.write_string(r, 1, "Tổng cộng").unwrap();
    ws.write_formula(r, 2, Formula::new("=C7+C15+C19").set_result("6"))
        .unwrap();
    ws.write_string(r + 2, 0, "Ghi chú: cột (4) do đơn vị tự chấm.")
        .unwrap();
    ws.merge_range(
        first,
        4,
        second,
        4,
        "Kế hoạch CCHC năm 2024 của UBND huyện ban hành trước ngày 15/12 năm trước",
        &plain,
    )
    .unwrap();
    wb.save_to_buffer().unwrap()
}

fn layout_a_tree() -> Vec<(String, Level, String, Option<f64>)> {
    let rows = [
        ("1", Area, "CÔNG TÁC CHỈ ĐẠO", 3.0),
        ("1.1", Criterion, "Kế hoạch CCHC", 2.0),
        ("1.1.1", Sub, "Ban hành kế hoạch", 1.0),
        ("1.1.2", Sub, "Mức độ hoàn thành", 1.0),
        ("1.2", Criterion, "Báo cáo CCHC", 1.0),
        ("1.2.1", Sub, "Thực hiện chế độ", 0.5),
        ("1.2.2", Sub, "Mức độ hài lòng", 0.5),
        ("2", Area, "CẢI CÁCH THỂ CHẾ", 2.0),
        ("2.1", Criterion, "Xây dựng, ban", 2.0),
        ("2.1.1", Sub, "Ban hành văn", 0.5),
        ("2.1.2", Sub, "Kiểm tra, rà", 1.5),
        ("3", Area, "CẢI CÁCH THỦ", 1.0),
        ("3.1", Criterion, "Công khai TTHC", 1.0),
    ];
    let subs: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("3.1.{i}"),
                format!("Công khai TTHC lĩnh vực thứ {i}"),
            )
        })
        .collect();
    let mut out = want(&rows);
    for (id, t) in subs {
        out.push((id, Sub, t, Some(0.1)));
    }
    out.extend(want(&[("DT.1", Deduction, "Để xảy ra sai", 1.0)]));
    out
}

#[test]
fn xlsx_layout_a_every_row() {
    let set = import(&xlsx_layout_a(), Kind::Xlsx, None).unwrap();
    assert_eq!(set.table, "Biểu 1");
    assert_eq!(set.header_row, 5);
    same_tree(tree(&set), layout_a_tree());
    assert!(set.mismatches.is_empty(), "{:?}", set.mismatches);
    assert_eq!(set.total.map(|t| t.1), Some(6.0));
    let node = |id: &str| set.nodes.iter().find(|n| n.id == id).unwrap();
    let d = node("1.1.2").draft.clone().unwrap();
    // The merged TLKC cell applies to both sub-criteria it spans.
    assert_eq!(d.reqs[0].types, vec!["KH"]);
    assert!(matches!(
        d.reqs[0].deadline,
        Some(tlkc::rules::import::DraftDeadline::Fixed {
            day: 14,
            month: 12,
            year_offset: -1,
            ..
        })
    ));
    let d = node("1.2.1").draft.clone().unwrap();
    assert_eq!(d.reqs[0].types, vec!["BC"]);
    assert_eq!(
        d.reqs[0].signature,
        Some(tlkc::rules::SignatureRule::Required)
    );
    assert_eq!(
        d.reqs[0].deadline,
        Some(tlkc::rules::import::DraftDeadline::PeriodDay(14))
    );
    assert!(node("1.2.2").draft.as_ref().unwrap().system.is_some());
    let types: Vec<_> = node("2.1.1")
        .draft
        .as_ref()
        .unwrap()
        .reqs
        .iter()
        .map(|r| r.types.clone())
        .collect();
    assert_eq!(types, vec![vec!["TTr"], vec!["QĐ"]]);
    assert_eq!(
        node("2.1.2").draft.as_ref().unwrap().reqs[0].types,
        vec!["TB"]
    );
    // Nothing named: one generic requirement, still marked for review.
    let g = node("3.1.4").draft.clone().unwrap();
    assert_eq!(g.reqs.len(), 1);
    assert!(g.reqs[0].types.is_empty());
}

#[test]
fn xlsx_sheet_by_name_and_unknown_sheet() {
    let bytes = xlsx_layout_a();
    assert!(matches!(
        import(&bytes, Kind::Xlsx, Some("Huong dan")),
        Err(ImportError::NoTable)
    ));
    let e = import(&bytes, Kind::Xlsx, Some("Sheet9"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("Biểu 1"), "{e}");
    assert!(import(&bytes, Kind::Xlsx, Some("Biểu 1")).is_ok());
}

// ───────────── Layout B: decision appendix (.docx) ─────────────
// A letterhead table first, then the criteria table: no code column (codes
// lead the title), Arabic areas, a merged "guide and TLKC" column, gridSpan
// and vMerge, a criterion scored on its own, a total row.

fn tc(text: &str, props: &str) -> String {
    let paras: String = text
        .split('\n')
        .map(|p| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                p.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn docx(tables: &[String]) -> Vec<u8> {
    let body: String = tables
        .iter()
        .map(|t| format!("<w:p><w:r><w:t>Phụ lục</w:t></w:r></w:p><w:tbl>{t}</w:tbl>"))
        .collect();
    docx_body(&body)
}

/// A Word file whose body is `body` (paragraphs and tables).
fn docx_body(body: &str) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        ("word/document.xml", &doc),
    ])
}

pub fn docx_layout_b() -> Vec<u8> {
    let letterhead = tr(&[
        tc("UBND TỈNH BẾN TRE", ""),
        tc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ""),
    ]);
    let span3 = "<w:gridSpan w:val=\"2\"/>";
    let rows = [
        tr(&[
            tc("Tiêu chí, tiêu chí thành phần", ""),
            tc("Điểm chuẩn", ""),
            tc("Hướng dẫn chấm điểm và tài liệu kiểm chứng", ""),
        ]),
        tr(&[tc("1. Công tác chỉ đạo, điều hành", ""), tc("4", span3)]),
        tr(&[tc("1.1. Kế hoạch CCHC năm", ""), tc("2", ""), tc("", "")]),
        tr(&[
            tc("1.1.1. Ban hành kế hoạch", ""),
            tc("1", ""),
            tc(
                "- Ban hành trước ngày 05/12: 1 điểm\n- TLKC: Kế hoạch CCHC năm có chữ ký số",
                "<w:vMerge w:val=\"restart\"/>",
            ),
        ]),
        tr(&[
            tc("1.1.2. Tổ chức thực hiện kế hoạch", ""),
            tc("1", ""),
            tc("", "<w:vMerge/>"),
        ]),
        tr(&[tc("", ""), tc("", ""), tc("", "")]),
        tr(&[
            tc("1.2. Kiểm tra công tác CCHC", ""),
            tc("2", ""),
            tc(
                "Quyết định ban hành Kế hoạch kiểm tra; Báo cáo kết quả kiểm tra trước ngày 31/12",
                "",
            ),
        ]),
        tr(&[
            tc("2. Cải cách thủ tục hành chính", ""),
            tc("3", ""),
            tc("", ""),
        ]),
        tr(&[
            tc("2.1. Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", ""),
            tc("3", ""),
            tc("Số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh", ""),
        ]),
        tr(&[tc("Tổng cộng", ""), tc("7", ""), tc("", "")]),
    ];
    docx(&[letterhead, rows.concat()])
}

#[test]
fn docx_layout_b_every_row() {
    let set = import(&docx_layout_b(), Kind::Docx, None).unwrap();
    assert_eq!(set.table, "table 2");
    same_tree(
        tree(&set),
        want(&[
            ("1", Area, "Công tác chỉ", 4.0),
            ("1.1", Criterion, "Kế hoạch CCHC", 2.0),
            ("1.1.1", Sub, "Ban hành kế", 1.0),
            ("1.1.2", Sub, "Tổ chức thực", 1.0),
            ("1.2", Criterion, "Kiểm tra công", 2.0),
            ("2", Area, "Cải cách thủ", 3.0),
            ("2.1", Criterion, "Tỷ lệ hồ sơ", 3.0),
        ]),
    );
    assert!(set.mismatches.is_empty(), "{:?}", set.mismatches);
    let node = |id: &str| set.nodes.iter().find(|n| n.id == id).unwrap();
    for id in ["1.1.1", "1.1.2"] {
        let r = &node(id).draft.as_ref().unwrap().reqs;
        assert_eq!(r.len(), 1, "{id}: {r:?}");
        assert_eq!(r[0].types, vec!["KH"]);
        assert_eq!(r[0].signature, Some(tlkc::rules::SignatureRule::Required));
        assert!(matches!(
            r[0].deadline,
            Some(tlkc::rules::import::DraftDeadline::Fixed {
                day: 4,
                month: 12,
                year_offset: 0,
                ..
            })
        ));
    }
    // "Quyết định ban hành Kế hoạch …" is one document, the decision.
    let types: Vec<_> = node("1.2")
        .draft
        .as_ref()
        .unwrap()
        .reqs
        .iter()
        .map(|r| r.types.clone())
        .collect();
    assert_eq!(types, vec![vec!["QĐ"], vec!["BC"]]);
    assert!(node("2.1").draft.as_ref().unwrap().system.is_some());
}

// ───────────── Layout C: LibreOffice sheet (.ods) whose points do not add up ─────────────

fn ods_cell(v: &str) -> String {
    if v.is_empty() {
        return "<table:table-cell/>".into();
    }
    match v.parse::<f64>() {
        Ok(n) => format!("<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{v}</text:p></table:table-cell>"),
        Err(_) => format!("<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"),
    }
}

pub fn ods_layout_c() -> Vec<u8> {
    let rows: &[&[&str]] = &[
        &["BẢNG ĐIỂM CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH"],
        &[],
        &["TT", "Nội dung", "Thang điểm", "TLKC"],
        &["1", "CÔNG TÁC CHỈ ĐẠO", "5", ""],
        &["1.1", "Kế hoạch CCHC", "2", ""],
        &["1.1.1", "Ban hành kế hoạch", "1", "Kế hoạch CCHC năm"],
        &[
            "1.1.2",
            "Triển khai kế hoạch",
            "0,5",
            "Báo cáo kết quả thực hiện kế hoạch",
        ],
        &[
            "1.2",
            "Tuyên truyền CCHC",
            "2",
            "Kế hoạch tuyên truyền; Báo cáo kết quả",
        ],
        &["2", "CẢI CÁCH TỔ CHỨC BỘ MÁY", "3", ""],
        &[
            "2.1",
            "Sắp xếp tổ chức",
            "3",
            "Quyết định kiện toàn tổ chức",
        ],
        &["", "Tổng cộng", "10", ""],
    ];
    let mut body = String::new();
    for r in rows {
        body.push_str("<table:table-row>");
        if r.len() == 1 {
            // A title spread over four columns.
            body.push_str(&format!(
                "<table:table-cell table:number-columns-spanned=\"4\" office:value-type=\"string\"><text:p>{}</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated=\"3\"/>",
                r[0]
            ));
        } else if r.is_empty() {
            body.push_str("<table:table-cell table:number-columns-repeated=\"4\"/>");
        } else {
            for v in *r {
                body.push_str(&ods_cell(v));
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Bảng điểm">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", &content),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
    ])
}

#[test]
fn ods_layout_c_names_every_mismatch() {
    let set = import(&ods_layout_c(), Kind::Ods, None).unwrap();
    same_tree(
        tree(&set),
        want(&[
            ("1", Area, "CÔNG TÁC CHỈ", 5.0),
            ("1.1", Criterion, "Kế hoạch CCHC", 2.0),
            ("1.1.1", Sub, "Ban hành kế", 1.0),
            ("1.1.2", Sub, "Triển khai kế", 0.5),
            ("1.2", Criterion, "Tuyên truyền", 2.0),
            ("2", Area, "CẢI CÁCH TỔ", 3.0),
            ("2.1", Criterion, "Sắp xếp tổ", 3.0),
        ]),
    );
    let m: Vec<(String, usize, f64, f64)> = set
        .mismatches
        .iter()
        .map(|m| (m.id.clone(), m.row, m.stated, m.sum))
        .collect();
    assert_eq!(
        m,
        vec![
            ("1".into(), 4, 5.0, 4.0),
            ("1.1".into(), 5, 2.0, 1.5),
            ("total".into(), 11, 10.0, 8.0),
        ]
    );
}

// ───────────── Layout D: CSV as Vietnamese Excel saves it ─────────────

const CSV_D: &str = "Mã;Tiêu chí;Điểm tối đa;Tài liệu kiểm chứng;Cách chấm\n\
1;Công tác chỉ đạo;1,5;;\n\
1.1;Báo cáo CCHC;1,5;;\n\
1.1.1;Báo cáo quý;0,5;Báo cáo CCHC quý gửi trước ngày 15 của tháng cuối quý;Đủ, đúng hạn: 0,5\n\
1.1.2;Báo cáo năm;1;\"Báo cáo CCHC năm; Công văn gửi Sở Nội vụ\";\n";

/// Windows-1258 has â ê ô ă ơ ư đ precomposed and writes the five tones as
/// combining marks after them.
fn to_1258(s: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let tone = |m: char| -> Option<u8> {
        Some(match m {
            '\u{0300}' => 0xCC,
            '\u{0301}' => 0xEC,
            '\u{0303}' => 0xDE,
            '\u{0309}' => 0xD2,
            '\u{0323}' => 0xF2,
            _ => return None,
        })
    };
    let mut out = Vec::new();
    for c in s.nfc() {
        let tones: Vec<u8> = std::iter::once(c).nfd().filter_map(tone).collect();
        let base: String = std::iter::once(c)
            .nfd()
            .filter(|m| tone(*m).is_none())
            .nfc()
            .collect();
        let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&base);
        assert!(!bad, "{c:?}");
        out.extend_from_slice(&bytes);
        out.extend(tones);
    }
    out
}

fn csv_d_tree() -> Vec<(String, Level, String, Option<f64>)> {
    want(&[
        ("1", Area, "Công tác chỉ", 1.5),
        ("1.1", Criterion, "Báo cáo CCHC", 1.5),
        ("1.1.1", Sub, "Báo cáo quý", 0.5),
        ("1.1.2", Sub, "Báo cáo năm", 1.0),
    ])
}

#[test]
fn csv_in_utf8_utf16_and_windows_1258() {
    let utf8 = import(CSV_D.as_bytes(), Kind::Csv, None).unwrap();
    same_tree(tree(&utf8), csv_d_tree());
    let d = utf8.nodes[3].draft.as_ref().unwrap();
    let types: Vec<_> = d.reqs.iter().map(|r| r.types.clone()).collect();
    assert_eq!(types, vec![vec!["BC"], vec!["CV"]]);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in CSV_D.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let set = import(&utf16, Kind::Csv, None).unwrap();
    assert_eq!(set.encoding, Some("UTF-16LE"));
    same_tree(tree(&set), csv_d_tree());
    let set = import(&to_1258(CSV_D), Kind::Csv, None).unwrap();
    assert_eq!(set.encoding, Some("windows-1258"));
    same_tree(tree(&set), csv_d_tree());
}

// ───────────── Layout E: tab-separated, codes inside the title, Roman areas ─────────────
// No code column ("Tiêu chí thành phần 1.1.1 …", "TC 2.1 …"), Roman areas with
// global criterion codes, a separate "Cách chấm" column, a "1 2 3 4"
// numbering row, a fourth-level line, bulleted deductions under "IX. ĐIỂM TRỪ".

const CSV_E: &str = "BỘ CHỈ SỐ CCHC CẤP XÃ NĂM 2024\n\
\t\t\t\n\
Nội dung đánh giá\tĐiểm tối đa\tTài liệu kiểm chứng\tCách chấm\n\
1\t2\t3\t4\n\
I. CÔNG TÁC CHỈ ĐẠO\t2\t\t\n\
Tiêu chí 1.1 Kế hoạch CCHC\t2\t\t\n\
Tiêu chí thành phần 1.1.1 Ban hành kế hoạch\t1\tKế hoạch CCHC năm\tBan hành trước ngày 31/12 năm trước: 1 điểm\n\
1.1.1.1 Ban hành đúng hạn\t0,5\t\t\n\
Tiêu chí thành phần 1.1.2 Báo cáo kết quả\t1\tBáo cáo kết quả thực hiện kế hoạch 6 tháng, năm\t\n\
II. CẢI CÁCH THỂ CHẾ\t1\t\t\n\
TC 2.1 Tự kiểm tra văn bản\t1\tKế hoạch kiểm tra; Biên bản kiểm tra\t\n\
IX. ĐIỂM TRỪ\t\t\t\n\
- Chậm báo cáo theo yêu cầu\t-0,5\t\t\n\
- Bị cơ quan có thẩm quyền phê bình\t-1\tCông văn phê bình\t\n\
Tổng số điểm\t3\t\t\n";

#[test]
fn csv_layout_e_every_row() {
    let set = import(CSV_E.as_bytes(), Kind::Csv, None).unwrap();
    same_tree(
        tree(&set),
        want(&[
            ("1", Area, "CÔNG TÁC CHỈ ĐẠO", 2.0),
            ("1.1", Criterion, "Kế hoạch CCHC", 2.0),
            ("1.1.1", Sub, "Ban hành kế hoạch", 1.0),
            ("1.1.2", Sub, "Báo cáo kết quả", 1.0),
            ("2", Area, "CẢI CÁCH THỂ CHẾ", 1.0),
            ("2.1", Criterion, "Tự kiểm tra văn bản", 1.0),
            ("DT.1", Deduction, "Chậm báo cáo", 0.5),
            ("DT.2", Deduction, "Bị cơ quan", 1.0),
        ]),
    );
    assert!(set.mismatches.is_empty(), "{:?}", set.mismatches);
    assert_eq!(set.total, Some((15, 3.0)));
    assert!(
        set.notes
            .iter()
            .any(|n| n.row == 8 && n.text.contains("fourth level")),
        "{:?}",
        set.notes
    );
    let node = |id: &str| set.nodes.iter().find(|n| n.id == id).unwrap();
    let kh = &node("1.1.1").draft.as_ref().unwrap().reqs;
    assert_eq!(kh.len(), 1);
    assert_eq!(kh[0].types, vec!["KH"]);
    // The deadline sits in the guide column: 31/12 of the year before, exclusive.
    assert!(matches!(
        kh[0].deadline,
        Some(tlkc::rules::import::DraftDeadline::Fixed {
            day: 30,
            month: 12,
            year_offset: -1,
            ..
        })
    ));
    let bc = &node("1.1.2").draft.as_ref().unwrap().reqs;
    assert_eq!(
        bc.len(),
        1,
        "the plan in the report's title is no document: {bc:?}"
    );
    let types: Vec<_> = node("2.1")
        .draft
        .as_ref()
        .unwrap()
        .reqs
        .iter()
        .map(|r| r.types.clone())
        .collect();
    assert_eq!(types, vec![vec!["KH"], vec!["BB"]]);
    assert_eq!(
        node("DT.2").draft.as_ref().unwrap().reqs[0].types,
        vec!["CV"]
    );
}

// ───────────── Round trip through the CLI ─────────────

/// A dangling symbolic link at OUTPUT (say, to an evidence file that does
/// not exist yet) is replaced by the draft, never written through: nothing
/// appears at the link's target.
#[cfg(unix)]
#[test]
fn import_output_never_writes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bang.xlsx"), xlsx_layout_a()).unwrap();
    let target = dir.path().join("evidence.pdf");
    std::os::unix::fs::symlink(&target, dir.path().join("rules.toml")).unwrap();
    let o = tlkc(
        &[
            "rules",
            "import",
            "bang.xlsx",
            "--id",
            "x",
            "--title",
            "x",
            "--year",
            "2024",
            "--output",
            "rules.toml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!target.exists(), "the draft went through the link");
    let meta = std::fs::symlink_metadata(dir.path().join("rules.toml")).unwrap();
    assert!(meta.is_file(), "the link was not replaced by the draft");
}

#[test]
fn round_trip_import_validate_check_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bang.xlsx"), xlsx_layout_a()).unwrap();
    let o = tlkc(
        &[
            "rules",
            "import",
            "bang.xlsx",
            "--id",
            "tinh-2024-huyen",
            "--title",
            "Tỉnh X 2024",
            "--year",
            "2024",
            "--output",
            "rules.toml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("drafted items"), "{}", text(&o));
    let o = tlkc(
        &[
            "rules",
            "import",
            "bang.xlsx",
            "--id",
            "x",
            "--title",
            "x",
            "--year",
            "2024",
            "--output",
            "rules.toml",
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "an existing output is not overwritten without --force"
    );
    let o = tlkc(&["rules", "validate", "rules.toml"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("still marked inferred"), "{}", text(&o));
    // The JSON view is what check uses: count requirements there.
    let o = tlkc(
        &["rules", "list", "--rules", "rules.toml", "--format", "json"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), layout_a_tree().len());
    let reqs: usize = nodes
        .iter()
        .map(|n| n["requirements"].as_array().unwrap().len())
        .sum();
    assert!(nodes
        .iter()
        .any(|n| n["system"] == true && n["id"] == "1.2.2"));
    assert!(nodes
        .iter()
        .flat_map(|n| n["requirements"].as_array().unwrap())
        .all(|r| r["inferred"] == true && r["source"].is_string()));
    let evidence = dir.path().join("empty");
    std::fs::create_dir(&evidence).unwrap();
    let o = tlkc(
        &[
            "check",
            "empty",
            "--rules",
            "rules.toml",
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
            "--no-progress",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let evd001 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "EVD001")
        .count();
    assert_eq!(evd001, reqs, "one EVD001 per requirement");
}

#[test]
fn cli_prints_each_mismatch_with_row_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bang.ods"), ods_layout_c()).unwrap();
    let o = tlkc(
        &[
            "rules", "import", "bang.ods", "--id", "s", "--title", "S", "--year", "2024", "-o",
            "s.toml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("CHECK 1.1 (row 5): the table states 2 points, its parts add up to 1.5"),
        "{out}"
    );
    assert!(
        out.contains("CHECK 1 (row 4): the table states 5 points, its parts add up to 4"),
        "{out}"
    );
    assert!(out.contains("CHECK total (row 11)"), "{out}");
    // The stated maxima are kept in the draft.
    let toml = std::fs::read_to_string(dir.path().join("s.toml")).unwrap();
    assert!(
        toml.contains("id = \"1.1\"\ntitle = \"Kế hoạch CCHC\"\nmax_points = 2.0"),
        "{toml}"
    );
}

// ───────────── Hostile inputs: a clear error, never a panic or a hang ─────────────

#[test]
fn hostile_inputs_give_clear_errors() {
    // Junk renamed .xlsx / .docx / .ods.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for kind in [Kind::Xlsx, Kind::Docx, Kind::Ods] {
        let e = import(&junk, kind, None).unwrap_err();
        assert!(matches!(e, ImportError::Unreadable(_)), "{kind:?}: {e}");
    }
    // A PDF renamed .csv is not text.
    let e = import(b"%PDF-1.7\n\x00\x01\x02binary", Kind::Csv, None).unwrap_err();
    assert!(e.to_string().contains("not a text file"), "{e}");
    // 10,000 rows.
    let mut big = String::from("STT,Tiêu chí,Điểm tối đa\n");
    for i in 0..10_000 {
        big.push_str(&format!("1.1.{i},Dòng {i},1\n"));
    }
    let e = import(big.as_bytes(), Kind::Csv, None).unwrap_err();
    assert!(matches!(e, ImportError::TooManyRows { .. }), "{e}");
    // No table at all.
    assert!(matches!(
        import("a,b\n1,2\n".as_bytes(), Kind::Csv, None),
        Err(ImportError::NoTable)
    ));
}

#[test]
fn zip_bomb_docx_is_refused_quickly() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_level(Some(1));
        z.start_file("word/document.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..80 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 1 << 20, "the bomb is small: {}", bytes.len());
    let t = std::time::Instant::now();
    let e = import(&bytes, Kind::Docx, None).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge(_)), "{e}");
    assert!(t.elapsed().as_secs() < 30);
}

#[test]
fn far_apart_cells_and_repeated_rows_are_refused_without_allocating() {
    // Two cells at A1 and XFD1048576: a range reader would allocate 17 billion cells.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "STT").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let e = import(&wb.save_to_buffer().unwrap(), Kind::Xlsx, None).unwrap_err();
    assert!(
        matches!(e, ImportError::NoTable),
        "columns past the 64th are ignored: {e}"
    );
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "STT").unwrap();
    ws.write_string(1_048_575, 2, "x").unwrap();
    let e = import(&wb.save_to_buffer().unwrap(), Kind::Xlsx, None).unwrap_err();
    assert!(matches!(e, ImportError::TooTall { .. }), "{e}");
    // A row with content repeated a million times in an .ods.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="200"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content),
    ]);
    let e = import(&ods, Kind::Ods, None).unwrap_err();
    assert!(
        matches!(
            e,
            ImportError::TooManyRows { .. }
                | ImportError::TooTall { .. }
                | ImportError::Budget { .. }
                | ImportError::TooLarge(_)
        ),
        "{e}"
    );
}

#[test]
fn deeply_nested_docx_tables_stay_linear() {
    let depth = 50_000;
    let open = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>".repeat(depth);
    let close = "</w:tc></w:tr></w:tbl>".repeat(depth);
    let doc = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{open}{close}</w:body></w:document>"#
    );
    let t = std::time::Instant::now();
    let r = import(&zip(&[("word/document.xml", &doc)]), Kind::Docx, None);
    assert!(
        matches!(r, Err(ImportError::NoTable | ImportError::Unreadable(_))),
        "{:?}",
        r.map(|s| s.nodes.len())
    );
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn formula_without_a_stored_result_is_named() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "STT").unwrap();
    ws.write_string(0, 1, "Tiêu chí").unwrap();
    ws.write_string(0, 2, "Điểm tối đa").unwrap();
    ws.write_string(1, 0, "1").unwrap();
    ws.write_string(1, 1, "Công tác chỉ đạo").unwrap();
    // Writers that cannot compute (this one, openpyxl) store 0 as the result.
    ws.write_formula(1, 2, Formula::new("=C3+C4")).unwrap();
    ws.write_string(2, 0, "1.1").unwrap();
    ws.write_string(2, 1, "Kế hoạch").unwrap();
    ws.write_number(2, 2, 1.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    match import(&bytes, Kind::Xlsx, None) {
        Err(ImportError::Formula { place }) => assert!(place.ends_with("C2"), "{place}"),
        other => panic!("{:?}", other.map(|s| tree(&s))),
    }
}

// ───────────── extends, and folders the ruleset does not know ─────────────

#[test]
fn extends_replaces_adds_and_removes_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("next.toml"),
        r#"extends = "kon-tum-2022-huyen"
remove = ["1.4"]

[framework]
id = "kon-tum-2023-huyen"
title = "Kon Tum 2023"
year = 2023

[[area]]
id = "1"
title = "Công tác chỉ đạo, điều hành"
max_points = 16

[[area.criterion]]
id = "1.2"
title = "Thực hiện chế độ báo cáo CCHC"
max_points = 0.75

[[area.criterion.sub]]
id = "1.2.9"
title = "Báo cáo chuyên đề mới"
max_points = 0.25

[[area.criterion.sub.document]]
id = "bc"
title = "Báo cáo chuyên đề"
types = ["BC"]
points = 0.25
"#,
    )
    .unwrap();
    let o = tlkc(
        &["rules", "list", "--rules", "next.toml", "--format", "json"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"1.2.1") && ids.contains(&"1.2.9"), "{ids:?}");
    assert!(
        !ids.iter().any(|i| *i == "1.4" || i.starts_with("1.4.")),
        "{ids:?}"
    );
    assert!(ids.contains(&"2.4"), "untouched nodes stay: {ids:?}");
    assert_eq!(v["framework"]["year"], 2023);
    std::fs::write(dir.path().join("bad.toml"), "extends = \"kon-tum-2022-huyen\"\nremove = [\"9.9\"]\n[framework]\nid = \"b\"\ntitle = \"B\"\nyear = 2023\n").unwrap();
    let o = tlkc(&["rules", "validate", "bad.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("bad.toml:2:"), "{}", text(&o));
    assert!(text(&o).contains("9.9"), "{}", text(&o));
    std::fs::write(
        dir.path().join("loop.toml"),
        "extends = \"loop.toml\"\n[framework]\nid = \"l\"\ntitle = \"L\"\nyear = 2023\n",
    )
    .unwrap();
    let o = tlkc(&["rules", "validate", "loop.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("`extends` loops back to"), "{}", text(&o));
}

#[test]
fn folder_outside_the_ruleset_gets_document_checks_and_no_evd003() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("hs");
    std::fs::create_dir_all(ev.join("5.1.1 Kế hoạch")).unwrap();
    std::fs::create_dir_all(ev.join("Khác")).unwrap();
    let pdf = samplegen::build_pdf(&samplegen::fixtures::example_spec())
        .unwrap()
        .into_bytes();
    std::fs::write(ev.join("5.1.1 Kế hoạch/kh.pdf"), &pdf).unwrap();
    std::fs::write(ev.join("5.1.1 Kế hoạch/bc.pdf"), b"%PDF-1.4 broken").unwrap();
    std::fs::write(ev.join("Khác/x.pdf"), &pdf[..pdf.len() / 2]).unwrap();
    let o = tlkc(
        &[
            "check",
            "hs",
            "--as-of",
            "2023-01-15",
            "--format",
            "json",
            "--no-progress",
        ],
        dir.path(),
    );
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    let f = v["findings"].as_array().unwrap();
    let at = |code: &str, prefix: &str| {
        f.iter()
            .filter(|x| x["code"] == code && x["path"].as_str().unwrap_or("").starts_with(prefix))
            .count()
    };
    assert_eq!(at("EVD009", "5.1.1 Kế hoạch"), 1, "{f:#?}");
    assert_eq!(at("EVD003", "5.1.1"), 0);
    assert_eq!(
        at("EVD003", "Khác/"),
        1,
        "a file with no code at all still gets EVD003"
    );
    assert!(
        at("PDF001", "5.1.1 Kế hoạch/bc.pdf") >= 1,
        "document checks still run"
    );
    let info = f.iter().find(|x| x["code"] == "EVD009").unwrap();
    assert_eq!(info["severity"], "info");
}

// ───────────── Table text is data: no injected TOML, no control characters on the terminal ─────────────

/// What an attacker wants the written ruleset to carry: a weak-key policy and their own root.
const PAYLOAD: &str = "\n[algorithm_policy]\nmin_rsa_bits = 512\n[[framework.trusted_root]]\nname = \"Kẻ tấn công\"\nsha256 = \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\n";

/// A workbook written by hand, one sheet: what a crafted file can say and a
/// writer library refuses (a sheet name with line breaks or ESC, a merge of
/// 100,000 rows). `name` and `rows` are XML as written.
fn xlsx_raw(name: &str, rows: &str, merges: &str) -> Vec<u8> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>{merges}</worksheet>"#
    );
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        ("xl/workbook.xml", &workbook),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
}

/// One `<row>` of inline strings (numbers where the text is one).
fn xlsx_row(r: usize, cells: &[&str]) -> String {
    let mut out = format!("<row r=\"{r}\">");
    for (i, v) in cells.iter().enumerate() {
        let col = (b'A' + i as u8) as char;
        if v.is_empty() {
            continue;
        }
        if v.parse::<f64>().is_ok() {
            out.push_str(&format!("<c r=\"{col}{r}\"><v>{v}</v></c>"));
        } else {
            out.push_str(&format!(
                "<c r=\"{col}{r}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                xml_escape(v)
            ));
        }
    }
    out.push_str("</row>");
    out
}

/// A small criteria table whose cells are given; the sheet name as XML.
fn xlsx_table(name_xml: &str, rows: &[[&str; 4]]) -> Vec<u8> {
    let mut xml = xlsx_row(
        1,
        &["STT", "Tiêu chí", "Điểm tối đa", "Tài liệu kiểm chứng"],
    );
    for (i, r) in rows.iter().enumerate() {
        xml.push_str(&xlsx_row(i + 2, r));
    }
    xlsx_raw(name_xml, &xml, "")
}

fn ods_table(name_xml: &str, rows: &[[&str; 4]]) -> Vec<u8> {
    ods_with(name_xml, rows, "")
}

/// An .ods of the criteria `rows` followed by `extra` rows (XML as written).
fn ods_with(name_xml: &str, rows: &[[&str; 4]], extra: &str) -> Vec<u8> {
    let mut body = String::new();
    for r in std::iter::once(&["TT", "Nội dung", "Thang điểm", "TLKC"]).chain(rows) {
        body.push_str("<table:table-row>");
        for v in r {
            body.push_str(&ods_cell(&xml_escape(v)));
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{name_xml}">{body}{extra}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", &content),
    ])
}

/// Import `file` (named `name`) through the CLI; the written ruleset must
/// carry no live table or key from the table's text, validate, and keep
/// `expect` as data; the terminal output must hold no control characters.
#[track_caller]
fn import_is_inert(name: &str, file: &[u8], title: &str, expect: &[&str]) -> String {
    import_is_inert_in("en", name, file, title, expect)
}

/// [`import_is_inert`] with the draft's comments and summary in `lang`.
#[track_caller]
fn import_is_inert_in(lang: &str, name: &str, file: &[u8], title: &str, expect: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), file).unwrap();
    let o = tlkc(
        &[
            "rules", "import", name, "--id", "x-2024", "--title", title, "--year", "2024", "-o",
            "out.toml", "--lang", lang,
        ],
        dir.path(),
    );
    let shown = text(&o);
    assert!(
        !shown.contains(['\u{1b}', '\u{7}', '\r']),
        "control characters reach the terminal: {shown:?}"
    );
    assert!(o.status.code().is_some_and(|c| c <= 1), "{shown}");
    let toml_text = std::fs::read_to_string(dir.path().join("out.toml")).unwrap();
    for line in toml_text.lines() {
        let l = line.trim_start();
        assert!(
            !l.starts_with("[algorithm_policy")
                && !l.starts_with("[[framework.trusted_root")
                && !l.starts_with("min_rsa_bits")
                && !l.starts_with("sha256"),
            "a live line from the table: {line:?}\n{toml_text}"
        );
        assert!(!line.contains(['\u{1b}', '\u{7}']), "{line:?}");
    }
    let t: toml::Table = toml::from_str(&toml_text).unwrap();
    let keys: Vec<&String> = t.keys().collect();
    assert!(
        keys.iter()
            .all(|k| ["framework", "defaults", "area", "deduction"].contains(&k.as_str())),
        "{keys:?}"
    );
    if let Some(d) = t.get("defaults") {
        let d = d.as_table().unwrap();
        assert!(
            d.keys()
                .all(|k| ["signature", "inferred", "source"].contains(&k.as_str())),
            "{toml_text}"
        );
    }
    let fw = t["framework"].as_table().unwrap();
    assert_eq!(
        fw.keys().collect::<Vec<_>>(),
        ["id", "title", "year"],
        "{toml_text}"
    );
    assert_eq!(fw["title"].as_str(), Some(title), "the title is data");
    let o = tlkc(&["rules", "validate", "out.toml"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    // The meaning is the table's: its text is there, as data.
    let o = tlkc(
        &["rules", "list", "--rules", "out.toml", "--format", "json"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let json = String::from_utf8_lossy(&o.stdout).to_string();
    for e in expect {
        assert!(
            toml_text.contains(e) || json.contains(e),
            "{e:?} should be kept as data:\n{toml_text}"
        );
    }
    shown
}

#[test]
fn a_multi_line_points_cell_stays_one_comment_line() {
    // The "Điểm tối đa" cell, quoted and multi-line: not a number, so a NOTE quotes it.
    let csv = format!(
        "STT,Tiêu chí,Điểm tối đa,Tài liệu kiểm chứng\n1,Công tác chỉ đạo,2,\n1.1,Kế hoạch CCHC,\"tối đa{}\",Kế hoạch CCHC năm\n1.2,Báo cáo,1,Báo cáo CCHC năm\n",
        PAYLOAD.replace('"', "\"\"")
    );
    let shown = import_is_inert("bang.csv", csv.as_bytes(), "Tỉnh X 2024", &[]);
    assert!(shown.contains("is not a number"), "{shown}");
}

#[test]
fn a_sheet_name_title_and_file_name_stay_data() {
    let name_xml = xml_escape(&format!("Bảng{PAYLOAD}"));
    let rows = [
        ["1", "Công tác chỉ đạo", "2", ""],
        [
            "1.1",
            &format!("Kế hoạch{PAYLOAD}"),
            "2",
            "Kế hoạch CCHC năm",
        ],
    ];
    // The sheet name reaches the header comment; the title cell a TOML string.
    import_is_inert(
        "bang.xlsx",
        &xlsx_table(&name_xml, &rows),
        "Tỉnh X 2024",
        &["min_rsa_bits = 512"],
    );
    import_is_inert(
        "bang.ods",
        &ods_table(&name_xml, &rows),
        "Tỉnh X 2024",
        &["min_rsa_bits = 512"],
    );
    // --title and the file's own name.
    import_is_inert(
        &format!("bảng{}.xlsx", PAYLOAD.replace(['/', '"'], "")),
        &xlsx_table("S", &rows),
        &format!("Tỉnh X{PAYLOAD}"),
        &[],
    );
}

#[test]
fn a_requirement_sentence_and_a_note_row_stay_data() {
    let table = |ev: &str| {
        docx(&[[
            tr(&[
                tc("STT", ""),
                tc("Tiêu chí", ""),
                tc("Điểm tối đa", ""),
                tc("Tài liệu kiểm chứng", ""),
            ]),
            // A row before any numbered one: a NOTE quotes it.
            tr(&[
                tc("", ""),
                tc(&format!("Chú giải{PAYLOAD}"), ""),
                tc("", ""),
                tc("", ""),
            ]),
            tr(&[
                tc("1", ""),
                tc("Công tác chỉ đạo", ""),
                tc("2", ""),
                tc("", ""),
            ]),
            tr(&[tc("1.1", ""), tc("Kế hoạch", ""), tc("2", ""), tc(ev, "")]),
        ]
        .concat()])
    };
    let shown = import_is_inert(
        "phu-luc.docx",
        &table(&format!("Kế hoạch CCHC năm có chữ ký số{PAYLOAD}")),
        "Tỉnh X 2024",
        &["Kế hoạch CCHC năm"],
    );
    assert!(shown.contains("comes before any numbered row"), "{shown}");
}

/// Issue 23's additions to the draft — the signature default's sentence in
/// `[defaults] source`, the scoring guide in `note`, the Vietnamese comments
/// and summary lines — are table text too: escaped, one line, read back.
#[test]
fn a_signature_rule_a_scoring_guide_and_vietnamese_comments_stay_data() {
    // The rule's sentence is one line (sentences end at a line break), so
    // what it can carry is quotes, backslashes and control characters.
    let rule = "Lưu ý: Tài liệu kiểm chứng là văn bản điện tử có chữ ký số\" inferred = false [algorithm_policy] \\ \u{1b}[2J\u{7}";
    let file = docx_body(&format!(
        "<w:p><w:r><w:t>BỘ TIÊU CHÍ{}</w:t></w:r></w:p><w:p><w:r><w:t>{}</w:t></w:r></w:p><w:tbl>{}</w:tbl>",
        PAYLOAD.replace('<', "&lt;"),
        rule.replace('&', "&amp;").replace('<', "&lt;").replace('\u{1b}', "&#27;").replace('\u{7}', "&#7;"),
        [
            tr(&[
                tc("STT", ""),
                tc("Tiêu chí", ""),
                tc("Điểm tối đa", ""),
                tc("Cách tính điểm", ""),
                tc("Tài liệu kiểm chứng", ""),
            ]),
            tr(&[
                tc("1", ""),
                tc(&format!("Công tác chỉ đạo{PAYLOAD}"), ""),
                tc("2", ""),
                tc("", ""),
                tc("", ""),
            ]),
            tr(&[
                tc("1.1", ""),
                tc("Kế hoạch", ""),
                tc("2", ""),
                tc(&format!("Có Kế hoạch: 2 điểm{PAYLOAD}"), ""),
                tc("Kế hoạch CCHC năm", ""),
            ]),
        ]
        .concat()
    ));
    for lang in ["vi", "en"] {
        let shown = import_is_inert_in(
            lang,
            "phu-luc.docx",
            &file,
            "Tỉnh X 2024",
            &["Kế hoạch CCHC năm", "Có Kế hoạch: 2 điểm"],
        );
        let signed = if lang == "vi" {
            "Chữ ký số mặc định (suy ra, cần rà soát): [defaults] signature = \"required\""
        } else {
            "Signature default (inferred, to review): [defaults] signature = \"required\""
        };
        assert!(shown.contains(signed), "{shown}");
        assert!(
            shown.contains("inferred = false [algorithm_policy]"),
            "the sentence is shown, on its line: {shown}"
        );
    }
    // The data read back: the sentence and the guide whole, the default applied.
    let set = import(&file, Kind::Docx, None).unwrap();
    let sig = set.signature.as_ref().unwrap();
    assert!(sig.source.as_ref().unwrap().contains("\" inferred = false"));
    for lang in [Lang::Vi, Lang::En] {
        let meta = Meta {
            id: "x".into(),
            title: "X".into(),
            year: 2024,
            source: "phu-luc\n[algorithm_policy]".into(),
            lang,
        };
        let text = to_toml(&set, &meta).unwrap();
        let t: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(
            t["defaults"]["source"].as_str(),
            sig.source.as_deref(),
            "{text}"
        );
        let sub = &t["area"][0]["criterion"][0];
        assert_eq!(
            sub["note"].as_str(),
            Some(format!("Có Kế hoạch: 2 điểm{}", PAYLOAD.trim_end()).as_str()),
            "{text}"
        );
        let r = tlkc::rules::load_str(&text, "x.toml").unwrap();
        assert_eq!(r.defaults.signature, Some(SignatureRule::Required));
    }
}

#[test]
fn esc_and_bel_in_a_sheet_name_never_reach_the_terminal() {
    let rows = [
        ["1", "Công tác chỉ đạo", "2", ""],
        ["1.1", "Kế hoạch", "2", "Kế hoạch CCHC năm"],
    ];
    // Raw control bytes and character references, as a crafted file has them.
    for name in ["S\u{1b}[2J\u{1b}]0;owned\u{7}x", "S&#27;[31m&#7;x"] {
        let shown = import_is_inert("b.xlsx", &xlsx_table(name, &rows), "T", &[]);
        assert!(shown.contains("Table: S"), "{shown}");
        let shown = import_is_inert("b.ods", &ods_table(name, &rows), "T", &[]);
        assert!(shown.contains("Table: S"), "{shown}");
    }
    // An error that names sheets strips them too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.xlsx"),
        xlsx_table("S\u{1b}[2J\u{7}", &rows),
    )
    .unwrap();
    let o = tlkc(
        &[
            "rules", "import", "b.xlsx", "--id", "x", "--title", "x", "--year", "2024", "--sheet",
            "none", "-o", "o.toml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no sheet named"), "{}", text(&o));
    assert!(!text(&o).contains(['\u{1b}', '\u{7}']), "{:?}", text(&o));
    assert!(!dir.path().join("o.toml").exists());
}

// ───────────── Import bombs: small files that expand; one budget refuses them ─────────────
// bench/import_bombs.sh writes these with `write_import_bombs` and measures the
// real `tlkc rules import` on each (peak memory, time); docs/rules.md has the numbers.

/// Vietnamese text of `chars` characters, as a long TLKC cell has it.
fn long_text(chars: usize) -> String {
    "Tài liệu kiểm chứng: kế hoạch, báo cáo, quyết định có chữ ký số. "
        .chars()
        .cycle()
        .take(chars)
        .collect()
}

fn zip_deflate(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_level(Some(9));
        for (name, body) in files {
            z.start_file(*name, opts).unwrap();
            z.write_all(body).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A .docx whose TLKC cell (`cell_chars` characters) starts a vertical merge
/// that `rows` rows continue: a fill that re-copies the merge on every row is
/// quadratic, one that copies each covered cell once is linear but still
/// `rows × cell_chars`. The TLKC column comes first, so a covered row is 54
/// bytes of XML that deflate packs about 290 to 1.
pub fn bomb_docx_vmerge(rows: usize, cell_chars: usize) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>"#,
    );
    xml.push_str(&tr(&[
        tc("Tài liệu kiểm chứng", ""),
        tc("STT", ""),
        tc("Tiêu chí", ""),
        tc("Điểm tối đa", ""),
    ]));
    xml.push_str(&tr(&[
        tc(&long_text(cell_chars), "<w:vMerge w:val=\"restart\"/>"),
        tc("1", ""),
        tc("Công tác chỉ đạo", ""),
        tc("1", ""),
    ]));
    xml.push_str(&"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc></w:tr>".repeat(rows));
    xml.push_str("</w:tbl></w:body></w:document>");
    zip_deflate(&[("word/document.xml", xml.as_bytes())])
}

/// A .xlsx whose merged range copies a 20,000-character cell down 100,000 rows.
pub fn bomb_xlsx_merge() -> Vec<u8> {
    let mut rows = xlsx_row(
        1,
        &["STT", "Tiêu chí", "Điểm tối đa", "Tài liệu kiểm chứng"],
    );
    rows.push_str(&xlsx_row(
        2,
        &["1", "Công tác chỉ đạo", "1", &long_text(20_000)],
    ));
    rows.push_str(&xlsx_row(100_000, &["x"]));
    xlsx_raw(
        "S",
        &rows,
        r#"<mergeCells count="1"><mergeCell ref="D2:D100000"/></mergeCells>"#,
    )
}

/// An .ods of a few hundred bytes whose rows and cells are repeated: each row
/// element stands for 1,000 rows of 256 filled cells (within the old per-row
/// limits), 400 of them.
pub fn bomb_ods_repeats() -> Vec<u8> {
    let row = r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="string" table:number-columns-repeated="256"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">{}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        row.repeat(400)
    );
    zip_deflate(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
        (
            "META-INF/manifest.xml",
            br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#,
        ),
    ])
}

/// 32 MB of line breaks (just under the 32 MiB input limit).
pub fn bomb_csv_newlines() -> Vec<u8> {
    vec![b'\n'; 32_000_000]
}

/// The bombs as the report names them: (file name, bytes).
pub fn import_bombs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("vmerge-4k.docx", bomb_docx_vmerge(25_000, 20_000)),
        ("vmerge-142k.docx", bomb_docx_vmerge(900_000, 20_000)),
        ("merge.xlsx", bomb_xlsx_merge()),
        ("repeats.ods", bomb_ods_repeats()),
        ("newlines.csv", bomb_csv_newlines()),
        ("units-merged.docx", bomb_docx_units_merged()),
    ]
}

#[track_caller]
fn refused_by_a_limit(name: &str, bytes: &[u8]) -> ImportError {
    let kind = Kind::from_path(Path::new(name)).unwrap();
    match import(bytes, kind, None) {
        Err(
            e @ (ImportError::Budget { .. }
            | ImportError::TooTall { .. }
            | ImportError::TooManyRows { .. }),
        ) => {
            let en = e.message(tlkc::findings::Lang::En);
            let vi = e.message(tlkc::findings::Lang::Vi);
            assert!(en.contains("more than"), "{en}");
            assert!(vi.contains("hơn"), "{vi}");
            e
        }
        other => panic!("{name}: {:?}", other.map(|s| s.nodes.len())),
    }
}

#[test]
fn import_bombs_are_refused_by_the_budget_before_they_expand() {
    let bombs = import_bombs();
    let size = |n: &str| bombs.iter().find(|(b, _)| *b == n).unwrap().1.len();
    // The files are as small as the attacks that found them.
    assert!(size("vmerge-4k.docx") < 5_000, "{}", size("vmerge-4k.docx"));
    assert!(
        size("vmerge-142k.docx") < 150_000,
        "{}",
        size("vmerge-142k.docx")
    );
    assert!(size("merge.xlsx") < 8_000, "{}", size("merge.xlsx"));
    assert!(size("repeats.ods") < 1_500, "{}", size("repeats.ods"));
    for (name, bytes) in &bombs {
        let e = refused_by_a_limit(name, bytes);
        match *name {
            // 60,000 copies of a 20,000-character cell: the budget, not the row count.
            "vmerge-4k.docx" | "vmerge-142k.docx" | "merge.xlsx" => {
                assert!(
                    matches!(e, ImportError::Budget { limit_mb: 64 }),
                    "{name}: {e}"
                )
            }
            _ => {}
        }
    }
}

#[test]
fn a_linear_merge_fill_keeps_a_table_with_long_merged_text() {
    // 2,000 covered rows of a 1,000-character cell: 2 MB of copies, within the
    // budget; each covered cell is filled (with the same text) exactly once.
    let bytes = bomb_docx_vmerge(2_000, 1_000);
    let set = import(&bytes, Kind::Docx, None).unwrap();
    assert_eq!(set.nodes.len(), 1);
    assert_eq!(set.nodes[0].evidence, long_text(1_000).trim());
    // Blank lines are rows too: 200,000 of them are refused as they are read.
    let e = refused_by_a_limit("x.csv", &vec![b'\n'; 200_000]);
    assert!(matches!(e, ImportError::TooTall { limit: 100_000 }), "{e}");
}

#[test]
fn ods_repeats_of_blank_rows_and_far_columns_are_counted_not_made() {
    // LibreOffice pads a sheet with a million blank rows and 16,000 blank
    // columns: counted, never made; a filled cell repeated far right keeps 64 columns.
    let rows: &[[&str; 4]] = &[
        ["1", "Công tác chỉ đạo", "2", ""],
        ["1.1", "Kế hoạch", "2", "Kế hoạch CCHC năm"],
    ];
    let pad = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
    let wide = r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="1000000000"><text:p>y</text:p></table:table-cell></table:table-row>"#;
    let with = |extra: &str| ods_with("S", rows, extra);
    let set = import(&with(pad), Kind::Ods, None).unwrap();
    assert_eq!(set.nodes.len(), 2);
    // A filled row after the padding is 1,048,000 rows down: refused, not allocated.
    let e = import(&with(&format!("{pad}{wide}")), Kind::Ods, None).unwrap_err();
    assert!(matches!(e, ImportError::TooTall { .. }), "{e}");
    // A filled cell repeated a billion times across: 64 columns kept.
    let set = import(&with(wide), Kind::Ods, None).unwrap();
    assert_eq!(set.nodes.len(), 2);
}

/// Writes the bombs into `$TLKC_BOMB_DIR` for bench/import_bombs.sh.
#[test]
#[ignore = "a generator for bench/import_bombs.sh, not a check"]
fn write_import_bombs() {
    let dir = std::env::var_os("TLKC_BOMB_DIR").expect("TLKC_BOMB_DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in import_bombs() {
        std::fs::write(dir.join(name), &bytes).unwrap();
        assert_eq!(
            std::fs::metadata(dir.join(name)).unwrap().len(),
            bytes.len() as u64
        );
    }
}

/// 1,500 numbered units under one vertically merged 20,000-character TLKC cell.
pub fn bomb_docx_units_merged() -> Vec<u8> {
    docx_units(1_500, &|i| {
        if i == 1 {
            (long_text(20_000), "<w:vMerge w:val=\"restart\"/>".into())
        } else {
            (String::new(), "<w:vMerge/>".into())
        }
    })
}

/// A criteria table in Word: header, one area, then `units` numbered units whose
/// TLKC cell is `evidence(i)` (with its `w:tcPr` content).
fn docx_units(units: usize, evidence: &dyn Fn(usize) -> (String, String)) -> Vec<u8> {
    let mut rows = vec![
        tr(&[
            tc("STT", ""),
            tc("Tiêu chí", ""),
            tc("Điểm tối đa", ""),
            tc("Tài liệu kiểm chứng", ""),
        ]),
        tr(&[
            tc("1", ""),
            tc("Công tác chỉ đạo", ""),
            tc("100", ""),
            tc("", ""),
        ]),
    ];
    for i in 1..=units {
        let (text, props) = evidence(i);
        rows.push(tr(&[
            tc(&format!("1.{i}"), ""),
            tc(&format!("Tiêu chí {i}"), ""),
            tc("0,01", ""),
            tc(&text, &props),
        ]));
    }
    docx(&[rows.concat()])
}

#[test]
fn drafted_text_copied_into_every_unit_is_paid_for() {
    // 1,500 units under one merged 20,000-character TLKC cell: each drafts
    // requirements quoting it. Before: past 60 s and 5.8 GB.
    let e = refused_by_a_limit("merged.docx", &bomb_docx_units_merged());
    assert!(matches!(e, ImportError::Budget { .. }), "{e}");
    // One 20,000-character sentence naming a document every ten characters:
    // 2,000 requirements each quoting all of it, in each of 300 units.
    let naming = docx_units(300, &|_| {
        (
            "kế hoạch, báo cáo, "
                .repeat(1_100)
                .chars()
                .take(20_000)
                .collect(),
            String::new(),
        )
    });
    let e = refused_by_a_limit("naming.docx", &naming);
    assert!(matches!(e, ImportError::Budget { .. }), "{e}");
    // A single long TLKC cell still imports; the reviewer is told only its start was read.
    let one = docx_units(1, &|_| {
        (
            "Báo cáo CCHC năm gửi Sở Nội vụ. ".repeat(700),
            String::new(),
        )
    });
    let set = import(&one, Kind::Docx, None).unwrap();
    assert!(
        set.notes
            .iter()
            .any(|n| n.text.contains("longer than 16 KB")),
        "{:?}",
        set.notes
    );
    let reqs = &set.nodes[1].draft.as_ref().unwrap().reqs;
    assert!(!reqs.is_empty() && reqs.iter().all(|r| r.types == ["BC"]));
}

// ───────────── Issue 23: a commune table for 2026, read as a person reads it ─────────────
// Title rows with the province's signature rule in a note under the title, a
// two-row merged header, Roman areas with criteria numbered inside them, a
// criterion scored alone, system data, a deduction row, a total. The TLKC
// wording carries the traps of issue 23: "quy chế" ≠ "quý", a ";" clause that
// qualifies the report, "(hoặc Công văn …)", "hằng quý", "hằng tháng".

pub fn xlsx_commune_2026() -> Vec<u8> {
    let mut wb = Workbook::new();
    let plain = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phụ lục").unwrap();
    ws.merge_range(0, 0, 0, 5, "ỦY BAN NHÂN DÂN TỈNH", &plain)
        .unwrap();
    ws.merge_range(
        1,
        0,
        1,
        5,
        "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2026",
        &plain,
    )
    .unwrap();
    ws.merge_range(
        2,
        0,
        2,
        5,
        "(Kèm theo Quyết định số 12/QĐ-UBND ngày 15/01/2026 của UBND tỉnh)",
        &plain,
    )
    .unwrap();
    ws.merge_range(
        3,
        0,
        3,
        5,
        "Ghi chú: Tài liệu kiểm chứng phải là văn bản điện tử có chữ ký số theo quy định; bản giấy scan không được chấm điểm.",
        &plain,
    )
    .unwrap();
    ws.merge_range(5, 0, 6, 0, "STT", &plain).unwrap();
    ws.merge_range(
        5,
        1,
        6,
        1,
        "Lĩnh vực, tiêu chí, tiêu chí thành phần",
        &plain,
    )
    .unwrap();
    ws.merge_range(5, 2, 5, 3, "Điểm", &plain).unwrap();
    ws.write_string(6, 2, "Tối đa").unwrap();
    ws.write_string(6, 3, "Tự chấm").unwrap();
    ws.merge_range(5, 4, 6, 4, "Tài liệu kiểm chứng", &plain)
        .unwrap();
    ws.merge_range(5, 5, 6, 5, "Cách tính điểm", &plain)
        .unwrap();
    let rows: &[(&str, &str, &str, &str, &str)] = &[
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "6", "", ""),
        ("1", "Kế hoạch CCHC", "2", "", ""),
        ("1.1", "Ban hành kế hoạch CCHC năm", "1",
         "Kế hoạch CCHC năm 2026 của UBND xã ban hành trước ngày 15/12 năm trước",
         "Ban hành đúng thời hạn: 1 điểm; chậm: 0 điểm"),
        ("1.2", "Mức độ hoàn thành kế hoạch", "1",
         "Báo cáo kết quả thực hiện Kế hoạch CCHC năm",
         "Hoàn thành 100% nhiệm vụ: 1 điểm"),
        ("2", "Báo cáo CCHC", "2", "", ""),
        ("2.1", "Thực hiện chế độ báo cáo định kỳ", "1",
         "Báo cáo CCHC quý I, 6 tháng, quý III và năm; gửi Sở Nội vụ chậm nhất ngày 14 của tháng cuối kỳ báo cáo",
         "Đủ, đúng hạn: 1 điểm; chậm 01 báo cáo: 0 điểm"),
        ("2.2", "Báo cáo chuyên đề", "0,5",
         "Báo cáo chuyên đề (hoặc Công văn gửi Sở Nội vụ)", ""),
        ("2.3", "Báo cáo tình hình thực hiện nhiệm vụ", "0,5",
         "Báo cáo tình hình thực hiện nhiệm vụ CCHC hằng quý", ""),
        ("3", "Kiểm tra CCHC", "2", "", ""),
        ("3.1", "Ban hành kế hoạch tự kiểm tra", "1",
         "Kế hoạch tự kiểm tra công tác CCHC ban hành trong quý I", ""),
        ("3.2", "Xử lý vấn đề phát hiện qua kiểm tra", "1",
         "Thông báo kết luận kiểm tra; văn bản chỉ đạo khắc phục", ""),
        ("II", "CẢI CÁCH THỂ CHẾ", "3", "", ""),
        ("1", "Quy chế làm việc, quy chế phối hợp", "1,5", "", ""),
        ("1.1", "Ban hành quy chế làm việc", "1",
         "Quyết định ban hành quy chế làm việc của UBND xã", ""),
        ("1.2", "Ban hành quy chế phối hợp", "0,5",
         "Quyết định ban hành quy chế phối hợp với Ủy ban Mặt trận Tổ quốc", ""),
        ("2", "Kiểm tra, rà soát văn bản QPPL", "1,5",
         "Kế hoạch kiểm tra, rà soát văn bản QPPL; Báo cáo kết quả kiểm tra, rà soát",
         "Có đủ: 1,5 điểm"),
        ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "3", "", ""),
        ("1", "Công khai TTHC đúng quy định", "1",
         "Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh", ""),
        ("2", "Rà soát, đánh giá TTHC", "2", "", ""),
        ("2.1", "Kế hoạch rà soát", "1", "Kế hoạch rà soát, đánh giá TTHC năm", ""),
        ("2.2", "Báo cáo kết quả rà soát", "1",
         "Báo cáo kết quả rà soát, đánh giá TTHC gửi trước ngày 15/11", ""),
        ("IV", "XÂY DỰNG CHÍNH QUYỀN SỐ", "2", "", ""),
        ("1", "Báo cáo ứng dụng CNTT, chuyển đổi số", "2",
         "Báo cáo ứng dụng CNTT, chuyển đổi số hằng tháng gửi trước ngày 20 hằng tháng", ""),
        ("B", "ĐIỂM TRỪ", "", "", ""),
        ("-", "Chậm báo cáo theo yêu cầu của cấp trên", "-0,5",
         "Công văn phê bình của cơ quan có thẩm quyền", ""),
        ("", "Tổng cộng", "14", "", ""),
    ];
    for (i, (code, title, max, tlkc, guide)) in rows.iter().enumerate() {
        let at = 7 + i as u32;
        ws.write_string(at, 0, *code).unwrap();
        ws.write_string(at, 1, *title).unwrap();
        ws.write_string(at, 2, *max).unwrap();
        if !tlkc.is_empty() {
            ws.write_string(at, 4, *tlkc).unwrap();
        }
        if !guide.is_empty() {
            ws.write_string(at, 5, *guide).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

type Expect = (
    &'static str,
    Vec<(Vec<&'static str>, Vec<Period>, Option<DraftDeadline>)>,
);

/// Each scored unit's requirements: (types, periods, deadline); None = system data.
fn commune_expect() -> Vec<(&'static str, Option<Expect>)> {
    use Period::*;
    let fixed = |day, month, year_offset| {
        Some(DraftDeadline::Fixed {
            day,
            month,
            year: None,
            year_offset,
        })
    };
    let e = |id: &'static str,
             reqs: Vec<(Vec<&'static str>, Vec<Period>, Option<DraftDeadline>)>| {
        (id, Some((id, reqs)))
    };
    vec![
        e("1.1.1", vec![(vec!["KH"], vec![], fixed(14, 12, -1))]),
        e("1.1.2", vec![(vec!["BC"], vec![], None)]),
        e(
            "1.2.1",
            vec![(
                vec!["BC"],
                vec![Q1, H1, Q3, Y],
                Some(DraftDeadline::PeriodDay(14)),
            )],
        ),
        e("1.2.2", vec![(vec!["BC", "CV"], vec![], None)]),
        e("1.2.3", vec![(vec!["BC"], vec![Q1, Q2, Q3, Q4], None)]),
        e("1.3.1", vec![(vec!["KH"], vec![], fixed(31, 3, 0))]),
        e(
            "1.3.2",
            vec![(vec!["TB"], vec![], None), (vec![], vec![], None)],
        ),
        e("2.1.1", vec![(vec!["QĐ"], vec![], None)]),
        e("2.1.2", vec![(vec!["QĐ"], vec![], None)]),
        e(
            "2.2",
            vec![(vec!["KH"], vec![], None), (vec!["BC"], vec![], None)],
        ),
        ("3.1", None),
        e("3.2.1", vec![(vec!["KH"], vec![], None)]),
        e("3.2.2", vec![(vec!["BC"], vec![], fixed(14, 11, 0))]),
        e(
            "4.1",
            vec![(
                vec!["BC"],
                Period::MONTHS.to_vec(),
                Some(DraftDeadline::PeriodDay(19)),
            )],
        ),
        e("DT.1", vec![(vec!["CV"], vec![], None)]),
    ]
}

#[test]
fn commune_2026_every_requirement_as_a_person_drafts_it() {
    let set = import(&xlsx_commune_2026(), Kind::Xlsx, None).unwrap();
    assert!(set.mismatches.is_empty(), "{:?}", set.mismatches);
    assert_eq!(set.total.map(|t| t.1), Some(14.0));
    let scored: Vec<&str> = set
        .nodes
        .iter()
        .filter(|n| n.draft.is_some())
        .map(|n| n.id.as_str())
        .collect();
    let expect = commune_expect();
    assert_eq!(scored, expect.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    for (id, want) in expect {
        let node = set.nodes.iter().find(|n| n.id == id).unwrap();
        let d = node.draft.as_ref().unwrap();
        match want {
            None => assert!(d.system.is_some() && d.reqs.is_empty(), "{id}: {d:?}"),
            Some((_, reqs)) => {
                let got: Vec<_> = d
                    .reqs
                    .iter()
                    .map(|r| (r.types.clone(), r.periods.clone(), r.deadline))
                    .collect();
                assert_eq!(got, reqs, "{id}");
                // The note under the title decides; no cell says anything of its own.
                assert!(d.reqs.iter().all(|r| r.signature.is_none()), "{id}: {d:?}");
            }
        }
    }
    let sig = set.signature.as_ref().expect("the note under the title");
    assert_eq!(sig.rule, SignatureRule::Required);
    assert!(sig.inferred);
    assert_eq!(sig.row, Some(4));
    assert!(
        sig.source
            .as_deref()
            .unwrap()
            .starts_with("Ghi chú: Tài liệu kiểm chứng phải là văn bản điện tử có chữ ký số"),
        "{sig:?}"
    );
    // The scoring text is kept with its unit, never read as evidence.
    let n = set.nodes.iter().find(|n| n.id == "1.2.1").unwrap();
    assert!(n.guide.contains("Đủ, đúng hạn"), "{}", n.guide);
}

// ───────────── Issue 23: a provincial self-scoring app's export ─────────────
// STT | Tiêu chí, tiêu chí thành phần | Điểm tối đa | Số liệu kê khai | Cách tính điểm |
// Các yêu cầu và tài liệu kiểm chứng | Điểm tự đánh giá, with "Yêu cầu:" and "TLKC:"
// on separate lines of the evidence cell.

pub fn xlsx_self_scoring_export() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("TuChamDiem").unwrap();
    let header = [
        "STT",
        "Tiêu chí, tiêu chí thành phần",
        "Điểm tối đa",
        "Số liệu kê khai",
        "Cách tính điểm",
        "Các yêu cầu và tài liệu kiểm chứng",
        "Điểm tự đánh giá",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: &[[&str; 7]] = &[
        ["I", "Công tác chỉ đạo, điều hành CCHC", "3", "", "", "", ""],
        ["1", "Ban hành Kế hoạch CCHC năm", "1", "Có",
         "Ban hành đúng thời hạn, đủ nội dung: 1 điểm; chậm hoặc thiếu nội dung: 0 điểm",
         "Yêu cầu: Kế hoạch ban hành trước ngày 31/12 năm trước, xác định rõ nhiệm vụ, đúng hướng dẫn của UBND tỉnh\nTLKC: Kế hoạch CCHC năm của UBND xã", "1"],
        ["2", "Quy chế phối hợp", "1", "Có", "Có Quyết định: 1 điểm",
         "Yêu cầu: Ban hành quy chế phối hợp trong quý I\nTLKC: Quyết định ban hành quy chế phối hợp", "1"],
        ["3", "Thực hiện chế độ báo cáo", "1", "Không",
         "Đủ, đúng hạn các báo cáo: 1 điểm; thiếu hoặc chậm 01 Báo cáo: 0 điểm",
         "Yêu cầu: Báo cáo đầy đủ, đúng thời hạn theo quy định\nTài liệu kiểm chứng: Báo cáo CCHC quý I, 6 tháng, quý III và năm; gửi chậm nhất ngày 14 của tháng cuối kỳ báo cáo", "0"],
        ["II", "Cải cách thủ tục hành chính", "1", "", "", "", ""],
        ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "1", "98%", "Tỷ lệ 100%: 1 điểm",
         "Số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh", "0,98"],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(1 + i as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn self_scoring_export_names_documents_only_in_tlkc() {
    let set = import(&xlsx_self_scoring_export(), Kind::Xlsx, None).unwrap();
    let cols: Vec<(&str, &str)> = set.columns.iter().map(|(r, c)| (*r, c.as_str())).collect();
    assert_eq!(
        cols,
        vec![
            ("code", "A"),
            ("title", "B"),
            ("max_points", "C"),
            ("evidence", "F"),
            ("guide", "E")
        ]
    );
    let node = |id: &str| set.nodes.iter().find(|n| n.id == id).unwrap();
    let reqs = |id: &str| node(id).draft.clone().unwrap().reqs;
    let kh = reqs("1.1");
    assert_eq!(kh.len(), 1, "{kh:?}");
    assert_eq!(kh[0].types, vec!["KH"]);
    assert_eq!(
        kh[0].deadline,
        Some(DraftDeadline::Fixed {
            day: 30,
            month: 12,
            year: None,
            year_offset: -1
        })
    );
    assert!(kh[0].source.contains("31/12"), "{}", kh[0].source);
    let qd = reqs("1.2");
    assert_eq!(qd.len(), 1, "{qd:?}");
    assert_eq!(qd[0].types, vec!["QĐ"]);
    assert!(qd[0].periods.is_empty());
    assert!(matches!(
        qd[0].deadline,
        Some(DraftDeadline::Fixed {
            day: 31,
            month: 3,
            ..
        })
    ));
    let bc = reqs("1.3");
    assert_eq!(bc.len(), 1, "{bc:?}");
    assert_eq!(
        bc[0].periods,
        vec![Period::Q1, Period::H1, Period::Q3, Period::Y]
    );
    assert_eq!(bc[0].deadline, Some(DraftDeadline::PeriodDay(14)));
    assert!(node("2.1").draft.as_ref().unwrap().system.is_some());
    assert!(set.signature.is_none());
}

#[test]
fn import_cli_language_signature_default_and_rules_show() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.xlsx"), xlsx_self_scoring_export()).unwrap();
    let import_args = |out: &'static str| {
        vec![
            "rules", "import", "app.xlsx", "--id", "xa-2026", "--title", "Xã 2026", "--year",
            "2026", "--output", out,
        ]
    };
    // Vietnamese by default: comments, summary and the warning.
    let mut args = vec!["--lang", "vi"];
    args.extend(import_args("vi.toml"));
    let o = tlkc(&args, dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("CẢNH BÁO chữ ký số"), "{}", text(&o));
    let toml = std::fs::read_to_string(dir.path().join("vi.toml")).unwrap();
    assert!(
        toml.starts_with("# Bản nháp do `tlkc rules import`"),
        "{toml}"
    );
    assert!(toml.contains("# dòng 3"), "{toml}");
    assert!(!toml.contains("# row "), "{toml}");
    assert!(!toml.contains("[defaults]\n"), "{toml}");
    assert!(
        toml.contains("note = \"Có Quyết định: 1 điểm\""),
        "the scoring text is the unit's note: {toml}"
    );
    // English with --lang en; --signature sets the default.
    let mut args = vec!["--lang", "en"];
    args.extend(import_args("en.toml"));
    args.extend(["--signature", "person_and_organization"]);
    let o = tlkc(&args, dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Signature default (from --signature): [defaults] signature = \"person_and_organization\""),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("WARNING"), "{}", text(&o));
    let toml = std::fs::read_to_string(dir.path().join("en.toml")).unwrap();
    assert!(
        toml.starts_with("# Drafted by `tlkc rules import`"),
        "{toml}"
    );
    assert!(
        toml.contains("[defaults]\nsignature = \"person_and_organization\"\n"),
        "{toml}"
    );
    let o = tlkc(&["rules", "validate", "en.toml"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    let o = tlkc(
        &["--lang", "en", "rules", "show", "1.1", "--rules", "en.toml"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("digital signature: required, by the competent person and the organisation (from the ruleset's [defaults])"),
        "{}",
        text(&o)
    );
    let o = tlkc(
        &["--lang", "vi", "rules", "show", "1.1", "--rules", "en.toml"],
        dir.path(),
    );
    assert!(
        text(&o).contains("Mặc định: [defaults] signature = \"person_and_organization\""),
        "{}",
        text(&o)
    );
    // The inferred default from a note row is stated with its sentence.
    std::fs::write(dir.path().join("xa.xlsx"), xlsx_commune_2026()).unwrap();
    let o = tlkc(
        &[
            "--lang", "en", "rules", "import", "xa.xlsx", "--id", "x", "--title", "X", "--year",
            "2026", "--output", "xa.toml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Signature default (inferred, to review): [defaults] signature = \"required\" (row 4): \"Ghi chú: Tài liệu kiểm chứng"),
        "{}",
        text(&o)
    );
}

// ───────────── Issue 23: the round trip with the signature default ─────────────

#[test]
fn round_trip_commune_init_check_one_evd001_per_requirement_and_sig001_for_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("xa.xlsx"), xlsx_commune_2026()).unwrap();
    let rules = root.join("xa-2026.toml");
    let rules_s = rules.to_str().unwrap();
    let o = tlkc(
        &[
            "rules", "import", "xa.xlsx", "--id", "xa-2026", "--title", "Xã 2026", "--year",
            "2026", "--output", rules_s,
        ],
        &root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = tlkc(&["rules", "validate", rules_s], &root);
    assert!(o.status.success(), "{}", text(&o));
    let o = tlkc(
        &["rules", "list", "--rules", rules_s, "--format", "json"],
        &root,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reqs: Vec<&serde_json::Value> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["requirements"].as_array().unwrap())
        .collect();
    assert_eq!(reqs.len(), 16);
    assert!(
        reqs.iter().all(|r| r["signature"] == "required"),
        "the note's rule reaches every requirement"
    );
    assert_eq!(v["defaults"]["signature"], "required");
    // An evidence folder laid out by `tlkc init`, still empty.
    let hs = root.join("hs");
    let o = tlkc(&["init", hs.to_str().unwrap(), "--rules", rules_s], &root);
    assert!(o.status.success(), "{}", text(&o));
    let check = || {
        let o = tlkc(
            &[
                "check",
                hs.to_str().unwrap(),
                "--rules",
                rules_s,
                "--as-of",
                "2027-06-30",
                "--no-ocr",
                "--format",
                "json",
                "--no-progress",
            ],
            &root,
        );
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
        v["findings"].as_array().unwrap().clone()
    };
    let f = check();
    let count =
        |f: &[serde_json::Value], code: &str| f.iter().filter(|x| x["code"] == code).count();
    assert_eq!(count(&f, "EVD001"), reqs.len(), "{f:#?}");
    // A hand-signed paper plan, scanned: an image-only PDF with no digital signature.
    let folder = std::fs::read_dir(&hs)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("1.3.1 ")
        })
        .expect("init made the 1.3.1 folder");
    let mut spec = samplegen::doc::DocSpec::dak_glei(
        "05/KH-UBND",
        chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        samplegen::doc::Kind::Typed {
            heading: "KẾ HOẠCH".into(),
            title: "Tự kiểm tra công tác cải cách hành chính năm 2026".into(),
        },
        &["Ủy ban nhân dân xã ban hành Kế hoạch tự kiểm tra công tác cải cách hành chính năm 2026."],
    );
    spec.scan = Some(samplegen::scan::ScanSpec::default());
    let pdf = samplegen::build_pdf(&spec).unwrap().into_bytes();
    std::fs::write(folder.join("KH tu kiem tra (ban quet).pdf"), pdf).unwrap();
    let f = check();
    let sig001: Vec<&serde_json::Value> = f.iter().filter(|x| x["code"] == "SIG001").collect();
    assert_eq!(sig001.len(), 1, "{f:#?}");
    assert_eq!(sig001[0]["criterion"], "1.3.1");
    assert_eq!(
        count(&f, "EVD001"),
        reqs.len() - 1,
        "the scan fills its slot"
    );
}

#[test]
fn docx_note_paragraph_under_the_title_sets_the_signature_default() {
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let rows = [
        tr(&[
            tc("TT", ""),
            tc("Tiêu chí", ""),
            tc("Điểm tối đa", ""),
            tc("Tài liệu kiểm chứng", ""),
        ]),
        tr(&[
            tc("1", ""),
            tc("Công tác chỉ đạo", ""),
            tc("1", ""),
            tc("", ""),
        ]),
        tr(&[
            tc("1.1", ""),
            tc("Kế hoạch kiểm tra", ""),
            tc("1", ""),
            tc("Kế hoạch tự kiểm tra CCHC; Báo cáo kết quả", ""),
        ]),
    ];
    let body = format!(
        "{}{}<w:tbl>{}</w:tbl>",
        p("BỘ TIÊU CHÍ CẤP XÃ NĂM 2026"),
        p("Lưu ý: Tài liệu kiểm chứng là văn bản điện tử có ký số của người có thẩm quyền và của cơ quan ban hành."),
        rows.concat()
    );
    let bytes = docx_body(&body);
    let set = import(&bytes, Kind::Docx, None).unwrap();
    let sig = set.signature.expect("the note paragraph");
    assert_eq!(sig.rule, SignatureRule::PersonAndOrganization);
    assert!(sig.inferred && sig.row.is_none());
    assert!(sig
        .source
        .unwrap()
        .starts_with("Lưu ý: Tài liệu kiểm chứng"));
    let n = set.nodes.iter().find(|n| n.id == "1.1").unwrap();
    assert_eq!(n.draft.as_ref().unwrap().reqs.len(), 2);
    // Without the note: no default, and the summary will warn.
    let bytes = docx_body(&format!("<w:tbl>{}</w:tbl>", rows.concat()));
    assert!(import(&bytes, Kind::Docx, None)
        .unwrap()
        .signature
        .is_none());
}
