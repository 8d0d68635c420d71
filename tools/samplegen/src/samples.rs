//! The committed sample folders: the Đắk Glei 2022 evidence set as it really was
//! (late, missing and hand-signed documents) and the same set done right.

use crate::doc::{build_pdf, DocSpec, Kind, Signer};
use crate::pdf::SignOptions;
use crate::pki::TestPki;
use crate::scan::ScanSpec;
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// How a sample file is signed.
#[derive(Clone, Debug)]
pub enum Signing {
    None,
    /// Person first, then the organisation as a second incremental update.
    PersonOrg {
        person: DateTime<FixedOffset>,
        org: DateTime<FixedOffset>,
    },
    /// Organisation only (electronic copy of a paper document).
    OrgOnly(DateTime<FixedOffset>),
}

/// One file of a sample folder.
#[derive(Clone, Debug)]
pub struct SampleFile {
    /// Path inside the sample folder, NFC.
    pub path: String,
    pub spec: DocSpec,
    pub signing: Signing,
}

pub fn vn_time(d: NaiveDate, h: u32, m: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Person signs during office hours on the document date; the văn thư applies the
/// organisation signature 40 minutes later. Spread by number so times differ.
pub fn office_hours(d: NaiveDate, seed: u32) -> Signing {
    let minutes = 9 * 60 + (seed * 37) % (6 * 60);
    let person = vn_time(d, minutes / 60, minutes % 60);
    Signing::PersonOrg {
        person,
        org: person + Duration::minutes(40),
    }
}

fn number_seed(n: &str) -> u32 {
    n.split('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Sign `spec` the way `signing` says and return the file bytes.
pub fn render(spec: &DocSpec, signing: &Signing) -> Result<Vec<u8>> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    match signing {
        Signing::None => {}
        Signing::PersonOrg { person, org } => {
            pdf.sign(&pki.person, &SignOptions::at(*person, "Ký duyệt văn bản"))?;
            pdf.sign(&pki.org, &SignOptions::at(*org, "Phát hành văn bản"))?;
        }
        Signing::OrgOnly(t) => {
            pdf.sign(&pki.org, &SignOptions::at(*t, "Sao y bản chính"))?;
        }
    }
    Ok(pdf.into_bytes())
}

fn typed(heading: &str, title: &str) -> Kind {
    Kind::Typed {
        heading: heading.into(),
        title: title.into(),
    }
}

fn cong_van(extract: &str, to: &str) -> Kind {
    Kind::CongVan {
        extract: extract.into(),
        addressee: Some(to.into()),
    }
}

struct D<'a> {
    path: &'a str,
    number: &'a str,
    date: NaiveDate,
    kind: Kind,
    body: &'a [&'a str],
}

fn ubnd(d: D) -> SampleFile {
    let spec = DocSpec::dak_glei(d.number, d.date, d.kind, d.body);
    SampleFile {
        path: d.path.into(),
        signing: office_hours(d.date, number_seed(d.number)),
        spec,
    }
}

