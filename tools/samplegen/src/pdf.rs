//! A small PDF object model and writer with incremental updates and PPKLite signing.

use crate::der::{self, seq};
use crate::pki::{rsa_sign, Identity};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, FixedOffset, Utc};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    /// Written with at most three decimals so output never depends on float printing quirks.
    Real(f64),
    Name(String),
    /// Literal string; bytes are escaped on output.
    Str(Vec<u8>),
    Hex(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32),
    /// Pre-formatted tokens (placeholders that get patched in place).
    Raw(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict(pub Vec<(String, Obj)>);

impl Dict {
    pub fn new() -> Self {
        Dict(Vec::new())
    }
    pub fn with(mut self, key: &str, v: Obj) -> Self {
        self.set(key, v);
        self
    }
    pub fn set(&mut self, key: &str, v: Obj) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = v;
        } else {
            self.0.push((key.to_string(), v));
        }
    }
    pub fn get(&self, key: &str) -> Option<&Obj> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Obj> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

pub fn name(s: &str) -> Obj {
    Obj::Name(s.to_string())
}

/// A PDF text string: PDFDocEncoding-safe ASCII stays literal, anything else is UTF-16BE with a BOM.
pub fn text(s: &str) -> Obj {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Obj::Str(s.as_bytes().to_vec())
    } else {
        let mut b = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Obj::Hex(b)
    }
}

pub fn fmt_real(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    let s = format!("{r:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

impl Obj {
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Obj::Null => out.extend_from_slice(b"null"),
            Obj::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Obj::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Obj::Real(r) => out.extend_from_slice(fmt_real(*r).as_bytes()),
            Obj::Name(n) => {
                out.push(b'/');
                for &b in n.as_bytes() {
                    if b.is_ascii_alphanumeric() || b"-_.+*".contains(&b) {
                        out.push(b);
                    } else {
                        out.extend_from_slice(format!("#{b:02X}").as_bytes());
                    }
                }
            }
            Obj::Str(s) => {
                out.push(b'(');
                for &b in s {
                    match b {
                        b'(' | b')' | b'\\' => {
                            out.push(b'\\');
                            out.push(b);
                        }
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(b),
                    }
                }
                out.push(b')');
            }
            Obj::Hex(h) => {
                out.push(b'<');
                out.extend_from_slice(hex(h).as_bytes());
                out.push(b'>');
            }
            Obj::Array(a) => {
                out.push(b'[');
                for (i, o) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    o.write(out);
                }
                out.push(b']');
            }
            Obj::Dict(d) => d.write(out),
            Obj::Ref(id) => out.extend_from_slice(format!("{id} 0 R").as_bytes()),
            Obj::Raw(s) => out.extend_from_slice(s.as_bytes()),
        }
    }
}

impl Dict {
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"<<");
        for (k, v) in &self.0 {
            name(k).write(out);
            out.push(b' ');
            v.write(out);
        }
        out.extend_from_slice(b">>");
    }
}

pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02X}");
    }
    s
}

/// An indirect object's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Obj(Obj),
    /// Dictionary and the (already encoded) stream data; /Length is filled in on output.
    Stream(Dict, Vec<u8>),
}

impl Body {
    fn write(&self, id: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        match self {
            Body::Obj(o) => o.write(out),
            Body::Stream(d, data) => {
                let mut d = d.clone();
                d.set("Length", Obj::Int(data.len() as i64));
                d.write(out);
                out.extend_from_slice(b"\nstream\n");
                out.extend_from_slice(data);
                out.extend_from_slice(b"\nendstream");
            }
        }
        out.extend_from_slice(b"\nendobj\n");
    }
}

/// zlib at a fixed level with a fixed implementation, so bytes are reproducible.
pub fn flate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

pub fn flate_stream(mut dict: Dict, data: &[u8]) -> Body {
    dict.set("Filter", name("FlateDecode"));
    Body::Stream(dict, flate(data))
}

/// A PDF file being built: its bytes so far plus the latest version of every object,
/// so incremental updates (signatures, tampering) can rewrite objects the way real tools do.
#[derive(Clone, Debug)]
pub struct Pdf {
    bytes: Vec<u8>,
    objects: BTreeMap<u32, Body>,
    root: u32,
    info: Option<u32>,
    pages: Vec<u32>,
    last_xref: usize,
    id: Vec<u8>,
    /// Trailer entries beyond the standard ones (e.g. /Encrypt for an encrypted-looking fixture).
    extra_trailer: Dict,
}

