//! A fixed, realistic [`Report`] built in code: the input of the snapshot
//! tests, the HTML rendering test and the screenshot in docs/. Built by
//! hand rather than by running checks so that a change of wording in a
//! check does not churn every snapshot.
//!
//! Test code, not library code: a module of the integration tests, and of
//! the library's own unit tests (`#[cfg(test)]` `#[path]` in
//! src/report/mod.rs, where `tlkc` names the crate itself; see src/lib.rs).

use chrono::NaiveDate;

use tlkc::facts::{DocumentFacts, FileFacts, FileKind, PdfFacts};
use tlkc::findings::{sort_findings, Code, Finding, Msg};
use tlkc::findings::{Outcome, Status};
use tlkc::rules::Ruleset;
use tlkc::run::Report;

pub const RULES: &str = r#"[framework]
id = "mau-2022-huyen"
title = "Chỉ số CCHC cấp huyện năm 2022 (mẫu)"
year = 2022
legal_basis = ["Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư"]

[[area]]
id = "1"
title = "Công tác chỉ đạo, điều hành"
max_points = 16

[[area.criterion]]
id = "1.2"
title = "Thực hiện chế độ báo cáo cải cách hành chính"
max_points = 0.5

[[area.criterion.sub]]
id = "1.2.1"
title = "Báo cáo cải cách hành chính, báo cáo chuyên đề cải cách hành chính"
max_points = 0.5

[[area.criterion.sub.document]]
id = "bao-cao-cchc-dinh-ky"
title = "Báo cáo công tác CCHC định kỳ (quý I, 6 tháng, quý III, năm)"
types = ["BC"]
title_patterns = ["CCHC"]
periods = ["Q1", "H1", "Q3", "Y"]
deadline = { period_day = 14, basis = "Chậm nhất ngày 14 của tháng cuối kỳ báo cáo" }
signature = "required"
points = 0.5

[[area.criterion]]
id = "1.3"
title = "Công tác kiểm tra cải cách hành chính"
max_points = 1.5

[[area.criterion.sub]]
id = "1.3.1"
title = "Ban hành và thực hiện kế hoạch tự kiểm tra CCHC"
max_points = 0.5

[[area.criterion.sub.document]]
id = "ke-hoach-kiem-tra"
title = "Kế hoạch kiểm tra công tác CCHC năm"
types = ["KH"]
signature = "required"
points = 0.25

[[area.criterion.sub]]
id = "1.3.2"
title = "Xử lý các vấn đề phát hiện qua kiểm tra"
max_points = 1

[[area.criterion.sub.document]]
id = "thong-bao-ket-luan"
title = "Thông báo kết luận kiểm tra"
types = ["TB"]
signature = "required"
points = 0.5

[[area]]
id = "3"
title = "Cải cách thủ tục hành chính"
max_points = 12

[[area.criterion]]
id = "3.3"
title = "Thực hiện cơ chế một cửa, một cửa liên thông"
max_points = 2

[[area.criterion.sub]]
id = "3.3.4"
title = "Sử dụng Hệ thống thông tin giải quyết thủ tục hành chính tỉnh"
max_points = 2
statistics = "Hệ thống thông tin giải quyết TTHC tỉnh"

[[area.criterion]]
id = "3.5"
title = "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức"
max_points = 0.5

[[area.criterion.sub]]
id = "3.5.2"
title = "Công khai nội dung hướng dẫn và đường link phản ánh, kiến nghị"
max_points = 0.5

[[area.criterion.sub.document]]
id = "cong-khai-pakn"
title = "Tài liệu thể hiện việc công khai hướng dẫn phản ánh, kiến nghị"
points = 0.5
"#;

