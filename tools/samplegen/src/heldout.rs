//! Held-out attacks on the revision comparison, kept apart from
//! [`crate::attacks`] (other files, other paths): the document is first
//! restructured the way many producers write it — page 1's /Resources,
//! /XObject, /ExtGState, /Pattern, /Shading and /Contents array as objects of
//! their own, optional content (/OCProperties), outlines, embedded files, an
//! empty signature field and a hidden one, a second page whose /Annots array
//! is its own object — then the approval signature, then one incremental
//! update that changes what a reader sees through a path the committed
//! attacks do not use (or a harmless later artefact, for the other side).

use crate::artefacts::Staged;
use crate::doc::{build_pdf, DocSpec};
use crate::pdf::{flate, flate_stream, name, text, Body, Dict, Obj, Pdf, SignOptions};
use crate::pki::TestPki;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;

/// One held-out update after the approval signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attack {
    /// The page's /Contents array (its own object) gains an element.
    ContentsArrayAdd,
    /// The Form XObject page 1 draws is rewritten in place.
    XObjectForm,
    /// The /XObject dictionary (its own object) names another form.
    XObjectDict,
    /// The /ExtGState page 1 uses turns everything after it invisible.
    ExtGState,
    /// The /ExtGState dictionary (its own object) gains a state.
    ExtGStateDict,
    /// /MediaBox of page 1 shrunk to hide its top half.
    MediaBox,
    /// /CropBox set on the page-tree node (inherited by every page).
    InheritedCropBox,
    /// /Rotate 180 on page 1.
    Rotate,
    /// The shading a pattern paints with is rewritten.
    Shading,
    /// The pattern dictionary is rewritten.
    Pattern,
    /// Page 2's /Annots array (its own object) gains a /FreeText.
    AnnotsArrayAdd,
    /// The catalog's /OCProperties (its own object) turns the layer off.
    OcPropertiesOff,
    /// The optional-content group page 1 uses is rewritten (its /Usage).
    OcgChanged,
    /// /OpenAction JavaScript in the catalog.
    OpenActionJs,
    /// /AA on page 1 (an action when the page opens).
    PageAa,
    /// An outline item's title rewritten.
    Outline,
    /// A second embedded file added to the existing /EmbeddedFiles tree.
    EmbeddedFile,
    /// Page 1's content stream redefined inside an object stream of the
    /// update (cross-reference stream).
    ObjStmRedefine,
    /// Page 1's dictionary redefined inside an object stream (a dictionary
    /// may live in one) with a new /MediaBox.
    ObjStmPage,
    /// An object stream of the update holds page 1 twice: the rewritten
    /// dictionary at the index the cross-reference stream names (what
    /// pdf.js reads), the signed one after it (what a parser keyed by
    /// object number keeps).
    ObjStmTwice,
    /// The update's cross-reference table lists the content stream twice:
    /// first the rewritten one (what pdf.js and poppler keep), then the
    /// signed revision's own offset.
    DuplicateXrefEntry,
    /// The same object number written twice in the update's body; the
    /// table points at the first (the rewritten one).
    TwiceInBody,
    /// The rewritten content stream is written with generation 1, and the
    /// table entry says generation 1; the page still refers to generation 0.
    GenerationMismatch,
    /// A hybrid update: the table lists nothing, its /XRefStm names a
    /// cross-reference stream that points at the rewritten content.
    HybridXRefStm,
    /// A cross-reference stream whose /Index lists the content stream
    /// twice: first the rewritten one, then the signed revision's offset.
    DuplicateXrefStreamIndex,
    /// An update that cannot be loaded whole (a flate bomb typed /ObjStm
    /// that no object uses) beside a rewritten content stream.
    UnloadableUpdate,
    /// The empty signature field's appearance stream rewritten (white box
    /// over the text), the field left unsigned.
    EmptyFieldAppearance,
    /// The hidden empty signature field (white box over the text) shown.
    HiddenFieldShown,
    /// A new signature field whose widget has an opaque full-page
    /// appearance, then signed by the organisation (known gap).
    FullPageSigWidget,
    /// The page tree's /Kids reordered (page 2 first).
    KidsReordered,
    /// The form's default resources (/DR) name another font for /Helv,
    /// whose /Differences draw "5" as "3": a text field without an
    /// appearance stream is drawn by the viewer from /DR.
    FormDrFont,
    /// A new widget on page 1 whose /Parent is the approval's own (signed)
    /// field, with an opaque appearance: it inherits a signature value, but
    /// nobody signs anything new.
    WidgetOfSignedField,
    /// A new signature field whose /V is the approval's existing signature
    /// dictionary, with an opaque appearance on page 1.
    ReusedSignatureValue,
    /// The empty field given the approval's existing signature dictionary
    /// as its /V, and an opaque appearance.
    EmptyFieldGivenOldValue,
    /// The form's default appearance (/DA) turned white: the same field,
    /// which has no /DA of its own, disappears.
    FormDa,
    /// The prepared empty field signed (a signature value, not a real
    /// CMS) with an opaque appearance over the text (known gap: signing
    /// may draw anything inside the field's rectangle).
    FillFieldOpaque,
}

impl Attack {
    pub const ALL: [Attack; 36] = [
        Attack::ContentsArrayAdd,
        Attack::XObjectForm,
        Attack::XObjectDict,
        Attack::ExtGState,
        Attack::ExtGStateDict,
        Attack::MediaBox,
        Attack::InheritedCropBox,
        Attack::Rotate,
        Attack::Shading,
        Attack::Pattern,
        Attack::AnnotsArrayAdd,
        Attack::OcPropertiesOff,
        Attack::OcgChanged,
        Attack::OpenActionJs,
        Attack::PageAa,
        Attack::Outline,
        Attack::EmbeddedFile,
        Attack::ObjStmRedefine,
        Attack::ObjStmPage,
        Attack::ObjStmTwice,
        Attack::DuplicateXrefEntry,
        Attack::TwiceInBody,
        Attack::GenerationMismatch,
        Attack::HybridXRefStm,
        Attack::DuplicateXrefStreamIndex,
        Attack::UnloadableUpdate,
        Attack::EmptyFieldAppearance,
        Attack::HiddenFieldShown,
        Attack::FullPageSigWidget,
        Attack::KidsReordered,
        Attack::FormDrFont,
        Attack::FormDa,
        Attack::WidgetOfSignedField,
        Attack::ReusedSignatureValue,
        Attack::EmptyFieldGivenOldValue,
        Attack::FillFieldOpaque,
    ];
}

/// Harmless later revisions on the same restructured document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Harmless {
    /// The organisation signs (a new field and widget).
    SecondSignature,
    /// The organisation signs the empty field prepared for it.
    FillEmptyField,
    /// A /DSS with the signers' certificates, then the organisation signs.
    Dss,
    /// A document timestamp (/DocTimeStamp in a new field).
    DocTimeStamp,
}

