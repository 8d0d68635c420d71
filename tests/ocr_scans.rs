//! Scan-like PDFs made here: a Decree 30 header rendered with DejaVu Serif
//! (fontdue) and embedded as a Flate, DCT (JPEG) or CCITT Group 4 image,
//! upright, sideways or under /Rotate. The image decoding is checked without
//! any outside tool; the OCR tests skip when Tesseract with `vie` is absent
//! (and fail under `CI=true`).

use std::io::Write;

use lopdf::{dictionary, Document, Object, Stream};
use tlkc::config::Limits;
use tlkc::inspect::ocr::images::{self, Gray};
use tlkc::inspect::ocr::{OcrOptions, Tesseract};
use tlkc::inspect::InspectOptions;

const A4: (f64, f64) = (595.0, 842.0);

fn font(bold: bool) -> fontdue::Font {
    let data: &[u8] = if bold {
        include_bytes!("../tools/samplegen/fonts/DejaVuSerif-Bold.ttf")
    } else {
        include_bytes!("../tools/samplegen/fonts/DejaVuSerif.ttf")
    };
    fontdue::Font::from_bytes(data, fontdue::FontSettings::default()).expect("vendored font")
}

/// A line of text: centre x and baseline y in points from the top-left, size in points.
struct Line<'a> {
    text: &'a str,
    cx: f64,
    y: f64,
    size: f64,
    bold: bool,
}

/// A page of `lines` at `dpi`, black on white.
fn render(lines: &[Line], dpi: u32) -> Gray {
    let scale = f64::from(dpi) / 72.0;
    let (w, h) = ((A4.0 * scale) as usize, (A4.1 * scale) as usize);
    let mut pixels = vec![255u8; w * h];
    let (regular, bold) = (font(false), font(true));
    for line in lines {
        let f = if line.bold { &bold } else { &regular };
        let px = (line.size * scale) as f32;
        let width: f32 = line
            .text
            .chars()
            .map(|c| f.metrics(c, px).advance_width)
            .sum();
        let mut pen = (line.cx * scale) as f32 - width / 2.0;
        let base = (line.y * scale) as i64;
        for c in line.text.chars() {
            let (m, cov) = f.rasterize(c, px);
            let x0 = (pen + m.xmin as f32).round() as i64;
            let y0 = base - m.height as i64 - i64::from(m.ymin);
            for gy in 0..m.height {
                for gx in 0..m.width {
                    let (x, y) = (x0 + gx as i64, y0 + gy as i64);
                    if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
                        let p = &mut pixels[y as usize * w + x as usize];
                        *p = (*p).min(255 - cov[gy * m.width + gx]);
                    }
                }
            }
            pen += m.advance_width;
        }
    }
    Gray {
        width: w,
        height: h,
        pixels,
    }
}

/// The head of a Decree 30 report; `day` may be blank (filled by hand).
fn report_header(day: &str, month: u32) -> Vec<(String, f64, f64, f64, bool)> {
    vec![
        ("ỦY BAN NHÂN DÂN".into(), 150.0, 70.0, 12.0, false),
        ("HUYỆN ĐẮK GLEI".into(), 150.0, 86.0, 12.0, true),
        ("Số: 45/BC-UBND".into(), 150.0, 112.0, 13.0, false),
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            400.0,
            70.0,
            12.0,
            true,
        ),
        (
            "Độc lập - Tự do - Hạnh phúc".into(),
            400.0,
            86.0,
            13.0,
            true,
        ),
        (
            format!("Đắk Glei, ngày {day} tháng {month} năm 2022"),
            400.0,
            112.0,
            13.0,
            false,
        ),
        ("BÁO CÁO".into(), 297.0, 170.0, 14.0, true),
        (
            "Công tác cải cách hành chính quý I năm 2022".into(),
            297.0,
            188.0,
            13.0,
            true,
        ),
        (
            "Thực hiện Kế hoạch số 12/KH-UBND của Ủy ban nhân dân huyện,".into(),
            297.0,
            230.0,
            13.0,
            false,
        ),
    ]
}

fn page(header: &[(String, f64, f64, f64, bool)], dpi: u32) -> Gray {
    let lines: Vec<Line> = header
        .iter()
        .map(|(text, cx, y, size, bold)| Line {
            text,
            cx: *cx,
            y: *y,
            size: *size,
            bold: *bold,
        })
        .collect();
    render(&lines, dpi)
}

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Flate,
    Dct,
    Ccitt,
}

