//! `tlkc server …`: the command line edge of the server (arguments,
//! standard input and output, the runtime). The rest of `src/server/` is
//! library code; this is the only part using `anyhow`.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};

use super::data::{parse_size, DataDir, Limits};
use super::{auth, db};

/// `tlkc server`: host tlkc for a province's units.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create a server data folder: database, file store, the province's ruleset.
    Init(InitArgs),
    /// Manage units (communes, departments): `unit DIR add NAME`.
    Unit {
        /// Server data folder.
        dir: PathBuf,
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Manage accounts: `user DIR add LOGIN --unit NAME` (password on standard input), `user DIR disable LOGIN`.
    User {
        /// Server data folder.
        dir: PathBuf,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bearer tokens for scripts and CI: `token DIR add LOGIN` prints a new token.
    Token {
        /// Server data folder.
        dir: PathBuf,
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Serve until stopped (Ctrl-C or SIGTERM; running checks are finished first).
    Run(RunArgs),
    /// Make a consistent copy of the data folder while the server runs.
    Backup {
        /// Server data folder.
        dir: PathBuf,
        /// Folder to create the copy in (must not exist, or be empty).
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Most files in one upload [default: 5000].
    #[arg(long, value_name = "N")]
    pub max_files: Option<u64>,
    /// Largest file, e.g. 200M [default: 200M].
    #[arg(long, value_name = "SIZE", alias = "max-file-bytes")]
    pub max_file_size: Option<String>,
    /// Largest upload in total, e.g. 2G [default: 2G].
    #[arg(long, value_name = "SIZE", alias = "max-upload-bytes")]
    pub max_upload_size: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Server data folder to create (must not hold a server yet).
    pub dir: PathBuf,
    /// The province's department of home affairs, shown on every page, e.g. "Sở Nội vụ tỉnh Kon Tum".
    #[arg(long)]
    pub province: String,
    /// Ruleset handed to every unit: TOML file or builtin id (e.g. kon-tum-2022-huyen).
    #[arg(long, value_name = "RULES")]
    pub rules: PathBuf,
    /// Trust-anchor certificate (PEM or DER) added to the builtin government CAs; repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE")]
    pub trust_anchors: Vec<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Add a unit.
    Add {
        /// The unit's name, e.g. "UBND xã Đắk Môn".
        name: String,
        /// The unit's own ruleset (TOML file or builtin id) instead of the province's.
        #[arg(long, value_name = "RULES")]
        rules: Option<PathBuf>,
        /// Fixed day of evaluation for this unit (YYYY-MM-DD or dd/mm/yyyy) [default: today, Vietnam time; an uploaded tlkc.toml cannot set it].
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// List the units.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; its password is read from standard input (first line).
    Add {
        login: String,
        /// The unit this account uploads for (it sees only this unit).
        #[arg(
            long,
            value_name = "NAME",
            required_unless_present = "province",
            conflicts_with = "province"
        )]
        unit: Option<String>,
        /// A province (Sở) account: reads every unit, changes none.
        #[arg(long)]
        province: bool,
    },
    /// Disable an account (its sessions and tokens stop working at once).
    Disable { login: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a bearer token for LOGIN and print it (only the token, on standard output).
    Add { login: String },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Server data folder.
    pub dir: PathBuf,
    /// Address and port to listen on (port 0: any free port, printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Checks run at the same time [default: 1; the check itself uses every core].
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub check_workers: usize,
    /// Mark cookies Secure: set this when users reach the server over HTTPS (behind nginx or Caddy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Take client addresses from X-Forwarded-For (only behind your own reverse proxy).
    #[arg(long)]
    pub trust_proxy: bool,
    /// Do not read scanned pages with OCR, even when Tesseract is installed.
    #[arg(long)]
    pub no_ocr: bool,
    /// Cut off an upload that sends nothing for this many seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub idle_timeout: u64,
    /// Uploads received at the same time (at most 4 of one unit); more answer 503.
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub max_receiving: usize,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(cmd: ServerCommand) -> Result<()> {
    match cmd {
        ServerCommand::Init(a) => init(a),
        ServerCommand::Unit { dir, command } => unit(&dir, command),
        ServerCommand::User { dir, command } => user(&dir, command),
        ServerCommand::Token { dir, command } => token(&dir, command),
        ServerCommand::Run(a) => serve(a),
        ServerCommand::Backup { dir, out } => backup(&dir, &out),
    }
}

/// The limits stored at init, overridden by flags.
fn limits(base: Limits, a: &LimitArgs) -> Result<Limits> {
    let size = |s: &Option<String>, flag: &str, default: u64| -> Result<u64> {
        match s {
            None => Ok(default),
            Some(v) => parse_size(v).with_context(|| {
                format!("{flag} `{v}`: cần dung lượng dạng 200M, 2G hoặc số byte")
            }),
        }
    };
    Ok(Limits {
        max_files: a.max_files.unwrap_or(base.max_files),
        max_file_bytes: size(&a.max_file_size, "--max-file-size", base.max_file_bytes)?,
        max_upload_bytes: size(
            &a.max_upload_size,
            "--max-upload-size",
            base.max_upload_bytes,
        )?,
    })
}

fn stored_limits(c: &rusqlite::Connection) -> Result<Limits> {
    let d = Limits::default();
    let get = |k: &str, v: u64| -> Result<u64> {
        Ok(db::meta(c, k)?.and_then(|s| s.parse().ok()).unwrap_or(v))
    };
    Ok(Limits {
        max_files: get("max_files", d.max_files)?,
        max_file_bytes: get("max_file_bytes", d.max_file_bytes)?,
        max_upload_bytes: get("max_upload_bytes", d.max_upload_bytes)?,
    })
}

/// Keep a ruleset for the server: a builtin stays `builtin:ID` (so reports
/// name it as `tlkc check` does); a file is copied into DIR/rules under
/// `name`, after checking that it loads there. Returns what to load later.
fn keep_rules(data: &DataDir, rules: &Path, name: &str) -> Result<String> {
    let loaded = crate::rules::load_file(rules)
        .with_context(|| format!("bộ tiêu chí {}", rules.display()))?;
    let spec = rules.to_string_lossy();
    let id = spec.strip_prefix("builtin:").unwrap_or(&spec);
    if crate::rules::BUILTIN.iter().any(|(bid, _, _)| *bid == id)
        && (!rules.exists() || spec.starts_with("builtin:"))
    {
        return Ok(format!("builtin:{id}"));
    }
    let text = std::fs::read_to_string(rules)
        .with_context(|| format!("đọc bộ tiêu chí {}", rules.display()))?;
    let file = format!("{name}.toml");
    let dest = data.rules().join(&file);
    std::fs::write(&dest, text).with_context(|| dest.display().to_string())?;
    // A ruleset that `extends` a file next to it must still load from here.
    crate::rules::load_file(&dest).with_context(|| {
        format!(
            "bộ tiêu chí {} (`{}`) không dùng được khi chép vào thư mục dữ liệu (có `extends` tới tệp khác?)",
            rules.display(),
            loaded.framework.id
        )
    })?;
    Ok(file)
}

fn init(a: InitArgs) -> Result<()> {
    let data = DataDir::new(&a.dir);
    if data.db().exists() {
        bail!(
            "{}: đã có máy chủ tlkc ở đây; không khởi tạo lại để khỏi mất dữ liệu",
            a.dir.display()
        );
    }
    let province = a.province.trim();
    if province.is_empty() {
        bail!("--province: cần tên Sở, ví dụ \"Sở Nội vụ tỉnh Kon Tum\"");
    }
    let lim = limits(Limits::default(), &a.limits)?;
    data.make_dirs()?;
    let rules_file = keep_rules(&data, &a.rules, "province")?;
    for (i, anchor) in a.trust_anchors.iter().enumerate() {
        let bytes = std::fs::read(anchor)
            .with_context(|| format!("--trust-anchor {}", anchor.display()))?;
        crate::inspect::signature::TrustAnchors::from_pem_or_der(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "--trust-anchor {}: không phải chứng thư số (PEM hoặc DER) đọc được: {e}",
                anchor.display()
            )
        })?;
        let name = anchor
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "anchor".into());
        let dest = data.trust().join(format!("{i:02}-{name}"));
        std::fs::write(&dest, bytes).with_context(|| dest.display().to_string())?;
    }
    let c = db::open(&data.db())?;
    db::set_meta(&c, "province", province)?;
    db::set_meta(&c, "rules", &rules_file)?;
    db::set_meta(&c, "max_files", &lim.max_files.to_string())?;
    db::set_meta(&c, "max_file_bytes", &lim.max_file_bytes.to_string())?;
    db::set_meta(&c, "max_upload_bytes", &lim.max_upload_bytes.to_string())?;
    db::set_meta(&c, "version", crate::VERSION)?;
    eprintln!(
        "Đã tạo máy chủ tlkc cho {province} tại {}. Tiếp theo: `tlkc server unit {} add TÊN`, `tlkc server user {} add TÊN_ĐĂNG_NHẬP --unit TÊN`, `tlkc server run {}`.",
        a.dir.display(),
        a.dir.display(),
        a.dir.display(),
        a.dir.display()
    );
    Ok(())
}

fn open(dir: &Path) -> Result<(DataDir, rusqlite::Connection)> {
    let data = DataDir::existing(dir)?;
    let c = db::open(&data.db())?;
    Ok((data, c))
}

fn unit(dir: &Path, cmd: UnitCommand) -> Result<()> {
    let (data, c) = open(dir)?;
    match cmd {
        UnitCommand::Add { name, rules, as_of } => {
            let as_of = match as_of {
                Some(s) => Some(
                    crate::time::parse_day(&s)
                        .with_context(|| {
                            format!("--as-of `{s}`: cần ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy")
                        })?
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                None => None,
            };
            let own = match &rules {
                Some(r) => Some(keep_rules(&data, r, &format!("unit-{}", db::slug(&name)))?),
                None => None,
            };
            let u = db::add_unit(&c, &name, own.as_deref(), as_of.as_deref())?;
            eprintln!("Đã thêm đơn vị {} (địa chỉ /units/{}).", u.name, u.slug);
            println!("{}", u.slug);
        }
        UnitCommand::List => {
            for u in db::units(&c)? {
                println!("{}\t{}", u.slug, u.name);
            }
        }
    }
    Ok(())
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("đọc mật khẩu từ đầu vào chuẩn")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn user(dir: &Path, cmd: UserCommand) -> Result<()> {
    let (_, c) = open(dir)?;
    match cmd {
        UserCommand::Add {
            login,
            unit,
            province,
        } => {
            let login = login.trim().to_string();
            if login.is_empty()
                || login
                    .chars()
                    .any(|ch| ch.is_whitespace() || ch.is_control())
            {
                bail!("tên đăng nhập `{login}`: không được trống hay có dấu cách");
            }
            if db::user_by_login(&c, &login)?.is_some() {
                bail!("tài khoản `{login}` đã có");
            }
            let unit_id = match (&unit, province) {
                (Some(name), false) => Some(
                    db::find_unit(&c, name)?
                        .with_context(|| {
                            format!(
                                "không có đơn vị `{name}`; thêm bằng `tlkc server unit DIR add`"
                            )
                        })?
                        .id,
                ),
                _ => None,
            };
            let password = read_password()?;
            let hash = auth::hash_password(&password)?;
            db::add_user(&c, &login, &hash, unit_id)?;
            eprintln!(
                "Đã thêm tài khoản {login} ({}).",
                match &unit {
                    Some(u) if !province => format!("đơn vị {u}"),
                    _ => "Sở, chỉ xem".into(),
                }
            );
        }
        UserCommand::Disable { login } => {
            if !db::disable_user(&c, &login)? {
                bail!("không có tài khoản `{login}`");
            }
            eprintln!("Đã khoá tài khoản {login}; các phiên và mã truy cập của nó hết hiệu lực.");
        }
    }
    Ok(())
}

fn token(dir: &Path, cmd: TokenCommand) -> Result<()> {
    let (_, c) = open(dir)?;
    match cmd {
        TokenCommand::Add { login } => {
            let Some((u, _)) = db::user_by_login(&c, &login)? else {
                bail!("không có tài khoản `{login}`");
            };
            if u.disabled {
                bail!("tài khoản `{login}` đã bị khoá");
            }
            let token = format!("tlkc_{}", auth::random_hex(32));
            db::add_token(&c, u.id, &auth::digest(&token))?;
            eprintln!("Mã truy cập của {login} (chỉ hiện một lần; gửi kèm tiêu đề `Authorization: Bearer …`):");
            println!("{token}");
        }
    }
    Ok(())
}

fn serve(a: RunArgs) -> Result<()> {
    let (data, c) = open(&a.dir)?;
    let province = db::meta(&c, "province")?.unwrap_or_default();
    let rules_file = db::meta(&c, "rules")?.context("cơ sở dữ liệu thiếu bộ tiêu chí")?;
    let rules = super::data::load_rules(&data, &rules_file)?;
    let lim = limits(stored_limits(&c)?, &a.limits)?;
    let settings = super::check::Settings {
        anchors: super::check::load_trust(&data.trust())?,
        ocr: if a.no_ocr {
            Default::default()
        } else {
            super::check::detect_ocr()
        },
    };
    let core = Arc::new(super::queue::Core::new(
        data, c, settings, rules, province, lim,
    ));
    core.store.clean_tmp();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .context("tokio")?;
    let workers = core.start(a.check_workers)?;
    let app = Arc::new(super::http::App {
        core: Arc::clone(&core),
        rate: Default::default(),
        secure_cookies: a.secure_cookies,
        trust_proxy: a.trust_proxy,
        idle: std::time::Duration::from_secs(a.idle_timeout.max(1)),
        receiving: super::http::Receiving::new(a.max_receiving),
        bags: Arc::new(tokio::sync::Semaphore::new(2)),
    });
    let core_for_signal = Arc::clone(&core);
    let served: Result<()> = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.listen)
            .await
            .with_context(|| format!("--listen {}", a.listen))?;
        let local = listener.local_addr()?;
        // The first line on standard output says where (tests read it when
        // the port was 0).
        println!("tlkc server: http://{local}/");
        std::io::stdout().flush()?;
        let router = super::http::router(app);
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop_signal(Arc::clone(&core_for_signal)))
        .await
        .context("serving")?;
        Ok(())
    });
    eprintln!("tlkc server: đang dừng; chờ các lần kiểm tra đang chạy xong…");
    core.stop();
    for w in workers {
        let _ = w.join();
    }
    eprintln!("tlkc server: đã dừng.");
    served
}

