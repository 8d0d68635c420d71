//! Every signature failure class, built with samplegen, checked on the real
//! binary: each fixture must give exactly the expected SIG00x (and DUE001 for
//! an organisation signature after the deadline in Vietnam time). The table
//! in docs/signatures.md ("Failure classes and their findings") mirrors this.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use samplegen::fixtures::{self, default_time};
use samplegen::pdf::{name, text, Body, Dict, Obj};
use samplegen::{build_pdf, DocSpec, Kind, SignOptions, TestPki};

const KH_DIR: &str = "1.3.1 Kế hoạch tự kiểm tra CCHC";
const THPL_DIR: &str = "2.1.1 Theo dõi thi hành pháp luật";

/// A plan that matches 1.3.1's "kế hoạch kiểm tra" (signature required, no deadline).
fn kh_spec() -> DocSpec {
    DocSpec::dak_glei(
        "18/KH-UBND",
        NaiveDate::from_ymd_opt(2022, 3, 15).unwrap(),
        Kind::Typed {
            heading: "KẾ HOẠCH".into(),
            title: "Kiểm tra công tác cải cách hành chính năm 2022".into(),
        },
        &["Ủy ban nhân dân huyện Đắk Glei ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2022 đối với các cơ quan chuyên môn và UBND các xã, thị trấn."],
    )
}

/// The 2.1.1 THPL report, dated 02/12/2022 (deadline 04/12/2022).
fn thpl_spec() -> DocSpec {
    DocSpec::dak_glei(
        "170/BC-UBND",
        NaiveDate::from_ymd_opt(2022, 12, 2).unwrap(),
        Kind::Typed {
            heading: "BÁO CÁO".into(),
            title: "Công tác theo dõi thi hành pháp luật năm 2022".into(),
        },
        &["Thực hiện Nghị định số 32/2020/NĐ-CP của Chính phủ, Ủy ban nhân dân huyện Đắk Glei báo cáo công tác theo dõi tình hình thi hành pháp luật năm 2022."],
    )
}

fn t() -> DateTime<FixedOffset> {
    default_time(&kh_spec())
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .fixed_offset()
}

/// A temp dir holding `root.pem` and an evidence folder `ev/` with `tlkc.toml`.
struct Case {
    tmp: tempfile::TempDir,
}

impl Case {
    fn new(as_of: &str, trust: bool) -> Case {
        Case::with_trust(
            as_of,
            if trust {
                "anchors = [\"../root.pem\"]"
            } else {
                ""
            },
        )
    }

    /// `[trust]` holding `trust_lines` (nothing at all when empty).
    fn with_trust(as_of: &str, trust_lines: &str) -> Case {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("root.pem"), TestPki::get().root_pem()).unwrap();
        let ev = tmp.path().join("ev");
        std::fs::create_dir_all(&ev).unwrap();
        let mut toml = format!("as_of = \"{as_of}\"\n");
        if !trust_lines.is_empty() {
            // Outside the evidence folder: a PEM inside it would be an evidence file.
            toml.push_str(&format!("\n[trust]\n{trust_lines}\n"));
        }
        std::fs::write(ev.join("tlkc.toml"), toml).unwrap();
        Case { tmp }
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> &Case {
        let p = self.tmp.path().join("ev").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// A file beside the evidence folder (a CRL, a certificate).
    fn beside(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = self.tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `tlkc check ev --format json --lang en --db i.db`.
    fn check(&self) -> serde_json::Value {
        self.check_with(&[])
    }

    fn check_with(&self, extra: &[&std::ffi::OsStr]) -> serde_json::Value {
        let out = crate::util::TestCommand::new()
            .arg("check")
            .arg(self.tmp.path().join("ev"))
            .args(["--format", "json", "--lang", "en", "--db"])
            .arg(self.tmp.path().join("i.db"))
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

fn findings_for<'a>(v: &'a serde_json::Value, path: &str) -> Vec<&'a serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .collect()
}

fn sig_codes(v: &serde_json::Value, path: &str) -> BTreeSet<String> {
    findings_for(v, path)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with("SIG"))
        .collect()
}

/// Check one fixture as the 1.3.1 plan and return its SIG codes.
fn sig_codes_of(bytes: &[u8], trust: bool) -> (BTreeSet<String>, serde_json::Value) {
    let rel = format!("{KH_DIR}/KH kiem tra CCHC.pdf");
    let case = Case::new("2022-11-30", trust);
    let v = case.put(&rel, bytes).check();
    (sig_codes(&v, &rel), v)
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|s| s.to_string()).collect()
}

