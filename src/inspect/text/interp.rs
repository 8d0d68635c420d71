//! The content-stream interpreter: graphics and text state, shown strings,
//! Form XObjects and annotation appearances.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{load_font, Font};
use super::matrix::{apply, mul, num, nums, translate, Matrix, IDENTITY};
use super::{Limits, TextError};

#[derive(Clone)]
pub(super) struct GState {
    pub(super) ctm: Matrix,
    pub(super) tm: Matrix,
    pub(super) tlm: Matrix,
    pub(super) char_spacing: f64,
    pub(super) word_spacing: f64,
    pub(super) h_scale: f64,
    pub(super) leading: f64,
    pub(super) rise: f64,
    /// `Tr` 3 (invisible) or 7 (clip only): an OCR layer under a scanned image.
    pub(super) invisible: bool,
    pub(super) font: Option<usize>,
    pub(super) font_size: f64,
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
            invisible: false,
            font: None,
            font_size: 0.0,
        }
    }
}

/// One shown string, placed on the displayed page.
pub(super) struct Run {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) x_end: f64,
    pub(super) size: f64,
    pub(super) horizontal: bool,
    /// A space glyph was shown just before: justified text squeezes spaces
    /// below the gap threshold, but a space it is.
    pub(super) space_before: bool,
    pub(super) invisible: bool,
    pub(super) text: String,
}

/// Hostile files can nest `q` without end; deeper saves are counted, not kept.
pub(super) const MAX_STATE_STACK: usize = 1024;

pub(super) struct Extractor<'d, 'l> {
    pub(super) doc: &'d Document,
    pub(super) limits: &'l Limits,
    pub(super) content_bytes: usize,
    pub(super) text_ops: usize,
    pub(super) text_chars: usize,
    pub(super) visited: HashSet<ObjectId>,
    pub(super) fonts: Vec<Font<'d>>,
    pub(super) font_keys: HashMap<usize, usize>,
    pub(super) runs: Vec<Run>,
    pub(super) pending_space: bool,
}

/// `q`/`Q`: saved graphics states. Hostile files can nest `q` without end;
/// saves past [`MAX_STATE_STACK`] are counted, not kept.
#[derive(Default)]
struct StateStack {
    saved: Vec<GState>,
    overflow: usize,
}

impl StateStack {
    fn save(&mut self, gs: &GState) {
        if self.saved.len() < MAX_STATE_STACK {
            self.saved.push(gs.clone());
        } else {
            self.overflow += 1;
        }
    }

    fn restore(&mut self, gs: &mut GState) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else if let Some(saved) = self.saved.pop() {
            *gs = saved;
        }
    }
}

impl<'d, 'l> Extractor<'d, 'l> {
    pub(super) fn new(doc: &'d Document, limits: &'l Limits, content_bytes: usize) -> Self {
        Extractor {
            doc,
            limits,
            content_bytes,
            text_ops: 0,
            text_chars: 0,
            visited: HashSet::new(),
            fonts: Vec::new(),
            font_keys: HashMap::new(),
            runs: Vec::new(),
            pending_space: false,
        }
    }
}