const BC_Q1: &str = "1.2.1 Báo cáo CCHC/BC 45 CCHC quý I.pdf";
const BC_Q3: &str = "1.2.1 Báo cáo CCHC/BC 210 CCHC quý III.pdf";
const KH: &str = "1.3.1 Kế hoạch kiểm tra/KH 12 kiểm tra CCHC (bản quét).pdf";
const PAKN: &str = "3.5.2 Công khai PAKN/TB 88 công khai PAKN.pdf";
const STRAY: &str = "Tài liệu khác/ghi chú <nháp> & \"bản cũ\".docx";

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn file(path: &str, sha_digit: char, number: Option<&str>, date: Option<NaiveDate>) -> FileFacts {
    let base = FileFacts::pdf(path);
    FileFacts {
        sha256: std::iter::repeat_n(sha_digit, 64).collect(),
        size: 120_000,
        pdf: PdfFacts {
            version: Some("1.7".into()),
            pages: Some(3),
            revisions: Some(1),
            ..base.pdf
        },
        document: DocumentFacts {
            number: number.map(str::to_string),
            date,
            ..Default::default()
        },
        ..base
    }
}

fn late(path: &str, what: &str, number: &str, date: NaiveDate, due: NaiveDate) -> Finding {
    let days = (date - due).num_days();
    let vi = |d: NaiveDate| tlkc::time::vi_date(d);
    Finding::new(
        tlkc::checks::registry::diag(Code::Due001),
        Msg::new(
            format!("1.2.1 — {what}: văn bản số {number} ban hành ngày {}, trễ {days} ngày so với hạn {} (Chậm nhất ngày 14 của tháng cuối kỳ báo cáo).", vi(date), vi(due)),
            format!("1.2.1 — {what}: document {number} dated {date}, {days} day(s) after the deadline {due} (Chậm nhất ngày 14 của tháng cuối kỳ báo cáo)."),
        ),
    )
    .criterion("1.2.1")
    .path(path)
    .points(0.5)
    .fact("requirement", format!("Báo cáo công tác CCHC định kỳ ({what})"))
    .fact("number", number)
    .fact("date", vi(date))
    .fact("date_source", "ban hành ngày")
    .fact("deadline", vi(due))
    .fact("deadline_basis", "Chậm nhất ngày 14 của tháng cuối kỳ báo cáo")
    .fact("days_late", days.to_string())
}

/// The ruleset of the fixture, as `rules/mau-2022-huyen.toml`.
pub fn rules() -> Ruleset {
    match tlkc::rules::load_str(RULES, "rules/mau-2022-huyen.toml") {
        Ok(r) => r,
        // The text is a constant checked by the tests; failing here is a bug in this file.
        Err(e) => panic!("fixture ruleset: {e}"),
    }
}

