//! SIG002–SIG005: are the signatures that are there sound, and by whom?
//! SIG001 (a required signature is absent) depends on the ruleset: see
//! [`super::evidence`]. Two layers are judged here rather than in
//! inspection, so that cached facts stay independent of policy and date:
//! the algorithm policy (`algorithm_ok`) and, for a signature that carries
//! no time, the certificate chain's validity at the evaluation date.

pub(crate) mod diags;

use chrono::NaiveDate;

use crate::facts::{
    Coverage, FileFacts, KeptFacts, ModifiedAfter, RevocationStatus, SigType, SignatureFacts,
    SignerKind, TrustState, UntrustedReason,
};
use crate::findings::{Finding, Msg};
use crate::rules::AlgorithmPolicy;

/// The signature check: each file alone, then the run's revocation note.
pub struct Signature;

impl super::family::Check for Signature {
    fn family(&self) -> &'static super::family::Family {
        &diags::FAMILY
    }
    fn file(&self, facts: &FileFacts, ctx: &super::Context, out: &mut Vec<Finding>) {
        check(facts, &ctx.algorithm_policy(), ctx.as_of, out);
    }
    fn folder(&self, input: &super::family::Input) -> Vec<Finding> {
        let mut out = Vec::new();
        let all: Vec<&KeptFacts> = input.files.iter().collect();
        revocation_note(&all, &mut out);
        out
    }
}

/// Signature findings, one per file and cause: a file whose four
/// signatures all fail for the same reason gets one finding naming the
/// signers, with the cause in plain Vietnamese and the action that fixes
/// it. The inspection's English notes stay in the `detail` fact (JSON,
/// `--verbose`), never in the sentence.
pub fn check(f: &FileFacts, policy: &AlgorithmPolicy, as_of: NaiveDate, out: &mut Vec<Finding>) {
    let name = super::file_name(&f.path);
    let mut groups: Vec<Group> = Vec::new();
    let mut add = |cause: Cause, s: &SignatureFacts, detail: Vec<String>| match groups
        .iter_mut()
        .find(|g| g.cause == cause)
    {
        Some(g) => g.push(s, detail),
        None => {
            let mut g = Group::new(cause);
            g.push(s, detail);
            groups.push(g);
        }
    };
    // A file that needs a password cannot be read, so neither can its
    // signatures: PDF002 says so and says what to do, once.
    let locked = f.pdf.needs_password;
    let mut revoked = Vec::new();
    for s in &f.signatures {
        let failed = s.intact == Some(false) || s.crypto_valid == Some(false);
        if failed {
            if !locked {
                add(failure_cause(f, s), s, s.notes.clone());
            }
            continue;
        }
        if let Err(why) = algorithm_ok(s, policy) {
            add(Cause::WeakAlgorithm(why), s, Vec::new());
            // A forged certificate is worth saying even when the algorithm already fails.
            if s.trust == Some(TrustState::Untrusted) && !is_timestamp(s) {
                add(Cause::Untrusted(untrusted_why(s, None)), s, s.notes.clone());
            }
            continue;
        }
        if s.modified_after == Some(ModifiedAfter::Disallowed) {
            add(Cause::ModifiedAfter, s, s.changes.clone());
        } else if matches!(s.coverage, Some(Coverage::Partial | Coverage::Unclear)) {
            add(Cause::Partial, s, s.notes.clone());
        }
        if is_timestamp(s) {
            continue;
        }
        let expired = expired_at(s, as_of);
        if matches!(
            s.trust,
            Some(
                TrustState::Untrusted
                    | TrustState::Expired
                    | TrustState::NotYetValid
                    | TrustState::Revoked
            )
        ) || expired.is_some()
        {
            let detail = match &expired {
                Some(e) => vec![e.en.clone()],
                None => s.notes.clone(),
            };
            add(
                Cause::Untrusted(untrusted_why(s, expired.as_ref())),
                s,
                detail,
            );
        } else if s.trust == Some(TrustState::ChainIncomplete) {
            let ca = s.trust_ca.clone().unwrap_or_else(|| "?".into());
            add(Cause::ChainIncomplete(ca), s, s.notes.clone());
        }
        if let Some(r) = revoked_after_signing(s) {
            revoked.push(r.path(&f.path));
        }
    }
    for g in &groups {
        out.push(g.finding(f, name, policy).path(&f.path));
    }
    out.extend(revoked);
    signer_set(f, name, out);
}

/// Why a signature failed, as an officer can act on it.
#[derive(Debug, Clone, PartialEq)]
enum Cause {
    /// Bytes before `%PDF-` shift every offset: a damaged copy.
    LeadingBytes,
    /// The signed bytes no longer match the digest: altered after signing.
    Altered,
    /// The /ByteRange or /Contents is not where a signature's are.
    BrokenStructure,
    /// The signature value does not verify with the signer's key.
    BadValue,
    /// An algorithm the policy refuses (the reason, in both languages).
    WeakAlgorithm(Weakness),
    /// A later revision changed what was signed (SIG003).
    ModifiedAfter,
    /// Part of the file is outside the signature (SIG003).
    Partial,
    /// Certificate not trusted, or outside its validity (SIG005): why, and
    /// what to do.
    Untrusted(TrustWhy),
    /// The issuing CA is known but its certificate is not available (SIG006).
    ChainIncomplete(String),
}

/// Why a certificate cannot be relied on and the action that fixes it, in
/// both languages (without the signer's name, so signatures group).
#[derive(Debug, Clone, PartialEq)]
struct TrustWhy {
    vi: String,
    en: String,
    action_vi: &'static str,
    action_en: &'static str,
}

fn failure_cause(f: &FileFacts, s: &SignatureFacts) -> Cause {
    // A file rewritten after signing (a receipt stamp added by software
    // that re-serialises the whole file) moves the /ByteRange too: the
    // digest mismatch is the cause, the irregular layout its symptom.
    if f.pdf.leading_bytes > 0 {
        Cause::LeadingBytes
    } else if s.intact == Some(false) {
        Cause::Altered
    } else if s.coverage == Some(Coverage::Unclear) {
        Cause::BrokenStructure
    } else {
        Cause::BadValue
    }
}

