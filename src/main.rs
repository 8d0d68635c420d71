use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tlkc::cli::Cli::parse();
    let lang = tlkc::app::resolve_lang(cli.lang);
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
            eprintln!("tlkc: {label}: {}", tlkc::app::errors::render(&e, lang));
            ExitCode::from(tlkc::app::Exit::Failure as u8)
        }
    }
}
