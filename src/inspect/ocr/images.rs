//! The scanned image of page 1, decoded without outside tools and turned
//! upright as a reader sees it: DCTDecode (JPEG, zune-jpeg), FlateDecode and
//! the other general filters (lopdf), CCITTFaxDecode Group 3 1-D and Group 4
//! (the `fax` crate). JBIG2 and JPEG 2000 are reported as unreadable: no
//! maintained pure-Rust decoder builds on this project's Rust version.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::memory::{Reservation, ReserveError};
use super::tesseract::Pgm;
use super::upright::{direction, upright_rows, Dir, Turn};
use crate::config::Limits;
use crate::inspect::budget::{Budget, Stopped};

/// An 8-bit grayscale raster, rows top to bottom, 0 = black.
#[derive(Debug, Clone, PartialEq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    /// Binary PGM ("P5"), which Tesseract's image library reads from stdin.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = pgm_header(self.width, self.height);
        out.extend_from_slice(&self.pixels);
        out
    }

    /// Bilinear resampling by `factor` (Tesseract reads best near 300 dpi),
    /// row by row under `budget`.
    pub fn scaled(&self, factor: f64, budget: &Budget) -> Result<Gray, Stopped> {
        let (w, h) = scaled_size(self.width, self.height, factor);
        let mut pixels = Vec::with_capacity(w * h);
        let at = |x: usize, y: usize| f64::from(self.pixels[y * self.width + x]);
        for y in 0..h {
            budget.stopped()?;
            let sy = ((y as f64 + 0.5) / factor - 0.5).clamp(0.0, (self.height - 1) as f64);
            let (y0, fy) = (sy.floor() as usize, sy.fract());
            let y1 = (y0 + 1).min(self.height - 1);
            for x in 0..w {
                let sx = ((x as f64 + 0.5) / factor - 0.5).clamp(0.0, (self.width - 1) as f64);
                let (x0, fx) = (sx.floor() as usize, sx.fract());
                let x1 = (x0 + 1).min(self.width - 1);
                let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
                let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
                pixels.push((top * (1.0 - fy) + bottom * fy).round() as u8);
            }
        }
        Ok(Gray {
            width: w,
            height: h,
            pixels,
        })
    }

    /// The top `fraction` of the raster (the header block of a page).
    pub fn top(self, fraction: f64) -> Gray {
        let rows = top_rows(self.height, fraction);
        self.first_rows(rows)
    }

    /// The first `rows` rows, in place; the memory of the others is freed.
    pub(super) fn first_rows(mut self, rows: usize) -> Gray {
        let rows = rows.min(self.height);
        self.pixels.truncate(rows * self.width);
        self.pixels.shrink_to_fit();
        self.height = rows;
        self
    }
}

fn pgm_header(width: usize, height: usize) -> Vec<u8> {
    format!("P5\n{width} {height}\n255\n").into_bytes()
}

/// Rows in the top `fraction` of `height` (at least one).
fn top_rows(height: usize, fraction: f64) -> usize {
    ((height as f64 * fraction).ceil() as usize).clamp(1, height.max(1))
}

fn scaled_size(width: usize, height: usize, factor: f64) -> (usize, usize) {
    (
        ((width as f64 * factor).round() as usize).max(1),
        ((height as f64 * factor).round() as usize).max(1),
    )
}

/// Most pixels an enlarged scan may have: the top half of an A2 sheet at
/// 300 dpi. Enlarging helps Tesseract read a low-resolution page; a huge image
/// drawn small on a huge page gains nothing from it but size.
pub const MAX_ENLARGED_PIXELS: usize = 16_000_000;

/// `factor`, lowered so that a `width` × `height` raster enlarged by it
/// stays within [`MAX_ENLARGED_PIXELS`]; 1.0 (as it is) when no enlarging fits.
pub fn enlargement(width: usize, height: usize, factor: f64) -> f64 {
    let pixels = (width * height).max(1) as f64;
    let fits = (MAX_ENLARGED_PIXELS as f64 / pixels).sqrt();
    let f = factor.min(fits);
    if f > 1.0 {
        f
    } else {
        1.0
    }
}

/// A raster and the memory it holds from the run's image pool, given back
/// when it is dropped.
#[derive(Debug)]
pub struct Budgeted {
    pub gray: Gray,
    // Declared after `gray`: dropped after the pixels are freed.
    memory: Reservation,
}

