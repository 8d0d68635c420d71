//! Page-1 text extraction with positions.
//!
//! lopdf's `extract_text` ignores positions and Form XObjects, so words placed
//! by `Tm` run together ("Số:16/KH-UBNDĐắkGlei"). This extractor follows the
//! graphics and text state far enough to place every shown string on the page,
//! then rebuilds lines by baseline: lines top to bottom, runs left to right, a
//! space where runs are apart, a tab where they are a column apart (the number
//! and the place-and-date line usually share a baseline).
//!
//! Every input is hostile: content size, operator count and Form XObject depth
//! are bounded, and nothing here indexes or unwraps file data.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::Limits;

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("resource limit: {0}")]
    Limit(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

/// Text of page 1, NFC, one extracted line per `\n`, `\t` between columns.
pub fn page1_text(doc: &Document, limits: &Limits) -> Result<String, TextError> {
    let pages = doc.get_pages();
    let page_id = *pages
        .get(&1)
        .ok_or_else(|| TextError::Pdf("no page 1".into()))?;
    let content = doc
        .get_page_content_with_limit(page_id, limits.max_content_bytes)
        .map_err(|e| match e {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                TextError::Limit(format!(
                    "page-1 content over {} bytes",
                    limits.max_content_bytes
                ))
            }
            e => TextError::Pdf(e.to_string()),
        })?;
    let resources = page_resources(doc, page_id);
    let rotation = page_rotation(doc, page_id);
    let mut ex = Extractor {
        doc,
        limits,
        content_bytes: content.len(),
        text_ops: 0,
        text_chars: 0,
        visited: HashSet::new(),
        fonts: Vec::new(),
        font_keys: HashMap::new(),
        runs: Vec::new(),
        pending_space: false,
    };
    let state = GState {
        ctm: rotation,
        ..GState::default()
    };
    ex.run(&content, &resources, state, 0)?;
    // Widget appearances complete a text page (the stamped number); on a
    // scan they are only the signature box, and reporting that as the
    // page's text would make an image-only page look like it has a text layer.
    if ex
        .runs
        .iter()
        .any(|r| r.text.chars().any(char::is_alphanumeric))
    {
        ex.annotations(page_id, &resources, rotation)?;
    }
    Ok(crate::text::nfc(&layout(ex.runs)))
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (PDF row-vector convention: p' = p × a × b).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

fn translate(tx: f64, ty: f64) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The initial CTM that turns user space into the page as displayed, so
/// "top" and "left" mean what a reader sees on a `/Rotate`d page.
fn page_rotation(doc: &Document, page_id: ObjectId) -> Matrix {
    let rotate = inherited(doc, page_id, b"Rotate")
        .and_then(num)
        .map(|r| (r as i64).rem_euclid(360))
        .unwrap_or(0);
    match rotate {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        270 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        _ => IDENTITY,
    }
}

/// A page attribute, looked up through `/Parent` (bounded: page trees can loop).
fn inherited<'d>(doc: &'d Document, page_id: ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
        out.extend(direct);
        out.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    }
    out
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

fn nums<const N: usize>(operands: &[Object]) -> Option<[f64; N]> {
    if operands.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (slot, o) in out.iter_mut().zip(&operands[operands.len() - N..]) {
        *slot = num(o)?;
    }
    Some(out)
}

enum Widths {
    Simple {
        first: u32,
        widths: Vec<f64>,
        missing: f64,
    },
    Cid {
        ranges: Vec<(u32, u32, f64)>,
        default: f64,
    },
}

impl Widths {
    fn get(&self, code: u32) -> f64 {
        match self {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { ranges, default } => ranges
                .iter()
                .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))
                .map(|r| r.2)
                .unwrap_or(*default),
        }
    }
}

struct Font<'d> {
    encoding: Option<Encoding<'d>>,
    /// Composite (Type0) fonts use two-byte codes here; other CMaps are rare
    /// enough in office output that two bytes is the useful guess.
    two_byte: bool,
    widths: Widths,
    /// Glyph space to text space (1/1000, or a Type3 font's matrix).
    scale: f64,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    char_spacing: f64,
    word_spacing: f64,
    h_scale: f64,
    leading: f64,
    rise: f64,
    font: Option<usize>,
    font_size: f64,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            tm: IDENTITY,
            tlm: IDENTITY,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            font: None,
            font_size: 0.0,
        }
    }
}