fn encode(g: &Gray, enc: Encoding) -> (Object, Object, i64, Vec<u8>) {
    match enc {
        Encoding::Flate => {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&g.pixels).unwrap();
            ("FlateDecode".into(), Object::Null, 8, z.finish().unwrap())
        }
        Encoding::Dct => {
            let mut out = Vec::new();
            jpeg_encoder::Encoder::new(&mut out, 85)
                .encode(
                    &g.pixels,
                    g.width as u16,
                    g.height as u16,
                    jpeg_encoder::ColorType::Luma,
                )
                .unwrap();
            ("DCTDecode".into(), Object::Null, 8, out)
        }
        Encoding::Ccitt => {
            let mut e = fax::encoder::Encoder::new(fax::VecWriter::new());
            for row in g.pixels.chunks(g.width) {
                let pels = row.iter().map(|p| {
                    if *p < 128 {
                        fax::Color::Black
                    } else {
                        fax::Color::White
                    }
                });
                e.encode_line(pels, g.width as u32).unwrap();
            }
            let data = e.finish().unwrap().finish();
            let parms =
                dictionary! { "K" => -1, "Columns" => g.width as i64, "Rows" => g.height as i64 };
            ("CCITTFaxDecode".into(), Object::Dictionary(parms), 1, data)
        }
    }
}

/// The raster turned a quarter anticlockwise (what a scanner stores when the
/// sheet went in sideways).
fn quarter_turn(g: &Gray) -> Gray {
    let (w, h) = (g.width, g.height);
    let mut pixels = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            // New raster is h wide, w tall; source (x, y) goes to (y, w-1-x).
            pixels[(w - 1 - x) * h + y] = g.pixels[y * w + x];
        }
    }
    Gray {
        width: h,
        height: w,
        pixels,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Placement {
    Upright,
    /// Stored turned, drawn with a CTM that turns it back.
    SidewaysCtm,
    /// Stored turned, the page shown with /Rotate 90.
    RotatePage,
}

/// A one-page PDF whose page is `g`, stored and placed as `how`.
fn scan_pdf(g: &Gray, enc: Encoding, how: Placement, dpi: u32) -> Vec<u8> {
    let stored = match how {
        Placement::Upright => g.clone(),
        Placement::SidewaysCtm | Placement::RotatePage => quarter_turn(g),
    };
    let (filter, parms, bpc, data) = encode(&stored, enc);
    let mut doc = Document::with_version("1.7");
    let mut dict = dictionary! {
        "Type" => "XObject", "Subtype" => "Image",
        "Width" => stored.width as i64, "Height" => stored.height as i64,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => bpc, "Filter" => filter,
    };
    if parms != Object::Null {
        dict.set("DecodeParms", parms);
    }
    let image = doc.add_object(Stream::new(dict, data));
    let scale = 72.0 / f64::from(dpi);
    let (w, h) = (g.width as f64 * scale, g.height as f64 * scale);
    let (media, cm) = match how {
        Placement::Upright => ([w, h], format!("{w:.3} 0 0 {h:.3} 0 0 cm")),
        // Image x axis (stored width = page height) drawn downwards, y axis rightwards.
        Placement::SidewaysCtm => ([w, h], format!("0 {:.3} {w:.3} 0 0 {h:.3} cm", -h)),
        // Stored turned: on an unrotated (landscape) page it is drawn plainly; /Rotate 90 turns it back.
        Placement::RotatePage => ([h, w], format!("{h:.3} 0 0 {w:.3} 0 0 cm")),
    };
    let content = format!("q {cm} /Im0 Do Q");
    let content = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let pages_id = doc.new_object_id();
    let mut page = dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), media[0].into(), media[1].into()],
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
    };
    if how == Placement::RotatePage {
        page.set("Rotate", 90);
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn decoded(pdf: &[u8]) -> (Gray, u32) {
    let doc = Document::load_mem(pdf).unwrap();
    let limits = Limits::default();
    let located = images::locate(&doc, &limits).unwrap();
    (
        images::decode(&doc, &located, &limits).unwrap(),
        located.dpi,
    )
}

fn mean_abs_diff(a: &Gray, b: &Gray) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let sum: u64 = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.pixels.len() as f64
}

fn binarised(g: &Gray) -> Gray {
    Gray {
        pixels: g
            .pixels
            .iter()
            .map(|p| if *p < 128 { 0 } else { 255 })
            .collect(),
        ..g.clone()
    }
}

