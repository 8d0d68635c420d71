//! The HTML report in a real browser: headless Chromium renders the fixed
//! report, the Vietnamese text of a known finding must be in the DOM and the
//! console must stay silent. Skipped (with a message) without Chromium, a
//! failure under `CI=true` (`util::missing`); `.ci/run` installs it. `UPDATE_SCREENSHOT=1` also rewrites
//! docs/report-screenshot.png.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture;
use tlkc::report::{self, Format, Options};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

fn headless(bin: &Path, profile: &Path) -> Command {
    // `timeout` keeps a wedged browser from hanging the test suite.
    let mut c = Command::new("timeout");
    c.arg("120").arg(bin).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn file_url(p: &Path) -> String {
    format!(
        "file://{}",
        tlkc::report::escape::uri_path(&p.to_string_lossy())
    )
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        crate::util::missing(
            "chromium (headless browser)",
            "apt-get install chromium fonts-noto-core, or set CHROMIUM=/path/to/chromium",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("báo cáo.html");
    let mut html = Vec::new();
    let opts = Options {
        explanations: true,
        ..Default::default()
    };
    report::render_with(Format::Html, &fixture::report(), &opts, &mut html).unwrap();
    std::fs::write(&page, &html).unwrap();

    let profile = tempfile::tempdir().unwrap();
    let out = headless(&bin, profile.path())
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(file_url(&page))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    assert!(dom.contains("CHƯA SẴN SÀNG NỘP"), "{dom}");
    assert!(
        dom.contains(
            "văn bản số 45/BC-UBND ban hành ngày 20/3/2022, trễ 6 ngày so với hạn 14/3/2022"
        ),
        "{dom}"
    );
    assert!(
        dom.contains("ghi chú &lt;nháp&gt; &amp;"),
        "escaping lost: {dom}"
    );
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console output: {console:#?}");

    if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        let shot = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/report-screenshot.png");
        let status = headless(&bin, profile.path())
            .arg(format!("--screenshot={}", shot.display()))
            .arg("--window-size=1240,1754")
            .arg(file_url(&page))
            .status()
            .unwrap();
        assert!(status.success());
    }
}
