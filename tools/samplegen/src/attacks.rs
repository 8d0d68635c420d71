//! Changes hidden behind a role that the revision comparison allows: after
//! the approval signature, an incremental update makes a real change to
//! what page 1 shows (its content stream, its resources, an embedded font
//! program, an added annotation, an added or hidden page) and gives the
//! rewritten object a disguise — a /Type it claims (/StructElem, /MarkInfo,
//! /Sig, /DocTimeStamp, /XRef, /ObjStm) or a path a later signer may use (the trailer's
//! /Info, the catalog's /Metadata, /Extensions, /StructTreeRoot, /Perms, a
//! /DSS /Certs array, a signature field's /V, the page tree's /PieceInfo or
//! /ITXT, the form's /DR with /NeedAppearances). Then the organisation
//! signs, as in [`crate::artefacts`]. Every combination must leave the
//! approval signature "modified after signing".

use crate::artefacts::Staged;
use crate::doc::{build_pdf, DocSpec};
use crate::pdf::{flate, flate_stream, name, text, Body, Dict, Obj, SignOptions};
use crate::pki::TestPki;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;

/// The real change to what the signer saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Page 1's content stream rewritten (a white-out box over the text).
    ContentStream,
    /// A font of page 1's resources now uses another face's glyphs.
    Resources,
    /// Page 1's first embedded font program replaced by another face's.
    FontProgram,
    /// A /FreeText annotation added on page 1, claiming to be a signature
    /// field (/FT /Sig) and listed in the form.
    Annotation,
    /// A second page appended to the page tree.
    AddedPage,
    /// A second page appended as a kid typed /StructElem (readers show it).
    HiddenPage,
}

impl Change {
    pub const ALL: [Change; 6] = [
        Change::ContentStream,
        Change::Resources,
        Change::FontProgram,
        Change::Annotation,
        Change::AddedPage,
        Change::HiddenPage,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Change::ContentStream => "content",
            Change::Resources => "resources",
            Change::FontProgram => "fontprogram",
            Change::Annotation => "annotation",
            Change::AddedPage => "addedpage",
            Change::HiddenPage => "hiddenpage",
        }
    }

    /// Words a checker's description of the change must contain.
    pub fn words(self) -> &'static str {
        match self {
            Change::ContentStream => "page 1 content changed",
            Change::Resources => "page 1 resources changed",
            Change::FontProgram => "embedded font program",
            Change::Annotation => "annotation (/FreeText) added on page 1",
            Change::AddedPage | Change::HiddenPage => "1 page(s) added",
        }
    }
}

/// The role the changed object pretends to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disguise {
    TypeStructElem,
    TypeMarkInfo,
    TypeSig,
    TypeDocTimeStamp,
    /// /Type /XRef or /ObjStm: what a parser's own bookkeeping looks like.
    TypeXRef,
    TypeObjStm,
    /// The /V of a new signature field.
    SigValue,
    /// The new trailer's /Info.
    Info,
    /// The catalog's /Metadata.
    Metadata,
    /// The catalog's /Extensions.
    Extensions,
    /// The catalog's /StructTreeRoot.
    StructTreeRoot,
    /// A new /DSS whose /Certs array holds it.
    DssCerts,
    /// /Perms /DocMDP.
    Perms,
    /// The page tree's /PieceInfo private data.
    PieceInfo,
    /// The page tree's /ITXT marker.
    Itxt,
    /// The form's default resources, with /NeedAppearances true.
    FormResources,
}

impl Disguise {
    pub const ALL: [Disguise; 16] = [
        Disguise::TypeStructElem,
        Disguise::TypeMarkInfo,
        Disguise::TypeSig,
        Disguise::TypeDocTimeStamp,
        Disguise::TypeXRef,
        Disguise::TypeObjStm,
        Disguise::SigValue,
        Disguise::Info,
        Disguise::Metadata,
        Disguise::Extensions,
        Disguise::StructTreeRoot,
        Disguise::DssCerts,
        Disguise::Perms,
        Disguise::PieceInfo,
        Disguise::Itxt,
        Disguise::FormResources,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Disguise::TypeStructElem => "type-structelem",
            Disguise::TypeMarkInfo => "type-markinfo",
            Disguise::TypeSig => "type-sig",
            Disguise::TypeDocTimeStamp => "type-doctimestamp",
            Disguise::TypeXRef => "type-xref",
            Disguise::TypeObjStm => "type-objstm",
            Disguise::SigValue => "sig-value",
            Disguise::Info => "info",
            Disguise::Metadata => "metadata",
            Disguise::Extensions => "extensions",
            Disguise::StructTreeRoot => "structtreeroot",
            Disguise::DssCerts => "dss-certs",
            Disguise::Perms => "perms",
            Disguise::PieceInfo => "pieceinfo",
            Disguise::Itxt => "itxt",
            Disguise::FormResources => "form-dr",
        }
    }
}