fn message_of<'a>(v: &'a serde_json::Value, code: &str) -> &'a str {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} in {v:#}"))
}

fn expect(bytes: &[u8], trust: bool, want: &[&str]) -> serde_json::Value {
    let (codes, v) = sig_codes_of(bytes, trust);
    assert_eq!(codes, set(want), "{:#}", v["findings"]);
    v
}

#[test]
fn sound_person_and_organisation_is_clean() {
    expect(&fixtures::signed(&kh_spec(), t()).unwrap(), true, &[]);
}

#[test]
fn person_only_lacks_the_organisation() {
    let b = fixtures::signed_by(&kh_spec(), &TestPki::get().person, t()).unwrap();
    let v = expect(&b, true, &["SIG004"]);
    assert!(message_of(&v, "SIG004").contains("organisation's signature is missing"));
}

#[test]
fn no_signature_is_sig001() {
    let b = build_pdf(&kh_spec()).unwrap().into_bytes();
    expect(&b, true, &["SIG001"]);
}

#[test]
fn zeroed_garbage_and_empty_contents_are_invalid() {
    for (what, b) in [
        (
            "zeroed",
            fixtures::zeroed_contents(&kh_spec(), t()).unwrap(),
        ),
        (
            "garbage",
            fixtures::garbage_contents(&kh_spec(), t()).unwrap(),
        ),
        ("empty", empty_contents()),
    ] {
        let (codes, v) = sig_codes_of(&b, true);
        // Never skipped (no SIG001: a failed signature is still there), never sound.
        assert!(codes.contains("SIG002"), "{what}: {:#}", v["findings"]);
        assert!(!codes.contains("SIG001"), "{what}");
        let facts = inspect(&b, true);
        let s = &facts["signatures"][0];
        assert_eq!(s["intact"], false, "{what}");
        assert_eq!(s["crypto_valid"], false, "{what}");
    }
}

/// `/Contents <>`: the hex string emptied in place (spaces keep the offsets).
fn empty_contents() -> Vec<u8> {
    let mut pdf = build_pdf(&kh_spec()).unwrap();
    let loc = pdf
        .sign(
            &TestPki::get().person,
            &SignOptions::at(t(), "Ký duyệt văn bản"),
        )
        .unwrap();
    let b = pdf.bytes_mut();
    b[loc.contents_start + 1] = b'>';
    for x in &mut b[loc.contents_start + 2..loc.contents_end] {
        *x = b' ';
    }
    pdf.into_bytes()
}

#[test]
fn digest_mismatch_is_invalid() {
    let b = fixtures::digest_mismatch(&kh_spec(), t()).unwrap();
    let v = expect(&b, true, &["SIG002"]);
    assert!(message_of(&v, "SIG002").contains("digest"));
}

#[test]
fn modified_after_signing_is_sig003_in_plain_words() {
    let b = fixtures::modified_after_signing(&kh_spec(), t()).unwrap();
    let v = expect(&b, true, &["SIG003"]);
    let m = message_of(&v, "SIG003");
    assert!(m.contains("was changed after the signature"), "{m}");
    assert!(m.contains("page 1: /Contents changed"), "{m}");
}