/// The signatures of one file that share a cause.
struct Group {
    cause: Cause,
    who_vi: Vec<String>,
    who_en: Vec<String>,
    detail: Vec<String>,
    times: Vec<String>,
}

impl Group {
    fn new(cause: Cause) -> Self {
        Group {
            cause,
            who_vi: Vec::new(),
            who_en: Vec::new(),
            detail: Vec::new(),
            times: Vec::new(),
        }
    }

    fn push(&mut self, s: &SignatureFacts, detail: Vec<String>) {
        let (vi, en) = describe(s);
        if !self.who_vi.contains(&vi) {
            self.who_vi.push(vi);
            self.who_en.push(en);
        }
        for d in detail {
            if !self.detail.contains(&d) {
                self.detail.push(d);
            }
        }
        if let Some(t) = s.signing_time {
            let t = t.format("%d/%m/%Y %H:%M").to_string();
            if !self.times.contains(&t) {
                self.times.push(t);
            }
        }
    }

    /// "chữ ký số của A và B" / "the digital signatures by A and B".
    fn signatures(&self) -> (String, String) {
        let named_vi: Vec<&str> = self
            .who_vi
            .iter()
            .map(String::as_str)
            .filter(|w| !w.is_empty())
            .collect();
        let named_en: Vec<&str> = self
            .who_en
            .iter()
            .map(String::as_str)
            .filter(|w| !w.is_empty())
            .collect();
        let n = self.who_vi.len();
        let vi = match (n, named_vi.is_empty()) {
            (_, true) if n > 1 => format!("{n} chữ ký số"),
            (_, true) => "chữ ký số".to_string(),
            _ => format!("chữ ký số {}", join_vi(&named_vi)),
        };
        let en = match (n, named_en.is_empty()) {
            (_, true) if n > 1 => format!("{n} digital signatures"),
            (_, true) => "the digital signature".to_string(),
            (1, false) => format!("the digital signature {}", named_en[0]),
            _ => format!("the digital signatures {}", named_en.join(", ")),
        };
        (vi, en)
    }

