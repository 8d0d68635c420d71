//! Decree 30 layout of one administrative document, as a born-digital text PDF or a scan.

use crate::font::{Face, FontUse};
use crate::pdf::{flate_stream, name, text, Body, Dict, Obj, Pdf};
use crate::scan::{self, ScanSpec};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use unicode_normalization::UnicodeNormalization;

/// What goes under the number block: a typed document's heading or a công văn's "V/v" extract.
#[derive(Clone, Debug)]
pub enum Kind {
    /// e.g. heading "BÁO CÁO", title "Công tác cải cách hành chính quý I năm 2022".
    Typed { heading: String, title: String },
    /// extract without the "V/v " prefix; addressee after "Kính gửi:".
    CongVan {
        extract: String,
        addressee: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Signer {
    /// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", …
    pub authority: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG ĐOÀN"
    pub title: String,
    pub name: String,
}

/// One document.
#[derive(Clone, Debug)]
pub struct DocSpec {
    /// Parent body, upright (e.g. "UBND HUYỆN ĐẮK GLEI" above a Đoàn kiểm tra).
    pub issuer_parent: Option<String>,
    /// Issuer name lines, bold: ["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"].
    pub issuer: Vec<String>,
    /// "45/BC-UBND" (written as "Số: 45/BC-UBND"); None writes no number line.
    pub number: Option<String>,
    pub place: String,
    pub date: NaiveDate,
    pub kind: Kind,
    pub body: Vec<String>,
    /// Lines after "Nơi nhận:", each written with a leading "- ".
    pub recipients: Vec<String>,
    pub signer: Signer,
    /// Header version, "1.7" normally; "1.3" for an old scanner's output.
    pub pdf_version: String,
    /// Some: render as an image-only scan of this layout instead of text.
    pub scan: Option<ScanSpec>,
}

impl DocSpec {
    /// A UBND Đắk Glei document with the usual signer and recipients.
    pub fn dak_glei(number: &str, date: NaiveDate, kind: Kind, body: &[&str]) -> DocSpec {
        DocSpec {
            issuer_parent: None,
            issuer: vec!["ỦY BAN NHÂN DÂN".into(), "HUYỆN ĐẮK GLEI".into()],
            number: Some(number.into()),
            place: "Đắk Glei".into(),
            date,
            kind,
            body: body.iter().map(|s| s.to_string()).collect(),
            recipients: vec![
                "Sở Nội vụ tỉnh Kon Tum (b/c);".into(),
                "TT Huyện ủy, TT HĐND huyện (b/c);".into(),
                "Chủ tịch, các PCT UBND huyện;".into(),
                "Lưu: VT, NV.".into(),
            ],
            signer: Signer {
                authority: Some("TM. ỦY BAN NHÂN DÂN".into()),
                title: "CHỦ TỊCH".into(),
                name: crate::pki::PERSON_NAME.into(),
            },
            pdf_version: "1.7".into(),
            scan: None,
        }
    }

    /// "Đắk Glei, ngày 18 tháng 3 năm 2022": day below 10 and months 1–2 zero-padded (ND30).
    pub fn date_line(&self) -> String {
        format!("{}, {}", self.place, vn_date(self.date))
    }

    pub fn title(&self) -> String {
        match &self.kind {
            Kind::Typed { heading, title } => format!("{heading} {title}"),
            Kind::CongVan { extract, .. } => format!("V/v {extract}"),
        }
    }
}

pub fn vn_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

pub const PAGE_W: f64 = 595.28;
pub const PAGE_H: f64 = 841.89;
const LEFT: f64 = 70.0;
const RIGHT: f64 = PAGE_W - 50.0;
const TOP: f64 = PAGE_H - 50.0;
const BOTTOM: f64 = 60.0;
const LEFT_COL: f64 = 152.0;
const RIGHT_COL: f64 = 402.0;
const HEADER_HALF: f64 = 96.0;

/// One positioned line of text.
#[derive(Clone, Debug)]
pub struct Line {
    pub face: Face,
    pub size: f64,
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// A horizontal rule (the short lines under the issuer and the motto).
#[derive(Clone, Debug)]
pub struct Rule {
    pub x1: f64,
    pub x2: f64,
    pub y: f64,
}

#[derive(Default, Clone, Debug)]
pub struct PageLayout {
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
}

struct Layout {
    pages: Vec<PageLayout>,
    y: f64,
}

impl Layout {
    fn page(&mut self) -> &mut PageLayout {
        self.pages.last_mut().unwrap()
    }
    fn put(&mut self, face: Face, size: f64, x: f64, text: &str) {
        let y = self.y;
        self.page().lines.push(Line {
            face,
            size,
            x,
            y,
            text: text.nfc().collect(),
        });
    }
    fn centred(&mut self, face: Face, size: f64, centre: f64, half: f64, text: &str) -> f64 {
        let mut size = size;
        // Shrink long header lines to fit their column instead of overflowing it.
        while face.width(text, size) > 2.0 * half && size > 7.0 {
            size -= 0.5;
        }
        let w = face.width(text, size);
        self.put(face, size, centre - w / 2.0, text);
        w
    }
    fn need(&mut self, h: f64) {
        if self.y - h < BOTTOM {
            self.pages.push(PageLayout::default());
            self.y = TOP;
        }
    }
}

/// Greedy word wrap by measured width.
pub fn wrap(face: Face, size: f64, text: &str, first_width: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        let limit = if lines.is_empty() { first_width } else { width };
        if face.width(&cand, size) > limit && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Lay the document out into pages of positioned lines.
pub fn layout(spec: &DocSpec) -> Vec<PageLayout> {
    let mut l = Layout {
        pages: vec![PageLayout::default()],
        y: TOP,
    };
    // Header: issuer block on the left, motto block on the right, same top line.
    let top = l.y;
    if let Some(p) = &spec.issuer_parent {
        l.centred(Face::Regular, 12.0, LEFT_COL, HEADER_HALF, p);
        l.y -= 15.0;
    }
    let mut w = 0.0;
    for line in &spec.issuer {
        w = l.centred(Face::Bold, 12.0, LEFT_COL, HEADER_HALF, line);
        l.y -= 15.0;
    }
    let rule_y = l.y + 11.0;
    l.page().rules.push(Rule {
        x1: LEFT_COL - w / 4.0,
        x2: LEFT_COL + w / 4.0,
        y: rule_y,
    });
    let left_end = l.y;
    l.y = top;
    l.centred(
        Face::Bold,
        12.0,
        RIGHT_COL,
        HEADER_HALF + 42.0,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    );
    l.y -= 15.0;
    let w2 = l.centred(
        Face::Bold,
        12.5,
        RIGHT_COL,
        HEADER_HALF,
        "Độc lập - Tự do - Hạnh phúc",
    );
    let y = l.y - 3.0;
    l.page().rules.push(Rule {
        x1: RIGHT_COL - w2 / 2.0,
        x2: RIGHT_COL + w2 / 2.0,
        y,
    });
    l.y = left_end.min(l.y - 15.0) - 8.0;
    if let Some(n) = &spec.number {
        l.centred(
            Face::Regular,
            12.5,
            LEFT_COL,
            HEADER_HALF,
            &format!("Số: {n}"),
        );
    }
    l.centred(
        Face::Italic,
        12.5,
        RIGHT_COL,
        HEADER_HALF + 42.0,
        &spec.date_line(),
    );
    l.y -= 17.0;

    match &spec.kind {
        Kind::CongVan { extract, addressee } => {
            for line in wrap(Face::Regular, 11.5, &format!("V/v {extract}"), 190.0, 190.0) {
                l.centred(Face::Regular, 11.5, LEFT_COL, HEADER_HALF, &line);
                l.y -= 14.0;
            }
            l.y -= 16.0;
            if let Some(a) = addressee {
                l.centred(
                    Face::Regular,
                    13.0,
                    PAGE_W / 2.0,
                    PAGE_W / 2.0 - 60.0,
                    &format!("Kính gửi: {a}"),
                );
                l.y -= 26.0;
            }
        }
        Kind::Typed { heading, title } => {
            l.y -= 22.0;
            l.centred(Face::Bold, 14.0, PAGE_W / 2.0, 200.0, heading);
            l.y -= 17.0;
            for line in wrap(Face::Bold, 13.0, title, 400.0, 400.0) {
                l.centred(Face::Bold, 13.0, PAGE_W / 2.0, 210.0, &line);
                l.y -= 16.0;
            }
            let y = l.y + 10.0;
            l.page().rules.push(Rule {
                x1: PAGE_W / 2.0 - 40.0,
                x2: PAGE_W / 2.0 + 40.0,
                y,
            });
            l.y -= 18.0;
        }
    }

    let size = 12.5;
    let lead = size * 1.35;
    for para in &spec.body {
        let width = RIGHT - LEFT;
        for (i, line) in wrap(Face::Regular, size, para, width - 28.0, width)
            .iter()
            .enumerate()
        {
            l.need(lead);
            let x = if i == 0 { LEFT + 28.0 } else { LEFT };
            l.put(Face::Regular, size, x, line);
            l.y -= lead;
        }
        l.y -= 4.0;
    }

    // Recipients bottom-left, signature block bottom-right, starting on the same line.
    let block = 30.0 + 12.0 * spec.recipients.len().max(6) as f64;
    l.need(block);
    l.y -= 10.0;
    let start = l.y;
    l.put(Face::Bold, 11.0, LEFT, "Nơi nhận:");
    l.y -= 13.0;
    for r in &spec.recipients {
        l.put(Face::Regular, 10.0, LEFT, &format!("- {r}"));
        l.y -= 12.0;
    }
    l.y = start;
    if let Some(a) = &spec.signer.authority {
        l.centred(Face::Bold, 12.5, RIGHT_COL + 20.0, 120.0, a);
        l.y -= 15.0;
    }
    l.centred(
        Face::Bold,
        12.5,
        RIGHT_COL + 20.0,
        120.0,
        &spec.signer.title,
    );
    l.y -= 70.0;
    l.centred(Face::Bold, 12.5, RIGHT_COL + 20.0, 120.0, &spec.signer.name);
    l.pages
}

/// Build the unsigned PDF for `spec` (text or scan).
pub fn build_pdf(spec: &DocSpec) -> Result<Pdf> {
    build_pdf_pages(spec, layout(spec))
}

/// Build the unsigned PDF for `spec` with pages laid out by the caller:
/// tests place lines by hand to reproduce layouts of real document systems.
pub fn build_pdf_pages(spec: &DocSpec, pages: Vec<PageLayout>) -> Result<Pdf> {
    let mut objects: BTreeMap<u32, Body> = BTreeMap::new();
    let catalog_id = 1;
    let pages_id = 2;
    let info_id = 3;
    let mut next = 4;
    let mut page_ids = Vec::new();
    let mut page_bodies = Vec::new();

    if let Some(scan_spec) = &spec.scan {
        for (i, p) in pages.iter().enumerate().take(scan_spec.pages.max(1)) {
            let raster = scan::render(p, scan_spec, i as u64);
            let (img_id, content_id, page_id) = (next, next + 1, next + 2);
            next += 3;
            objects.insert(img_id, raster);
            let content = format!(
                "q\n{} 0 0 {} 0 0 cm\n/Im0 Do\nQ\n",
                crate::pdf::fmt_real(PAGE_W),
                crate::pdf::fmt_real(PAGE_H)
            );
            objects.insert(content_id, flate_stream(Dict::new(), content.as_bytes()));
            let res = Dict::new().with(
                "XObject",
                Obj::Dict(Dict::new().with("Im0", Obj::Ref(img_id))),
            );
            page_bodies.push((page_id, content_id, res));
            page_ids.push(page_id);
        }
        // A scanned multi-page document may have more pages than the text layout.
        for i in pages.len()..scan_spec.pages {
            let raster = scan::render(&PageLayout::default(), scan_spec, i as u64);
            let (img_id, content_id, page_id) = (next, next + 1, next + 2);
            next += 3;
            objects.insert(img_id, raster);
            let content = format!(
                "q\n{} 0 0 {} 0 0 cm\n/Im0 Do\nQ\n",
                crate::pdf::fmt_real(PAGE_W),
                crate::pdf::fmt_real(PAGE_H)
            );
            objects.insert(content_id, flate_stream(Dict::new(), content.as_bytes()));
            let res = Dict::new().with(
                "XObject",
                Obj::Dict(Dict::new().with("Im0", Obj::Ref(img_id))),
            );
            page_bodies.push((page_id, content_id, res));
            page_ids.push(page_id);
        }
    } else {
        let mut fonts = FontUse::default();
        let mut contents = Vec::new();
        for p in &pages {
            let mut c = String::new();
            for r in &p.rules {
                let _ = writeln!(
                    c,
                    "0.6 w {} {} m {} {} l S",
                    crate::pdf::fmt_real(r.x1),
                    crate::pdf::fmt_real(r.y),
                    crate::pdf::fmt_real(r.x2),
                    crate::pdf::fmt_real(r.y)
                );
            }
            // One BT/Tm per line, like office-suite exports.
            for line in &p.lines {
                let cids = fonts.encode(line.face, &line.text);
                let _ = writeln!(
                    c,
                    "BT /{} {} Tf 1 0 0 1 {} {} Tm <{}> Tj ET",
                    line.face.resource(),
                    crate::pdf::fmt_real(line.size),
                    crate::pdf::fmt_real(line.x),
                    crate::pdf::fmt_real(line.y),
                    crate::pdf::hex(&cids)
                );
            }
            contents.push(c);
        }
        let first_font = next + 2 * pages.len() as u32;
        let (font_ids, font_objs) = fonts.objects(first_font)?;
        objects.extend(font_objs);
        let mut font_dict = Dict::new();
        for f in fonts.used() {
            font_dict.set(f.resource(), Obj::Ref(font_ids[&f]));
        }
        for c in contents {
            let (content_id, page_id) = (next, next + 1);
            next += 2;
            objects.insert(content_id, flate_stream(Dict::new(), c.as_bytes()));
            let res = Dict::new().with("Font", Obj::Dict(font_dict.clone()));
            page_bodies.push((page_id, content_id, res));
            page_ids.push(page_id);
        }
    }

    for (page_id, content_id, res) in page_bodies {
        let page = Dict::new()
            .with("Type", name("Page"))
            .with("Parent", Obj::Ref(pages_id))
            .with(
                "MediaBox",
                Obj::Array(vec![
                    Obj::Int(0),
                    Obj::Int(0),
                    Obj::Real(PAGE_W),
                    Obj::Real(PAGE_H),
                ]),
            )
            .with("Resources", Obj::Dict(res))
            .with("Contents", Obj::Ref(content_id));
        objects.insert(page_id, Body::Obj(Obj::Dict(page)));
    }
    objects.insert(
        pages_id,
        Body::Obj(Obj::Dict(
            Dict::new()
                .with("Type", name("Pages"))
                .with(
                    "Kids",
                    Obj::Array(page_ids.iter().map(|i| Obj::Ref(*i)).collect()),
                )
                .with("Count", Obj::Int(page_ids.len() as i64)),
        )),
    );
    objects.insert(
        catalog_id,
        Body::Obj(Obj::Dict(
            Dict::new()
                .with("Type", name("Catalog"))
                .with("Pages", Obj::Ref(pages_id))
                .with("Lang", Obj::Str(b"vi-VN".to_vec())),
        )),
    );
    let producer = if spec.scan.is_some() {
        "samplegen scan"
    } else {
        "samplegen"
    };
    objects.insert(
        info_id,
        Body::Obj(Obj::Dict(
            Dict::new()
                .with("Title", text(&spec.title()))
                .with("Producer", Obj::Str(producer.as_bytes().to_vec())),
        )),
    );
    Ok(Pdf::new(
        &spec.pdf_version,
        objects,
        catalog_id,
        Some(info_id),
        page_ids,
    ))
}