#[test]
fn byterange_gap_is_sig003() {
    let b = fixtures::byterange_gap(&kh_spec(), t(), 40).unwrap();
    let (codes, v) = sig_codes_of(&b, true);
    assert!(codes.contains("SIG003"), "{:#}", v["findings"]);
    assert!(!codes.contains("SIG002"), "{:#}", v["findings"]);
    assert!(message_of(&v, "SIG003").contains("does not cover the whole document"));
}

#[test]
fn expired_certificate_is_sig005() {
    let b = fixtures::expired_cert(&kh_spec(), t()).unwrap();
    let (codes, v) = sig_codes_of(&b, true);
    assert!(codes.contains("SIG005"), "{:#}", v["findings"]);
    assert!(!codes.contains("SIG002") && !codes.contains("SIG003"));
}

#[test]
fn forged_ca_name_is_sig005() {
    let b = fixtures::forged_ca_name(&kh_spec(), t()).unwrap();
    let (codes, v) = sig_codes_of(&b, true);
    assert!(codes.contains("SIG005"), "{:#}", v["findings"]);
    assert!(!codes.contains("SIG002") && !codes.contains("SIG003"));
}

#[test]
fn unknown_ca_is_sig005_and_untested_without_anchors() {
    let b = fixtures::unknown_ca(&kh_spec(), t()).unwrap();
    let (codes, v) = sig_codes_of(&b, true);
    assert!(codes.contains("SIG005"), "{:#}", v["findings"]);
    // Without [trust], `check` judges against the builtin government CAs:
    // a CA nobody declared is untrusted, and says so.
    let (codes, v) = sig_codes_of(&b, false);
    assert!(codes.contains("SIG005"), "{:#}", v["findings"]);
    assert!(message_of(&v, "SIG005").contains("TEST Unknown CA"));
    // With the bundle turned off and nothing declared, only the ruleset's
    // pinned root remains. This chain embeds its root, which matches no pin:
    // untrusted. A chain that leaves the file before reaching any certificate
    // a pin could match cannot be told: no SIG005.
    let rel = format!("{KH_DIR}/KH kiem tra CCHC.pdf");
    let case = Case::with_trust("2022-11-30", "builtin = false");
    let v = case.put(&rel, &b).check();
    assert!(
        sig_codes(&v, &rel).contains("SIG005"),
        "{:#}",
        v["findings"]
    );
    let sound = fixtures::signed(&kh_spec(), t()).unwrap();
    let v = case.put(&rel, &sound).check();
    assert!(sig_codes(&v, &rel).is_empty(), "{:#}", v["findings"]);
    // No anchors at all (`inspect --no-builtin-trust` without --trust-anchor):
    // trust is not assessed, `trusted` is null, which SIG005 never fires on.
    for b in [
        b,
        fixtures::signed(&kh_spec(), t()).unwrap(),
        fixtures::forged_ca_name(&kh_spec(), t()).unwrap(),
    ] {
        for s in inspect_with(&b, false, &["--no-builtin-trust"])["signatures"]
            .as_array()
            .unwrap()
        {
            assert_eq!(s["trusted"], serde_json::Value::Null);
            assert_eq!(s["trust"], serde_json::Value::Null);
        }
        // With the bundle (the default), the test CA is nobody's anchor.
        for s in inspect(&b, false)["signatures"].as_array().unwrap() {
            assert_eq!(s["trust"], "untrusted", "{s:#}");
        }
    }
}