#[test]
fn every_encoding_and_placement_decodes_to_the_page() {
    let original = page(&report_header("18", 3), 100);
    for enc in [Encoding::Flate, Encoding::Dct, Encoding::Ccitt] {
        for how in [
            Placement::Upright,
            Placement::SidewaysCtm,
            Placement::RotatePage,
        ] {
            let (got, dpi) = decoded(&scan_pdf(&original, enc, how, 100));
            assert_eq!(dpi, 100, "{enc:?} {how:?}");
            let want = match enc {
                Encoding::Ccitt => binarised(&original),
                _ => original.clone(),
            };
            let diff = mean_abs_diff(&got, &want);
            let limit = if matches!(enc, Encoding::Dct) {
                3.0
            } else {
                0.0
            };
            assert!(diff <= limit, "{enc:?} {how:?}: mean difference {diff}");
        }
    }
}

#[test]
fn resolution_below_200_dpi_is_pdf006() {
    let pdf = scan_pdf(
        &page(&report_header("18", 3), 150),
        Encoding::Flate,
        Placement::Upright,
        150,
    );
    let facts = tlkc::inspect::inspect_bytes("s.pdf".into(), &pdf, &InspectOptions::default());
    assert_eq!(facts.pdf.scan_dpi, Some(150));
    assert_eq!(facts.pdf.text_layer, Some(false));
    let mut out = vec![];
    tlkc::checks::pdf::check(&facts, &mut out);
    assert!(out.iter().any(|f| f.code.as_str() == "PDF006"), "{out:?}");
}

fn ocr_options() -> Option<InspectOptions> {
    match Tesseract::detect() {
        Ok(t) => Some(InspectOptions {
            ocr: OcrOptions { engine: Some(t) },
            ..Default::default()
        }),
        Err(why) => {
            crate::util::missing(&format!("OCR ({why})"), crate::util::TESSERACT_HOW);
            None
        }
    }
}

#[test]
fn ocr_reads_a_generated_scan_in_every_encoding() {
    let Some(opts) = ocr_options() else { return };
    let original = page(&report_header("18", 3), 200);
    for (enc, how) in [
        (Encoding::Dct, Placement::Upright),
        (Encoding::Flate, Placement::SidewaysCtm),
        (Encoding::Ccitt, Placement::RotatePage),
    ] {
        let pdf = scan_pdf(&original, enc, how, 200);
        let f = tlkc::inspect::inspect_bytes("s.pdf".into(), &pdf, &opts);
        let d = &f.document;
        assert_eq!(
            d.source,
            Some(tlkc::facts::ReadSource::Ocr),
            "{enc:?} {how:?}: {f:?}"
        );
        assert_eq!(
            d.number.as_deref(),
            Some("45/BC-UBND"),
            "{enc:?} {how:?}: {d:?}"
        );
        assert_eq!(d.r#type.as_deref(), Some("BC"), "{enc:?} {how:?}");
        assert_eq!(d.issuer.as_deref(), Some("UBND"), "{enc:?} {how:?}");
        assert_eq!(
            d.date.map(|d| d.to_string()).as_deref(),
            Some("2022-03-18"),
            "{enc:?} {how:?}"
        );
        assert_eq!(d.date_month.as_deref(), Some("2022-03"));
        assert_eq!(d.title_type.as_deref(), Some("BÁO CÁO"));
    }
}

#[test]
fn a_blank_day_keeps_the_month() {
    let Some(opts) = ocr_options() else { return };
    let pdf = scan_pdf(
        &page(&report_header("    ", 4), 200),
        Encoding::Flate,
        Placement::Upright,
        200,
    );
    let f = tlkc::inspect::inspect_bytes("s.pdf".into(), &pdf, &opts);
    assert_eq!(f.document.date, None, "{:?}", f.document);
    assert_eq!(
        f.document.date_month.as_deref(),
        Some("2022-04"),
        "{:?}",
        f.document
    );
    assert_eq!(f.document.r#type.as_deref(), Some("BC"));
}

#[test]
fn no_ocr_leaves_a_scan_unread() {
    let pdf = scan_pdf(
        &page(&report_header("18", 3), 200),
        Encoding::Dct,
        Placement::Upright,
        200,
    );
    let f = tlkc::inspect::inspect_bytes("s.pdf".into(), &pdf, &InspectOptions::default());
    assert_eq!(f.document, Default::default());
    assert_eq!(f.pdf.scan_dpi, Some(200));
}