/// Ctrl-C or SIGTERM; then requests waiting for a check answer at once
/// (202 with the upload's state) so the graceful stop is not held up.
async fn stop_signal(core: Arc<super::queue::Core>) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    core.closing
        .store(true, std::sync::atomic::Ordering::SeqCst);
}

/// A consistent copy while the server runs: the database first (SQLite's
/// `VACUUM INTO`, one transaction's view), then the store objects, which
/// never change once written and are all in place before the upload that
/// names them is committed; then rulesets and trust anchors.
fn backup(dir: &Path, out: &Path) -> Result<()> {
    let data = DataDir::existing(dir)?;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!("{}: đã có và không trống; chọn thư mục mới", out.display());
    }
    let target = DataDir::new(out);
    target.make_dirs()?;
    let c = db::open(&data.db())?;
    let dest_db = target.db();
    c.execute("VACUUM INTO ?1", [dest_db.to_string_lossy().as_ref()])
        .context("sao lưu cơ sở dữ liệu")?;
    let objects = db::referenced_objects(&rusqlite::Connection::open(&dest_db)?)?;
    let from = super::store::Store::new(&data);
    let to = super::store::Store::new(&target);
    let mut copied = 0u64;
    for sha in &objects {
        let src = from.object(sha);
        let dst = to.object(sha);
        if let Some(p) = dst.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(&src, &dst).with_context(|| src.display().to_string())?;
        copied += 1;
    }
    for sub in ["rules", "trust"] {
        for e in std::fs::read_dir(data.root.join(sub))?.flatten() {
            if e.file_type()?.is_file() {
                std::fs::copy(e.path(), out.join(sub).join(e.file_name()))?;
            }
        }
    }
    eprintln!(
        "Đã sao lưu vào {}: cơ sở dữ liệu và {copied} tệp tài liệu. Chạy `tlkc server run {}` để dùng bản sao.",
        out.display(),
        out.display()
    );
    Ok(())
}

