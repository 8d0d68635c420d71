//! Multi-signature files written the way Vietnamese signing tools write them:
//! an approval signature, then a revision holding only what the signing
//! software itself adds (a version marker, a permissions declaration, …), then
//! the organisation's signature. Each artefact has a hostile twin that hides a
//! real change (a new page, a new form field, an /OpenAction) behind the
//! artefact, so a checker that waves artefacts through must still catch it.

use crate::doc::{build_pdf, DocSpec};
use crate::pdf::{flate_stream, name, text, Body, Dict, Obj, SignOptions};
use crate::pki::TestPki;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;

/// What the later signing software writes besides its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Artefact {
    /// iText's version marker `/ITXT (5.2.1)` on the page-tree root.
    Itxt,
    /// `/PieceInfo` and `/LastModified` (producer's private data) on the page-tree root.
    PieceInfo,
    /// A `/Perms /DocMDP` entry in the catalog naming the organisation's
    /// signature: a certification declared after the approval signature.
    Perms,
    /// `/NeedAppearances true` in the form dictionary.
    NeedAppearances,
    /// A new XMP `/Metadata` stream in the catalog.
    Metadata,
    /// The document information dictionary (/Info) rewritten in place with
    /// the signing software's /Producer and /ModDate.
    Info,
    /// A new `/DSS` with the organisation's certificate (validation data).
    Dss,
    /// An `/Extensions` declaration (ESIC, PAdES) in the catalog.
    Extensions,
}

impl Artefact {
    pub const ALL: [Artefact; 8] = [
        Artefact::Itxt,
        Artefact::PieceInfo,
        Artefact::Perms,
        Artefact::NeedAppearances,
        Artefact::Metadata,
        Artefact::Info,
        Artefact::Dss,
        Artefact::Extensions,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Artefact::Itxt => "itxt",
            Artefact::PieceInfo => "pieceinfo",
            Artefact::Perms => "perms",
            Artefact::NeedAppearances => "needappearances",
            Artefact::Metadata => "metadata",
            Artefact::Info => "info",
            Artefact::Dss => "dss",
            Artefact::Extensions => "extensions",
        }
    }
}

/// A file with an approval signature followed by later revisions.
pub struct Staged {
    pub bytes: Vec<u8>,
    /// Where the approval signature's signed revision ends.
    pub approval_end: usize,
}

fn dict(b: Option<&Body>) -> Result<Dict> {
    match b {
        Some(Body::Obj(Obj::Dict(d))) => Ok(d.clone()),
        _ => bail!("not a dictionary"),
    }
}

/// Person signs (ký duyệt), the software writes `artefact`, then the
/// organisation signs (phát hành). `hostile` adds the twin's real change in
/// the same revision as the artefact.
pub fn approval_then_org(
    spec: &DocSpec,
    time: DateTime<FixedOffset>,
    artefact: Artefact,
    hostile: bool,
) -> Result<Staged> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    let loc = pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    let approval_end = loc.byte_range[2] + loc.byte_range[3];

    let root = pdf.root_id();
    let page1 = *pdf.page_ids().first().context("no pages")?;
    let pages_id = match dict(pdf.object(page1))?.get("Parent") {
        Some(Obj::Ref(p)) => *p,
        _ => bail!("page 1 has no /Parent"),
    };
    let mut u = Update {
        info: pdf
            .info_id()
            .map(|id| (id, dict(pdf.object(id)).unwrap_or_default())),
        catalog: dict(pdf.object(root))?,
        pages: dict(pdf.object(pages_id))?,
        pages_id,
        page1: dict(pdf.object(page1))?,
        next: pdf.next_id(),
        changed: BTreeMap::new(),
    };
    u.artefact(artefact, hostile);
    if hostile {
        u.hostile(artefact);
    }
    let Update {
        catalog,
        pages,
        mut changed,
        ..
    } = u;
    changed.insert(root, Body::Obj(Obj::Dict(catalog)));
    changed.insert(pages_id, Body::Obj(Obj::Dict(pages)));
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

/// The revision between the two signatures, being written.
struct Update {
    info: Option<(u32, Dict)>,
    catalog: Dict,
    pages: Dict,
    pages_id: u32,
    page1: Dict,
    next: u32,
    changed: BTreeMap<u32, Body>,
}