/// Every (change, disguise) pair, in a fixed order.
pub fn all() -> Vec<(Change, Disguise)> {
    Change::ALL
        .iter()
        .flat_map(|c| Disguise::ALL.iter().map(move |d| (*c, *d)))
        .collect()
}

fn dict_mut(b: &mut Body) -> &mut Dict {
    match b {
        Body::Obj(Obj::Dict(d)) | Body::Stream(d, _) => d,
        Body::Obj(o) => {
            *o = Obj::Dict(Dict::new());
            match o {
                Obj::Dict(d) => d,
                _ => unreachable!("just set"),
            }
        }
    }
}

fn as_dict(b: Option<&Body>) -> Result<Dict> {
    match b {
        Some(Body::Obj(Obj::Dict(d))) => Ok(d.clone()),
        _ => bail!("not a dictionary"),
    }
}

fn ref_in(d: &Dict, key: &str) -> Result<u32> {
    match d.get(key) {
        Some(Obj::Ref(r)) => Ok(*r),
        Some(Obj::Array(a)) => match a.first() {
            Some(Obj::Ref(r)) => Ok(*r),
            _ => bail!("/{key} holds no reference"),
        },
        _ => bail!("no /{key} reference"),
    }
}

/// The update being written: every object it rewrites or adds.
struct Update {
    changed: BTreeMap<u32, Body>,
    next: u32,
    root: u32,
}

impl Update {
    fn alloc(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    fn dict(&mut self, id: u32) -> &mut Dict {
        dict_mut(self.changed.get_mut(&id).expect("object staged"))
    }

    fn form(&mut self) -> &mut Dict {
        let cat = self.dict(self.root);
        if !matches!(cat.get("AcroForm"), Some(Obj::Dict(_))) {
            cat.set("AcroForm", Obj::Dict(Dict::new()));
        }
        match cat.get_mut("AcroForm") {
            Some(Obj::Dict(d)) => d,
            _ => unreachable!("just set"),
        }
    }

    fn push_to(d: &mut Dict, key: &str, v: Obj) {
        let mut a = match d.get(key) {
            Some(Obj::Array(a)) => a.clone(),
            _ => vec![],
        };
        a.push(v);
        d.set(key, Obj::Array(a));
    }
}

/// Approval signature, the disguised change, the organisation's signature.
pub fn disguised(
    spec: &DocSpec,
    time: DateTime<FixedOffset>,
    change: Change,
    disguise: Disguise,
) -> Result<Staged> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    let loc = pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    let approval_end = loc.byte_range[2] + loc.byte_range[3];

    let root = pdf.root_id();
    let page1 = *pdf.page_ids().first().context("no pages")?;
    let page = as_dict(pdf.object(page1))?;
    let pages = ref_in(&page, "Parent")?;
    let mut u = Update {
        changed: BTreeMap::new(),
        next: pdf.next_id(),
        root,
    };
    for id in [root, pages] {
        u.changed
            .insert(id, pdf.object(id).context("object")?.clone());
    }
    // Page 1's fonts: (Type0 font, its font program), in resource order.
    let mut fonts = Vec::new();
    if let Some(Obj::Dict(res)) = page.get("Resources") {
        if let Some(Obj::Dict(f)) = res.get("Font") {
            for (_, v) in &f.0 {
                if let Obj::Ref(t0) = v {
                    let cid = ref_in(&as_dict(pdf.object(*t0))?, "DescendantFonts")?;
                    let desc = ref_in(&as_dict(pdf.object(cid))?, "FontDescriptor")?;
                    let file = ref_in(&as_dict(pdf.object(desc))?, "FontFile2")?;
                    fonts.push((*t0, cid, file));
                }
            }
        }
    }

