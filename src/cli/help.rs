//! `--help` in the reader's language. clap's help comes from the doc
//! comments in `cli.rs` (English, the man page and completions use them);
//! for Vietnamese the command is rebuilt before parsing with the texts
//! below: every command's description, every argument's help, the headings
//! and the usage line. The language is chosen before clap parses
//! (`--lang`, TLKC_LANG, LANG; Vietnamese by default).

use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::cli::Cli;
use crate::findings::Lang;

/// The command line parser, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Vi => localize(cmd, "").after_help(EXIT_CODES_VI),
    }
}

/// The language asked for on the command line (before clap has parsed
/// it), else the environment's, else Vietnamese.
pub fn lang_from_args(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    let mut asked = None;
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.to_string()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        asked = match value.as_deref() {
            Some("vi") => Some(crate::cli::LangArg::Vi),
            Some("en") => Some(crate::cli::LangArg::En),
            _ => asked,
        };
    }
    super::resolve_lang(asked)
}

const EXIT_CODES_VI: &str = "\
Mã thoát:
  0  không có lỗi (sẵn sàng nộp)
  1  có lỗi (sẽ bị mất điểm)
  2  tlkc không làm được việc (sai tham số, không đọc được bộ tiêu chí hoặc tlkc.toml, lỗi đọc/ghi thư mục)";

const UNITS_EXIT_CODES_VI: &str = "\
Mã thoát:
  0  không có lỗi (sẵn sàng nộp)
  1  có lỗi (sẽ bị mất điểm)
  2  tlkc không làm được việc (sai tham số, không đọc được bộ tiêu chí hoặc tlkc.toml, lỗi đọc/ghi thư mục)
Với --units: 1 khi có đơn vị bị lỗi hoặc không kiểm tra được; 2 chỉ khi không kiểm tra được đơn vị nào,
hoặc sai tham số hay tlkc.units.toml.";

/// A command-line mistake in the reader's language (clap's own words are English).
pub fn usage_error(e: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind, ErrorKind as K};
    if lang == Lang::En {
        return e.render().to_string();
    }
    let arg = e
        .get(ContextKind::InvalidArg)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let value = e
        .get(ContextKind::InvalidValue)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let what = match e.kind() {
        K::UnknownArgument => format!("tham số không có: {arg}"),
        K::InvalidSubcommand => {
            let sub = e
                .get(ContextKind::InvalidSubcommand)
                .map(|v| v.to_string())
                .unwrap_or_default();
            match e.get(ContextKind::SuggestedSubcommand) {
                Some(s) => format!("lệnh không có: {sub}; có phải ý bạn là `{s}`?"),
                None => format!("lệnh không có: {sub}"),
            }
        }
        K::InvalidValue | K::ValueValidation => {
            format!("giá trị `{value}` không hợp lệ cho {arg}")
        }
        K::MissingRequiredArgument => format!("thiếu tham số bắt buộc: {arg}"),
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh (check, inspect, init, …)".to_string()
        }
        K::ArgumentConflict => format!("không dùng {arg} cùng với tham số đã cho"),
        K::TooManyValues | K::WrongNumberOfValues | K::TooFewValues => {
            format!("số giá trị cho {arg} không đúng")
        }
        _ => "sai tham số dòng lệnh".to_string(),
    };
    format!("tlkc: lỗi: {what}\nXem cách dùng: tlkc --help\n")
}

