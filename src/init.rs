//! `tlkc init`: lay out an empty evidence folder for a ruleset, so that
//! files land where discovery files them ("CODE Title" folders) and each
//! folder says, in Vietnamese, what evidence it needs.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::discover::GUIDE_FILE;
use crate::findings::Lang;
use crate::report::{long_date, points};
use crate::rules::{Deadline, Requirement, Ruleset, Scorable, Scoring, SignatureRule};

/// Longest folder name kept (characters): deep Windows paths break near 260.
pub const MAX_NAME_CHARS: usize = 80;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct InitSummary {
    pub created: Vec<PathBuf>,
    /// Files that already existed and were left untouched.
    pub skipped: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// "CODE Title", safe on Windows and Linux file systems, NFC, at most
/// [`MAX_NAME_CHARS`] characters.
pub fn folder_name(id: &str, title: &str) -> String {
    let raw = format!("{id} {title}");
    let cleaned: String = crate::text::nfc(&raw)
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = collapsed.chars().take(MAX_NAME_CHARS).collect();
    // Windows drops trailing dots and spaces, which would rename the folder.
    cut.trim_end_matches(['.', ' ']).to_string()
}

fn signature_vi(s: SignatureRule) -> &'static str {
    match s {
        SignatureRule::None => "không bắt buộc",
        SignatureRule::Required => "bắt buộc: văn bản điện tử có chữ ký số (bản giấy ký tay được quét lại không được chấm điểm)",
        SignatureRule::PersonAndOrganization => "bắt buộc chữ ký số của người có thẩm quyền và chữ ký số của cơ quan (Nghị định 30/2020/NĐ-CP, Điều 5, 13)",
    }
}

fn deadline_vi(d: &Deadline) -> String {
    let with_basis = |text: String, basis: &Option<String>| match basis {
        Some(b) => format!("{text} (căn cứ: {b})"),
        None => text,
    };
    match d {
        Deadline::Fixed { date, basis } => {
            with_basis(format!("chậm nhất {}", long_date(*date, Lang::Vi)), basis)
        }
        Deadline::PeriodDay { day, basis } => with_basis(
            format!("chậm nhất ngày {day} của tháng cuối kỳ báo cáo"),
            basis,
        ),
        Deadline::Local { key, basis } => with_basis(
            format!("do địa phương quy định: khai báo [deadlines.{key}] date = \"YYYY-MM-DD\" trong tlkc.toml"),
            basis,
        ),
    }
}

fn requirement_vi(i: usize, r: &Requirement, out: &mut String) {
    out.push_str(&format!("{}. {}\n", i + 1, r.title));
    if !r.types.is_empty() {
        let types: Vec<String> = r
            .types
            .iter()
            .map(|t| match crate::decree30::type_name(t) {
                Some(n) => format!("{t} ({})", n.to_lowercase()),
                None if t == crate::decree30::CONG_VAN => format!("{t} (công văn)"),
                None => t.clone(),
            })
            .collect();
        out.push_str(&format!("   - Loại văn bản: {}\n", types.join(", ")));
    }
    if !r.periods.is_empty() {
        let p: Vec<&str> = r.periods.iter().map(|p| p.label_vi()).collect();
        out.push_str(&format!(
            "   - Số văn bản: {} (các kỳ: {})\n",
            p.len(),
            p.join(", ")
        ));
    } else if r.count > 1 {
        out.push_str(&format!("   - Số văn bản: {}\n", r.count));
    }
    if let Some(d) = &r.deadline {
        out.push_str(&format!("   - Thời hạn: {}\n", deadline_vi(d)));
    }
    out.push_str(&format!("   - Ký số: {}\n", signature_vi(r.signature)));
    out.push_str(&format!("   - Điểm: {}\n", points(r.points, Lang::Vi)));
    if let Some(b) = &r.basis {
        out.push_str(&format!("   - Căn cứ, lưu ý: {b}\n"));
    }
}

