//! An upload as a BagIt bag (RFC 8493, written by [`crate::bag`]: every
//! payload file re-hashed while copied from the store), zipped for download.

use std::io::Write;
use std::path::PathBuf;

use crate::bag::{self, BagInfo, PayloadFile, TagFile};

use super::db::{self, Unit, Upload};
use super::queue::Core;
use super::ServerError;

/// Write the bag of `upload` and zip it; returns the zip's path under `tmp/`.
pub fn bag_zip(core: &Core, unit: &Unit, upload: &Upload) -> Result<PathBuf, ServerError> {
    let (files, report_json, report_html) = {
        let c = core.conn();
        (
            db::files(&c, upload.id)?,
            db::report(&c, upload.id, false)?,
            db::report(&c, upload.id, true)?,
        )
    };
    let work = tempfile::Builder::new()
        .prefix("bag-")
        .tempdir_in(&core.store.tmp)
        .map_err(ServerError::io(&core.store.tmp))?;
    let name = format!("{}-lan-{}", unit.slug, upload.id);
    let out = work.path().join(&name);
    let payload: Vec<PayloadFile> = files
        .iter()
        .map(|f| PayloadFile {
            rel: f.path.clone(),
            source: core.store.object(&f.sha256),
            sha256: f.sha256.clone(),
        })
        .collect();
    let info = BagInfo {
        fields: vec![
            ("Source-Organization".into(), unit.name.clone()),
            ("Organization-Address".into(), core.province.clone()),
            (
                "Bagging-Date".into(),
                super::today().format("%Y-%m-%d").to_string(),
            ),
            (
                "External-Identifier".into(),
                format!("tlkc-server/{}/uploads/{}", unit.slug, upload.id),
            ),
            (
                "External-Description".into(),
                format!(
                    "Lần tải lên số {} của {} ({}), {} tệp",
                    upload.id, unit.name, upload.created, upload.files
                ),
            ),
        ],
    };
    let mut tags = Vec::new();
    if let Some(j) = report_json {
        tags.push(TagFile {
            name: "tlkc-report.json".into(),
            bytes: j.into_bytes(),
        });
    }
    if let Some(h) = report_html {
        tags.push(TagFile {
            name: "tlkc-report.html".into(),
            bytes: h.into_bytes(),
        });
    }
    bag::write_bag(&out, &payload, &info, &tags)
        .map_err(|e| ServerError::Invalid(e.to_string()))?;
    let zip_path = core
        .store
        .tmp
        .join(format!("bag-{}.zip", super::auth::random_hex(8)));
    let file = std::fs::File::create(&zip_path).map_err(ServerError::io(&zip_path))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let zerr = |e: zip::result::ZipError| ServerError::Invalid(e.to_string());
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.map_err(|e| ServerError::Invalid(e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(work.path())
            .map_err(|e| ServerError::Invalid(e.to_string()))?
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(rel, opts).map_err(zerr)?;
        let mut src = std::fs::File::open(entry.path()).map_err(ServerError::io(entry.path()))?;
        std::io::copy(&mut src, &mut zip).map_err(ServerError::io(entry.path()))?;
    }
    let mut w = zip.finish().map_err(zerr)?;
    w.flush().map_err(ServerError::io(&zip_path))?;
    Ok(zip_path)
}