/// Options for one signature.
#[derive(Clone, Debug)]
pub struct SignOptions {
    pub time: DateTime<FixedOffset>,
    pub reason: String,
    pub location: Option<String>,
    /// Bytes reserved for the CMS blob; /Contents is twice this in hex digits.
    pub contents_capacity: usize,
    /// Field name; defaults to `"Signature<N>"`.
    pub field_name: Option<String>,
    /// Leave this many bytes at the end of the file outside /ByteRange (coverage-gap fixture).
    pub byterange_shortfall: usize,
    /// Digest the document and the signed attributes with SHA-1 (forgery fixtures).
    pub sha1: bool,
}

impl SignOptions {
    pub fn at(time: DateTime<FixedOffset>, reason: &str) -> Self {
        SignOptions {
            time,
            reason: reason.to_string(),
            location: Some("Đắk Glei".into()),
            contents_capacity: 8 * 1024,
            field_name: None,
            byterange_shortfall: 0,
            sha1: false,
        }
    }
}

/// Where a signature's placeholders ended up, for fixtures that damage them.
#[derive(Clone, Copy, Debug)]
pub struct SigLocation {
    /// Offset of `<` opening /Contents.
    pub contents_start: usize,
    /// Offset just after `>` closing /Contents.
    pub contents_end: usize,
    pub byte_range: [usize; 4],
}

const BYTERANGE_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

impl Pdf {
    /// Write a complete single-revision file.
    pub fn new(
        version: &str,
        objects: BTreeMap<u32, Body>,
        root: u32,
        info: Option<u32>,
        pages: Vec<u32>,
    ) -> Pdf {
        Pdf::new_with_trailer(version, objects, root, info, pages, Dict::new())
    }

    pub fn new_with_trailer(
        version: &str,
        objects: BTreeMap<u32, Body>,
        root: u32,
        info: Option<u32>,
        pages: Vec<u32>,
        extra_trailer: Dict,
    ) -> Pdf {
        let mut bytes = format!("%PDF-{version}\n").into_bytes();
        // Binary comment so transfer tools treat the file as binary.
        bytes.extend_from_slice(b"%\xE2\xE3\xCF\xD3\n");
        let mut offsets = BTreeMap::new();
        for (id, body) in &objects {
            offsets.insert(*id, bytes.len());
            body.write(*id, &mut bytes);
        }
        // The /ID is derived from the content: fixed per document, different between documents.
        let id = Sha256::digest(&bytes)[..16].to_vec();
        let mut pdf = Pdf {
            bytes,
            objects,
            root,
            info,
            pages,
            last_xref: 0,
            id,
            extra_trailer,
        };
        pdf.write_xref(&offsets, None);
        pdf
    }

    fn write_xref(&mut self, offsets: &BTreeMap<u32, usize>, prev: Option<usize>) {
        let xref_at = self.bytes.len();
        let mut s = String::from("xref\n");
        let size = self.objects.keys().max().map_or(1, |m| m + 1);
        let mut entries: Vec<(u32, String)> = Vec::new();
        if prev.is_none() {
            entries.push((0, "0000000000 65535 f\r\n".into()));
        }
        for (id, off) in offsets {
            entries.push((*id, format!("{off:010} 00000 n\r\n")));
        }
        // Contiguous runs become subsections.
        let mut i = 0;
        while i < entries.len() {
            let mut j = i + 1;
            while j < entries.len() && entries[j].0 == entries[j - 1].0 + 1 {
                j += 1;
            }
            let _ = writeln!(s, "{} {}", entries[i].0, j - i);
            for e in &entries[i..j] {
                s.push_str(&e.1);
            }
            i = j;
        }
        let mut trailer = Dict::new()
            .with("Size", Obj::Int(size as i64))
            .with("Root", Obj::Ref(self.root));
        if let Some(info) = self.info {
            trailer.set("Info", Obj::Ref(info));
        }
        for (k, v) in &self.extra_trailer.0 {
            trailer.set(k, v.clone());
        }
        trailer.set(
            "ID",
            Obj::Array(vec![Obj::Hex(self.id.clone()), Obj::Hex(self.id.clone())]),
        );
        if let Some(p) = prev {
            trailer.set("Prev", Obj::Int(p as i64));
        }
        s.push_str("trailer\n");
        self.bytes.extend_from_slice(s.as_bytes());
        let mut t = Vec::new();
        trailer.write(&mut t);
        self.bytes.extend_from_slice(&t);
        self.bytes
            .extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        self.last_xref = xref_at;
    }

