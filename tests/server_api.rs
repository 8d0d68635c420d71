//! `tlkc server` end to end on the real binary (issue 27): a unit uploads
//! the sample folder and gets `tlkc check`'s own JSON report; another
//! unit's account is refused on every route; the province reads all and
//! changes nothing; names that would leave the upload and oversized
//! uploads are refused; concurrent uploads all land; a restart and a
//! backup keep everything.

use std::collections::BTreeMap;
use std::io::Write;

use super::server_util::{bearer, folder_parts, multipart, DataDir, Server, PASSWORD};
use super::util::{repo_path, TestCommand};

const UNIT: &str = "UBND huyện Đắk Glei";
const OTHER: &str = "UBND xã Đắk Môn";

struct Setup {
    data: DataDir,
    unit: String,
    other: String,
    unit_token: String,
    other_token: String,
    province_token: String,
}

fn setup(extra: &[&str]) -> Setup {
    let data = DataDir::new(extra);
    let unit = data.unit(UNIT);
    let other = data.unit(OTHER);
    data.user("dakglei", Some(UNIT));
    data.user("dakmon", Some(OTHER));
    data.user("so-noi-vu", None);
    Setup {
        unit_token: data.token("dakglei"),
        other_token: data.token("dakmon"),
        province_token: data.token("so-noi-vu"),
        data,
        unit,
        other,
    }
}

