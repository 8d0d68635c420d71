//! Facts produced by inspection. Facts never judge: a missing value is `None`
//! ("cannot tell"), never a guess. Checks turn facts into findings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything tlkc learned about one evidence file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileFacts {
    /// Path relative to the evidence root, `/`-separated, NFC.
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// What the file's first bytes say it is.
    pub kind: FileKind,
    pub pdf: PdfFacts,
    pub document: DocumentFacts,
    pub signatures: Vec<SignatureFacts>,
    /// Signature fields without a value (/V): places to sign, not signatures.
    pub unsigned_fields: Vec<String>,
}

impl FileFacts {
    /// A readable, born-digital PDF with a text layer and nothing else known:
    /// the usual starting point for a test, changed with struct-update syntax
    /// (`FileFacts { document: …, ..FileFacts::pdf("a.pdf") }`).
    pub fn pdf(path: &str) -> Self {
        FileFacts {
            path: path.to_string(),
            sha256: String::new(),
            size: 0,
            kind: FileKind::Pdf,
            pdf: PdfFacts {
                readable: true,
                text_layer: Some(true),
                ..Default::default()
            },
            document: Default::default(),
            signatures: vec![],
            unsigned_fields: vec![],
        }
    }

    /// A file that is not a PDF (Word, image, archive…).
    pub fn other(path: &str) -> Self {
        FileFacts {
            kind: FileKind::Other,
            pdf: PdfFacts::default(),
            ..FileFacts::pdf(path)
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    /// Word/Excel (OOXML or legacy OLE), images, HTML, archives…
    Other,
    Empty,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PdfFacts {
    pub readable: bool,
    /// Why the file could not be read, when it could not.
    pub error: Option<String>,
    /// The file has an /Encrypt dictionary, whether or not it opens without a password.
    pub encrypted: bool,
    /// It does not open without a password: the empty user password of the
    /// standard security handler (RC4, AES-128, AES-256; R2–R6) was refused,
    /// or the handler is not the standard one.
    #[serde(default)]
    pub needs_password: bool,
    /// What an owner password forbids a reader who opens the file without a
    /// password (from /P): "print", "copy", "change".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<String>,
    /// Header version, e.g. "1.7".
    pub version: Option<String>,
    pub pages: Option<u32>,
    /// Page 1 carries extractable text (`false` for an image-only scan).
    pub text_layer: Option<bool>,
    /// Page 1's text is all invisible (render mode 3): an OCR layer under a
    /// scanned image, where a number or day filled in by hand reads as a blank.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr_layer: bool,
    /// Number of revisions (`%%EOF`-terminated sections).
    pub revisions: Option<u32>,
    /// A resource limit that stopped inspection early (flate bomb, depth…).
    pub limit_hit: Option<String>,
    /// The file is larger than this many bytes (`limits.max_file_bytes`):
    /// it was hashed, not opened (`limit_hit` says so too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_size_limit: Option<u64>,
    /// Resolution of the scanned image covering page 1, in dots per inch
    /// (the lower of the two axes); `None` when page 1 is not a scan.
    #[serde(default)]
    pub scan_dpi: Option<u32>,
    /// Page 1's text layer is not Vietnamese text (a scanner's OCR without the
    /// Vietnamese model, broken diacritics) and was set aside.
    #[serde(default)]
    pub text_garbled: bool,
    /// Why page 1 of a scan was not read by OCR, when it was not.
    #[serde(default)]
    pub ocr_note: Option<String>,
    /// These facts hold an outcome of this run's moment, not of the file: a
    /// time budget or OCR deadline that ran out, an OCR engine that failed.
    /// Never stored in the index: the next run inspects the file again.
    #[serde(skip)]
    pub transient: bool,
    /// Bytes before the `%PDF-` header (a broken download or transfer
    /// prepends them; readers skip them, signatures' offsets do not).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub leading_bytes: u64,
    /// With leading bytes and a signature that failed: whether every
    /// signature verifies once those bytes are skipped (`None`: not tried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures_verify_without_leading_bytes: Option<bool>,
    /// /Producer of the document information (latest revision): the
    /// software that last saved the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What page 1 says about the document (Decree 30/2020/NĐ-CP, Phụ lục I).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DocumentFacts {
    /// Number and symbol as printed after "Số:", e.g. "1558/KH-UBND".
    pub number: Option<String>,
    /// Type abbreviation (Phụ lục III), e.g. "KH"; `None` for a công văn.
    pub r#type: Option<String>,
    /// Abbreviation of the issuing body, e.g. "UBND".
    pub issuer: Option<String>,
    /// Issue date from the place-and-date line.
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    /// Upper-case type name heading the document ("KẾ HOẠCH"), or "CÔNG VĂN" for a "V/v" letter.
    pub title_type: Option<String>,
    /// The extract (trích yếu): the line(s) after the type name, or after "V/v".
    pub title: Option<String>,
    /// Details of the number/symbol parse.
    pub number_facts: Option<NumberFacts>,
    /// The place-and-date line as printed.
    pub date_line: Option<String>,
    /// Why a value that page 1 seems to carry was left `None` (a blank
    /// number, a registration line above the header, a garbled text layer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// Page 1 has a text layer, but it does not read as Vietnamese (a bad OCR
    /// layer under a scan, or a font-encoding shift): nothing was read from it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub text_garbled: bool,
    /// The issuing body's name as printed above the number, one entry per
    /// line, parent body first ("UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuing_body: Vec<String>,
    /// The file is a copy (bản sao điện tử) or a republication, not the
    /// original as released: its signatures are the copier's, not the issuer's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<CopyFacts>,
    /// Other documents' numbers cited on page 1 ("phúc đáp Công văn số
    /// 3183/SNV-TCBC …"), as printed, in order (inspect::citations).
    #[serde(default)]
    pub citations: Vec<String>,
    /// Year and month of the date line ("2022-03"), also when the day cannot
    /// be read (handwritten on a scan, blank in a draft) and `date` is `None`.
    #[serde(default)]
    pub date_month: Option<String>,
    /// Where these values were read: the text layer or OCR of the scan.
    #[serde(default)]
    pub source: Option<ReadSource>,
    /// For OCR: the mean word confidence (0–1) of the lines the values came from.
    #[serde(default)]
    pub confidence: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReadSource {
    Text,
    Ocr,
}

/// Who made a copy of the document, and when (Decree 30/2020, Điều 25–26).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CopyFacts {
    pub kind: CopyKind,
    /// The copying organisation (the copy signature's signer), when known.
    pub organisation: Option<String>,
    /// When the copy was signed: not the document's release.
    pub time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// What says it is a copy: a signature's /Reason, a stamp's words, a publisher's signature.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// "SAO Y" / "SAO Y BẢN CHÍNH".
    SaoY,
    /// "SAO LỤC".
    SaoLuc,
    /// "TRÍCH SAO".
    TrichSao,
    /// "BẢN SAO", or a signature made "ký số bản sao văn bản điện tử".
    BanSao,
    /// Republished by a government portal (Cổng Thông tin điện tử), which signs the scan.
    Publication,
}

/// A parsed "Số: N/SYMBOL" string.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NumberFacts {
    pub raw: String,
    /// Ordinal number; `None` for a blank draft number ("Số: /BC-PNV").
    pub seq: Option<u32>,
    /// Year embedded by legal normative documents ("60/2021/NĐ-CP").
    pub year: Option<i32>,
    /// Symbol groups split on "-", e.g. ["KH", "UBND"].
    pub groups: Vec<String>,
    /// Ways the string departs from Decree 30 (underscore separator, a typo
    /// space inside the symbol…): DOC002.
    pub deviations: Vec<String>,
    /// Layout habits of genuine document systems that are no fault: spaces
    /// around "/" where the number is stamped into a blank, no colon after
    /// "Số", a letter suffix on an inserted number ("118a").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub habits: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SignerKind {
    Person,
    Organization,
    Unknown,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    Timestamp,
    SigningTime,
    M,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    EntireFile,
    EntireRevision,
    Partial,
    Unclear,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModifiedAfter {
    None,
    Allowed,
    Disallowed,
}

/// What a signature field holds. The JSON report and the index's stored
/// facts spell it `"signature"` or `"timestamp"`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SigType {
    /// A signature of a person or an organisation.
    #[default]
    Signature,
    /// A document timestamp (/DocTimeStamp, RFC 3161): it dates the file, signs for nobody.
    Timestamp,
}

/// One signature (or document timestamp) found in the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SignatureFacts {
    pub field: Option<String>,
    pub sub_filter: Option<String>,
    /// A signature or a document timestamp (/DocTimeStamp); serialised as
    /// `"signature"` / `"timestamp"`, the strings the index stored before.
    pub sig_type: SigType,
    /// Signer certificate subject CN.
    pub signer: Option<String>,
    /// Signer certificate issuer CN.
    pub issuer: Option<String>,
    pub signer_subject: Option<String>,
    pub issuer_subject: Option<String>,
    pub kind: SignerKind,
    /// RFC 3339 in +07:00.
    pub signing_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub time_source: Option<TimeSource>,
    pub coverage: Option<Coverage>,
    pub intact: Option<bool>,
    pub crypto_valid: Option<bool>,
    pub modified_after: Option<ModifiedAfter>,
    pub changes: Vec<String>,
    /// `true` when `trust` is `trusted`, `false` when it is `untrusted`,
    /// `expired`, `not_yet_valid` or `revoked`; `None` when it cannot be told
    /// (`chain_incomplete`, or no trust anchors at all).
    pub trusted: Option<bool>,
    /// The trust verdict (docs/signatures.md, "Trust"); `None` when no
    /// anchors were given (`--no-builtin-trust` without `[trust]`).
    #[serde(default)]
    pub trust: Option<TrustState>,
    /// Why `trust` is `untrusted`.
    #[serde(default)]
    pub untrusted_reason: Option<UntrustedReason>,
    /// The CA the verdict names: the missing issuing CA (`chain_incomplete`),
    /// the CA whose name a certificate copies, or the unknown CA or root.
    #[serde(default)]
    pub trust_ca: Option<String>,
    /// SHA-256 of each CA certificate above the signer on a chain verified
    /// signature by signature (issuing CA first, root last); empty when no
    /// chain verified. The algorithm policy's tolerances name these.
    #[serde(default)]
    pub chain_sha256: Vec<String>,
    /// Offline revocation of the signer certificate (`--crl`, `[trust] crls`).
    #[serde(default)]
    pub revocation: Option<Revocation>,
    pub cert_not_before: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub cert_not_after: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub byte_range: Option<Vec<i64>>,
    /// Why a layer is false or null, in plain words.
    pub notes: Vec<String>,
    /// /Reason, /Location and /Name of the signature dictionary: the
    /// signer's unsigned claims, shown as written.
    pub reason: Option<String>,
    pub location: Option<String>,
    pub claimed_name: Option<String>,
    /// The algorithms and key size, as read: the check judges them against
    /// the ruleset's algorithm policy (so cached facts stay policy-free).
    #[serde(default)]
    pub algorithms: Algorithms,
    /// When the chain to the trust anchor is valid as a whole (latest
    /// notBefore, earliest notAfter). Recorded so that a signature without a
    /// time can be judged at the evaluation date, never at inspection's clock.
    #[serde(default)]
    pub chain_validity: Option<Validity>,
}

/// The algorithms behind one signature, named as people know them
/// ("SHA-256", "RSA", "P-256"); an unknown one is its OID.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Algorithms {
    /// The SignerInfo's digest algorithm: what the document bytes were hashed with.
    pub digest: Option<String>,
    /// The signature algorithm ("RSA", "RSA-PSS", "ECDSA", "Ed25519", "Ed448").
    pub signature: Option<String>,
    /// The digest the signature algorithm itself names (ecdsa-with-SHA1,
    /// sha1WithRSAEncryption), when it names one.
    pub signature_digest: Option<String>,
    /// The signer's key type ("RSA", "EC", "Ed25519", "Ed448").
    pub key: Option<String>,
    /// RSA modulus or EC field size, in bits.
    pub key_bits: Option<u32>,
    pub curve: Option<String>,
}