    fn finding(&self, f: &FileFacts, name: &str, policy: &AlgorithmPolicy) -> Finding {
        let (sigs, sigs_en) = self.signatures();
        let saved_by = |vi: bool| match (&f.pdf.producer, vi) {
            (Some(p), true) => format!(" (tệp được lưu lần cuối bằng phần mềm “{p}”)"),
            (Some(p), false) => format!(" (last saved by “{p}”)"),
            (None, _) => String::new(),
        };
        let (code, vi, en) = match &self.cause {
            Cause::LeadingBytes => {
                let (vi_then, en_then) = match f.pdf.signatures_verify_without_leading_bytes {
                    Some(true) => (
                        "Bỏ phần thừa đó đi thì chữ ký số vẫn đúng: nội dung văn bản không bị sửa. Tải lại bản gốc từ hệ thống quản lý văn bản rồi nộp bản tải lại (không cần ký số lại).",
                        "Skipping those bytes, the signatures verify: the document itself was not altered. Download the original again from the document system and submit that copy (no need to sign again).",
                    ),
                    Some(false) => (
                        "Bỏ phần thừa đó đi chữ ký số vẫn không khớp. Tải lại bản gốc từ hệ thống quản lý văn bản; nếu bản tải lại vẫn lỗi, đề nghị nơi ban hành gửi lại bản đã ký số.",
                        "Even skipping those bytes, the signatures do not verify. Download the original again from the document system; if that copy fails too, ask the issuer to send the signed document again.",
                    ),
                    None => (
                        "Tải lại bản gốc từ hệ thống quản lý văn bản; nếu bản tải lại vẫn lỗi, đề nghị nơi ban hành gửi lại bản đã ký số.",
                        "Download the original again from the document system; if that copy fails too, ask the issuer to send the signed document again.",
                    ),
                };
                (
                    &diags::SIG002,
                    format!("Tệp {name} bị chèn thêm dữ liệu lạ vào trước phần đầu của tệp PDF (thường do tải xuống hoặc sao chép bị lỗi), nên {sigs} không khớp với tệp. {vi_then}"),
                    format!("{name} has {} stray byte(s) before its PDF header (usually a broken download or copy), so {sigs_en} do(es) not match the file. {en_then}", f.pdf.leading_bytes),
                )
            }
            Cause::Altered => (
                &diags::SIG002,
                format!("Nội dung tệp {name} không còn khớp với {sigs}: tệp đã bị sửa hoặc được mở ra lưu lại sau khi ký{}. Tải lại bản gốc đã ký từ hệ thống quản lý văn bản và nộp nguyên bản, không mở ra chỉnh sửa hay lưu lại; nếu bản gốc cũng lỗi, đề nghị nơi ban hành ký số lại.", saved_by(true)),
                format!("The content of {name} no longer matches {sigs_en}: the file was edited or re-saved after signing{}. Download the signed original from the document system again and submit it as it is, without opening and saving it; if the original fails too, ask the issuer to sign again.", saved_by(false)),
            ),
            Cause::BrokenStructure => (
                &diags::SIG002,
                format!("Cấu trúc {sigs} trong tệp {name} bị hỏng (phần dữ liệu được ký không đúng quy cách), nên không kiểm tra được văn bản có bị sửa sau khi ký hay không{}. Tải lại bản gốc từ hệ thống quản lý văn bản; nếu vẫn lỗi, đề nghị nơi ban hành ký số lại.", saved_by(true)),
                format!("The structure of {sigs_en} in {name} is broken (the signed byte ranges are not laid out as a signature's are), so whether the document changed after signing cannot be told{}. Download the original again from the document system; if it still fails, ask the issuer to sign again.", saved_by(false)),
            ),
            Cause::BadValue => (
                &diags::SIG002,
                format!("Giá trị {sigs} trên tệp {name} không khớp với chứng thư số của người ký (chữ ký bị hỏng hoặc không do chứng thư đó tạo ra). Đề nghị nơi ban hành ký số lại văn bản."),
                format!("The value of {sigs_en} on {name} does not verify with the signer's certificate (the signature is damaged or was not made with that certificate). Ask the issuer to sign the document again."),
            ),
            Cause::WeakAlgorithm(why) => {
                let (vi_time, en_time) = if self.times.is_empty() {
                    ("không rõ thời điểm ký".to_string(), "signing time unknown".to_string())
                } else {
                    (format!("ký lúc {}", self.times.join(", ")), format!("signed {}", self.times.join(", ")))
                };
                let (vi_src, en_src) = match &policy.override_reason {
                    Some(r) => (
                        format!("chính sách thuật toán của tlkc.toml ({r})"),
                        format!("the algorithm policy of tlkc.toml ({r})"),
                    ),
                    None => ("chính sách thuật toán".into(), "the algorithm policy".into()),
                };
                (
                    &diags::SIG002,
                    format!("{} trên tệp {name} dùng {} ({vi_time}): {vi_src} không chấp nhận thuật toán này nên chữ ký không được tính. Đề nghị ký số lại bằng chứng thư số và thuật toán hiện hành.", capitalise(&sigs), why.vi),
                    format!("{} on {name} uses {} ({en_time}): {en_src} does not accept it, so the signature does not count. Sign again with a current certificate and algorithm.", capitalise(&sigs_en), why.en),
                )
            }
            Cause::ModifiedAfter => {
                let what = changes_vi(&self.detail);
                (
                    &diags::SIG003,
                    format!("Tệp {name} đã bị thay đổi sau khi ký ({sigs}): {what}{}. Nộp bản đã ký nguyên vẹn (tải lại từ hệ thống quản lý văn bản), không chỉnh sửa sau khi ký.", saved_by(true)),
                    format!("{name} was changed after {sigs_en}: {}{}. Submit the signed file as it was signed (download it again from the document system), without later edits.", changes_en(&self.detail), saved_by(false)),
                )
            }
            Cause::Partial => (
                &diags::SIG003,
                format!("{} trên tệp {name} không bao phủ toàn bộ văn bản: phần không được ký có thể đã bị thay đổi. Tải lại bản gốc từ hệ thống quản lý văn bản; nếu vẫn vậy, đề nghị nơi ban hành ký số lại.", capitalise(&sigs)),
                format!("{} on {name} does not cover the whole document: unsigned parts could have been changed. Download the original again from the document system; if it is the same, ask the issuer to sign again.", capitalise(&sigs_en)),
            ),
            Cause::Untrusted(why) => (
                &diags::SIG005,
                format!("{} trên tệp {name} không được tin cậy: {}. {}", capitalise(&sigs), why.vi, why.action_vi),
                format!("{} on {name} is not trusted: {}. {}", capitalise(&sigs_en), why.en, why.action_en),
            ),
            Cause::ChainIncomplete(ca) => (
                &diags::SIG006,
                format!("Chưa xác định được độ tin cậy của {sigs} trên tệp {name}: chứng thư số do \"{ca}\" cấp, nhưng tlkc chưa có chứng thư của tổ chức chứng thực này và tệp không kèm theo. Cần người kiểm tra chữ ký bằng phần mềm ký số của Ban Cơ yếu Chính phủ, hoặc khai báo chứng thư \"{ca}\" trong [trust] anchors của tlkc.toml."),
                format!("The trust of {sigs_en} on {name} cannot be decided: the certificate was issued by \"{ca}\", whose certificate tlkc does not have and the file does not embed. Have someone check it with the Government Cipher Committee's signing software, or declare the \"{ca}\" certificate in [trust] anchors of tlkc.toml."),
            ),
        };
        let mut finding = Finding::new(code, Msg::new(vi, en))
            .fact("signatures", self.who_vi.len().to_string())
            .fact("detail", self.detail.join("; "));
        if let Some(p) = &f.pdf.producer {
            finding = finding.fact("producer", p.clone());
        }
        finding
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "A", "A và B", "A, B và C".
fn join_vi(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} và {last}", init.join(", ")),
    }
}

/// The disallowed changes in Vietnamese: what changed, by page, at most
/// three kinds named; the English list stays in the finding's `detail`.
pub fn changes_vi(changes: &[String]) -> String {
    let mut kinds: Vec<String> = Vec::new();
    for c in changes.iter().filter(|c| !c.starts_with("allowed:")) {
        let page = page_of(c);
        let on_page = |what: &str| match page {
            Some(n) => format!("{what} trang {n}"),
            None => what.to_string(),
        };
        let k = if c.contains("page(s) added") {
            "thêm trang".to_string()
        } else if c.contains("page(s) removed") {
            "bớt trang".to_string()
        } else if c.contains("replaced") && c.starts_with("page") {
            on_page("thay thế")
        } else if c.starts_with("annotation removed") {
            on_page("xóa ghi chú, dấu trên")
        } else if c.starts_with("annotation") {
            on_page("thêm hoặc sửa ghi chú, dấu trên")
        } else if c.starts_with("content stream")
            || (c.starts_with("page") && c.contains("changed"))
        {
            on_page("sửa nội dung")
        } else if c.starts_with("image") {
            "sửa hình ảnh".to_string()
        } else if c.starts_with("font") {
            "sửa phông chữ".to_string()
        } else if c.starts_with("form") {
            "sửa ô nhập liệu".to_string()
        } else if c.starts_with("the signature in field") {
            "thay chữ ký đã có".to_string()
        } else if c.starts_with("page tree") {
            "sửa cấu trúc trang".to_string()
        } else if c.starts_with("document catalog") {
            "sửa thông tin chung của tài liệu".to_string()
        } else {
            "sửa nội dung khác".to_string()
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        return "có thay đổi không được phép sau khi ký".to_string();
    }
    let more = kinds.len().saturating_sub(3);
    kinds.truncate(3);
    let mut s = kinds.join(", ");
    if more > 0 {
        s.push_str(&format!(" và {more} thay đổi khác"));
    }
    s
}

fn changes_en(changes: &[String]) -> String {
    let denied: Vec<&str> = changes
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with("allowed:"))
        .collect();
    if denied.is_empty() {
        "changes that are not allowed after signing".to_string()
    } else {
        denied.join("; ")
    }
}

