//! The binary end to end: language selection, quiet, formats to files,
//! init, explain, completions.

use std::process::Command;

fn tlkc() -> crate::util::TestCommand {
    crate::util::TestCommand::new()
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn check_speaks_vietnamese_on_vi_vn_and_english_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(tlkc()
        .env("LANG", "vi_VN.UTF-8")
        .args(["check", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    assert_eq!(code, 1);
    assert!(out.contains("Kết luận: CHƯA SẴN SÀNG"), "{out}");
    assert!(out.contains("chưa có tài liệu kiểm chứng"), "{out}");
    let (_, out, _) = run(tlkc()
        .env("LANG", "vi_VN.UTF-8")
        .args(["--lang", "en", "check", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    assert!(out.contains("Verdict: NOT READY"), "{out}");
    // No locale at all: Vietnamese is the default.
    let (_, out, _) = run(tlkc()
        .args(["check", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    assert!(out.contains("Kết luận"), "{out}");
}

#[test]
fn quiet_levels_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(tlkc()
        .args(["check", "-q", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("Kết luận:"), "{err}");
    let (code, out, err) = run(tlkc()
        .args(["check", "-qq", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    // Beside the evidence folder, not in it (where it would be refused).
    let outdir = tempfile::tempdir().unwrap();
    let html = outdir.path().join("report.html");
    let (_, out, err) = run(tlkc()
        .args([
            "check",
            "--format",
            "html",
            "--explanations",
            "--as-of",
            "2022-12-31",
            "-o",
        ])
        .arg(&html)
        .arg(dir.path()));
    assert!(out.is_empty());
    assert!(err.contains("Đã ghi báo cáo vào"), "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("CHƯA SẴN SÀNG NỘP"));
    assert!(page.contains("Dự thảo giải trình"));
    let (_, out, _) = run(tlkc()
        .args([
            "check",
            "--format",
            "json",
            "--explanations",
            "--as-of",
            "2022-12-31",
        ])
        .arg(dir.path()));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v["explanations"].as_array().unwrap().is_empty());
}

#[test]
fn waivers_from_tlkc_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tlkc.toml"),
        "[[waiver]]\ncode = \"EVD001\"\ncriterion = \"1.2.1\"\nreason = \"Đã giải trình\"\n\n[[waiver]]\ncode = \"DUE001\"\ncriterion = \"1.2.1\"\nreason = \"x\"\nuntil = \"2022-01-01\"\n",
    )
    .unwrap();
    let (_, out, _) = run(tlkc()
        .args(["check", "--format", "json", "--as-of", "2022-12-31"])
        .arg(dir.path()));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let waived: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("waived").is_some())
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["waived"]["reason"], "Đã giải trình");
    assert_eq!(v["summary"]["waived"], 1);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "CFG001"));
    // A waiver without a reason is a configuration error with a location.
    std::fs::write(
        dir.path().join("tlkc.toml"),
        "\n[[waiver]]\ncode = \"EVD001\"\ncriterion = \"1.2.1\"\n",
    )
    .unwrap();
    let (code, _, err) = run(tlkc().args(["check"]).arg(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("tlkc.toml:2:1:"), "{err}");
    assert!(err.starts_with("tlkc: lỗi:"), "{err}");
}

#[test]
fn init_explain_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("TLKC 2022");
    let (code, out, _) = run(tlkc().arg("init").arg(&root));
    assert_eq!(code, 0);
    assert!(out.contains("Đã tạo"), "{out}");
    let (_, out, _) = run(tlkc().arg("init").arg(&root));
    assert!(out.contains("bỏ qua"), "{out}");
    let (_, out, _) = run(tlkc().args(["explain", "CFG001"]));
    assert!(out.contains("Miễn trừ"), "{out}");
    let (_, out, _) = run(tlkc().args(["--lang", "en", "explain", "DUE001"]));
    assert!(out.contains("Issued after its deadline"), "{out}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, _) = run(tlkc().args(["completions", shell]));
        assert_eq!(code, 0);
        assert!(out.contains("tlkc"), "{shell}");
    }
}