impl Harmless {
    pub const ALL: [Harmless; 4] = [
        Harmless::SecondSignature,
        Harmless::FillEmptyField,
        Harmless::Dss,
        Harmless::DocTimeStamp,
    ];
}

/// Objects of the restructured document.
#[derive(Clone, Debug)]
pub struct Ids {
    pub root: u32,
    pub pages: u32,
    pub page1: u32,
    pub page2: u32,
    pub res: u32,
    pub xobjects: u32,
    pub form: u32,
    pub gs_dict: u32,
    pub gs: u32,
    pub pattern: u32,
    pub shading: u32,
    pub ocg: u32,
    pub ocprops: u32,
    pub contents: u32,
    pub content1: u32,
    pub extra: u32,
    pub annots2: u32,
    pub outline_item: u32,
    pub ef_tree: u32,
    pub empty_field: u32,
    pub empty_ap: u32,
    pub hidden_field: u32,
    pub text_field: u32,
    /// The approval's signature dictionary and its field (a merged widget).
    pub approval_sig: u32,
    pub approval_field: u32,
}

fn dict(pdf: &Pdf, id: u32) -> Result<Dict> {
    match pdf.object(id) {
        Some(Body::Obj(Obj::Dict(d))) => Ok(d.clone()),
        _ => bail!("object {id} is not a dictionary"),
    }
}

fn ints(v: &[i64]) -> Obj {
    Obj::Array(v.iter().map(|i| Obj::Int(*i)).collect())
}

fn form_xobject(bbox: &[i64], content: &[u8]) -> Body {
    flate_stream(
        Dict::new()
            .with("Type", name("XObject"))
            .with("Subtype", name("Form"))
            .with("BBox", ints(bbox)),
        content,
    )
}

/// A white box over the top of page 1 (the heading, number and date).
const WHITE_OUT: &[u8] = b"1 1 1 rg 0 0 480 200 re f\n";