const B_CCHC: &[&str] = &[
    "Thực hiện Kế hoạch số 16/KH-UBND ngày 20 tháng 01 năm 2022 của Ủy ban nhân dân huyện về cải cách hành chính năm 2022, Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện trong kỳ như sau.",
    "Công tác chỉ đạo, điều hành được triển khai kịp thời; các cơ quan, đơn vị đã xây dựng kế hoạch cải cách hành chính và tổ chức thực hiện đúng tiến độ. Việc tuyên truyền được thực hiện qua Cổng thông tin điện tử huyện và hệ thống truyền thanh cơ sở.",
    "Trong kỳ, Bộ phận Một cửa huyện tiếp nhận và giải quyết hồ sơ thủ tục hành chính đúng hạn đạt tỷ lệ cao; một số hồ sơ còn trễ hạn do phải xác minh thực địa. Ủy ban nhân dân huyện tiếp tục chỉ đạo khắc phục trong kỳ tới.",
];
const B_KT_CCHC: &[&str] = &[
    "Thực hiện Kế hoạch kiểm tra công tác cải cách hành chính năm 2022, Đoàn kiểm tra của huyện đã kiểm tra 04 cơ quan chuyên môn và 06 xã, thị trấn.",
    "Qua kiểm tra, các đơn vị cơ bản thực hiện nghiêm túc việc niêm yết, công khai thủ tục hành chính; tuy nhiên, một số đơn vị chưa cập nhật kịp thời danh mục thủ tục mới, việc số hóa hồ sơ còn chậm.",
    "Ủy ban nhân dân huyện yêu cầu các đơn vị được kiểm tra khẩn trương khắc phục tồn tại, hạn chế và báo cáo kết quả trước ngày 15 tháng 12 năm 2022.",
];
const B_BB: &[&str] = &[
    "Hôm nay, vào lúc 08 giờ 00, tại trụ sở UBND xã Đắk Môn, Đoàn kiểm tra công tác cải cách hành chính huyện Đắk Glei tiến hành kiểm tra việc thực hiện nhiệm vụ cải cách hành chính năm 2022.",
    "Đoàn đã kiểm tra hồ sơ chỉ đạo, điều hành, việc niêm yết công khai thủ tục hành chính, sổ theo dõi hồ sơ tại Bộ phận Một cửa và việc thực hiện văn hóa công sở.",
    "Kết luận: UBND xã đã triển khai đầy đủ các văn bản chỉ đạo; còn 03 hồ sơ giải quyết trễ hạn chưa có văn bản xin lỗi. Biên bản được lập thành 02 bản, các bên thống nhất ký tên.",
];
const B_THPL: &[&str] = &[
    "Thực hiện Nghị định số 32/2020/NĐ-CP của Chính phủ và Kế hoạch của Ủy ban nhân dân tỉnh Kon Tum, Ủy ban nhân dân huyện Đắk Glei báo cáo công tác theo dõi tình hình thi hành pháp luật năm 2022.",
    "Trong năm, huyện đã ban hành kế hoạch theo dõi thi hành pháp luật trong lĩnh vực trọng tâm là đất đai và bảo vệ rừng; tổ chức 02 cuộc kiểm tra tại các xã Đắk Pek, Đắk Choong.",
    "Nhìn chung, các quy định pháp luật được triển khai kịp thời; một số văn bản hướng dẫn ban hành chậm gây khó khăn cho cơ sở trong tổ chức thực hiện.",
];
const B_PBGDPL: &[&str] = &[
    "Nhằm nâng cao nhận thức pháp luật của cán bộ, công chức và Nhân dân trên địa bàn, Ủy ban nhân dân huyện ban hành Kế hoạch phổ biến, giáo dục pháp luật năm 2022.",
    "Nội dung trọng tâm: tuyên truyền Luật Phòng, chống ma túy, Luật Lâm nghiệp, các quy định về hôn nhân và gia đình tại vùng đồng bào dân tộc thiểu số; hình thức: hội nghị, truyền thanh cơ sở, tủ sách pháp luật.",
    "Phòng Tư pháp là cơ quan thường trực, chủ trì phối hợp với các cơ quan, đơn vị và Ủy ban nhân dân các xã, thị trấn tổ chức thực hiện; kinh phí bố trí từ ngân sách huyện năm 2022.",
];
const B_CV853: &[&str] = &[
    "Thực hiện Công văn số 1016/SNV-XDCQ&TCBM của Sở Nội vụ tỉnh Kon Tum về việc xây dựng kế hoạch số lượng người làm việc trong đơn vị sự nghiệp công lập năm 2023, Ủy ban nhân dân huyện đề nghị các đơn vị sự nghiệp trực thuộc rà soát, xây dựng kế hoạch của đơn vị.",
    "Hồ sơ gửi về Phòng Nội vụ huyện để tổng hợp, thẩm định trước khi trình Ủy ban nhân dân huyện.",
];
const B_CV1652: &[&str] = &[
    "Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện phân cấp quản lý nhà nước trên các lĩnh vực theo Quyết định của Ủy ban nhân dân tỉnh Kon Tum.",
    "Các nhiệm vụ được phân cấp đã được huyện tổ chức thực hiện đúng thẩm quyền; chưa phát sinh vướng mắc lớn. Huyện kiến nghị tiếp tục phân cấp cho cấp xã trong quản lý đất đai quy mô nhỏ.",
];
const B_TSC: &[&str] = &[
    "Thực hiện hướng dẫn của Sở Tài chính tỉnh Kon Tum, Ủy ban nhân dân huyện Đắk Glei báo cáo tình hình quản lý, sử dụng tài sản công năm 2021 như sau.",
    "Tổng số tài sản công do các cơ quan, đơn vị thuộc huyện quản lý gồm trụ sở làm việc, xe ô tô và tài sản cố định khác; việc theo dõi, hạch toán được thực hiện trên phần mềm quản lý tài sản.",
    "Trong năm không phát sinh trường hợp sử dụng tài sản công sai mục đích; một số tài sản xuống cấp đã được đề xuất thanh lý theo quy định.",
];
const B_CNTT_KH: &[&str] = &[
    "Căn cứ Kế hoạch của Ủy ban nhân dân tỉnh Kon Tum về ứng dụng công nghệ thông tin, phát triển chính quyền số, Ủy ban nhân dân huyện ban hành Kế hoạch năm 2022.",
    "Mục tiêu: 100% văn bản trao đổi giữa các cơ quan được thực hiện dưới dạng điện tử, có ký số theo quy định; tỷ lệ hồ sơ trực tuyến toàn trình đạt tối thiểu 30%.",
    "Phòng Văn hóa và Thông tin chủ trì, phối hợp các đơn vị triển khai; kinh phí thực hiện từ nguồn ngân sách huyện.",
];
const B_CNTT_BC: &[&str] = &[
    "Ủy ban nhân dân huyện báo cáo kết quả thực hiện Kế hoạch số 52/KH-UBND ngày 10 tháng 02 năm 2022 về ứng dụng công nghệ thông tin, phát triển chính quyền số năm 2022.",
    "Đến nay, tỷ lệ văn bản điện tử gửi, nhận qua hệ thống quản lý văn bản đạt 95%; tỷ lệ hồ sơ trực tuyến toàn trình còn thấp do người dân chưa quen sử dụng dịch vụ công.",
];
const B_PAPI: &[&str] = &[
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Kon Tum, Ủy ban nhân dân huyện tổ chức kiểm điểm trách nhiệm đối với kết quả các chỉ số PAPI, PAR Index, PCI năm 2021.",
    "Một số chỉ số thành phần giảm điểm, nhất là kiểm soát tham nhũng và thủ tục hành chính công; nguyên nhân chủ yếu do công tác chỉ đạo chưa quyết liệt, việc tuyên truyền chưa sâu rộng.",
    "Ủy ban nhân dân huyện đề ra các giải pháp khắc phục và giao trách nhiệm cụ thể cho từng cơ quan, đơn vị trong năm 2022.",
];
const B_KH_KT: &[&str] = &[
    "Nhằm đánh giá việc thực hiện nhiệm vụ cải cách hành chính năm 2022 tại các cơ quan, đơn vị, Hội đồng Cải cách hành chính huyện ban hành Kế hoạch kiểm tra như sau.",
    "Đối tượng kiểm tra: 04 cơ quan chuyên môn thuộc Ủy ban nhân dân huyện và 06 xã, thị trấn; thời gian kiểm tra trong quý III năm 2022.",
    "Nội dung kiểm tra: công tác chỉ đạo, điều hành; cải cách thủ tục hành chính; thực hiện cơ chế một cửa, một cửa liên thông; ứng dụng công nghệ thông tin.",
];
const B_TB_KL: &[&str] = &[
    "Trên cơ sở kết quả kiểm tra công tác cải cách hành chính năm 2022, Ủy ban nhân dân huyện thông báo kết luận như sau.",
    "Các đơn vị được kiểm tra đã quan tâm triển khai nhiệm vụ cải cách hành chính; còn tồn tại về cập nhật thủ tục hành chính, số hóa hồ sơ và xin lỗi người dân khi giải quyết trễ hạn.",
    "Yêu cầu thủ trưởng các đơn vị chỉ đạo khắc phục ngay các tồn tại, báo cáo kết quả về Phòng Nội vụ huyện trước ngày 15 tháng 12 năm 2022.",
];
const B_CV_XL: &[&str] = &[
    "Thực hiện Thông báo số 240/TB-UBND ngày 20 tháng 11 năm 2022 về kết luận kiểm tra công tác cải cách hành chính, Ủy ban nhân dân huyện yêu cầu các đơn vị chấn chỉnh, khắc phục các tồn tại, hạn chế.",
    "Đối với UBND xã Đắk Môn: thực hiện xin lỗi đối với 03 hồ sơ giải quyết trễ hạn; cập nhật niêm yết thủ tục hành chính mới trong tháng 12 năm 2022.",
];
const B_QD_SK: &[&str] = &[
    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI. Căn cứ Luật Tổ chức chính quyền địa phương; xét đề nghị của Trưởng phòng Nội vụ huyện và kết quả họp Hội đồng sáng kiến huyện.",
    "QUYẾT ĐỊNH: Điều 1. Công nhận 03 sáng kiến, giải pháp mới trong cải cách hành chính năm 2022 (có danh sách kèm theo). Điều 2. Các sáng kiến được công nhận được nhân rộng áp dụng trên địa bàn huyện.",
    "Điều 3. Chánh Văn phòng HĐND và UBND huyện, Trưởng phòng Nội vụ và các tác giả có sáng kiến chịu trách nhiệm thi hành Quyết định này.",
];
const B_KH_SK: &[&str] = &[
    "Thực hiện Quyết định số 650/QĐ-UBND ngày 15 tháng 6 năm 2022 của Chủ tịch Ủy ban nhân dân huyện, Ủy ban nhân dân huyện ban hành Kế hoạch triển khai áp dụng các sáng kiến, giải pháp mới trong cải cách hành chính.",
    "Các cơ quan, đơn vị căn cứ điều kiện thực tế lựa chọn sáng kiến phù hợp để áp dụng; báo cáo kết quả về Phòng Nội vụ trước ngày 15 tháng 11 năm 2022.",
];
const B_BC_SK: &[&str] = &[
    "Ủy ban nhân dân huyện báo cáo kết quả áp dụng các sáng kiến, giải pháp mới trong cải cách hành chính năm 2022 theo Kế hoạch số 160/KH-UBND ngày 01 tháng 7 năm 2022.",
    "Sáng kiến \"Tổ công nghệ số cộng đồng hỗ trợ người dân nộp hồ sơ trực tuyến\" đã được áp dụng tại 12/12 xã, thị trấn, góp phần nâng tỷ lệ hồ sơ trực tuyến.",
];
const B_TTHC: &[&str] = &[
    "Thực hiện Kế hoạch số 641/KH-UBND ngày 08 tháng 3 năm 2022 của Ủy ban nhân dân tỉnh Kon Tum về rà soát, đánh giá thủ tục hành chính năm 2022, Ủy ban nhân dân huyện báo cáo kết quả như sau.",
    "Huyện đã rà soát 15 thủ tục hành chính thuộc thẩm quyền giải quyết của cấp huyện và cấp xã; đề xuất đơn giản hóa 04 thủ tục về thành phần hồ sơ và thời hạn giải quyết.",
];
const B_PAKN: &[&str] = &[
    "Ủy ban nhân dân huyện Đắk Glei thông báo công khai hướng dẫn tiếp nhận phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính và hành vi hành chính.",
    "Cá nhân, tổ chức gửi phản ánh, kiến nghị qua Cổng dịch vụ công quốc gia, Cổng thông tin điện tử huyện (mục Phản ánh, kiến nghị) hoặc trực tiếp tại Bộ phận Một cửa huyện.",
];

