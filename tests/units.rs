//! `tlkc check --units PARENT` on the real binary, over copies of the samples.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::util::{repo_path, TestCommand};

fn tlkc(args: &[&str]) -> Output {
    TestCommand::new()
        .args(args)
        .env("TLKC_LANG", "vi")
        .env_remove("RAYON_NUM_THREADS")
        .output()
        .expect("run tlkc")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != ".tlkc" {
                copy_dir(&e.path(), &dst);
            }
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// PARENT with copies of both samples (their trust anchor made absolute, so
/// the copies check as the originals do) and a unit whose tlkc.toml is bad.
fn province() -> (tempfile::TempDir, PathBuf) {
    let repo = repo_path("");
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("kon-tum");
    let anchor = repo.join("samples/test-ca/root.pem");
    for name in ["dak-glei-2022", "dak-glei-2023-ready"] {
        let dir = parent.join(name);
        copy_dir(&repo.join("samples").join(name), &dir);
        let cfg = std::fs::read_to_string(dir.join("tlkc.toml")).unwrap();
        let cfg = cfg.replace("../test-ca/root.pem", s(&anchor));
        std::fs::write(dir.join("tlkc.toml"), cfg).unwrap();
    }
    let broken = parent.join("huyen-hong");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("tlkc.toml"),
        "as_of = \"2022-11-30\"\nasof = 1\n",
    )
    .unwrap();
    (tmp, parent)
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// A single run's numbers without the index counters (cold vs warm differ).
fn numbers(summary: &Value) -> Value {
    let mut v = summary.clone();
    v.as_object_mut().unwrap().remove("index");
    v
}

#[test]
fn each_unit_has_the_numbers_of_its_own_run() {
    let (tmp, parent) = province();
    let out = tmp.path().join("pages");
    let o = tlkc(&[
        "check",
        "--units",
        s(&parent),
        "--format",
        "json",
        "--output-dir",
        s(&out),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let all = json(&o);
    assert_eq!(all["tool"], "tlkc");
    assert_eq!(all["as_of"], "2022-11-30");
    let units = all["units"].as_array().unwrap();
    let names: Vec<&str> = units.iter().map(|u| u["name"].as_str().unwrap()).collect();
    // Ranked: the ready unit first, the unreadable one last.
    assert_eq!(
        names,
        ["dak-glei-2023-ready", "dak-glei-2022", "huyen-hong"]
    );
    for u in &units[..2] {
        let root = u["root"].as_str().unwrap();
        let single = tlkc(&["check", root, "--format", "json"]);
        let single = json(&single);
        assert_eq!(
            numbers(&u["summary"]),
            numbers(&single["summary"]),
            "{root}"
        );
        assert_eq!(u["ready"], single["ready"]);
        assert_eq!(u["ruleset"]["id"], single["ruleset"]["id"]);
        // The unit's own full report is the single run's report.
        let page: Value =
            serde_json::from_slice(&std::fs::read(u["report"].as_str().unwrap()).unwrap()).unwrap();
        assert_eq!(page["findings"], single["findings"], "{root}");
        assert_eq!(page["criteria"], single["criteria"], "{root}");
        assert!(Path::new(root).join(".tlkc/tlkc.db").is_file());
    }
    assert_eq!(units[0]["summary"]["errors"], 0);
    assert!(units[1]["summary"]["errors"].as_u64().unwrap() > 0);
    let broken = &units[2];
    assert_eq!(broken["ready"], false);
    assert!(broken["summary"].is_null());
    let err = broken["error"].as_str().unwrap();
    assert!(
        err.contains("tlkc.toml:2:1") && err.contains("asof"),
        "{err}"
    );
    // Every sub-criterion the 2022 unit loses is a loss, named with its unit.
    let losses = all["common_losses"].as_array().unwrap();
    assert!(!losses.is_empty());
    for l in losses {
        assert_eq!(l["units"], serde_json::json!(["dak-glei-2022"]));
        assert!(l["title"].as_str().is_some_and(|t| !t.is_empty()));
    }
    assert!(losses.iter().any(|l| l["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "DUE001")));
}

#[test]
fn html_ranks_every_unit_and_links_to_its_page() {
    let (tmp, parent) = province();
    let page = tmp.path().join("report/tinh.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    let out = tmp.path().join("report/don-vi");
    let o = tlkc(&[
        "check",
        "--units",
        s(&parent),
        "--format",
        "html",
        "-o",
        s(&page),
        "--output-dir",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#"<table class="ranking">"#), "{html}");
    for name in ["dak-glei-2022", "dak-glei-2023-ready"] {
        // The unit's own name (tlkc.toml `unit`) with its folder's.
        let link = format!(r#"<a href="don-vi/{name}.html">UBND huyện Đắk Glei ({name})</a>"#);
        assert!(html.contains(&link), "{link} missing");
        let unit_page = std::fs::read_to_string(out.join(format!("{name}.html"))).unwrap();
        assert!(unit_page.starts_with("<!DOCTYPE html>"));
    }
    assert!(html.contains("huyen-hong") && html.contains("Không kiểm tra được"));
    assert!(html.contains(r#"<table class="losses">"#));
}

#[test]
fn junit_has_a_suite_per_unit_and_short_formats_a_table() {
    let (_tmp, parent) = province();
    let o = tlkc(&["check", "--units", s(&parent), "--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = String::from_utf8(o.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        suites,
        [
            "UBND huyện Đắk Glei (dak-glei-2023-ready)",
            "UBND huyện Đắk Glei (dak-glei-2022)",
            "huyen-hong"
        ]
    );
    assert!(doc.descendants().any(|n| n.has_tag_name("error")));
    assert!(doc.descendants().any(|n| n.has_tag_name("failure")));

    let o = tlkc(&["check", "--units", s(&parent), "--format", "markdown"]);
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(
        md.contains("| 1 | UBND huyện Đắk Glei (dak-glei-2023-ready) | 0 |"),
        "{md}"
    );
    let o = tlkc(&["check", "--units", s(&parent), "--lang", "en"]);
    let human = String::from_utf8(o.stdout).unwrap();
    assert!(
        human.contains("1/3 units ready to submit; 1 with errors; 1 could not be checked."),
        "{human}"
    );
}

#[test]
fn a_units_list_names_units_and_their_settings() {
    let (_tmp, parent) = province();
    std::fs::write(
        parent.join("tlkc.units.toml"),
        "[[unit]]\nname = \"Huyện Đắk Glei\"\npath = \"dak-glei-2023-ready\"\nas_of = \"2022-03-01\"\nrules = \"builtin:kon-tum-2022-huyen\"\n\n[[unit]]\nname = \"Huyện Kon Rẫy\"\npath = \"kon-ray\"\n",
    )
    .unwrap();
    let o = tlkc(&["check", "--units", s(&parent), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let all = json(&o);
    let units = all["units"].as_array().unwrap();
    assert_eq!(units.len(), 2);
    assert_eq!(units[0]["name"], "Huyện Đắk Glei");
    assert_eq!(units[0]["as_of"], "2022-03-01");
    let single = json(&tlkc(&[
        "check",
        units[0]["root"].as_str().unwrap(),
        "--as-of",
        "2022-03-01",
        "--format",
        "json",
    ]));
    assert_eq!(numbers(&units[0]["summary"]), numbers(&single["summary"]));
    assert!(units[1]["error"].as_str().unwrap().contains("kon-ray"));

    // A bad list stops the run with its location.
    std::fs::write(
        parent.join("tlkc.units.toml"),
        "[[unit]]\nname = \"a\"\nfolder = \"x\"\n",
    )
    .unwrap();
    let o = tlkc(&["check", "--units", s(&parent)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("tlkc.units.toml:3:1") && err.contains("folder"),
        "{err}"
    );
}

#[test]
fn exit_is_0_when_all_units_are_ready_and_2_when_none_can_be_checked() {
    let (tmp, parent) = province();
    let ready = tmp.path().join("ready");
    std::fs::create_dir_all(&ready).unwrap();
    std::fs::rename(parent.join("dak-glei-2023-ready"), ready.join("a")).unwrap();
    let o = tlkc(&["check", "--units", s(&ready), "-q"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let none = tmp.path().join("none");
    std::fs::create_dir_all(&none).unwrap();
    std::fs::rename(parent.join("huyen-hong"), none.join("b")).unwrap();
    let o = tlkc(&["check", "--units", s(&none), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["units_checked"], 0);
    // Flags that make no sense for many units are refused.
    let o = tlkc(&["check", "--units", s(&ready), "--db", "x.db"]);
    assert_eq!(o.status.code(), Some(2));
    let o = tlkc(&["check", "--units", s(&ready), "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(2));
    let inside = ready.join("a/reports");
    let o = tlkc(&["check", "--units", s(&ready), "--output-dir", s(&inside)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!inside.exists());
}

/// The ranking shows each unit's estimated score (the sample's 9,73), its
/// own name from tlkc.toml, the common losses with Vietnamese code names,
/// and comes as a spreadsheet (CSV for Excel, and .xlsx) the Sở can sort.
#[test]
fn the_ranking_shows_scores_names_and_comes_as_a_spreadsheet() {
    let (_tmp, parent) = province();
    let o = tlkc(&["check", "--no-ocr", "--units", s(&parent)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Điểm ước tính"), "{out}");
    assert!(out.contains("9,73/37"), "{out}");
    assert!(out.contains("UBND huyện Đắk Glei ("), "{out}");
    assert!(
        out.contains("thiếu tài liệu kiểm chứng bắt buộc ×"),
        "{out}"
    );

    let o = tlkc(&[
        "check",
        "--no-ocr",
        "--units",
        s(&parent),
        "--format",
        "csv",
    ]);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.starts_with('\u{feff}'), "Excel needs the BOM");
    let row = csv
        .lines()
        .find(|l| l.contains("dak-glei-2022"))
        .expect("a row for the 2022 sample");
    assert!(row.contains("\"9,73\",37"), "{row}");
    assert!(csv.contains("Tiêu chí thành phần,Tên,Số đơn vị"), "{csv}");

    let xlsx = parent.parent().unwrap().join("xep-hang.xlsx");
    let o = tlkc(&[
        "check",
        "--no-ocr",
        "--units",
        s(&parent),
        "--format",
        "xlsx",
        "-o",
        s(&xlsx),
    ]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{o:?}");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let ranking = book.worksheet_range("Xếp hạng").unwrap();
    let score = ranking
        .rows()
        .find(|r| r.iter().any(|c| c.to_string().contains("dak-glei-2022")))
        .map(|r| r[3].to_string())
        .unwrap();
    assert_eq!(score, "9.73");
    assert!(book.worksheet_range("Mất điểm").unwrap().height() > 1);
    // Without a file to write, xlsx is refused, not dumped on the terminal.
    let o = tlkc(&["check", "--units", s(&parent), "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
}
