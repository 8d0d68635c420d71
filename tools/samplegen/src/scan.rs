//! Image-only "scanned" pages: a deterministic grayscale raster of a page layout,
//! words drawn as dark bars on speckled paper, no text layer.

use crate::doc::{PageLayout, PAGE_H, PAGE_W};
use crate::pdf::{flate, name, Body, Dict, Obj};

#[derive(Clone, Debug)]
pub struct ScanSpec {
    /// Number of pages (pages beyond the layout come out as blank speckled paper).
    pub pages: usize,
    pub dpi: u32,
    /// Share of pixels that get paper noise, 0.0–1.0. Drives the file size: about
    /// 0.02 keeps an A4 page at 200 dpi near 100 KB; 0.5 and up gives megabyte scans.
    pub noise: f64,
    pub seed: u64,
}

impl Default for ScanSpec {
    fn default() -> Self {
        ScanSpec {
            pages: 1,
            dpi: 200,
            noise: 0.02,
            seed: 1,
        }
    }
}

/// xorshift64*: tiny and fixed, so rasters never change with a dependency upgrade.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn render(page: &PageLayout, spec: &ScanSpec, page_index: u64) -> Body {
    let scale = spec.dpi as f64 / 72.0;
    let w = (PAGE_W * scale).round() as usize;
    let h = (PAGE_H * scale).round() as usize;
    let mut rng = Rng(spec
        .seed
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(page_index + 1)
        | 1);
    let mut px = vec![255u8; w * h];
    for p in px.iter_mut() {
        if rng.unit() < spec.noise {
            *p = 255 - (rng.next() % 60) as u8;
        }
    }
    let mut rect = |x0: f64, y0: f64, x1: f64, y1: f64, v: u8| {
        // PDF coordinates (origin bottom-left) to raster rows (origin top-left).
        let (c0, c1) = ((x0 * scale) as usize, ((x1 * scale) as usize).min(w));
        let (r0, r1) = (
            ((PAGE_H - y1) * scale).max(0.0) as usize,
            (((PAGE_H - y0) * scale) as usize).min(h),
        );
        for r in r0..r1 {
            for c in c0..c1 {
                px[r * w + c] = v;
            }
        }
    };
    for line in &page.lines {
        let mut x = line.x;
        let space = line.face.width(" ", line.size);
        for word in line.text.split(' ') {
            let ww = line.face.width(word, line.size);
            let shade = if line.face == crate::font::Face::Bold {
                25
            } else {
                60
            };
            rect(x, line.y, x + ww, line.y + line.size * 0.62, shade);
            x += ww + space;
        }
    }
    for r in &page.rules {
        rect(r.x1, r.y - 0.4, r.x2, r.y + 0.4, 40);
    }
    Body::Stream(
        Dict::new()
            .with("Type", name("XObject"))
            .with("Subtype", name("Image"))
            .with("Width", Obj::Int(w as i64))
            .with("Height", Obj::Int(h as i64))
            .with("ColorSpace", name("DeviceGray"))
            .with("BitsPerComponent", Obj::Int(8))
            .with("Filter", name("FlateDecode")),
        flate(&px),
    )
}
