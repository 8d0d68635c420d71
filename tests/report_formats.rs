//! Every report format on the fixed in-code report: snapshot compare
//! (`UPDATE_SNAPSHOTS=1` rewrites), SARIF schema validation, JUnit parsing.

use crate::fixture;
use tlkc::findings::Lang;
use tlkc::report::{self, Format, Options};

fn render(format: Format, opts: &Options) -> String {
    let r = fixture::report();
    let mut out = Vec::new();
    report::render_with(format, &r, opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn snapshot(name: &str, actual: &str) {
    crate::util::assert_matches_file(&format!("tests/snapshots/{name}"), actual);
}

fn opts(lang: Lang) -> Options {
    Options {
        lang,
        link_base: "../samples/dak-glei-2022/".into(),
        explanations: true,
        ..Default::default()
    }
}

#[test]
fn snapshots_of_every_format() {
    let cases = [
        (Format::Human, "txt"),
        (Format::Json, "json"),
        (Format::Html, "html"),
        (Format::Sarif, "sarif"),
        (Format::Junit, "xml"),
        (Format::Github, "github.txt"),
        (Format::Markdown, "md"),
    ];
    for (format, ext) in cases {
        let name = format!("{format:?}").to_lowercase();
        snapshot(
            &format!("{name}.vi.{ext}"),
            &render(format, &opts(Lang::Vi)),
        );
    }
    snapshot("human.en.txt", &render(Format::Human, &opts(Lang::En)));
    snapshot("html.en.html", &render(Format::Html, &opts(Lang::En)));
    // A plain, no-option human report has no colour escapes.
    assert!(!render(Format::Human, &Options::default()).contains('\u{1b}'));
    let colored = render(
        Format::Human,
        &Options {
            color: true,
            ..Default::default()
        },
    );
    assert!(colored.contains("\u{1b}[1;31m"));
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    // The published schema's `language` patterns end in a stray `]`
    // ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"), which the meta-schema's
    // "regex" format check rejects before anything is validated. Only those
    // patterns are corrected, in memory; the vendored file stays as published.
    fn fix_patterns(v: &mut serde_json::Value, fixed: &mut usize) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if k == "pattern" && x == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *x = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                        *fixed += 1;
                    } else {
                        fix_patterns(x, fixed);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| fix_patterns(x, fixed)),
            _ => {}
        }
    }
    let mut schema = schema;
    let mut fixed = 0;
    fix_patterns(&mut schema, &mut fixed);
    assert!(fixed > 0);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap();
    for lang in [Lang::Vi, Lang::En] {
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &opts(lang))).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let run = &sarif["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), fixture::report().findings.len());
        // The missing notice (no file) points at 1.3.2's table in the ruleset.
        let missing = results.iter().find(|r| r["ruleId"] == "EVD001").unwrap();
        let loc = &missing["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "rules/mau-2022-huyen.toml");
        let line = fixture::RULES
            .lines()
            .position(|l| l == "id = \"1.3.2\"")
            .unwrap();
        assert_eq!(loc["region"]["startLine"], line as u64); // the table header is the line before the id
                                                             // A file finding points at the percent-encoded relative path.
        let late = results.iter().find(|r| r["ruleId"] == "DUE001").unwrap();
        let uri = late["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("samples/dak-glei-2022/1.2.1%20B%C3%A1o"),
            "{uri}"
        );
        assert!(late["partialFingerprints"]["tlkcFinding/v1"]
            .as_str()
            .unwrap()
            .starts_with("DUE001:"));
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), tlkc::findings::Code::ALL.len());
    }
}

#[test]
fn junit_parses_with_one_case_per_scorable_unit() {
    let xml = render(Format::Junit, &opts(Lang::Vi));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let r = fixture::report();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let scorables = r.rules.scorables().count();
    // One per scorable unit, plus one for findings outside any unit.
    assert_eq!(cases.len(), scorables + 1);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .filter_map(|c| c.attribute("name"))
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed[0].starts_with("1.2.1 "));
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    assert_eq!(skipped, 1);
    let root = doc.root_element();
    assert_eq!(root.attribute("failures"), Some("3"));
    // Escaped content survives the round trip.
    assert!(xml.contains("&lt;nháp&gt;"));
    assert!(doc
        .descendants()
        .any(|n| n.text().is_some_and(|t| t.contains("<nháp> & \"bản cũ\""))));
}

#[test]
fn github_annotations_are_escaped_one_per_line() {
    let out = render(Format::Github, &opts(Lang::Vi));
    let r = fixture::report();
    // One annotation per finding, then one notice with the estimate and the best fixes.
    assert_eq!(out.lines().count(), r.findings.len() + 1);
    assert!(out
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("::notice title=tlkc::Điểm tự chấm ước tính: 1,25/2,5")));
    for l in out.lines() {
        assert!(
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "),
            "{l}"
        );
    }
    assert!(out.contains("::error file=rules/mau-2022-huyen.toml,line="));
    assert!(out.contains("title=DUE001 1.2.1::"));
}