    let target = match change {
        Change::ContentStream => {
            let c = ref_in(&page, "Contents")?;
            let Some(Body::Stream(d, data)) = pdf.object(c) else {
                bail!("page 1 content is not a stream");
            };
            let mut plain = miniz_oxide::inflate::decompress_to_vec_zlib(data)
                .map_err(|e| anyhow::anyhow!("inflate: {e:?}"))?;
            plain.extend_from_slice(b"1 1 1 rg 56 600 480 80 re f\n");
            let mut d = d.clone();
            d.0.retain(|(k, _)| k != "Length");
            u.changed.insert(c, flate_stream(d, &plain));
            c
        }
        Change::Resources => {
            let [(t0, _, _), (_, other_cid, _), ..] = fonts.as_slice() else {
                bail!("page 1 uses fewer than two fonts");
            };
            let mut d = as_dict(pdf.object(*t0))?;
            d.set("DescendantFonts", Obj::Array(vec![Obj::Ref(*other_cid)]));
            u.changed.insert(*t0, Body::Obj(Obj::Dict(d)));
            *t0
        }
        Change::FontProgram => {
            let [(_, _, file), (_, _, other), ..] = fonts.as_slice() else {
                bail!("page 1 uses fewer than two fonts");
            };
            let Some(Body::Stream(d, data)) = pdf.object(*other) else {
                bail!("font program is not a stream");
            };
            u.changed
                .insert(*file, Body::Stream(d.clone(), data.clone()));
            *file
        }
        Change::Annotation => {
            let a = u.alloc();
            let annot = Dict::new()
                .with("Type", name("Annot"))
                .with("Subtype", name("FreeText"))
                .with("FT", name("Sig"))
                .with("T", text("ChuKy3"))
                .with("F", Obj::Int(4))
                .with(
                    "Rect",
                    Obj::Array(vec![
                        Obj::Int(56),
                        Obj::Int(600),
                        Obj::Int(536),
                        Obj::Int(680),
                    ]),
                )
                .with("Contents", text("ngày 13 tháng 3 năm 2022"))
                .with("DA", Obj::Str(b"/Helv 14 Tf 0 g".to_vec()))
                .with("P", Obj::Ref(page1));
            u.changed.insert(a, Body::Obj(Obj::Dict(annot)));
            let mut p = page.clone();
            Update::push_to(&mut p, "Annots", Obj::Ref(a));
            u.changed.insert(page1, Body::Obj(Obj::Dict(p)));
            Update::push_to(u.form(), "Fields", Obj::Ref(a));
            a
        }
        Change::AddedPage | Change::HiddenPage => {
            let content = u.alloc();
            let new_page = u.alloc();
            u.changed.insert(
                content,
                flate_stream(Dict::new(), b"0 0 0 rg 56 700 200 20 re f\n"),
            );
            let mut p = page.clone();
            p.set("Contents", Obj::Ref(content));
            p.0.retain(|(k, _)| k != "Annots");
            if change == Change::HiddenPage {
                p.set("Type", name("StructElem"));
                p.set("S", name("P"));
            }
            u.changed.insert(new_page, Body::Obj(Obj::Dict(p)));
            let node = u.dict(pages);
            Update::push_to(node, "Kids", Obj::Ref(new_page));
            let n = match node.get("Kids") {
                Some(Obj::Array(a)) => a.len(),
                _ => 1,
            };
            // /Count agrees with the kids: poppler shows what it counts.
            node.set("Count", Obj::Int(n as i64));
            pages
        }
    };