    /// Append an incremental update holding `changed` objects (new ids or new versions).
    pub fn append_update(&mut self, changed: BTreeMap<u32, Body>) {
        let mut offsets = BTreeMap::new();
        for (id, body) in changed {
            offsets.insert(id, self.bytes.len());
            body.write(id, &mut self.bytes);
            self.objects.insert(id, body);
        }
        let prev = self.last_xref;
        self.write_xref(&offsets, Some(prev));
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
    /// Raw access for fixtures that damage the file in place.
    pub fn bytes_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }
    pub fn object(&self, id: u32) -> Option<&Body> {
        self.objects.get(&id)
    }
    pub fn next_id(&self) -> u32 {
        self.objects.keys().max().map_or(1, |m| m + 1)
    }
    pub fn info_id(&self) -> Option<u32> {
        self.info
    }
    /// The trailer's /Info from the next revision written on.
    pub fn set_info(&mut self, info: Option<u32>) {
        self.info = info;
    }
    pub fn root_id(&self) -> u32 {
        self.root
    }
    pub fn page_ids(&self) -> &[u32] {
        &self.pages
    }

    fn dict_of(&self, id: u32) -> Result<Dict> {
        match self.objects.get(&id) {
            Some(Body::Obj(Obj::Dict(d))) => Ok(d.clone()),
            _ => bail!("object {id} is not a dictionary"),
        }
    }

    /// Add a signature the way Vietnamese signing tools do: an incremental update with a
    /// new /Sig field whose widget sits on page 1, then patch /ByteRange and /Contents.
    pub fn sign(&mut self, who: &Identity, opts: &SignOptions) -> Result<SigLocation> {
        let mut catalog = self.dict_of(self.root)?;
        let page_id = *self.pages.first().context("no pages")?;
        let mut page = self.dict_of(page_id)?;
        let sig_id = self.next_id();
        let field_id = sig_id + 1;

        let mut acroform = match catalog.get("AcroForm") {
            Some(Obj::Dict(d)) => d.clone(),
            _ => Dict::new(),
        };
        let mut fields = match acroform.get("Fields") {
            Some(Obj::Array(a)) => a.clone(),
            _ => vec![],
        };
        let field_name = opts
            .field_name
            .clone()
            .unwrap_or_else(|| format!("Signature{}", fields.len() + 1));
        fields.push(Obj::Ref(field_id));
        acroform.set("Fields", Obj::Array(fields));
        acroform.set("SigFlags", Obj::Int(3));
        catalog.set("AcroForm", Obj::Dict(acroform));
        let mut annots = match page.get("Annots") {
            Some(Obj::Array(a)) => a.clone(),
            _ => vec![],
        };
        annots.push(Obj::Ref(field_id));
        page.set("Annots", Obj::Array(annots));

        let mut sig = Dict::new()
            .with("Type", name("Sig"))
            .with("Filter", name("Adobe.PPKLite"))
            .with("SubFilter", name("adbe.pkcs7.detached"))
            .with("ByteRange", Obj::Raw(BYTERANGE_PLACEHOLDER.into()))
            .with(
                "Contents",
                Obj::Raw(format!("<{}>", "0".repeat(opts.contents_capacity * 2))),
            )
            .with("M", Obj::Str(pdf_date(&opts.time).into_bytes()))
            .with("Name", text(&who.display_name))
            .with("Reason", text(&opts.reason));
        if let Some(loc) = &opts.location {
            sig.set("Location", text(loc));
        }
        let widget = Dict::new()
            .with("Type", name("Annot"))
            .with("Subtype", name("Widget"))
            .with("FT", name("Sig"))
            .with("T", text(&field_name))
            .with("V", Obj::Ref(sig_id))
            .with("F", Obj::Int(132))
            .with(
                "Rect",
                Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Int(0), Obj::Int(0)]),
            )
            .with("P", Obj::Ref(page_id));

        let update_start = self.bytes.len();
        let mut changed = BTreeMap::new();
        changed.insert(self.root, Body::Obj(Obj::Dict(catalog)));
        changed.insert(page_id, Body::Obj(Obj::Dict(page)));
        changed.insert(sig_id, Body::Obj(Obj::Dict(sig)));
        changed.insert(field_id, Body::Obj(Obj::Dict(widget)));
        self.append_update(changed);

        let tail = &self.bytes[update_start..];
        let br_at = update_start
            + find(tail, BYTERANGE_PLACEHOLDER.as_bytes()).context("ByteRange placeholder")?;
        let contents_start = update_start + find(tail, b"/Contents <").context("Contents")? + 10;
        let contents_end = contents_start + opts.contents_capacity * 2 + 2;
        let total = self.bytes.len();
        let covered_end = total - opts.byterange_shortfall;
        let byte_range = [0, contents_start, contents_end, covered_end - contents_end];
        let mut br = format!("[0 {} {} {}]", byte_range[1], byte_range[2], byte_range[3]);
        if br.len() > BYTERANGE_PLACEHOLDER.len() {
            bail!("ByteRange does not fit its placeholder");
        }
        // Pad inside the brackets, as common signing tools do, so no offset moves.
        br.insert_str(
            br.len() - 1,
            &" ".repeat(BYTERANGE_PLACEHOLDER.len() - br.len()),
        );
        self.bytes[br_at..br_at + br.len()].copy_from_slice(br.as_bytes());

        let signed = [
            &self.bytes[..contents_start],
            &self.bytes[contents_end..covered_end],
        ];
        let cms = if opts.sha1 {
            let mut hasher = sha1::Sha1::new();
            signed.iter().for_each(|p| hasher.update(p));
            cms_signed_data_with(
                who,
                &hasher.finalize(),
                opts.time.with_timezone(&Utc),
                DigestAlg::Sha1,
            )
        } else {
            let mut hasher = Sha256::new();
            signed.iter().for_each(|p| hasher.update(p));
            cms_signed_data(who, &hasher.finalize(), opts.time.with_timezone(&Utc))
        };
        if cms.len() > opts.contents_capacity {
            bail!("CMS ({} bytes) exceeds /Contents capacity", cms.len());
        }
        let h = hex(&cms);
        self.bytes[contents_start + 1..contents_start + 1 + h.len()].copy_from_slice(h.as_bytes());
        Ok(SigLocation {
            contents_start,
            contents_end,
            byte_range,
        })
    }
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `D:YYYYMMDDHHmmSS+07'00'`
pub fn pdf_date(t: &DateTime<FixedOffset>) -> String {
    let off = t.offset().local_minus_utc();
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!(
        "D:{}{}{:02}'{:02}'",
        t.format("%Y%m%d%H%M%S"),
        sign,
        off / 3600,
        off % 3600 / 60
    )
}

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_RSA: &str = "1.2.840.113549.1.1.1";