const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// Description of each command, by its path ("" is tlkc itself).
fn about(path: &str) -> Option<&'static str> {
    Some(match path {
        "" => "tlkc — kiểm tra tài liệu kiểm chứng Chỉ số CCHC trước khi nộp: lập chỉ mục thư mục tài liệu kiểm chứng, đọc từng tệp PDF (chữ ký số; số, ký hiệu, loại và ngày văn bản theo Nghị định 30/2020/NĐ-CP) và cho biết tiêu chí nào sẽ bị mất điểm, vì sao, sửa thế nào.",
        "check" => "Kiểm tra một thư mục tài liệu kiểm chứng theo bộ tiêu chí (việc chính); với --units, kiểm tra thư mục của mọi đơn vị.",
        "inspect" => "Cho xem tlkc đọc được gì trong từng tệp PDF: thông tin văn bản và chữ ký số.",
        "rules" => "Xem hoặc kiểm tra bộ tiêu chí.",
        "rules list" => "Liệt kê cây tiêu chí của bộ tiêu chí (cây đầy đủ khi bộ tiêu chí kế thừa bộ khác).",
        "rules show" => "Xem một lĩnh vực, tiêu chí hoặc tiêu chí thành phần cùng yêu cầu tài liệu kiểm chứng.",
        "rules validate" => "Kiểm tra tệp bộ tiêu chí (mã thoát 0 khi hợp lệ, 2 kèm tệp:dòng:cột khi không).",
        "rules import" => "Soạn bộ tiêu chí từ bảng tiêu chí của tỉnh (.xlsx, .ods, .csv hoặc .docx). Cột được nhận theo tiêu đề tiếng Việt (STT/TT/Mã, Tiêu chí/Nội dung, Điểm tối đa/Điểm chuẩn, Tài liệu kiểm chứng, Hướng dẫn chấm điểm); tổng điểm không khớp được liệt kê, không tự sửa. Mã thoát 1 khi còn điểm không khớp hoặc bản soạn chưa hợp lệ.",
        "explain" => "Giải thích chi tiết một mã phát hiện (ví dụ SIG001).",
        "submit" => "Kiểm tra rồi ghi nhận chính xác những tệp (và nội dung từng byte) được nộp.",
        "log" => "Xem nhật ký (sổ ghi các lần kiểm tra, nộp), mới nhất trước.",
        "diff" => "Các tệp thêm, thay đổi, mất đi kể từ một lần nộp (mã thoát 1 khi có).",
        "verify" => "Kiểm tra chuỗi băm của nhật ký và băm lại mọi tệp của lần nộp gần nhất.",
        "export" => "Xuất lần nộp gần nhất thành gói BagIt 1.0 (RFC 8493).",
        "init" => "Tạo sẵn thư mục tài liệu kiểm chứng cho một bộ tiêu chí: mỗi tiêu chí thành phần một thư mục kèm hướng dẫn HUONG-DAN.txt, và tệp tlkc.toml có chú thích. Không ghi đè tệp đã có.",
        "trust" => "Các chứng thư số tlkc dùng để đánh giá độ tin cậy của chữ ký số.",
        "trust list" => "Liệt kê các chứng thư số được tin cậy: chứng thư gốc và chứng thư của các tổ chức chứng thực của Chính phủ có sẵn trong tlkc (tên, dấu vân tay SHA-256, hạn dùng), cùng chứng thư khai báo thêm.",
        "completions" => "In đoạn lệnh tự hoàn thành cho trình shell (bash, zsh, fish, powershell, elvish).",
        "man" => "In trang hướng dẫn (man, định dạng roff).",
        _ => return crate::server::cli::about_vi(path),
    })
}