/// The HUONG-DAN.txt of one sub-criterion (Vietnamese, CRLF-free UTF-8).
pub fn guide(rules: &Ruleset, s: &Scorable, requirements: &[Requirement]) -> String {
    let fw = &rules.framework;
    let mut out = format!(
        "HƯỚNG DẪN TÀI LIỆU KIỂM CHỨNG\n\nTiêu chí thành phần {}: {}\nĐiểm tối đa: {}\nBộ tiêu chí: {} ({})\n\n",
        s.id,
        s.title,
        points(s.max_points, Lang::Vi),
        fw.title,
        fw.id
    );
    out.push_str("Tài liệu kiểm chứng cần có:\n");
    for (i, r) in requirements.iter().enumerate() {
        requirement_vi(i, r, &mut out);
    }
    if let Some(n) = &s.note {
        out.push_str(&format!("\nGhi chú: {n}\n"));
    }
    if !fw.legal_basis.is_empty() {
        out.push_str("\nCăn cứ chung:\n");
        for b in &fw.legal_basis {
            out.push_str(&format!("- {b}\n"));
        }
    }
    out.push_str(&format!(
        "\nCách làm: đặt vào thư mục này bản PDF đã ký số của từng văn bản (tải từ hệ thống quản lý văn bản, không quét lại). \
Văn bản phục vụ nhiều tiêu chí: gán bằng [[assign]] trong tlkc.toml thay vì sao chép. \
Kiểm tra bằng lệnh: tlkc check\n\
Tệp {GUIDE_FILE} này do tlkc tạo; tlkc không coi nó là tài liệu kiểm chứng.\n"
    ));
    out
}

/// The commented tlkc.toml written at the folder's root.
pub fn config_template(rules: &Ruleset) -> String {
    let rules_value = match rules.source.strip_prefix("builtin:") {
        Some(id) => id.to_string(),
        None => rules.source.replace('\\', "/"),
    };
    let mut local: Vec<(&str, Option<&str>)> = Vec::new();
    for (_, s) in rules.scorables() {
        if let Scoring::Documents { requirements } = &s.scoring {
            for r in requirements {
                if let Some(Deadline::Local { key, basis }) = &r.deadline {
                    if !local.iter().any(|(k, _)| *k == key) {
                        local.push((key, basis.as_deref()));
                    }
                }
            }
        }
    }
    let mut t = format!(
        "# tlkc.toml — thiết lập của thư mục tài liệu kiểm chứng (settings of this evidence folder).\n\
# Bỏ dấu # ở đầu dòng để dùng một thiết lập. Tài liệu: tlkc explain, docs/checks.md.\n\n\
# Bộ tiêu chí (tệp TOML, đường dẫn tương đối với thư mục này, hoặc mã bộ tiêu chí có sẵn).\n\
rules = \"{}\"\n\n\
# Tên đơn vị được đánh giá.\n# unit = \"UBND huyện …\"\n\n\
# Ngày đánh giá cố định (mặc định: hôm nay, giờ Việt Nam). Hạn sau ngày này là \"chưa đến hạn\".\n\
# as_of = \"{}-12-31\"\n",
        rules_value.replace('"', "\\\""),
        rules.framework.year
    );
    if !local.is_empty() {
        t.push_str("\n# Hạn do địa phương quy định (bộ tiêu chí để trống):\n");
        for (key, basis) in local {
            t.push_str(&format!("# [deadlines.{key}]\n# date = \"YYYY-MM-DD\"\n"));
            match basis {
                Some(b) => t.push_str(&format!("# basis = \"{}\"\n", b.replace('"', "'"))),
                None => t.push_str("# basis = \"Văn bản quy định hạn: số, ngày\"\n"),
            }
        }
    }
    t.push_str(
        "\n# Gán một tệp (hoặc thư mục) cho tiêu chí khi tên thư mục không mang mã tiêu chí,\n\
# hoặc khi một văn bản phục vụ nhiều tiêu chí:\n\
# [[assign]]\n# path = \"Văn bản chung/BC 12 tự kiểm tra.pdf\"\n# criteria = [\"1.3.1\", \"1.3.2\"]\n\n\
# Miễn trừ một phát hiện đã biết (ví dụ báo cáo trễ hạn đã giải trình). Bắt buộc có reason.\n\
# [[waiver]]\n# code = \"DUE001\"\n# criterion = \"1.2.1\"\n# path = \"1.2.1 …/BC 45 CCHC quý I.pdf\"\n\
# reason = \"Đã giải trình tại Văn bản số …\"\n# until = \"YYYY-MM-DD\"\n\n\
# Tự chấm: số liệu hệ thống (tiêu chí chấm theo tỷ lệ, ngưỡng, số lượng) và điểm chỉ người chấm được.\n\
# [metrics]\n# \"3.4.1\" = { value = 86.07, unit = \"%\", source = \"Hệ thống TTHC tỉnh, 31/12/…\" }\n\
# [manual]\n# \"8.1\" = { score = 2, reason = \"Không có kết luận kiểm tra công vụ vi phạm\" }\n\
# Nhiệm vụ cấp trên giao: sổ theo dõi tasks.csv đặt cạnh tệp này (number,date,issuer,asked,deadline,unit,reply).\n\n\
# Chữ ký số được đối chiếu với chứng thư của Ban Cơ yếu Chính phủ có sẵn trong tlkc (tlkc trust list).\n\
# Chứng thư gốc tin cậy thêm (PEM hoặc DER) và danh sách thu hồi (CRL) đã tải về, đường dẫn tương đối với thư mục này.\n\
# [trust]\n# anchors = [\"ca/root.pem\"]\n# crls = [\"ca/cp.crl\"]\n",
    );
    t
}

