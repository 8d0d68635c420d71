//! Image XObjects to 8-bit gray: the filters (DCT via zune-jpeg, CCITT G3 1-D
//! and G4 via `fax`, the general ones via lopdf) and the colour spaces.

use lopdf::{Dictionary, Document, Object, Stream};

use super::images::{number, Budgeted, Gray, ImageError};
use super::memory::{Reservation, ReserveError, IMAGES};
use crate::config::Limits;
use crate::inspect::budget::Budget;

/// What the caller will do with a decoded `width` × `height` image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Need {
    /// Rows of the image it reads, from the top: the decoder may stop there.
    pub rows: usize,
    /// The most bytes it will hold at once afterwards (copies it makes).
    pub after: u64,
}

/// Decode the top `plan(width, height).rows` rows of an image XObject to
/// grayscale, reserving from the run's image pool, before any buffer is
/// allocated, the decoder's own need or the plan's `after`, whichever is more.
pub(super) fn decode_image(
    doc: &Document,
    stream: &Stream,
    limits: &Limits,
    budget: &Budget,
    plan: &dyn Fn(usize, usize) -> Need,
) -> Result<Budgeted, ImageError> {
    let dict = &stream.dict;
    let int = |k: &[u8]| dict.get(k).and_then(Object::as_i64).ok();
    let width = int(b"Width")
        .filter(|w| (1..=20_000).contains(w))
        .ok_or_else(|| ImageError::Damaged("bad /Width".into()))? as usize;
    let height = int(b"Height")
        .filter(|h| (1..=20_000).contains(h))
        .ok_or_else(|| ImageError::Damaged("bad /Height".into()))? as usize;
    let filters: Vec<Vec<u8>> = stream
        .filters()
        .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let image_filter = filters.iter().position(|f| is_image_filter(f));
    let general = image_filter.unwrap_or(filters.len());
    let data = general_decode(stream, &filters[..general], limits)?;
    budget.stopped()?;
    let reserve = |decoder: u64, after: u64| {
        IMAGES.reserve(decoder.max(after), limits.max_image_bytes, budget)
    };
    let need = plan(width, height);
    let rows = need.rows.clamp(1, height);
    let mut out = match image_filter.map(|i| (i, filters[i].as_slice())) {
        None => {
            let memory = reserve((width * rows) as u64, need.after)?;
            let space = color_space(doc, dict);
            let gray = raw_to_gray(&data, width, rows, dict, space, budget)?;
            Budgeted::new(gray, memory)
        }
        Some((_, b"DCTDecode" | b"DCT")) => jpeg_to_gray(&data, width, height, plan, &reserve)?,
        Some((i, b"CCITTFaxDecode" | b"CCF")) => {
            let memory = reserve((width * rows) as u64, need.after)?;
            let parms = decode_parms(dict, i);
            let gray = ccitt_to_gray(&data, width, height, rows, parms, budget)?;
            Budgeted::new(gray, memory)
        }
        Some((_, other)) => {
            return Err(ImageError::Unsupported(
                String::from_utf8_lossy(other).into_owned(),
            ))
        }
    };
    if inverted_decode(dict) {
        out.gray.pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(out)
}

fn is_image_filter(f: &[u8]) -> bool {
    matches!(
        f,
        b"DCTDecode" | b"DCT" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" | b"JPXDecode"
    )
}

/// The general filters in front of the image filter ([/FlateDecode /DCTDecode]).
fn general_decode(
    stream: &Stream,
    general: &[Vec<u8>],
    limits: &Limits,
) -> Result<Vec<u8>, ImageError> {
    if general.is_empty() {
        return Ok(stream.content.clone());
    }
    let mut dict = stream.dict.clone();
    dict.set(
        "Filter",
        Object::Array(general.iter().map(|f| Object::Name(f.clone())).collect()),
    );
    if let Ok(Object::Array(p)) = stream.dict.get(b"DecodeParms") {
        dict.set(
            "DecodeParms",
            Object::Array(p.iter().take(general.len()).cloned().collect()),
        );
    } else if general.len() < stream.filters().map(|f| f.len()).unwrap_or(0) {
        // A single /DecodeParms dictionary belongs to the (single) image filter.
        dict.remove(b"DecodeParms");
    }
    let part = Stream::new(dict, stream.content.clone());
    part.decompressed_content_with_limit(limits.max_stream_bytes)
        .map_err(|e| ImageError::Damaged(e.to_string()))
}

fn decode_parms(dict: &Dictionary, index: usize) -> Option<&Dictionary> {
    match dict.get(b"DecodeParms").ok()? {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) => a.get(index)?.as_dict().ok(),
        _ => None,
    }
}

