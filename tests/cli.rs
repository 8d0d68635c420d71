//! CLI tests on the real binary: exit codes, error messages, JSON shape.

use std::path::Path;
use std::process::Output;

fn tlkc(args: &[&str]) -> Output {
    crate::util::TestCommand::new()
        .args(args)
        .env("TLKC_LANG", "vi")
        .output()
        .expect("run tlkc")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_shipped_ruleset_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            let o = tlkc(&["rules", "validate", p.to_str().unwrap()]);
            assert!(o.status.success(), "{}: {}", p.display(), stderr(&o));
            assert!(stdout(&o).contains(": ok"), "{}", stdout(&o));
            n += 1;
        }
    }
    assert!(n >= 1);
}

#[test]
fn invalid_ruleset_exits_2_with_location() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.toml");
    std::fs::write(
        &f,
        "[framework]\nid = \"x\"\ntitle = \"t\"\nyear = 2022\ncolour = 1\n",
    )
    .unwrap();
    let o = tlkc(&["rules", "validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:5:1"), "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn explain_prints_both_languages() {
    let vi = tlkc(&["explain", "SIG001"]);
    assert!(vi.status.success());
    assert!(stdout(&vi).contains("chữ ký số"), "{}", stdout(&vi));
    let en = tlkc(&["explain", "sig001", "--lang", "en"]);
    assert!(
        stdout(&en).contains("Digital signature required but absent"),
        "{}",
        stdout(&en)
    );
    let unknown = tlkc(&["explain", "XYZ999"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn every_code_has_an_explanation() {
    let o = tlkc(&["explain", "all"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for code in ["EVD001", "SIG001", "DOC004", "DUE001", "PDF005"] {
        assert!(text.contains(code), "{code} missing from `explain all`");
    }
}

#[test]
fn empty_folder_lacks_evidence_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let o = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2022-11-30",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["tool"], "tlkc");
    assert_eq!(v["as_of"], "2022-11-30");
    assert_eq!(v["ready"], false);
    assert_eq!(v["ruleset"]["id"], "kon-tum-2022-huyen");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"EVD001"));
    let c = v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "3.4.1")
        .unwrap();
    assert_eq!(c["status"], "not_checkable");
    // Before any deadline has passed nothing with a deadline is missing yet.
    let early = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2022-01-02",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&early)).unwrap();
    let q = v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "1.2.1")
        .unwrap();
    assert_eq!(q["status"], "pending");
}

#[test]
fn tool_failures_exit_2() {
    let o = tlkc(&["check", "/nonexistent/folder", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the folder does not exist"),
        "{}",
        stderr(&o)
    );
    let o = tlkc(&["check", "/nonexistent/folder"]);
    assert!(
        stderr(&o).contains("thư mục không tồn tại"),
        "{}",
        stderr(&o)
    );

    let dir = tempfile::tempdir().unwrap();
    let o = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "31/11/2022",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("dd/mm/yyyy"), "{}", stderr(&o));
    // The Vietnamese form tasks.csv accepts is a day too.
    let o = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "30/11/2022",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"as_of\": \"2022-11-30\""));

    std::fs::write(
        dir.path().join("tlkc.toml"),
        "as_of = \"2022-11-30\"\nrules_file = \"x\"\n",
    )
    .unwrap();
    let o = tlkc(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tlkc.toml:2:1"), "{}", stderr(&o));

    std::fs::write(
        dir.path().join("tlkc.toml"),
        "[[assign]]\npath = \"../../etc/passwd\"\ncriteria = [\"1.2.1\"]\n",
    )
    .unwrap();
    let o = tlkc(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("phải nằm trong thư mục tài liệu kiểm chứng"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_metric_outside_a_sane_range_is_a_located_error_never_inf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for (value, shown) in [("1e308", "1e308"), ("-12", "-12"), ("nan", "nan")] {
        std::fs::write(
            dir.path().join("tlkc.toml"),
            format!("as_of = \"2022-11-30\"\n[metrics]\n\"3.4.1\" = {{ value = {value}, unit = \"%\", source = \"Hệ thống TTHC\" }}\n"),
        )
        .unwrap();
        for args in [vec!["check", d, "--no-ocr"], vec!["submit", d, "--no-ocr"]] {
            let o = tlkc(&args);
            assert_eq!(o.status.code(), Some(2), "{value}: {}", stderr(&o));
            let err = stderr(&o);
            assert!(err.contains("tlkc.toml:3:11"), "{value}: {err}");
            assert!(err.contains(&format!("value {shown} ")), "{value}: {err}");
            assert!(!err.contains(" inf "), "{err}");
            assert!(stdout(&o).is_empty(), "no report for a bad config");
        }
    }
    assert!(
        !dir.path().join(".tlkc").exists(),
        "refused before the index"
    );
}

#[test]
fn misfiled_and_non_pdf_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("1.3.1 Kế hoạch");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("ke hoach.docx"), b"PK\x03\x04 not a pdf").unwrap();
    std::fs::write(sub.join("ke hoach kiem tra.pdf"), b"<html>404</html>").unwrap();
    std::fs::write(dir.path().join("lac.pdf"), b"%PDF-1.7\n%%EOF\n").unwrap();
    let o = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2022-11-30",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let find = |code: &str, path: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == code && f["path"].as_str() == Some(path))
    };
    assert!(find("EVD005", "1.3.1 Kế hoạch/ke hoach.docx"), "{v:#}");
    assert!(
        find("PDF001", "1.3.1 Kế hoạch/ke hoach kiem tra.pdf"),
        "{v:#}"
    );
    assert!(find("EVD003", "lac.pdf"), "{v:#}");
}