/// One shown string, placed on the displayed page.
struct Run {
    x: f64,
    y: f64,
    x_end: f64,
    size: f64,
    horizontal: bool,
    /// A space glyph was shown just before: justified text squeezes spaces
    /// below the gap threshold, but a space it is.
    space_before: bool,
    text: String,
}

/// Hostile files can nest `q` without end; deeper saves are counted, not kept.
const MAX_STATE_STACK: usize = 1024;
/// Bounds the per-font width table a crafted `/W` array can make us build.
const MAX_WIDTH_ENTRIES: usize = 1 << 16;

struct Extractor<'d, 'l> {
    doc: &'d Document,
    limits: &'l Limits,
    content_bytes: usize,
    text_ops: usize,
    text_chars: usize,
    visited: HashSet<ObjectId>,
    fonts: Vec<Font<'d>>,
    font_keys: HashMap<usize, usize>,
    runs: Vec<Run>,
    pending_space: bool,
}

impl<'d> Extractor<'d, '_> {
    fn run(
        &mut self,
        content: &[u8],
        resources: &[&'d Dictionary],
        mut gs: GState,
        depth: u32,
    ) -> Result<(), TextError> {
        let mut stack: Vec<GState> = Vec::new();
        let mut overflow = 0usize;
        for op in lopdf::content::Content::decode_iter(content) {
            // A damaged stream keeps the text read before the damage.
            let Ok(op) = op else { break };
            let ops = &op.operands;
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < MAX_STATE_STACK {
                        stack.push(gs.clone());
                    } else {
                        overflow += 1;
                    }
                }
                "Q" => {
                    if overflow > 0 {
                        overflow -= 1;
                    } else if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(ops) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    self.count_op()?;
                    gs.tm = IDENTITY;
                    gs.tlm = IDENTITY;
                }
                "Tf" => {
                    self.count_op()?;
                    gs.font = ops
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font(resources, name));
                    if let Some([size]) = nums::<1>(ops) {
                        gs.font_size = size;
                    }
                }
                "Tc" => {
                    if let Some([v]) = nums::<1>(ops) {
                        gs.char_spacing = v;
                    }
                }
                "Tw" => {
                    if let Some([v]) = nums::<1>(ops) {
                        gs.word_spacing = v;
                    }
                }
                "Tz" => {
                    if let Some([v]) = nums::<1>(ops) {
                        gs.h_scale = v / 100.0;
                    }
                }
                "TL" => {
                    if let Some([v]) = nums::<1>(ops) {
                        gs.leading = v;
                    }
                }
                "Ts" => {
                    if let Some([v]) = nums::<1>(ops) {
                        gs.rise = v;
                    }
                }
                "Td" => {
                    self.count_op()?;
                    if let Some([tx, ty]) = nums::<2>(ops) {
                        next_line(&mut gs, tx, ty);
                    }
                }
                "TD" => {
                    self.count_op()?;
                    if let Some([tx, ty]) = nums::<2>(ops) {
                        gs.leading = -ty;
                        next_line(&mut gs, tx, ty);
                    }
                }
                "Tm" => {
                    self.count_op()?;
                    if let Some(m) = nums::<6>(ops) {
                        gs.tm = m;
                        gs.tlm = m;
                    }
                }
                "T*" => {
                    self.count_op()?;
                    let l = gs.leading;
                    next_line(&mut gs, 0.0, -l);
                }
                "Tj" => {
                    self.count_op()?;
                    if let Some(Object::String(s, _)) = ops.first() {
                        self.show(&mut gs, s)?;
                    }
                }
                "'" => {
                    self.count_op()?;
                    let l = gs.leading;
                    next_line(&mut gs, 0.0, -l);
                    if let Some(Object::String(s, _)) = ops.first() {
                        self.show(&mut gs, s)?;
                    }
                }
                "\"" => {
                    self.count_op()?;
                    if let (Some(aw), Some(ac)) =
                        (ops.first().and_then(num), ops.get(1).and_then(num))
                    {
                        gs.word_spacing = aw;
                        gs.char_spacing = ac;
                    }
                    let l = gs.leading;
                    next_line(&mut gs, 0.0, -l);
                    if let Some(Object::String(s, _)) = ops.get(2) {
                        self.show(&mut gs, s)?;
                    }
                }
                "TJ" => {
                    self.count_op()?;
                    if let Some(Object::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&mut gs, s)?,
                                other => {
                                    if let Some(n) = num(other) {
                                        let tx = -n / 1000.0 * gs.font_size * gs.h_scale;
                                        gs.tm = mul(&translate(tx, 0.0), &gs.tm);
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    self.count_op()?;
                    if let Some(name) = ops.first().and_then(|o| o.as_name().ok()) {
                        self.form(resources, name, &gs, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn count_op(&mut self) -> Result<(), TextError> {
        self.text_ops += 1;
        if self.text_ops > self.limits.max_text_ops {
            return Err(TextError::Limit(format!(
                "page-1 text operators over {}",
                self.limits.max_text_ops
            )));
        }
        Ok(())
    }

    /// `Do`: draw a Form XObject named in the current resources.
    fn form(
        &mut self,
        resources: &[&'d Dictionary],
        name: &[u8],
        gs: &GState,
        depth: u32,
    ) -> Result<(), TextError> {
        let Some((id, obj)) = lookup(self.doc, resources, b"XObject", name) else {
            return Ok(());
        };
        let Ok(stream) = obj.as_stream() else {
            return Ok(());
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return Ok(());
        }
        let outer = gs.ctm;
        self.draw_form(id, stream, outer, resources, gs, depth)
    }

    /// A form's own content, matrix and (if any) resources, drawn under `outer`.
    fn draw_form(
        &mut self,
        id: Option<ObjectId>,
        stream: &'d lopdf::Stream,
        outer: Matrix,
        resources: &[&'d Dictionary],
        gs: &GState,
        depth: u32,
    ) -> Result<(), TextError> {
        if depth >= self.limits.max_xobject_depth {
            return Ok(());
        }
        // Each form once per page: stops self-reference and exponential fan-out.
        if let Some(id) = id {
            if !self.visited.insert(id) {
                return Ok(());
            }
        }
        let remaining = self
            .limits
            .max_content_bytes
            .saturating_sub(self.content_bytes);
        let content = match stream.get_plain_content_with_limit(remaining) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(self.content_limit()),
            Err(_) => return Ok(()),
        };
        self.content_bytes += content.len();
        if self.content_bytes > self.limits.max_content_bytes {
            return Err(self.content_limit());
        }
        let mut inner = gs.clone();
        inner.ctm = mul(&form_matrix(stream), &outer);
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| self.doc.dereference(r).ok())
            .and_then(|(_, r)| r.as_dict().ok());
        // Forms without /Resources inherit the page's (PDF 1.1 practice).
        let res: Vec<&'d Dictionary> = match own {
            Some(d) => vec![d],
            None => resources.to_vec(),
        };
        self.run(&content, &res, inner, depth + 1)
    }

    fn content_limit(&self) -> TextError {
        TextError::Limit(format!(
            "page-1 content over {} bytes",
            self.limits.max_content_bytes
        ))
    }

    /// Annotation appearances. E-office systems stamp the number and the day
    /// of issue into signature widgets when the clerk signs ("cấp số"), so the
    /// "Số:" line is often only complete with them.
    fn annotations(
        &mut self,
        page_id: ObjectId,
        resources: &[&'d Dictionary],
        rotation: Matrix,
    ) -> Result<(), TextError> {
        let Ok(annots) = self.doc.get_page_annotations(page_id) else {
            return Ok(());
        };
        for annot in annots {
            let flags = annot.get(b"F").ok().and_then(num).unwrap_or(0.0) as i64;
            // Hidden (bit 2) and NoView (bit 6) appearances are not on the page.
            if flags & (1 << 1) != 0 || flags & (1 << 5) != 0 {
                continue;
            }
            let Some(rect) = annot
                .get(b"Rect")
                .ok()
                .and_then(|r| self.doc.dereference(r).ok())
                .and_then(|(_, r)| r.as_array().ok())
                .and_then(|r| nums::<4>(r))
            else {
                continue;
            };
            let Some((id, stream)) = normal_appearance(self.doc, annot) else {
                continue;
            };
            let Some(placement) = appearance_placement(stream, rect) else {
                continue;
            };
            let outer = mul(&placement, &rotation);
            let gs = GState {
                ctm: outer,
                ..GState::default()
            };
            self.draw_form(id, stream, outer, resources, &gs, 0)?;
        }
        Ok(())
    }

    fn font(&mut self, resources: &[&'d Dictionary], name: &[u8]) -> Option<usize> {
        let (_, obj) = lookup(self.doc, resources, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        // Keyed by address: the same dictionary reached twice is one font.
        let key = dict as *const Dictionary as usize;
        if let Some(i) = self.font_keys.get(&key) {
            return Some(*i);
        }
        let font = load_font(self.doc, dict, self.limits.max_content_bytes);
        self.fonts.push(font);
        let i = self.fonts.len() - 1;
        self.font_keys.insert(key, i);
        Some(i)
    }

    /// Show a string: one run per space-separated segment, each placed by
    /// glyph widths, so blanks typed with spaces become measurable gaps and
    /// text stamped into those blanks sorts where it is seen.
    fn show(&mut self, gs: &mut GState, bytes: &[u8]) -> Result<(), TextError> {
        let Some(font) = gs.font.and_then(|i| self.fonts.get(i)) else {
            return Ok(());
        };
        let fs = gs.font_size;
        let m = mul(&gs.tm, &gs.ctm);
        let size = (fs * (m[2] * m[2] + m[3] * m[3]).sqrt()).abs();
        let horizontal = m[0] > 0.0 && m[1].abs() <= 0.2 * m[0].abs();
        let step = if font.two_byte { 2 } else { 1 };
        let mut advance = 0.0;
        // (start offset, end offset, text, space before) in text space along the baseline.
        let mut segments: Vec<(f64, f64, String, bool)> = Vec::new();
        let mut current: Option<(f64, f64, String, bool)> = None;
        let mut pending = self.pending_space;
        for code_bytes in bytes.chunks(step) {
            let code = code_bytes
                .iter()
                .fold(0u32, |acc, b| acc << 8 | u32::from(*b));
            let single_byte_space = step == 1 && code == 32;
            let w = font.widths.get(code) * font.scale * fs;
            let ws = if single_byte_space {
                gs.word_spacing
            } else {
                0.0
            };
            let start = advance;
            advance += (w + gs.char_spacing + ws) * gs.h_scale;
            let glyph = decode(font, code_bytes);
            if glyph.is_empty() {
                continue;
            }
            if single_byte_space || glyph.chars().all(char::is_whitespace) {
                segments.extend(current.take());
                pending = true;
                continue;
            }
            match current.as_mut() {
                Some(seg) => {
                    seg.1 = advance;
                    seg.2.push_str(&glyph);
                }
                None => {
                    current = Some((start, advance, glyph, pending));
                    pending = false;
                }
            }
        }
        segments.extend(current.take());
        self.pending_space = pending;
        gs.tm = mul(&translate(advance, 0.0), &gs.tm);
        for (start, end, text, space_before) in segments {
            let (x, y) = apply(&m, start, gs.rise);
            let (x_end, _) = apply(&m, end, gs.rise);
            if ![x, y, x_end, size].iter().all(|v| v.is_finite()) {
                continue;
            }
            self.text_chars += text.len();
            // Decoded text can outgrow its codes (one code → many chars); keep it bounded.
            if self.text_chars > self.limits.max_content_bytes.saturating_mul(4) {
                return Err(TextError::Limit("page-1 text too long".into()));
            }
            self.runs.push(Run {
                x,
                y,
                x_end: if horizontal { x_end } else { x },
                size: size.max(0.1),
                horizontal,
                space_before,
                text,
            });
        }
        Ok(())
    }
}

fn form_matrix(stream: &lopdf::Stream) -> Matrix {
    stream
        .dict
        .get(b"Matrix")
        .and_then(Object::as_array)
        .ok()
        .and_then(|m| nums::<6>(m))
        .unwrap_or(IDENTITY)
}

/// The `/AP /N` stream of an annotation, picking the `/AS` state when there are several.
fn normal_appearance<'d>(
    doc: &'d Document,
    annot: &'d Dictionary,
) -> Option<(Option<ObjectId>, &'d lopdf::Stream)> {
    let (_, ap) = doc.dereference(annot.get(b"AP").ok()?).ok()?;
    let (id, normal) = doc.dereference(ap.as_dict().ok()?.get(b"N").ok()?).ok()?;
    match normal {
        Object::Stream(s) => Some((id, s)),
        Object::Dictionary(states) => {
            let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
            let (id, s) = doc.dereference(states.get(state).ok()?).ok()?;
            Some((id, s.as_stream().ok()?))
        }
        _ => None,
    }
}

/// PDF 32000-1 §12.5.5: the form's BBox, transformed by its Matrix, is
/// fitted onto the annotation's Rect. Returns the map applied after Matrix.
fn appearance_placement(stream: &lopdf::Stream, rect: [f64; 4]) -> Option<Matrix> {
    let bbox = stream
        .dict
        .get(b"BBox")
        .and_then(Object::as_array)
        .ok()
        .and_then(|b| nums::<4>(b))?;
    let m = form_matrix(stream);
    let corners = [
        apply(&m, bbox[0], bbox[1]),
        apply(&m, bbox[2], bbox[1]),
        apply(&m, bbox[0], bbox[3]),
        apply(&m, bbox[2], bbox[3]),
    ];
    let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in corners {
        bx0 = bx0.min(x);
        by0 = by0.min(y);
        bx1 = bx1.max(x);
        by1 = by1.max(y);
    }
    let (rx0, rx1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
    let (ry0, ry1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
    let (bw, bh) = (bx1 - bx0, by1 - by0);
    if !(bw > 0.0 && bh > 0.0) {
        return None;
    }
    let (sx, sy) = ((rx1 - rx0) / bw, (ry1 - ry0) / bh);
    let placement = [sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy];
    placement.iter().all(|v| v.is_finite()).then_some(placement)
}

fn next_line(gs: &mut GState, tx: f64, ty: f64) {
    gs.tlm = mul(&translate(tx, ty), &gs.tlm);
    gs.tm = gs.tlm;
}

/// A named resource (`/Font /F1`, `/XObject /Fm0`) from the first resource
/// dictionary that has it.
fn lookup<'d>(
    doc: &'d Document,
    resources: &[&'d Dictionary],
    category: &[u8],
    name: &[u8],
) -> Option<(Option<ObjectId>, &'d Object)> {
    resources.iter().find_map(|res| {
        let (_, cat) = doc.dereference(res.get(category).ok()?).ok()?;
        let entry = cat.as_dict().ok()?.get(name).ok()?;
        doc.dereference(entry).ok()
    })
}

fn load_font<'d>(doc: &'d Document, dict: &'d Dictionary, limit: usize) -> Font<'d> {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
    let two_byte = subtype == Some(b"Type0");
    let scale = if subtype == Some(b"Type3") {
        dict.get(b"FontMatrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|m| m.first())
            .and_then(num)
            .unwrap_or(0.001)
    } else {
        0.001
    };
    let widths = if two_byte {
        cid_widths(doc, dict)
    } else {
        simple_widths(doc, dict)
    };
    Font {
        encoding: font_encoding(doc, dict, two_byte, limit),
        two_byte,
        widths,
        scale,
    }
}

/// ToUnicode first: office suites write a WinAnsi `/Encoding` beside a
/// ToUnicode map for Vietnamese glyphs, and lopdf would pick the former.
fn font_encoding<'d>(
    doc: &'d Document,
    dict: &'d Dictionary,
    two_byte: bool,
    limit: usize,
) -> Option<Encoding<'d>> {
    if let Ok(to_unicode) = dict.get(b"ToUnicode") {
        let mut probe = Dictionary::new();
        probe.set("Type", Object::Name(b"Font".to_vec()));
        probe.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        probe.set("ToUnicode", to_unicode.clone());
        // The CMap is owned, so it outlives the probe dictionary.
        if let Ok(Encoding::UnicodeMapEncoding(cmap)) =
            probe.get_font_encoding_with_limit(doc, limit)
        {
            return Some(Encoding::UnicodeMapEncoding(cmap));
        }
    }
    if two_byte {
        // Identity-H without ToUnicode: glyph ids, not characters.
        return None;
    }
    dict.get_font_encoding_with_limit(doc, limit).ok()
}

fn simple_widths(doc: &Document, dict: &Dictionary) -> Widths {
    let first = dict
        .get(b"FirstChar")
        .ok()
        .and_then(num)
        .map(|v| v.clamp(0.0, 255.0) as u32)
        .unwrap_or(0);
    let widths: Vec<f64> = dict
        .get(b"Widths")
        .ok()
        .and_then(|w| doc.dereference(w).ok())
        .and_then(|(_, w)| w.as_array().ok())
        .map(|arr| {
            arr.iter()
                .take(256)
                .map(|o| {
                    doc.dereference(o)
                        .ok()
                        .and_then(|(_, o)| num(o))
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .unwrap_or_default();
    let missing = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(num)
        .filter(|w| *w > 0.0)
        // Standard-14 fonts carry no widths; half an em is a fair average.
        .unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
    Widths::Simple {
        first,
        widths,
        missing,
    }
}

fn cid_widths(doc: &Document, dict: &Dictionary) -> Widths {
    let descendant = dict
        .get(b"DescendantFonts")
        .ok()
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok());
    let Some(desc) = descendant else {
        return Widths::Cid {
            ranges: Vec::new(),
            default: 1000.0,
        };
    };
    let default = desc.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let mut ranges = Vec::new();
    let w = desc
        .get(b"W")
        .ok()
        .and_then(|w| doc.dereference(w).ok())
        .and_then(|(_, w)| w.as_array().ok());
    if let Some(w) = w {
        fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
            doc.dereference(o).ok().map(|(_, o)| o)
        }
        let resolve = |o| resolve(doc, o);
        let mut i = 0;
        while i < w.len() && ranges.len() < MAX_WIDTH_ENTRIES {
            let Some(start) = w.get(i).and_then(resolve).and_then(num) else {
                break;
            };
            let start = start.max(0.0) as u32;
            match w.get(i + 1).and_then(resolve) {
                Some(Object::Array(list)) => {
                    for (k, wv) in list.iter().enumerate().take(MAX_WIDTH_ENTRIES) {
                        if let Some(v) = resolve(wv).and_then(num) {
                            let c = start.saturating_add(k as u32);
                            ranges.push((c, c, v));
                        }
                    }
                    i += 2;
                }
                Some(end) => {
                    let (Some(end), Some(v)) =
                        (num(end), w.get(i + 2).and_then(resolve).and_then(num))
                    else {
                        break;
                    };
                    ranges.push((start, end.max(0.0) as u32, v));
                    i += 3;
                }
                None => break,
            }
        }
    }
    Widths::Cid { ranges, default }
}

fn decode(font: &Font, bytes: &[u8]) -> String {
    let mut out = String::new();
    match &font.encoding {
        Some(enc) => {
            if enc.write_to_string(bytes, &mut out).is_err() {
                // Encodings lopdf cannot map: only ASCII is safe to guess.
                out = bytes
                    .iter()
                    .filter(|b| (0x20..0x7f).contains(*b))
                    .map(|b| char::from(*b))
                    .collect();
            }
        }
        None => return out,
    }
    // Unmapped glyphs come out as U+FFFD and control codes: drop them, as readers do.
    out.chars()
        .filter(|c| *c != '\u{fffd}' && (!c.is_control() || *c == ' '))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

struct Line {
    y: f64,
    size: f64,
    runs: Vec<Run>,
}

/// Gap (in ems) above which two runs on a baseline are separate words.
const WORD_GAP: f64 = 0.2;
/// Smallest gap (in ems) that still shows a space glyph drawn between runs.
const SPACE_GLYPH_GAP: f64 = 0.05;
/// Gap (in ems) above which two runs are in separate columns.
const COLUMN_GAP: f64 = 2.5;

fn layout(runs: Vec<Run>) -> String {
    let (mut horizontal, others): (Vec<Run>, Vec<Run>) =
        runs.into_iter().partition(|r| r.horizontal);
    horizontal.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for run in horizontal {
        match lines.last_mut() {
            Some(line) if (line.y - run.y).abs() <= 0.4 * line.size.min(run.size) => {
                line.size = line.size.max(run.size);
                line.runs.push(run);
            }
            _ => lines.push(Line {
                y: run.y,
                size: run.size,
                runs: vec![run],
            }),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut text = String::new();
        let mut prev: Option<(f64, f64, f64)> = None; // (x, x_end, size)
        let mut last_text = String::new();
        for run in line.runs {
            if let Some((px, pend, psize)) = prev {
                let em = psize.max(run.size);
                // Fake bold draws the same string twice, a hair apart.
                if run.text == last_text && (run.x - px).abs() < 0.3 * em {
                    continue;
                }
                let gap = run.x - pend;
                if gap > COLUMN_GAP * em {
                    while text.ends_with(' ') {
                        text.pop();
                    }
                    text.push('\t');
                } else if (gap > WORD_GAP * em || (run.space_before && gap > SPACE_GLYPH_GAP * em))
                    && !text.ends_with(' ')
                    && !run.text.starts_with(' ')
                {
                    text.push(' ');
                }
            }
            text.push_str(&run.text);
            let end = prev.map_or(run.x_end, |(_, e, _)| e.max(run.x_end));
            prev = Some((run.x, end, run.size));
            last_text = run.text;
        }
        push_line(&mut out, &text);
    }
    for run in others {
        push_line(&mut out, &run.text);
    }
    out
}

fn push_line(out: &mut String, text: &str) {
    let text = text.trim_matches(' ');
    if text.trim().is_empty() {
        return;
    }
    out.push_str(text);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A one-page document with Helvetica (WinAnsi) and the given content.
    fn doc_with(content: &[u8], extra: Option<(&str, Vec<u8>)>) -> Document {
        let mut doc = Document::with_version("1.7");
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let mut xobjects = Dictionary::new();
        if let Some((name, body)) = extra {
            let form = doc.new_object_id();
            let stream = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()] },
                body,
            );
            doc.objects.insert(form, Object::Stream(stream));
            xobjects.set(name, Object::Reference(form));
        }
        let resources = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font },
            "XObject" => xobjects,
        });
        let contents = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages,
            "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn text(content: &[u8]) -> String {
        page1_text(&doc_with(content, None), &Limits::default()).unwrap_or_default()
    }

    #[test]
    fn words_placed_by_tm_get_spaces_and_columns_get_tabs() {
        let t = text(
            b"BT /F1 12 Tf 1 0 0 1 50 700 Tm (So:) Tj 1 0 0 1 80 700 Tm (16/KH-UBND) Tj \
              1 0 0 1 300 700 Tm (Dak Glei, ngay) Tj ET",
        );
        assert_eq!(t, "So: 16/KH-UBND\tDak Glei, ngay\n");
    }

    #[test]
    fn lines_top_to_bottom_runs_left_to_right() {
        let t = text(
            b"BT /F1 12 Tf 1 0 0 1 100 600 Tm (second) Tj 1 0 0 1 50 700 Tm (first) Tj \
              1 0 0 1 50 600 Tm (line) Tj ET",
        );
        assert_eq!(t, "first\nline second\n");
    }

    #[test]
    fn large_tj_offsets_make_spaces_small_ones_do_not() {
        let t = text(b"BT /F1 12 Tf 50 700 Td [(Ke) -20 (hoach) -600 (nam)] TJ ET");
        assert_eq!(t, "Kehoach nam\n");
    }

    #[test]
    fn squeezed_space_glyphs_still_separate_words() {
        let t = text(b"BT /F1 12 Tf 50 700 Td [(Ve) ( ) 400 (viec)] TJ ET");
        assert_eq!(t, "Ve viec\n");
    }

    #[test]
    fn td_t_star_and_quote_move_lines() {
        let t = text(b"BT /F1 10 Tf 14 TL 50 700 Td (one) Tj T* (two) Tj (three) ' ET");
        assert_eq!(t, "one\ntwo\nthree\n");
    }

    #[test]
    fn cm_and_q_place_text() {
        let t = text(
            b"q 1 0 0 1 0 100 cm BT /F1 12 Tf 50 600 Td (up) Tj ET Q BT /F1 12 Tf 50 600 Td (down) Tj ET",
        );
        assert_eq!(t, "up\ndown\n");
    }

    #[test]
    fn invisible_text_is_text() {
        assert_eq!(text(b"BT 3 Tr /F1 12 Tf 50 700 Td (ocr) Tj ET"), "ocr\n");
    }

    #[test]
    fn form_xobjects_are_followed_once() {
        let doc = doc_with(
            b"BT /F1 12 Tf 50 700 Td (page) Tj ET /Fm0 Do /Fm0 Do",
            Some((
                "Fm0",
                b"BT /F1 12 Tf 50 600 Td (form) Tj ET /Fm0 Do".to_vec(),
            )),
        );
        let t = page1_text(&doc, &Limits::default()).unwrap_or_default();
        assert_eq!(t, "page\nform\n");
    }

    fn with_widget(content: &[u8]) -> Document {
        let mut doc = doc_with(content, None);
        let font = lookup_font_ref(&doc);
        let ap = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 40.into(), 20.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            },
            b"BT /F1 12 Tf 2 5 Td (2093) Tj ET".to_vec(),
        ));
        let widget = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig", "F" => 132,
            "Rect" => vec![80.into(), 695.into(), 120.into(), 715.into()],
            "AP" => dictionary! { "N" => ap },
        });
        let pages = doc.get_pages();
        if let Some(page) = pages.get(&1).and_then(|id| doc.get_object_mut(*id).ok()) {
            if let Ok(d) = page.as_dict_mut() {
                d.set("Annots", vec![Object::Reference(widget)]);
            }
        }
        doc
    }

    fn lookup_font_ref(doc: &Document) -> ObjectId {
        doc.objects
            .iter()
            .find(|(_, o)| {
                o.as_dict()
                    .ok()
                    .and_then(|d| d.get(b"BaseFont").ok())
                    .is_some()
            })
            .map(|(id, _)| *id)
            .unwrap_or((0, 0))
    }

    #[test]
    fn widget_appearances_complete_a_text_page_only() {
        let doc = with_widget(b"BT /F1 12 Tf 50 700 Td (So:) Tj 200 0 Td (/QD-BYT) Tj ET");
        let t = page1_text(&doc, &Limits::default()).unwrap_or_default();
        assert_eq!(t, "So: 2093\t/QD-BYT\n");
        let scan = with_widget(b"q 500 0 0 700 0 0 cm Q");
        assert_eq!(
            page1_text(&scan, &Limits::default()).unwrap_or_default(),
            ""
        );
    }

    #[test]
    fn form_depth_is_bounded() {
        let doc = doc_with(
            b"/Fm0 Do",
            Some(("Fm0", b"BT /F1 12 Tf 50 600 Td (form) Tj ET".to_vec())),
        );
        let limits = Limits {
            max_xobject_depth: 0,
            ..Limits::default()
        };
        assert_eq!(page1_text(&doc, &limits).unwrap_or_default(), "");
    }

    #[test]
    fn operator_limit_is_enforced() {
        let doc = doc_with(b"BT /F1 12 Tf (a) Tj (b) Tj (c) Tj ET", None);
        let limits = Limits {
            max_text_ops: 3,
            ..Limits::default()
        };
        assert!(matches!(
            page1_text(&doc, &limits),
            Err(TextError::Limit(_))
        ));
    }

    #[test]
    fn content_limit_is_enforced() {
        let doc = doc_with(b"BT /F1 12 Tf 50 700 Td (some text here) Tj ET", None);
        let limits = Limits {
            max_content_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            page1_text(&doc, &limits),
            Err(TextError::Limit(_))
        ));
    }

    #[test]
    fn garbage_does_not_panic() {
        for content in [
            &b"BT Tf Tj TJ Td Tm cm Q Q Q ET"[..],
            b"BT /F9 12 Tf (x) Tj ET",
            b"BT /F1 1e308 Tf 1e308 1e308 Td (x) Tj ET",
            b"q q q Q Q Q Q Q ] ) (",
            b"BT /F1 12 Tf [ (a) /Name 1 (b) ] TJ 0 0 0 0 0 0 Tm (c) Tj ET",
            b"/Nope Do /F1 Do",
        ] {
            let _ = text(content);
        }
    }
}