/// The trust verdict of one signature.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TrustState {
    /// The chain verifies, signature by signature, to a bundled or declared
    /// root; every certificate was valid at the signing time; key usage and
    /// basic constraints allow each link.
    Trusted,
    /// See `untrusted_reason`.
    Untrusted,
    /// The issuer is a known CA whose certificate is not available (`trust_ca`).
    ChainIncomplete,
    /// A certificate of the verified chain had expired at the signing time.
    Expired,
    /// A certificate of the verified chain was not yet valid at the signing time.
    NotYetValid,
    /// The signer certificate was revoked (per a given CRL) before the signing time.
    Revoked,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UntrustedReason {
    /// The signer certificate issued itself.
    SelfSigned,
    /// The chain ends at a root nobody declared.
    UnknownRoot,
    /// The issuer is neither in the file, nor bundled, nor declared.
    UnknownCa,
    /// A certificate carries the name of a bundled or declared CA (or says
    /// that CA issued it) but that CA's key did not sign it: it was not
    /// issued by the government CA.
    CopiesGovernmentCa,
    /// A certificate names an issuer found only in the file whose key did not sign it.
    NotIssuedByNamedCa,
    /// A CA certificate of the chain may not issue certificates (basic
    /// constraints, key usage, path length), or the signer's may not sign.
    NotAllowedToSign,
    /// The signer certificate is not in the signature.
    NoCertificate,
    ChainTooLong,
}

