//! The phrasing corpus of `tlkc rules import`: requirement sentences in the
//! forms real provincial tables use, each with the requirement(s) a person
//! would draft from it (count, types, periods, deadline, signature). Every
//! sentence is also read in generated variants — a bullet and extra spaces, a
//! "TLKC:" label, the abbreviation of its first document kind ("BC", "KH",
//! "QĐ", "CV"), decomposed Unicode (NFD), upper case — which must not change
//! what is drafted. Issue 23's five failures are among them (marked).

use tlkc::rules::import::draft::{draft, Draft, DraftDeadline};
use tlkc::rules::period::Period;
use tlkc::rules::SignatureRule;
use unicode_normalization::UnicodeNormalization;

use Period::*;

/// One requirement as a person drafts it.
#[derive(Clone, Copy)]
struct R {
    types: &'static [&'static str],
    periods: &'static [Period],
    deadline: Option<DraftDeadline>,
    sig: Option<SignatureRule>,
}

const fn r(types: &'static [&'static str]) -> R {
    R {
        types,
        periods: &[],
        deadline: None,
        sig: None,
    }
}

impl R {
    const fn p(mut self, periods: &'static [Period]) -> R {
        self.periods = periods;
        self
    }
    const fn by(mut self, day: u32, month: u32, year_offset: i32) -> R {
        self.deadline = Some(DraftDeadline::Fixed {
            day,
            month,
            year: None,
            year_offset,
        });
        self
    }
    const fn by_year(mut self, day: u32, month: u32, year: i32) -> R {
        self.deadline = Some(DraftDeadline::Fixed {
            day,
            month,
            year: Some(year),
            year_offset: 0,
        });
        self
    }
    const fn pd(mut self, day: u32) -> R {
        self.deadline = Some(DraftDeadline::PeriodDay(day));
        self
    }
    const fn signed(mut self) -> R {
        self.sig = Some(SignatureRule::Required);
        self
    }
    const fn both(mut self) -> R {
        self.sig = Some(SignatureRule::PersonAndOrganization);
        self
    }
}

enum Want {
    Reqs(Vec<R>),
    /// Scored from system data.
    System,
    /// Names no document: one "any document" requirement.
    Generic,
}

struct Case {
    text: &'static str,
    guide: &'static str,
    want: Want,
    /// Capitals carry meaning here: no upper-case variant.
    case_matters: bool,
}

fn c(text: &'static str, want: Vec<R>) -> Case {
    Case {
        text,
        guide: "",
        want: Want::Reqs(want),
        case_matters: false,
    }
}

const PERIODIC: &[Period] = &[Q1, H1, Q3, Y];
const QUARTERS: &[Period] = &[Q1, Q2, Q3, Q4];
const MONTHS: &[Period] = &[T01, T02, T03, T04, T05, T06, T07, T08, T09, T10, T11, T12];
const BC: &[&str] = &["BC"];
const KH: &[&str] = &["KH"];
const QD: &[&str] = &["QĐ"];
const CV: &[&str] = &["CV"];
const ANY: &[&str] = &[];