/// A district folder checked on 15 December 2022: late reports, an unsigned
/// plan, a missing conclusion notice, a statistics-scored unit and a stray file.
pub fn report() -> Report {
    let files = vec![
        file(BC_Q1, 'a', Some("45/BC-UBND"), Some(ymd(2022, 3, 20))),
        file(BC_Q3, 'b', Some("210/BC-UBND"), Some(ymd(2022, 9, 16))),
        file(KH, 'c', None, None),
        file(PAKN, 'd', Some("88/TB-UBND"), Some(ymd(2022, 2, 8))),
        FileFacts {
            kind: FileKind::Other,
            ..file(STRAY, 'e', None, None)
        },
    ];
    let mut findings = vec![
        late(BC_Q1, "quý I", "45/BC-UBND", ymd(2022, 3, 20), ymd(2022, 3, 14)),
        late(BC_Q3, "quý III", "210/BC-UBND", ymd(2022, 9, 16), ymd(2022, 9, 14)),
        Finding::new(
            tlkc::checks::registry::diag(Code::Sig001),
            Msg::new(
                "1.3.1 — Kế hoạch kiểm tra công tác CCHC năm: KH 12 kiểm tra CCHC (bản quét).pdf không có chữ ký số (bản giấy ký tay hoặc bản quét không được chấm điểm). Nộp văn bản điện tử có chữ ký số của người có thẩm quyền và của cơ quan, hoặc bản sao điện tử được cơ quan ký số.",
                "1.3.1 — Kế hoạch kiểm tra công tác CCHC năm: KH 12 kiểm tra CCHC (bản quét).pdf carries no digital signature (a hand-signed paper or plain scan is not scored). Submit the electronic document signed by the competent person and the organisation, or an electronic copy signed by the organisation.",
            ),
        )
        .criterion("1.3.1")
        .path(KH)
        .points(0.25)
        .fact("requirement", "Kế hoạch kiểm tra công tác CCHC năm"),
        Finding::new(
            tlkc::checks::registry::diag(Code::Pdf003),
            Msg::new(
                "KH 12 kiểm tra CCHC (bản quét).pdf: trang 1 chỉ có hình ảnh (bản quét): không đọc được số, ngày ban hành.",
                "KH 12 kiểm tra CCHC (bản quét).pdf: page 1 is images only (a scan): number and date cannot be read.",
            ),
        )
        .criterion("1.3.1")
        .path(KH),
        Finding::new(
            tlkc::checks::registry::diag(Code::Evd001),
            Msg::new(
                "1.3.2 — Thông báo kết luận kiểm tra: chưa có tài liệu kiểm chứng. Bổ sung văn bản vào thư mục của tiêu chí 1.3.2.",
                "1.3.2 — Thông báo kết luận kiểm tra: no evidence document. Add the document to the folder of 1.3.2.",
            ),
        )
        .criterion("1.3.2")
        .points(0.5)
        .fact("requirement", "Thông báo kết luận kiểm tra")
        .fact("missing", "văn bản"),
        Finding::new(
            tlkc::checks::registry::diag(Code::Doc007),
            Msg::new(
                "TB 88 công khai PAKN.pdf: dòng ngày tháng \"ngày 8 tháng 2 năm 2022\" nên viết \"ngày 08 tháng 02 năm 2022\".",
                "TB 88 công khai PAKN.pdf: the date line \"ngày 8 tháng 2 năm 2022\" should read \"ngày 08 tháng 02 năm 2022\".",
            ),
        )
        .criterion("3.5.2")
        .path(PAKN),
        Finding::new(
            tlkc::checks::registry::diag(Code::Evd005),
            Msg::new(
                "Tài liệu khác/ghi chú <nháp> & \"bản cũ\".docx không phải PDF: không có giá trị như văn bản điện tử đã ký số.",
                "Tài liệu khác/ghi chú <nháp> & \"bản cũ\".docx is not a PDF: it lacks the value of a signed electronic document.",
            ),
        )
        .path(STRAY),
    ];
    sort_findings(&mut findings);
    let outcome = |id: &str, status, risk, files: &[&str]| Outcome {
        id: id.into(),
        status,
        points_at_risk: risk,
        points_pending: 0.0,
        files: files.iter().map(|f| f.to_string()).collect(),
    };
    let rules = rules();
    let outcomes = vec![
        outcome("1.2.1", Status::Failing, 0.5, &[BC_Q1, BC_Q3]),
        outcome("1.3.1", Status::Failing, 0.25, &[KH]),
        outcome("1.3.2", Status::Failing, 0.5, &[]),
        outcome("3.3.4", Status::NotCheckable, 0.0, &[]),
        outcome("3.5.2", Status::Ok, 0.0, &[PAKN]),
    ];
    let score = tlkc::checks::score::estimate(
        &rules,
        &outcomes,
        &findings,
        &[],
        &tlkc::config::FolderConfig::default(),
        &|c| tlkc::checks::registry::diag(c).handling.fixable,
        &mut Vec::new(),
    );
    Report {
        index: None,
        tasks: Vec::new(),
        score,
        root: "samples/dak-glei-2022".into(),
        unit: Some("UBND huyện Đắk Glei".into()),
        as_of: ymd(2022, 12, 15),
        rules,
        files: files
            .into_iter()
            .map(tlkc::facts::KeptFacts::from)
            .collect(),
        findings,
        outcomes,
    }
}