/// The Vietnamese description of a `server` command (`tlkc --help` is
/// Vietnamese by default; [`crate::cli::help`] asks here for these).
pub fn about_vi(path: &str) -> Option<&'static str> {
    Some(match path {
        "server" => "Máy chủ tlkc cho cả tỉnh: các đơn vị tải thư mục tài liệu kiểm chứng lên bằng trình duyệt và xem báo cáo; Sở Nội vụ xem tất cả.",
        "server init" => "Tạo thư mục dữ liệu của máy chủ: cơ sở dữ liệu, kho tệp, bộ tiêu chí Sở giao cho mọi đơn vị.",
        "server unit" => "Quản lý đơn vị (xã, phường, sở, ngành): `unit THƯ_MỤC add TÊN`.",
        "server unit add" => "Thêm một đơn vị.",
        "server unit list" => "Liệt kê các đơn vị (địa chỉ và tên).",
        "server user" => "Quản lý tài khoản: `user THƯ_MỤC add TÊN_ĐĂNG_NHẬP --unit TÊN` (mật khẩu đọc từ đầu vào chuẩn), `user THƯ_MỤC disable TÊN_ĐĂNG_NHẬP`.",
        "server user add" => "Thêm tài khoản; mật khẩu (ít nhất 8 ký tự) đọc từ dòng đầu của đầu vào chuẩn.",
        "server user disable" => "Khoá tài khoản (các phiên đăng nhập và mã truy cập của nó hết hiệu lực ngay).",
        "server token" => "Mã truy cập (Bearer) cho chương trình và CI: `token THƯ_MỤC add TÊN_ĐĂNG_NHẬP` in mã mới.",
        "server token add" => "Tạo mã truy cập cho tài khoản và in ra (chỉ in mã, trên đầu ra chuẩn; chỉ hiện một lần).",
        "server run" => "Chạy máy chủ cho đến khi dừng (Ctrl-C hoặc SIGTERM; các lần kiểm tra đang chạy được làm xong trước khi dừng).",
        "server backup" => "Sao lưu nhất quán thư mục dữ liệu trong khi máy chủ vẫn chạy.",
        _ => return None,
    })
}

