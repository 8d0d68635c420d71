//! `tlkc server` seen by an attacker, on the real binary: each test here
//! failed on the server as first written. Cookie-authenticated API calls
//! without the CSRF token, names that collide on the officer's Windows
//! disk or in the check's folder, an upload that stalls (slow-loris) or
//! keeps sending after its 413, a zip declaring millions of entries.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::server_util::{bearer, multipart, DataDir, Server, PASSWORD};

const UNIT: &str = "UBND huyện Đắk Glei";

struct Setup {
    data: DataDir,
    unit: String,
    token: String,
}

fn setup(extra: &[&str]) -> Setup {
    let data = DataDir::new(extra);
    let unit = data.unit(UNIT);
    data.user("dakglei", Some(UNIT));
    Setup {
        token: data.token("dakglei"),
        data,
        unit,
    }
}

fn small_folder() -> Vec<(String, Vec<u8>)> {
    vec![
        ("tlkc.toml".into(), b"as_of = \"2022-11-30\"\n".to_vec()),
        (
            "1.2.1 Báo cáo CCHC/ghi chú.txt".into(),
            "không phải PDF".as_bytes().to_vec(),
        ),
    ]
}

/// `/api/login`: the session cookie ("name=value") and its CSRF token.
fn api_login(server: &Server) -> (String, String) {
    let body = serde_json::json!({ "login": "dakglei", "password": PASSWORD }).to_string();
    let r = server.post(
        "/api/login",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (cookie, r.json()["csrf"].as_str().unwrap().to_string())
}

#[test]
fn cookie_authenticated_api_posts_need_the_csrf_token_whatever_the_headers() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let (cookie, csrf) = api_login(&server);
    let (ctype, body) = multipart(&small_folder());
    let path = format!("/api/units/{}/uploads", s.unit);
    // No Origin, no Sec-Fetch-Site (an older browser, a stripping proxy):
    // the cookie alone does not upload.
    let r = server.post(
        &path,
        &[("Cookie", &cookie), ("Content-Type", &ctype)],
        &body,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("CSRF"), "{}", r.text());
    let r = server.post(
        &path,
        &[
            ("Cookie", &cookie),
            ("Content-Type", &ctype),
            ("X-CSRF-Token", &csrf),
        ],
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // Logging out through the API: the same.
    let r = server.post("/api/logout", &[("Cookie", &cookie)], b"");
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(server.get("/api/units", &[("Cookie", &cookie)]).status, 200);
    let r = server.post(
        "/api/logout",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        b"",
    );
    assert_eq!(r.status, 204, "{}", r.text());
    // Ended on the server: the old cookie opens nothing.
    assert_eq!(server.get("/api/units", &[("Cookie", &cookie)]).status, 401);
    // A bearer token needs no CSRF token (no browser sends it by itself).
    let r = server.upload(&s.unit, &s.token, &small_folder());
    assert_eq!(r.status, 201, "{}", r.text());
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (n, b) in entries {
        w.start_file(*n, opts).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn names_colliding_on_windows_or_as_file_and_folder_are_refused() {
    let s = setup(&["--max-files", "5"]);
    let server = s.data.start(&[]);
    let part = |n: &str| (n.to_string(), b"x".to_vec());
    for (names, said) in [
        // One file on the officer's Windows disk.
        (vec!["1.2.1/A.pdf", "1.2.1/a.pdf"], "hai lần"),
        (vec!["Đơn/x.pdf", "đơn/x.pdf"], "hai lần"),
        // NFD and NFC spellings of one name.
        (vec!["Ba\u{301}o ca\u{301}o.pdf", "Báo cáo.pdf"], "hai lần"),
        // A file and a folder of one name: the check's folder cannot hold both.
        (vec!["x", "x/y.pdf"], "tệp"),
        (vec!["x/y.pdf", "X"], "vừa là thư mục vừa là tệp"),
    ] {
        let parts: Vec<_> = names.iter().map(|n| part(n)).collect();
        let r = server.upload(&s.unit, &s.token, &parts);
        assert_eq!(r.status, 400, "{names:?}: {}", r.text());
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(said), "{names:?}: {msg}");
    }
    // A path deeper than any folder copied from Windows (each part within
    // 255 bytes, the whole past what the check's folder can hold).
    let deep = format!(
        "{}a.pdf",
        format!("{}/", "thư mục tài liệu".repeat(10)).repeat(20)
    );
    let r = server.upload(&s.unit, &s.token, &[part(&deep)]);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("dài quá"), "{}", r.text());
    // Inside a zip: the same.
    let z = zip_of(&[("ho-so/1.2.1/A.pdf", b"x"), ("ho-so/1.2.1/a.pdf", b"y")]);
    let r = server.upload(&s.unit, &s.token, &[("ho-so.zip".into(), z)]);
    assert_eq!(r.status, 400, "{}", r.text());
    let z = zip_of(&[("x", b"x"), ("x/y.pdf", b"y")]);
    let r = server.upload(&s.unit, &s.token, &[("ho-so.zip".into(), z)]);
    assert_eq!(r.status, 400, "{}", r.text());
    // Nothing was accepted to fail later in the check.
    let list = server
        .get(
            &format!("/api/units/{}/uploads", s.unit),
            &[("Authorization", &bearer(&s.token))],
        )
        .json();
    assert_eq!(list["uploads"].as_array().unwrap().len(), 0, "{list}");
}

#[test]
fn a_zip_declaring_more_entries_than_allowed_is_refused_before_its_directory_is_read() {
    let s = setup(&["--max-files", "5"]);
    let server = s.data.start(&[]);
    // One real entry; the end-of-directory record claims 60 000 (a zip of
    // millions of empty entries is read whole into memory by the reader).
    let mut z = zip_of(&[("a.pdf", b"x")]);
    let eocd = z
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])
        .unwrap();
    for at in [eocd + 8, eocd + 10] {
        z[at..at + 2].copy_from_slice(&60000u16.to_le_bytes());
    }
    let r = server.upload(&s.unit, &s.token, &[("ho-so.zip".into(), z)]);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("Quá nhiều tệp"), "{}", r.text());
}

