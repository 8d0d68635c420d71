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
        return Err(refuse(
            lang,
            "tlkc inspect chỉ có định dạng human và json",
            "tlkc inspect supports the human and json formats only",
        ));
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
            crate::report::rules::validated(&r, &file.display().to_string(), lang, &mut out)?;
        }
        RulesCommand::List { rules, format } => {
            let r = load_rules(rules.as_deref())?;
            match format {
                RulesFormat::Human => crate::report::rules::list(&r, lang, &mut out)?,
                RulesFormat::Json => {
                    crate::report::rules::write_json(&r, None, &mut out).map(drop)?
                }
            }
        }
        RulesCommand::Show { id, rules, format } => {
            let r = load_rules(rules.as_deref())?;
            let found = match format {
                RulesFormat::Human => crate::report::rules::show(&r, &id, lang, &mut out)?,
                RulesFormat::Json => crate::report::rules::write_json(&r, Some(&id), &mut out)?,
            };
            if !found {
                return Err(refuse(
                    lang,
                    &format!(
                        "không có lĩnh vực, tiêu chí hoặc tiêu chí thành phần `{id}` trong {}",
                        r.framework.id
                    ),
                    &format!(
                        "no area, criterion or sub-criterion `{id}` in {}",
                        r.framework.id
                    ),
                ));
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
            let source = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let meta = rules::import::Meta {
                id,
                title,
                year,
                source: source.unwrap_or_default(),
                lang,
            };
            let how = (sheet.as_deref(), signature.map(Into::into));
            return rules_import(&file, &meta, how, &output, force, lang);
        }
    }
    Ok(Exit::Ready)
}

/// `tlkc rules import`: the table drafted as a ruleset and written to `output`.
fn rules_import(
    file: &Path,
    meta: &rules::import::Meta,
    (sheet, signature): (Option<&str>, Option<rules::SignatureRule>),
    output: &Path,
    force: bool,
    lang: Lang,
) -> Result<Exit> {
    use rules::import::{self, Kind};
    let kind = Kind::from_path(file).with_context(|| {
        let not = tr(
            lang,
            "không phải .xlsx, .ods, .csv hay .docx",
            "not a .xlsx, .ods, .csv or .docx file",
        );
        format!("{}: {not}", file.display())
    })?;
    if output.exists() && !force {
        let exists = tr(
            lang,
            "đã có; dùng --force để ghi đè",
            "exists; use --force to overwrite it",
        );
        bail!("{}: {exists}", output.display());
    }
    if !(2000..=2100).contains(&meta.year) {
        let not = tr(lang, "không phải năm hợp lệ", "not a plausible year");
        bail!("--year {}: {not}", meta.year);
    }
    let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    // The table's own text (sheet names, cells) reaches the terminal only
    // through `message`, which strips control characters.
    let (set, text) = import::draft(&bytes, kind, sheet, signature, meta)
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), e.message(lang)))?;
    // A symbolic link at OUTPUT is replaced, never written through.
    crate::fsguard::write_new_or_replace(output, text.as_bytes())
        .with_context(|| format!("{}", output.display()))?;
    let shown = output.display().to_string();
    let valid = rules::load_str(&text, &shown);
    let out = &mut std::io::stdout().lock();
    crate::report::rules::import_summary(&set, &shown, valid.as_ref().err(), lang, out)?;
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
