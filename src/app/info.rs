//! Commands that read and explain: inspect, rules, init, explain.

use super::*;

pub(super) fn inspect(args: InspectArgs, lang: Lang) -> Result<Exit> {
    let ocr = if args.no_ocr {
        run::OcrChoice::Off
    } else {
        run::OcrChoice::Detect
    };
    let (ocr, missing) = ocr.resolve();
    check::say(missing.as_slice(), 0, lang);
    let opts = InspectOptions {
        ocr,
        trust: run::trust_anchors(
            &named(&args.trust_anchors, "--trust-anchor"),
            &named(&args.crls, "--crl"),
            !args.no_builtin_trust,
            None,
        )?,
        ..Default::default()
    };
    let rows = run::inspect_files(&args.files, &opts, today_in_vietnam());
    let any_error = rows
        .iter()
        .any(|(_, p)| p.iter().any(|f| f.severity == Severity::Error));
    if !matches!(args.format, Format::Json | Format::Human) {
        bail!(
            "{}",
            tr(
                lang,
                "tlkc inspect chỉ có định dạng human và json",
                "tlkc inspect supports the human and json formats only"
            )
        );
    }
    emit(None, lang, |out| match args.format {
        Format::Json => crate::report::inspect::json(&rows, lang, out),
        _ => crate::report::inspect::human(&rows, lang, out),
    })?;
    Ok(if any_error {
        Exit::Findings
    } else {
        Exit::Ready
    })
}

pub(super) fn rules_cmd(cmd: RulesCommand, lang: Lang) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::Validate { file } => {
            let r = rules::load_file(&file)?;
            let n = r.scorables().count();
            writeln!(
                out,
                "{}: ok — {} ({}), {n} {}",
                file.display(),
                r.framework.title,
                r.framework.id,
                tr(lang, "tiêu chí thành phần được chấm", "scorable units")
            )?;
            let inferred = r.inferred_count();
            if inferred > 0 {
                writeln!(
                    out,
                    "{}",
                    tr(
                        lang,
                        &format!("{inferred} mục còn đánh dấu inferred = true (do `tlkc rules import` suy ra): rà soát rồi xoá dấu."),
                        &format!("{inferred} items are still marked inferred = true (drafted by `tlkc rules import`): review them, then remove the flag.")
                    )
                )?;
            }
        }
        RulesCommand::List { rules, format } => {
            let r = load_rules(rules.as_deref())?;
            match format {
                RulesFormat::Human => crate::report::rules::list(&r, lang, &mut out)?,
                RulesFormat::Json => {
                    let v = crate::report::rules::json(&r, None).unwrap_or_default();
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                }
            }
        }
        RulesCommand::Show { id, rules, format } => {
            let r = load_rules(rules.as_deref())?;
            let found = match format {
                RulesFormat::Human => crate::report::rules::show(&r, &id, lang, &mut out)?,
                RulesFormat::Json => match crate::report::rules::json(&r, Some(&id)) {
                    Some(v) => {
                        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                        true
                    }
                    None => false,
                },
            };
            if !found {
                bail!(
                    "{}",
                    tr(
                        lang,
                        &format!(
                            "không có lĩnh vực, tiêu chí hoặc tiêu chí thành phần `{id}` trong {}",
                            r.framework.id
                        ),
                        &format!(
                            "no area, criterion or sub-criterion `{id}` in {}",
                            r.framework.id
                        )
                    )
                );
            }
        }
        RulesCommand::Import {
            file,
            id,
            title,
            year,
            sheet,
            output,
            force,
            signature,
        } => {
            let meta = rules::import::Meta {
                id,
                title,
                year,
                source: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                lang,
            };
            let signature = signature.map(|s| match s {
                crate::cli::SignatureArg::Required => rules::SignatureRule::Required,
                crate::cli::SignatureArg::PersonAndOrganization => {
                    rules::SignatureRule::PersonAndOrganization
                }
                crate::cli::SignatureArg::None => rules::SignatureRule::None,
            });
            let how = ImportHow {
                sheet: sheet.as_deref(),
                output: &output,
                force,
                signature,
            };
            return rules_import(&file, &meta, &how, lang);
        }
    }
    Ok(Exit::Ready)
}

/// Options of `tlkc rules import` beyond the new set's metadata.
pub(super) struct ImportHow<'a> {
    pub sheet: Option<&'a str>,
    pub output: &'a Path,
    pub force: bool,
    /// `--signature`: overrides what the table says.
    pub signature: Option<rules::SignatureRule>,
}