/// What the given CRLs say about the signer certificate.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Revocation {
    pub status: RevocationStatus,
    /// When the CA revoked it (`revoked`).
    pub revoked_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// thisUpdate of the CRL consulted (`good`, `revoked`).
    pub crl_issued: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RevocationStatus {
    /// No CRL of the signer's issuing CA was given.
    NotChecked,
    /// The issuing CA's CRL (signature verified) does not list the certificate.
    Good,
    /// The issuing CA's CRL lists the certificate.
    Revoked,
}

/// A validity window, in Vietnam time.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Validity {
    pub not_before: chrono::DateTime<chrono::FixedOffset>,
    pub not_after: chrono::DateTime<chrono::FixedOffset>,
}

impl SignatureFacts {
    /// A blank record for a signature whose layers are not yet known.
    pub fn unknown(field: Option<String>) -> Self {
        SignatureFacts {
            field,
            sub_filter: None,
            sig_type: SigType::Signature,
            signer: None,
            issuer: None,
            signer_subject: None,
            issuer_subject: None,
            kind: SignerKind::Unknown,
            signing_time: None,
            time_source: None,
            coverage: None,
            intact: None,
            crypto_valid: None,
            modified_after: None,
            changes: Vec::new(),
            trusted: None,
            trust: None,
            untrusted_reason: None,
            trust_ca: None,
            chain_sha256: Vec::new(),
            revocation: None,
            cert_not_before: None,
            cert_not_after: None,
            byte_range: None,
            notes: Vec::new(),
            reason: None,
            location: None,
            claimed_name: None,
            algorithms: Algorithms::default(),
            chain_validity: None,
        }
    }