/// The restructured document, signed once (the approval).
pub fn base(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<(Pdf, Ids, usize)> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    let root = pdf.root_id();
    let page1 = *pdf.page_ids().first().context("no pages")?;
    let p1 = dict(&pdf, page1)?;
    let pages = match p1.get("Parent") {
        Some(Obj::Ref(p)) => *p,
        _ => bail!("page 1 has no /Parent"),
    };
    let content1 = match p1.get("Contents") {
        Some(Obj::Ref(c)) => *c,
        _ => bail!("page 1 /Contents is not one stream"),
    };
    let fonts = match p1.get("Resources") {
        Some(Obj::Dict(r)) => r.get("Font").cloned().context("no fonts")?,
        _ => bail!("no inline resources"),
    };
    let mut next = pdf.next_id();
    let mut alloc = || {
        next += 1;
        next - 1
    };
    let ids = Ids {
        root,
        pages,
        page1,
        page2: alloc(),
        res: alloc(),
        xobjects: alloc(),
        form: alloc(),
        gs_dict: alloc(),
        gs: alloc(),
        pattern: alloc(),
        shading: alloc(),
        ocg: alloc(),
        ocprops: alloc(),
        contents: alloc(),
        content1,
        extra: alloc(),
        annots2: alloc(),
        outline_item: alloc(),
        ef_tree: alloc(),
        empty_field: alloc(),
        empty_ap: alloc(),
        hidden_field: alloc(),
        text_field: alloc(),
        approval_sig: 0,
        approval_field: 0,
    };
    let mut ids = ids;
    let (content2, link, outlines, names, filespec, file, hidden_ap) = (
        alloc(),
        alloc(),
        alloc(),
        alloc(),
        alloc(),
        alloc(),
        alloc(),
    );
    let helv = alloc();
    let mut o: BTreeMap<u32, Body> = BTreeMap::new();
    let d = |d: Dict| Body::Obj(Obj::Dict(d));
    o.insert(
        ids.res,
        d(Dict::new()
            .with("Font", fonts)
            .with("XObject", Obj::Ref(ids.xobjects))
            .with("ExtGState", Obj::Ref(ids.gs_dict))
            .with(
                "Pattern",
                Obj::Dict(Dict::new().with("P1", Obj::Ref(ids.pattern))),
            )
            .with(
                "Shading",
                Obj::Dict(Dict::new().with("Sh1", Obj::Ref(ids.shading))),
            )
            .with(
                "Properties",
                Obj::Dict(Dict::new().with("MC0", Obj::Ref(ids.ocg))),
            )),
    );
    o.insert(ids.xobjects, d(Dict::new().with("X1", Obj::Ref(ids.form))));
    o.insert(
        ids.form,
        form_xobject(&[0, 0, 200, 4], b"0 0 0 rg 0 0 200 1 re f\n"),
    );
    o.insert(ids.gs_dict, d(Dict::new().with("GS1", Obj::Ref(ids.gs))));
    o.insert(
        ids.gs,
        d(Dict::new()
            .with("Type", name("ExtGState"))
            .with("ca", Obj::Int(1))
            .with("CA", Obj::Int(1))),
    );
    let function = Dict::new()
        .with("FunctionType", Obj::Int(2))
        .with("Domain", ints(&[0, 1]))
        .with("C0", ints(&[1, 1, 1]))
        .with(
            "C1",
            Obj::Array(vec![Obj::Real(0.9), Obj::Real(0.9), Obj::Real(0.9)]),
        )
        .with("N", Obj::Int(1));
    o.insert(
        ids.shading,
        d(Dict::new()
            .with("ShadingType", Obj::Int(2))
            .with("ColorSpace", name("DeviceRGB"))
            .with("Coords", ints(&[0, 0, 200, 0]))
            .with("Function", Obj::Dict(function))),
    );
    o.insert(
        ids.pattern,
        d(Dict::new()
            .with("Type", name("Pattern"))
            .with("PatternType", Obj::Int(2))
            .with("Shading", Obj::Ref(ids.shading))),
    );
    o.insert(
        ids.ocg,
        d(Dict::new()
            .with("Type", name("OCG"))
            .with("Name", text("Lớp nội dung"))),
    );
    o.insert(
        ids.ocprops,
        d(Dict::new()
            .with("OCGs", Obj::Array(vec![Obj::Ref(ids.ocg)]))
            .with(
                "D",
                Obj::Dict(
                    Dict::new()
                        .with("ON", Obj::Array(vec![Obj::Ref(ids.ocg)]))
                        .with("Order", Obj::Array(vec![Obj::Ref(ids.ocg)])),
                ),
            )),
    );
    // Drawn near the foot of page 1; the whole first content stream is
    // also marked as optional content of the layer.
    o.insert(
        ids.extra,
        flate_stream(
            Dict::new(),
            b"q /GS1 gs 1 0 0 1 56 90 cm /X1 Do Q\n/OC /MC0 BDC 0 0 0 rg 56 80 200 1 re f EMC\nq /Pattern cs /P1 scn 56 70 200 5 re f Q\nq 56 60 200 5 re W n /Sh1 sh Q\n",
        ),
    );
    o.insert(
        ids.contents,
        Body::Obj(Obj::Array(vec![
            Obj::Ref(ids.content1),
            Obj::Ref(ids.extra),
        ])),
    );
    let field = |t: &str, f: i64, ap: u32| {
        Dict::new()
            .with("Type", name("Annot"))
            .with("Subtype", name("Widget"))
            .with("FT", name("Sig"))
            .with("T", text(t))
            .with("F", Obj::Int(f))
            .with("Rect", ints(&[56, 600, 536, 800]))
            .with("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))))
            .with("P", Obj::Ref(page1))
    };
    o.insert(ids.empty_field, d(field("ChuKyToChuc", 4, ids.empty_ap)));
    // Empty and invisible when signed; a placeholder border would do too.
    o.insert(ids.empty_ap, form_xobject(&[0, 0, 480, 200], b""));
    o.insert(ids.hidden_field, d(field("ChuKyAn", 2, hidden_ap)));
    o.insert(hidden_ap, form_xobject(&[0, 0, 480, 200], WHITE_OUT));
    // A text field the viewer draws from its value, the form's /DA and
    // /DR (it has no appearance stream), as some document systems write.
    o.insert(
        ids.text_field,
        d(Dict::new()
            .with("Type", name("Annot"))
            .with("Subtype", name("Widget"))
            .with("FT", name("Tx"))
            .with("T", text("NgayBanHanh"))
            .with("V", Obj::Str(b"ngay 15 thang 3 nam 2022".to_vec()))
            .with("F", Obj::Int(4))
            .with("Rect", ints(&[56, 560, 300, 580]))
            .with("P", Obj::Ref(page1))),
    );
    o.insert(helv, d(helvetica(None)));
    let mut p1n = p1.clone();
    p1n.set("Resources", Obj::Ref(ids.res));
    p1n.set("Contents", Obj::Ref(ids.contents));
    p1n.set(
        "Annots",
        Obj::Array(vec![
            Obj::Ref(ids.empty_field),
            Obj::Ref(ids.hidden_field),
            Obj::Ref(ids.text_field),
        ]),
    );
    o.insert(page1, d(p1n));
    let mut p2 = p1.clone();
    p2.set("Contents", Obj::Ref(content2));
    p2.set("Annots", Obj::Ref(ids.annots2));
    o.insert(
        content2,
        flate_stream(Dict::new(), b"0 0 0 rg 56 700 200 20 re f\n"),
    );
    o.insert(ids.page2, d(p2));
    o.insert(ids.annots2, Body::Obj(Obj::Array(vec![Obj::Ref(link)])));
    o.insert(
        link,
        d(Dict::new()
            .with("Type", name("Annot"))
            .with("Subtype", name("Link"))
            .with("Rect", ints(&[56, 700, 256, 720]))
            .with("Border", ints(&[0, 0, 0]))
            .with("Dest", Obj::Array(vec![Obj::Ref(page1), name("Fit")]))),
    );
    let mut node = dict(&pdf, pages)?;
    node.set(
        "Kids",
        Obj::Array(vec![Obj::Ref(page1), Obj::Ref(ids.page2)]),
    );
    node.set("Count", Obj::Int(2));
    o.insert(pages, d(node));
    o.insert(
        outlines,
        d(Dict::new()
            .with("Type", name("Outlines"))
            .with("First", Obj::Ref(ids.outline_item))
            .with("Last", Obj::Ref(ids.outline_item))
            .with("Count", Obj::Int(1))),
    );
    o.insert(
        ids.outline_item,
        d(Dict::new()
            .with("Title", text("Trang 1"))
            .with("Parent", Obj::Ref(outlines))
            .with("Dest", Obj::Array(vec![Obj::Ref(page1), name("Fit")]))),
    );
    o.insert(
        names,
        d(Dict::new().with("EmbeddedFiles", Obj::Ref(ids.ef_tree))),
    );
    o.insert(
        ids.ef_tree,
        d(Dict::new().with(
            "Names",
            Obj::Array(vec![Obj::Str(b"ghichu.txt".to_vec()), Obj::Ref(filespec)]),
        )),
    );
    o.insert(filespec, d(filespec_dict("ghichu.txt", file)));
    o.insert(
        file,
        Body::Stream(
            Dict::new().with("Type", name("EmbeddedFile")),
            b"ghi chu".to_vec(),
        ),
    );
    let mut cat = dict(&pdf, root)?;
    cat.set("OCProperties", Obj::Ref(ids.ocprops));
    cat.set("Outlines", Obj::Ref(outlines));
    cat.set("Names", Obj::Ref(names));
    cat.set(
        "AcroForm",
        Obj::Dict(
            Dict::new()
                .with(
                    "Fields",
                    Obj::Array(vec![
                        Obj::Ref(ids.empty_field),
                        Obj::Ref(ids.hidden_field),
                        Obj::Ref(ids.text_field),
                    ]),
                )
                .with(
                    "DR",
                    Obj::Dict(
                        Dict::new()
                            .with("Font", Obj::Dict(Dict::new().with("Helv", Obj::Ref(helv)))),
                    ),
                )
                .with("DA", Obj::Str(b"/Helv 12 Tf 0 g".to_vec())),
        ),
    );
    o.insert(root, d(cat));
    pdf.append_update(o);
    // sign() writes the signature dictionary, then its field, as the next ids.
    ids.approval_sig = pdf.next_id();
    ids.approval_field = ids.approval_sig + 1;
    let loc = pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    Ok((pdf, ids, loc.byte_range[2] + loc.byte_range[3]))
}

/// Helvetica, optionally re-encoded by `differences`.
fn helvetica(differences: Option<Obj>) -> Dict {
    let d = Dict::new()
        .with("Type", name("Font"))
        .with("Subtype", name("Type1"))
        .with("BaseFont", name("Helvetica"));
    match differences {
        Some(diff) => d.with(
            "Encoding",
            Obj::Dict(
                Dict::new()
                    .with("Type", name("Encoding"))
                    .with("BaseEncoding", name("WinAnsiEncoding"))
                    .with("Differences", diff),
            ),
        ),
        None => d.with("Encoding", name("WinAnsiEncoding")),
    }
}

/// The catalog with its inline form dictionary changed by `f`.
fn with_form(pdf: &Pdf, ids: &Ids, f: impl FnOnce(&mut Dict)) -> Result<Dict> {
    let mut cat = dict(pdf, ids.root)?;
    match cat.get_mut("AcroForm") {
        Some(Obj::Dict(form)) => f(form),
        _ => bail!("no inline form"),
    }
    Ok(cat)
}

fn filespec_dict(f: &str, file: u32) -> Dict {
    Dict::new()
        .with("Type", name("Filespec"))
        .with("F", Obj::Str(f.as_bytes().to_vec()))
        .with("EF", Obj::Dict(Dict::new().with("F", Obj::Ref(file))))
}

/// Page 1's first content stream with a white box over its top.
fn whited_out(pdf: &Pdf, ids: &Ids) -> Result<Vec<u8>> {
    let Some(Body::Stream(_, data)) = pdf.object(ids.content1) else {
        bail!("page 1 content is not a stream");
    };
    let mut plain = miniz_oxide::inflate::decompress_to_vec_zlib(data)
        .map_err(|e| anyhow::anyhow!("inflate: {e:?}"))?;
    plain.extend_from_slice(b"1 1 1 rg 56 600 480 200 re f\n");
    Ok(plain)
}

/// The organisation's signature after the update.
fn org_signs(pdf: &mut Pdf, time: DateTime<FixedOffset>) -> Result<()> {
    pdf.sign(
        &TestPki::get().org,
        &SignOptions::at(time + Duration::minutes(40), "Phát hành văn bản"),
    )?;
    Ok(())
}

/// The file bytes and the approval's end, after `attack`.
pub fn attacked(spec: &DocSpec, time: DateTime<FixedOffset>, attack: Attack) -> Result<Staged> {
    let (mut pdf, ids, approval_end) = base(spec, time)?;
    let mut u: BTreeMap<u32, Body> = BTreeMap::new();
    let mut next = pdf.next_id();
    let mut alloc = || {
        next += 1;
        next - 1
    };
    let d = |d: Dict| Body::Obj(Obj::Dict(d));
    let page1 = dict(&pdf, ids.page1)?;
    match attack {
        Attack::ContentsArrayAdd => {
            let w = alloc();
            u.insert(
                w,
                flate_stream(Dict::new(), b"1 1 1 rg 56 600 480 200 re f\n"),
            );
            u.insert(
                ids.contents,
                Body::Obj(Obj::Array(vec![
                    Obj::Ref(ids.content1),
                    Obj::Ref(ids.extra),
                    Obj::Ref(w),
                ])),
            );
        }
        Attack::XObjectForm => {
            u.insert(
                ids.form,
                form_xobject(&[0, 0, 480, 800], b"1 1 1 rg 0 500 480 300 re f\n"),
            );
        }
        Attack::XObjectDict => {
            let f = alloc();
            u.insert(
                f,
                form_xobject(&[0, 0, 480, 800], b"1 1 1 rg 0 500 480 300 re f\n"),
            );
            u.insert(ids.xobjects, d(Dict::new().with("X1", Obj::Ref(f))));
        }
        Attack::ExtGState => {
            u.insert(
                ids.gs,
                d(Dict::new()
                    .with("Type", name("ExtGState"))
                    .with("ca", Obj::Int(0))
                    .with("CA", Obj::Int(0))),
            );
        }
        Attack::ExtGStateDict => {
            let g = alloc();
            u.insert(
                g,
                d(Dict::new()
                    .with("Type", name("ExtGState"))
                    .with("BM", name("Screen"))),
            );
            u.insert(
                ids.gs_dict,
                d(Dict::new()
                    .with("GS1", Obj::Ref(g))
                    .with("GS0", Obj::Ref(ids.gs))),
            );
        }
        Attack::MediaBox => {
            let mut p = page1.clone();
            p.set("MediaBox", ints(&[0, 0, 595, 400]));
            u.insert(ids.page1, d(p));
        }
        Attack::InheritedCropBox => {
            let mut n = dict(&pdf, ids.pages)?;
            n.set("CropBox", ints(&[0, 0, 595, 400]));
            u.insert(ids.pages, d(n));
        }
        Attack::Rotate => {
            let mut p = page1.clone();
            p.set("Rotate", Obj::Int(180));
            u.insert(ids.page1, d(p));
        }
        Attack::Shading => {
            let function = Dict::new()
                .with("FunctionType", Obj::Int(2))
                .with("Domain", ints(&[0, 1]))
                .with("C0", ints(&[0, 0, 0]))
                .with("C1", ints(&[0, 0, 0]))
                .with("N", Obj::Int(1));
            u.insert(
                ids.shading,
                d(Dict::new()
                    .with("ShadingType", Obj::Int(2))
                    .with("ColorSpace", name("DeviceRGB"))
                    .with("Coords", ints(&[0, 0, 200, 0]))
                    .with("Function", Obj::Dict(function))),
            );
        }
        Attack::Pattern => {
            let s = alloc();
            let function = Dict::new()
                .with("FunctionType", Obj::Int(2))
                .with("Domain", ints(&[0, 1]))
                .with("C0", ints(&[1, 0, 0]))
                .with("C1", ints(&[1, 0, 0]))
                .with("N", Obj::Int(1));
            u.insert(
                s,
                d(Dict::new()
                    .with("ShadingType", Obj::Int(2))
                    .with("ColorSpace", name("DeviceRGB"))
                    .with("Coords", ints(&[0, 0, 200, 0]))
                    .with("Function", Obj::Dict(function))),
            );
            u.insert(
                ids.pattern,
                d(Dict::new()
                    .with("Type", name("Pattern"))
                    .with("PatternType", Obj::Int(2))
                    .with("Shading", Obj::Ref(s))),
            );
        }
        Attack::AnnotsArrayAdd => {
            let a = alloc();
            u.insert(
                a,
                d(Dict::new()
                    .with("Type", name("Annot"))
                    .with("Subtype", name("FreeText"))
                    .with("Rect", ints(&[56, 600, 536, 680]))
                    .with("Contents", text("ngày 13 tháng 3 năm 2022"))
                    .with("DA", Obj::Str(b"/Helv 14 Tf 0 g".to_vec()))
                    .with("F", Obj::Int(4))),
            );
            let Some(Body::Obj(Obj::Array(mut arr))) = pdf.object(ids.annots2).cloned() else {
                bail!("annots array");
            };
            arr.push(Obj::Ref(a));
            u.insert(ids.annots2, Body::Obj(Obj::Array(arr)));
        }
        Attack::OcPropertiesOff => {
            u.insert(
                ids.ocprops,
                d(Dict::new()
                    .with("OCGs", Obj::Array(vec![Obj::Ref(ids.ocg)]))
                    .with(
                        "D",
                        Obj::Dict(
                            Dict::new()
                                .with("OFF", Obj::Array(vec![Obj::Ref(ids.ocg)]))
                                .with("Order", Obj::Array(vec![Obj::Ref(ids.ocg)])),
                        ),
                    )),
            );
        }
        Attack::OcgChanged => {
            u.insert(
                ids.ocg,
                d(Dict::new()
                    .with("Type", name("OCG"))
                    .with("Name", text("Lớp nội dung"))
                    .with(
                        "Usage",
                        Obj::Dict(Dict::new().with(
                            "View",
                            Obj::Dict(Dict::new().with("ViewState", name("OFF"))),
                        )),
                    )),
            );
        }
        Attack::OpenActionJs => {
            let js = alloc();
            u.insert(
                js,
                d(Dict::new()
                    .with("S", name("JavaScript"))
                    .with("JS", Obj::Str(b"this.getField('x');".to_vec()))),
            );
            let mut cat = dict(&pdf, ids.root)?;
            cat.set("OpenAction", Obj::Ref(js));
            u.insert(ids.root, d(cat));
        }
        Attack::PageAa => {
            let mut p = page1.clone();
            p.set(
                "AA",
                Obj::Dict(
                    Dict::new().with(
                        "O",
                        Obj::Dict(
                            Dict::new()
                                .with("S", name("JavaScript"))
                                .with("JS", Obj::Str(b"app.alert(1);".to_vec())),
                        ),
                    ),
                ),
            );
            u.insert(ids.page1, d(p));
        }
        Attack::Outline => {
            let mut item = dict(&pdf, ids.outline_item)?;
            item.set("Title", text("Trang 1 (ngày 13)"));
            u.insert(ids.outline_item, d(item));
        }
        Attack::EmbeddedFile => {
            let (fs, file) = (alloc(), alloc());
            u.insert(fs, d(filespec_dict("sua.js", file)));
            u.insert(
                file,
                Body::Stream(
                    Dict::new().with("Type", name("EmbeddedFile")),
                    b"x".to_vec(),
                ),
            );
            let mut tree = dict(&pdf, ids.ef_tree)?;
            if let Some(Obj::Array(a)) = tree.get_mut("Names") {
                a.push(Obj::Str(b"sua.js".to_vec()));
                a.push(Obj::Ref(fs));
            }
            u.insert(ids.ef_tree, d(tree));
        }
        Attack::ObjStmRedefine | Attack::ObjStmPage => {
            // Streams cannot sit in an object stream; the page can. For the
            // content, the new stream is a fresh object and the page (in
            // the object stream) points at it.
            let mut p = page1.clone();
            if attack == Attack::ObjStmRedefine {
                let c = alloc();
                u.insert(c, flate_stream(Dict::new(), &whited_out(&pdf, &ids)?));
                p.set(
                    "Contents",
                    Obj::Array(vec![Obj::Ref(c), Obj::Ref(ids.extra)]),
                );
            } else {
                p.set("MediaBox", ints(&[0, 0, 595, 400]));
            }
            let (objstm, xref) = (alloc(), alloc());
            let bytes = with_objstm(pdf.bytes(), &u, ids.page1, &p, objstm, xref, ids.root)?;
            return Ok(Staged {
                bytes,
                approval_end,
            });
        }
        Attack::ObjStmTwice => {
            let mut p = page1.clone();
            p.set("MediaBox", ints(&[0, 0, 595, 400]));
            let (objstm, xref) = (alloc(), alloc());
            let bytes = objstm_twice(pdf.bytes(), ids.page1, &p, &page1, objstm, xref, ids.root)?;
            return Ok(Staged {
                bytes,
                approval_end,
            });
        }
        Attack::DuplicateXrefEntry | Attack::TwiceInBody | Attack::GenerationMismatch => {
            let bytes = raw_content_tricks(pdf.bytes(), &ids, &whited_out(&pdf, &ids)?, attack)?;
            return Ok(Staged {
                bytes,
                approval_end,
            });
        }
        Attack::HybridXRefStm | Attack::DuplicateXrefStreamIndex => {
            let xs = alloc();
            let plain = whited_out(&pdf, &ids)?;
            let bytes = if attack == Attack::HybridXRefStm {
                hybrid(pdf.bytes(), &ids, &plain, xs)?
            } else {
                twice_in_stream(pdf.bytes(), &ids, &plain, xs)?
            };
            return Ok(Staged {
                bytes,
                approval_end,
            });
        }
        Attack::UnloadableUpdate => {
            let bomb = alloc();
            let zeros = vec![b' '; 40 << 20];
            let mut objects = vec![(
                ids.content1,
                crate::attacks::raw_stream("", &whited_out(&pdf, &ids)?),
            )];
            let z = flate(&zeros);
            let mut b = format!(
                "<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {}>>\nstream\n",
                z.len()
            )
            .into_bytes();
            b.extend_from_slice(&z);
            b.extend_from_slice(b"\nendstream");
            objects.push((bomb, b));
            let bytes = crate::attacks::append_raw_update(
                pdf.bytes(),
                &objects,
                ids.root,
                pdf.info_id(),
                bomb + 1,
            )?;
            return Ok(Staged {
                bytes,
                approval_end,
            });
        }
        Attack::EmptyFieldAppearance => {
            u.insert(ids.empty_ap, form_xobject(&[0, 0, 480, 200], WHITE_OUT));
        }
        Attack::HiddenFieldShown => {
            let mut f = dict(&pdf, ids.hidden_field)?;
            f.set("F", Obj::Int(4));
            u.insert(ids.hidden_field, d(f));
        }
        Attack::FullPageSigWidget => {
            let (w, ap) = (alloc(), alloc());
            u.insert(
                ap,
                form_xobject(&[0, 0, 595, 842], b"1 1 1 rg 0 0 595 842 re f\n"),
            );
            u.insert(
                w,
                d(Dict::new()
                    .with("Type", name("Annot"))
                    .with("Subtype", name("Widget"))
                    .with("FT", name("Sig"))
                    .with("T", text("ChuKyToanTrang"))
                    .with("F", Obj::Int(4))
                    .with("Rect", ints(&[0, 0, 595, 842]))
                    .with("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))))
                    .with("P", Obj::Ref(ids.page1))),
            );
            let mut p = page1.clone();
            if let Some(Obj::Array(a)) = p.get_mut("Annots") {
                a.push(Obj::Ref(w));
            }
            u.insert(ids.page1, d(p));
            let mut cat = dict(&pdf, ids.root)?;
            if let Some(Obj::Dict(form)) = cat.get_mut("AcroForm") {
                if let Some(Obj::Array(a)) = form.get_mut("Fields") {
                    a.push(Obj::Ref(w));
                }
            }
            u.insert(ids.root, d(cat));
        }
        Attack::FillFieldOpaque => {
            let (sig, ap) = (alloc(), alloc());
            let mut f = dict(&pdf, ids.empty_field)?;
            f.set("V", Obj::Ref(sig));
            f.set("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))));
            u.insert(ap, form_xobject(&[0, 0, 480, 200], WHITE_OUT));
            u.insert(sig, dummy_sig_dict("Sig", "adbe.pkcs7.detached"));
            u.insert(ids.empty_field, d(f));
            pdf.append_update(u);
            return Ok(Staged {
                bytes: pdf.into_bytes(),
                approval_end,
            });
        }
        Attack::FormDrFont => {
            let f = alloc();
            u.insert(
                f,
                d(helvetica(Some(Obj::Array(vec![
                    Obj::Int(53),
                    name("three"),
                ])))),
            );
            let cat = with_form(&pdf, &ids, |form| {
                form.set(
                    "DR",
                    Obj::Dict(
                        Dict::new().with("Font", Obj::Dict(Dict::new().with("Helv", Obj::Ref(f)))),
                    ),
                );
            })?;
            u.insert(ids.root, d(cat));
        }
        Attack::WidgetOfSignedField
        | Attack::ReusedSignatureValue
        | Attack::EmptyFieldGivenOldValue => {
            let ap = alloc();
            u.insert(ap, form_xobject(&[0, 0, 480, 200], WHITE_OUT));
            let widget = |parent: Option<u32>| {
                let w = Dict::new()
                    .with("Type", name("Annot"))
                    .with("Subtype", name("Widget"))
                    .with("F", Obj::Int(4))
                    .with("Rect", ints(&[56, 600, 536, 800]))
                    .with("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))))
                    .with("P", Obj::Ref(ids.page1));
                match parent {
                    Some(p) => w.with("Parent", Obj::Ref(p)),
                    None => w
                        .with("FT", name("Sig"))
                        .with("T", text("ChuKyMoi"))
                        .with("V", Obj::Ref(ids.approval_sig)),
                }
            };
            let mut p = page1.clone();
            match attack {
                Attack::EmptyFieldGivenOldValue => {
                    let mut f = dict(&pdf, ids.empty_field)?;
                    f.set("V", Obj::Ref(ids.approval_sig));
                    f.set("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))));
                    u.insert(ids.empty_field, d(f));
                }
                _ => {
                    let w = alloc();
                    let parent =
                        (attack == Attack::WidgetOfSignedField).then_some(ids.approval_field);
                    u.insert(w, d(widget(parent)));
                    if let Some(Obj::Array(a)) = p.get_mut("Annots") {
                        a.push(Obj::Ref(w));
                    }
                    u.insert(ids.page1, d(p));
                    if parent.is_none() {
                        let cat = with_form(&pdf, &ids, |form| {
                            if let Some(Obj::Array(a)) = form.get_mut("Fields") {
                                a.push(Obj::Ref(w));
                            }
                        })?;
                        u.insert(ids.root, d(cat));
                    }
                }
            }
            // No later signature: nobody signs anything new.
            pdf.append_update(u);
            return Ok(Staged {
                bytes: pdf.into_bytes(),
                approval_end,
            });
        }
        Attack::FormDa => {
            let cat = with_form(&pdf, &ids, |form| {
                form.set("DA", Obj::Str(b"/Helv 12 Tf 1 g".to_vec()));
            })?;
            u.insert(ids.root, d(cat));
        }
        Attack::KidsReordered => {
            let mut n = dict(&pdf, ids.pages)?;
            n.set(
                "Kids",
                Obj::Array(vec![Obj::Ref(ids.page2), Obj::Ref(ids.page1)]),
            );
            u.insert(ids.pages, d(n));
        }
    }
    pdf.append_update(u);
    org_signs(&mut pdf, time)?;
    Ok(Staged {
        bytes: pdf.into_bytes(),
        approval_end,
    })
}

/// A harmless later revision on the restructured document.
pub fn harmless(spec: &DocSpec, time: DateTime<FixedOffset>, h: Harmless) -> Result<Staged> {
    let (mut pdf, ids, approval_end) = base(spec, time)?;
    let pki = TestPki::get();
    match h {
        Harmless::SecondSignature => org_signs(&mut pdf, time)?,
        Harmless::FillEmptyField => {
            // The organisation's software fills the prepared field: its
            // value and its appearance (the stamp), in one revision.
            let sig = pdf.next_id();
            let ap = sig + 1;
            let mut f = dict(&pdf, ids.empty_field)?;
            f.set("V", Obj::Ref(sig));
            f.set("AP", Obj::Dict(Dict::new().with("N", Obj::Ref(ap))));
            let mut u = BTreeMap::new();
            u.insert(
                ap,
                form_xobject(&[0, 0, 480, 200], b"1 0 0 RG 2 w 4 4 472 192 re S\n"),
            );
            u.insert(sig, dummy_sig_dict("Sig", "adbe.pkcs7.detached"));
            u.insert(ids.empty_field, Body::Obj(Obj::Dict(f)));
            pdf.append_update(u);
        }
        Harmless::Dss => {
            let mut u = BTreeMap::new();
            let (c1, c2) = (pdf.next_id(), pdf.next_id() + 1);
            u.insert(c1, Body::Stream(Dict::new(), pki.person.cert.clone()));
            u.insert(c2, Body::Stream(Dict::new(), pki.org.cert.clone()));
            let mut cat = dict(&pdf, ids.root)?;
            cat.set(
                "DSS",
                Obj::Dict(Dict::new().with("Certs", Obj::Array(vec![Obj::Ref(c1), Obj::Ref(c2)]))),
            );
            u.insert(ids.root, Body::Obj(Obj::Dict(cat)));
            pdf.append_update(u);
            org_signs(&mut pdf, time)?;
        }
        Harmless::DocTimeStamp => {
            let (ts, w) = (pdf.next_id(), pdf.next_id() + 1);
            let mut u = BTreeMap::new();
            u.insert(ts, dummy_sig_dict("DocTimeStamp", "ETSI.RFC3161"));
            u.insert(
                w,
                Body::Obj(Obj::Dict(
                    Dict::new()
                        .with("Type", name("Annot"))
                        .with("Subtype", name("Widget"))
                        .with("FT", name("Sig"))
                        .with("T", text("DauThoiGian"))
                        .with("V", Obj::Ref(ts))
                        .with("F", Obj::Int(132))
                        .with("Rect", ints(&[0, 0, 0, 0]))
                        .with("P", Obj::Ref(ids.page1)),
                )),
            );
            let mut p = dict(&pdf, ids.page1)?;
            if let Some(Obj::Array(a)) = p.get_mut("Annots") {
                a.push(Obj::Ref(w));
            }
            u.insert(ids.page1, Body::Obj(Obj::Dict(p)));
            let mut cat = dict(&pdf, ids.root)?;
            if let Some(Obj::Dict(form)) = cat.get_mut("AcroForm") {
                if let Some(Obj::Array(a)) = form.get_mut("Fields") {
                    a.push(Obj::Ref(w));
                }
            }
            u.insert(ids.root, Body::Obj(Obj::Dict(cat)));
            pdf.append_update(u);
        }
    }
    Ok(Staged {
        bytes: pdf.into_bytes(),
        approval_end,
    })
}

/// A signature dictionary whose value is not a real CMS: enough for the
/// comparison of the earlier signature, which is what these cases test.
fn dummy_sig_dict(ty: &str, sub: &str) -> Body {
    Body::Obj(Obj::Dict(
        Dict::new()
            .with("Type", name(ty))
            .with("Filter", name("Adobe.PPKLite"))
            .with("SubFilter", name(sub))
            .with("ByteRange", ints(&[0, 10, 20, 10]))
            .with("Contents", Obj::Hex(vec![0x30, 0x00])),
    ))
}

/// Position of the last `startxref` value.
fn last_startxref(bytes: &[u8]) -> Result<usize> {
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .context("no startxref")?;
    std::str::from_utf8(&bytes[at + 9..])
        .ok()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .context("startxref offset")
}

/// Offset of `id 0 obj` as the last revision wrote it.
fn offset_of(bytes: &[u8], id: u32) -> Result<usize> {
    let needle = format!("\n{id} 0 obj");
    bytes
        .windows(needle.len())
        .rposition(|w| w == needle.as_bytes())
        .map(|p| p + 1)
        .context("object not found")
}

fn trailer_tail(root: u32, size: u32, prev: usize, extra: &str) -> String {
    format!("trailer\n<</Size {size} /Root {root} 0 R /Info 3 0 R /Prev {prev}{extra}>>\n")
}

fn raw_content_tricks(bytes: &[u8], ids: &Ids, plain: &[u8], attack: Attack) -> Result<Vec<u8>> {
    let prev = last_startxref(bytes)?;
    let signed_at = offset_of(bytes, ids.content1)?;
    let mut out = bytes.to_vec();
    let body = crate::attacks::raw_stream("", plain);
    let c = ids.content1;
    let gen = if attack == Attack::GenerationMismatch {
        1
    } else {
        0
    };
    let first = out.len();
    out.extend_from_slice(format!("{c} {gen} obj\n").as_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(b"\nendobj\n");
    if attack == Attack::TwiceInBody {
        // The same number again with the signed content: a parser that
        // scans the body keeps the last one, the table says the first.
        let Some(orig) = original_stream(bytes, signed_at) else {
            bail!("signed content stream not found");
        };
        out.extend_from_slice(&orig);
    }
    let xref = out.len();
    let mut x = String::from("xref\n");
    x.push_str(&format!("{c} 1\n{first:010} {gen:05} n\r\n"));
    if attack == Attack::DuplicateXrefEntry {
        x.push_str(&format!("{c} 1\n{signed_at:010} 00000 n\r\n"));
    }
    out.extend_from_slice(x.as_bytes());
    out.extend_from_slice(trailer_tail(ids.root, c + 1000, prev, "").as_bytes());
    out.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// `N 0 obj … endobj` as written at `at`.
fn original_stream(bytes: &[u8], at: usize) -> Option<Vec<u8>> {
    let end = bytes[at..].windows(6).position(|w| w == b"endobj")? + at + 6;
    let mut v = bytes[at..end].to_vec();
    v.push(b'\n');
    Some(v)
}

/// Objects `u` written plainly, the page `page` inside a new object stream
/// `objstm`, indexed by a cross-reference stream `xref`.
fn with_objstm(
    bytes: &[u8],
    u: &BTreeMap<u32, Body>,
    page: u32,
    p: &Dict,
    objstm: u32,
    xref: u32,
    root: u32,
) -> Result<Vec<u8>> {
    let prev = last_startxref(bytes)?;
    let mut out = bytes.to_vec();
    let mut entries: Vec<(u32, u8, u32, u16)> = Vec::new();
    for (id, body) in u {
        let at = out.len() as u32;
        let Body::Stream(dct, data) = body else {
            bail!("only streams written plainly here");
        };
        let mut dct = dct.clone();
        dct.set("Length", Obj::Int(data.len() as i64));
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        dct.write(&mut out);
        out.extend_from_slice(b"\nstream\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        entries.push((*id, 1, at, 0));
    }
    let mut pb = Vec::new();
    p.write(&mut pb);
    let head = format!("{page} 0 ");
    let first = head.len();
    let mut content = head.into_bytes();
    content.extend_from_slice(&pb);
    let at = out.len() as u32;
    out.extend_from_slice(
        format!(
            "{objstm} 0 obj\n<</Type /ObjStm /N 1 /First {first} /Length {}>>\nstream\n",
            content.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    entries.push((objstm, 1, at, 0));
    entries.push((page, 2, objstm, 0));
    let at = out.len() as u32;
    entries.push((xref, 1, at, 0));
    entries.sort();
    let mut data = Vec::new();
    let mut index = Vec::new();
    for (id, t, f2, f3) in &entries {
        index.push(format!("{id} 1"));
        data.push(*t);
        data.extend_from_slice(&f2.to_be_bytes());
        data.extend_from_slice(&f3.to_be_bytes());
    }
    out.extend_from_slice(
        format!(
            "{xref} 0 obj\n<</Type /XRef /Size {} /Root {root} 0 R /Info 3 0 R /Prev {prev} /W [1 4 2] /Index [{}] /Length {}>>\nstream\n",
            xref + 1,
            index.join(" "),
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// A hybrid-reference update: an empty table section whose /XRefStm names a
/// cross-reference stream listing the rewritten content stream.
fn hybrid(bytes: &[u8], ids: &Ids, plain: &[u8], xs: u32) -> Result<Vec<u8>> {
    let prev = last_startxref(bytes)?;
    let mut out = bytes.to_vec();
    let c = ids.content1;
    let c_at = out.len() as u32;
    out.extend_from_slice(format!("{c} 0 obj\n").as_bytes());
    out.extend_from_slice(&crate::attacks::raw_stream("", plain));
    out.extend_from_slice(b"\nendobj\n");
    let xs_at = out.len() as u32;
    let mut data = vec![1u8];
    data.extend_from_slice(&c_at.to_be_bytes());
    data.extend_from_slice(&0u16.to_be_bytes());
    data.push(1);
    data.extend_from_slice(&xs_at.to_be_bytes());
    data.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(
        format!(
            "{xs} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Index [{c} 1 {xs} 1] /Length {}>>\nstream\n",
            xs + 1,
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let table = out.len();
    out.extend_from_slice(b"xref\n0 0\n");
    out.extend_from_slice(
        trailer_tail(ids.root, xs + 1, prev, &format!(" /XRefStm {xs_at}")).as_bytes(),
    );
    out.extend_from_slice(format!("startxref\n{table}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// Forged chains not in [`crate::forgery`]: each signs as the commune and
/// must come out untrusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    /// The genuine G2 root embedded, and an intermediate with the state
    /// CA's name whose authority key id copies the genuine root's, signed
    /// by another key.
    GenuineRootResignedIntermediate,
    /// The signer names the state CA as issuer and copies its key id; the
    /// genuine state CA and root are embedded; the signer's certificate is
    /// signed by another key.
    AkiCopiesGenuineCa,
    /// Two CAs issuing each other (the state CA's and the root's names,
    /// neither self-signed): a loop.
    Loop,
    /// The signer's own certificate copies the genuine root's subject and
    /// issuer (a self-issued "root"), with another key.
    SignerClaimsRoot,
}

impl Chain {
    pub const ALL: [Chain; 4] = [
        Chain::GenuineRootResignedIntermediate,
        Chain::AkiCopiesGenuineCa,
        Chain::Loop,
        Chain::SignerClaimsRoot,
    ];
}

/// The subject key identifier of a DER certificate (the value of
/// extension 2.5.29.14), found by its encoding.
fn ski(cert: &[u8]) -> Vec<u8> {
    let oid = [0x06, 0x03, 0x55, 0x1d, 0x0e];
    let at = cert
        .windows(oid.len())
        .position(|w| w == oid)
        .expect("bundled certificate has a subject key id");
    // OID, OCTET STRING { OCTET STRING keyid }
    let rest = &cert[at + oid.len()..];
    let inner = &rest[2..];
    let len = inner[1] as usize;
    inner[2..2 + len].to_vec()
}

/// The identity that signs for `chain`.
pub fn forged_chain(chain: Chain) -> crate::pki::Identity {
    use crate::der;
    use crate::pki::{key, key_id, make_cert, name, CertSpec, Identity};
    let root_der = der::from_pem(include_str!("../../../trust/g2-root.pem")).expect("pem");
    let ca_der = der::from_pem(include_str!("../../../trust/g2-nha-nuoc.pem")).expect("pem");
    let root_name = der::cert_subject(&root_der).expect("subject");
    let ca_name = der::cert_subject(&ca_der).expect("subject");
    let other = || key(include_str!("../testpki/unknown-root.key.pem"));
    let rogue = || key(include_str!("../testpki/rogue.key.pem"));
    let signer = || key(include_str!("../testpki/unknown-signer.key.pem"));
    let commune = name(&[
        ("2.5.4.6", "VN"),
        ("2.5.4.7", "Kon Tum"),
        ("2.5.4.3", crate::forgery::COMMUNE),
    ]);
    let cert = |serial, issuer: &[u8], subject: Vec<u8>, sk, gk, aki: Vec<u8>, ca| {
        make_cert(&CertSpec {
            serial,
            issuer,
            subject,
            from: (2020, 1, 1),
            to: (2030, 12, 31),
            subject_key: sk,
            signing_key: gk,
            authority_key_id: aki,
            ca,
        })
    };
    let (o, r, s) = (other(), rogue(), signer());
    let (signer_cert, issuer, chain_certs, key_of) = match chain {
        Chain::GenuineRootResignedIntermediate => {
            let ca = cert(
                0x7700_0001,
                &root_name,
                ca_name.clone(),
                &r,
                &o,
                ski(&root_der),
                true,
            );
            let leaf = cert(
                0x7700_0002,
                &ca_name,
                commune.clone(),
                &s,
                &r,
                key_id(&r),
                false,
            );
            (leaf, ca_name.clone(), vec![ca, root_der.clone()], signer())
        }
        Chain::AkiCopiesGenuineCa => {
            let leaf = cert(
                0x7700_0003,
                &ca_name,
                commune.clone(),
                &s,
                &r,
                ski(&ca_der),
                false,
            );
            (
                leaf,
                ca_name.clone(),
                vec![ca_der.clone(), root_der.clone()],
                signer(),
            )
        }
        Chain::Loop => {
            let a = cert(
                0x7700_0004,
                &root_name,
                ca_name.clone(),
                &r,
                &o,
                key_id(&o),
                true,
            );
            let b = cert(
                0x7700_0005,
                &ca_name,
                root_name.clone(),
                &o,
                &r,
                key_id(&r),
                true,
            );
            let leaf = cert(
                0x7700_0006,
                &ca_name,
                commune.clone(),
                &s,
                &r,
                key_id(&r),
                false,
            );
            (leaf, ca_name.clone(), vec![a, b], signer())
        }
        Chain::SignerClaimsRoot => {
            let leaf = cert(
                0x7700_0007,
                &root_name,
                root_name.clone(),
                &r,
                &r,
                ski(&root_der),
                true,
            );
            (leaf, root_name.clone(), vec![], rogue())
        }
    };
    let serial = match chain {
        Chain::GenuineRootResignedIntermediate => 0x7700_0002u64,
        Chain::AkiCopiesGenuineCa => 0x7700_0003,
        Chain::Loop => 0x7700_0006,
        Chain::SignerClaimsRoot => 0x7700_0007,
    };
    Identity {
        key: key_of,
        cert: signer_cert,
        chain: chain_certs,
        issuer_name: issuer,
        serial: serial.to_be_bytes().to_vec(),
        display_name: crate::forgery::COMMUNE.to_string(),
    }
}

/// An update indexed by a cross-reference stream whose /Index names the
/// content stream twice (rewritten first, signed offset second).
fn twice_in_stream(bytes: &[u8], ids: &Ids, plain: &[u8], xs: u32) -> Result<Vec<u8>> {
    let prev = last_startxref(bytes)?;
    let signed_at = offset_of(bytes, ids.content1)? as u32;
    let mut out = bytes.to_vec();
    let c = ids.content1;
    let c_at = out.len() as u32;
    out.extend_from_slice(format!("{c} 0 obj\n").as_bytes());
    out.extend_from_slice(&crate::attacks::raw_stream("", plain));
    out.extend_from_slice(b"\nendobj\n");
    let xs_at = out.len() as u32;
    let mut data = Vec::new();
    for off in [c_at, signed_at, xs_at] {
        data.push(1u8);
        data.extend_from_slice(&off.to_be_bytes());
        data.extend_from_slice(&0u16.to_be_bytes());
    }
    out.extend_from_slice(
        format!(
            "{xs} 0 obj\n<</Type /XRef /Size {} /Root {} 0 R /Info 3 0 R /Prev {prev} /W [1 4 2] /Index [{c} 1 {c} 1 {xs} 1] /Length {}>>\nstream\n",
            xs + 1,
            ids.root,
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xs_at}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// An object stream holding `page` twice (`shown` first, `signed` second),
/// indexed by a cross-reference stream that names index 0.
fn objstm_twice(
    bytes: &[u8],
    page: u32,
    shown: &Dict,
    signed: &Dict,
    objstm: u32,
    xref: u32,
    root: u32,
) -> Result<Vec<u8>> {
    let prev = last_startxref(bytes)?;
    let mut out = bytes.to_vec();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    shown.write(&mut a);
    signed.write(&mut b);
    let head = format!("{page} 0 {page} {} ", a.len() + 1);
    let mut content = head.clone().into_bytes();
    content.extend_from_slice(&a);
    content.push(b' ');
    content.extend_from_slice(&b);
    let at = out.len() as u32;
    out.extend_from_slice(
        format!(
            "{objstm} 0 obj\n<</Type /ObjStm /N 2 /First {} /Length {}>>\nstream\n",
            head.len(),
            content.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xs_at = out.len() as u32;
    let mut entries = vec![
        (page, 2u8, objstm, 0u16),
        (objstm, 1, at, 0),
        (xref, 1, xs_at, 0),
    ];
    entries.sort();
    let mut data = Vec::new();
    let mut index = Vec::new();
    for (id, t, f2, f3) in &entries {
        index.push(format!("{id} 1"));
        data.push(*t);
        data.extend_from_slice(&f2.to_be_bytes());
        data.extend_from_slice(&f3.to_be_bytes());
    }
    out.extend_from_slice(
        format!(
            "{xref} 0 obj\n<</Type /XRef /Size {} /Root {root} 0 R /Info 3 0 R /Prev {prev} /W [1 4 2] /Index [{}] /Length {}>>\nstream\n",
            xref + 1,
            index.join(" "),
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xs_at}\n%%EOF\n").as_bytes());
    Ok(out)
}
