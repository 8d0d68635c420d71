//! `tlkc server` in a real browser (issue 27, item 7): headless Chromium,
//! driven over the DevTools protocol ([`super::cdp`]), against the real
//! binary's server on loopback. A unit's officer logs in through the login
//! form, picks the sample folder in the folder picker, watches the upload
//! and the check, and reads the report, whose verdict must be the one
//! `tlkc check` gives on the same folder; a second unit's account is
//! refused on the first unit's pages and API and uploads a .zip; the Sở's
//! account sees both units in the ranking. No page may log a console
//! error, an uncaught exception or a Content-Security-Policy violation
//! (the CSP forbids inline script); a deliberate inline script at the end
//! proves such a violation would be seen.
//!
//! The folder picker: CDP's `DOM.setFileInputFiles` on an
//! `<input type=file webkitdirectory>` takes the FOLDER's path, not its
//! files: Chromium then lists the folder itself, as its file chooser does,
//! and every file gets `webkitRelativePath` = "folder/sub/file". Handing
//! it the files one by one selects nothing on such an input (tried on
//! Chromium 156). So the test sets the folder, the honest route, and checks
//! that the relative paths the page sees, and those the server's ledger
//! records, are the folder's own.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::cdp::{js, Browser, Tab};
use super::server_util::{bearer, folder_parts, DataDir, Server, PASSWORD};
use super::util::{repo_path, TestCommand};

const UNIT: &str = "UBND huyện Đắk Glei";
const OTHER: &str = "UBND xã Đắk Môn";
/// Upload + check of the sample in a debug build on a busy 2-core machine.
const CHECKED: Duration = Duration::from_secs(240);

