//! Small files that declare huge scans: one page covered by a blank CCITT
//! Group 4 image of 20,000 × 20,000 pixels, about 3 KB in all. A reader that
//! decodes it holds 400 MB of gray (and more while turning or enlarging it);
//! tlkc's inspection must stay within its memory and time budgets on a folder of them.

use std::fmt::Write as _;
use std::path::Path;

/// Group 4 data of an all-white `height`-row image, whatever its width: every
/// row repeats the (white) row above, one vertical-mode V0 code ("1") each,
/// then the end-of-facsimile-block (two EOL codes), padded to a byte.
pub fn blank_g4(height: u32) -> Vec<u8> {
    let mut bits: Vec<bool> = vec![true; height as usize];
    for _ in 0..2 {
        bits.extend(std::iter::repeat_n(false, 11));
        bits.push(true);
    }
    bits.chunks(8)
        .map(|byte| {
            byte.iter()
                .enumerate()
                .fold(0u8, |acc, (i, b)| acc | (u8::from(*b) << (7 - i)))
        })
        .collect()
}

/// A one-page PDF whose page (`media` points wide and high) is covered by a
/// blank `width` × `height` CCITT G4 image.
pub fn blank_g4_scan(width: u32, height: u32, media: (f64, f64)) -> Vec<u8> {
    let data = blank_g4(height);
    let content = format!("q {:.2} 0 0 {:.2} 0 0 cm /Im0 Do Q", media.0, media.1);
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.2} {:.2}] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>",
            media.0, media.1
        )
        .into_bytes(),
        stream("", content.as_bytes()),
        stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {width} /Rows {height} >>"
            ),
            &data,
        ),
    ];
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// `n` oversized scans in criterion folders (of the built-in ruleset) under `dir`: every other one on
/// an A4 page (about 2,400 dpi, read as it is), the others on the largest page
/// PDF allows (200 inches: 100 dpi, which a reader enlarges towards 300 dpi).
/// Returns the files' paths relative to `dir`.
pub fn write_oversized_scans(dir: &Path, n: usize) -> std::io::Result<Vec<String>> {
    const SIDE: u32 = 20_000;
    let mut written = Vec::new();
    for i in 0..n {
        let media = if i % 2 == 0 {
            (595.0, 842.0)
        } else {
            (14_400.0, 14_400.0)
        };
        let folder = ["1.2.1", "1.3.1", "2.1.1"][i % 3];
        let rel = format!("{folder}/scan-{i:02}.pdf");
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, blank_g4_scan(SIDE, SIDE, media))?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_20000_square_scan_is_a_few_kilobytes() {
        let pdf = blank_g4_scan(20_000, 20_000, (595.0, 842.0));
        assert!(pdf.len() < 4096, "{} bytes", pdf.len());
        assert_eq!(blank_g4(8), vec![0xff, 0x00, 0x10, 0x01]);
    }
}