/// A file over `max_file_bytes` is hashed, never opened: PDF005 in the
/// officer's words, with the size; nothing claimed about what was not read.
#[test]
fn a_pdf_over_max_file_bytes_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("1.3.1 Kế hoạch");
    std::fs::create_dir(&sub).unwrap();
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(3 << 20, b' ');
    big.extend_from_slice(b"\n%%EOF\n");
    std::fs::write(sub.join("ke hoach.pdf"), &big).unwrap();
    std::fs::write(
        dir.path().join("tlkc.toml"),
        "[limits]\nmax_file_bytes = 1048576\n",
    )
    .unwrap();
    let o = tlkc(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2022-11-30",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let on_file: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str() == Some("1.3.1 Kế hoạch/ke hoach.pdf"))
        .collect();
    let codes: Vec<&str> = on_file.iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"PDF005"), "{codes:?}");
    for never in ["PDF001", "SIG001"] {
        assert!(
            !codes.contains(&never),
            "{never} on a file not read: {codes:?}"
        );
    }
    let pdf005 = on_file.iter().find(|f| f["code"] == "PDF005").unwrap();
    let msg = pdf005["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("nặng 3,0 MB, lớn hơn giới hạn 1,0 MB") && msg.contains("max_file_bytes"),
        "{msg}"
    );
}

#[test]
fn help_documents_exit_codes() {
    let o = tlkc(&["--lang", "en", "check", "--help"]);
    assert!(stdout(&o).contains("Exit codes"));
    assert!(stdout(&o).contains("2  tlkc could not do its job"));
    // Vietnamese by default, headings and all.
    let o = tlkc(&["check", "--help"]);
    let out = stdout(&o);
    assert!(out.contains("Mã thoát:"), "{out}");
    assert!(out.contains("2  tlkc không làm được việc"), "{out}");
    assert!(
        out.contains("Cách dùng: tlkc check") && out.contains("Tùy chọn:"),
        "{out}"
    );
    assert!(!out.contains("Options") && !out.contains("Usage"), "{out}");
    // A mistake on the command line, too.
    let o = tlkc(&["chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("có phải ý bạn là `check`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_trust_anchor_that_is_not_a_certificate_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("not-a-cert.pem"), "hello").unwrap();
    std::fs::write(
        dir.path().join("tlkc.toml"),
        "as_of = \"2022-11-30\"\n[trust]\nanchors = [\"not-a-cert.pem\"]\n",
    )
    .unwrap();
    let o = tlkc(&["check", dir.path().to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("tlkc.toml:3:11"), "{err}");
    assert!(err.contains("not an X.509 certificate"), "{err}");
    let o = tlkc(&[
        "inspect",
        "--trust-anchor",
        dir.path().join("not-a-cert.pem").to_str().unwrap(),
        "x.pdf",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--trust-anchor"), "{}", stderr(&o));
}

/// Without Tesseract, a run says once that OCR is unavailable and checks as
/// before; `--no-ocr` says nothing.
#[test]
fn missing_ocr_is_said_once_per_run() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["1.2.1/a.pdf", "1.2.1/b.pdf", "1.3.1/c.pdf"] {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"%PDF-1.4\n%%EOF\n").unwrap();
    }
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            dir.path().to_str().unwrap(),
            "--as-of",
            "2022-11-30",
            "--lang",
            "en",
        ];
        args.extend_from_slice(extra);
        crate::util::TestCommand::new()
            .args(&args)
            .env("TLKC_TESSERACT", "/nonexistent/tesseract")
            .output()
            .expect("run tlkc")
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("OCR unavailable").count(),
        1,
        "{}",
        stderr(&o)
    );
    let o = run(&["--no-ocr"]);
    assert!(!stderr(&o).contains("OCR"), "{}", stderr(&o));
}