/// Send `head` + `body` on a raw connection (never finishing the declared
/// body), then read the answer within `wait`: (status line, the rest).
fn stalled_request(server: &Server, head: &str, body: &[u8], wait: Duration) -> (String, String) {
    let addr = server.base.trim_start_matches("http://");
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(wait)).unwrap();
    sock.write_all(head.as_bytes()).unwrap();
    // The server may answer (and close) before everything is written.
    let _ = sock.write_all(body);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let started = Instant::now();
    loop {
        match sock.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if String::from_utf8_lossy(&got).contains("\"error\"") {
                    break;
                }
            }
            Err(e) => panic!(
                "no answer after {:?}: {e}; got {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&got)
            ),
        }
    }
    let text = String::from_utf8_lossy(&got).into_owned();
    let (status, rest) = text.split_once("\r\n").unwrap_or((&text, ""));
    (status.to_string(), rest.to_string())
}

fn upload_head(unit: &str, token: &str, length: u64) -> String {
    format!(
        "POST /api/units/{unit}/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b0undary\r\n\
         Content-Length: {length}\r\n\r\n"
    )
}

#[test]
fn a_stalled_upload_is_cut_off_and_a_refused_one_is_not_read_to_its_end() {
    let s = setup(&["--max-file-size", "64k"]);
    let server = s.data.start(&["--idle-timeout", "2"]);
    let part =
        b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n";
    // Slow-loris: a body that promises 10 MB and stops after a few bytes.
    let mut body = part.to_vec();
    body.extend_from_slice(b"%PDF-1.4 ");
    let (status, rest) = stalled_request(
        &server,
        &upload_head(&s.unit, &s.token, 10 << 20),
        &body,
        Duration::from_secs(30),
    );
    assert!(status.contains(" 400 "), "{status} {rest}");
    assert!(rest.contains("giây"), "{rest}");
    // Over the per-file limit and then stalled: answered 413 without
    // waiting for (or reading) the promised gigabyte, and the connection
    // is closed.
    let mut body = part.to_vec();
    body.extend(std::iter::repeat_n(b'%', 200 * 1024));
    let (status, rest) = stalled_request(
        &server,
        &upload_head(&s.unit, &s.token, 1 << 30),
        &body,
        Duration::from_secs(30),
    );
    assert!(status.contains(" 413 "), "{status} {rest}");
    assert!(
        rest.to_ascii_lowercase().contains("connection: close"),
        "{rest}"
    );
    // Nothing half-received is left behind.
    let tmp = s.data.dir.join("tmp");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(&tmp).unwrap().count() > 0 {
        assert!(Instant::now() < deadline, "tmp/ not emptied");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The server still serves.
    let r = server.upload(&s.unit, &s.token, &small_folder());
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn logins_sent_at_once_cannot_outrun_the_rate_limit() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    // 30 wrong passwords for one account, all at the same moment: the
    // limit (5 per account) holds although none has been verified yet
    // when the others arrive.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..30)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    let body = serde_json::json!({ "login": "dakglei", "password": format!("sai-mat-khau-{i}") })
                        .to_string();
                    server
                        .post(
                            "/api/login",
                            &[("Content-Type", "application/json")],
                            body.as_bytes(),
                        )
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let tried = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(tried + throttled, 30, "{statuses:?}");
    assert!(tried <= 5, "{tried} passwords tried: {statuses:?}");
    // The right password is throttled too now (the account is under attack).
    let body = serde_json::json!({ "login": "dakglei", "password": PASSWORD }).to_string();
    let r = server.post(
        "/api/login",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 429, "{}", r.text());
}

#[test]
fn names_and_titles_an_upload_carries_are_escaped_on_every_page_and_header() {
    let data = DataDir::new(&[]);
    let unit = data.unit(UNIT);
    data.user("dakglei", Some(UNIT));
    data.user("so-noi-vu", None);
    let token = data.token("dakglei");
    let province = data.token("so-noi-vu");
    let server = data.start(&[]);
    // (A `"` cannot travel in a multipart file name: browsers send `%22`.)
    let evil = "1.2.1 <b>in đậm/a'b;<i>x.pdf";
    let parts = vec![
        (
            "tlkc.toml".to_string(),
            b"unit = \"<i>don vi</i>\"\nas_of = \"2022-11-30\"\n".to_vec(),
        ),
        (
            evil.to_string(),
            b"%PDF-1.4\n1 0 obj<</Title(<script>t</script>)>>endobj\n%%EOF\n".to_vec(),
        ),
    ];
    let r = server.upload(&unit, &token, &parts);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let own = bearer(&token);
    let done = server.get(
        &format!("/api/units/{unit}/report"),
        &[("Authorization", own.as_str())],
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let pro = bearer(&province);
    for (path, who) in [
        (format!("/units/{unit}"), &own),
        (format!("/units/{unit}/uploads/{id}"), &own),
        (format!("/units/{unit}/uploads/{id}/report.html"), &own),
        (format!("/units/{unit}/uploads/{id}/diff"), &own),
        ("/province".to_string(), &pro),
        ("/province/report.html".to_string(), &pro),
    ] {
        let page = server.get(&path, &[("Authorization", who.as_str())]);
        assert_eq!(page.status, 200, "{path}");
        let html = page.text();
        for raw in ["<b>in", "<i>x", "<i>don", "<script>t"] {
            assert!(!html.contains(raw), "{path} carries raw {raw:?}");
        }
    }
    // The file itself: a download, its name in an RFC 5987 header with no
    // quote or newline breaking out.
    let file = server.get(
        &format!("/units/{unit}/uploads/{id}/files/{}", url_path(evil)),
        &[("Authorization", own.as_str())],
    );
    assert_eq!(file.status, 200, "{}", file.text());
    let cd = file.header("content-disposition").unwrap();
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert_eq!(cd.matches('"').count(), 2, "{cd}");
    assert!(cd.contains("filename*=UTF-8''a%27b%3B%3Ci%3Ex.pdf"), "{cd}");
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert!(file
        .header("content-security-policy")
        .unwrap()
        .contains("sandbox"));
}

fn url_path(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn form_fields_count_against_the_upload_limit() {
    let s = setup(&["--max-upload-size", "1M"]);
    let server = s.data.start(&[]);
    // A `csrf` field (and any other field) of 5 MB: counted as the upload's
    // bytes (413), never read whole into memory.
    for field in ["csrf", "ghi-chu"] {
        let boundary = "b0undary";
        let mut body =
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n")
                .into_bytes();
        body.extend(std::iter::repeat_n(b'a', 5 << 20));
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = server.post(
            &format!("/api/units/{}/uploads", s.unit),
            &[
                ("Authorization", &bearer(&s.token)),
                (
                    "Content-Type",
                    &format!("multipart/form-data; boundary={boundary}"),
                ),
            ],
            &body,
        );
        assert_eq!(r.status, 413, "{field}: {}", r.text());
        assert!(r.text().contains("quá lớn"), "{}", r.text());
    }
}

/// An upload that sends its first bytes and then nothing more, held open.
fn open_stalled_upload(server: &Server, unit: &str, token: &str) -> TcpStream {
    let addr = server.base.trim_start_matches("http://");
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.write_all(upload_head(unit, token, 10 << 20).as_bytes())
        .unwrap();
    sock.write_all(
        b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF",
    )
    .unwrap();
    sock
}

#[test]
fn uploads_received_at_once_are_bounded_in_all_and_per_unit() {
    let data = DataDir::new(&[]);
    let units: Vec<String> = ["UBND xã A", "UBND xã B", "UBND xã C"]
        .iter()
        .map(|u| data.unit(u))
        .collect();
    let tokens: Vec<String> = ["UBND xã A", "UBND xã B", "UBND xã C"]
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let login = format!("xa{i}");
            data.user(&login, Some(u));
            data.token(&login)
        })
        .collect();
    let server = data.start(&["--max-receiving", "6"]);
    // Unit A opens four uploads and stalls them: its fifth is refused…
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| open_stalled_upload(&server, &units[0], &tokens[0]))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let r = server.upload(&units[0], &tokens[0], &small_folder());
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains("cùng lúc"), "{}", r.text());
    // …while another unit still uploads.
    let r = server.upload(&units[1], &tokens[1], &small_folder());
    assert_eq!(r.status, 201, "{}", r.text());
    // Six at once in all: a third unit finds the server full.
    held.extend((0..2).map(|_| open_stalled_upload(&server, &units[1], &tokens[1])));
    std::thread::sleep(Duration::from_millis(500));
    let r = server.upload(&units[2], &tokens[2], &small_folder());
    assert_eq!(r.status, 503, "{}", r.text());
    // Their places come back when they end.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = server.upload(&units[2], &tokens[2], &small_folder());
        if r.status == 201 {
            break;
        }
        assert_eq!(r.status, 503, "{}", r.text());
        assert!(Instant::now() < deadline, "places never came back");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn bag_exports_are_a_few_at_a_time_even_when_their_readers_stall() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let mut parts = small_folder();
    parts.push(("phu-luc.bin".into(), vec![7u8; 40 << 20]));
    let r = server.upload(&s.unit, &s.token, &parts);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let own = bearer(&s.token);
    let done = server.get(
        &format!("/api/units/{}/report", s.unit),
        &[("Authorization", own.as_str())],
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let path = format!("/api/units/{}/uploads/{id}/bag", s.unit);
    // Two clients ask for the 40 MB bag and read only its first bytes.
    let addr = server.base.trim_start_matches("http://").to_string();
    let held: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut sock = TcpStream::connect(&addr).unwrap();
            write!(
                sock,
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {own}\r\n\r\n"
            )
            .unwrap();
            let mut first = [0u8; 16];
            sock.read_exact(&mut first).unwrap();
            assert!(first.starts_with(b"HTTP/1.1 200"), "{first:?}");
            sock
        })
        .collect();
    let r = server.get(&path, &[("Authorization", own.as_str())]);
    assert_eq!(r.status, 503, "{}", r.status);
    assert!(r.text().contains("BagIt"), "{}", r.text());
    // Their places come back when they go.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = server.get(&path, &[("Authorization", own.as_str())]);
        if r.status == 200 {
            assert!(r.body.len() > 40 << 20);
            break;
        }
        assert_eq!(r.status, 503);
        assert!(Instant::now() < deadline, "places never came back");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_disabled_account_loses_its_open_sessions_and_tokens_at_once() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    let (cookie, _) = api_login(&server);
    let own = bearer(&s.token);
    let path = format!("/api/units/{}/uploads", s.unit);
    assert_eq!(server.get(&path, &[("Cookie", &cookie)]).status, 200);
    assert_eq!(server.get(&path, &[("Authorization", &own)]).status, 200);
    // Disabled while the server runs (another process, the same database).
    let out = super::util::TestCommand::new()
        .args(["server", "user"])
        .arg(&s.data.dir)
        .args(["disable", "dakglei"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.get(&path, &[("Cookie", &cookie)]).status, 401);
    assert_eq!(server.get(&path, &[("Authorization", &own)]).status, 401);
    let r = server.upload(&s.unit, &s.token, &small_folder());
    assert_eq!(r.status, 401, "{}", r.text());
    let body = serde_json::json!({ "login": "dakglei", "password": PASSWORD }).to_string();
    let r = server.post(
        "/api/login",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 401, "{}", r.text());
}

#[test]
fn an_upload_refused_before_its_body_is_read_closes_the_connection() {
    let s = setup(&[]);
    let server = s.data.start(&[]);
    // Without a login, and with another unit's name: answered at once, the
    // body left unread, and the client told not to reuse the connection
    // (it would send its next request on a connection being dropped).
    let head = upload_head(&s.unit, "khong-phai-ma", 1 << 20);
    let (status, rest) =
        stalled_request(&server, &head, b"--b0undary\r\n", Duration::from_secs(10));
    assert!(status.contains(" 401 "), "{status} {rest}");
    assert!(
        rest.to_ascii_lowercase().contains("connection: close"),
        "{rest}"
    );
}