/// Issue 22: signatures anyone can make with the government CAs' names,
/// judged with the builtin bundle only (no --trust-anchor, no [trust]).
#[test]
fn forgeries_of_the_government_pki_are_untrusted_errors() {
    // (what, fixture, untrusted_reason, SIG codes, what SIG005 says)
    type Forgery = (
        &'static str,
        Vec<u8>,
        &'static str,
        &'static [&'static str],
        &'static str,
    );
    let cases: [Forgery; 5] = [
        (
            "home-made CA and root with the G2 names, chain embedded",
            fixtures::forged_government_chain(&kh_spec(), t()).unwrap(),
            "copies_government_ca",
            &["SIG005"],
            "NOT issued by the government CA",
        ),
        (
            "the same forged chain, SHA-1",
            fixtures::forged_government_chain_sha1(&kh_spec(), t()).unwrap(),
            "copies_government_ca",
            &["SIG002", "SIG005"],
            "NOT issued by the government CA",
        ),
        (
            "self-signed commune certificate",
            fixtures::self_signed_commune(&kh_spec(), t()).unwrap(),
            "self_signed",
            &["SIG005"],
            "self-signed",
        ),
        (
            "self-signed commune certificate, SHA-1",
            fixtures::self_signed_commune_sha1(&kh_spec(), t()).unwrap(),
            "self_signed",
            &["SIG002", "SIG005"],
            "self-signed",
        ),
        (
            "intermediate with the state CA's name and another key",
            fixtures::lookalike_intermediate(&kh_spec(), t()).unwrap(),
            "copies_government_ca",
            &["SIG005"],
            "NOT issued by the government CA",
        ),
    ];
    for (what, bytes, reason, want, says) in cases {
        let s = &inspect(&bytes, false)["signatures"][0];
        assert_eq!(s["intact"], true, "{what}");
        assert_eq!(s["crypto_valid"], true, "{what}");
        assert_eq!(s["trust"], "untrusted", "{what}: {s:#}");
        assert_eq!(s["untrusted_reason"], reason, "{what}: {s:#}");
        assert_eq!(s["chain_sha256"], serde_json::json!([]), "{what}");
        let (codes, v) = sig_codes_of(&bytes, false);
        // Only one signature (no organisation's) in these fixtures.
        let mut want: BTreeSet<String> = set(want);
        want.insert("SIG004".into());
        assert_eq!(codes, want, "{what}: {:#}", v["findings"]);
        assert!(message_of(&v, "SIG005").contains(says), "{what}");
    }
    // The expired signer (test CA declared): its own state, SIG005.
    let s = &inspect(&fixtures::expired_cert(&kh_spec(), t()).unwrap(), true)["signatures"][0];
    assert_eq!(s["trust"], "expired", "{s:#}");
}

#[test]
fn a_known_ca_whose_certificate_is_missing_is_a_warning() {
    let b = fixtures::party_ca_not_embedded(&kh_spec(), t()).unwrap();
    let s = &inspect(&b, false)["signatures"][0];
    assert_eq!(s["trust"], "chain_incomplete", "{s:#}");
    assert_eq!(s["trust_ca"], "CA phục vụ các cơ quan Đảng G2");
    assert_eq!(s["trusted"], serde_json::Value::Null);
    let (codes, v) = sig_codes_of(&b, false);
    assert_eq!(codes, set(&["SIG004", "SIG006"]), "{:#}", v["findings"]);
    assert!(message_of(&v, "SIG006").contains("CA phục vụ các cơ quan Đảng G2"));
}

