//! Deterministic benchmark corpora for `bench/run.sh`, filed in coded criterion folders.
//! Three shapes: "scans-heavy" (here: signed text PDFs padded to 100 KB–2 MB, 30 % scans of
//! 1–5 MB, broken files), "ordinary" (`bench_ordinary`: mostly small signed born-digital
//! documents, as real folders hold) and "e-office" (`bench_eoffice`: a document-management
//! system's output, 30–300 KB with 1–3 signatures, 15 % scans).

use crate::bench_ordinary as ordinary;
use crate::doc::{build_pdf, DocSpec, Kind};
use crate::pdf::{name, Body, Dict, Obj, SignOptions};
use crate::pki::TestPki;
use crate::samples::vn_time;
use crate::scan::ScanSpec;
use crate::Pdf;
use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

/// Coded folders of the Đắk Glei set: tlkc files every PDF under them.
const FOLDERS: &[&str] = &[
    "1.2.1 Báo cáo CCHC",
    "1.3.1 Kế hoạch tự kiểm tra CCHC",
    "1.3.2 Xử lý vấn đề phát hiện qua kiểm tra",
    "2.1.1 Theo dõi thi hành pháp luật",
    "2.4 Phổ biến giáo dục pháp luật",
    "4.2.2 Kế hoạch biên chế",
    "4.3 Phân cấp",
    "6.2.1 Tài sản công",
    "7.1.2 Kế hoạch ứng dụng CNTT",
];

/// xorshift64*, fixed so the corpus never changes with a dependency upgrade.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
}

/// Which corpus to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    ScansHeavy,
    Ordinary,
    /// `bench_eoffice`: a document-management system's signed output.
    Eoffice,
}

impl std::str::FromStr for Shape {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Shape> {
        match s {
            "scans-heavy" => Ok(Shape::ScansHeavy),
            "ordinary" => Ok(Shape::Ordinary),
            "e-office" => Ok(Shape::Eoffice),
            _ => anyhow::bail!("unknown corpus shape {s:?} (scans-heavy | ordinary | e-office)"),
        }
    }
}

/// What one corpus file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Signed,
    Scan,
    Truncated,
    NotPdf,
    Empty,
}

/// Sort of file `i`: 60 % signed, 30 % scans, 10 % broken, interleaved so any prefix
/// of the corpus has the same mix.
pub fn sort_of(i: usize) -> Sort {
    match i % 10 {
        0 | 2 | 4 | 5 | 7 | 9 => Sort::Signed,
        1 | 6 | 8 => Sort::Scan,
        _ => match (i / 10) % 3 {
            0 => Sort::Truncated,
            1 => Sort::NotPdf,
            _ => Sort::Empty,
        },
    }
}

fn spec_for(i: usize) -> DocSpec {
    spec_with_body(i, 1)
}

/// Body sentences of a report; long documents cycle through them.
const SENTENCES: &[&str] = &[
    "Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện công tác cải cách hành chính năm 2022 như sau.",
    "Công tác chỉ đạo, điều hành cải cách hành chính được triển khai đồng bộ, kịp thời theo kế hoạch của tỉnh.",
    "Việc rà soát, đơn giản hóa thủ tục hành chính được thực hiện thường xuyên tại các cơ quan chuyên môn.",
    "Bộ phận tiếp nhận và trả kết quả cấp huyện tiếp nhận hồ sơ đúng quy định, không để tồn đọng, trễ hạn.",
    "Ứng dụng công nghệ thông tin trong quản lý văn bản và điều hành tiếp tục được đẩy mạnh, chữ ký số được sử dụng rộng rãi.",
    "Kiện toàn tổ chức bộ máy, tinh giản biên chế gắn với vị trí việc làm theo đúng lộ trình đã đề ra.",
];

/// A UBND Đắk Glei report numbered after `i` with `paragraphs` body paragraphs.
pub fn spec_with_body(i: usize, paragraphs: usize) -> DocSpec {
    let date = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap() + Duration::days((i % 330) as i64);
    let body: Vec<&str> = SENTENCES
        .iter()
        .copied()
        .cycle()
        .take(paragraphs.max(1))
        .collect();
    DocSpec::dak_glei(
        &format!("{}/BC-UBND", 100 + i),
        date,
        Kind::Typed {
            heading: "BÁO CÁO".into(),
            title: format!("Kết quả thực hiện nhiệm vụ cải cách hành chính, hồ sơ số {i}"),
        },
        &body,
    )
}