    /// Signed, intact, cryptographically valid and not modified afterwards.
    pub fn is_sound(&self) -> bool {
        self.intact == Some(true)
            && self.crypto_valid == Some(true)
            && matches!(
                self.coverage,
                Some(Coverage::EntireFile | Coverage::EntireRevision)
            )
            && self.modified_after != Some(ModifiedAfter::Disallowed)
    }
}

/// What a run keeps of one file once the file's own checks (PDF, document,
/// signatures) have judged its whole facts: only what the folder-wide
/// checks (requirements, deadlines, the task register, duplicate numbers and
/// contents, the revocation note, fixity) and the reports read. Built fresh
/// from the whole facts ([`KeptFacts::of`]), at exact length: ~0.7 KB per
/// file where a whole [`FileFacts`] with its signatures emptied in place
/// held ~2.2 KB (heaptrack at 20,000 files: peak heap 87 → 54 MB, issue 25).
/// The field names are those of [`FileFacts`]: a check reads
/// `f.document.date` of either.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptFacts {
    /// Path relative to the evidence root, `/`-separated, NFC.
    pub path: String,
    /// Empty when the file could not be read.
    pub sha256: String,
    pub size: u64,
    pub pdf: KeptPdf,
    pub document: KeptDocument,
    #[serde(default, skip_serializing_if = "is_empty_slice")]
    pub signatures: Box<[KeptSignature]>,
}