/// `/Decode [1 0]`: the samples are inverted.
fn inverted_decode(dict: &Dictionary) -> bool {
    dict.get(b"Decode")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| Some((number(a.first()?)?, number(a.get(1)?)?)))
        .is_some_and(|(lo, hi)| lo > hi)
}

/// Bytes zune-jpeg holds while decoding a `w` × `h` JPEG of `components` to
/// gray: the output, and the working samples (every coefficient of the
/// image, 2 bytes each, for a progressive one, which is read in several scans).
fn jpeg_bytes(w: usize, h: usize, components: usize, progressive: bool) -> u64 {
    let (pw, ph) = (w.div_ceil(16) * 16, h.div_ceil(16) * 16);
    let working = if progressive {
        pw * ph * components * 2
    } else {
        w * h * components
    };
    (w * h + working) as u64
}

fn jpeg_to_gray(
    data: &[u8],
    width: usize,
    height: usize,
    plan: &dyn Fn(usize, usize) -> Need,
    reserve: &dyn Fn(u64, u64) -> Result<Reservation, ReserveError>,
) -> Result<Budgeted, ImageError> {
    use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};
    let options = DecoderOptions::default()
        .set_max_width(width.max(1) * 2)
        .set_max_height(height.max(1) * 2)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(data, options);
    // The JPEG's own header says how large it is; the PDF's /Width may differ.
    dec.decode_headers()
        .map_err(|e| ImageError::Damaged(format!("JPEG: {e:?}")))?;
    let info = dec
        .info()
        .ok_or_else(|| ImageError::Damaged("JPEG without size".into()))?;
    // Progressive (or anything not read in one sequential scan): counted at its worst.
    let progressive = !info.sof.is_sequential_dct();
    let (w, h) = (usize::from(info.width), usize::from(info.height));
    let components = usize::from(info.components).max(1);
    let need = plan(w, h);
    let memory = reserve(jpeg_bytes(w, h, components, progressive), need.after)?;
    // One call into the decoder: it cannot be stopped halfway, but it is
    // bounded by the memory reserved above and by the image's size.
    let pixels = dec
        .decode()
        .map_err(|e| ImageError::Damaged(format!("JPEG: {e:?}")))?;
    let (w, h) = dec
        .dimensions()
        .ok_or_else(|| ImageError::Damaged("JPEG without size".into()))?;
    if pixels.len() != w * h {
        return Err(ImageError::Damaged("JPEG sample count".into()));
    }
    let gray = Gray {
        width: w,
        height: h,
        pixels,
    };
    Ok(Budgeted::new(gray.first_rows(need.rows.max(1)), memory))
}

