//! Hostile and broken input: every case finishes, with the expected
//! finding, and never panics. The corpus is generated here, deterministically.

use std::io::Write;
use std::time::{Duration, Instant};

use tlkc::inspect::guard::inspect_guarded;
use tlkc::inspect::InspectOptions;

/// Generous wall-clock ceiling per case on a shared 2-core machine; the
/// point is "finishes", not speed (no timing assertions beyond a hang guard).
const HANG_GUARD: Duration = Duration::from_secs(20);

fn pdf_with_objects(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{}\nendobj\n", i + 1, body).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn cases() -> &'static [(&'static str, Vec<u8>)] {
    static CASES: std::sync::OnceLock<Vec<(&'static str, Vec<u8>)>> = std::sync::OnceLock::new();
    CASES.get_or_init(build_cases)
}

fn build_cases() -> Vec<(&'static str, Vec<u8>)> {
    let page =
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>";
    let pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    let catalog = "<< /Type /Catalog /Pages 2 0 R >>";
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("zero-byte", vec![]),
        (
            "docx-renamed",
            b"PK\x03\x04\x14\x00\x06\x00word/document.xml".to_vec(),
        ),
        (
            "html-error-page",
            b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>".to_vec(),
        ),
        (
            "jpeg-renamed",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01".to_vec(),
        ),
        ("header-only", b"%PDF-1.7\n".to_vec()),
        (
            "garbage-after-header",
            [b"%PDF-1.4\n".as_slice(), &[0xffu8; 4096]].concat(),
        ),
    ];
    let content = "BT /F1 12 Tf 72 720 Td (So: 01/BC-UBND) Tj ET";
    v.push((
        "length-lie",
        pdf_with_objects(
            &[
                catalog,
                pages,
                page,
                &format!("<< /Length 99999 >>\nstream\n{content}\nendstream"),
            ],
            "",
        ),
    ));
    v.push((
        "xref-self-reference",
        pdf_with_objects(&["<< /Type /Catalog /Pages 1 0 R >>", "1 0 R", "2 0 R"], ""),
    ));
    v.push((
        "pages-cycle",
        pdf_with_objects(&[catalog, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"], ""),
    ));
    let deep_array = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    v.push((
        "deep-array",
        pdf_with_objects(&[catalog, pages, page, &deep_array], ""),
    ));
    let deep_dict = format!("{}{}", "<< /A ".repeat(20_000), ">>".repeat(20_000));
    v.push((
        "deep-dict",
        pdf_with_objects(&[catalog, pages, page, &deep_dict], ""),
    ));
    // 96 MiB of spaces deflates to well under 1 MiB: far beyond the 32 MiB stream limit once inflated.
    let bomb_plain = vec![b' '; 96 << 20];
    let bomb = deflate(&bomb_plain);
    let mut bomb_pdf = Vec::new();
    {
        let head = pdf_with_objects(&[catalog, pages, page], "");
        // Re-assemble with a binary stream object 4.
        let cut = head
            .windows(4)
            .position(|w| w == b"xref")
            .unwrap_or(head.len());
        bomb_pdf.extend_from_slice(&head[..cut]);
        let off4 = bomb_pdf.len();
        write!(
            bomb_pdf,
            "4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            bomb.len()
        )
        .unwrap();
        bomb_pdf.extend_from_slice(&bomb);
        bomb_pdf.extend_from_slice(b"\nendstream\nendobj\n");
        let xref = bomb_pdf.len();
        let offs: Vec<usize> = (1..=3)
            .map(|i| {
                let needle = format!("{i} 0 obj");
                head.windows(needle.len())
                    .position(|w| w == needle.as_bytes())
                    .unwrap_or(0)
            })
            .collect();
        write!(bomb_pdf, "xref\n0 5\n0000000000 65535 f \n").unwrap();
        for o in offs.iter().chain(std::iter::once(&off4)) {
            writeln!(bomb_pdf, "{o:010} 00000 n ").unwrap();
        }
        write!(
            bomb_pdf,
            "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .unwrap();
    }
    v.push(("flate-bomb", bomb_pdf));
    v.push((
        "objstm-cycle",
        pdf_with_objects(&[catalog, pages, page, "<< /Type /ObjStm /N 1 /First 4 /Extends 4 0 R /Length 8 >>\nstream\n4 0 4 0 R\nendstream"], ""),
    ));
    v.push((
        "encrypted-trailer",
        pdf_with_objects(
            &[
                catalog,
                pages,
                page,
                "<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>",
            ],
            "/Encrypt 4 0 R /ID [<00> <00>] ",
        ),
    ));
    v.push((
        "fake-signature-string",
        pdf_with_objects(
            &[
                catalog,
                pages,
                page,
                "<< /Length 40 >>\nstream\n(/ByteRange [0 1 2 3] /Contents <00>)\nendstream",
            ],
            "",
        ),
    ));
    v
}

#[test]
fn hostile_files_never_panic_or_hang() {
    let opts = InspectOptions::default();
    for (name, bytes) in cases() {
        let start = Instant::now();
        let facts = inspect_guarded(format!("{name}.pdf"), bytes, &opts);
        eprintln!(
            "{name}: {:?} error={:?} limit={:?}",
            start.elapsed(),
            facts.pdf.error,
            facts.pdf.limit_hit
        );
        let took = start.elapsed();
        assert!(took < HANG_GUARD, "{name} took {took:?}");
        assert!(
            !facts
                .pdf
                .error
                .as_deref()
                .unwrap_or("")
                .contains("internal error"),
            "{name}: inspection panicked"
        );
        // A fabricated /ByteRange string is never a signature that verifies.
        assert!(
            facts.signatures.iter().all(|s| !s.is_sound()),
            "{name}: fake signature counted as sound"
        );
    }
}

#[test]
fn hostile_folder_checks_every_file_and_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("1.3.1 Kế hoạch");
    std::fs::create_dir(&folder).unwrap();
    for (name, bytes) in cases() {
        std::fs::write(folder.join(format!("{name}.pdf")), bytes).unwrap();
    }
    // Names: NFD, a newline, a very long name.
    std::fs::write(
        folder.join("Ke\u{0302}\u{0301} hoa\u{0323}ch NFD.pdf"),
        b"x",
    )
    .unwrap();
    std::fs::write(folder.join("line\nbreak.pdf"), b"x").unwrap();
    std::fs::write(folder.join(format!("{}.pdf", "dài".repeat(60))), b"x").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::symlink;
        std::fs::write(
            folder.join(std::ffi::OsStr::from_bytes(b"bad-\xff-utf8.pdf")),
            b"x",
        )
        .unwrap();
        symlink(&folder, folder.join("loop")).unwrap();
        symlink("/etc/passwd", folder.join("escape.pdf")).unwrap();
    }
    let start = Instant::now();
    let out = crate::util::TestCommand::new()
        .args([
            "check",
            dir.path().to_str().unwrap(),
            "--as-of",
            "2022-11-30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(start.elapsed() < HANG_GUARD * 3);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let has = |code: &str, needle: &str| {
        findings
            .iter()
            .any(|f| f["code"] == code && f["path"].as_str().is_some_and(|p| p.contains(needle)))
    };
    assert!(has("PDF001", "zero-byte"));
    assert!(has("PDF001", "docx-renamed"));
    assert!(has("PDF002", "encrypted-trailer") || has("PDF001", "encrypted-trailer"));
    assert!(
        has("PDF005", "flate-bomb"),
        "the flate bomb is reported as too complex"
    );
    assert!(
        has("EVD008", "escape.pdf"),
        "symlink escaping the root must be reported"
    );
    assert!(has("EVD008", "loop"));
    assert!(
        findings.iter().any(|f| f["path"]
            .as_str()
            .is_some_and(|p| p.contains("Kế hoạch NFD"))),
        "NFD name must come out NFC"
    );
    assert!(
        findings
            .iter()
            .any(|f| f["path"].as_str().is_some_and(|p| p.contains('\u{FFFD}'))),
        "invalid UTF-8 shown lossily"
    );
    let files = v["summary"]["files"].as_u64().unwrap();
    assert!(
        files as usize >= cases().len() + 4,
        "every regular file inspected: {files}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_finding_not_a_failure() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("1.2.1 x.pdf");
    std::fs::write(&f, b"%PDF-1.7\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = crate::util::TestCommand::new();
    cmd.args(["check", dir.path().to_str().unwrap(), "--format", "json"]);
    if std::fs::read(&f).is_ok() {
        // Root reads any file: tlkc runs as `nobody` (65534), which cannot,
        // in a folder it may write its index into.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "PDF001"));
}