fn is_empty_slice<T>(s: &[T]) -> bool {
    s.is_empty()
}

/// What is kept of [`PdfFacts`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptPdf {
    /// A resource limit stopped inspection early ([`PdfFacts::limit_hit`]
    /// is set): what was not seen cannot be told.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub limit_hit: bool,
}

/// What is kept of [`DocumentFacts`]: the values a requirement, a deadline,
/// the task register or the duplicate-number check compares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeptDocument {
    pub number: Option<String>,
    pub r#type: Option<String>,
    pub date: Option<NaiveDate>,
    pub title_type: Option<String>,
    pub title: Option<String>,
    pub number_facts: Option<KeptNumber>,
    /// The file is a copy or a republication ([`DocumentFacts::copy`] is
    /// set): its signatures are the copier's, not the issuer's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub copy: bool,
    #[serde(default, skip_serializing_if = "is_empty_slice")]
    pub citations: Box<[String]>,
    pub date_month: Option<String>,
}

/// What is kept of [`NumberFacts`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptNumber {
    pub seq: Option<u32>,
    /// The symbol groups joined by "-" ("KH-UBND"); `None` when the number
    /// has no group ([`NumberFacts::groups`] is empty).
    pub symbol: Option<String>,
}

/// What is kept of one [`SignatureFacts`]: who signed (type and signer
/// kind), when, and whether revocation was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptSignature {
    pub sig_type: SigType,
    pub kind: SignerKind,
    /// RFC 3339 in +07:00.
    pub signing_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// [`Revocation::status`], when revocation was looked at.
    pub revocation: Option<RevocationStatus>,
}

impl KeptFacts {
    /// What is kept of `f`, every part allocated afresh at its exact size
    /// (on the calling thread, none of it shared with `f`).
    pub fn of(f: &FileFacts) -> Self {
        let d = &f.document;
        KeptFacts {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            size: f.size,
            pdf: KeptPdf {
                limit_hit: f.pdf.limit_hit.is_some(),
            },
            document: KeptDocument {
                number: d.number.clone(),
                r#type: d.r#type.clone(),
                date: d.date,
                title_type: d.title_type.clone(),
                title: d.title.clone(),
                number_facts: d.number_facts.as_ref().map(|n| KeptNumber {
                    seq: n.seq,
                    symbol: (!n.groups.is_empty()).then(|| n.groups.join("-")),
                }),
                copy: d.copy.is_some(),
                citations: d.citations.iter().cloned().collect(),
                date_month: d.date_month.clone(),
            },
            signatures: f.signatures.iter().map(KeptSignature::of).collect(),
        }
    }
}

impl From<FileFacts> for KeptFacts {
    fn from(f: FileFacts) -> Self {
        KeptFacts::of(&f)
    }
}

impl KeptSignature {
    pub fn of(s: &SignatureFacts) -> Self {
        KeptSignature {
            sig_type: s.sig_type,
            kind: s.kind,
            signing_time: s.signing_time,
            revocation: s.revocation.map(|r| r.status),
        }
    }
}

/// What a previous submission recorded (read from the ledger, judged by FIX checks).
/// One file as it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubmittedFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
    pub criteria: Vec<String>,
}