/// The Vietnamese help of a `server` command's argument.
pub fn arg_help_vi(path: &str, id: &str) -> Option<&'static str> {
    if !path.starts_with("server") {
        return None;
    }
    Some(match (path, id) {
        ("server init", "dir") => "Thư mục dữ liệu cần tạo (chưa có máy chủ nào ở đó)",
        ("server backup", "out") => "Thư mục chứa bản sao (chưa có, hoặc rỗng)",
        (_, "dir") => "Thư mục dữ liệu của máy chủ",
        (_, "province") if path == "server init" => "Tên Sở, hiện trên mọi trang, ví dụ \"Sở Nội vụ tỉnh Kon Tum\"",
        (_, "province") => "Tài khoản của Sở: xem mọi đơn vị, không thay đổi gì",
        ("server init", "rules") => "Bộ tiêu chí giao cho mọi đơn vị: tệp TOML hoặc mã bộ tiêu chí có sẵn (ví dụ kon-tum-2022-huyen)",
        (_, "rules") => "Bộ tiêu chí riêng của đơn vị (tệp TOML hoặc mã có sẵn) thay cho bộ của Sở",
        (_, "trust_anchors") => "Chứng thư số gốc tin cậy thêm (PEM hoặc DER), bên cạnh các chứng thư của Ban Cơ yếu Chính phủ có sẵn; dùng nhiều lần được",
        (_, "max_files") => "Số tệp tối đa mỗi lần tải lên [mặc định: 5000]",
        (_, "max_file_size") => "Dung lượng tối đa mỗi tệp, ví dụ 200M [mặc định: 200M]",
        (_, "max_upload_size") => "Tổng dung lượng tối đa mỗi lần tải lên, ví dụ 2G [mặc định: 2G]",
        (_, "name") => "Tên đơn vị, ví dụ \"UBND xã Đắk Môn\"",
        (_, "as_of") => "Ngày đánh giá cố định của đơn vị (YYYY-MM-DD hoặc dd/mm/yyyy) [mặc định: hôm nay, giờ Việt Nam; tlkc.toml tải lên không đặt được ngày này]",
        (_, "login") => "Tên đăng nhập",
        (_, "unit") => "Đơn vị của tài khoản (tài khoản chỉ thấy đơn vị này)",
        (_, "listen") => "Địa chỉ và cổng lắng nghe (cổng 0: cổng trống bất kỳ, in ra khi chạy) [mặc định: 127.0.0.1:8080]",
        (_, "check_workers") => "Số lần kiểm tra chạy cùng lúc [mặc định: 1; mỗi lần kiểm tra đã dùng mọi lõi CPU]",
        (_, "secure_cookies") => "Đánh dấu cookie Secure: dùng khi người dùng vào máy chủ qua HTTPS (sau nginx hoặc Caddy)",
        (_, "trust_proxy") => "Lấy địa chỉ người dùng từ X-Forwarded-For (chỉ khi đứng sau reverse proxy của mình)",
        (_, "no_ocr") => "Không đọc bản quét bằng OCR (Tesseract), kể cả khi đã cài",
        (_, "max_receiving") => "Số lần tải lên nhận cùng lúc (mỗi đơn vị tối đa 4); quá số này trả lời 503 [mặc định: 32]",
        (_, "idle_timeout") => "Ngắt lần tải lên không gửi thêm dữ liệu nào trong chừng này giây [mặc định: 60]",
        _ => return None,
    })
}
