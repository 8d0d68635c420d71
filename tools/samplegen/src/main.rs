fn main() -> anyhow::Result<()> {
    use chrono::{FixedOffset, NaiveDate, TimeZone};
    use samplegen::*;
    let spec = DocSpec::dak_glei(
        "45/BC-UBND",
        NaiveDate::from_ymd_opt(2022, 3, 18).unwrap(),
        Kind::Typed {
            heading: "BÁO CÁO".into(),
            title: "Công tác cải cách hành chính quý I năm 2022".into(),
        },
        &["Thực hiện Kế hoạch số 16/KH-UBND ngày 20 tháng 01 năm 2022 của Ủy ban nhân dân huyện về cải cách hành chính năm 2022, Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2022 như sau:", "Quý I, Ủy ban nhân dân huyện đã ban hành 03 kế hoạch, 01 quyết định về cải cách hành chính; tổ chức tuyên truyền trên Cổng thông tin điện tử huyện."],
    );
    let mut pdf = build_pdf(&spec)?;
    let pki = TestPki::get();
    let t = FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2022, 3, 18, 9, 30, 0)
        .unwrap();
    pdf.sign(&pki.person, &SignOptions::at(t, "Ký số văn bản"))?;
    let t2 = FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2022, 3, 18, 10, 15, 0)
        .unwrap();
    pdf.sign(&pki.org, &SignOptions::at(t2, "Phát hành văn bản"))?;
    std::fs::write("/tmp/t.pdf", pdf.bytes())?;
    let mut s = spec.clone();
    s.scan = Some(ScanSpec::default());
    std::fs::write("/tmp/s.pdf", build_pdf(&s)?.bytes())?;
    std::fs::write("/tmp/root.pem", pki.root_pem())?;
    Ok(())
}