    let x = Obj::Ref(target);
    let type_claim = |u: &mut Update, t: &str| {
        let d = u.dict(target);
        d.set("Type", name(t));
    };
    match disguise {
        Disguise::TypeStructElem => {
            type_claim(&mut u, "StructElem");
            u.dict(target).set("S", name("P"));
        }
        Disguise::TypeMarkInfo => type_claim(&mut u, "MarkInfo"),
        Disguise::TypeSig => {
            type_claim(&mut u, "Sig");
            let d = u.dict(target);
            d.set("Filter", name("Adobe.PPKLite"));
            d.set("SubFilter", name("adbe.pkcs7.detached"));
        }
        Disguise::TypeDocTimeStamp => {
            type_claim(&mut u, "DocTimeStamp");
            u.dict(target).set("SubFilter", name("ETSI.RFC3161"));
        }
        Disguise::TypeXRef => type_claim(&mut u, "XRef"),
        Disguise::TypeObjStm => type_claim(&mut u, "ObjStm"),
        Disguise::SigValue => {
            let f = u.alloc();
            let field = Dict::new()
                .with("FT", name("Sig"))
                .with("T", text("ChuKyPhu"))
                .with("V", x);
            u.changed.insert(f, Body::Obj(Obj::Dict(field)));
            Update::push_to(u.form(), "Fields", Obj::Ref(f));
        }
        Disguise::Info => pdf.set_info(Some(target)),
        Disguise::Metadata => u.dict(root).set("Metadata", x),
        Disguise::Extensions => u.dict(root).set("Extensions", x),
        Disguise::StructTreeRoot => {
            u.dict(root).set("StructTreeRoot", x);
            u.dict(root).set(
                "MarkInfo",
                Obj::Dict(Dict::new().with("Marked", Obj::Bool(true))),
            );
        }
        Disguise::DssCerts => {
            let cert = u.alloc();
            u.changed
                .insert(cert, Body::Stream(Dict::new(), pki.org.cert.clone()));
            u.dict(root).set(
                "DSS",
                Obj::Dict(Dict::new().with("Certs", Obj::Array(vec![Obj::Ref(cert), x]))),
            );
        }
        Disguise::Perms => u
            .dict(root)
            .set("Perms", Obj::Dict(Dict::new().with("DocMDP", x))),
        Disguise::PieceInfo => {
            let private = Dict::new()
                .with("LastModified", text("D:20220315100000+07'00'"))
                .with("Private", x);
            u.dict(pages).set(
                "PieceInfo",
                Obj::Dict(Dict::new().with("VGCA", Obj::Dict(private))),
            );
        }
        Disguise::Itxt => u.dict(pages).set("ITXT", x),
        Disguise::FormResources => {
            let form = u.form();
            form.set("NeedAppearances", Obj::Bool(true));
            form.set(
                "DR",
                Obj::Dict(Dict::new().with("XObject", Obj::Dict(Dict::new().with("X0", x)))),
            );
        }
    }
    let Update { changed, .. } = u;
    pdf.append_update(changed);
    pdf.sign(
        &pki.org,
        &SignOptions::at(time + Duration::minutes(40), "Phát hành văn bản"),
    )?;
    Ok(Staged {
        bytes: pdf.into_bytes(),
        approval_end,
    })
}

/// Appends an incremental update to any PDF, the way a hand editor does:
/// `objects` (already serialised bodies, `N 0 obj` … `endobj` added here)
/// and a trailer naming `root`, `info` (if any) and `size`, chained to the
/// file's last cross-reference section. For tests that tamper with files
/// they did not build (the committed samples).
pub fn append_raw_update(
    bytes: &[u8],
    objects: &[(u32, Vec<u8>)],
    root: u32,
    info: Option<u32>,
    size: u32,
) -> Result<Vec<u8>> {
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .context("no startxref")?;
    let prev: usize = std::str::from_utf8(&bytes[at + 9..])
        .ok()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .context("startxref offset")?;
    let mut out = bytes.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    for (id, body) in objects {
        offsets.push((*id, out.len()));
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (id, off) in &offsets {
        out.extend_from_slice(format!("{id} 1\n{off:010} 00000 n\r\n").as_bytes());
    }
    let size = size.max(objects.iter().map(|(i, _)| i + 1).max().unwrap_or(0));
    let info = info.map(|i| format!("/Info {i} 0 R ")).unwrap_or_default();
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {size} /Root {root} 0 R {info}/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Ok(out)
}

/// A stream body for [`append_raw_update`]: `dict` entries (without
/// /Length) and flate-compressed `data`.
pub fn raw_stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let z = flate(data);
    let mut b = format!(
        "<<{dict} /Filter /FlateDecode /Length {}>>\nstream\n",
        z.len()
    )
    .into_bytes();
    b.extend_from_slice(&z);
    b.extend_from_slice(b"\nendstream");
    b
}

/// Approval signature, then an update that gives the approval's own
/// signature widget a new appearance (what its stamp shows on page 1),
/// then the organisation's signature.
pub fn restamped(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Staged> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    let loc = pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    let approval_end = loc.byte_range[2] + loc.byte_range[3];
    let page1 = *pdf.page_ids().first().context("no pages")?;
    let widget = ref_in(&as_dict(pdf.object(page1))?, "Annots")?;
    let mut w = as_dict(pdf.object(widget))?;
    let ap = pdf.next_id();
    let stamp = Dict::new()
        .with("Type", name("XObject"))
        .with("Subtype", name("Form"))
        .with(
            "BBox",
            Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Int(480), Obj::Int(80)]),
        );
    w.set("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))));
    let mut changed = BTreeMap::new();
    changed.insert(ap, flate_stream(stamp, b"1 1 1 rg 0 0 480 80 re f\n"));
    changed.insert(widget, Body::Obj(Obj::Dict(w)));
    pdf.append_update(changed);
    pdf.sign(
        &pki.org,
        &SignOptions::at(time + Duration::minutes(40), "Phát hành văn bản"),
    )?;
    Ok(Staged {
        bytes: pdf.into_bytes(),
        approval_end,
    })
}