/// What the previous submission contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastSubmission {
    /// Submission number (1, 2, …).
    pub number: u64,
    pub files: Vec<SubmittedFile>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON report and the index's stored facts spelled the kind as a
    /// string before it was typed: the enum must read and write the same.
    #[test]
    fn signature_kind_keeps_its_stored_spelling() {
        for (kind, text) in [
            (SigType::Signature, "\"signature\""),
            (SigType::Timestamp, "\"timestamp\""),
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), text);
            assert_eq!(serde_json::from_str::<SigType>(text).unwrap(), kind);
        }
        let mut s = SignatureFacts::unknown(Some("Sig1".into()));
        s.sig_type = SigType::Timestamp;
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["sig_type"], "timestamp");
        let back: SignatureFacts = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }

    /// What a run keeps of a file holds every value the folder-wide
    /// checks read, as inspection found it, and reads back from the index
    /// equal (lists at their exact length).
    #[test]
    fn kept_facts_hold_what_the_folder_checks_read() {
        let t = chrono::DateTime::parse_from_rfc3339("2022-03-07T09:30:00+07:00").ok();
        let mut f = FileFacts {
            sha256: "ab".repeat(32),
            size: 4096,
            ..FileFacts::pdf("1.2.1/bc.pdf")
        };
        f.pdf.limit_hit = Some("depth".into());
        f.unsigned_fields = vec!["Sig9".into()];
        let d = &mut f.document;
        d.number = Some("163/BC-UBND".into());
        d.r#type = Some("BC".into());
        d.title_type = Some("BÁO CÁO".into());
        d.title = Some("Kết quả CCHC quý I năm 2022".into());
        d.date = NaiveDate::from_ymd_opt(2022, 3, 7);
        d.date_month = Some("2022-03".into());
        d.citations = vec!["3183/SNV-TCBC".into(), "60/2021/NĐ-CP".into()];
        d.number_facts = Some(NumberFacts {
            raw: "163/BC-UBND".into(),
            seq: Some(163),
            groups: vec!["BC".into(), "UBND".into()],
            ..Default::default()
        });
        d.copy = Some(CopyFacts {
            kind: CopyKind::SaoY,
            organisation: None,
            time: None,
            evidence: "reason".into(),
        });
        let mut org = SignatureFacts::unknown(Some("Sig1".into()));
        org.kind = SignerKind::Organization;
        org.signing_time = t;
        org.signer = Some("UBND HUYỆN A".into());
        org.revocation = Some(Revocation {
            status: RevocationStatus::NotChecked,
            revoked_at: None,
            crl_issued: None,
        });
        let mut stamp = SignatureFacts::unknown(None);
        stamp.sig_type = SigType::Timestamp;
        f.signatures = vec![org, stamp];

        let k = KeptFacts::of(&f);
        assert_eq!((k.path.as_str(), k.size), ("1.2.1/bc.pdf", 4096));
        assert_eq!(k.sha256, f.sha256);
        assert!(k.pdf.limit_hit);
        let d = &k.document;
        assert_eq!(d.number.as_deref(), Some("163/BC-UBND"));
        assert_eq!(d.r#type.as_deref(), Some("BC"));
        assert_eq!(d.title_type.as_deref(), Some("BÁO CÁO"));
        assert_eq!(d.title, f.document.title);
        assert_eq!(d.date, f.document.date);
        assert_eq!(d.date_month.as_deref(), Some("2022-03"));
        assert_eq!(&d.citations[..], &f.document.citations[..]);
        assert_eq!(
            d.number_facts,
            Some(KeptNumber {
                seq: Some(163),
                symbol: Some("BC-UBND".into())
            })
        );
        assert!(d.copy);
        assert_eq!(
            &k.signatures[..],
            &[
                KeptSignature {
                    sig_type: SigType::Signature,
                    kind: SignerKind::Organization,
                    signing_time: t,
                    revocation: Some(RevocationStatus::NotChecked),
                },
                KeptSignature {
                    sig_type: SigType::Timestamp,
                    kind: SignerKind::Unknown,
                    signing_time: None,
                    revocation: None,
                },
            ]
        );
        let back: KeptFacts = serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
        assert_eq!(back, k);

        // Unknown stays unknown: no limit, no copy, a number without symbol
        // groups (a blank draft number), no signature.
        let mut blank = FileFacts::pdf("b.pdf");
        blank.document.number_facts = Some(NumberFacts {
            raw: "/BC-PNV".into(),
            ..Default::default()
        });
        let k = KeptFacts::of(&blank);
        assert!(!k.pdf.limit_hit && !k.document.copy && k.signatures.is_empty());
        assert_eq!(
            k.document.number_facts,
            Some(KeptNumber {
                seq: None,
                symbol: None
            })
        );
        assert_eq!(k.document.number, None);
        let back: KeptFacts = serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
        assert_eq!(back, k);
    }
}
