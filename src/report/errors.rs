//! An error in the reader's language (the CLI's closing error line, a unit
//! that could not be checked). The library's errors speak English (they
//! are logged, tested and matched on); here each known error of the chain
//! is said again in Vietnamese, so an officer never reads "No such file or
//! directory (os error 2)". An error this file does not know keeps its own
//! words.

use crate::findings::Lang;

/// `e` and its causes, joined with ": ", each in `lang`. A cause whose
/// text its parent already printed is not repeated.
pub fn render(e: &(dyn std::error::Error + 'static), lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    // Below an error said in Vietnamese, a cause this file does not know
    // (a database's or parser's own English) adds nothing the officer can use.
    let mut said_known = false;
    for cause in std::iter::successors(Some(e), |c| c.source()) {
        let known = lang == Lang::Vi && is_known(cause);
        if said_known && !known {
            continue;
        }
        said_known |= known;
        let Some(text) = one(cause, lang) else {
            continue;
        };
        if parts.last().is_some_and(|p| p.ends_with(&text)) || text.is_empty() {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

fn is_known(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<crate::text::TomlError>()
        || e.is::<crate::config::ConfigError>()
        || e.is::<crate::rules::RulesError>()
        || e.is::<crate::trail::TrailError>()
        || e.is::<crate::run::RunError>()
        || e.is::<crate::bag::BagError>()
        || e.is::<crate::index::IndexError>()
        || e.is::<crate::discover::DiscoverError>()
        || e.is::<crate::run::units::list::UnitsError>()
        || e.is::<std::io::Error>()
        || e.is::<chrono::ParseError>()
}

/// One error's own text (without its source, which the chain shows next);
/// `None` for a wrapper that only forwards its source.
fn one(e: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return Some(own_text(e));
    }
    if let Some(t) = e.downcast_ref::<crate::text::TomlError>() {
        return Some(toml_vi(t));
    }
    if let Some(x) = e.downcast_ref::<crate::config::ConfigError>() {
        use crate::config::ConfigError as C;
        return match x {
            C::Tasks(m) => Some(tasks_vi(m)),
            C::Io { file, .. } => Some(format!("{file}: không đọc được")),
            C::Invalid(t) => Some(toml_vi(t)),
            C::Outside { file, key, value } => Some(format!(
                "{file}: {key} `{value}` nằm ngoài thư mục tài liệu kiểm chứng: thư mục được kiểm tra ở đây chỉ được trỏ tới tệp của chính nó (mã bộ tiêu chí có sẵn, hoặc đường dẫn trong thư mục, không có `..` hay liên kết trỏ ra ngoài)"
            )),
        };
    }
    if let Some(x) = e.downcast_ref::<crate::rules::RulesError>() {
        use crate::rules::RulesError as R;
        return match x {
            R::Io { file, .. } => Some(format!("bộ tiêu chí {file}: không đọc được")),
            R::Invalid(t) => Some(toml_vi(t)),
        };
    }
    if let Some(x) = e.downcast_ref::<crate::trail::TrailError>() {
        use crate::trail::TrailError as T;
        return match x {
            T::NoSubmission => Some(
                "chưa có lần nộp nào được ghi nhận: chạy `tlkc submit` trước".into(),
            ),
            T::NoSuchSubmission(n) => Some(format!("nhật ký không có lần nộp số {n}")),
            T::Unreadable(p) => Some(format!(
                "{p}: không đọc được, nên không ghi nhận được nội dung nộp"
            )),
            T::ReportTampered(n) => Some(format!(
                "báo cáo lưu kèm lần nộp số {n} không khớp nhật ký (mã SHA-256 khác); chạy `tlkc verify`"
            )),
            T::Linked { path } => Some(format!("{path} là liên kết tượng trưng (symlink): tlkc không mở chỉ mục qua liên kết, vì nó có thể là chỉ mục của thư mục khác. Xoá liên kết (tlkc check sẽ tạo chỉ mục riêng cho thư mục này) rồi chạy lại.")),
            T::NoIndex { dir, .. } => Some(format!("{dir}: thư mục này chưa được kiểm tra lần nào (chưa có chỉ mục, chưa có lần nộp); chạy `tlkc check {dir}` rồi `tlkc submit {dir}` trước")),
            T::Open { db, .. } => Some(db.clone()),
            // Transparent wrappers: their inner error is not in the chain.
            T::Index(i) => Some(index_vi(i)),
            T::Bag(b) => Some(bag_vi(b)),
            T::Io(io) => Some(io_vi(io)),
            T::Run(r) => one(r, lang),
        };
    }
    if let Some(x) = e.downcast_ref::<crate::run::RunError>() {
        use crate::run::RunError as R;
        let trust =
            |crl: bool, anchor: &str, list: &str| if crl { list } else { anchor }.to_string();
        return match x {
            R::NoFolder(p) => Some(format!("{p}: thư mục không tồn tại")),
            R::NotAFolder(p) => Some(format!("{p}: không phải thư mục")),
            R::BuiltinTrust(m) => Some(m.clone()),
            R::TrustRead {
                named_at,
                file,
                crl,
                ..
            } => Some(format!(
                "{named_at}: đọc {} {file}",
                trust(*crl, "chứng thư gốc tin cậy", "danh sách thu hồi")
            )),
            R::TrustBad {
                named_at,
                file,
                crl,
                ..
            } => Some(format!(
                "{named_at}: {file}: không phải {} đọc được",
                trust(
                    *crl,
                    "chứng thư số (PEM hoặc DER)",
                    "danh sách thu hồi chứng thư (CRL, PEM hoặc DER)"
                )
            )),
            R::OpenIndex { db, .. } => Some(db.clone()),
            R::Unresolved { given, .. } => Some(format!("--output {given}")),
            R::OutputInEvidence { given, root, resolved } => Some(format!("--output {given}: nằm trong thư mục tài liệu kiểm chứng {root} ({resolved}); báo cáo ghi vào đó sẽ bị đọc như tài liệu kiểm chứng hoặc đè lên tài liệu. Chọn nơi ghi ngoài thư mục này.")),
            // Transparent wrappers: their inner error is not in the chain.
            R::Config(c) => one(c, lang),
            R::Rules(r) => one(r, lang),
            R::Discover(d) => one(d, lang),
            R::Index(i) => Some(index_vi(i)),
        };
    }
    if let Some(x) = e.downcast_ref::<crate::run::units::list::UnitsError>() {
        use crate::run::units::list::UnitsError as U;
        return Some(match x {
            U::Io { file, .. } => format!("{file}: không đọc được"),
            U::Invalid(t) => toml_vi(t),
            U::NotAFolder(p) => format!("{p}: không phải thư mục"),
            U::Empty(p) => format!("{p}: không có đơn vị nào (không có thư mục con, cũng không có tlkc.units.toml liệt kê đơn vị)"),
            U::Unresolved { what, given, .. } => format!("{what} {given}"),
            U::InsideUnit { what, given, unit, resolved } => format!("{what} {given}: nằm trong thư mục của đơn vị {unit} ({resolved}); báo cáo ghi vào đó sẽ bị đọc như tài liệu kiểm chứng hoặc đè lên tài liệu. Chọn nơi ghi ngoài thư mục các đơn vị."),
            U::NewUnit { what, given, folder, parent } => format!("{what} {given}: nằm trong {folder}, một thư mục con của {parent} mà lần chạy sau sẽ coi là một đơn vị. Chọn nơi ghi ngoài {parent} (hoặc thư mục bắt đầu bằng dấu chấm)."),
            U::CreateDir { given, .. } => format!("tạo thư mục {given}"),
        });
    }
    if let Some(x) = e.downcast_ref::<crate::bag::BagError>() {
        return Some(bag_vi(x));
    }
    if let Some(x) = e.downcast_ref::<crate::index::IndexError>() {
        return Some(index_vi(x));
    }
    if let Some(x) = e.downcast_ref::<crate::discover::DiscoverError>() {
        use crate::discover::DiscoverError as D;
        return Some(match x {
            D::NotADir(p) => format!("{p}: không phải thư mục"),
            D::Io { path, .. } => format!("{path}: không đọc được"),
        });
    }
    if let Some(x) = e.downcast_ref::<std::io::Error>() {
        return Some(io_vi(x));
    }
    if e.downcast_ref::<chrono::ParseError>().is_some() {
        return Some("không phải ngày hợp lệ".into());
    }
    Some(own_text(e))
}

/// An error's Display without the text of its source, which thiserror's
/// `"{path}: {source}"` formats repeat.
fn own_text(e: &(dyn std::error::Error + 'static)) -> String {
    let text = e.to_string();
    match e.source().map(|s| s.to_string()) {
        Some(s) if text.ends_with(&s) && text.len() > s.len() => text[..text.len() - s.len()]
            .trim_end_matches([':', ' '])
            .to_string(),
        _ => text,
    }
}

fn toml_vi(t: &crate::text::TomlError) -> String {
    format!(
        "{}:{}:{}: {}",
        t.file,
        t.line,
        t.col,
        toml_message_vi(&t.message)
    )
}

fn io_vi(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "không tìm thấy tệp hoặc thư mục".into(),
        K::PermissionDenied => "không có quyền truy cập".into(),
        K::AlreadyExists => "đã tồn tại".into(),
        K::IsADirectory => "là thư mục, không phải tệp".into(),
        K::NotADirectory => "không phải thư mục".into(),
        K::StorageFull => "ổ đĩa đã đầy".into(),
        K::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc".into(),
        K::InvalidData => "nội dung tệp không hợp lệ (không phải UTF-8?)".into(),
        _ => "lỗi đọc/ghi tệp".into(),
    }
}

fn bag_vi(e: &crate::bag::BagError) -> String {
    use crate::bag::BagError as B;
    match e {
        B::NotEmpty(p) => format!("{p}: đã có và không rỗng; chọn một thư mục mới cho gói"),
        B::InsideEvidence(p) => format!(
            "{p}: nằm trong thư mục tài liệu kiểm chứng; lần kiểm tra sau gói sẽ bị coi là tài liệu kiểm chứng"
        ),
        B::Symlink(p) => format!(
            "{p}: là liên kết tượng trưng (symlink); chọn một thư mục thật cho gói (tlkc không bao giờ ghi qua liên kết)"
        ),
        B::BadPath { path } => format!(
            "{path}: đường dẫn đã ghi không phải đường dẫn tương đối thông thường; không ghi"
        ),
        B::Changed {
            path,
            found,
            expected,
        } => format!(
            "{path}: nội dung khác với lần nộp (SHA-256 {found}, đã nộp {expected}); chạy `tlkc verify`"
        ),
        B::Io { path, .. } => format!("{path}: lỗi đọc/ghi"),
    }
}

fn index_vi(e: &crate::index::IndexError) -> String {
    use crate::index::IndexError as I;
    match e {
        I::CreateDir { path, .. } => format!("{path}: không tạo được thư mục chỉ mục"),
        I::Open { path, .. } => format!("{path}: không mở được chỉ mục"),
        I::TooNew { found, supported } => format!(
            "chỉ mục do phiên bản tlkc mới hơn ghi (lược đồ {found}, phiên bản này chỉ biết đến {supported}); hãy cập nhật tlkc — chỉ mục được giữ nguyên"
        ),
        I::Symlinked { path } => format!(
            "{path}: là liên kết tượng trưng (symlink); tlkc không mở chỉ mục qua liên kết vì nó có thể là chỉ mục của thư mục khác. Xoá liên kết rồi chạy lại"
        ),
        I::Busy => "chỉ mục đang bận: một tlkc khác đang ghi; thử lại khi nó xong".into(),
        _ => "lỗi cơ sở dữ liệu chỉ mục".into(),
    }
}

/// tasks.csv errors: "FILE:LINE: what".
fn tasks_vi(m: &str) -> String {
    let (at, what) = match m.rsplit_once(": ") {
        Some((a, w)) => (a, w),
        None => ("", m),
    };
    let quoted = what.split('`').nth(1).unwrap_or("");
    let vi = if what.starts_with("unterminated quoted field") {
        "dấu ngoặc kép chưa được đóng".to_string()
    } else if what.starts_with("missing column") {
        format!("thiếu cột `{quoted}`")
    } else if what.contains("is not a date") {
        let column = what.split_whitespace().next().unwrap_or("");
        format!("cột {column}: `{quoted}` không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)")
    } else if what.contains("must stay inside the evidence folder") {
        format!("tệp trả lời `{quoted}` phải nằm trong thư mục tài liệu kiểm chứng")
    } else if what.contains("before the assignment") {
        "hạn xử lý trước ngày giao nhiệm vụ".to_string()
    } else {
        return m.to_string();
    };
    if at.is_empty() {
        vi
    } else {
        format!("{at}: {vi}")
    }
}

/// The message of a TOML error (the toml crate's, or tlkc's own about a
/// value) in Vietnamese. Backquoted parts are the file's own text.
pub fn toml_message_vi(m: &str) -> String {
    let q: Vec<&str> = m.split('`').skip(1).step_by(2).collect();
    let first = q.first().copied().unwrap_or("");
    if m.starts_with("unknown field") {
        let mut s = format!("khóa `{first}` không có trong tệp này");
        if let Some(hint) = m.split("did you mean ").nth(1) {
            s.push_str(&format!(
                "; có phải ý bạn là {}",
                hint.trim_end_matches('?')
            ));
            s.push('?');
        }
        if q.len() > 1 {
            let valid: Vec<String> = q[1..]
                .iter()
                .filter(|k| !m.contains(&format!("did you mean `{k}`")))
                .map(|k| format!("`{k}`"))
                .collect();
            if !valid.is_empty() {
                s.push_str(&format!(" (các khóa hợp lệ: {})", valid.join(", ")));
            }
        }
        return s;
    }
    if m.starts_with("unknown variant") {
        return format!("giá trị `{first}` không hợp lệ");
    }
    if m.starts_with("missing field") {
        return format!("thiếu khóa `{first}`");
    }
    if m.starts_with("duplicate key") || m.contains("duplicate key") {
        return format!("khóa `{first}` được khai báo hai lần");
    }
    if m.starts_with("invalid type") {
        let want = m.rsplit("expected ").next().unwrap_or("");
        return format!("sai kiểu giá trị: cần {}", type_vi(want));
    }
    if m.contains("is not a date") {
        return format!(
            "{}`{first}` không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)",
            key_prefix(m)
        );
    }
    if m.contains("must stay inside the evidence folder") {
        return format!("đường dẫn `{first}` phải nằm trong thư mục tài liệu kiểm chứng");
    }
    if m.contains("names no criteria") {
        return format!("`[[assign]]` `{first}` chưa ghi tiêu chí nào (`criteria`)");
    }
    if m.contains("needs a numeric value and its source") {
        return format!(
            "{}cần giá trị số `value` và nguồn số liệu `source`",
            key_prefix(m)
        );
    }
    if m.contains("needs a score") {
        return format!("{}cần điểm `score` ≥ 0 và lý do `reason`", key_prefix(m));
    }
    if m.contains("`reason` is required") || m.contains("`reason` is empty") {
        return "mục miễn trừ `[[waiver]]` phải ghi lý do `reason`: vì sao phát hiện này được chấp nhận".into();
    }
    if m.contains("give `criterion`, `path` or both") {
        return "mục miễn trừ `[[waiver]]` phải ghi `criterion`, `path` hoặc cả hai".into();
    }
    if m.starts_with("waiver: unknown finding code") {
        return format!("mã phát hiện `{first}` không tồn tại (xem `tlkc explain all`)");
    }
    if m.contains("needs a reason") {
        return "`[algorithm_policy]` phải ghi lý do `reason`: vì sao chấp nhận thuật toán này"
            .into();
    }
    if let Some(rest) = m.strip_prefix("task: ") {
        return format!("nhiệm vụ `[[task]]`: {}", tasks_vi(rest));
    }
    // The toml crate's syntax errors: where they are matters more than their words.
    if m.starts_with("invalid") || m.starts_with("expected") || m.starts_with("unclosed") {
        return "sai cú pháp TOML tại vị trí này (kiểm tra dấu ngoặc kép, dấu =, dấu ngoặc vuông)"
            .into();
    }
    m.to_string()
}

/// "metrics.\"3.4.1\": …" → "metrics.\"3.4.1\": "; "as_of `x` …" → "as_of ".
fn key_prefix(m: &str) -> String {
    if let Some((k, _)) = m.split_once(": ") {
        if !k.contains(' ') {
            return format!("{k}: ");
        }
    }
    match m.split_whitespace().next() {
        Some(k) if !k.starts_with('`') && !m.starts_with("deadline") => format!("{k} "),
        _ => String::new(),
    }
}

fn type_vi(want: &str) -> String {
    let w = want.trim();
    let vi = match w {
        "a string" | "string" => "một chuỗi trong ngoặc kép",
        "a sequence" | "an array" | "array" => "một danh sách [ … ]",
        "a map" | "a table" | "table" => "một bảng { … }",
        "a boolean" | "bool" => "true hoặc false",
        "i64" | "u64" | "u32" | "usize" | "an integer" | "integer" => "một số nguyên",
        "f64" | "a float" | "float" => "một số",
        _ => return format!("`{w}`"),
    };
    vi.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_messages_in_vietnamese() {
        assert_eq!(
            toml_message_vi("unknown field `asof`, expected one of `as_of`, `unit`; did you mean `as_of`?"),
            "khóa `asof` không có trong tệp này; có phải ý bạn là `as_of`? (các khóa hợp lệ: `unit`)"
        );
        assert_eq!(
            toml_message_vi("missing field `reason`"),
            "thiếu khóa `reason`"
        );
        assert_eq!(
            toml_message_vi("as_of `30-11-2022` is not a date (YYYY-MM-DD)"),
            "as_of `30-11-2022` không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"
        );
        assert_eq!(
            toml_message_vi("invalid type: integer `3`, expected a string"),
            "sai kiểu giá trị: cần một chuỗi trong ngoặc kép"
        );
    }

    #[test]
    fn io_errors_are_said_once_in_vietnamese() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = crate::rules::RulesError::Io {
            file: "r.toml".into(),
            source: io,
        };
        assert_eq!(
            render(&e, Lang::Vi),
            "bộ tiêu chí r.toml: không đọc được: không tìm thấy tệp hoặc thư mục"
        );
        assert!(!render(&e, Lang::En).contains("entity not found: entity not found"));
    }
}