/// `tlkc check samples/dak-glei-2022 --format json` with a fresh index.
fn cli_report() -> serde_json::Value {
    let db = tempfile::tempdir().unwrap();
    let out = TestCommand::new()
        .current_dir(repo_path(""))
        .args([
            "check",
            "samples/dak-glei-2022",
            "--format",
            "json",
            "--no-ocr",
            "--db",
        ])
        .arg(db.path().join("tlkc.db"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The fields that must differ between the server's report and the
/// CLI's: `root` (the folder checked: the server's copy of the upload vs
/// the path typed on the command line). Nothing else is touched.
fn normalised(mut v: serde_json::Value) -> serde_json::Value {
    v["root"] = "ROOT".into();
    v
}

#[test]
fn a_unit_uploads_the_sample_and_gets_the_report_tlkc_check_gives() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let sample = repo_path("samples/dak-glei-2022");
    let parts = folder_parts(&sample);
    let r = server.upload(&s.unit, &s.unit_token, &parts);
    assert_eq!(r.status, 201, "{}", r.text());
    let created = r.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["files"].as_u64().unwrap() as usize, parts.len());
    let report_url = created["report_url"].as_str().unwrap().to_string();

    let auth = bearer(&s.unit_token);
    let h = [("Authorization", auth.as_str())];
    let by_id = server.get(&report_url, &h);
    assert_eq!(by_id.status, 200, "{}", by_id.text());
    let latest = server.get(&format!("/api/units/{}/report", s.unit), &h);
    assert_eq!(latest.status, 200);
    assert_eq!(latest.json(), by_id.json());
    let served = normalised(latest.json());
    assert_eq!(
        served,
        normalised(cli_report()),
        "server report differs from `tlkc check`"
    );
    assert_eq!(served["unit"], UNIT);
    assert_eq!(served["ready"], false);

    // The ledger lists the upload with every file's SHA-256.
    let log = server.get(&format!("/api/units/{}/log", s.unit), &h).json();
    let upload = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "upload" && e["details"]["upload"] == id)
        .expect("upload event");
    assert!(upload["time"].as_str().unwrap().ends_with("+07:00"));
    assert_eq!(upload["address"], "127.0.0.1");
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
    let expected: BTreeMap<String, String> = parts
        .iter()
        .map(|(p, b)| (tlkc::text::nfc(p), tlkc::hash::sha256_hex(b)))
        .collect();
    assert_eq!(logged, expected);

    // The province lists both units: the one checked, the one not uploaded yet.
    let ph = bearer(&s.province_token);
    let province = server
        .get("/api/province", &[("Authorization", ph.as_str())])
        .json();
    let names: Vec<&str> = province["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&UNIT) && names.contains(&OTHER), "{names:?}");
    assert_eq!(province["units_checked"], 1);
    let checked = &province["units"][0];
    assert_eq!(checked["name"], UNIT);
    assert_eq!(checked["summary"], served["summary"]);

    // The BagIt export holds every file and the reports.
    let bag = server.get(&format!("/api/units/{}/uploads/{id}/bag", s.unit), &h);
    assert_eq!(bag.status, 200);
    assert_eq!(bag.header("content-type"), Some("application/zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bag.body.clone())).unwrap();
    let manifest_name = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .find(|n| n.ends_with("/manifest-sha256.txt"))
        .unwrap();
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(&manifest_name).unwrap(), &mut manifest)
        .unwrap();
    for sha in expected.values() {
        assert!(
            manifest.contains(sha.as_str()),
            "{sha} not in the bag manifest"
        );
    }

    // The report page is tlkc check's HTML report; its file links download.
    let page = server.get(&format!("/units/{}/uploads/{id}/report.html", s.unit), &h);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Đắk Glei"));
    let (first, _) = &parts[0];
    let file = server.get(
        &format!(
            "/units/{}/uploads/{id}/files/{}",
            s.unit,
            first.replace(' ', "%20")
        ),
        &h,
    );
    assert_eq!(file.status, 200, "{first}");
    assert!(file
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));

    // A restart keeps everything.
    let stderr = server.stop();
    assert!(stderr.contains("đã dừng"), "{stderr}");
    let again = s.data.start(&[]);
    let after = again.get(&format!("/api/units/{}/report", s.unit), &h);
    assert_eq!(after.status, 200);
    assert_eq!(normalised(after.json()), served);
    let list = again
        .get(&format!("/api/units/{}/uploads", s.unit), &h)
        .json();
    assert_eq!(list["uploads"].as_array().unwrap().len(), 1);

    // A second upload of the same files stores nothing new.
    let objects = |dir: &std::path::Path| {
        walkdir::WalkDir::new(dir.join("store"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count()
    };
    let before = objects(&s.data.dir);
    let r = again.upload(&s.unit, &s.unit_token, &parts);
    assert_eq!(r.status, 201);
    assert_eq!(objects(&s.data.dir), before);
    let second = again.get(r.json()["report_url"].as_str().unwrap(), &h);
    assert_eq!(second.status, 200);
    let mut second = normalised(second.json());
    // The index reused every file's facts; nothing else differs.
    assert_eq!(second["summary"]["index"]["reused"], parts.len() - 2);
    second["summary"]["index"] = served["summary"]["index"].clone();
    assert_eq!(second, served);
}

/// Every route of a unit: (method, path, needs to change the unit).
fn unit_routes(unit: &str) -> Vec<(&'static str, String)> {
    vec![
        ("POST", format!("/api/units/{unit}/uploads")),
        ("GET", format!("/api/units/{unit}/uploads")),
        ("GET", format!("/api/units/{unit}/uploads/1")),
        ("GET", format!("/api/units/{unit}/uploads/1/report")),
        ("GET", format!("/api/units/{unit}/uploads/1/bag")),
        ("GET", format!("/api/units/{unit}/report")),
        ("GET", format!("/api/units/{unit}/log")),
        ("GET", format!("/units/{unit}")),
        ("GET", format!("/units/{unit}/uploads/1")),
        ("GET", format!("/units/{unit}/uploads/1/report.html")),
        ("GET", format!("/units/{unit}/uploads/1/diff")),
        ("GET", format!("/units/{unit}/uploads/1/files/tlkc.toml")),
    ]
}

fn small_folder() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "tlkc.toml".into(),
            b"unit = \"UBND huy\xe1\xbb\x87n \xc4\x90\xe1\xba\xafk Glei\"\nas_of = \"2022-11-30\"\n".to_vec(),
        ),
        (
            "1.2.1 Báo cáo CCHC/ghi chú.txt".into(),
            "không phải PDF".as_bytes().to_vec(),
        ),
    ]
}