/// Copy `src` to `dest` (the folder the officer picks), leaving out a
/// `.tlkc/` someone's local `tlkc check` may have written there.
fn copy_folder(src: &Path, dest: &Path) {
    for e in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".tlkc")
    {
        let e = e.unwrap();
        let to = dest.join(e.path().strip_prefix(src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// `folder` zipped as Windows' "Send to → Compressed folder" does: every
/// entry under the folder's own name.
fn zip_folder(folder: &Path, out: &Path) {
    use std::io::Write;
    let top = folder.file_name().unwrap().to_string_lossy().into_owned();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (rel, bytes) in folder_parts(folder) {
        w.start_file(format!("{top}/{rel}"), opts).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

/// `tlkc check FOLDER --no-ocr` (the server runs with --no-ocr too) with a
/// fresh index: its JSON report and its HTML report written to `html`.
fn cli_check(folder: &Path, html: &Path) -> Value {
    let db = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out = TestCommand::new()
            .arg("check")
            .arg(folder)
            .args(["--format", format, "--no-ocr", "--no-progress", "--db"])
            .arg(db.path().join("tlkc.db"))
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "tlkc check: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    std::fs::write(html, run("html")).unwrap();
    serde_json::from_slice(&run("json")).unwrap()
}

/// The verdict block of the report shown: (class, text as rendered).
fn verdict(tab: &Tab) -> (String, String) {
    let v = tab
        .eval(
            "(() => { const h = document.querySelector('header.verdict'); \
             return h ? [h.className, h.innerText] : null; })()",
        )
        .unwrap();
    assert!(v.is_array(), "no verdict on {}: {}", tab.path(), tab.text());
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_str().unwrap().to_string(),
    )
}

fn file_url(p: &Path) -> String {
    format!(
        "file://{}",
        tlkc::report::escape::uri_path(&p.to_string_lossy())
    )
}

/// The verdict `tlkc check` renders in its HTML report, read by the same browser.
fn cli_verdict(browser: &Browser, html: &Path) -> (String, String) {
    let tab = browser.tab();
    tab.goto(&file_url(html));
    verdict(&tab)
}

/// Log in through the login form, as a person does.
fn log_in(server: &Server, tab: &Tab, login: &str, home: &str) {
    tab.goto(&format!("{}/", server.base));
    // "/" sends a stranger to the login page.
    assert_eq!(tab.path(), "/login");
    tab.type_into("input[name=login]", login);
    tab.type_into("input[name=password]", PASSWORD);
    tab.click("form button[type=submit]");
    tab.wait_until(
        &format!(
            "location.pathname === {} && document.readyState === 'complete'",
            js(home)
        ),
        &format!("{login} lands on {home} after logging in"),
        Duration::from_secs(60),
    );
}

/// Pick `folder` (or a .zip) in the unit page's form, send it, and wait
/// for the report; returns the upload's page path (the progress page).
fn upload_and_wait(tab: &Tab, slug: &str, input: &str, path: &Path) -> String {
    let before = tab.visited().len();
    tab.set_files(input, &[path]);
    tab.click("#upload button[type=submit]");
    tab.wait_until(
        "location.pathname.endsWith('/report.html') && document.readyState === 'complete' \
         && document.querySelector('header.verdict') !== null",
        "the report after uploading and checking",
        CHECKED,
    );
    // The way there: the upload's progress page (which polls the check;
    // reloaded now and then), then the report.
    let visited: Vec<String> = tab.visited()[before..]
        .iter()
        .map(|u| {
            u.split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                .unwrap_or_default()
        })
        .collect();
    let (report, progress) = visited.split_last().unwrap();
    let page = progress
        .first()
        .unwrap_or_else(|| panic!("no progress page before the report: {visited:?}"));
    assert!(
        page.starts_with(&format!("/units/{slug}/uploads/")),
        "{visited:?}"
    );
    assert!(progress.iter().all(|p| p == page), "{visited:?}");
    assert_eq!(*report, format!("{page}/report.html"));
    page.clone()
}

fn assert_clean(tab: &Tab, who: &str) {
    let problems = tab.problems();
    assert!(
        problems.is_empty(),
        "{who}: console errors, exceptions or CSP violations: {problems:#?}"
    );
}

#[test]
fn officers_upload_and_read_reports_in_a_real_browser() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let data = DataDir::new(&[]);
    let a = data.unit(UNIT);
    let b = data.unit(OTHER);
    data.user("dakglei", Some(UNIT));
    data.user("dakmon", Some(OTHER));
    data.user("so-noi-vu", None);
    let token_a = data.token("dakglei");
    let server = data.start(&[]);

    // The folder the officer picks, under its own name as on the disk; the
    // samples' test CA beside it, where their tlkc.toml names it for
    // `tlkc check` (the server has it from `server init --trust-anchor`).
    let disk = tempfile::tempdir().unwrap();
    copy_folder(&repo_path("samples/test-ca"), &disk.path().join("test-ca"));
    let folder = disk.path().join("dak-glei-2022");
    copy_folder(&repo_path("samples/dak-glei-2022"), &folder);
    let parts = folder_parts(&folder);
    let cli = cli_check(&folder, &disk.path().join("cli-2022.html"));

    // ---- unit A: log in, pick the folder, upload, watch, read the verdict.
    let tab_a = browser.tab();
    log_in(&server, &tab_a, "dakglei", &format!("/units/{a}"));
    tab_a.set_files("#folder", &[folder.as_path()]);
    // Chromium lists the folder in the background, as after the chooser.
    tab_a.wait_until(
        &format!(
            "document.getElementById('folder').files.length === {}",
            parts.len()
        ),
        "the picked folder's files",
        Duration::from_secs(30),
    );
    let picked = tab_a
        .eval("Array.from(document.getElementById('folder').files).map(f => f.webkitRelativePath)")
        .unwrap();
    let mut picked: Vec<String> = picked
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    picked.sort();
    let mut expected: Vec<String> = parts
        .iter()
        .map(|(p, _)| format!("dak-glei-2022/{p}"))
        .collect();
    expected.sort();
    assert_eq!(picked, expected, "the folder picker's relative paths");
    let progress_page = upload_and_wait(&tab_a, &a, "#folder", &folder);
    let id: i64 = progress_page.rsplit('/').next().unwrap().parse().unwrap();

    let shown = verdict(&tab_a);
    let from_cli = cli_verdict(&browser, &disk.path().join("cli-2022.html"));
    assert_eq!(shown, from_cli, "verdict shown vs `tlkc check`'s");
    assert_eq!(
        shown.0.contains("not-ready"),
        cli["ready"] == false,
        "{shown:?} vs ready = {}",
        cli["ready"]
    );
    assert!(shown.1.contains("CHƯA SẴN SÀNG NỘP"), "{}", shown.1);
    assert!(shown.1.contains(UNIT), "{}", shown.1);

    // The relative paths arrived: the ledger lists every file of the folder
    // under its path, with its SHA-256.
    let log = server
        .get(
            &format!("/api/units/{a}/log"),
            &[("Authorization", &bearer(&token_a))],
        )
        .json();
    let upload = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "upload" && e["details"]["upload"] == id)
        .expect("the upload in the ledger");
    let logged: BTreeMap<String, String> = upload["details"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let sent: BTreeMap<String, String> = parts
        .iter()
        .map(|(p, bytes)| (tlkc::text::nfc(p), tlkc::hash::sha256_hex(bytes)))
        .collect();
    assert_eq!(logged, sent);

    // The unit's page lists the upload as checked.
    tab_a.goto(&format!("{}/units/{a}", server.base));
    let home = tab_a.text();
    assert!(home.contains("Các lần tải lên"), "{home}");
    assert!(
        tab_a
            .eval(&format!(
                "document.querySelector('a[href=\"/units/{a}/uploads/{id}/report.html\"]') !== null"
            ))
            .unwrap()
            == Value::Bool(true),
        "no report link on the unit page: {home}"
    );
    assert_clean(&tab_a, "unit A");

    // ---- unit B: refused on every page and API route of unit A.
    let tab_b = browser.tab();
    log_in(&server, &tab_b, "dakmon", &format!("/units/{b}"));
    let refusal = "không có quyền";
    for page in [
        format!("/units/{a}"),
        format!("/units/{a}/uploads/{id}"),
        format!("/units/{a}/uploads/{id}/report.html"),
        format!("/units/{a}/uploads/{id}/diff"),
        format!("/units/{a}/uploads/{id}/files/tlkc.toml"),
    ] {
        tab_b.goto(&format!("{}{page}", server.base));
        assert_eq!(tab_b.status(), 403, "{page}: {}", tab_b.text());
        let text = tab_b.text();
        assert!(text.contains(refusal), "{page}: {text}");
        assert!(!text.contains("SẴN SÀNG"), "{page} shows a report: {text}");
    }
    tab_b.goto(&format!("{}/units/{b}", server.base));
    // The API from B's own page, with B's session cookie and CSRF token.
    let api = tab_b
        .eval(&format!(
            r#"(async () => {{
                const csrf = document.getElementById('upload').dataset.csrf;
                const out = {{}};
                for (const p of ["/api/units/{a}/report", "/api/units/{a}/uploads", "/api/units/{a}/uploads/{id}",
                                 "/api/units/{a}/uploads/{id}/report", "/api/units/{a}/uploads/{id}/bag",
                                 "/api/units/{a}/log"]) {{
                    out["GET " + p] = (await fetch(p, {{ headers: {{ "Accept": "application/json" }} }})).status;
                }}
                const form = new FormData();
                form.append("csrf", csrf);
                form.append("file", new Blob(["x"]), "1.2.1 Báo cáo CCHC/giả.pdf");
                out["POST /api/units/{a}/uploads"] = (await fetch("/api/units/{a}/uploads",
                    {{ method: "POST", body: form, headers: {{ "X-CSRF-Token": csrf, "Accept": "application/json" }} }})).status;
                return out;
            }})()"#
        ))
        .unwrap();
    let api = api.as_object().unwrap();
    assert_eq!(api.len(), 7);
    for (route, status) in api {
        assert_eq!(status, 403, "{route}");
    }
    // A's uploads are untouched by B's attempt.
    let listed = server
        .get(
            &format!("/api/units/{a}/uploads"),
            &[("Authorization", &bearer(&token_a))],
        )
        .json();
    assert_eq!(listed["uploads"].as_array().unwrap().len(), 1);

    // B uploads its own folder as a .zip through the page.
    let ready_folder = disk.path().join("dak-glei-2023-ready");
    copy_folder(&repo_path("samples/dak-glei-2023-ready"), &ready_folder);
    // Its tlkc.toml names its own unit (the sample's names Đắk Glei).
    let toml = ready_folder.join("tlkc.toml");
    let own = std::fs::read_to_string(&toml).unwrap().replace(
        &format!("unit = \"{UNIT}\""),
        &format!("unit = \"{OTHER}\""),
    );
    assert!(own.contains(OTHER));
    std::fs::write(&toml, own).unwrap();
    let zip = disk.path().join("dak-glei-2023-ready.zip");
    zip_folder(&ready_folder, &zip);
    let cli_b = cli_check(&ready_folder, &disk.path().join("cli-2023.html"));
    upload_and_wait(&tab_b, &b, "#zip", &zip);
    let shown_b = verdict(&tab_b);
    assert_eq!(
        shown_b,
        cli_verdict(&browser, &disk.path().join("cli-2023.html")),
        "unit B's verdict vs `tlkc check`'s"
    );
    assert_eq!(shown_b.0.contains("not-ready"), cli_b["ready"] == false);
    // The refusals are 403 documents (the browser logs each failed load);
    // anything else is a problem.
    let problems: Vec<String> = tab_b
        .problems()
        .into_iter()
        .filter(|p| !(p.starts_with("log error (network)") && p.contains("403")))
        .collect();
    assert!(problems.is_empty(), "unit B: {problems:#?}");

    // ---- the Sở: both units in the ranking, each linked to its latest report.
    let tab_p = browser.tab();
    log_in(&server, &tab_p, "so-noi-vu", "/province");
    let ranking = tab_p
        .eval(
            "Array.from(document.querySelectorAll('table')[0].querySelectorAll('tbody tr'))\
             .map(tr => [tr.cells[1].innerText, tr.querySelector('a[href$=\"report.html\"]')?.getAttribute('href') ?? ''])",
        )
        .unwrap();
    let ranking: BTreeMap<String, String> = ranking
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        ranking.keys().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut v = vec![UNIT, OTHER];
            v.sort();
            v
        },
        "{}",
        tab_p.text()
    );
    assert!(tab_p.text().contains("Tất cả đơn vị đã tải lên"));
    // The Sở reads unit A's latest report from the ranking.
    let link = &ranking[UNIT];
    assert!(link.starts_with(&format!("/units/{a}/")), "{link}");
    tab_p.click(&format!("a[href={}]", js(link)));
    tab_p.wait_until(
        "location.pathname.endsWith('/report.html') && document.querySelector('header.verdict') !== null",
        "the Sở opens unit A's report",
        Duration::from_secs(60),
    );
    assert_eq!(verdict(&tab_p), shown);
    // The Sở reads and changes nothing: it has no upload form on a unit's page.
    tab_p.goto(&format!("{}/units/{a}", server.base));
    assert_eq!(tab_p.status(), 200);
    assert_eq!(
        tab_p
            .eval("document.getElementById('upload') === null")
            .unwrap(),
        Value::Bool(true)
    );
    assert_clean(&tab_p, "the Sở");

    // The watcher sees what it must catch: an inline script, refused by the CSP.
    tab_p
        .eval("const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.appendChild(s); 1")
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while tab_p.problems().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        tab_p.eval("window.ran === undefined").unwrap(),
        Value::Bool(true)
    );
    let seen = tab_p.problems();
    assert!(
        seen.iter().any(|p| p.contains("Content Security Policy")),
        "an inline script ran unseen: {seen:#?}"
    );
    server.stop();
}