/// Offline revocation: a CRL of the test sub-CA, given with --crl or in tlkc.toml.
#[test]
fn revocation_lists_decide_before_and_after_signing() {
    let pki = TestPki::get();
    let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap();
    let rel = format!("{KH_DIR}/KH kiem tra CCHC.pdf");
    let signed = fixtures::signed(&kh_spec(), t()).unwrap();
    // Without a CRL: one SIG007 for the whole report, none per signature.
    let case = Case::new("2022-11-30", true);
    let v = case.put(&rel, &signed).check();
    let sig007: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SIG007")
        .collect();
    assert_eq!(sig007.len(), 1, "{:#}", v["findings"]);
    assert!(sig007[0]["message"]
        .as_str()
        .unwrap()
        .contains("2 signature(s)"));
    // The person's certificate revoked on 1 March, the plan signed on 15 March: SIG005.
    let before = samplegen::crl::make(&pki.subca, &[(&pki.person, at(2022, 3, 1))], at(2022, 4, 1));
    let crl = case.beside("cp.crl", &before);
    let v = case.check_with(&["--crl".as_ref(), crl.as_os_str()]);
    assert_eq!(sig_codes(&v, &rel), set(&["SIG005"]), "{:#}", v["findings"]);
    assert!(message_of(&v, "SIG005").contains("revoked"));
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SIG007"));
    // Revoked on 1 April, after signing: information (SIG008), PEM in tlkc.toml.
    let after = samplegen::crl::make(&pki.subca, &[(&pki.person, at(2022, 4, 1))], at(2022, 4, 2));
    let case = Case::with_trust(
        "2022-11-30",
        "anchors = [\"../root.pem\"]\ncrls = [\"../cp.pem\"]",
    );
    case.beside("cp.pem", samplegen::pki::pem("X509 CRL", &after).as_bytes());
    let v = case.put(&rel, &signed).check();
    assert_eq!(sig_codes(&v, &rel), set(&["SIG008"]), "{:#}", v["findings"]);
    // A CRL signed by another key than the CA it names is not believed.
    let forged = samplegen::crl::make_signed_by(
        &pki.subca,
        &pki.forged,
        &[(&pki.person, at(2022, 3, 1))],
        at(2022, 4, 1),
    );
    let case = Case::new("2022-11-30", true);
    let crl = case.beside("forged.crl", &forged);
    let v = case
        .put(&rel, &signed)
        .check_with(&["--crl".as_ref(), crl.as_os_str()]);
    assert!(sig_codes(&v, &rel).is_empty(), "{:#}", v["findings"]);
    // Something that is not a CRL: exit 2, naming where it was given.
    let bad = case.beside("bad.crl", b"not a crl");
    let out = crate::util::TestCommand::new()
        .arg("check")
        .arg(case.tmp.path().join("ev"))
        .args(["--lang", "en", "--crl"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--crl") && err.contains("CRL"), "{err}");
}

/// Person signs on 02/12; the organisation at `org_at` (UTC).
fn thpl_signed(org_at: DateTime<FixedOffset>) -> Vec<u8> {
    let pki = TestPki::get();
    let spec = thpl_spec();
    let mut pdf = build_pdf(&spec).unwrap();
    pdf.sign(
        &pki.person,
        &SignOptions::at(default_time(&spec), "Ký duyệt"),
    )
    .unwrap();
    pdf.sign(&pki.org, &SignOptions::at(org_at, "Phát hành văn bản"))
        .unwrap();
    pdf.into_bytes()
}

fn due_findings(bytes: &[u8]) -> Vec<serde_json::Value> {
    let rel = format!("{THPL_DIR}/BC theo doi THPL nam 2022.pdf");
    let case = Case::new("2022-12-20", true);
    let v = case.put(&rel, bytes).check();
    findings_for(&v, &rel)
        .into_iter()
        .filter(|f| f["code"] == "DUE001")
        .cloned()
        .collect()
}

#[test]
fn due001_follows_the_organisation_signing_time_in_vietnam() {
    // 2022-12-04T18:30Z is 01:30 on 5 Dec in Vietnam: one day late.
    let late = due_findings(&thpl_signed(utc(2022, 12, 4, 18, 30)));
    assert_eq!(late.len(), 1, "{late:#?}");
    let m = late[0]["message"].as_str().unwrap();
    assert!(
        m.contains("released (signed by the organisation) on 2022-12-05"),
        "{m}"
    );
    assert!(m.contains("1 day(s) after the deadline 2022-12-04"), "{m}");
    assert_eq!(late[0]["facts"]["days_late"], "1");
    // 2022-12-04T16:30Z is 23:30 on 4 Dec in Vietnam: on time (in UTC terms
    // both instants are on 4 Dec; only +07:00 tells them apart).
    let on_time = due_findings(&thpl_signed(utc(2022, 12, 4, 16, 30)));
    assert!(on_time.is_empty(), "{on_time:#?}");
}

/// `tlkc inspect --format json [--trust-anchor root.pem] FILE`, first entry.
fn inspect(bytes: &[u8], trust: bool) -> serde_json::Value {
    inspect_with(bytes, trust, &[])
}

fn inspect_with(bytes: &[u8], trust: bool, extra: &[&str]) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("x.pdf");
    std::fs::write(&file, bytes).unwrap();
    let pem = tmp.path().join("root.pem");
    std::fs::write(&pem, TestPki::get().root_pem()).unwrap();
    let mut cmd = crate::util::TestCommand::new();
    cmd.args(["inspect", "--format", "json"]).args(extra);
    if trust {
        cmd.arg("--trust-anchor").arg(&pem);
    }
    let out = cmd.arg(&file).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v[0].clone()
}

const ISSUE3_KEYS: &[&str] = &[
    "field",
    "sub_filter",
    "signer",
    "issuer",
    "kind",
    "signing_time",
    "time_source",
    "coverage",
    "intact",
    "crypto_valid",
    "modified_after",
    "changes",
    "trusted",
];

#[test]
fn inspect_json_has_the_issue_3_fields() {
    let pki = TestPki::get();
    let v = inspect(&fixtures::signed(&kh_spec(), t()).unwrap(), true);
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    for s in sigs {
        for k in ISSUE3_KEYS {
            assert!(s.get(k).is_some(), "missing key {k} in {s:#}");
        }
        assert_eq!(s["sub_filter"], "adbe.pkcs7.detached");
        assert_eq!(s["intact"], true);
        assert_eq!(s["crypto_valid"], true);
        assert_eq!(s["trusted"], true);
        assert_eq!(s["time_source"], "signing_time");
        assert!(s["changes"].is_array());
        let st = s["signing_time"].as_str().unwrap();
        assert!(st.ends_with("+07:00"), "{st}");
        DateTime::parse_from_rfc3339(st).unwrap();
    }
    let (p, o) = (&sigs[0], &sigs[1]);
    assert_eq!(p["field"], "Signature1");
    assert_eq!(p["kind"], "person");
    assert_eq!(p["signer"], pki.person.display_name.as_str());
    assert_eq!(p["signing_time"], "2022-03-15T09:30:00+07:00");
    assert_eq!(p["coverage"], "entire_revision");
    assert_eq!(p["modified_after"], "allowed");
    assert!(p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.as_str().unwrap().starts_with("allowed:")));
    assert_eq!(o["field"], "Signature2");
    assert_eq!(o["kind"], "organization");
    assert_eq!(o["signer"], pki.org.display_name.as_str());
    assert_eq!(o["signing_time"], "2022-03-15T10:10:00+07:00");
    assert_eq!(o["coverage"], "entire_file");
    assert_eq!(o["modified_after"], "none");
    assert_eq!(o["changes"], serde_json::json!([]));
    assert_eq!(p["issuer"], o["issuer"]);
    assert!(p["issuer"].as_str().is_some_and(|i| !i.is_empty()));

    // Modified after signing: both signatures see the page change.
    let v = inspect(
        &fixtures::modified_after_signing(&kh_spec(), t()).unwrap(),
        true,
    );
    for s in v["signatures"].as_array().unwrap() {
        assert_eq!(s["modified_after"], "disallowed");
        assert!(s["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "page 1: /Contents changed"));
    }
    // Gap: partial coverage, still intact.
    let v = inspect(&fixtures::byterange_gap(&kh_spec(), t(), 40).unwrap(), true);
    assert_eq!(v["signatures"][0]["coverage"], "partial");
    assert_eq!(v["signatures"][0]["intact"], true);
    // Forged name: valid maths, untrusted.
    let v = inspect(&fixtures::forged_ca_name(&kh_spec(), t()).unwrap(), true);
    assert_eq!(v["signatures"][0]["crypto_valid"], true);
    assert_eq!(v["signatures"][0]["trusted"], false);
}

#[test]
fn an_empty_signature_field_is_an_unsigned_field() {
    let pki = TestPki::get();
    let mut pdf = build_pdf(&kh_spec()).unwrap();
    let root = pdf.root_id();
    let page_id = pdf.page_ids()[0];
    let dict = |b: Option<&Body>| match b {
        Some(Body::Obj(Obj::Dict(d))) => d.clone(),
        _ => panic!("not a dict"),
    };
    let mut catalog = dict(pdf.object(root));
    let mut page = dict(pdf.object(page_id));
    let field_id = pdf.next_id();
    let field = Dict::new()
        .with("Type", name("Annot"))
        .with("Subtype", name("Widget"))
        .with("FT", name("Sig"))
        .with("T", text("ChuKyToChuc"))
        .with(
            "Rect",
            Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Int(0), Obj::Int(0)]),
        )
        .with("P", Obj::Ref(page_id));
    catalog.set(
        "AcroForm",
        Obj::Dict(Dict::new().with("Fields", Obj::Array(vec![Obj::Ref(field_id)]))),
    );
    page.set("Annots", Obj::Array(vec![Obj::Ref(field_id)]));
    let mut changed = BTreeMap::new();
    changed.insert(root, Body::Obj(Obj::Dict(catalog)));
    changed.insert(page_id, Body::Obj(Obj::Dict(page)));
    changed.insert(field_id, Body::Obj(Obj::Dict(field)));
    pdf.append_update(changed);
    pdf.sign(&pki.person, &SignOptions::at(t(), "Ký duyệt"))
        .unwrap();
    let b = pdf.into_bytes();
    let v = inspect(&b, true);
    assert_eq!(v["unsigned_fields"], serde_json::json!(["ChuKyToChuc"]));
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1);
    assert!(sigs[0]["intact"] == true && sigs[0]["crypto_valid"] == true);
    // A place to sign is not a signature: person only is still SIG004.
    expect(&b, true, &["SIG004"]);
}