/// CCITT fax data to gray: the top `rows` rows of a `width` × `height` image.
fn ccitt_to_gray(
    data: &[u8],
    width: usize,
    height: usize,
    rows: usize,
    parms: Option<&Dictionary>,
    budget: &Budget,
) -> Result<Gray, ImageError> {
    use fax::decoder::{DecodeStatus, Group3Decoder, Group4Decoder};
    let int = |k: &[u8]| parms.and_then(|p| p.get(k).and_then(Object::as_i64).ok());
    let k = int(b"K").unwrap_or(0);
    let columns = int(b"Columns")
        .filter(|c| *c > 0)
        .map_or(width, |c| c as usize);
    let black_is_1 = parms
        .and_then(|p| p.get(b"BlackIs1").and_then(Object::as_bool).ok())
        .unwrap_or(false);
    if columns != width {
        return Err(ImageError::Damaged(
            "CCITT /Columns differs from /Width".into(),
        ));
    }
    let rows = rows.min(height);
    let mut pixels = Vec::with_capacity(width * rows);
    let runs = Runs::new(width);
    let mut push_line = |transitions: &[u32]| runs.line(&mut pixels, transitions, width);
    let input = data.iter().map(|b| Ok::<u8, std::convert::Infallible>(*b));
    // Line by line, asking the budget before each: a stopped file stops here.
    let mut read = 0;
    let done = if k < 0 {
        match Group4Decoder::new(input, width as u32) {
            Ok(mut dec) => loop {
                if read >= rows {
                    break true;
                }
                budget.stopped()?;
                match dec.advance() {
                    // An encoder may leave out the white lines before the end (padded below).
                    Ok(DecodeStatus::End) => break true,
                    Ok(DecodeStatus::Incomplete) => {
                        push_line(dec.transition());
                        read += 1;
                    }
                    Err(_) => break false,
                }
            },
            Err(never) => match never {},
        }
    } else if k == 0 {
        match Group3Decoder::new(input) {
            Ok(mut dec) => loop {
                if read >= rows {
                    break true;
                }
                budget.stopped()?;
                match dec.advance() {
                    Ok(status) => {
                        // The last line before the end-of-document marker holds data.
                        push_line(dec.transitions());
                        read += 1;
                        if status == DecodeStatus::End {
                            break true;
                        }
                    }
                    Err(_) => break false,
                }
            },
            Err(_) => false,
        }
    } else {
        return Err(ImageError::Unsupported("CCITT Group 3 2-D".into()));
    };
    if !done && pixels.len() < width * rows / 2 {
        return Err(ImageError::Damaged("CCITT data ends early".into()));
    }
    // Lines an encoder left out before the end are white.
    let missing = (width * rows).saturating_sub(pixels.len());
    runs.push(&mut pixels, missing, true);
    if black_is_1 {
        // BlackIs1 only changes the bits' meaning, not what fax decoding calls black;
        // decoders treat the flag as an inversion of the decoded samples.
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(Gray {
        width,
        height: rows,
        pixels,
    })
}

/// Rows of white and of black to copy runs from: a run is one copy, fast
/// even in a debug build, where a per-pixel loop over 400 M pixels is not.
struct Runs {
    white: Vec<u8>,
    black: Vec<u8>,
}

impl Runs {
    fn new(width: usize) -> Runs {
        Runs {
            white: vec![255; width.max(1)],
            black: vec![0; width.max(1)],
        }
    }

    fn push(&self, pixels: &mut Vec<u8>, mut n: usize, white: bool) {
        let run = if white { &self.white } else { &self.black };
        while n > 0 {
            let k = n.min(run.len());
            pixels.extend_from_slice(&run[..k]);
            n -= k;
        }
    }

    /// One fax line (the columns where the colour changes, starting white)
    /// as gray samples, read as `fax::decoder::pels` reads it.
    fn line(&self, pixels: &mut Vec<u8>, transitions: &[u32], width: usize) {
        let end = pixels.len() + width;
        let (mut last, mut white) = (0usize, true);
        for &p in transitions {
            let n = (p as usize).saturating_sub(last);
            last = p as usize;
            self.push(pixels, n.min(end - pixels.len()), white);
            white = !white;
        }
        self.push(pixels, end - pixels.len(), white);
    }
}

/// Unfiltered samples: 1 or 8 bits, gray, RGB, CMYK or indexed.
pub(super) fn raw_to_gray(
    data: &[u8],
    width: usize,
    height: usize,
    dict: &Dictionary,
    space: Space,
    budget: &Budget,
) -> Result<Gray, ImageError> {
    let bpc = dict
        .get(b"BitsPerComponent")
        .and_then(Object::as_i64)
        .unwrap_or(8);
    let is_mask = dict
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let comps = if is_mask { 1 } else { space.components() };
    if !matches!(bpc, 1 | 8) && !is_mask {
        return Err(ImageError::Unsupported(format!("{bpc}-bit")));
    }
    let bpc = if is_mask { 1 } else { bpc as usize };
    let row_bytes = (width * comps * bpc).div_ceil(8);
    if data.len() < row_bytes * height {
        return Err(ImageError::Damaged(
            "fewer samples than /Width × /Height".into(),
        ));
    }
    let mut pixels = Vec::with_capacity(width * height);
    for row in data.chunks(row_bytes).take(height) {
        budget.stopped()?;
        for x in 0..width {
            let sample = |c: usize| -> u8 {
                let idx = x * comps + c;
                if bpc == 1 {
                    if row[idx / 8] >> (7 - idx % 8) & 1 == 1 {
                        255
                    } else {
                        0
                    }
                } else {
                    row[idx]
                }
            };
            let v = match &space {
                Space::Gray => sample(0),
                Space::Rgb => to_gray_level(&[sample(0), sample(1), sample(2)]),
                Space::Cmyk => to_gray_level(&[sample(0), sample(1), sample(2), sample(3)]),
                Space::Indexed(table) => {
                    let i = sample(0) as usize;
                    table.get(i).copied().unwrap_or(255)
                }
            };
            pixels.push(if is_mask { 255 - v } else { v });
        }
    }
    Ok(Gray {
        width,
        height,
        pixels,
    })
}

pub(super) enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// Palette already turned to gray levels.
    Indexed(Vec<u8>),
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed(_) => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
        }
    }
}