/// Help of an argument: by command path and id, else by id alone.
fn arg_help(path: &str, id: &str) -> Option<&'static str> {
    if let Some(h) = crate::server::cli::arg_help_vi(path, id) {
        return Some(h);
    }
    let specific = match (path, id) {
        ("init", "dir") => Some("Thư mục cần tạo (tạo mới khi chưa có) [mặc định: thư mục hiện tại]"),
        ("init", "rules") => Some("Bộ tiêu chí: tệp TOML hoặc mã bộ tiêu chí có sẵn [mặc định: kon-tum-2022-huyen, có sẵn trong tlkc]"),
        ("inspect", "format") | ("log", "format") | ("diff", "format") => {
            Some("Định dạng: human (đọc trên màn hình) hoặc json [mặc định: human]")
        }
        ("rules list", "format") | ("rules show", "format") => {
            Some("Định dạng: human hoặc json [mặc định: human]")
        }
        ("rules import", "file") => Some("Bảng tiêu chí: .xlsx, .ods, .csv hoặc .docx"),
        ("rules import", "output") => Some("Nơi ghi tệp bộ tiêu chí TOML"),
        ("rules import", "force") => Some("Ghi đè tệp đích nếu đã có"),
        ("rules validate", "file") => Some("Tệp bộ tiêu chí cần kiểm tra"),
        ("rules show", "id") => Some("Mã lĩnh vực, tiêu chí hoặc tiêu chí thành phần (ví dụ 1.3.1)"),
        ("rules import", "signature") => Some("Quy định chữ ký số cho mọi yêu cầu không tự nêu (mục `[defaults]` của bộ tiêu chí): `required` là bắt buộc ký số; `person_and_organization` là ký số của người có thẩm quyền và của cơ quan; `none` là không yêu cầu [mặc định: đọc từ ghi chú của bảng, nếu có]"),
        ("rules import", "id") => Some("Mã của bộ tiêu chí mới, ví dụ \"ben-tre-2024-huyen\""),
        _ => None,
    };
    if specific.is_some() {
        return specific;
    }
    Some(match id {
        "lang" => "Ngôn ngữ: vi (tiếng Việt) hoặc en (tiếng Anh) [mặc định: theo TLKC_LANG hoặc LANG, nếu không có thì tiếng Việt]",
        "dir" => "Thư mục tài liệu kiểm chứng [mặc định: thư mục hiện tại]",
        "rules" => "Bộ tiêu chí: tệp TOML hoặc mã bộ tiêu chí có sẵn [mặc định: dòng rules của tlkc.toml, nếu không có thì kon-tum-2022-huyen]",
        "as_of" => "Ngày đánh giá (YYYY-MM-DD hoặc dd/mm/yyyy); hạn sau ngày này là chưa đến hạn [mặc định: as_of trong tlkc.toml, nếu không có thì hôm nay theo giờ Việt Nam]",
        "format" => "Định dạng báo cáo: human (màn hình), json, sarif, junit, github, markdown, html; với --units thêm csv và xlsx (bảng xếp hạng để sắp xếp, gửi đi) [mặc định: human]",
        "output" => "Ghi báo cáo vào TỆP thay vì in ra màn hình",
        "trust_anchors" => "Chứng thư số gốc tin cậy thêm (PEM hoặc DER); dùng nhiều lần được",
        "no_builtin_trust" => "Không dùng các chứng thư số của Ban Cơ yếu Chính phủ có sẵn trong tlkc; chỉ tin các chứng thư khai báo bằng --trust-anchor hoặc [trust] anchors",
        "crls" => "Danh sách chứng thư bị thu hồi (CRL, DER hoặc PEM) tải sẵn từ tổ chức chứng thực; dùng nhiều lần được. tlkc không bao giờ tự tải qua mạng",
        "rehash" => "Băm lại mọi tệp (kiểm tra toàn vẹn đầy đủ) thay vì tin thông tin tệp không đổi (kích thước, thời điểm sửa)",
        "verbose" => "In chi tiết: việc của chỉ mục (số tệp đã băm, đã đọc, dùng lại) và chi tiết kỹ thuật của từng phát hiện",
        "db" => "Tệp cơ sở dữ liệu chỉ mục [mặc định: THƯ_MỤC/.tlkc/tlkc.db]",
        "actor" => "Người thực hiện, được ghi vào nhật ký [mặc định: $USER hoặc $USERNAME]",
        "explanations" => "Thêm dự thảo giải trình (tiếng Việt) cho mỗi lỗi",
        "no_progress" => "Không hiện thanh tiến độ (vốn chỉ hiện trên màn hình)",
        "no_ocr" => "Không đọc bản quét bằng OCR (Tesseract), kể cả khi đã cài",
        "quiet" => "-q: chỉ in dòng kết luận; -qq: không in gì, mã thoát cho biết kết quả. Vẫn ghi --output nếu có",
        "units" => "Kiểm tra mọi đơn vị trong THƯ_MỤC_CHA: mỗi thư mục con (mang tên đơn vị) hoặc các đơn vị liệt kê trong tlkc.units.toml; báo cáo xếp hạng các đơn vị và nêu các tiêu chí nhiều đơn vị bị mất điểm",
        "output_dir" => "Với --units: ghi thêm báo cáo đầy đủ của từng đơn vị (định dạng --format) vào THƯ_MỤC, mỗi đơn vị một tệp",
        "note" => "Nộp gì, nộp cho ai (ghi vào nhật ký)",
        "force" => "Vẫn ghi nhận lần nộp dù còn lỗi",
        "path" => "Chỉ các sự kiện về tệp này (đường dẫn tính từ thư mục tài liệu kiểm chứng)",
        "since" => "Chỉ các sự kiện từ ngày này (YYYY-MM-DD hoặc dd/mm/yyyy, giờ Việt Nam)",
        "submission" => "Số lần nộp [mặc định: lần gần nhất]",
        "bag" => "Thư mục tạo gói (chưa có, hoặc rỗng)",
        "files" => "Các tệp PDF cần xem",
        "code" => "Mã phát hiện (SIG001) hoặc tên (signature-missing); `all` liệt kê mọi mã",
        "title" => "Tên bộ tiêu chí mới",
        "year" => "Năm đánh giá (các hạn như \"trước ngày 05/12\" thuộc năm này)",
        "sheet" => "Trang tính cần đọc [mặc định: trang đầu tiên có cột tiêu chí và điểm]",
        "shell" => "Trình shell: bash, zsh, fish, powershell, elvish",
        _ => return None,
    })
}