fn corpus() -> Vec<Case> {
    vec![
        // ── Issue 23's five failures ──
        // 1. "quy chế" is not "quý".
        c(
            "Quyết định ban hành quy chế làm việc của UBND xã",
            vec![r(QD)],
        ),
        // 2. A clause after ";" qualifies the report; its deadline is kept.
        c(
            "Báo cáo CCHC quý I, 6 tháng, quý III và năm; gửi Sở Nội vụ chậm nhất ngày 14 của tháng cuối kỳ báo cáo",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        c(
            "Báo cáo CCHC quý I, 6 tháng, quý III và năm gửi Sở Nội vụ chậm nhất ngày 14 của tháng cuối kỳ báo cáo",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        // 3. "(hoặc …)": one requirement, two types.
        c(
            "Báo cáo chuyên đề (hoặc Công văn gửi Sở Nội vụ)",
            vec![r(&["BC", "CV"])],
        ),
        // 4. "hằng quý": the four quarters.
        c(
            "Báo cáo tình hình thực hiện công tác CCHC hằng quý",
            vec![r(BC).p(QUARTERS)],
        ),
        c("Báo cáo CCHC hàng quý", vec![r(BC).p(QUARTERS)]),
        // The self-scoring export: "Yêu cầu:" gives the deadline, "TLKC:" the documents;
        // "đúng hướng dẫn" and "Quyết định ban hành quy chế" name no second document.
        Case {
            text: "Yêu cầu: Kế hoạch CCHC năm ban hành trước ngày 31/12 năm trước, có nội dung, nhiệm vụ cụ thể, đúng hướng dẫn của UBND tỉnh\nTLKC: Kế hoạch CCHC năm của UBND xã",
            guide: "",
            want: Want::Reqs(vec![r(KH).by(30, 12, -1)]),
            case_matters: false,
        },
        Case {
            text: "Yêu cầu: Ban hành quy chế phối hợp trong quý I\nTLKC: Quyết định ban hành quy chế phối hợp",
            guide: "",
            want: Want::Reqs(vec![r(QD).by(31, 3, 0)]),
            case_matters: false,
        },
        c("Quyết định ban hành quy chế phối hợp", vec![r(QD)]),
        // ── Periods ──
        c(
            "Báo cáo CCHC định kỳ (quý I, 6 tháng, quý III, năm) gửi trước ngày 15 của tháng cuối quý",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        c(
            "Báo cáo CCHC quý, 6 tháng, 9 tháng, năm",
            vec![r(BC).p(&[Q1, H1, M9, Y])],
        ),
        c("Báo cáo CCHC quý, 6 tháng, năm", vec![r(BC).p(PERIODIC)]),
        c(
            "Báo cáo quý I, II, III và năm",
            vec![r(BC).p(&[Q1, Q2, Q3, Y])],
        ),
        c(
            "Báo cáo kết quả thực hiện nhiệm vụ 6 tháng đầu năm và năm",
            vec![r(BC).p(&[H1, Y])],
        ),
        c("Báo cáo 9 tháng và năm", vec![r(BC).p(&[M9, Y])]),
        c(
            "Báo cáo sơ kết 6 tháng, tổng kết năm",
            vec![r(BC).p(&[H1, Y])],
        ),
        c(
            "Báo cáo quý I, 6 tháng, 9 tháng và năm",
            vec![r(BC).p(&[Q1, H1, M9, Y])],
        ),
        c(
            "1. Kế hoạch kiểm tra CCHC năm\n2. Báo cáo kết quả kiểm tra (theo mẫu tại Phụ lục II)",
            vec![r(KH), r(BC)],
        ),
        c(
            "Kế hoạch CCHC năm của UBND xã (ban hành trước ngày 31/12 của năm trước năm đánh giá)",
            vec![r(KH).by(30, 12, -1)],
        ),
        c(
            "Báo cáo gửi đúng hạn (theo Công văn số 123/SNV-CCHC của Sở Nội vụ)",
            vec![r(BC)],
        ),
        c(
            "Các văn bản chỉ đạo, điều hành của UBND xã về CCHC",
            vec![r(ANY)],
        ),
        c(
            "Đã ban hành Kế hoạch tuyên truyền CCHC năm",
            vec![r(KH)],
        ),
        c(
            "Biên bản, Báo cáo kết quả kiểm tra",
            vec![r(&["BB"]), r(BC)],
        ),
        c(
            "Kế hoạch CCHC năm 2026. Ban hành trước 15/12/2025",
            vec![r(KH).by_year(14, 12, 2025)],
        ),
        c(
            "Báo cáo của UBND xã gửi UBND tỉnh (qua Sở Nội vụ) trước ngày 20/12",
            vec![r(BC).by(19, 12, 0)],
        ),
        c("Báo cáo công tác CCHC năm 2026", vec![r(BC)]),
        c(
            "Báo cáo tình hình quản lý, sử dụng tài sản công hằng năm",
            vec![r(BC)],
        ),
        c(
            "Báo cáo tình hình, kết quả thực hiện CCHC quý I năm 2026",
            vec![r(BC)],
        ),
        c("Báo cáo CCHC quý IV", vec![r(BC)]),
        c(
            "Báo cáo tình hình giải quyết TTHC hằng tháng",
            vec![r(BC).p(MONTHS)],
        ),
        c(
            "Báo cáo CCHC hằng tháng gửi trước ngày 20 hằng tháng",
            vec![r(BC).p(MONTHS).pd(19)],
        ),
        c(
            "Báo cáo CCHC hằng quý; chậm nhất ngày 14 của tháng cuối quý",
            vec![r(BC).p(QUARTERS).pd(14)],
        ),
        c(
            "Báo cáo CCHC định kỳ gửi Sở Nội vụ chậm nhất ngày 14 của tháng cuối kỳ",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        c(
            "Báo cáo kiểm soát TTHC quý gửi trước ngày 15 của tháng cuối quý",
            vec![r(BC).p(QUARTERS).pd(14)],
        ),
        c(
            "Báo cáo CCHC quý I, 6 tháng, quý III, năm gửi chậm nhất vào ngày 14 của tháng cuối cùng của kỳ báo cáo",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        c(
            "Báo cáo 6 tháng đầu năm gửi trước ngày 15 của tháng cuối kỳ",
            vec![r(BC).p(&[H1]).pd(14)],
        ),
        // ── Deadlines ──
        c(
            "Kế hoạch CCHC năm ban hành trước ngày 15/12",
            vec![r(KH).by(14, 12, 0)],
        ),
        c(
            "Kế hoạch CCHC năm ban hành trước ngày 15/12 năm trước",
            vec![r(KH).by(14, 12, -1)],
        ),
        c(
            "Kế hoạch CCHC năm có chữ ký số, ban hành trước ngày 15 tháng 12 năm trước",
            vec![r(KH).by(14, 12, -1).signed()],
        ),
        c(
            "Kế hoạch tự kiểm tra công tác CCHC ban hành trong quý I",
            vec![r(KH).by(31, 3, 0)],
        ),
        c(
            "Kế hoạch thực hiện công tác CCHC năm 2026, ban hành chậm nhất ngày 31/01/2026",
            vec![r(KH).by_year(31, 1, 2026)],
        ),
        c(
            "Báo cáo đánh giá, xác định Chỉ số CCHC gửi trong tháng 12",
            vec![r(BC).by(31, 12, 0)],
        ),
        c(
            "Báo cáo theo dõi thi hành pháp luật năm gửi Sở Tư pháp trước ngày 05/12",
            vec![r(BC).by(4, 12, 0)],
        ),
        c(
            "Kế hoạch biên chế công chức, số lượng người làm việc năm sau gửi Sở Nội vụ chậm nhất ngày 05/5",
            vec![r(KH).by(5, 5, 0)],
        ),
        c(
            "Báo cáo kết quả thực hiện công tác CCHC 6 tháng đầu năm; gửi trước ngày 15/6",
            vec![r(BC).by(14, 6, 0)],
        ),
        c(
            "Kế hoạch rà soát, đánh giá TTHC năm; Báo cáo kết quả rà soát gửi trước ngày 15/12",
            vec![r(KH), r(BC).by(14, 12, 0)],
        ),
        c(
            "Tờ trình đề nghị phê duyệt trước ngày 01/01/2027",
            vec![r(&["TTr"]).by_year(31, 12, 2026)],
        ),
        c(
            "Kế hoạch CCHC; thời hạn ban hành: chậm nhất là ngày 20/12 năm trước",
            vec![r(KH).by(20, 12, -1)],
        ),
        // ── Several documents, and kinds that are no document ──
        c(
            "Kế hoạch tuyên truyền CCHC; Báo cáo kết quả thực hiện kế hoạch tuyên truyền",
            vec![r(KH), r(BC)],
        ),
        c(
            "Kế hoạch kiểm tra và Báo cáo kết quả kiểm tra",
            vec![r(KH), r(BC)],
        ),
        c(
            "Quyết định thành lập Đoàn kiểm tra và Kế hoạch kiểm tra",
            vec![r(QD), r(KH)],
        ),
        Case {
            text: "Quyết định ban hành Kế hoạch kiểm tra và Báo cáo kết quả kiểm tra",
            guide: "",
            want: Want::Reqs(vec![r(QD), r(BC)]),
            case_matters: true,
        },
        c(
            "Quyết định ban hành quy chế/kế hoạch phối hợp liên ngành",
            vec![r(QD)],
        ),
        c(
            "Quyết định phê duyệt Đề án vị trí việc làm",
            vec![r(QD)],
        ),
        c("Đề án vị trí việc làm được phê duyệt", vec![r(&["ĐA"])]),
        c(
            "Quyết định kiện toàn Ban chỉ đạo CCHC",
            vec![r(QD)],
        ),
        c(
            "Thông báo kết luận kiểm tra; văn bản chỉ đạo khắc phục",
            vec![r(&["TB"]), r(ANY)],
        ),
        c(
            "Báo cáo kết quả tự kiểm tra (kèm phụ lục danh sách đơn vị được kiểm tra)",
            vec![r(BC)],
        ),
        c(
            "Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC năm (kèm bảng điểm và tài liệu kiểm chứng)",
            vec![r(BC)],
        ),
        c(
            "Kế hoạch (kèm theo Quyết định ban hành)",
            vec![r(KH)],
        ),
        c(
            "Công văn đôn đốc, chỉ đạo thực hiện nhiệm vụ CCHC",
            vec![r(CV)],
        ),
        c(
            "Công văn hướng dẫn của UBND xã về triển khai nhiệm vụ",
            vec![r(CV)],
        ),
        c(
            "Tờ trình và Quyết định phê duyệt danh mục TTHC nội bộ",
            vec![r(&["TTr"]), r(QD)],
        ),
        c(
            "Quyết định công bố danh mục TTHC; Báo cáo kết quả rà soát, đánh giá TTHC",
            vec![r(QD), r(BC)],
        ),
        c(
            "Quyết định công nhận sáng kiến; Quyết định phê duyệt triển khai áp dụng; Báo cáo kết quả áp dụng",
            vec![r(QD), r(QD), r(BC)],
        ),
        c(
            "Báo cáo kết quả công tác thông tin, tuyên truyền về CCHC theo hướng dẫn của Sở Nội vụ",
            vec![r(BC)],
        ),
        c(
            "Báo cáo kết quả thực hiện Kế hoạch CCHC năm",
            vec![r(BC)],
        ),
        c(
            "Báo cáo kết quả thực hiện Kế hoạch số 45/KH-UBND",
            vec![r(BC)],
        ),
        c(
            "Biên bản kiểm tra; Thông báo kết luận kiểm tra",
            vec![r(&["BB"]), r(&["TB"])],
        ),
        c(
            "Giấy mời họp; Biên bản cuộc họp đối thoại",
            vec![r(&["GM"]), r(&["BB"])],
        ),
        c(
            "Nghị quyết chuyên đề của HĐND; Tờ trình của UBND",
            vec![r(&["NQ"]), r(&["TTr"])],
        ),
        c(
            "Chương trình hành động; Kế hoạch triển khai",
            vec![r(&["CTr"]), r(KH)],
        ),
        c(
            "Phương án sắp xếp tổ chức bộ máy",
            vec![r(&["PA"])],
        ),
        c("Quy chế làm việc của UBND xã", vec![r(&["QC"])]),
        c(
            "Quy định về quản lý văn thư, lưu trữ",
            vec![r(&["QyĐ"])],
        ),
        c(
            "Thông báo kết quả kiểm tra giờ giấc làm việc của Sở Nội vụ",
            vec![r(&["TB"])],
        ),
        c(
            "Kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số năm; Báo cáo kết quả thực hiện",
            vec![r(KH), r(BC)],
        ),
        c(
            "Công văn gửi Sở Nội vụ; Báo cáo giải trình",
            vec![r(CV), r(BC)],
        ),
        c(
            "Báo cáo kết quả khắc phục sau kiểm tra gửi cơ quan kiểm tra",
            vec![r(BC)],
        ),
        c(
            "Báo cáo thống kê theo số liệu trên hệ thống một cửa điện tử",
            vec![r(BC)],
        ),
        c(
            "01 Kế hoạch tuyên truyền CCHC năm",
            vec![r(KH)],
        ),
        c(
            "Có Kế hoạch kiểm tra công tác CCHC",
            vec![r(KH)],
        ),
        c(
            "UBND xã ban hành Kế hoạch CCHC năm",
            vec![r(KH)],
        ),
        // ── Alternatives ──
        c(
            "Kế hoạch hoặc Chương trình công tác năm",
            vec![r(&["KH", "CTr"])],
        ),
        c(
            "Kế hoạch/Chương trình hành động thực hiện Nghị quyết",
            vec![r(&["KH", "CTr"])],
        ),
        c(
            "Văn bản chỉ đạo, đôn đốc thực hiện (Quyết định, Kế hoạch hoặc Công văn)",
            vec![r(&["QĐ", "KH", "CV"])],
        ),
        c("Báo cáo (hoặc văn bản) giải trình", vec![r(ANY)]),
        c(
            "Quyết định hoặc Công văn phân công nhiệm vụ",
            vec![r(&["QĐ", "CV"])],
        ),
        // ── Signatures ──
        c(
            "Kế hoạch kiểm tra CCHC (bản điện tử có chữ ký số)",
            vec![r(KH).signed()],
        ),
        c(
            "Kế hoạch kiểm tra CCHC. Bản điện tử có ký số của người có thẩm quyền và của cơ quan",
            vec![r(KH).both()],
        ),
        c(
            "Kế hoạch kiểm tra CCHC; bản điện tử có chữ ký số",
            vec![r(KH).signed()],
        ),
        c(
            "Kế hoạch kiểm tra CCHC; Báo cáo kết quả kiểm tra. Các TLKC phải có chữ ký số",
            vec![r(KH).signed(), r(BC).signed()],
        ),
        c(
            "Kế hoạch CCHC năm của UBND huyện ban hành trước ngày 05/12 năm trước, có chữ ký số",
            vec![r(KH).by(4, 12, -1).signed()],
        ),
        // ── Labelled cells and the scoring guide ──
        c(
            "Yêu cầu: Báo cáo đầy đủ, đúng thời hạn theo quy định\nTài liệu kiểm chứng: Báo cáo CCHC quý I, 6 tháng, quý III và năm",
            vec![r(BC).p(PERIODIC)],
        ),
        c(
            "Yêu cầu: Ban hành Kế hoạch trước ngày 15/12 năm trước\nTLKC: Kế hoạch CCHC; Quyết định phê duyệt danh mục nhiệm vụ",
            vec![r(KH).by(14, 12, -1), r(QD)],
        ),
        c(
            "TLKC: Quyết định kiện toàn Hội đồng thi đua\nCách tính điểm: Có Quyết định: 0,5 điểm; không có Báo cáo: 0 điểm",
            vec![r(QD)],
        ),
        c(
            "- Ban hành trước ngày 05/12: 1 điểm\n- TLKC: Kế hoạch CCHC năm có chữ ký số",
            vec![r(KH).by(4, 12, 0).signed()],
        ),
        Case {
            text: "Kế hoạch CCHC năm",
            guide: "Ban hành trước ngày 15/12 năm trước: 1 điểm; ban hành sau: 0 điểm",
            want: Want::Reqs(vec![r(KH).by(14, 12, -1)]),
            case_matters: false,
        },
        Case {
            text: "Kế hoạch tuyên truyền; Báo cáo kết quả",
            guide: "Ban hành Kế hoạch trước ngày 31/01: 0,5 điểm; có Báo cáo: 0,5 điểm",
            want: Want::Reqs(vec![r(KH).by(30, 1, 0), r(BC)]),
            case_matters: false,
        },
        // ── Written without diacritics ──
        c(
            "Bao cao CCHC quy I, 6 thang, quy III va nam; gui cham nhat ngay 14 cua thang cuoi ky bao cao",
            vec![r(BC).p(PERIODIC).pd(14)],
        ),
        c(
            "Quyet dinh ban hanh quy che lam viec",
            vec![r(QD)],
        ),
        // ── System data and nothing named ──
        Case {
            text: "Kết quả điều tra xã hội học",
            guide: "",
            want: Want::System,
            case_matters: false,
        },
        Case {
            text: "Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh",
            guide: "",
            want: Want::System,
            case_matters: false,
        },
        Case {
            text: "",
            guide: "Căn cứ số liệu thống kê trên hệ thống dịch vụ công",
            want: Want::System,
            case_matters: false,
        },
        Case {
            text: "Có sản phẩm cụ thể, được cơ quan có thẩm quyền công nhận",
            guide: "",
            want: Want::Generic,
            case_matters: false,
        },
    ]
}

/// (name, text) variants of a sentence that must read the same.
fn variants(case: &Case) -> Vec<(&'static str, String)> {
    let t = case.text;
    let mut out = vec![("as written", t.to_string())];
    if t.is_empty() {
        return out;
    }
    out.push((
        "bullet and spaces",
        format!("-  {}.", t.replace(", ", " ,  ").replace("; ", " ;   ")),
    ));
    let labelled = ["TLKC", "Tài liệu", "Yêu cầu", "- "]
        .iter()
        .any(|l| t.starts_with(l));
    if !labelled {
        out.push(("TLKC label", format!("TLKC: {t}")));
    }
    for (word, abbrev) in [
        ("Báo cáo ", "BC "),
        ("Kế hoạch ", "KH "),
        ("Quyết định ", "QĐ "),
        ("Công văn ", "CV "),
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            out.push(("abbreviation", format!("{abbrev}{rest}")));
            break;
        }
    }
    out.push(("NFD", t.nfd().collect()));
    if !case.case_matters {
        out.push(("upper case", t.to_uppercase()));
    }
    out
}

fn describe(d: &Draft) -> String {
    if let Some(s) = &d.system {
        return format!("system: {s}");
    }
    d.reqs
        .iter()
        .map(|r| {
            format!(
                "[{:?} {:?} {:?} {:?} ({})]",
                r.types, r.periods, r.deadline, r.signature, r.title
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn check(case: &Case, name: &str, text: &str) -> Result<(), String> {
    let d = draft(text, case.guide);
    let fail = |why: &str| Err(format!("{name}: {text:?}: {why}\n   got {}", describe(&d)));
    match &case.want {
        Want::System => {
            if d.system.is_none() || !d.reqs.is_empty() {
                return fail("should be scored from system data");
            }
        }
        Want::Generic => {
            if d.reqs.len() != 1 || !d.reqs[0].types.is_empty() || d.system.is_some() {
                return fail("should be one any-document requirement");
            }
        }
        Want::Reqs(want) => {
            if d.system.is_some() {
                return fail("classified as system data");
            }
            if d.reqs.len() != want.len() {
                return fail(&format!(
                    "{} requirements, want {}",
                    d.reqs.len(),
                    want.len()
                ));
            }
            for (i, (g, w)) in d.reqs.iter().zip(want.iter()).enumerate() {
                if g.types != w.types {
                    return fail(&format!("#{i} types, want {:?}", w.types));
                }
                if g.periods != w.periods {
                    return fail(&format!("#{i} periods, want {:?}", w.periods));
                }
                if g.deadline != w.deadline {
                    return fail(&format!("#{i} deadline, want {:?}", w.deadline));
                }
                if g.signature != w.sig {
                    return fail(&format!("#{i} signature, want {:?}", w.sig));
                }
                if g.source.trim().is_empty() || g.title.trim().is_empty() {
                    return fail(&format!("#{i} has no title or source"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn every_sentence_and_variant_drafts_what_a_person_would() {
    let corpus = corpus();
    let sentences = corpus.iter().filter(|c| !c.text.is_empty()).count();
    assert!(sentences >= 80, "the corpus has {sentences} sentences");
    let mut failures = Vec::new();
    let mut read = 0;
    for case in &corpus {
        for (name, text) in variants(case) {
            read += 1;
            if let Err(e) = check(case, name, &text) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {read} readings wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(read >= 400, "{read} readings");
    eprintln!(
        "phrasing corpus: {sentences} sentences, {read} readings, all as a person drafts them"
    );
}
