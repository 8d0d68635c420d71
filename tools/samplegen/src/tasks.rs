//! The assigned-task register of the Đắk Glei sample (criterion 1.5.1) and the
//! district's replies. The seed report names the 12-task count and the four late
//! assignments; the other eight assignments, every deadline and every reply are
//! invented (fictitious numbers) to make up that count.

use chrono::NaiveDate;

use crate::doc::{DocSpec, Kind};
use crate::samples::{office_hours, SampleFile};

/// One assignment from UBND tỉnh Kon Tum and the district's reply.
pub struct SampleTask {
    pub number: &'static str,
    pub date: (u32, u32),
    pub asked: &'static str,
    pub deadline: (u32, u32),
    pub unit: &'static str,
    /// Reply number and date as it really went (late for the four the seed names).
    pub reply: &'static str,
    pub replied: (u32, u32),
    /// Where the reply cites its assignment: the "V/v" line or the body.
    pub cite_in_vv: bool,
}

// One row of the table below: positional so the twelve rows read as a table.
#[allow(clippy::too_many_arguments)]
const fn t(
    number: &'static str,
    date: (u32, u32),
    asked: &'static str,
    deadline: (u32, u32),
    unit: &'static str,
    reply: &'static str,
    replied: (u32, u32),
    cite_in_vv: bool,
) -> SampleTask {
    SampleTask {
        number,
        date,
        asked,
        deadline,
        unit,
        reply,
        replied,
        cite_in_vv,
    }
}

/// The twelve tasks of 2022 to 30/11/2022: 8 answered on time, 4 late.
pub const TASKS: &[SampleTask] = &[
    t(
        "187/UBND-KTTH",
        (1, 20),
        "Báo cáo công tác chuẩn bị phục vụ Tết Nguyên đán Nhâm Dần 2022",
        (1, 26),
        "Phòng Lao động - TB&XH",
        "152/UBND-LĐTBXH",
        (1, 28),
        false,
    ),
    t(
        "246/UBND-KTTH",
        (1, 25),
        "Chuẩn bị Hội nghị đối thoại doanh nghiệp năm 2021",
        (2, 10),
        "Phòng Tài chính - Kế hoạch",
        "241/UBND-TCKH",
        (2, 14),
        true,
    ),
    t(
        "512/UBND-KGVX",
        (2, 24),
        "Báo cáo công tác phòng, chống dịch COVID-19 trong trường học",
        (3, 7),
        "Phòng Giáo dục và Đào tạo",
        "405/UBND-VX",
        (3, 4),
        true,
    ),
    t(
        "873/UBND-NNTN",
        (3, 30),
        "Rà soát diện tích rừng bị lấn chiếm trên địa bàn huyện",
        (4, 20),
        "Phòng Nông nghiệp và PTNT",
        "690/UBND-NN",
        (4, 15),
        false,
    ),
    t(
        "1008/UBND-HTKT",
        (4, 12),
        "Kiểm tra hoạt động của các trạm cân trên địa bàn huyện Đắk Glei",
        (4, 22),
        "Phòng Kinh tế - Hạ tầng",
        "702/UBND-KTHT",
        (4, 27),
        true,
    ),
    t(
        "1240/UBND-KTTH",
        (5, 16),
        "Báo cáo tình hình giải ngân vốn đầu tư công 5 tháng đầu năm 2022",
        (5, 25),
        "Phòng Tài chính - Kế hoạch",
        "1004/UBND-TCKH",
        (5, 23),
        true,
    ),
    t(
        "1532/UBND-NC",
        (6, 9),
        "Báo cáo kết quả triển khai Đề án 06 về dữ liệu dân cư",
        (6, 20),
        "Công an huyện",
        "1187/UBND-NV",
        (6, 17),
        false,
    ),
    t(
        "1905/UBND-KGVX",
        (6, 24),
        "Chuẩn bị Kỳ thi tốt nghiệp trung học phổ thông năm 2022",
        (7, 1),
        "Phòng Giáo dục và Đào tạo",
        "1230/UBND-VX",
        (6, 29),
        true,
    ),
    t(
        "2291/UBND-NC",
        (7, 18),
        "Chuẩn bị nội dung làm việc với Đoàn thanh tra Bộ Nội vụ",
        (7, 25),
        "Phòng Nội vụ",
        "1398/UBND-NV",
        (7, 28),
        false,
    ),
    t(
        "2456/UBND-HTKT",
        (8, 2),
        "Rà soát công trình giao thông hư hỏng do mưa lũ",
        (8, 15),
        "Phòng Kinh tế - Hạ tầng",
        "1502/UBND-KTHT",
        (8, 12),
        false,
    ),
    t(
        "2803/UBND-NNTN",
        (9, 12),
        "Báo cáo tiến độ Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
        (9, 26),
        "Phòng Nông nghiệp và PTNT",
        "1760/UBND-NN",
        (9, 22),
        true,
    ),
    t(
        "3310/UBND-NC",
        (10, 20),
        "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
        (11, 4),
        "Thanh tra huyện",
        "2051/UBND-NV",
        (11, 1),
        false,
    ),
];