/// Issue 18: a revision between the approval and the organisation's
/// signature that holds only the signing software's artefacts is no SIG003;
/// each hostile twin (the same artefact hiding a real change) still is.
#[test]
fn signing_software_artefacts_are_allowed_and_their_hostile_twins_are_not() {
    use samplegen::artefacts::{approval_then_org, Artefact};
    let case = Case::new("2022-11-30", true);
    let mut files = Vec::new();
    for a in Artefact::ALL {
        for hostile in [false, true] {
            let twin = if hostile { "hostile" } else { "clean" };
            let rel = format!("{KH_DIR}/KH {} {twin}.pdf", a.slug());
            let s = approval_then_org(&kh_spec(), t(), a, hostile).unwrap();
            case.put(&rel, &s.bytes);
            files.push((a, hostile, rel));
        }
    }
    let v = case.check();
    for (a, hostile, rel) in &files {
        let want: &[&str] = if *hostile { &["SIG003"] } else { &[] };
        assert_eq!(
            sig_codes(&v, rel),
            set(want),
            "{a:?} hostile={hostile}: {:#}",
            findings_for(&v, rel).len()
        );
        if *hostile {
            // The finding names the real change, not the artefact.
            let m = findings_for(&v, rel)
                .iter()
                .find(|f| f["code"] == "SIG003")
                .and_then(|f| f["message"].as_str())
                .unwrap_or_default()
                .to_string();
            assert!(
                ["page", "form field", "OpenAction", "NeedAppearances"]
                    .iter()
                    .any(|w| m.contains(w)),
                "{a:?}: {m}"
            );
        }
    }
    // The certification after approval is described as such.
    let perms = approval_then_org(&kh_spec(), t(), Artefact::Perms, false).unwrap();
    let facts = inspect(&perms.bytes, true);
    let changes = facts["signatures"][0]["changes"].to_string();
    assert!(
        changes.contains("certification added after the approval"),
        "{changes}"
    );
    assert_eq!(facts["signatures"][0]["modified_after"], "allowed");
}