/// Copy `base`'s objects, add `extra`, and write a fresh single-revision file.
fn rebuild(base: &Pdf, extra: Vec<Body>, version: &str) -> Pdf {
    let mut objects = BTreeMap::new();
    let mut id = 1;
    while let Some(o) = base.object(id) {
        objects.insert(id, o.clone());
        id += 1;
    }
    for body in extra {
        objects.insert(id, body);
        id += 1;
    }
    Pdf::new(
        version,
        objects,
        base.root_id(),
        Some(3),
        base.page_ids().to_vec(),
    )
}

/// Signed by person then organisation, padded with an incompressible embedded-file
/// stream (like an attached spreadsheet) to about `target` bytes.
fn signed_padded(i: usize, target: usize) -> Result<Vec<u8>> {
    let spec = spec_for(i);
    let base = build_pdf(&spec)?;
    let pad = target.saturating_sub(base.bytes().len() + 40_000);
    let mut rng = Rng(0x5eed_0000 + i as u64 * 2 + 1);
    let data: Vec<u8> = (0..pad).map(|_| rng.next_u64() as u8).collect();
    let attach = Body::Stream(
        Dict::new()
            .with("Type", name("EmbeddedFile"))
            .with("Subtype", name("application#2Foctet-stream")),
        data,
    );
    let mut pdf = rebuild(&base, vec![attach], &spec.pdf_version);
    let pki = TestPki::get();
    let t = vn_time(spec.date, 9, 30);
    pdf.sign(&pki.person, &SignOptions::at(t, "Ký duyệt văn bản"))?;
    pdf.sign(
        &pki.org,
        &SignOptions::at(t + Duration::minutes(40), "Phát hành văn bản"),
    )?;
    Ok(pdf.into_bytes())
}

/// Scan templates (the raster is the costly part): one per size class.
fn scan_templates() -> Result<Vec<Pdf>> {
    let mut out = Vec::new();
    for (k, (pages, target)) in [
        (1usize, 1_000_000usize),
        (1, 1_400_000),
        (2, 1_800_000),
        (2, 2_400_000),
        (3, 3_000_000),
        (3, 3_800_000),
        (4, 4_400_000),
        (5, 5_000_000),
    ]
    .into_iter()
    .enumerate()
    {
        let mut s = spec_for(10_000 + k);
        let per_page = target as f64 / pages as f64;
        s.scan = Some(ScanSpec {
            pages,
            dpi: 200,
            noise: ((per_page - 15_000.0).max(0.0) / 6_600_000.0).clamp(0.0, 1.0),
            seed: 7 + k as u64,
        });
        out.push(build_pdf(&s)?);
    }
    Ok(out)
}

/// A scan made unique by its own /Info (the raster is shared with its template).
pub(crate) fn scan_from(template: &Pdf, i: usize) -> Result<Vec<u8>> {
    let mut objects = BTreeMap::new();
    let mut id = 1;
    while let Some(o) = template.object(id) {
        objects.insert(id, o.clone());
        id += 1;
    }
    objects.insert(
        3,
        Body::Obj(Obj::Dict(
            Dict::new()
                .with("Title", crate::pdf::text(&format!("Bản scan hồ sơ số {i}")))
                .with("Producer", Obj::Str(b"samplegen scan".to_vec())),
        )),
    );
    let pdf = Pdf::new(
        "1.7",
        objects,
        template.root_id(),
        Some(3),
        template.page_ids().to_vec(),
    );
    Ok(pdf.into_bytes())
}

