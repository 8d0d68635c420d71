//! The assigned-task register end to end: replies generated as signed PDFs
//! that cite their assignment in odd spacing, "Số" upper case, NFD text, two
//! assignments at once, in the body or the V/v line, or not at all (explicit
//! path in tasks.csv); judged by the real binary on 30/11/2022.

use std::path::Path;

use crate::util::TestCommand;

use chrono::NaiveDate;
use samplegen::samples::{office_hours, render};
use samplegen::{DocSpec, Kind};
use unicode_normalization::UnicodeNormalization;

const DIR: &str = "1.5.1 Nhiệm vụ UBND tỉnh giao";

fn ymd(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, d).unwrap()
}

fn reply(root: &Path, name: &str, number: &str, date: NaiveDate, vv: &str, body: &str) {
    let spec = DocSpec::dak_glei(
        number,
        date,
        Kind::CongVan {
            extract: vv.into(),
            addressee: Some("Ủy ban nhân dân tỉnh Kon Tum".into()),
        },
        &[
            body,
            "Ủy ban nhân dân huyện đã chỉ đạo các cơ quan chuyên môn triển khai thực hiện.",
        ],
    );
    let bytes = render(&spec, &office_hours(date, 7)).unwrap();
    let p = root.join(DIR).join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

const TASKS: &str = "\
number,date,issuer,asked,deadline,unit,reply
3183/SNV-TCBC,2022-09-26,Sở Nội vụ,Báo cáo biên chế,2022-10-10,Phòng Nội vụ,
2291/UBND-NC,18/07/2022,UBND tỉnh,Chuẩn bị làm việc với Đoàn thanh tra,25/07/2022,,
1908/UBND-HTKT,2022-07-20,UBND tỉnh,Kiểm tra trạm cân,2022-08-01,,
415/SNV-XDCQ,2022-06-10,Sở Nội vụ,Rà soát vị trí việc làm,2022-06-30,,
3400/UBND-NC,2022-11-20,UBND tỉnh,Báo cáo tiếp công dân,2022-12-15,,
500/UBND-VX,2022-04-25,UBND tỉnh,Báo cáo y tế,2022-05-10,,1.5.1 Nhiệm vụ UBND tỉnh giao/CV 300.pdf
";

fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("tlkc.toml"), "as_of = \"2022-11-30\"\n").unwrap();
    std::fs::write(root.join("tasks.csv"), TASKS).unwrap();
    // Odd spacing and "Số" in the V/v line: on time.
    reply(
        root,
        "CV 1650.pdf",
        "1650/UBND-NV",
        ymd(10, 7),
        "phúc đáp Công văn Số 3183 / SNV - TCBC ngày 26/9/2022 của Sở Nội vụ",
        "Ủy ban nhân dân huyện báo cáo như sau.",
    );
    // Two assignments cited in the body, in NFD: late for 2291, on time for 1908.
    let body: String = "Thực hiện Văn bản số 2291/UBND-NC ngày 18/7/2022 và Công văn số 1908/UBND-HTKT ngày 20/7/2022 của Ủy ban nhân dân tỉnh Kon Tum, Ủy ban nhân dân huyện báo cáo như sau."
        .nfd()
        .collect();
    reply(
        root,
        "CV 1420.pdf",
        "1420/UBND-NV",
        ymd(7, 27),
        "báo cáo kết quả thực hiện nhiệm vụ được giao",
        &body,
    );
    // Cites nothing: matched only by the explicit path in tasks.csv; late.
    reply(
        root,
        "CV 300.pdf",
        "300/UBND-VX",
        ymd(5, 12),
        "báo cáo công tác y tế",
        "Ủy ban nhân dân huyện báo cáo tình hình y tế trên địa bàn.",
    );
    // Cites an assignment the register does not have.
    reply(
        root,
        "CV 1999.pdf",
        "1999/UBND-TCKH",
        ymd(10, 20),
        "phúc đáp Công văn số 777/UBND-KTTH của UBND tỉnh",
        "Ủy ban nhân dân huyện báo cáo như sau.",
    );
    tmp
}