/// Issue 21: a real change to what the approval signer saw, hidden behind
/// a role the comparison allows (a claimed /Type, or the path of /Info,
/// XMP metadata, extensions, tags, DSS, a signature value, /Perms, the page
/// tree's producer markers, the form's resources), is SIG003 naming the
/// change, and the approval signature is never "allowed". Generated: every
/// {change} × {disguise}.
#[test]
fn disguised_changes_after_signing_are_sig003() {
    use samplegen::attacks::{all, disguised};
    use tlkc::facts::ModifiedAfter;
    use tlkc::inspect::{inspect_bytes, InspectOptions};
    let case = Case::new("2022-11-30", true);
    let mut files = Vec::new();
    for (change, disguise) in all() {
        let rel = format!("{KH_DIR}/KH {} {}.pdf", change.slug(), disguise.slug());
        let s = disguised(&kh_spec(), t(), change, disguise).unwrap();
        let facts = inspect_bytes(rel.clone(), &s.bytes, &InspectOptions::default());
        let approval = facts
            .signatures
            .iter()
            .find(|g| {
                g.byte_range
                    .as_ref()
                    .is_some_and(|b| (b[2] + b[3]) as usize == s.approval_end)
            })
            .expect("approval signature found");
        assert_eq!(
            approval.modified_after,
            Some(ModifiedAfter::Disallowed),
            "{change:?} as {disguise:?}: {:?}",
            approval.changes
        );
        case.put(&rel, &s.bytes);
        files.push((change, disguise, rel));
    }
    assert_eq!(files.len(), 96);
    let v = case.check();
    for (change, disguise, rel) in &files {
        let m = findings_for(&v, rel)
            .iter()
            .find(|f| f["code"] == "SIG003")
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string();
        assert!(
            m.contains(change.words()),
            "{change:?} as {disguise:?}: SIG003 missing or not naming the change: {m:?}"
        );
    }
}