const OID_SHA1: &str = "1.3.14.3.2.26";

/// The digest of a CMS signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DigestAlg {
    Sha256,
    /// Only for fixtures that tlkc must refuse.
    Sha1,
}

/// CMS SignedData (detached) with contentType, signingTime and messageDigest signed attributes.
pub fn cms_signed_data(who: &Identity, digest: &[u8], signing_time: DateTime<Utc>) -> Vec<u8> {
    cms_signed_data_with(who, digest, signing_time, DigestAlg::Sha256)
}

/// [`cms_signed_data`] with a chosen digest algorithm.
pub fn cms_signed_data_with(
    who: &Identity,
    digest: &[u8],
    signing_time: DateTime<Utc>,
    alg: DigestAlg,
) -> Vec<u8> {
    let attr = |oid: &str, value: Vec<u8>| seq(&[der::oid(oid), der::set_of(&[value])]);
    let attrs = vec![
        attr("1.2.840.113549.1.9.3", der::oid(OID_DATA)),
        attr("1.2.840.113549.1.9.5", der::time(signing_time)),
        attr("1.2.840.113549.1.9.4", der::octets(digest)),
    ];
    // Signed over the SET OF encoding; stored under the [0] IMPLICIT tag.
    let signed_set = der::set_of(&attrs);
    let (signature, digest_oid) = match alg {
        DigestAlg::Sha256 => (rsa_sign(&who.key, &signed_set), OID_SHA256),
        DigestAlg::Sha1 => (crate::pki::rsa_sign_sha1(&who.key, &signed_set), OID_SHA1),
    };
    let mut implicit = signed_set.clone();
    implicit[0] = 0xa0;
    let sha256 = seq(&[der::oid(digest_oid)]);
    let signer_info = seq(&[
        der::small_int(1),
        seq(&[who.issuer_name.clone(), der::uint(&who.serial)]),
        sha256.clone(),
        implicit,
        seq(&[der::oid(OID_RSA), der::null()]),
        der::octets(&signature),
    ]);
    let mut certs = vec![who.cert.clone()];
    certs.extend(who.chain.iter().cloned());
    let signed_data = seq(&[
        der::small_int(1),
        der::set_of(&[sha256]),
        seq(&[der::oid(OID_DATA)]),
        der::tlv(0xa0, &certs.concat()),
        der::set_of(&[signer_info]),
    ]);
    seq(&[der::oid(OID_SIGNED_DATA), der::explicit(0, &signed_data)])
}