/// Write `n` files under `dir/evidence` (with its tlkc.toml) and the test CA under
/// `dir/ca`. Returns (files, total bytes). Same `n`, same bytes.
pub fn write_bench_corpus(dir: &Path, n: usize, shape: Shape) -> Result<(usize, u64)> {
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev)?;
    std::fs::create_dir_all(dir.join("ca"))?;
    let pki = TestPki::get();
    std::fs::write(dir.join("ca/root.pem"), pki.root_pem())?;
    std::fs::write(
        ev.join("tlkc.toml"),
        "as_of = \"2022-11-30\"\nunit = \"UBND huyện Đắk Glei\"\n\n[trust]\nanchors = [\"../ca/root.pem\"]\n",
    )?;
    let templates = match shape {
        Shape::ScansHeavy if (0..n).any(|i| sort_of(i) == Sort::Scan) => scan_templates()?,
        Shape::Ordinary if (0..n).any(|i| ordinary::sort_of(i) == ordinary::Sort::Scan) => {
            ordinary::scan_templates()?
        }
        Shape::Eoffice
            if (0..n)
                .any(|i| crate::bench_eoffice::sort_of(i) == crate::bench_eoffice::Sort::Scan) =>
        {
            crate::bench_eoffice::scan_templates()?
        }
        _ => Vec::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |p| p.get());
    let total = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| -> Result<()> {
        let mut handles = Vec::new();
        for t in 0..threads {
            let (ev, templates, total) = (&ev, &templates, &total);
            handles.push(s.spawn(move || -> Result<()> {
                for i in (t..n).step_by(threads) {
                    let mut rng =
                        Rng(0xc0ffee ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
                    let u = rng.unit();
                    let bytes = if shape == Shape::Ordinary {
                        ordinary::file(i, &mut rng, templates)?
                    } else if shape == Shape::Eoffice {
                        crate::bench_eoffice::file(i, &mut rng, templates)?
                    } else {
                        match sort_of(i) {
                            // Sizes skewed to the small end: 100 KB · 20^(u²) ≤ 2 MB.
                            Sort::Signed => {
                                signed_padded(i, (100_000.0 * 20f64.powf(u * u)) as usize)?
                            }
                            Sort::Scan => {
                                let k = ((u * u) * templates.len() as f64) as usize;
                                scan_from(&templates[k.min(templates.len() - 1)], i)?
                            }
                            Sort::Truncated => {
                                let full = signed_padded(i, 150_000)?;
                                let keep = (full.len() as f64 * (0.2 + 0.6 * u)) as usize;
                                full[..keep].to_vec()
                            }
                            Sort::NotPdf => {
                                let mut b = crate::fixtures::not_a_pdf();
                                b.extend_from_slice(format!("file {i}").as_bytes());
                                b
                            }
                            Sort::Empty => Vec::new(),
                        }
                    };
                    let folder = FOLDERS[i % FOLDERS.len()];
                    let sub = ev.join(folder).join(format!("lo-{:03}", i / 100));
                    std::fs::create_dir_all(&sub)?;
                    let p = sub.join(format!("ho so {i:05}.pdf"));
                    std::fs::write(&p, &bytes)
                        .with_context(|| format!("writing {}", p.display()))?;
                    total.fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(())
            }));
        }
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("generator thread panicked"))??;
        }
        Ok(())
    })?;
    Ok((n, total.into_inner()))
}

/// `n` small signed text PDFs (one page, one to three signatures, 40–90 KB) and one in ten
/// cut short in transfer, under the coded folders of [`write_bench_corpus`]: the quick,
/// deterministic corpus of the memory guard test (issue 25), where what a run keeps per
/// file shows as the slope of peak memory between two sizes.
pub fn write_small_corpus(dir: &Path, n: usize) -> Result<(usize, u64)> {
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev)?;
    std::fs::create_dir_all(dir.join("ca"))?;
    let pki = TestPki::get();
    std::fs::write(dir.join("ca/root.pem"), pki.root_pem())?;
    std::fs::write(
        ev.join("tlkc.toml"),
        "as_of = \"2022-11-30\"\nunit = \"UBND huyện Đắk Glei\"\n\n[trust]\nanchors = [\"../ca/root.pem\"]\n",
    )?;
    let mut total = 0u64;
    for i in 0..n {
        let spec = spec_with_body(i, 1 + i % 3);
        let mut pdf = build_pdf(&spec)?;
        let sigs = 1 + i % 3;
        let t = vn_time(spec.date, 8, 0);
        for s in 0..sigs {
            let who = if s + 1 == sigs { &pki.org } else { &pki.person };
            let opts = SignOptions::at(t + Duration::minutes(25 * s as i64), "Phát hành văn bản");
            pdf.sign(who, &opts)?;
        }
        let mut bytes = pdf.into_bytes();
        if i % 10 == 9 {
            bytes.truncate(bytes.len() / 2);
        }
        let sub = ev
            .join(FOLDERS[i % FOLDERS.len()])
            .join(format!("lo-{:03}", i / 100));
        std::fs::create_dir_all(&sub)?;
        let p = sub.join(format!("ho so {i:05}.pdf"));
        std::fs::write(&p, &bytes).with_context(|| format!("writing {}", p.display()))?;
        total += bytes.len() as u64;
    }
    Ok((n, total))
}