/// The algorithm policy is data: a folder's tlkc.toml may override the
/// ruleset's, but only with a reason, and SIG002 then names both.
#[test]
fn algorithm_policy_override_needs_a_reason_and_is_applied() {
    let rel = format!("{KH_DIR}/KH kiem tra CCHC.pdf");
    let signed = fixtures::signed(&kh_spec(), t()).unwrap();
    let toml = |extra: &str| {
        let case = Case::new("2022-11-30", true);
        let p = case.tmp.path().join("ev").join("tlkc.toml");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str(extra);
        std::fs::write(&p, text).unwrap();
        case.put(&rel, &signed);
        case
    };
    // No reason: the folder's settings are refused (exit 2), with file:line.
    let case = toml("\n[algorithm_policy]\nmin_rsa_bits = 4096\n");
    let out = crate::util::TestCommand::new()
        .arg("check")
        .arg(case.tmp.path().join("ev"))
        .args(["--lang", "en", "--db"])
        .arg(case.tmp.path().join("i.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tlkc.toml:") && err.contains("needs a reason"),
        "{err}"
    );
    // With a reason: a stricter key size applies to both signatures.
    let v = toml(
        "\n[algorithm_policy]\nmin_rsa_bits = 4096\nreason = \"thử chính sách khóa 4096 bit\"\n",
    )
    .check();
    let m = findings_for(&v, &rel)
        .iter()
        .filter(|f| f["code"] == "SIG002")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(m.len(), 2, "{v:#}");
    assert!(
        m[0].contains("an RSA key of 2048 bits")
            && m[0].contains("thử chính sách khóa 4096 bit")
            && m[0].contains("15/03/2022"),
        "{}",
        m[0]
    );
}