impl Budgeted {
    pub(super) fn new(gray: Gray, memory: Reservation) -> Budgeted {
        Budgeted { gray, memory }
    }

    /// The raster as a PGM file whose pixels are written where they lie.
    pub fn into_pgm(self) -> Pgm {
        Pgm {
            header: pgm_header(self.gray.width, self.gray.height),
            pixels: Box::new(self),
        }
    }
}

impl AsRef<[u8]> for Budgeted {
    fn as_ref(&self) -> &[u8] {
        &self.gray.pixels
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageError {
    #[error("page 1 has no image covering most of the page")]
    NoScan,
    #[error("cannot read a {0} image")]
    Unsupported(String),
    #[error("the page image is damaged: {0}")]
    Damaged(String),
    /// More than the image memory budget: never read, whatever the run. A limit (PDF005).
    #[error("{0}")]
    TooLarge(String),
    /// The file's time budget ran out while the image was read: true of this run only.
    #[error("the file's time budget ran out while its page image was read")]
    Stopped,
}

impl From<Stopped> for ImageError {
    fn from(_: Stopped) -> Self {
        ImageError::Stopped
    }
}

impl From<ReserveError> for ImageError {
    fn from(e: ReserveError) -> Self {
        match e {
            ReserveError::TooLarge { .. } => ImageError::TooLarge(e.to_string()),
            ReserveError::Stopped => ImageError::Stopped,
        }
    }
}

/// The image that covers page 1 of a scan, found but not yet decoded.
#[derive(Debug, Clone)]
pub struct Located {
    id: ObjectId,
    ctm: [f64; 6],
    rotate: i64,
    /// The lower of the horizontal and vertical resolutions, in dots per inch.
    pub dpi: u32,
}

/// An image drawn on the page, with where it lands (its CTM).
struct Placed {
    id: ObjectId,
    ctm: [f64; 6],
}

/// The image that covers most of page 1 (at least half of it), and its resolution.
pub fn locate(doc: &Document, limits: &Limits) -> Result<Located, ImageError> {
    // Page 1 as a reader counts pages (lopdf's walk drops kids with an unexpected /Type).
    let page_id = *crate::inspect::pages::page_ids(doc)
        .first()
        .ok_or(ImageError::NoScan)?;
    let (page_w, page_h) = media_size(doc, page_id).ok_or(ImageError::NoScan)?;
    let content = doc
        .get_page_content_with_limit(page_id, limits.max_content_bytes)
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    let resources = page_resources(doc, page_id);
    let mut placed = Vec::new();
    collect_images(doc, &content, &resources, IDENTITY, limits, 0, &mut placed);
    let best = placed
        .into_iter()
        .max_by(|a, b| area(&a.ctm).total_cmp(&area(&b.ctm)))
        .filter(|p| area(&p.ctm) >= 0.5 * page_w * page_h)
        .ok_or(ImageError::NoScan)?;
    let dict = &doc
        .get_object(best.id)
        .and_then(Object::as_stream)
        .map_err(|e| ImageError::Damaged(e.to_string()))?
        .dict;
    let int = |k: &[u8]| dict.get(k).and_then(Object::as_i64).ok().filter(|v| *v > 0);
    let (w, h) = (
        int(b"Width").ok_or(ImageError::NoScan)?,
        int(b"Height").ok_or(ImageError::NoScan)?,
    );
    let rotate = inherited(doc, page_id, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .map(|r| r.rem_euclid(360))
        .unwrap_or(0);
    // Pixels across and down the page as shown.
    let across = matches!(
        direction(best.ctm[0], best.ctm[1], rotate),
        Dir::Right | Dir::Left
    );
    let (px_w, px_h) = if across { (w, h) } else { (h, w) };
    let (shown_w, shown_h) = shown_size(&best.ctm, rotate);
    let dpi_x = px_w as f64 * 72.0 / shown_w.max(1e-6);
    let dpi_y = px_h as f64 * 72.0 / shown_h.max(1e-6);
    Ok(Located {
        id: best.id,
        ctm: best.ctm,
        rotate,
        dpi: dpi_x.min(dpi_y).round().clamp(0.0, u32::MAX as f64) as u32,
    })
}

/// Decode a located scan whole, turned upright.
pub fn decode(doc: &Document, located: &Located, limits: &Limits) -> Result<Gray, ImageError> {
    let wanted = Wanted {
        share: 1.0,
        factor: 1.0,
    };
    decode_top(doc, located, limits, &Budget::from_limits(limits), wanted).map(|(b, _)| b.gray)
}

/// What OCR reads of a scan: the top `share` of the upright page, enlarged by
/// `factor` (1.0: as it is; lowered by [`enlargement`]).
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub share: f64,
    pub factor: f64,
}

/// Decode what OCR reads of a located scan, under `budget`: the memory of the
/// whole way (decoded image, turned copy, enlarged copy) is reserved from the
/// run's image pool before the first buffer is allocated, from the image's
/// declared size, so an image that cannot fit is refused before it costs anything.
/// Returns the raster and the enlargement applied to it.
pub fn decode_top(
    doc: &Document,
    located: &Located,
    limits: &Limits,
    budget: &Budget,
    wanted: Wanted,
) -> Result<(Budgeted, f64), ImageError> {
    let stream = doc
        .get_object(located.id)
        .and_then(Object::as_stream)
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    let turn = Turn::of(&located.ctm, located.rotate);
    // An upright image is read only down to the rows OCR wants; a turned one
    // whole, then its turned top is copied out. What is held at once after
    // decoding: the image and its turned top, or the top and its enlarged copy.
    let plan = |w: usize, h: usize| {
        let (ow, oh) = turn.size(w, h);
        let keep = top_rows(oh, wanted.share);
        let rows = if turn.is_identity() { keep } else { h };
        let top = ow * keep;
        let turned = if turn.is_identity() { 0 } else { top };
        let factor = enlargement(ow, keep, wanted.factor);
        let (sw, sh) = scaled_size(ow, keep, factor);
        let enlarged = if factor > 1.0 { sw * sh } else { 0 };
        Need {
            rows,
            after: ((w * rows + turned).max(top + enlarged)) as u64,
        }
    };
    // One reservation for the whole way, held until the last copy is made.
    let Budgeted { gray: raw, memory } = decode_image(doc, stream, limits, budget, &plan)?;
    let top = if turn.is_identity() {
        raw
    } else {
        let (_, oh) = turn.size(raw.width, raw.height);
        let turned = upright_rows(&raw, turn, top_rows(oh, wanted.share), budget)?;
        // Freed before enlarging: the plan counts the two copies, not the three.
        drop(raw);
        turned
    };
    let factor = enlargement(top.width, top.height, wanted.factor);
    let out = if factor > 1.0 {
        top.scaled(factor, budget)?
    } else {
        top
    };
    let mut out = Budgeted::new(out, memory);
    out.memory.shrink_to(out.gray.pixels.len() as u64);
    Ok((out, factor))
}

const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &[f64; 6], n: &[f64; 6]) -> [f64; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn area(m: &[f64; 6]) -> f64 {
    (m[0] * m[3] - m[1] * m[2]).abs()
}

/// Walk a content stream for `Do` of image XObjects, following Forms.
fn collect_images(
    doc: &Document,
    content: &[u8],
    resources: &[&Dictionary],
    start: [f64; 6],
    limits: &Limits,
    depth: u32,
    out: &mut Vec<Placed>,
) {
    let Ok(ops) = lopdf::content::Content::decode(content) else {
        return;
    };
    let mut ctm = start;
    let mut stack: Vec<[f64; 6]> = Vec::new();
    for op in ops.operations.iter().take(limits.max_text_ops) {
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(start),
            "cm" if op.operands.len() == 6 => {
                let v: Vec<f64> = op.operands.iter().filter_map(number).collect();
                if let Ok(m) = <[f64; 6]>::try_from(v) {
                    ctm = mul(&m, &ctm);
                }
            }
            "Do" => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Some((id, stream)) = xobject(doc, resources, name) else {
                    continue;
                };
                match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => out.push(Placed { id, ctm }),
                    Ok(b"Form") if depth < limits.max_xobject_depth => {
                        let Ok(inner) =
                            stream.decompressed_content_with_limit(limits.max_content_bytes)
                        else {
                            continue;
                        };
                        let matrix = stream
                            .dict
                            .get(b"Matrix")
                            .and_then(Object::as_array)
                            .ok()
                            .and_then(|a| {
                                <[f64; 6]>::try_from(
                                    a.iter().filter_map(number).collect::<Vec<_>>(),
                                )
                                .ok()
                            })
                            .unwrap_or(IDENTITY);
                        let own = stream
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|r| doc.dereference(r).ok())
                            .and_then(|(_, o)| o.as_dict().ok());
                        let res: Vec<&Dictionary> =
                            own.into_iter().chain(resources.iter().copied()).collect();
                        collect_images(
                            doc,
                            &inner,
                            &res,
                            mul(&matrix, &ctm),
                            limits,
                            depth + 1,
                            out,
                        );
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

pub(super) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

fn xobject<'d>(
    doc: &'d Document,
    resources: &[&'d Dictionary],
    name: &[u8],
) -> Option<(ObjectId, &'d Stream)> {
    resources.iter().find_map(|res| {
        let (_, cat) = doc.dereference(res.get(b"XObject").ok()?).ok()?;
        let entry = cat.as_dict().ok()?.get(name).ok()?;
        let id = entry.as_reference().ok()?;
        Some((id, doc.get_object(id).ok()?.as_stream().ok()?))
    })
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
        out.extend(direct);
        out.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    }
    out
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

fn media_size(doc: &Document, page_id: ObjectId) -> Option<(f64, f64)> {
    let b: Vec<f64> = inherited(doc, page_id, b"MediaBox")?
        .as_array()
        .ok()?
        .iter()
        .filter_map(|o| number(doc.dereference(o).ok()?.1))
        .collect();
    let [x0, y0, x1, y1] = <[f64; 4]>::try_from(b).ok()?;
    let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
    (w > 0.0 && h > 0.0).then_some((w, h))
}

/// The image's displayed width and height in points, on the page as shown.
fn shown_size(ctm: &[f64; 6], rotate: i64) -> (f64, f64) {
    let horiz = (ctm[0] * ctm[0] + ctm[1] * ctm[1]).sqrt();
    let vert = (ctm[2] * ctm[2] + ctm[3] * ctm[3]).sqrt();
    // The image's own x axis runs across the page when |a| ≥ |b|.
    let (w, h) = if ctm[0].abs() >= ctm[1].abs() {
        (horiz, vert)
    } else {
        (vert, horiz)
    };
    if rotate == 90 || rotate == 270 {
        (h, w)
    } else {
        (w, h)
    }
}

pub(super) use super::raster::{decode_image, Need};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::ocr::raster::{raw_to_gray, Space};

    fn unlimited() -> Budget {
        Budget::new(std::time::Duration::MAX)
    }

    fn sample() -> Gray {
        // 3 × 2: row 0 = 1 2 3, row 1 = 4 5 6.
        Gray {
            width: 3,
            height: 2,
            pixels: vec![1, 2, 3, 4, 5, 6],
        }
    }

    /// The whole raster turned to read as displayed.
    #[test]
    fn raw_one_bit_and_rgb_samples() {
        let d = lopdf::dictionary! { "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray" };
        let g = raw_to_gray(
            &[0b1010_0000, 0b0100_0000],
            3,
            2,
            &d,
            Space::Gray,
            &unlimited(),
        )
        .unwrap();
        assert_eq!(g.pixels, vec![255, 0, 255, 0, 255, 0]);
        let d = lopdf::dictionary! { "BitsPerComponent" => 8, "ColorSpace" => "DeviceRGB" };
        let g = raw_to_gray(
            &[255, 255, 255, 0, 0, 0],
            2,
            1,
            &d,
            Space::Rgb,
            &unlimited(),
        )
        .unwrap();
        assert_eq!(g.pixels, vec![255, 0]);
        assert!(raw_to_gray(&[1], 3, 2, &d, Space::Rgb, &unlimited()).is_err());
    }

    #[test]
    fn a_stopped_budget_stops_enlarging() {
        let budget = Budget::new(std::time::Duration::from_secs(60));
        budget.cancel();
        assert_eq!(sample().scaled(2.0, &budget), Err(Stopped));
    }

    #[test]
    fn enlarging_stays_within_its_pixel_cap() {
        assert_eq!(enlargement(1240, 877, 2.0), 2.0);
        assert_eq!(enlargement(20_000, 10_000, 3.0), 1.0);
        let f = enlargement(3000, 2000, 3.0);
        let (w, h) = scaled_size(3000, 2000, f);
        assert!(
            f > 1.0 && w * h <= MAX_ENLARGED_PIXELS + 10_000,
            "{f} {w}x{h}"
        );
    }

    #[test]
    fn pgm_and_top_crop() {
        let g = sample().top(0.5);
        assert_eq!((g.width, g.height), (3, 1));
        assert_eq!(g.to_pgm(), b"P5\n3 1\n255\n\x01\x02\x03".to_vec());
    }
}