fn write_new(path: &Path, text: &str, summary: &mut InitSummary) -> Result<(), InitError> {
    let io_err = |source| InitError::Io {
        path: path.display().to_string(),
        source,
    };
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => {
            f.write_all(text.as_bytes()).map_err(io_err)?;
            summary.created.push(path.to_path_buf());
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            summary.skipped.push(path.to_path_buf())
        }
        Err(e) => return Err(io_err(e)),
    }
    Ok(())
}

/// Create `dir` and its layout; existing files are never overwritten.
pub fn init(dir: &Path, rules: &Ruleset) -> Result<InitSummary, InitError> {
    let mut summary = InitSummary::default();
    let mkdir = |p: &Path| {
        std::fs::create_dir_all(p).map_err(|source| InitError::Io {
            path: p.display().to_string(),
            source,
        })
    };
    mkdir(dir)?;
    write_new(
        &dir.join(crate::config::FILE_NAME),
        &config_template(rules),
        &mut summary,
    )?;
    for (_, s) in rules.scorables() {
        let Scoring::Documents { requirements } = &s.scoring else {
            continue;
        };
        if requirements.is_empty() {
            continue;
        }
        let folder = dir.join(folder_name(&s.id, &s.title));
        mkdir(&folder)?;
        write_new(
            &folder.join(GUIDE_FILE),
            &guide(rules, s, requirements),
            &mut summary,
        )?;
    }
    Ok(summary)
}

pub fn print_summary(
    s: &InitSummary,
    dir: &Path,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rel = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    for p in &s.skipped {
        match lang {
            Lang::Vi => writeln!(out, "  bỏ qua (đã có, không ghi đè): {}", rel(p))?,
            Lang::En => writeln!(out, "  skipped (exists, not overwritten): {}", rel(p))?,
        }
    }
    match lang {
        Lang::Vi => writeln!(
            out,
            "Đã tạo {} tệp trong {}; bỏ qua {} tệp đã có.",
            s.created.len(),
            dir.display(),
            s.skipped.len()
        ),
        Lang::En => writeln!(
            out,
            "Created {} files in {}; skipped {} existing.",
            s.created.len(),
            dir.display(),
            s.skipped.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FolderConfig;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(
            folder_name("1.2.1", "Báo cáo: CCHC / quý?"),
            "1.2.1 Báo cáo CCHC quý"
        );
        let long = folder_name("1.3.1", &"Kế hoạch ".repeat(20));
        assert!(long.chars().count() <= MAX_NAME_CHARS);
        assert!(!long.ends_with(' '));
        // NFD input comes out NFC.
        assert_eq!(folder_name("1", "Be\u{0302}\u{0301}n"), "1 Bến");
    }

    #[test]
    fn lays_out_and_never_overwrites() {
        let rules = crate::rules::load_file(Path::new("builtin:kon-tum-2022-huyen")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hs");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("tlkc.toml"), "unit = \"giữ nguyên\"\n").unwrap();
        let s = init(&root, &rules).unwrap();
        assert_eq!(s.skipped, [root.join("tlkc.toml")]);
        assert!(!s.created.is_empty());
        let guide_path = root
            .join(folder_name(
                "1.2.1",
                "Báo cáo cải cách hành chính, báo cáo chuyên đề cải cách hành chính",
            ))
            .join(GUIDE_FILE);
        let g = std::fs::read_to_string(&guide_path).unwrap();
        assert!(g.contains("chậm nhất ngày 14 của tháng cuối kỳ"), "{g}");
        assert!(g.contains("BC (báo cáo)"), "{g}");
        assert_eq!(
            std::fs::read_to_string(root.join("tlkc.toml")).unwrap(),
            "unit = \"giữ nguyên\"\n"
        );
        let again = init(&root, &rules).unwrap();
        assert!(again.created.is_empty());
        // The template itself is a valid config.
        FolderConfig::parse(&config_template(&rules), "tlkc.toml").unwrap();
        // Guides are not evidence.
        let d = crate::discover::discover(&root, &rules, &FolderConfig::default()).unwrap();
        assert!(
            d.files.is_empty(),
            "{:?}",
            d.files.iter().map(|f| &f.rel).collect::<Vec<_>>()
        );
    }
}