fn check(root: &Path) -> serde_json::Value {
    let out = TestCommand::new()
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(root)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn codes(v: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn replies_are_matched_by_the_numbers_they_cite() {
    let tmp = folder();
    let v = check(tmp.path());
    let status = |n: &str| {
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["number"] == n)
            .unwrap_or_else(|| panic!("{n}: {:#}", v["tasks"]))
            .clone()
    };
    assert_eq!(status("3183/SNV-TCBC")["status"], "on_time");
    assert_eq!(status("2291/UBND-NC")["status"], "late");
    assert_eq!(status("2291/UBND-NC")["days_late"], 2);
    assert_eq!(status("1908/UBND-HTKT")["status"], "on_time");
    assert_eq!(status("415/SNV-XDCQ")["status"], "missing");
    assert_eq!(status("3400/UBND-NC")["status"], "pending");
    assert_eq!(status("500/UBND-VX")["status"], "late");

    let late: Vec<String> = codes(&v, "TSK001")
        .iter()
        .map(|f| f["facts"]["task"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(late.contains(&"2291/UBND-NC".into()) && late.contains(&"500/UBND-VX".into()));
    let missing = codes(&v, "TSK002");
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0]["facts"]["task"], "415/SNV-XDCQ");
    // 5 tasks due: (2 on time + 0.5 × 2 late) / 5 × 4 = 2.4; a missing task costs 4/5.
    assert_eq!(missing[0]["points"], 0.8);
    let unregistered = codes(&v, "TSK003");
    assert_eq!(unregistered.len(), 1, "{unregistered:#?}");
    assert!(unregistered[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("CV 1999.pdf"));
    assert_eq!(unregistered[0]["severity"], "info");

    let c = v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "1.5.1")
        .unwrap();
    assert_eq!(c["estimated_points"], 2.4);
    assert_eq!(c["method"], "tasks");
    assert!(
        c["basis"].as_str().unwrap().contains("1 not yet due"),
        "{c:#}"
    );
}

#[test]
fn a_broken_register_is_a_clear_error() {
    let tmp = folder();
    std::fs::write(
        tmp.path().join("tasks.csv"),
        "number,date,issuer,asked,deadline\n2291/UBND-NC,18/07/2022,UBND tỉnh,x,sau Tết\n",
    )
    .unwrap();
    let out = TestCommand::new()
        .args(["check"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tasks.csv:2") && err.contains("deadline"),
        "{err}"
    );
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

#[test]
fn repeated_register_rows_count_once_and_are_named() {
    let repo = crate::util::repo_path("samples");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("test-ca"), &tmp.path().join("test-ca"));
    let root = tmp.path().join("dak-glei-2022");
    copy_dir(&repo.join("dak-glei-2022"), &root);
    // 30 copies of a row answered on time, as if pasted in by mistake
    // (or on purpose: each would count as one more task done on time).
    let csv = root.join("tasks.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("512/UBND-KGVX,"))
        .unwrap()
        .to_string();
    let first_line = text.lines().position(|l| l == row).unwrap() + 1;
    let rows_before = text.lines().count();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for _ in 0..30 {
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(&csv, text).unwrap();
    let v = check(&root);
    let c = v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "1.5.1")
        .unwrap();
    assert_eq!(c["estimated_points"], 3.33, "{c:#}");
    assert_eq!(v["summary"]["score"]["estimated"], 9.73);
    let dup = codes(&v, "TSK004");
    assert_eq!(dup.len(), 1, "{dup:#?}");
    assert_eq!(dup[0]["severity"], "warning");
    assert_eq!(dup[0]["criterion"], "1.5.1");
    assert_eq!(dup[0]["facts"]["task"], "512/UBND-KGVX");
    let kept = dup[0]["facts"]["kept"].as_str().unwrap();
    assert!(kept.ends_with(&format!("tasks.csv:{first_line}")), "{kept}");
    let repeated = dup[0]["facts"]["repeated"].as_str().unwrap();
    assert_eq!(repeated.matches("tasks.csv:").count(), 30, "{repeated}");
    assert!(
        repeated.ends_with(&format!("tasks.csv:{}", rows_before + 30)),
        "{repeated}"
    );
    let message = dup[0]["message"].as_str().unwrap();
    assert!(message.contains("counted once"), "{message}");
    // The register's tasks are listed once each.
    let listed = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["number"] == "512/UBND-KGVX")
        .count();
    assert_eq!(listed, 1);
}
