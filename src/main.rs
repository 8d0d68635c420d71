use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    // Memory stays flat over a large folder (issue 25): see tlkc::inspect::heap.
    tlkc::inspect::heap::tune();
    // The help (and clap's own errors) follow the language, so it is
    // chosen before parsing: --lang, TLKC_LANG, LANG, else Vietnamese.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let ui = tlkc::cli::help::lang_from_args(&args);
    let matches = match tlkc::cli::help::command(ui).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) if e.use_stderr() => {
            eprint!("{}", tlkc::cli::help::usage_error(&e, ui));
            return ExitCode::from(tlkc::app::Exit::Failure as u8);
        }
        // --help and --version.
        Err(e) => e.exit(),
    };
    let cli = match tlkc::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let lang = tlkc::cli::resolve_lang(cli.lang);
    match tlkc::app::run(cli) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) => {
            // A closed pipe (`tlkc check | head`) is not a failure.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let label = match lang {
                tlkc::findings::Lang::Vi => "lỗi",
                tlkc::findings::Lang::En => "error",
            };
            eprintln!(
                "tlkc: {label}: {}",
                tlkc::report::errors::render(e.as_ref(), lang)
            );
            ExitCode::from(tlkc::app::Exit::Failure as u8)
        }
    }
}