/// The folder the replies are filed in.
pub const FOLDER: &str = "1.5.1 Nhiệm vụ UBND tỉnh giao";

fn ymd(md: (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, md.0, md.1).unwrap()
}

fn dmy(md: (u32, u32)) -> String {
    format!("{:02}/{:02}/2022", md.1, md.0)
}

/// tasks.csv: the register an officer keeps (dd/mm/yyyy dates, as exported from a spreadsheet).
pub fn tasks_csv() -> String {
    let mut s = String::from("number,date,issuer,asked,deadline,unit\n");
    for t in TASKS {
        s.push_str(&format!(
            "{},{},UBND tỉnh Kon Tum,\"{}\",{},{}\n",
            t.number,
            dmy(t.date),
            t.asked,
            dmy(t.deadline),
            t.unit
        ));
    }
    s
}

/// The twelve replies, each citing its assignment in its own text.
pub fn replies() -> Vec<SampleFile> {
    TASKS
        .iter()
        .map(|t| {
            let when = ymd(t.replied);
            let assigned = ymd(t.date);
            let cited = format!(
                "Văn bản số {} ngày {} của Ủy ban nhân dân tỉnh Kon Tum",
                t.number,
                crate::doc::vn_date(assigned).trim_start_matches("ngày ")
            );
            let topic = lower_first(t.asked);
            let (extract, first) = if t.cite_in_vv {
                (
                    format!(
                        "phúc đáp Công văn số {} ngày {}/{}/2022 của UBND tỉnh",
                        t.number,
                        assigned.format("%d"),
                        assigned.format("%-m")
                    ),
                    format!("Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện nhiệm vụ {topic} như sau."),
                )
            } else {
                (
                    topic.clone(),
                    format!("Thực hiện {cited} về việc {topic}, Ủy ban nhân dân huyện Đắk Glei báo cáo như sau."),
                )
            };
            let body = [
                first.as_str(),
                "Ủy ban nhân dân huyện đã giao cơ quan chuyên môn chủ trì, phối hợp với các đơn vị liên quan và Ủy ban nhân dân các xã, thị trấn triển khai thực hiện; kết quả cụ thể được tổng hợp tại phụ lục kèm theo.",
                "Ủy ban nhân dân huyện Đắk Glei kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo.",
            ];
            let spec = DocSpec::dak_glei(
                t.reply,
                when,
                Kind::CongVan {
                    extract,
                    addressee: Some("Ủy ban nhân dân tỉnh Kon Tum".into()),
                },
                &body,
            );
            let seq = t.reply.split('/').next().and_then(|n| n.parse().ok()).unwrap_or(1);
            SampleFile {
                path: format!("{FOLDER}/CV {} tra loi {}.pdf", seq, t.number.replace('/', "-")),
                signing: office_hours(when, seq),
                spec,
            }
        })
        .collect()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