fn localize(mut cmd: Command, path: &str) -> Command {
    if let Some(a) = about(path) {
        cmd = cmd.about(a).long_about(None);
    }
    let mut positionals = Vec::new();
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        if id == "help" || id == "version" {
            continue;
        }
        if positional {
            positionals.push(id.clone());
        }
        let help = arg_help(path, &id);
        cmd = cmd.mut_arg(id.as_str(), |a| {
            // clap's "[default: …]" and "[possible values: …]" are English:
            // the Vietnamese help says them itself.
            let a = if a.get_action().takes_values() {
                a.hide_possible_values(true).hide_default_value(true)
            } else {
                a
            };
            let a = a.help_heading(if positional {
                "Tham số"
            } else {
                "Tùy chọn"
            });
            match help {
                Some(h) => a.help(h).long_help(None),
                None => a,
            }
        });
    }
    let name = if path.is_empty() {
        "tlkc".to_string()
    } else {
        format!("tlkc {path}")
    };
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let usage = if has_subcommands {
        format!("{name} [TÙY CHỌN] LỆNH")
    } else {
        let args: Vec<String> = positionals
            .iter()
            .map(|p| format!("[{}]", p.to_uppercase()))
            .collect();
        format!("{name} [TÙY CHỌN] {}", args.join(" "))
            .trim_end()
            .to_string()
    };
    if cmd.get_after_help().is_some() {
        cmd = cmd.after_help(if path == "check" {
            UNITS_EXIT_CODES_VI
        } else {
            EXIT_CODES_VI
        });
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .override_usage(usage)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In trợ giúp này")
                .help_heading("Tùy chọn"),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản")
                .help_heading("Tùy chọn"),
        );
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        let sub_path = if path.is_empty() {
            s.clone()
        } else {
            format!("{path} {s}")
        };
        cmd = cmd.mut_subcommand(s.as_str(), |c| localize(c, &sub_path));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_argument_has_vietnamese_help() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if about(path).is_none() {
                missing.push(format!("about {path:?}"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help" && id != "version" && arg_help(path, id).is_none() {
                    missing.push(format!("{path:?} {id}"));
                }
            }
            for s in cmd.get_subcommands() {
                let p = if path.is_empty() {
                    s.get_name().to_string()
                } else {
                    format!("{path} {}", s.get_name())
                };
                walk(s, &p, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Vietnamese help for {missing:?}");
        // The localized command still parses what the English one does.
        command(Lang::Vi).debug_assert();
    }

    #[test]
    fn language_is_read_before_parsing() {
        let args = |v: &[&str]| -> Vec<std::ffi::OsString> { v.iter().map(|s| s.into()).collect() };
        assert_eq!(
            lang_from_args(&args(&["tlkc", "--lang", "en", "check"])),
            Lang::En
        );
        assert_eq!(
            lang_from_args(&args(&["tlkc", "check", "--lang=vi"])),
            Lang::Vi
        );
    }
}