#[test]
fn another_units_account_is_refused_on_every_route_and_the_province_only_reads() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let r = server.upload(&s.unit, &s.unit_token, &small_folder());
    assert_eq!(r.status, 201, "{}", r.text());
    let own = bearer(&s.unit_token);
    let wait = server.get(
        &format!("/api/units/{}/report", s.unit),
        &[("Authorization", own.as_str())],
    );
    assert_eq!(wait.status, 200, "{}", wait.text());
    let (ctype, body) = multipart(&small_folder());
    let send = |method: &str, path: &str, token: Option<&str>| {
        let auth = token.map(bearer).unwrap_or_default();
        let mut h = vec![];
        if token.is_some() {
            h.push(("Authorization", auth.as_str()));
        }
        match method {
            "POST" => {
                h.push(("Content-Type", ctype.as_str()));
                server.post(path, &h, &body)
            }
            _ => server.get(path, &h),
        }
    };
    for (method, path) in unit_routes(&s.unit) {
        let other = send(method, &path, Some(&s.other_token));
        assert_eq!(
            other.status,
            403,
            "{method} {path} as another unit: {}",
            other.text()
        );
        let nobody = send(method, &path, None);
        assert!(
            nobody.status == 401
                || (nobody.status == 303
                    && path.starts_with("/units/")
                    && !path.contains("/uploads")),
            "{method} {path} without login: {}",
            nobody.status
        );
        let own = send(method, &path, Some(&s.unit_token));
        assert!(
            own.status == 200 || own.status == 201,
            "{method} {path} as the unit: {} {}",
            own.status,
            own.text()
        );
        let province = send(method, &path, Some(&s.province_token));
        let expected = if method == "POST" { 403 } else { 200 };
        assert_eq!(province.status, expected, "{method} {path} as the province");
    }
    // Units unknown to a unit account are refused alike (nothing learnt).
    let probe = send("GET", "/api/units/khong-co/report", Some(&s.other_token));
    assert_eq!(probe.status, 403);
    // Province-only routes refuse unit accounts.
    for path in ["/api/province", "/province", "/province/export.xlsx"] {
        assert_eq!(send("GET", path, Some(&s.unit_token)).status, 403, "{path}");
        assert_eq!(
            send("GET", path, Some(&s.province_token)).status,
            200,
            "{path}"
        );
    }
    // Every refusal is in the ledger, with the address.
    let log = server
        .get(
            &format!("/api/units/{}/log", s.unit),
            &[("Authorization", own.as_str())],
        )
        .json();
    let refused = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "refused" && e["login"] == "dakmon")
        .count();
    assert!(refused >= unit_routes(&s.unit).len(), "{refused}");
    assert!(!s.other.is_empty());
}

#[test]
fn names_leaving_the_upload_are_refused_and_limits_answer_413_in_vietnamese() {
    let s = setup(&["--max-file-size", "64k", "--max-files", "5"]);
    let server = s.data.start(&[]);
    for bad in [
        "../../evil.pdf",
        "..\\evil.pdf",
        "/etc/evil.pdf",
        "C:\\Windows\\evil.pdf",
        "a/CON.pdf",
        "a\u{0}b.pdf",
    ] {
        let r = server.upload(&s.unit, &s.unit_token, &[(bad.to_string(), b"x".to_vec())]);
        assert_eq!(r.status, 400, "{bad:?}: {}", r.text());
        // A NUL cannot even stand in a multipart header: the part is
        // refused as malformed before its name is read.
        let said = r.json()["error"].as_str().unwrap().to_string();
        assert!(
            said.contains("bị từ chối") || (bad.contains('\0') && said.contains("lỗi")),
            "{bad:?}: {said}"
        );
    }
    // Nothing landed outside the data folder's store.
    assert!(!s.data.tmp.path().join("evil.pdf").exists());
    assert!(!s.data.dir.join("evil.pdf").exists());
    let stray = walkdir::WalkDir::new(s.data.tmp.path())
        .into_iter()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("evil"));
    assert!(!stray);

    // tlkc's own folder (a check run at home) rides along with the folder
    // picker: skipped, never stored as evidence or as the unit's index.
    let r = server.upload(
        &s.unit,
        &s.unit_token,
        &[
            (".tlkc/tlkc.db".into(), b"not the server's index".to_vec()),
            ("1.2.1/a.pdf".into(), b"%PDF-1.7 x".to_vec()),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["files"], 1, "only the evidence file is kept");

    let big = vec![b'%'; 100 * 1024];
    let r = server.upload(&s.unit, &s.unit_token, &[("a/big.pdf".into(), big)]);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("quá lớn"));
    let many: Vec<_> = (0..6)
        .map(|i| (format!("f{i}.txt"), b"x".to_vec()))
        .collect();
    let r = server.upload(&s.unit, &s.unit_token, &many);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("Quá nhiều tệp"));

    // A .zip: the same rules inside, and a bomb refused while inflating.
    let zip_of = |entries: &[(&str, &[u8])]| {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, b) in entries {
            w.start_file(*n, opts).unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    let z = zip_of(&[("../evil.pdf", b"x")]);
    let r = server.upload(&s.unit, &s.unit_token, &[("ho-so.zip".into(), z)]);
    assert_eq!(r.status, 400, "{}", r.text());
    let bomb = zip_of(&[("bom.pdf", &vec![0u8; 8 << 20])]);
    assert!(
        bomb.len() < 64 * 1024,
        "the bomb itself passes the size limit"
    );
    let r = server.upload(&s.unit, &s.unit_token, &[("ho-so.zip".into(), bomb)]);
    assert_eq!(r.status, 413, "{}", r.text());
    let good = zip_of(&[
        ("dak-glei/tlkc.toml", b"unit = \"A\"\n"),
        ("dak-glei/1.2.1 BC/ghi chu.txt", b"x"),
    ]);
    let r = server.upload(&s.unit, &s.unit_token, &[("ho-so.zip".into(), good)]);
    assert_eq!(r.status, 201, "{}", r.text());
    let own = bearer(&s.unit_token);
    let files = server.get(
        &format!(
            "/units/{}/uploads/{}/files/1.2.1%20BC/ghi%20chu.txt",
            s.unit,
            r.json()["id"]
        ),
        &[("Authorization", own.as_str())],
    );
    assert_eq!(
        files.status, 200,
        "zip entries keep their paths, top folder dropped"
    );
    // Refusals are logged.
    let log = server
        .get(
            &format!("/api/units/{}/log", s.unit),
            &[("Authorization", own.as_str())],
        )
        .json();
    let refusals = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "upload_refused")
        .count();
    assert!(refusals >= 10, "{refusals}");
}