fn page_of(change: &str) -> Option<u32> {
    let at = change.find("page ")? + 5;
    let digits: String = change[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Decree 30: an original electronic document carries the competent
/// person's signature and the organisation's. An image-only electronic copy
/// (bản sao điện tử) needs only the organisation's, so scans (also those
/// under an OCR layer, good or garbled) and recognised copies are skipped.
fn is_scan_or_copy(f: &FileFacts) -> bool {
    f.pdf.text_layer != Some(true)
        || f.pdf.ocr_layer
        || f.pdf.text_garbled
        || f.pdf.scan_dpi.is_some()
        || f.document.copy.is_some()
}

fn signer_set(f: &FileFacts, name: &str, out: &mut Vec<Finding>) {
    let sigs: Vec<&SignatureFacts> = f
        .signatures
        .iter()
        .filter(|s| s.sig_type == SigType::Signature)
        .collect();
    if sigs.is_empty() || is_scan_or_copy(f) {
        return;
    }
    if sigs.iter().any(|s| s.kind == SignerKind::Unknown) {
        return; // cannot tell who signed: no claim either way
    }
    let person = sigs.iter().any(|s| s.kind == SignerKind::Person);
    let org = sigs.iter().any(|s| s.kind == SignerKind::Organization);
    let (vi, en) = match (person, org) {
        (true, true) => return,
        (true, false) => (
            "thiếu chữ ký số của cơ quan, tổ chức",
            "the organisation's signature is missing",
        ),
        (false, true) => (
            "thiếu chữ ký số của người có thẩm quyền",
            "the competent person's signature is missing",
        ),
        (false, false) => return,
    };
    out.push(
        Finding::new(
            &diags::SIG004,
            Msg::new(
                format!("{name}: {vi} (Nghị định 30/2020/NĐ-CP, Điều 5: văn bản điện tử cần chữ ký số của người có thẩm quyền và của cơ quan)."),
                format!("{name}: {en} (Decree 30/2020, Art. 5: an electronic document needs both the competent person's and the organisation's digital signature)."),
            ),
        )
        .path(&f.path),
    );
}

/// Why an algorithm is refused, in both languages ("hàm băm SHA-1").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weakness {
    pub vi: String,
    pub en: String,
}

/// The algorithm layer: `Ok` when the signature's digest, scheme and key
/// size meet `policy`, else why not.
pub fn algorithm_ok(s: &SignatureFacts, policy: &AlgorithmPolicy) -> Result<(), Weakness> {
    let a = &s.algorithms;
    let weak = |d: &Option<String>| {
        d.as_ref().is_some_and(|d| {
            policy.weak_digests.contains(d) && policy.tolerated(d, &s.chain_sha256).is_none()
        })
    };
    let no = |vi: String, en: String| Err(Weakness { vi, en });
    if let Some(d) = a.digest.as_deref().filter(|_| weak(&a.digest)) {
        return no(format!("hàm băm {d}"), format!("{d} as the digest"));
    }
    if let Some(d) = a
        .signature_digest
        .as_deref()
        .filter(|_| weak(&a.signature_digest))
    {
        let scheme = a.signature.as_deref();
        return no(
            format!("thuật toán ký {} với hàm băm {d}", scheme.unwrap_or("")).replace("  ", " "),
            format!("{} with {d}", scheme.unwrap_or("signature")),
        );
    }
    match (a.key.as_deref(), a.key_bits) {
        (Some("RSA"), Some(bits)) if bits < policy.min_rsa_bits => no(
            format!(
                "khóa RSA {bits} bit (cần ít nhất {} bit)",
                policy.min_rsa_bits
            ),
            format!(
                "an RSA key of {bits} bits (at least {} required)",
                policy.min_rsa_bits
            ),
        ),
        (Some("EC" | "Ed25519" | "Ed448"), Some(bits)) if bits < policy.min_ec_bits => {
            let curve = a.curve.as_deref();
            no(
                format!(
                    "đường cong elliptic {}({bits} bit, cần ít nhất {} bit)",
                    curve.map(|c| format!("{c} ")).unwrap_or_default(),
                    policy.min_ec_bits
                ),
                format!(
                    "{} ({bits} bits, at least {} required)",
                    curve.unwrap_or("an elliptic curve"),
                    policy.min_ec_bits
                ),
            )
        }
        _ => Ok(()),
    }
}

/// A signature without a time whose chain is not valid at the evaluation
/// date (its time can only be "now", and now is `as_of`).
fn expired_at(s: &SignatureFacts, as_of: NaiveDate) -> Option<Weakness> {
    if s.trusted != Some(true) || s.signing_time.is_some() {
        return None;
    }
    let w = s.chain_validity?;
    let (from, until) = (w.not_before.date_naive(), w.not_after.date_naive());
    let (f, u, a) = (
        super::vi_date(from),
        super::vi_date(until),
        super::vi_date(as_of),
    );
    (as_of < from || as_of > until).then(|| Weakness {
        vi: format!("chữ ký không ghi thời điểm ký, còn chứng thư chỉ có hiệu lực từ {f} đến {u}, không phải ngày {a}"),
        en: format!("the signature carries no time and the certificate chain is valid only from {f} to {u}, not on {a}"),
    })
}

/// A document timestamp vouches for a time, not for a signer: the trust of
/// its authority (TSA) is recorded in the facts but gives no SIG005–SIG008
/// (a genuine document timestamped by a public TSA is not at fault).
fn is_timestamp(s: &SignatureFacts) -> bool {
    s.sig_type == SigType::Timestamp
}

/// SIG005: why the signature's certificate cannot be relied on, and what to do.
fn untrusted_why(s: &SignatureFacts, expired_at_as_of: Option<&Weakness>) -> TrustWhy {
    let ca = s.trust_ca.as_deref().unwrap_or("?");
    let time = |t: chrono::DateTime<chrono::FixedOffset>| {
        format!("{} {}", t.format("%H:%M"), super::vi_date(t.date_naive()))
    };
    let signed = s
        .signing_time
        .map(time)
        .unwrap_or_else(|| "không rõ".into());
    let resign = (
        "Ký số lại văn bản bằng chứng thư số còn hiệu lực do Ban Cơ yếu Chính phủ cấp.",
        "Sign the document again with a valid certificate issued by the Government Cipher Committee (Ban Cơ yếu Chính phủ).",
    );
    let (vi, en, action): (String, String, (&str, &str)) = match (s.trust, s.untrusted_reason) {
        (_, _) if expired_at_as_of.is_some() => {
            let (e_vi, e_en) = expired_at_as_of
                .map(|e| (e.vi.clone(), e.en.clone()))
                .unwrap_or_default();
            (
                format!("chứng thư số không còn hiệu lực vào ngày đánh giá ({e_vi})"),
                format!("its certificate chain is not valid on the evaluation date ({e_en})"),
                resign,
            )
        }
        (Some(TrustState::Expired), _) => (
            format!("chứng thư số {} đã hết hạn tại thời điểm ký ({signed})", cert_vi(s)),
            format!("the certificate {} had expired when the document was signed ({signed})", cert_en(s)),
            resign,
        ),
        (Some(TrustState::NotYetValid), _) => (
            format!("chứng thư số {} chưa có hiệu lực tại thời điểm ký ({signed})", cert_vi(s)),
            format!("the certificate {} was not yet valid when the document was signed ({signed})", cert_en(s)),
            resign,
        ),
        (Some(TrustState::Revoked), _) => {
            let when = s
                .revocation
                .and_then(|r| r.revoked_at)
                .map(time)
                .unwrap_or_else(|| "không rõ ngày".into());
            (
                format!("chứng thư số của người ký đã bị thu hồi ({when}) trước thời điểm ký ({signed}), theo danh sách thu hồi (CRL) của tổ chức cấp"),
                format!("the signer's certificate was revoked ({when}) before the signing time ({signed}), according to the issuing CA's revocation list (CRL)"),
                resign,
            )
        }
        (_, Some(UntrustedReason::SelfSigned)) => (
            "chứng thư số là chứng thư tự cấp (tự ký), không do tổ chức chứng thực nào cấp: ai cũng tự tạo được chứng thư như vậy với bất kỳ tên nào".into(),
            "the certificate is self-signed, issued by no certification authority: anyone can make one with any name".into(),
            resign,
        ),
        (_, Some(UntrustedReason::CopiesGovernmentCa)) => (
            format!("chuỗi chứng thư số dùng tên tổ chức chứng thực \"{ca}\" nhưng KHÔNG do tổ chức chứng thực của Chính phủ cấp (chữ ký trên chứng thư không khớp khóa của tổ chức đó): đây là chứng thư giả mạo tên"),
            format!("the certificate chain uses the name of the certification authority \"{ca}\" but was NOT issued by the government CA (its signature does not verify under that CA's key): the name is copied"),
            (
                "Không sử dụng văn bản này làm tài liệu kiểm chứng; đề nghị cơ quan ban hành ký số lại bằng chứng thư số do Ban Cơ yếu Chính phủ cấp.",
                "Do not use this file as evidence; ask the issuing body to sign it again with a certificate issued by the Government Cipher Committee.",
            ),
        ),
        (_, Some(UntrustedReason::NotIssuedByNamedCa)) => (
            format!("chứng thư số ghi bên cấp là \"{ca}\" nhưng không được tổ chức đó ký"),
            format!("the certificate names \"{ca}\" as its issuer but that CA did not sign it"),
            resign,
        ),
        (_, Some(UntrustedReason::UnknownRoot | UntrustedReason::UnknownCa)) => (
            format!("chứng thư số do \"{ca}\" cấp, không thuộc các tổ chức chứng thực tlkc tin cậy (Ban Cơ yếu Chính phủ) và chưa được khai báo"),
            format!("the certificate was issued by \"{ca}\", which is neither a certification authority tlkc trusts (the Government Cipher Committee) nor declared"),
            (
                "Nếu đó là tổ chức chứng thực hợp pháp, khai báo chứng thư gốc của nó trong [trust] anchors của tlkc.toml; nếu không, ký số lại bằng chứng thư số do Ban Cơ yếu Chính phủ cấp.",
                "If it is a lawful certification authority, declare its root certificate in [trust] anchors of tlkc.toml; otherwise sign again with a certificate issued by the Government Cipher Committee.",
            ),
        ),
        (_, Some(UntrustedReason::NotAllowedToSign)) => (
            "một chứng thư trong chuỗi không được phép cấp chứng thư hoặc ký (ràng buộc cơ bản, mục đích sử dụng khóa)".into(),
            "a certificate of the chain may not issue certificates or sign (basic constraints, key usage)".into(),
            resign,
        ),
        (_, Some(UntrustedReason::NoCertificate)) => (
            "chữ ký không kèm chứng thư số của người ký".into(),
            "the signature does not carry the signer's certificate".into(),
            resign,
        ),
        _ => (
            "không dựng được chuỗi chứng thư số tin cậy".into(),
            "no trusted certificate chain could be built".into(),
            resign,
        ),
    };
    TrustWhy {
        vi,
        en,
        action_vi: action.0,
        action_en: action.1,
    }
}

fn cert_vi(s: &SignatureFacts) -> String {
    match &s.trust_ca {
        Some(ca) => format!("của tổ chức chứng thực \"{ca}\" trong chuỗi"),
        None => "của người ký".into(),
    }
}

fn cert_en(s: &SignatureFacts) -> String {
    match &s.trust_ca {
        Some(ca) => format!("of the certification authority \"{ca}\" in the chain"),
        None => "of the signer".into(),
    }
}

/// SIG008: revoked, but after the document was signed.
fn revoked_after_signing(s: &SignatureFacts) -> Option<Finding> {
    let r = s.revocation?;
    if r.status != RevocationStatus::Revoked || s.trust != Some(TrustState::Trusted) {
        return None;
    }
    let (at, signed) = (r.revoked_at?, s.signing_time?);
    let (who, who_en) = describe(s);
    let d = |t: chrono::DateTime<chrono::FixedOffset>| super::vi_date(t.date_naive());
    Some(Finding::new(
        &diags::SIG008,
        Msg::new(
            format!("Chứng thư số của chữ ký {who} bị thu hồi {}, sau thời điểm ký {}: chữ ký vẫn có giá trị vì văn bản được ký khi chứng thư còn hiệu lực.", d(at), d(signed)),
            format!("The certificate behind the signature {who_en} was revoked on {}, after the signing time ({}): the signature still stands, as the document was signed while the certificate was valid.", d(at), d(signed)),
        ),
    ))
}

/// SIG007, once per report: the signatures' certificates were judged
/// without a revocation list, so a certificate revoked before signing would
/// not be noticed. Not repeated per signature: it is a fact of the run.
pub fn revocation_note(files: &[&KeptFacts], out: &mut Vec<Finding>) {
    let unchecked = files
        .iter()
        .flat_map(|f| &f.signatures)
        .filter(|s| s.sig_type != SigType::Timestamp)
        .filter(|s| s.revocation == Some(RevocationStatus::NotChecked))
        .count();
    if unchecked == 0 {
        return;
    }
    out.push(Finding::new(
        &diags::SIG007,
        Msg::new(
            format!("Chưa kiểm tra thu hồi chứng thư số cho {unchecked} chữ ký (tlkc không truy cập mạng): muốn kiểm tra, tải danh sách thu hồi (CRL) của Ban Cơ yếu Chính phủ trên máy có mạng rồi chạy lại với --crl TỆP hoặc [trust] crls trong tlkc.toml."),
            format!("Certificate revocation was not checked for {unchecked} signature(s) (tlkc never goes online): to check it, download the Government Cipher Committee's revocation lists (CRL) on a connected machine and run again with --crl FILE or [trust] crls in tlkc.toml."),
        ),
    ));
}

/// Who signed, for the Vietnamese and the English message.
fn describe(s: &SignatureFacts) -> (String, String) {
    match (&s.signer, &s.field) {
        (Some(cn), _) => (format!("của {cn}"), format!("by {cn}")),
        (None, Some(field)) => (format!("ở ô “{field}”"), format!("in field “{field}”")),
        (None, None) => (String::new(), String::new()),
    }
}

/// The latest organisation signing time, the moment the document was released.
pub fn release_time(f: &KeptFacts) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    f.signatures
        .iter()
        .filter(|s| s.sig_type == SigType::Signature && s.kind == SignerKind::Organization)
        .filter_map(|s| s.signing_time)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Code;

    fn file(sigs: Vec<SignatureFacts>) -> FileFacts {
        FileFacts {
            signatures: sigs,
            ..FileFacts::pdf("a/b.pdf")
        }
    }

    fn sound(kind: SignerKind) -> SignatureFacts {
        let mut s = SignatureFacts::unknown(Some("Sig1".into()));
        s.kind = kind;
        s.intact = Some(true);
        s.crypto_valid = Some(true);
        s.coverage = Some(Coverage::EntireFile);
        s.modified_after = Some(ModifiedAfter::None);
        s
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn codes_at(f: &FileFacts, p: &AlgorithmPolicy, as_of: NaiveDate) -> Vec<Code> {
        let mut out = vec![];
        check(f, p, as_of, &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    fn codes(f: &FileFacts) -> Vec<Code> {
        codes_at(f, &AlgorithmPolicy::default(), day(2022, 11, 30))
    }

    fn messages(f: &FileFacts, p: &AlgorithmPolicy) -> Vec<String> {
        let mut out = vec![];
        check(f, p, day(2022, 11, 30), &mut out);
        out.into_iter().map(|f| f.message.en.clone()).collect()
    }

    #[test]
    fn a_weak_algorithm_does_not_count_and_says_which_and_when() {
        let mut s = sound(SignerKind::Person);
        s.algorithms.digest = Some("SHA-1".into());
        s.signing_time = chrono::DateTime::parse_from_rfc3339("2016-04-18T15:40:19+07:00").ok();
        let f = file(vec![s.clone(), sound(SignerKind::Organization)]);
        assert_eq!(codes(&f), [Code::Sig002]);
        let m = &messages(&f, &AlgorithmPolicy::default())[0];
        assert!(
            m.contains("SHA-1 as the digest") && m.contains("18/04/2016 15:40"),
            "{m}"
        );
        let mut vi = vec![];
        check(&f, &AlgorithmPolicy::default(), day(2022, 11, 30), &mut vi);
        assert!(vi[0].message.vi.contains("hàm băm SHA-1"), "{:?}", vi[0]);
        // A folder may accept it, with its reason.
        let relaxed = AlgorithmPolicy {
            weak_digests: vec!["MD5".into()],
            override_reason: Some("archived documents signed before 2017".into()),
            ..AlgorithmPolicy::default()
        };
        assert!(codes_at(&f, &relaxed, day(2022, 11, 30)).is_empty());
        // The government PKI's own SHA-1 signatures count when the chain verified
        // through its CA certificate (by fingerprint); a copied name is not enough.
        let mut gov = s.clone();
        gov.issuer = Some("CA phục vụ các cơ quan Nhà nước G2".into());
        assert!(algorithm_ok(&gov, &AlgorithmPolicy::default()).is_err());
        gov.chain_sha256 = vec![crate::rules::policy::G2_STATE_CA_SHA256.into()];
        assert_eq!(algorithm_ok(&gov, &AlgorithmPolicy::default()), Ok(()));
        for (key, bits, curve, want) in [
            ("RSA", 1024, None, Some("an RSA key of 1024 bits")),
            ("RSA", 2048, None, None),
            ("EC", 192, Some("P-192"), Some("P-192 (192 bits")),
            ("EC", 256, Some("P-256"), None),
        ] {
            let mut s = sound(SignerKind::Person);
            s.algorithms.key = Some(key.into());
            s.algorithms.key_bits = Some(bits);
            s.algorithms.curve = curve.map(String::from);
            let got = algorithm_ok(&s, &AlgorithmPolicy::default())
                .err()
                .map(|w| w.en);
            assert_eq!(got.is_some(), want.is_some(), "{key} {bits}: {got:?}");
            if let (Some(g), Some(w)) = (got, want) {
                assert!(g.contains(w), "{g}");
            }
        }
        let mut s = sound(SignerKind::Person);
        s.algorithms.signature = Some("ECDSA".into());
        s.algorithms.signature_digest = Some("SHA-1".into());
        assert_eq!(
            algorithm_ok(&s, &AlgorithmPolicy::default()).map_err(|w| w.en),
            Err("ECDSA with SHA-1".into())
        );
    }

    /// The hidden clock (issue 16): a signature with no time was judged at
    /// inspection's wall clock and cached. Now the facts hold the chain's
    /// window and the verdict moves with the evaluation date.
    #[test]
    fn a_signature_without_time_is_judged_at_the_evaluation_date() {
        let mut s = sound(SignerKind::Organization);
        s.trusted = Some(true);
        s.chain_validity = Some(crate::facts::Validity {
            not_before: chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00+07:00").unwrap(),
            not_after: chrono::DateTime::parse_from_rfc3339("2022-06-30T23:59:59+07:00").unwrap(),
        });
        let f = file(vec![sound(SignerKind::Person), s.clone()]);
        let p = AlgorithmPolicy::default();
        assert!(codes_at(&f, &p, day(2022, 3, 1)).is_empty());
        assert_eq!(codes_at(&f, &p, day(2022, 11, 30)), [Code::Sig005]);
        // With a signing time, the file's own time decides, not as_of.
        let mut timed = s;
        timed.signing_time = chrono::DateTime::parse_from_rfc3339("2022-03-01T09:00:00+07:00").ok();
        let f = file(vec![sound(SignerKind::Person), timed]);
        assert!(codes_at(&f, &p, day(2030, 1, 1)).is_empty());
    }

    fn broken(kind: SignerKind, cn: &str) -> SignatureFacts {
        let mut s = sound(kind);
        s.signer = Some(cn.into());
        s.intact = Some(false);
        s.notes = vec!["the document bytes do not match the digest the signer signed".into()];
        s
    }

    fn findings(f: &FileFacts) -> Vec<Finding> {
        let mut out = vec![];
        check(f, &AlgorithmPolicy::default(), day(2022, 11, 30), &mut out);
        out
    }

    /// One finding per file and cause, naming every signer, with the
    /// English detail kept out of the Vietnamese sentence.
    #[test]
    fn four_failed_signatures_are_one_finding() {
        let mut f = file(vec![
            broken(SignerKind::Person, "Nguyễn Văn A"),
            broken(SignerKind::Organization, "UBND huyện Đắk Glei"),
            broken(SignerKind::Organization, "UBND huyện Đắk Glei"),
            broken(SignerKind::Person, "Trần Thị B"),
        ]);
        f.pdf.producer = Some("Microsoft® Word 2016".into());
        let got = findings(&f);
        assert_eq!(got.len(), 1, "{got:?}");
        let g = &got[0];
        assert_eq!(g.code, Code::Sig002);
        assert!(
            g.message
                .vi
                .contains("đã bị sửa hoặc được mở ra lưu lại sau khi ký"),
            "{}",
            g.message.vi
        );
        assert!(
            g.message
                .vi
                .contains("của Nguyễn Văn A, của UBND huyện Đắk Glei và của Trần Thị B"),
            "{}",
            g.message.vi
        );
        assert!(
            g.message.vi.contains("Microsoft® Word 2016"),
            "{}",
            g.message.vi
        );
        assert!(!g.message.vi.contains("digest"), "{}", g.message.vi);
        assert!(g.facts["detail"].contains("digest"));
    }

    /// Bytes before the header: download again, do not re-sign, when the
    /// signatures verify with those bytes skipped.
    #[test]
    fn leading_bytes_mean_download_again() {
        let mut f = file(vec![
            broken(SignerKind::Organization, "UBND tỉnh Lâm Đồng"),
            broken(SignerKind::Person, "Nguyễn Văn A"),
        ]);
        f.pdf.leading_bytes = 21;
        f.pdf.signatures_verify_without_leading_bytes = Some(true);
        let got = findings(&f);
        assert_eq!(got.len(), 1, "{got:?}");
        let vi = &got[0].message.vi;
        assert!(
            vi.contains("Tải lại bản gốc") && vi.contains("không cần ký số lại"),
            "{vi}"
        );
        assert!(!vi.contains("bị sửa sau khi ký"), "{vi}");
        f.pdf.signatures_verify_without_leading_bytes = Some(false);
        let vi = &findings(&f)[0].message.vi;
        assert!(vi.contains("vẫn không khớp"), "{vi}");
    }

    /// A file that needs a password: PDF002 says it, not one SIG002 per signature.
    #[test]
    fn a_locked_file_gets_no_signature_failures() {
        let mut f = file(vec![
            broken(SignerKind::Organization, "UBND"),
            broken(SignerKind::Person, "A"),
        ]);
        f.pdf.needs_password = true;
        assert!(findings(&f).is_empty());
    }

    #[test]
    fn later_changes_are_said_in_vietnamese() {
        let mut s = sound(SignerKind::Person);
        s.modified_after = Some(ModifiedAfter::Disallowed);
        s.changes = vec![
            "page 1: /Contents changed".into(),
            "annotation (/FreeText) added on page 2".into(),
            "allowed: signature widget added on page 1".into(),
        ];
        let got = findings(&file(vec![s, sound(SignerKind::Organization)]));
        assert_eq!(got.len(), 1);
        let vi = &got[0].message.vi;
        assert!(
            vi.contains("sửa nội dung trang 1, thêm hoặc sửa ghi chú, dấu trên trang 2"),
            "{vi}"
        );
    }

    #[test]
    fn sound_pair_is_clean() {
        assert!(codes(&file(vec![
            sound(SignerKind::Person),
            sound(SignerKind::Organization)
        ]))
        .is_empty());
    }

    #[test]
    fn forged_contents_is_invalid() {
        let mut s = sound(SignerKind::Person);
        s.intact = Some(false);
        s.crypto_valid = Some(false);
        assert_eq!(
            codes(&file(vec![s, sound(SignerKind::Organization)])),
            [Code::Sig002]
        );
    }

    #[test]
    fn later_edit_and_untrusted() {
        let mut s = sound(SignerKind::Person);
        s.modified_after = Some(ModifiedAfter::Disallowed);
        s.changes = vec!["page 1 content changed".into()];
        let mut o = sound(SignerKind::Organization);
        o.trusted = Some(false);
        o.trust = Some(TrustState::Untrusted);
        assert_eq!(codes(&file(vec![s, o])), [Code::Sig003, Code::Sig005]);
    }

    /// Issue 22: each verdict state has its finding, and its message says why.
    #[test]
    fn each_trust_state_has_its_finding() {
        let with = |state, reason: Option<UntrustedReason>, ca: Option<&str>| {
            let mut s = sound(SignerKind::Organization);
            s.trust = Some(state);
            s.trusted = Some(state == TrustState::Trusted);
            s.untrusted_reason = reason;
            s.trust_ca = ca.map(String::from);
            s.signing_time = chrono::DateTime::parse_from_rfc3339("2022-03-18T09:30:00+07:00").ok();
            file(vec![sound(SignerKind::Person), s])
        };
        let p = AlgorithmPolicy::default();
        let forged = with(
            TrustState::Untrusted,
            Some(UntrustedReason::CopiesGovernmentCa),
            Some("CA phục vụ các cơ quan Nhà nước G2"),
        );
        assert_eq!(codes(&forged), [Code::Sig005]);
        let m = &messages(&forged, &p)[0];
        assert!(m.contains("NOT issued by the government CA"), "{m}");
        let mut out = vec![];
        check(&forged, &p, day(2022, 11, 30), &mut out);
        assert!(
            out[0].message.vi.contains("giả mạo tên"),
            "{}",
            out[0].message.vi
        );
        let selfsigned = with(
            TrustState::Untrusted,
            Some(UntrustedReason::SelfSigned),
            None,
        );
        assert!(messages(&selfsigned, &p)[0].contains("self-signed"));
        for state in [
            TrustState::Expired,
            TrustState::NotYetValid,
            TrustState::Revoked,
        ] {
            assert_eq!(codes(&with(state, None, None)), [Code::Sig005], "{state:?}");
        }
        // A known CA whose certificate is missing: a warning, never an error.
        let incomplete = with(
            TrustState::ChainIncomplete,
            None,
            Some("CA phục vụ các cơ quan Đảng G2"),
        );
        assert_eq!(codes(&incomplete), [Code::Sig006]);
        assert_eq!(diags::SIG006.severity, crate::findings::Severity::Warning);
        assert!(messages(&incomplete, &p)[0].contains("CA phục vụ các cơ quan Đảng G2"));
        assert!(codes(&with(TrustState::Trusted, None, None)).is_empty());
        // A forged chain with SHA-1: refused for the algorithm AND said to be forged.
        let mut sha1 = with(
            TrustState::Untrusted,
            Some(UntrustedReason::CopiesGovernmentCa),
            Some("X"),
        );
        sha1.signatures[1].algorithms.digest = Some("SHA-1".into());
        assert_eq!(codes(&sha1), [Code::Sig002, Code::Sig005]);
        // A document timestamp's authority is recorded, not judged.
        let mut ts = with(
            TrustState::Untrusted,
            Some(UntrustedReason::UnknownRoot),
            Some("TSA"),
        );
        ts.signatures[1].sig_type = SigType::Timestamp;
        assert!(!codes(&ts).contains(&Code::Sig005), "{:?}", codes(&ts));
        // Revoked after the signing time: information only.
        let mut after = with(TrustState::Trusted, None, None);
        after.signatures[1].revocation = Some(crate::facts::Revocation {
            status: RevocationStatus::Revoked,
            revoked_at: chrono::DateTime::parse_from_rfc3339("2022-06-01T00:00:00+07:00").ok(),
            crl_issued: None,
        });
        assert_eq!(codes(&after), [Code::Sig008]);
    }

    #[test]
    fn revocation_not_checked_is_said_once_per_report() {
        let mut s = sound(SignerKind::Organization);
        s.revocation = Some(crate::facts::Revocation {
            status: RevocationStatus::NotChecked,
            revoked_at: None,
            crl_issued: None,
        });
        let a = file(vec![s.clone(), s.clone()]);
        let b = file(vec![s]);
        let mut out = vec![];
        revocation_note(&[&KeptFacts::of(&a), &KeptFacts::of(&b)], &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::Sig007);
        assert!(
            out[0].message.en.contains("3 signature(s)"),
            "{}",
            out[0].message.en
        );
        let mut out = vec![];
        let person = KeptFacts::of(&file(vec![sound(SignerKind::Person)]));
        revocation_note(&[&person], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn person_only_lacks_organisation() {
        assert_eq!(
            codes(&file(vec![sound(SignerKind::Person)])),
            [Code::Sig004]
        );
        let mut scan = file(vec![sound(SignerKind::Organization)]);
        scan.pdf.text_layer = Some(false);
        assert!(codes(&scan).is_empty());
        // A scan under an OCR layer (readable or garbled) is still a scan.
        for garbled in [false, true] {
            let mut ocr = file(vec![sound(SignerKind::Organization)]);
            ocr.pdf.ocr_layer = !garbled;
            ocr.pdf.text_garbled = garbled;
            assert!(codes(&ocr).is_empty(), "garbled: {garbled}");
        }
    }
}
