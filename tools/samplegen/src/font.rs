//! Embedded DejaVu Serif faces, measured with ttf-parser and embedded as subset
//! Type0/CIDFontType2 fonts (Identity-H + ToUnicode), the way office suites export.

use crate::pdf::{flate, flate_stream, name, Body, Dict, Obj};
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Italic];

    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../fonts/DejaVuSerif.ttf"),
            Face::Bold => include_bytes!("../fonts/DejaVuSerif-Bold.ttf"),
            Face::Italic => include_bytes!("../fonts/DejaVuSerif-Italic.ttf"),
        }
    }

    fn ps_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSerif",
            Face::Bold => "DejaVuSerif-Bold",
            Face::Italic => "DejaVuSerif-Italic",
        }
    }

    pub fn resource(self) -> &'static str {
        match self {
            Face::Regular => "F1",
            Face::Bold => "F2",
            Face::Italic => "F3",
        }
    }

    fn parsed(self) -> ttf_parser::Face<'static> {
        ttf_parser::Face::parse(self.data(), 0).expect("vendored font parses")
    }

    /// Width of `s` in points at `size`.
    pub fn width(self, s: &str, size: f64) -> f64 {
        let f = self.parsed();
        let upem = f.units_per_em() as f64;
        s.chars()
            .map(|c| {
                let g = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f.glyph_hor_advance(g).unwrap_or(0) as f64
            })
            .sum::<f64>()
            * size
            / upem
    }
}

/// Collects the glyphs a document uses per face and hands out the subset glyph ids,
/// which become the CIDs written in content streams.
#[derive(Default)]
pub struct FontUse {
    faces: BTreeMap<Face, FaceUse>,
}

struct FaceUse {
    remapper: subsetter::GlyphRemapper,
    /// new gid -> (char, advance in font units)
    glyphs: BTreeMap<u16, (char, u16)>,
}

impl FontUse {
    /// Encode `s` as 2-byte CIDs for `face`.
    pub fn encode(&mut self, face: Face, s: &str) -> Vec<u8> {
        let f = face.parsed();
        let fu = self.faces.entry(face).or_insert_with(|| {
            let mut remapper = subsetter::GlyphRemapper::new();
            remapper.remap(0);
            FaceUse {
                remapper,
                glyphs: BTreeMap::new(),
            }
        });
        let mut out = Vec::with_capacity(s.len() * 2);
        for c in s.chars() {
            let g = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let new = fu.remapper.remap(g.0);
            let adv = f.glyph_hor_advance(g).unwrap_or(0);
            fu.glyphs.entry(new).or_insert((c, adv));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    pub fn used(&self) -> impl Iterator<Item = Face> + '_ {
        self.faces.keys().copied()
    }

    /// Write the font objects starting at `first_id`; returns (Type0 font ids, objects).
    pub fn objects(&self, first_id: u32) -> Result<(BTreeMap<Face, u32>, BTreeMap<u32, Body>)> {
        let mut objs = BTreeMap::new();
        let mut ids = BTreeMap::new();
        let mut next = first_id;
        for (face, fu) in &self.faces {
            let f = face.parsed();
            let upem = f.units_per_em() as f64;
            let scale = |v: f64| (v * 1000.0 / upem).round() as i64;
            let sub = subsetter::subset(face.data(), 0, &fu.remapper)
                .with_context(|| format!("subsetting {}", face.ps_name()))?;
            // Subset tag from the glyph set, so it is stable and differs between subsets.
            let h = Sha256::digest(format!("{}{:?}", face.ps_name(), fu.glyphs.keys()));
            let tag: String = h[..6].iter().map(|b| (b'A' + b % 26) as char).collect();
            let base = format!("{tag}+{}", face.ps_name());
            let (type0, cid, desc, file, tounicode) =
                (next, next + 1, next + 2, next + 3, next + 4);
            next += 5;

            let mut file_dict = Dict::new().with("Length1", Obj::Int(sub.len() as i64));
            file_dict.set("Filter", name("FlateDecode"));
            objs.insert(file, Body::Stream(file_dict, flate(&sub)));

            let bbox = f.global_bounding_box();
            let mut flags = 32 | 2; // nonsymbolic, serif
            if *face == Face::Italic {
                flags |= 64;
            }
            let descriptor = Dict::new()
                .with("Type", name("FontDescriptor"))
                .with("FontName", name(&base))
                .with("Flags", Obj::Int(flags))
                .with(
                    "FontBBox",
                    Obj::Array(
                        [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max]
                            .iter()
                            .map(|v| Obj::Int(scale(*v as f64)))
                            .collect(),
                    ),
                )
                .with("ItalicAngle", Obj::Real(f.italic_angle() as f64))
                .with("Ascent", Obj::Int(scale(f.ascender() as f64)))
                .with("Descent", Obj::Int(scale(f.descender() as f64)))
                .with(
                    "CapHeight",
                    Obj::Int(scale(f.capital_height().unwrap_or(f.ascender()) as f64)),
                )
                .with(
                    "StemV",
                    Obj::Int(if *face == Face::Bold { 120 } else { 80 }),
                )
                .with("FontFile2", Obj::Ref(file));
            objs.insert(desc, Body::Obj(Obj::Dict(descriptor)));

            let mut widths = vec![Obj::Int(scale(
                f.glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0) as f64,
            ))];
            let n = fu.remapper.num_gids();
            for gid in 1..n {
                let adv = fu.glyphs.get(&gid).map_or(0, |g| g.1);
                widths.push(Obj::Int(scale(adv as f64)));
            }
            let cid_font = Dict::new()
                .with("Type", name("Font"))
                .with("Subtype", name("CIDFontType2"))
                .with("BaseFont", name(&base))
                .with(
                    "CIDSystemInfo",
                    Obj::Dict(
                        Dict::new()
                            .with("Registry", Obj::Str(b"Adobe".to_vec()))
                            .with("Ordering", Obj::Str(b"Identity".to_vec()))
                            .with("Supplement", Obj::Int(0)),
                    ),
                )
                .with("FontDescriptor", Obj::Ref(desc))
                .with("DW", Obj::Int(1000))
                .with("W", Obj::Array(vec![Obj::Int(0), Obj::Array(widths)]))
                .with("CIDToGIDMap", name("Identity"));
            objs.insert(cid, Body::Obj(Obj::Dict(cid_font)));

            objs.insert(
                tounicode,
                flate_stream(Dict::new(), to_unicode(&fu.glyphs).as_bytes()),
            );

            let t0 = Dict::new()
                .with("Type", name("Font"))
                .with("Subtype", name("Type0"))
                .with("BaseFont", name(&base))
                .with("Encoding", name("Identity-H"))
                .with("DescendantFonts", Obj::Array(vec![Obj::Ref(cid)]))
                .with("ToUnicode", Obj::Ref(tounicode));
            objs.insert(type0, Body::Obj(Obj::Dict(t0)));
            ids.insert(*face, type0);
        }
        Ok((ids, objs))
    }
}

fn to_unicode(glyphs: &BTreeMap<u16, (char, u16)>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<_> = glyphs.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, (c, _)) in chunk {
            let mut units = [0u16; 2];
            let u: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(s, "<{gid:04X}> <{u}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}
