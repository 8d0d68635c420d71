//! `tlkc export --bag`: a BagIt bag of the latest submission. Every file is
//! read and hashed again while it is copied (see [`crate::bag`]): a file
//! whose bytes differ from the submission stops the export, whatever the
//! index says about it.

use std::path::Path;

use serde_json::json;

use super::{find_submission, locate, TrailError};
use crate::bag::{self, BagError, BagInfo, PayloadFile, TagFile};
use crate::discover::Discovery;
use crate::hash::sha256_hex;
use crate::index::ledger::{Kind, Stamp, Submission};
use crate::index::Index;

/// The reports stored with submission `sub`, if they still hash as recorded.
pub(super) fn stored_reports(
    index: &Index,
    sub: &Submission,
) -> Result<(String, String), TrailError> {
    let (json_text, txt): (String, String) = index
        .conn()
        .query_row(
            "SELECT report_json, report_txt FROM submission_reports WHERE submission = ?1",
            [sub.details.submission as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|_| TrailError::ReportTampered(sub.details.submission))?;
    if sha256_hex(json_text.as_bytes()) != sub.details.report_json_sha256
        || sha256_hex(txt.as_bytes()) != sub.details.report_txt_sha256
    {
        return Err(TrailError::ReportTampered(sub.details.submission));
    }
    Ok((json_text, txt))
}

pub struct ExportRequest<'a> {
    pub root: &'a Path,
    pub discovery: &'a Discovery,
    pub out: &'a Path,
    pub unit: Option<&'a str>,
}

/// Write a BagIt bag of the latest submission and log an `export` event.
pub fn export(
    index: &mut Index,
    stamp: &Stamp,
    req: &ExportRequest,
) -> Result<(Submission, bag::BagSummary), TrailError> {
    bag::check_target(req.out)?;
    // Compared once `..` and links are resolved: `ev/x/../bag` is in `ev`.
    let out = crate::fsguard::resolve(req.out)?;
    let state = req.root.join(crate::discover::STATE_DIR);
    let in_state = crate::fsguard::is_inside(&out, &state) && !crate::fsguard::is_symlink(&state);
    if crate::fsguard::is_inside(&out, req.root) && !in_state {
        return Err(BagError::InsideEvidence(req.out.display().to_string()).into());
    }
    let sub = find_submission(index, None)?;
    let (report_json, report_txt) = stored_reports(index, &sub)?;
    let payload: Vec<PayloadFile> = sub
        .details
        .files
        .iter()
        .map(|f| PayloadFile {
            rel: f.path.clone(),
            source: locate(req.root, req.discovery, &f.path),
            sha256: f.sha256.clone(),
        })
        .collect();
    let tags = vec![
        TagFile {
            name: "tlkc-report.json".into(),
            bytes: report_json.into_bytes(),
        },
        TagFile {
            name: "tlkc-report.txt".into(),
            bytes: report_txt.into_bytes(),
        },
    ];
    let summary = bag::write_bag(req.out, &payload, &bag_info(stamp, &sub, req.unit), &tags)?;
    index.record(
        stamp,
        Kind::Export,
        json!({
            "submission": sub.details.submission,
            "bag": req.out.display().to_string(),
            "files": summary.files,
            "bytes": summary.bytes,
            "format": "BagIt 1.0",
        }),
    )?;
    Ok((sub, summary))
}

/// bag-info.txt fields (Payload-Oxum is added by the bag writer).
fn bag_info(stamp: &Stamp, sub: &Submission, unit: Option<&str>) -> BagInfo {
    BagInfo {
        fields: vec![
            (
                "Source-Organization".into(),
                unit.unwrap_or("unknown").to_string(),
            ),
            (
                "Bagging-Date".into(),
                stamp
                    .utc
                    .with_timezone(&crate::time::vietnam())
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            (
                "External-Identifier".into(),
                format!(
                    "tlkc:{}:submission-{}",
                    sub.details.ruleset, sub.details.submission
                ),
            ),
            (
                "External-Description".into(),
                format!(
                    "PAR Index evidence, submission {} ({}) as of {}: {}",
                    sub.details.submission, sub.local, sub.details.as_of, sub.details.note
                ),
            ),
            (
                "Bag-Software-Agent".into(),
                format!("tlkc {}", crate::VERSION),
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::record_submission;
    use super::super::testing::{stamp, Fixture};
    use super::*;

    #[test]
    fn a_file_changed_since_submission_stops_the_export() {
        let mut f = Fixture::new(&[("a.txt", b"alpha")]);
        let st = stamp(1);
        let input = f.input();
        let d = crate::discover::discover(&input.root, &input.rules, &input.config).unwrap();
        let out = f.tmp.path().join("bag");
        let req = ExportRequest {
            root: &input.root,
            discovery: &d,
            out: &out,
            unit: Some("UBND"),
        };
        assert!(matches!(
            export(&mut f.index, &st, &req),
            Err(TrailError::NoSubmission)
        ));
        let run = f.submit_check(1);
        record_submission(&mut f.index, &st, &run, "n", false, "{}".into(), "t".into()).unwrap();
        f.write("a.txt", b"ALPHA");
        assert!(export(&mut f.index, &stamp(2), &req).is_err());
        assert!(!out.exists(), "nothing is left behind");
        f.write("a.txt", b"alpha");
        let (sub, summary) = export(&mut f.index, &stamp(3), &req).unwrap();
        assert_eq!((sub.details.submission, summary.files), (1, 1));
        assert_eq!(std::fs::read(out.join("data/a.txt")).unwrap(), b"alpha");
        // Inside the evidence folder, however the path is spelled.
        let sneaky = f.tmp.path().join("nowhere/../ev/bag");
        let req = ExportRequest {
            out: &sneaky,
            ..req
        };
        assert!(matches!(
            export(&mut f.index, &stamp(4), &req),
            Err(TrailError::Bag(BagError::InsideEvidence(_)))
        ));
        assert!(!f.root().join("bag").exists() && !f.tmp.path().join("nowhere").exists());
    }
}