impl Update {
    fn alloc(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    fn form(&self) -> Dict {
        match self.catalog.get("AcroForm") {
            Some(Obj::Dict(d)) => d.clone(),
            _ => Dict::new(),
        }
    }

    fn artefact(&mut self, artefact: Artefact, hostile: bool) {
        match artefact {
            Artefact::Itxt => self.pages.set("ITXT", text("5.2.1")),
            Artefact::PieceInfo => {
                let stamp = text("D:20220315100000+07'00'");
                let private = Dict::new()
                    .with("LastModified", stamp.clone())
                    .with("Private", text("vgca-sign 2.0"));
                self.pages.set(
                    "PieceInfo",
                    Obj::Dict(Dict::new().with("VGCA", Obj::Dict(private))),
                );
                self.pages.set("LastModified", stamp);
            }
            Artefact::Perms => {
                // The organisation's signature dictionary is the first object
                // `sign` allocates after this update; the hostile twin's new
                // page takes two ids before it.
                let org_sig = self.next + if hostile { 2 } else { 0 };
                self.catalog.set(
                    "Perms",
                    Obj::Dict(Dict::new().with("DocMDP", Obj::Ref(org_sig))),
                );
            }
            Artefact::NeedAppearances => {
                let mut form = self.form();
                form.set("NeedAppearances", Obj::Bool(true));
                self.catalog.set("AcroForm", Obj::Dict(form));
            }
            Artefact::Metadata => {
                let xmp = b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:xmp='http://ns.adobe.com/xap/1.0/'><xmp:CreatorTool>vgca-sign</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
                let id = self.alloc();
                let d = Dict::new()
                    .with("Type", name("Metadata"))
                    .with("Subtype", name("XML"));
                self.changed.insert(id, Body::Stream(d, xmp.to_vec()));
                self.catalog.set("Metadata", Obj::Ref(id));
            }
            Artefact::Info => {
                if let Some((id, mut d)) = self.info.clone() {
                    d.set(
                        "Producer",
                        text("vgca-sign 2.0; modified using iText 5.2.1"),
                    );
                    d.set("ModDate", text("D:20220315101000+07'00'"));
                    self.changed.insert(id, Body::Obj(Obj::Dict(d)));
                }
            }
            Artefact::Dss => {
                let cert = self.alloc();
                let der = TestPki::get().org.cert.clone();
                self.changed.insert(cert, Body::Stream(Dict::new(), der));
                self.catalog.set(
                    "DSS",
                    Obj::Dict(Dict::new().with("Certs", Obj::Array(vec![Obj::Ref(cert)]))),
                );
            }
            Artefact::Extensions => {
                let esic = Dict::new()
                    .with("Type", name("DeveloperExtensions"))
                    .with("BaseVersion", name("1.7"))
                    .with("ExtensionLevel", Obj::Int(2));
                self.catalog.set(
                    "Extensions",
                    Obj::Dict(Dict::new().with("ESIC", Obj::Dict(esic))),
                );
            }
        }
    }

    /// The real change each twin hides behind its artefact: page-tree and
    /// permission artefacts hide a new page (a changed /Kids and /Count),
    /// /NeedAppearances a new text field, XMP metadata an /OpenAction script.
    fn hostile(&mut self, artefact: Artefact) {
        match artefact {
            Artefact::Itxt
            | Artefact::PieceInfo
            | Artefact::Perms
            | Artefact::Info
            | Artefact::Dss
            | Artefact::Extensions => {
                let content = self.alloc();
                let page = self.alloc();
                self.changed.insert(
                    content,
                    flate_stream(
                        Dict::new(),
                        b"BT /F1 12 Tf 72 720 Td (Phu luc bo sung) Tj ET\n",
                    ),
                );
                let mut p = self.page1.clone();
                p.set("Contents", Obj::Ref(content));
                p.set("Parent", Obj::Ref(self.pages_id));
                p.0.retain(|(k, _)| k != "Annots");
                self.changed.insert(page, Body::Obj(Obj::Dict(p)));
                let mut kids = match self.pages.get("Kids") {
                    Some(Obj::Array(a)) => a.clone(),
                    _ => vec![],
                };
                kids.push(Obj::Ref(page));
                self.pages.set("Count", Obj::Int(kids.len() as i64));
                self.pages.set("Kids", Obj::Array(kids));
            }
            Artefact::NeedAppearances => {
                let field = self.alloc();
                let d = Dict::new()
                    .with("FT", name("Tx"))
                    .with("T", text("SoTien"))
                    .with("V", text("100.000.000 đồng"));
                self.changed.insert(field, Body::Obj(Obj::Dict(d)));
                let mut form = self.form();
                let mut fields = match form.get("Fields") {
                    Some(Obj::Array(a)) => a.clone(),
                    _ => vec![],
                };
                fields.push(Obj::Ref(field));
                form.set("Fields", Obj::Array(fields));
                self.catalog.set("AcroForm", Obj::Dict(form));
            }
            Artefact::Metadata => {
                let js = Dict::new()
                    .with("S", name("JavaScript"))
                    .with("JS", text("app.alert('x')"));
                self.catalog.set("OpenAction", Obj::Dict(js));
            }
        }
    }
}
