//! Image XObjects to 8-bit gray: the filters (DCT via zune-jpeg, CCITT G3 1-D
//! and G4 via `fax`, the general ones via lopdf) and the colour spaces.

use lopdf::{Dictionary, Document, Object, Stream};

use super::images::{number, Gray, ImageError};
use crate::inspect::Limits;

/// Decode an image XObject to grayscale.
pub(super) fn decode_image(
    doc: &Document,
    stream: &Stream,
    limits: &Limits,
) -> Result<Gray, ImageError> {
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
    let mut gray = match image_filter.map(|i| (i, filters[i].as_slice())) {
        None => raw_to_gray(&data, width, height, dict, color_space(doc, dict))?,
        Some((_, b"DCTDecode" | b"DCT")) => jpeg_to_gray(&data, width, height)?,
        Some((i, b"CCITTFaxDecode" | b"CCF")) => {
            ccitt_to_gray(&data, width, height, decode_parms(dict, i))?
        }
        Some((_, other)) => {
            return Err(ImageError::Unsupported(
                String::from_utf8_lossy(other).into_owned(),
            ))
        }
    };
    if inverted_decode(dict) {
        gray.pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(gray)
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

fn jpeg_to_gray(data: &[u8], width: usize, height: usize) -> Result<Gray, ImageError> {
    use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};
    let options = DecoderOptions::default()
        .set_max_width(width.max(1) * 2)
        .set_max_height(height.max(1) * 2)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(data, options);
    let pixels = dec
        .decode()
        .map_err(|e| ImageError::Damaged(format!("JPEG: {e:?}")))?;
    let (w, h) = dec
        .dimensions()
        .ok_or_else(|| ImageError::Damaged("JPEG without size".into()))?;
    if pixels.len() != w * h {
        return Err(ImageError::Damaged("JPEG sample count".into()));
    }
    Ok(Gray {
        width: w,
        height: h,
        pixels,
    })
}

fn ccitt_to_gray(
    data: &[u8],
    width: usize,
    height: usize,
    parms: Option<&Dictionary>,
) -> Result<Gray, ImageError> {
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
    let mut pixels = Vec::with_capacity(width * height);
    let mut push_line = |transitions: &[u32]| {
        if pixels.len() < width * height {
            pixels.extend(
                fax::decoder::pels(transitions, width as u32).map(|c| match c {
                    fax::Color::Black => 0u8,
                    fax::Color::White => 255u8,
                }),
            );
        }
    };
    let done = if k < 0 {
        fax::decoder::decode_g4(
            data.iter().copied(),
            width as u32,
            Some(height as u32),
            &mut push_line,
        )
    } else if k == 0 {
        fax::decoder::decode_g3(data.iter().copied(), &mut push_line)
    } else {
        return Err(ImageError::Unsupported("CCITT Group 3 2-D".into()));
    };
    if done.is_none() && pixels.len() < width * height / 2 {
        return Err(ImageError::Damaged("CCITT data ends early".into()));
    }
    pixels.resize(width * height, 255);
    if black_is_1 {
        // BlackIs1 only changes the bits' meaning, not what fax decoding calls black;
        // decoders treat the flag as an inversion of the decoded samples.
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(Gray {
        width,
        height,
        pixels,
    })
}

/// Unfiltered samples: 1 or 8 bits, gray, RGB, CMYK or indexed.
pub(super) fn raw_to_gray(
    data: &[u8],
    width: usize,
    height: usize,
    dict: &Dictionary,
    space: Space,
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