/// The 2022 situation: which documents existed, when, and how they were signed.
pub fn dak_glei_2022() -> Vec<SampleFile> {
    let mut v = common(false);
    let plan_layout = {
        let mut s = kh_kiem_tra_spec();
        s.scan = Some(ScanSpec {
            pages: 1,
            dpi: 200,
            noise: 0.012,
            seed: 131,
        });
        s.pdf_version = "1.4".into();
        s
    };
    v.push(SampleFile {
        path: "1.3.1 Kế hoạch tự kiểm tra CCHC/KH kiem tra CCHC 2022 (ban ky tay).pdf".into(),
        spec: plan_layout,
        signing: Signing::None,
    });
    v.extend(crate::tasks::replies());
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

/// The same folder done right.
pub fn dak_glei_2023_ready() -> Vec<SampleFile> {
    let mut v = common(true);
    let plan = kh_kiem_tra_spec();
    v.push(SampleFile {
        path: "1.3.1 Kế hoạch tự kiểm tra CCHC/KH kiem tra CCHC 2022.pdf".into(),
        signing: office_hours(plan.date, 18),
        spec: plan,
    });
    let extra = [
        ubnd(D {
            path: "1.3.2 Xử lý vấn đề phát hiện qua kiểm tra/TB ket luan kiem tra CCHC 2022.pdf",
            number: "240/TB-UBND",
            date: ymd(2022, 11, 20),
            kind: typed(
                "THÔNG BÁO",
                "Kết luận kiểm tra công tác cải cách hành chính năm 2022",
            ),
            body: B_TB_KL,
        }),
        ubnd(D {
            path: "1.3.2 Xử lý vấn đề phát hiện qua kiểm tra/CV xu ly sau kiem tra.pdf",
            number: "2105/UBND-NV",
            date: ymd(2022, 11, 24),
            kind: cong_van(
                "chấn chỉnh, khắc phục tồn tại, hạn chế phát hiện qua kiểm tra CCHC",
                "Thủ trưởng các cơ quan, đơn vị; Chủ tịch UBND các xã, thị trấn",
            ),
            body: B_CV_XL,
        }),
        {
            let mut f = ubnd(D {
                path: "1.4 Sáng kiến CCHC/QD 650 cong nhan sang kien 2022.pdf",
                number: "650/QĐ-UBND",
                date: ymd(2022, 6, 15),
                kind: typed(
                    "QUYẾT ĐỊNH",
                    "Công nhận sáng kiến, giải pháp mới trong cải cách hành chính năm 2022",
                ),
                body: B_QD_SK,
            });
            f.spec.signer.authority = None;
            f.spec.recipients = vec![
                "Như Điều 3;".into(),
                "Sở Nội vụ tỉnh Kon Tum (b/c);".into(),
                "Lưu: VT, NV.".into(),
            ];
            f
        },
        ubnd(D {
            path: "1.4 Sáng kiến CCHC/KH 160 trien khai ap dung sang kien.pdf",
            number: "160/KH-UBND",
            date: ymd(2022, 7, 1),
            kind: typed(
                "KẾ HOẠCH",
                "Triển khai áp dụng sáng kiến, giải pháp mới trong cải cách hành chính năm 2022",
            ),
            body: B_KH_SK,
        }),
        ubnd(D {
            path: "1.4 Sáng kiến CCHC/BC 236 ket qua ap dung sang kien.pdf",
            number: "236/BC-UBND",
            date: ymd(2022, 11, 18),
            kind: typed(
                "BÁO CÁO",
                "Kết quả áp dụng sáng kiến, giải pháp mới trong cải cách hành chính năm 2022",
            ),
            body: B_BC_SK,
        }),
        ubnd(D {
            path: "3.1.1 Rà soát TTHC/BC ket qua ra soat TTHC 2022.pdf",
            number: "201/BC-UBND",
            date: ymd(2022, 10, 10),
            kind: typed(
                "BÁO CÁO",
                "Kết quả rà soát, đánh giá thủ tục hành chính năm 2022",
            ),
            body: B_TTHC,
        }),
        ubnd(D {
            path: "3.5.2 Công khai PAKN/Huong dan phan anh kien nghi.pdf",
            number: "95/TB-UBND",
            date: ymd(2022, 4, 14),
            kind: typed(
                "THÔNG BÁO",
                "Công khai hướng dẫn và đường link tiếp nhận phản ánh, kiến nghị của cá nhân, tổ chức",
            ),
            body: B_PAKN,
        }),
    ];
    v.extend(extra);
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

fn kh_kiem_tra_spec() -> DocSpec {
    let mut s = DocSpec::dak_glei(
        "18/KH-HĐCCHC",
        ymd(2022, 3, 15),
        typed("KẾ HOẠCH", "Kiểm tra công tác cải cách hành chính năm 2022"),
        B_KH_KT,
    );
    s.issuer = vec!["HỘI ĐỒNG CCHC".into(), "HUYỆN ĐẮK GLEI".into()];
    s.signer.authority = Some("TM. HỘI ĐỒNG".into());
    s
}

/// Documents present in both folders; `on_time` picks the corrected dates.
fn common(on_time: bool) -> Vec<SampleFile> {
    let pick = |late: NaiveDate, ok: NaiveDate| if on_time { ok } else { late };
    let mut v = vec![
        ubnd(D {
            path: "1.2.1 Báo cáo CCHC/BC CCHC quy I nam 2022.pdf",
            number: "45/BC-UBND",
            date: pick(ymd(2022, 3, 18), ymd(2022, 3, 11)),
            kind: typed("BÁO CÁO", "Công tác cải cách hành chính quý I năm 2022"),
            body: B_CCHC,
        }),
        ubnd(D {
            path: "1.2.1 Báo cáo CCHC/BC CCHC 6 thang dau nam 2022.pdf",
            number: "112/BC-UBND",
            date: ymd(2022, 6, 13),
            kind: typed(
                "BÁO CÁO",
                "Công tác cải cách hành chính 6 tháng đầu năm 2022",
            ),
            body: B_CCHC,
        }),
        ubnd(D {
            path: "1.2.1 Báo cáo CCHC/BC CCHC quy III nam 2022.pdf",
            number: "176/BC-UBND",
            date: pick(ymd(2022, 9, 20), ymd(2022, 9, 12)),
            kind: typed("BÁO CÁO", "Công tác cải cách hành chính quý III năm 2022"),
            body: B_CCHC,
        }),
        ubnd(D {
            path: "1.3.1 Kế hoạch tự kiểm tra CCHC/BC ket qua kiem tra CCHC 2022.pdf",
            number: "230/BC-UBND",
            date: ymd(2022, 11, 15),
            kind: typed(
                "BÁO CÁO",
                "Kết quả kiểm tra công tác cải cách hành chính năm 2022",
            ),
            body: B_KT_CCHC,
        }),
        {
            let mut f = ubnd(D {
                path: "1.3.2 Xử lý vấn đề phát hiện qua kiểm tra/Bien ban kiem tra xa Dak Mon.pdf",
                number: "05/BB-ĐKT",
                date: ymd(2022, 9, 12),
                kind: typed(
                    "BIÊN BẢN",
                    "Kiểm tra công tác cải cách hành chính tại UBND xã Đắk Môn",
                ),
                body: B_BB,
            });
            f.spec.issuer = vec!["ĐOÀN KIỂM TRA CCHC".into(), "HUYỆN ĐẮK GLEI".into()];
            f.spec.signer = Signer {
                authority: None,
                title: "TRƯỞNG ĐOÀN".into(),
                name: crate::pki::PERSON_NAME.into(),
            };
            f.spec.recipients = vec![
                "UBND xã Đắk Môn;".into(),
                "Thành viên Đoàn kiểm tra;".into(),
                "Lưu: VT, NV.".into(),
            ];
            f
        },
        ubnd(D {
            path: "2.1.1 Theo dõi thi hành pháp luật/BC theo doi THPL nam 2022.pdf",
            number: "268/BC-UBND",
            date: pick(ymd(2022, 12, 13), ymd(2022, 11, 28)),
            kind: typed("BÁO CÁO", "Công tác theo dõi thi hành pháp luật năm 2022"),
            body: B_THPL,
        }),
        ubnd(D {
            path: "2.4 Phổ biến giáo dục pháp luật/KH PBGDPL nam 2022.pdf",
            number: "28/KH-UBND",
            date: ymd(2022, 1, 21),
            kind: typed("KẾ HOẠCH", "Phổ biến, giáo dục pháp luật năm 2022"),
            body: B_PBGDPL,
        }),
        ubnd(D {
            path: "4.2.2 Kế hoạch biên chế/CV 853 ke hoach so luong nguoi lam viec 2023.pdf",
            number: "853/UBND-NV",
            date: pick(ymd(2022, 5, 11), ymd(2022, 5, 4)),
            kind: cong_van(
                "xây dựng kế hoạch số lượng người làm việc năm 2023",
                "Các đơn vị sự nghiệp công lập thuộc UBND huyện",
            ),
            body: B_CV853,
        }),
        ubnd(D {
            path: "4.3 Phân cấp/CV 1652 bao cao phan cap.pdf",
            number: "1652/UBND-NV",
            date: ymd(2022, 8, 30),
            kind: cong_van(
                "báo cáo kết quả thực hiện phân cấp quản lý nhà nước",
                "Sở Nội vụ tỉnh Kon Tum",
            ),
            body: B_CV1652,
        }),
        ubnd(D {
            path: "6.2.1 Tài sản công/BC tai san cong nam 2021.pdf",
            number: "35/BC-UBND",
            date: pick(ymd(2022, 2, 22), ymd(2022, 1, 25)),
            kind: typed(
                "BÁO CÁO",
                "Tình hình quản lý, sử dụng tài sản công năm 2021",
            ),
            body: B_TSC,
        }),
        ubnd(D {
            path: "7.1.2 Kế hoạch ứng dụng CNTT/KH ung dung CNTT 2022.pdf",
            number: "52/KH-UBND",
            date: ymd(2022, 2, 10),
            kind: typed(
                "KẾ HOẠCH",
                "Ứng dụng công nghệ thông tin, phát triển chính quyền số năm 2022",
            ),
            body: B_CNTT_KH,
        }),
        ubnd(D {
            path: "7.1.2 Kế hoạch ứng dụng CNTT/BC ket qua ung dung CNTT 2022.pdf",
            number: "245/BC-UBND",
            date: ymd(2022, 11, 25),
            kind: typed(
                "BÁO CÁO",
                "Kết quả thực hiện kế hoạch ứng dụng công nghệ thông tin năm 2022",
            ),
            body: B_CNTT_BC,
        }),
        ubnd(D {
            path: "DT.1 Điểm trừ/BC kiem diem PAPI PAR Index PCI 2021.pdf",
            number: "250/BC-UBND",
            date: pick(ymd(2022, 11, 23), ymd(2022, 10, 27)),
            kind: typed(
                "BÁO CÁO",
                "Kiểm điểm trách nhiệm đối với kết quả các chỉ số PAPI, PAR Index, PCI năm 2021",
            ),
            body: B_PAPI,
        }),
    ];
    // Electronic copy of the hand-signed paper report: a scan carrying only the organisation's signature.
    let mut ecopy = DocSpec::dak_glei(
        "198/BC-UBND",
        ymd(2022, 11, 15),
        typed(
            "BÁO CÁO",
            "Kết quả thực hiện công tác phổ biến, giáo dục pháp luật năm 2022",
        ),
        B_PBGDPL,
    );
    ecopy.scan = Some(ScanSpec {
        pages: 1,
        dpi: 200,
        noise: 0.012,
        seed: 24,
    });
    ecopy.pdf_version = "1.4".into();
    v.push(SampleFile {
        path: "2.4 Phổ biến giáo dục pháp luật/BC ket qua PBGDPL 2022 (ban sao dien tu).pdf".into(),
        spec: ecopy,
        signing: Signing::OrgOnly(vn_time(ymd(2022, 11, 20), 10, 5)),
    });
    v
}

pub const TLKC_TOML: &str = r#"# tlkc.toml — cấu hình thư mục TLKC (see docs/config.md)
as_of = "2022-11-30"
unit = "UBND huyện Đắk Glei"

[deadlines.tai-san-cong]
date = "2022-01-31"
basis = "Hạn gửi báo cáo tài sản công theo hướng dẫn của Sở Tài chính (mẫu)"

[[assign]]
path = "2.1.1 Theo dõi thi hành pháp luật/BC theo doi THPL nam 2022.pdf"
criteria = ["2.1.1", "2.1.3"]

[trust]
anchors = ["../test-ca/root.pem"]
"#;

/// The 2022 folder's self-scoring inputs: the system data and the council's
/// results from the seed report (Phòng Nội vụ Đắk Glei, 2023), which gives
/// results but no formula for these units.
pub const TLKC_TOML_2022_SCORES: &str = r#"
# Tự chấm: số liệu hệ thống và điểm chỉ người chấm được (nguồn: báo cáo của Phòng Nội vụ huyện
# Đắk Glei về kết quả Chỉ số CCHC 2022; báo cáo ghi kết quả, không ghi công thức).
[metrics]
"3.4.1" = { value = 86.07, unit = "%", source = "Hệ thống thông tin giải quyết TTHC tỉnh: 402 hồ sơ, 56 trễ hạn (số liệu thẩm định 2022)" }
"3.4.2" = { value = 98.16, unit = "%", source = "Hệ thống thông tin giải quyết TTHC tỉnh: 15.792 hồ sơ, 291 trễ hạn (số liệu thẩm định 2022)" }
"5.6" = { value = 2, unit = "người", source = "Quyết định kỷ luật 2022: 1 cảnh cáo (TT Đắk Glei), 1 buộc thôi việc (xã Đắk Môn)" }

[manual]
"2.4" = { score = 0.85, reason = "Hội đồng chấm 0,85/1: chưa hoàn thành toàn bộ nhiệm vụ của kế hoạch PBGDPL năm, không giải trình (báo cáo Phòng Nội vụ 2023)" }
"4.3" = { score = 0, reason = "Hội đồng chấm 0/3, không nêu lý do; huyện chỉ phối hợp, chưa có hướng dẫn phân cấp (báo cáo Phòng Nội vụ 2023)" }
"7.1.2" = { score = 0.86, reason = "Hội đồng chấm 0,86/1: tỷ lệ hồ sơ mức độ 3, 4 chưa đạt kế hoạch; không có báo cáo tỷ lệ hồ sơ công việc (báo cáo Phòng Nội vụ 2023)" }
"3.3.4" = { score = 1, reason = "Chưa đồng bộ 100% hồ sơ trên Hệ thống một cửa điện tử; 56 hồ sơ quá hạn (báo cáo Phòng Nội vụ 2023: 1/2)" }
"3.4.1" = { score = 0, reason = "86,07% hồ sơ đúng hạn (báo cáo Phòng Nội vụ 2023: 0/1)" }
"3.4.2" = { score = 0.97, reason = "98,16% hồ sơ đúng hạn (báo cáo Phòng Nội vụ 2023: 0,97/1)" }
"5.6" = { score = 2, reason = "2 công chức cấp xã bị kỷ luật (báo cáo Phòng Nội vụ 2023: 2/3)" }
"6.1.2" = { score = 0, reason = "Kết luận của Kiểm toán Nhà nước khu vực XII năm 2022 (báo cáo Phòng Nội vụ 2023: 0/1)" }
"6.3.1" = { score = 0, reason = "Năm 2022 tạm thời chưa chấm điểm (báo cáo Phòng Nội vụ 2023: 0/0,5)" }
"7.1.3" = { score = 0.95, reason = "Tỷ lệ văn bản điện tử chưa cao (báo cáo Phòng Nội vụ 2023: 0,95/1)" }
"7.1.4" = { score = 0, reason = "Hồ sơ điện tử không lưu trên VNPT Office (báo cáo Phòng Nội vụ 2023: 0/2)" }
"7.2.2" = { score = 0.02, reason = "Tỷ lệ hồ sơ trực tuyến toàn trình rất thấp (báo cáo Phòng Nội vụ 2023: 0,02/2)" }
"7.3.2" = { score = 0, reason = "Tỷ lệ TTHC có thanh toán trực tuyến thấp (báo cáo Phòng Nội vụ 2023: 0/0,5)" }
"7.3.3" = { score = 0, reason = "Tỷ lệ hồ sơ thanh toán trực tuyến thấp (báo cáo Phòng Nội vụ 2023: 0/0,5)" }
"8.1" = { score = 0, reason = "Kiểm tra đột xuất 04/3/2022: UBND xã Đắk Nhoong vắng mặt lúc 13 giờ 15 (TB 13/TB-SNV; báo cáo Phòng Nội vụ 2023: 0/2)" }
"#;

/// The folder written in NFD on disk in the 2022 sample, to exercise normalisation.
pub const NFD_FOLDER: &str = "1.3.1 Kế hoạch tự kiểm tra CCHC";

/// Write every sample under `root` (the `samples/` folder); returns the written paths.
/// README.md is hand-written and left alone.
pub fn write_samples(root: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let pki = TestPki::get();
    let mut put = |rel: PathBuf, bytes: &[u8]| -> Result<()> {
        let p = root.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap())?;
        std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?;
        written.push(rel);
        Ok(())
    };
    put(PathBuf::from("test-ca/root.pem"), pki.root_pem().as_bytes())?;
    put(
        PathBuf::from("test-ca/subca.pem"),
        pki.subca_pem().as_bytes(),
    )?;
    for (folder, files, nfd) in [
        ("dak-glei-2022", dak_glei_2022(), true),
        ("dak-glei-2023-ready", dak_glei_2023_ready(), false),
    ] {
        // Only the 2022 folder carries the self-scoring inputs and the task register
        // (twelve replies would push the committed samples past their size budget).
        let toml = if nfd {
            format!("{TLKC_TOML}{TLKC_TOML_2022_SCORES}")
        } else {
            TLKC_TOML.to_string()
        };
        put(PathBuf::from(folder).join("tlkc.toml"), toml.as_bytes())?;
        if nfd {
            put(
                PathBuf::from(folder).join("tasks.csv"),
                crate::tasks::tasks_csv().as_bytes(),
            )?;
        }
        for f in files {
            let mut rel: String = f.path.nfc().collect();
            if nfd && rel.starts_with(NFD_FOLDER) {
                let nfd_folder: String = NFD_FOLDER.nfd().collect();
                rel = rel.replacen(NFD_FOLDER, &nfd_folder, 1);
            }
            put(
                PathBuf::from(folder).join(rel),
                &render(&f.spec, &f.signing)?,
            )?;
        }
    }
    Ok(written)
}