#[test]
fn a_skipped_tlkc_folder_still_counts_against_the_upload_limit() {
    // `.tlkc/` parts are read and thrown away, not stored; their bytes are
    // still the upload's, so a skipped part cannot be an endless body.
    let s = setup(&["--max-upload-size", "64k"]);
    let server = s.data.start(&[]);
    let r = server.upload(
        &s.unit,
        &s.unit_token,
        &[
            (".tlkc/tlkc.db".into(), vec![0u8; 200 * 1024]),
            ("1.2.1/a.pdf".into(), b"%PDF-1.7 x".to_vec()),
        ],
    );
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("quá lớn"));
}

#[test]
fn twenty_concurrent_uploads_all_succeed() {
    let data = DataDir::new(&[]);
    let mut accounts = Vec::new();
    for i in 0..20 {
        let name = format!("UBND xã Thử {i:02}");
        let slug = data.unit(&name);
        let login = format!("xa{i:02}");
        data.user(&login, Some(&name));
        accounts.push((slug, data.token(&login)));
    }
    let server = data.start(&["--check-workers", "2"]);
    let ids: Vec<(String, String, i64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = accounts
            .iter()
            .enumerate()
            .map(|(i, (slug, token))| {
                let server = &server;
                scope.spawn(move || {
                    let parts: Vec<_> = (0..5)
                        .map(|f| {
                            (
                                format!("1.{f} Thư mục/tệp {i}-{f}.txt"),
                                format!("đơn vị {i}, tệp {f}").into_bytes(),
                            )
                        })
                        .collect();
                    let r = server.upload(slug, token, &parts);
                    assert_eq!(r.status, 201, "{}", r.text());
                    (
                        slug.clone(),
                        token.clone(),
                        r.json()["id"].as_i64().unwrap(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (slug, token, id) in &ids {
        let auth = bearer(token);
        let r = server.get(
            &format!("/api/units/{slug}/uploads/{id}/report"),
            &[("Authorization", auth.as_str())],
        );
        assert_eq!(r.status, 200, "{slug}: {}", r.text());
        assert_eq!(r.json()["summary"]["files"], 5);
    }
}

#[test]
fn login_sets_a_strict_cookie_checks_csrf_and_rate_limits() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let page = server.get("/login", &[]);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    assert!(!page.text().contains("<script>"), "no inline script");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let pre = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = pre.split_once('=').unwrap().1.to_string();
    let form = |csrf: &str, pw: &str| format!("login=dakglei&password={pw}&csrf={csrf}");
    // Without the login page's token: refused.
    let r = server.post(
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form("x", PASSWORD).as_bytes(),
    );
    assert_eq!(r.status, 403);
    let r = server.post(
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &pre),
        ],
        form(&token, PASSWORD).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = r
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.clone())
        .find(|v| v.starts_with("tlkc_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let home = server.get(&format!("/units/{}", s.unit), &[("Cookie", &session)]);
    assert_eq!(home.status, 200);
    assert!(home.text().contains("webkitdirectory"));
    // A browser upload with the cookie but without the CSRF token: refused.
    let (ctype, body) = multipart(&small_folder());
    let r = server.post(
        &format!("/api/units/{}/uploads", s.unit),
        &[
            ("Cookie", &session),
            ("Content-Type", &ctype),
            ("Origin", "http://evil.example"),
        ],
        &body,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("CSRF"));
    // The page's form without script: the session's token as the first
    // field, an empty .zip input beside the folder's files.
    let csrf = home
        .text()
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let boundary = "form-boundary-1";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    .into_bytes();
    let (_, files) = multipart(&small_folder());
    body.extend_from_slice(&files.replace_boundary("tlkc-test-boundary-7d3f", boundary));
    let r = server.post(
        &format!("/api/units/{}/uploads", s.unit),
        &[
            ("Cookie", &session),
            (
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            ),
            ("Origin", &server.base),
            ("Accept", "text/html,application/xhtml+xml"),
        ],
        &body,
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r
        .header("location")
        .unwrap()
        .starts_with(&format!("/units/{}/uploads/", s.unit)));
    // Five wrong passwords lock the account for a while, even with the right one.
    for _ in 0..5 {
        let r = server.post(
            "/api/login",
            &[("Content-Type", "application/json")],
            br#"{"login":"dakmon","password":"sai-mat-khau"}"#,
        );
        assert_eq!(r.status, 401);
    }
    let right = format!(r#"{{"login":"dakmon","password":"{PASSWORD}"}}"#);
    let r = server.post(
        "/api/login",
        &[("Content-Type", "application/json")],
        right.as_bytes(),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    let r = server.post(
        "/api/login",
        &[("Content-Type", "application/json")],
        format!(r#"{{"login":"dakglei","password":"{PASSWORD}"}}"#).as_bytes(),
    );
    assert_eq!(r.status, 200);
    let ph = bearer(&s.province_token);
    let _ = ph;
}

#[test]
fn a_backup_made_while_running_serves_the_same_reports() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let r = server.upload(&s.unit, &s.unit_token, &small_folder());
    assert_eq!(r.status, 201);
    let auth = bearer(&s.unit_token);
    let h = [("Authorization", auth.as_str())];
    let report = server.get(&format!("/api/units/{}/report", s.unit), &h);
    assert_eq!(report.status, 200);
    let out = s.data.tmp.path().join("backup");
    let done = TestCommand::new()
        .args(["server", "backup"])
        .arg(&s.data.dir)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    drop(server);
    let copy = Server::start(&out, &[]);
    let again = copy.get(&format!("/api/units/{}/report", s.unit), &h);
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), report.json());
    let file = copy.get(&format!("/units/{}/uploads/1/files/tlkc.toml", s.unit), &h);
    assert_eq!(file.status, 200);
}

#[test]
fn a_stop_finishes_the_running_check_and_a_units_toml_cannot_reach_the_servers_files() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let auth = bearer(&s.unit_token);
    let h = [("Authorization", auth.as_str())];
    // A unit's tlkc.toml naming the server's files: its trust anchors and
    // limits are the server's to set, never read.
    let mut parts = folder_parts(&repo_path("samples/dak-glei-2022"));
    for (name, bytes) in parts.iter_mut() {
        if name == "tlkc.toml" {
            let text = String::from_utf8(bytes.clone())
                .unwrap()
                .replace("../test-ca/root.pem", "/etc/passwd")
                + "\n[limits]\nmax_stream_bytes = 1\n";
            *bytes = text.into_bytes();
        }
    }
    let r = server.upload(&s.unit, &s.unit_token, &parts);
    assert_eq!(r.status, 201, "{}", r.text());
    let status_url = r.json()["status_url"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let st = server.get(&status_url, &h).json();
        if st["state"] == "checking" {
            break;
        }
        assert!(st["state"] == "queued", "{st}");
        assert!(
            std::time::Instant::now() < deadline,
            "the check never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    server.stop();
    // Restarted: the check was finished before the stop, not left half-done.
    let again = s.data.start(&[]);
    let st = again.get(&status_url, &h).json();
    assert_eq!(st["state"], "done", "{st}");
    // The unit is told its [trust] and [limits] were left unread, naming
    // its own tlkc.toml, not the server's folders.
    let notes = st["notes"].to_string();
    assert!(
        notes.contains("trust") && notes.contains("limits"),
        "{notes}"
    );
    assert!(
        notes.contains("tlkc.toml") && !notes.contains("units/1/work"),
        "{notes}"
    );
    let page = again
        .get(&format!("/units/{}/uploads/1", s.unit), &h)
        .text();
    assert!(page.contains("các thiết lập này được bỏ qua"), "{page}");
    let report = again
        .get(&format!("/api/units/{}/report", s.unit), &h)
        .json();
    assert_eq!(
        normalised(report)["summary"],
        normalised(cli_report())["summary"],
        "the server's anchors and limits, not the upload's"
    );
    // The unit is also found by its exact name and by its number.
    let by_name = again.get(
        "/api/units/UBND%20huy%E1%BB%87n%20%C4%90%E1%BA%AFk%20Glei/uploads",
        &h,
    );
    assert_eq!(by_name.status, 200, "{}", by_name.text());
    assert_eq!(again.get("/api/units/1/uploads", &h).status, 200);
}

#[test]
fn pages_are_vietnamese_without_inline_script() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let unit = bearer(&s.unit_token);
    let uh = [("Authorization", unit.as_str())];
    for _ in 0..2 {
        let r = server.upload(&s.unit, &s.unit_token, &small_folder());
        assert_eq!(r.status, 201);
        assert_eq!(
            server
                .get(r.json()["report_url"].as_str().unwrap(), &uh)
                .status,
            200
        );
    }
    let mut changed = small_folder();
    changed[1].1 = b"khac".to_vec();
    changed.push(("2.1 Moi/moi.txt".into(), b"moi".to_vec()));
    let r = server.upload(&s.unit, &s.unit_token, &changed);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        server
            .get(r.json()["report_url"].as_str().unwrap(), &uh)
            .status,
        200
    );
    let province = bearer(&s.province_token);
    let ph = [("Authorization", province.as_str())];
    let pages = [
        (
            format!("/units/{}", s.unit),
            &uh,
            vec!["Các lần tải lên", "webkitdirectory", "Chưa sẵn sàng"],
        ),
        (
            format!("/units/{}/uploads/{id}", s.unit),
            &uh,
            vec!["lần tải lên số", "BagIt"],
        ),
        (
            format!("/units/{}/uploads/{id}/diff", s.unit),
            &uh,
            vec!["Tệp mới (1)", "Tệp đã thay đổi (1)", "2.1 Moi/moi.txt"],
        ),
        (
            "/province".to_string(),
            &ph,
            vec!["Xếp hạng", "Đơn vị chưa tải lên (1)", OTHER, UNIT],
        ),
        ("/rules".to_string(), &uh, vec!["kon-tum-2022-huyen"]),
        ("/rules/1.2.1".to_string(), &uh, vec!["1.2.1"]),
    ];
    for (path, h, words) in pages {
        let r = server.get(&path, h);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        let html = r.text();
        for w in words {
            assert!(html.contains(w), "{path} lacks {w:?}");
        }
        let inline = html.matches("<script").count() - html.matches("<script src=").count();
        assert_eq!(inline, 0, "{path} has an inline script");
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{path}"
        );
    }
    let js = server.get("/static/upload.js", &[]);
    assert_eq!(js.status, 200);
    assert!(js.text().contains("webkitRelativePath"));
    let xlsx = server.get("/province/export.xlsx", &ph);
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "an xlsx is a zip");
}

trait ReplaceBoundary {
    fn replace_boundary(&self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceBoundary for Vec<u8> {
    fn replace_boundary(&self, from: &str, to: &str) -> Vec<u8> {
        String::from_utf8(self.clone())
            .unwrap()
            .replace(from, to)
            .into_bytes()
    }
}