impl<'d> Extractor<'d, '_> {
    pub(super) fn run(
        &mut self,
        content: &[u8],
        resources: &[&'d Dictionary],
        mut gs: GState,
        depth: u32,
    ) -> Result<(), TextError> {
        let mut stack = StateStack::default();
        for op in lopdf::content::Content::decode_iter(content) {
            // A damaged stream keeps the text read before the damage.
            let Ok(op) = op else { break };
            let ops = &op.operands;
            match op.operator.as_str() {
                "q" => stack.save(&gs),
                "Q" => stack.restore(&mut gs),
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
                "Tf" => self.set_font(resources, ops, &mut gs)?,
                "Tc" | "Tw" | "Tz" | "TL" | "Ts" => set_text_param(&op.operator, ops, &mut gs),
                "Tr" => {
                    if let Some([mode]) = nums::<1>(ops) {
                        gs.invisible = mode == 3.0 || mode == 7.0;
                    }
                }
                "Td" | "TD" | "Tm" | "T*" => {
                    self.count_op()?;
                    move_text(&op.operator, ops, &mut gs);
                }
                "Tj" | "'" | "\"" => self.show_op(&op.operator, ops, &mut gs)?,
                "TJ" => self.show_array(ops, &mut gs)?,
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

    /// `Tf`: select a font from the current resources.
    fn set_font(
        &mut self,
        resources: &[&'d Dictionary],
        ops: &[Object],
        gs: &mut GState,
    ) -> Result<(), TextError> {
        self.count_op()?;
        gs.font = ops
            .first()
            .and_then(|o| o.as_name().ok())
            .and_then(|name| self.font(resources, name));
        if let Some([size]) = nums::<1>(ops) {
            gs.font_size = size;
        }
        Ok(())
    }

    /// `Tj`, `'` (next line, show) and `"` (set spacing, next line, show).
    fn show_op(&mut self, op: &str, ops: &[Object], gs: &mut GState) -> Result<(), TextError> {
        self.count_op()?;
        if op == "\"" {
            if let (Some(aw), Some(ac)) = (ops.first().and_then(num), ops.get(1).and_then(num)) {
                gs.word_spacing = aw;
                gs.char_spacing = ac;
            }
        }
        if op != "Tj" {
            let l = gs.leading;
            next_line(gs, 0.0, -l);
        }
        let at = if op == "\"" { 2 } else { 0 };
        if let Some(Object::String(s, _)) = ops.get(at) {
            self.show(gs, s)?;
        }
        Ok(())
    }

    /// `TJ`: strings shown in turn, numbers moving the pen back (thousandths of an em).
    fn show_array(&mut self, ops: &[Object], gs: &mut GState) -> Result<(), TextError> {
        self.count_op()?;
        let Some(Object::Array(items)) = ops.first() else {
            return Ok(());
        };
        for item in items {
            match item {
                Object::String(s, _) => self.show(gs, s)?,
                other => {
                    if let Some(n) = num(other) {
                        let tx = -n / 1000.0 * gs.font_size * gs.h_scale;
                        gs.tm = mul(&translate(tx, 0.0), &gs.tm);
                    }
                }
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
    pub(super) fn annotations(
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
            let glyph = font.glyph(code_bytes);
            let glyph: &str = &glyph;
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
                    seg.2.push_str(glyph);
                }
                None => {
                    current = Some((start, advance, glyph.to_string(), pending));
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
                invisible: gs.invisible,
                text,
            });
        }
        Ok(())
    }
}

pub(super) fn form_matrix(stream: &lopdf::Stream) -> Matrix {
    stream
        .dict
        .get(b"Matrix")
        .and_then(Object::as_array)
        .ok()
        .and_then(|m| nums::<6>(m))
        .unwrap_or(IDENTITY)
}

/// The `/AP /N` stream of an annotation, picking the `/AS` state when there are several.
pub(super) fn normal_appearance<'d>(
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
pub(super) fn appearance_placement(stream: &lopdf::Stream, rect: [f64; 4]) -> Option<Matrix> {
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

/// `Tc`, `Tw`, `Tz`, `TL`, `Ts`: one number into the text state.
fn set_text_param(op: &str, ops: &[Object], gs: &mut GState) {
    let Some([v]) = nums::<1>(ops) else { return };
    match op {
        "Tc" => gs.char_spacing = v,
        "Tw" => gs.word_spacing = v,
        "Tz" => gs.h_scale = v / 100.0,
        "TL" => gs.leading = v,
        _ => gs.rise = v,
    }
}

/// `Td`, `TD` (which also sets the leading), `Tm` and `T*`.
fn move_text(op: &str, ops: &[Object], gs: &mut GState) {
    match op {
        "Tm" => {
            if let Some(m) = nums::<6>(ops) {
                gs.tm = m;
                gs.tlm = m;
            }
        }
        "T*" => {
            let l = gs.leading;
            next_line(gs, 0.0, -l);
        }
        _ => {
            if let Some([tx, ty]) = nums::<2>(ops) {
                if op == "TD" {
                    gs.leading = -ty;
                }
                next_line(gs, tx, ty);
            }
        }
    }
}

pub(super) fn next_line(gs: &mut GState, tx: f64, ty: f64) {
    gs.tlm = mul(&translate(tx, ty), &gs.tlm);
    gs.tm = gs.tlm;
}

/// A named resource (`/Font /F1`, `/XObject /Fm0`) from the first resource
/// dictionary that has it.
pub(super) fn lookup<'d>(
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