pub(super) fn rules_import(
    file: &Path,
    meta: &rules::import::Meta,
    how: &ImportHow,
    lang: Lang,
) -> Result<Exit> {
    let (sheet, output, force) = (how.sheet, how.output, how.force);
    use rules::import::{self, Kind};
    let kind = Kind::from_path(file).with_context(|| {
        format!(
            "{}: {}",
            file.display(),
            tr(
                lang,
                "không phải .xlsx, .ods, .csv hay .docx",
                "not a .xlsx, .ods, .csv or .docx file"
            )
        )
    })?;
    if output.exists() && !force {
        bail!(
            "{}: {}",
            output.display(),
            tr(
                lang,
                "đã có; dùng --force để ghi đè",
                "exists; use --force to overwrite it"
            )
        );
    }
    if !(2000..=2100).contains(&meta.year) {
        bail!(
            "--year {}: {}",
            meta.year,
            tr(lang, "không phải năm hợp lệ", "not a plausible year")
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    // The table's own text (sheet names, cells) reaches the terminal only
    // through `message`, which strips control characters.
    let import_failed =
        |e: import::ImportError| anyhow::anyhow!("{}: {}", file.display(), e.message(lang));
    let mut set = import::import(&bytes, kind, sheet).map_err(import_failed)?;
    if let Some(rule) = how.signature {
        set.signature = Some(import::SignatureDefault {
            rule,
            source: None,
            row: None,
            inferred: false,
        });
    }
    // Checked to read back as the draft before anything is written.
    let text = import::to_toml(&set, meta).map_err(import_failed)?;
    // A symbolic link at OUTPUT is replaced, never written through.
    crate::fsguard::write_new_or_replace(output, text.as_bytes())
        .with_context(|| format!("{}", output.display()))?;
    let mut out = std::io::stdout().lock();
    crate::report::rules::import_summary(&set, &output.display().to_string(), lang, &mut out)?;
    let valid = rules::load_str(&text, &output.display().to_string());
    if let Err(e) = &valid {
        writeln!(
            out,
            "{} {e}",
            tr(
                lang,
                "Bản nháp chưa hợp lệ, sửa rồi chạy `tlkc rules validate`:",
                "The draft does not validate yet; fix it, then run `tlkc rules validate`:"
            )
        )?;
    }
    Ok(if valid.is_err() || !set.mismatches.is_empty() {
        Exit::Findings
    } else {
        Exit::Ready
    })
}

pub(super) fn init(args: crate::cli::InitArgs, lang: Lang) -> Result<Exit> {
    let rules = load_rules(args.rules.as_deref())?;
    // The folder must exist to say where the ruleset is from it.
    std::fs::create_dir_all(&args.dir).with_context(|| format!("{}", args.dir.display()))?;
    let value = crate::init::rules_value(args.rules.as_deref(), DEFAULT_RULESET, &args.dir)
        .with_context(|| match &args.rules {
            Some(p) => p.display().to_string(),
            None => DEFAULT_RULESET.to_string(),
        })?;
    let done = crate::init::init(&args.dir, &rules, &value)?;
    let mut out = std::io::stdout().lock();
    crate::init::print_summary(&done, &args.dir, lang, &mut out)?;
    let chosen = crate::init::ChosenRuleset {
        rules: &rules,
        value: &value,
        explicit: args.rules.is_some(),
        this_year: chrono::Datelike::year(&today_in_vietnam()),
    };
    writeln!(out, "{}", chosen.describe(lang))?;
    Ok(Exit::Ready)
}

pub(super) fn explain(code: &str, lang: Lang) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    if code.eq_ignore_ascii_case("all") {
        for c in Code::ALL {
            let d = docs::doc(*c);
            writeln!(
                out,
                "{}  {:<9} {}",
                c.as_str(),
                crate::report::severity_label(c.severity(), lang).to_lowercase(),
                d.summary(lang)
            )?;
        }
        return Ok(Exit::Ready);
    }
    let c: Code = code.parse().map_err(anyhow::Error::msg)?;
    let d = docs::doc(c);
    writeln!(out, "{} ({}) — {}", c.as_str(), c.name(), d.summary(lang))?;
    let sev = match (c.severity(), lang) {
        (Severity::Error, Lang::Vi) => "lỗi: sẽ bị mất điểm / chặn việc nộp",
        (Severity::Warning, Lang::Vi) => "cảnh báo: cần người kiểm tra",
        (Severity::Info, Lang::Vi) => "lưu ý: thực hành tốt",
        (Severity::Error, Lang::En) => "error: points will be lost / blocks submission",
        (Severity::Warning, Lang::En) => "warning: needs a human look",
        (Severity::Info, Lang::En) => "info: best practice",
    };
    writeln!(
        out,
        "{}: {sev}",
        if lang == Lang::Vi {
            "Mức độ"
        } else {
            "Severity"
        }
    )?;
    writeln!(out)?;
    writeln!(out, "{}", d.explanation(lang))?;
    Ok(Exit::Ready)
}