fn color_space(doc: &Document, dict: &Dictionary) -> Space {
    let resolve = |o: &Object| doc.dereference(o).ok().map(|(_, o)| o.clone());
    let Some(space) = dict.get(b"ColorSpace").ok().and_then(resolve) else {
        return Space::Gray;
    };
    let by_name = |n: &[u8]| match n {
        b"DeviceRGB" | b"CalRGB" | b"RGB" => Space::Rgb,
        b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
        _ => Space::Gray,
    };
    let by_count = |n: i64| match n {
        3 => Space::Rgb,
        4 => Space::Cmyk,
        _ => Space::Gray,
    };
    match &space {
        Object::Name(n) => by_name(n),
        Object::Array(a) => match a.first().and_then(|o| o.as_name().ok()) {
            Some(b"ICCBased") => a
                .get(1)
                .and_then(resolve)
                .and_then(|o| o.as_stream().ok()?.dict.get(b"N").ok()?.as_i64().ok())
                .map_or(Space::Gray, by_count),
            Some(b"Indexed") => {
                let base = match a.get(1).and_then(resolve) {
                    Some(Object::Name(n)) => by_name(&n).components(),
                    Some(Object::Array(b)) => b
                        .get(1)
                        .and_then(resolve)
                        .and_then(|o| o.as_stream().ok()?.dict.get(b"N").ok()?.as_i64().ok())
                        .map_or(1, |n| by_count(n).components()),
                    _ => 1,
                };
                let table = match a.get(3).and_then(resolve) {
                    Some(Object::String(s, _)) => s,
                    Some(Object::Stream(s)) => {
                        s.decompressed_content_with_limit(4096).unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                Space::Indexed(table.chunks(base).map(to_gray_level).collect())
            }
            Some(n) => by_name(n),
            None => Space::Gray,
        },
        _ => Space::Gray,
    }
}

fn to_gray_level(c: &[u8]) -> u8 {
    match c {
        [r, g, b] => ((*r as u32 * 299 + *g as u32 * 587 + *b as u32 * 114) / 1000) as u8,
        [c, m, y, k] => 255 - ((*c as u32 + *m as u32 + *y as u32) / 3 + *k as u32).min(255) as u8,
        [g, ..] => *g,
        [] => 255,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn g4() -> Dictionary {
        lopdf::dictionary! { "K" => -1, "Columns" => 50 }
    }

    #[test]
    fn fax_lines_are_read_down_to_the_rows_wanted() {
        // 800 white rows: one V0 code ("1") each.
        let data = [0xffu8; 100];
        let budget = Budget::new(Duration::from_secs(60));
        let g = ccitt_to_gray(&data, 50, 800, 300, Some(&g4()), &budget).unwrap();
        assert_eq!((g.width, g.height, g.pixels.len()), (50, 300, 50 * 300));
        assert!(g.pixels.iter().all(|p| *p == 255));
    }

    #[test]
    fn a_stopped_budget_stops_fax_and_raw_decoding() {
        let budget = Budget::new(Duration::from_secs(60));
        budget.cancel();
        let data = [0xffu8; 100];
        assert_eq!(
            ccitt_to_gray(&data, 50, 800, 800, Some(&g4()), &budget),
            Err(ImageError::Stopped)
        );
        let d = lopdf::dictionary! { "BitsPerComponent" => 8 };
        assert_eq!(
            raw_to_gray(&[0; 64], 8, 8, &d, Space::Gray, &budget),
            Err(ImageError::Stopped)
        );
    }

    #[test]
    fn runs_are_read_as_the_fax_crate_reads_them() {
        let runs = Runs::new(12);
        for line in [&[][..], &[3, 5], &[3], &[10, 5, 8], &[0, 12], &[20]] {
            let mut mine = Vec::new();
            runs.line(&mut mine, line, 12);
            let theirs: Vec<u8> = fax::decoder::pels(line, 12)
                .map(|c| if c == fax::Color::Black { 0 } else { 255 })
                .collect();
            assert_eq!(mine, theirs, "{line:?}");
        }
    }
}
