//! "Never a wrong value" on shapes of genuine documents the team had not
//! seen. Each fixture is a page-1 header laid out line by line with
//! samplegen's PDF writer (embedded DejaVu fonts with a ToUnicode map), so
//! the text goes through the same extraction as a real file.

use samplegen::doc::{build_pdf_pages, Line, PageLayout};
use samplegen::fixtures::example_spec;
use samplegen::font::Face;
use tlkc::facts::DocumentFacts;
use tlkc::findings::Code;

const SIZE: f64 = 13.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 320.0;

fn line(face: Face, x: f64, y: f64, text: &str) -> Line {
    Line {
        face,
        size: SIZE,
        x,
        y,
        text: text.into(),
    }
}

/// The two-column header of a UBND document: issuer and motto at the top.
fn header(issuer: &[&str]) -> Vec<Line> {
    let mut out = vec![
        line(
            Face::Bold,
            RIGHT,
            790.0,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ),
        line(
            Face::Bold,
            RIGHT + 20.0,
            775.0,
            "Độc lập - Tự do - Hạnh phúc",
        ),
    ];
    for (i, l) in issuer.iter().enumerate() {
        out.push(line(Face::Bold, LEFT, 790.0 - 15.0 * i as f64, l));
    }
    out
}

fn body() -> Vec<Line> {
    vec![
        line(Face::Regular, LEFT, 600.0, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
        line(Face::Regular, LEFT, 585.0, "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 02 tháng 01 năm 2025."),
    ]
}

fn inspect(lines: Vec<Line>) -> (DocumentFacts, Vec<Code>) {
    let page = PageLayout {
        lines,
        rules: vec![],
    };
    let pdf = match build_pdf_pages(&example_spec(), vec![page]) {
        Ok(p) => p.into_bytes(),
        Err(e) => panic!("{e:#}"),
    };
    let facts = tlkc::inspect::inspect_bytes("shape.pdf".into(), &pdf, &Default::default());
    // A garbled layer is set aside as no text layer (pdf.text_garbled).
    assert!(facts.pdf.text_layer == Some(true) || facts.pdf.text_garbled);
    let mut out = Vec::new();
    tlkc::checks::document::check(&facts, 2025, &mut out);
    (facts.document, out.into_iter().map(|f| f.code).collect())
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// (a) The e-office stamps the digits as their own text object, raised a
/// little above the number line: they are put back in the blank.
#[test]
fn raised_stamped_digits_are_reassembled() {
    let mut lines = header(&["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số:"));
    lines.push(line(Face::Regular, LEFT + 70.0, 745.0, "/CTTĐT-BBT"));
    // 7 pt up: more than the 0.4 em that keeps runs on one baseline.
    lines.push(line(Face::Regular, LEFT + 30.0, 752.0, "2037"));
    // The day is stamped the same way, 6 pt below the line this time.
    let day_at = RIGHT + Face::Italic.width("Lâm Đồng, ngày ", SIZE) + 4.0;
    lines.push(line(Face::Italic, RIGHT, 745.0, "Lâm Đồng, ngày"));
    lines.push(line(Face::Italic, day_at, 739.0, "12"));
    lines.push(line(
        Face::Italic,
        day_at + Face::Italic.width("12 ", SIZE) + 4.0,
        745.0,
        "tháng 5 năm 2025",
    ));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v cung cấp thông tin"));
    lines.push(line(Face::Regular, LEFT, 680.0, "Kính gửi: Sở Nội vụ"));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("2037/CTTĐT-BBT"));
    assert_eq!(d.issuer.as_deref(), Some("CTTĐT"));
    assert_eq!(d.r#type, None);
    assert_eq!(d.date, date("2025-05-12"));
    assert!(codes.is_empty(), "{codes:?}");
}

/// (a) Digits that are nowhere near the blank are not guessed into it: the
/// number is blank (null) and DOC001 says so.
#[test]
fn lost_digits_leave_the_number_blank() {
    let mut lines = header(&["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số:"));
    lines.push(line(Face::Regular, LEFT + 70.0, 745.0, "/CTTĐT-BBT"));
    lines.push(line(Face::Regular, 500.0, 820.0, "2037"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Lâm Đồng, ngày 12 tháng 5 năm 2025",
    ));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v cung cấp thông tin"));
    lines.push(line(Face::Regular, LEFT, 680.0, "Kính gửi: Sở Nội vụ"));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number, None);
    assert!(
        d.problems.iter().any(|p| p.contains("no sequence digits")),
        "{:?}",
        d.problems
    );
    assert_eq!(codes, [Code::Doc001]);
}

/// (b) An unissued draft: no number, but the symbol still says type and issuer.
#[test]
fn unissued_draft_has_no_number() {
    let mut lines = header(&["HỘI ĐỒNG NHÂN DÂN", "TỈNH CAO BẰNG"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số:        /QĐ-HĐND"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Cao Bằng, ngày      tháng      năm 2025",
    ));
    lines.push(line(Face::Bold, 240.0, 700.0, "QUYẾT ĐỊNH"));
    lines.push(line(
        Face::Bold,
        200.0,
        685.0,
        "Về việc thành lập Tổ giúp việc",
    ));
    lines.extend(body());
    let (d, codes) = inspect(lines);
    assert_eq!(d.number, None);
    assert_eq!(d.r#type.as_deref(), Some("QĐ"));
    assert_eq!(d.issuer.as_deref(), Some("HĐND"));
    assert_eq!(d.date, None);
    assert_eq!(codes, [Code::Doc001, Code::Doc005]);
}

/// (c) A registration line printed by the e-office at the top right of the
/// page (the covering letter's number) is not the document's number.
#[test]
fn registration_line_above_the_header_is_not_the_number() {
    let mut lines = vec![line(Face::Regular, 400.0, 820.0, "Số: 2037/SCT-QLTM")];
    lines.extend(header(&["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]));
    lines.push(line(Face::Regular, LEFT, 745.0, "Số: 118a/BC-SNV"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Lâm Đồng, ngày 06 tháng 3 năm 2025",
    ));
    lines.push(line(Face::Bold, 250.0, 700.0, "BÁO CÁO"));
    lines.push(line(
        Face::Bold,
        200.0,
        685.0,
        "Kết quả cải cách hành chính quý I",
    ));
    lines.extend(body());
    let (d, codes) = inspect(lines.clone());
    assert_eq!(d.number.as_deref(), Some("118a/BC-SNV"));
    assert_eq!(d.r#type.as_deref(), Some("BC"));
    assert_eq!(d.issuer.as_deref(), Some("SNV"));
    assert!(
        d.problems.iter().any(|p| p.contains("registration")),
        "{:?}",
        d.problems
    );
    assert!(codes.is_empty(), "{codes:?}");
    // Its own number blank: still not the registration line's.
    lines[5] = line(Face::Regular, LEFT, 745.0, "Số:      /BC-SNV");
    let (d, _) = inspect(lines);
    assert_eq!(d.number, None);
}

/// "Số2624" without a colon, "ngày11"/"06tháng" without spaces, a công văn
/// whose date line sits level with the V/v block, and a trích yếu that cites
/// another document's number right under the document's own.
#[test]
fn cong_van_with_glued_words_and_a_cited_number() {
    let mut lines = header(&["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số2624/SNV-CCHC"));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v triển khai Công văn"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        728.0,
        "Lâm Đồng, ngày11 tháng 9 năm 2025",
    ));
    lines.push(line(
        Face::Regular,
        LEFT,
        713.0,
        "số 8151/BNV-CCHC ngày 18/9/2025",
    ));
    lines.push(line(Face::Regular, LEFT, 698.0, "của Bộ Nội vụ"));
    lines.push(line(
        Face::Regular,
        200.0,
        670.0,
        "Kính gửi: Các sở, ban, ngành",
    ));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("2624/SNV-CCHC"));
    assert_eq!(d.issuer.as_deref(), Some("SNV"));
    assert_eq!(d.r#type, None);
    assert_eq!(d.title_type.as_deref(), Some("CÔNG VĂN"));
    assert_eq!(d.date, date("2025-09-11"));
    assert!(!codes.contains(&Code::Doc002), "{codes:?}");
}

#[test]
fn glued_day_and_month_are_read() {
    let mut lines = header(&["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số: 2624 /SNV-CCHC"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Lâm Đồng, ngày 06tháng 3 năm 2025",
    ));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v triển khai kế hoạch"));
    lines.push(line(
        Face::Regular,
        200.0,
        670.0,
        "Kính gửi: Các sở, ban, ngành",
    ));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("2624/SNV-CCHC"));
    assert_eq!(d.date, date("2025-03-06"));
    assert_eq!(d.place.as_deref(), Some("Lâm Đồng"));
    // Spaces around "/" are a habit of stamped numbers, not DOC002.
    assert!(codes.iter().all(|c| *c == Code::Doc007), "{codes:?}");
}

/// Issuer parts with parentheses and "Đ", QPPL numbers with the year, a
/// two-line issuer, the date line above the number line.
#[test]
fn symbols_of_every_shape() {
    let mut lines = header(&["CÔNG AN TỈNH LÂM ĐỒNG"]);
    lines.push(line(Face::Regular, LEFT, 760.0, "Số: 409/TTr-CAT(PC04)"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        760.0,
        "Lâm Đồng, ngày 03 tháng 7 năm 2025",
    ));
    lines.push(line(Face::Bold, 250.0, 700.0, "TỜ TRÌNH"));
    lines.push(line(
        Face::Bold,
        200.0,
        685.0,
        "Về việc đề nghị khen thưởng",
    ));
    lines.extend(body());
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("409/TTr-CAT(PC04)"));
    assert_eq!(d.r#type.as_deref(), Some("TTr"));
    assert_eq!(d.issuer.as_deref(), Some("CAT(PC04)"));
    // Parentheses in a symbol are a real departure from Decree 30.
    assert_eq!(codes, [Code::Doc002]);

    let mut lines = header(&["HỘI ĐỒNG NHÂN DÂN", "TỈNH CAO BẰNG"]);
    // The date line above the number line (as some templates have it).
    lines.push(line(
        Face::Italic,
        RIGHT,
        760.0,
        "Cao Bằng, ngày 15 tháng 7 năm 2022",
    ));
    lines.push(line(Face::Regular, LEFT, 745.0, "Số: 33/2022/NQ-HĐND"));
    lines.push(line(Face::Bold, 250.0, 700.0, "NGHỊ QUYẾT"));
    lines.push(line(Face::Bold, 200.0, 685.0, "Quy định mức chi hỗ trợ"));
    lines.extend(body());
    let (d, _) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("33/2022/NQ-HĐND"));
    assert_eq!(d.r#type.as_deref(), Some("NQ"));
    assert_eq!(d.issuer.as_deref(), Some("HĐND"));
    assert_eq!(d.date, date("2022-07-15"));

    let mut lines = header(&["UBND TỈNH LÂM ĐỒNG", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số:   4186 /SNNMT-CCQLĐĐ"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Lâm Đồng, ngày 09 tháng 4 năm 2026",
    ));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v đăng ký đất đai"));
    lines.push(line(
        Face::Regular,
        200.0,
        670.0,
        "Kính gửi: Ủy ban nhân dân các xã",
    ));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("4186/SNNMT-CCQLĐĐ"));
    assert_eq!(d.issuer.as_deref(), Some("SNNMT"));
    assert!(!codes.contains(&Code::Doc002), "{codes:?}");
}

/// Ghostscript can rewrite a text layer with a font-encoding shift: "Số"
/// comes out as "6ӕ". Nothing is read from such a layer.
#[test]
fn font_encoding_shift_gives_null_not_a_guess() {
    // Each Vietnamese letter shifted into the Cyrillic block, ASCII by -29,
    // as the shifted layers show ("S" → "6", "ố" → "ӕ").
    let shift = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'A'..='Z' | 'a'..='z' => char::from(c as u8 - 29),
                c if !c.is_ascii() => char::from_u32(0x4d0 + (c as u32 % 40)).unwrap_or(c),
                c => c,
            })
            .collect()
    };
    let mut lines = vec![
        line(
            Face::Bold,
            RIGHT,
            790.0,
            &shift("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ),
        line(
            Face::Bold,
            RIGHT,
            775.0,
            &shift("Độc lập - Tự do - Hạnh phúc"),
        ),
        line(Face::Bold, LEFT, 790.0, &shift("ỦY BAN NHÂN DÂN TỈNH")),
        line(Face::Regular, LEFT, 745.0, "6ӕ: 12/QĐ-UBND"),
        line(
            Face::Italic,
            RIGHT,
            745.0,
            &shift("Lâm Đồng, ngày 12 tháng 5 năm 2025"),
        ),
        line(Face::Bold, 250.0, 700.0, &shift("QUYẾT ĐỊNH")),
    ];
    lines.push(line(
        Face::Regular,
        LEFT,
        600.0,
        &shift("Căn cứ Luật Tổ chức chính quyền địa phương"),
    ));
    let (d, codes) = inspect(lines);
    // Set aside either by the page-level garbage test (Vietnamese syllables)
    // or by the header parser's Cyrillic test: never read.
    assert!(d.text_garbled || d.problems.is_empty());
    assert_eq!(d.number, None);
    assert_eq!(d.date, None);
    assert_eq!(d.r#type, None);
    assert!(codes.is_empty(), "{codes:?}");
}

/// Real Decree 30 faults stay findings on a born-digital document: a type
/// code that is not the heading's, a body part that is not the issuer's, no
/// date line, and a typo space inside the symbol.
#[test]
fn real_faults_stay_findings() {
    let mut lines = header(&["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số: 45/BC-SNV"));
    lines.push(line(Face::Bold, 250.0, 700.0, "KẾ HOẠCH"));
    lines.push(line(
        Face::Bold,
        200.0,
        685.0,
        "Cải cách hành chính năm 2025",
    ));
    lines.extend(body());
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("45/BC-SNV"));
    assert_eq!(codes, [Code::Doc003, Code::Doc009, Code::Doc005]);

    let mut lines = header(&["UBND TỈNH BÌNH THUẬN", "SỞ TÀI CHÍNH"]);
    lines.push(line(Face::Regular, LEFT, 745.0, "Số: 1925 /STC- HTDN"));
    lines.push(line(
        Face::Italic,
        RIGHT,
        745.0,
        "Bình Thuận, ngày 19 tháng 5 năm 2025",
    ));
    lines.push(line(Face::Regular, LEFT, 728.0, "V/v hỗ trợ doanh nghiệp"));
    lines.push(line(Face::Regular, 200.0, 670.0, "Kính gửi: Sở Nội vụ"));
    let (d, codes) = inspect(lines);
    assert_eq!(d.number.as_deref(), Some("1925/STC-HTDN"));
    assert_eq!(codes, [Code::Doc002]);
}
