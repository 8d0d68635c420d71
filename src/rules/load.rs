//! TOML → validated [`Ruleset`]. Errors carry `file:line:col`.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;

use crate::text::{line_col, TomlError};
use toml::Spanned;

use super::extend::{merge, INHERITED};
use super::model::*;
use super::raw::*;
use crate::decree30;
use crate::text::fold;

/// Rulesets shipped inside the binary: (id, file name, TOML text).
pub const BUILTIN: &[(&str, &str, &str)] = &[(
    "kon-tum-2022-huyen",
    "rules/kon-tum-2022-huyen.toml",
    include_str!("../../rules/kon-tum-2022-huyen.toml"),
)];

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] crate::text::TomlError),
}

/// Load a ruleset from a file, or `builtin:ID` / a bare builtin id.
pub fn load_file(path: &Path) -> Result<Ruleset, RulesError> {
    let (text, name) = read(path)?;
    load_at(&text, &name)
}

/// A builtin's text, or the file's. Returns (text, name used in errors).
fn read(path: &Path) -> Result<(String, String), RulesError> {
    let name = path.to_string_lossy();
    let id = name.strip_prefix("builtin:").unwrap_or(&name);
    if let Some((_, file, text)) = BUILTIN.iter().find(|(bid, _, _)| *bid == id) {
        if !path.exists() || name.starts_with("builtin:") {
            return Ok((text.to_string(), file.to_string()));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
        file: name.to_string(),
        source,
    })?;
    Ok((text, name.to_string()))
}

/// Parse and validate ruleset TOML; `file` names it in errors and anchors a
/// relative `extends` path.
pub fn load_str(text: &str, file: &str) -> Result<Ruleset, RulesError> {
    load_at(text, file)
}

/// How many sets an `extends` chain may hold (a loop is refused before this).
const MAX_EXTENDS: usize = 32;

/// One file of an `extends` chain, read and parsed once.
struct Link {
    text: String,
    file: String,
    raw: RawRuleset,
    /// Offset of the `extends` key (0 when there is none).
    extends_at: usize,
}

fn load_at(text: &str, file: &str) -> Result<Ruleset, RulesError> {
    let mut chain = chain(text, file)?.into_iter().rev();
    let Some(base) = chain.next() else {
        return Err(invalid(file, 1, 1, "empty `extends` chain"));
    };
    // From the set that extends nothing up to this file: every set is merged
    // onto its base once and validated on its own, so an error in a base
    // names the base's file and line.
    let mut merged = base.raw;
    let mut below = (base.text, base.file, base.extends_at);
    for link in chain {
        validate(&below.0, &below.1, below.2, merged.clone())?;
        merged = merge(merged, link.raw).map_err(|(off, msg)| {
            let (line, col) = line_col(&link.text, off);
            invalid(&link.file, line, col, msg)
        })?;
        below = (link.text, link.file, link.extends_at);
    }
    validate(&below.0, &below.1, below.2, merged)
}

fn validate(
    text: &str,
    file: &str,
    extends_at: usize,
    raw: RawRuleset,
) -> Result<Ruleset, RulesError> {
    Validator {
        text,
        file,
        seen: HashSet::new(),
        extends_at,
        defaults: Defaults::default(),
    }
    .ruleset(raw)
}

/// This file and the sets it extends, nearest first, each parsed once. A
/// set named twice (a loop) or a chain longer than [`MAX_EXTENDS`] is an
/// error on the `extends` line that closes it.
fn chain(text: &str, file: &str) -> Result<Vec<Link>, RulesError> {
    let mut links: Vec<Link> = Vec::new();
    let mut seen = vec![identity(Path::new(file), file)];
    let (mut text, mut file) = (text.to_string(), file.to_string());
    loop {
        let raw = parse(&text, &file)?;
        let Some(ext) = raw.extends.clone() else {
            if let Some(r) = raw.remove.first() {
                let (line, col) = line_col(&text, r.span().start);
                return Err(invalid(&file, line, col, "`remove` needs `extends`"));
            }
            links.push(Link {
                text,
                file,
                raw,
                extends_at: 0,
            });
            return Ok(links);
        };
        let at = ext.span().start;
        let (line, col) = line_col(&text, at);
        if links.len() + 1 >= MAX_EXTENDS {
            return Err(invalid(
                &file,
                line,
                col,
                format!("`extends` chains more than {MAX_EXTENDS} sets"),
            ));
        }
        let target = ext.get_ref();
        let base_path =
            if BUILTIN.iter().any(|(id, _, _)| id == target) || target.starts_with("builtin:") {
                std::path::PathBuf::from(target)
            } else {
                Path::new(&file)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(target)
            };
        let (base_text, base_file) = read(&base_path)
            .map_err(|e| invalid(&file, line, col, format!("extends = \"{target}\": {e}")))?;
        let id = identity(&base_path, &base_file);
        if let Some(first) = seen.iter().position(|s| *s == id) {
            let names: Vec<&str> = links
                .iter()
                .map(|l| l.file.as_str())
                .chain([file.as_str(), base_file.as_str()])
                .skip(first)
                .collect();
            return Err(invalid(
                &file,
                line,
                col,
                format!(
                    "`extends` loops back to `{base_file}`: {}",
                    names.join(" → ")
                ),
            ));
        }
        seen.push(id);
        links.push(Link {
            text: std::mem::replace(&mut text, base_text),
            file: std::mem::replace(&mut file, base_file),
            raw,
            extends_at: at,
        });
    }
}

/// What makes two names of a ruleset the same set: the file itself when it
/// exists, else the name (a builtin, or text given without a file).
fn identity(path: &Path, name: &str) -> String {
    match std::fs::canonicalize(path) {
        Ok(p) if p.is_file() => p.to_string_lossy().into_owned(),
        _ => name.to_string(),
    }
}

fn parse(text: &str, file: &str) -> Result<RawRuleset, RulesError> {
    #[cfg(test)]
    tests::PARSES.with(|n| n.set(n.get() + 1));
    toml::from_str(text).map_err(|e| RulesError::Invalid(TomlError::from_de(text, file, &e)))
}

fn invalid(file: &str, line: usize, col: usize, message: impl Into<String>) -> RulesError {
    RulesError::Invalid(TomlError {
        file: file.to_string(),
        line,
        col,
        message: message.into(),
    })
}

struct Validator<'a> {
    text: &'a str,
    file: &'a str,
    seen: HashSet<String>,
    /// Where `extends` is written (errors on inherited nodes point there).
    extends_at: usize,
    /// `[defaults]`, read before the tree.
    defaults: Defaults,
}

/// "none" | "required" | "person_and_organization".
fn signature_rule(s: &str) -> Option<SignatureRule> {
    match s {
        "none" => Some(SignatureRule::None),
        "required" => Some(SignatureRule::Required),
        "person_and_organization" => Some(SignatureRule::PersonAndOrganization),
        _ => None,
    }
}

impl Validator<'_> {
    fn err(&self, offset: usize, message: impl Into<String>) -> RulesError {
        // A node inherited from the base set is blamed on the `extends` line.
        let offset = if offset == INHERITED {
            self.extends_at
        } else {
            offset
        };
        RulesError::Invalid(TomlError::at(self.text, self.file, offset, message))
    }

    /// The line in this file; none for nodes inherited from the base set.
    fn line(&self, offset: usize) -> Option<usize> {
        (offset != INHERITED).then(|| line_col(self.text, offset).0)
    }

    fn unique(&mut self, id: &str, at: usize) -> Result<(), RulesError> {
        if id.trim().is_empty() {
            return Err(self.err(at, "empty id"));
        }
        if !self.seen.insert(id.to_string()) {
            return Err(self.err(at, format!("duplicate id `{id}`")));
        }
        Ok(())
    }

    fn ruleset(mut self, raw: RawRuleset) -> Result<Ruleset, RulesError> {
        let f = raw.framework;
        if !(2000..=2100).contains(&f.year) {
            return Err(self.err(
                0,
                format!("framework.year {} is not a plausible year", f.year),
            ));
        }
        let mut trusted_roots = Vec::new();
        for r in f.trusted_root {
            let at = r.span().start;
            let r = r.into_inner();
            let hex = r.sha256.replace(':', "").to_ascii_lowercase();
            if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(self.err(
                    at,
                    format!("trusted_root `{}`: sha256 must be 64 hex digits", r.name),
                ));
            }
            trusted_roots.push(TrustedRoot {
                name: r.name,
                sha256: hex,
            });
        }
        let framework = Framework {
            id: f.id,
            title: f.title,
            year: f.year,
            legal_basis: f.legal_basis,
            level: f.level,
            province: f.province,
            trusted_roots,
            grades: super::scoring::grades(f.grade).map_err(|m| self.err(0, m))?,
        };
        if let Some(d) = raw.defaults {
            let at = d.span().start;
            let d = d.into_inner();
            let signature = match d.signature.as_deref() {
                None => None,
                Some(s) => Some(signature_rule(s).ok_or_else(|| {
                    self.err(
                        at,
                        format!("[defaults] signature = `{s}`; expected \"none\", \"required\" or \"person_and_organization\""),
                    )
                })?),
            };
            self.defaults = Defaults {
                signature,
                inferred: d.inferred,
                source: d.source,
            };
        }
        let mut areas = Vec::new();
        for a in raw.area {
            areas.push(self.area(a)?);
        }
        let mut deductions = Vec::new();
        for d in raw.deduction {
            deductions.push(self.scorable(d, None)?);
        }
        let algorithm_policy = match raw.algorithm_policy {
            None => AlgorithmPolicy::default(),
            Some(p) => {
                let at = p.span().start;
                AlgorithmPolicy::from_ruleset(p.into_inner()).map_err(|m| self.err(at, m))?
            }
        };
        Ok(Ruleset {
            framework,
            areas,
            deductions,
            algorithm_policy,
            source: self.file.to_string(),
            defaults: self.defaults,
        })
    }

    fn area(&mut self, raw: Spanned<RawArea>) -> Result<Area, RulesError> {
        let at = raw.span().start;
        let a = raw.into_inner();
        self.unique(&a.id, at)?;
        self.points(a.max_points, at, &a.id)?;
        let mut criteria = Vec::new();
        for c in a.criterion {
            let c = self.criterion(c, &a.id)?;
            criteria.push(c);
        }
        let sum: f64 = criteria.iter().map(|c| c.max_points).sum();
        if sum > a.max_points + 1e-9 {
            return Err(self.err(
                at,
                format!(
                    "area {}: its criteria add up to {sum} points, more than its maximum {}",
                    a.id, a.max_points
                ),
            ));
        }
        Ok(Area {
            id: a.id,
            title: a.title,
            max_points: a.max_points,
            criteria,
        })
    }

    fn criterion(
        &mut self,
        raw: Spanned<RawCriterion>,
        area: &str,
    ) -> Result<Criterion, RulesError> {
        let at = raw.span().start;
        let c = raw.into_inner();
        self.unique(&c.id, at)?;
        self.points(c.max_points, at, &c.id)?;
        self.child_id(&c.id, area, at)?;
        let alone = c.statistics.is_some() || !c.document.is_empty() || c.score.is_some();
        if alone && !c.sub.is_empty() {
            return Err(self.err(
                at,
                format!("criterion {}: give either sub-criteria or its own evidence (document/statistics), not both", c.id),
            ));
        }
        let mut sub = Vec::new();
        for s in c.sub {
            sub.push(self.scorable(s, Some(&c.id))?);
        }
        let sum: f64 = sub.iter().map(|s| s.max_points).sum();
        if sum > c.max_points + 1e-9 {
            return Err(self.err(
                at,
                format!("criterion {}: its sub-criteria add up to {sum} points, more than its maximum {}", c.id, c.max_points),
            ));
        }
        let scorable = if alone {
            let method = self.method(c.score, !c.document.is_empty(), c.max_points, at)?;
            let scoring = self.scoring(c.statistics, c.document, &c.id, c.max_points, at)?;
            Some(Scorable {
                id: c.id.clone(),
                title: c.title.clone(),
                max_points: c.max_points,
                scoring,
                method,
                note: c.note.clone(),
                inferred: c.inferred,
                line: self.line(at),
            })
        } else {
            None
        };
        if !alone && sub.is_empty() {
            return Err(self.err(
                at,
                format!("criterion {}: no sub-criteria and no evidence rule", c.id),
            ));
        }
        Ok(Criterion {
            id: c.id,
            title: c.title,
            max_points: c.max_points,
            sub,
            scorable,
            note: c.note,
        })
    }

    fn child_id(&self, id: &str, parent: &str, at: usize) -> Result<(), RulesError> {
        if !id.starts_with(&format!("{parent}.")) {
            return Err(self.err(
                at,
                format!("id `{id}` must start with its parent's id `{parent}.`"),
            ));
        }
        Ok(())
    }

    fn points(&self, p: f64, at: usize, id: &str) -> Result<(), RulesError> {
        if !p.is_finite() || p < 0.0 {
            return Err(self.err(at, format!("{id}: points must be a non-negative number")));
        }
        Ok(())
    }

    fn scorable(
        &mut self,
        raw: Spanned<RawScorable>,
        parent: Option<&str>,
    ) -> Result<Scorable, RulesError> {
        let at = raw.span().start;
        let s = raw.into_inner();
        self.unique(&s.id, at)?;
        self.points(s.max_points, at, &s.id)?;
        if let Some(p) = parent {
            self.child_id(&s.id, p, at)?;
        }
        let method = self.method(s.score, !s.document.is_empty(), s.max_points, at)?;
        let scoring = self.scoring(s.statistics, s.document, &s.id, s.max_points, at)?;
        Ok(Scorable {
            id: s.id,
            title: s.title,
            max_points: s.max_points,
            scoring,
            method,
            note: s.note,
            inferred: s.inferred,
            line: self.line(at),
        })
    }

    fn method(
        &self,
        raw: Option<Spanned<super::scoring::RawScore>>,
        has_documents: bool,
        max: f64,
        at: usize,
    ) -> Result<super::scoring::Method, RulesError> {
        let at = raw.as_ref().map_or(at, |r| r.span().start);
        super::scoring::method(raw.map(Spanned::into_inner), has_documents, max)
            .map_err(|m| self.err(at, m))
    }

    fn scoring(
        &mut self,
        statistics: Option<String>,
        documents: Vec<Spanned<RawRequirement>>,
        id: &str,
        max: f64,
        at: usize,
    ) -> Result<Scoring, RulesError> {
        match (statistics, documents.is_empty()) {
            (Some(_), false) => Err(self.err(
                at,
                format!("{id}: give either `statistics` or `document` rules, not both"),
            )),
            (None, true) => Err(self.err(
                at,
                format!("{id}: needs `statistics = \"…\"` or at least one [[…document]]"),
            )),
            (Some(source), true) => Ok(Scoring::Statistics { source }),
            (None, false) => {
                let mut requirements = Vec::new();
                let mut req_ids = HashSet::new();
                for r in documents {
                    let rat = r.span().start;
                    let req = self.requirement(r, id)?;
                    if !req_ids.insert(req.id.clone()) {
                        return Err(
                            self.err(rat, format!("{id}: duplicate document id `{}`", req.id))
                        );
                    }
                    if req.points > max + 1e-9 {
                        return Err(self.err(
                            rat,
                            format!(
                                "{id}/{}: points {} exceed the maximum {max}",
                                req.id, req.points
                            ),
                        ));
                    }
                    requirements.push(req);
                }
                Ok(Scoring::Documents { requirements })
            }
        }
    }

    fn requirement(
        &mut self,
        raw: Spanned<RawRequirement>,
        owner: &str,
    ) -> Result<Requirement, RulesError> {
        let at = raw.span().start;
        let r = raw.into_inner();
        let here = format!("{owner}/{}", r.id);
        for t in &r.types {
            if !decree30::is_known_type(t) {
                return Err(self.err(
                    at,
                    format!("{here}: `{t}` is not a Decree 30 type abbreviation (Phụ lục III, case-sensitive; \"CV\" = công văn)"),
                ));
            }
        }
        let (signature, signature_from_defaults) = match r.signature.as_deref() {
            None => match self.defaults.signature {
                Some(d) => (d, true),
                None => (SignatureRule::None, false),
            },
            Some(s) => match signature_rule(s) {
                Some(rule) => (rule, false),
                None => {
                    return Err(self.err(
                        at,
                        format!("{here}: signature = `{s}`; expected \"none\", \"required\" or \"person_and_organization\""),
                    ))
                }
            },
        };
        let count = r.count.unwrap_or(1);
        if count == 0 {
            return Err(self.err(at, format!("{here}: count must be at least 1")));
        }
        if !r.periods.is_empty() && r.count.is_some() {
            return Err(self.err(at, format!("{here}: give `periods` or `count`, not both")));
        }
        let mut periods = r.periods;
        let n = periods.len();
        periods.sort();
        periods.dedup();
        if periods.len() != n {
            return Err(self.err(at, format!("{here}: a period is listed twice")));
        }
        let deadline = match r.deadline {
            None => None,
            Some(d) => Some(self.deadline(d, &here, !periods.is_empty())?),
        };
        self.points(r.points, at, &here)?;
        Ok(Requirement {
            id: r.id,
            title: r.title,
            types: r.types,
            title_patterns: r
                .title_patterns
                .iter()
                .map(|p| fold(p))
                .filter(|p| !p.is_empty())
                .collect(),
            count,
            periods,
            deadline,
            signature,
            signature_from_defaults,
            points: r.points,
            basis: r.basis,
            inferred: r.inferred,
            source: r.source,
            line: self.line(at),
        })
    }

    fn deadline(
        &self,
        raw: Spanned<RawDeadline>,
        here: &str,
        periodic: bool,
    ) -> Result<Deadline, RulesError> {
        let at = raw.span().start;
        let d = raw.into_inner();
        let given = [d.fixed.is_some(), d.period_day.is_some(), d.local.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        if given != 1 {
            return Err(self.err(
                at,
                format!("{here}: deadline needs exactly one of `fixed`, `period_day`, `local`"),
            ));
        }
        if let Some(s) = d.fixed {
            let date = NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
                self.err(
                    at,
                    format!("{here}: deadline `{s}` is not a date (YYYY-MM-DD)"),
                )
            })?;
            return Ok(Deadline::Fixed {
                date,
                basis: d.basis,
            });
        }
        if let Some(day) = d.period_day {
            if !(1..=31).contains(&day) {
                return Err(self.err(
                    at,
                    format!("{here}: period_day {day} is not a day of the month"),
                ));
            }
            if !periodic {
                return Err(self.err(at, format!("{here}: period_day needs `periods`")));
            }
            return Ok(Deadline::PeriodDay {
                day,
                basis: d.basis,
            });
        }
        let key = d.local.unwrap_or_default();
        if key.trim().is_empty() {
            return Err(self.err(at, format!("{here}: deadline.local needs a key")));
        }
        Ok(Deadline::Local {
            key,
            basis: d.basis,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::period::Period;
    use std::cell::Cell;

    thread_local! {
        /// TOML parses of ruleset files on this thread (each test runs on its own).
        pub(super) static PARSES: Cell<usize> = const { Cell::new(0) };
    }

    /// Set `k` of a chain: set 0 extends nothing, set `k` extends set `k - 1`
    /// and adds criterion `1.k`.
    fn link(k: usize) -> String {
        let extends = if k == 0 {
            String::new()
        } else {
            format!("extends = \"set{}.toml\"\n", k - 1)
        };
        format!(
            r#"{extends}[framework]
id = "s{k}"
title = "S{k}"
year = 2022

[[area]]
id = "1"
title = "A"
max_points = 40

[[area.criterion]]
id = "1.{k}"
title = "C{k}"
max_points = 1

[[area.criterion.sub]]
id = "1.{k}.1"
title = "S{k}"
max_points = 1

[[area.criterion.sub.document]]
id = "kh"
title = "Kế hoạch"
types = ["KH"]
points = 1
"#
        )
    }

    #[test]
    fn a_chain_of_extends_reads_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        for n in [1, 4, 12] {
            for k in 0..=n {
                std::fs::write(dir.path().join(format!("set{k}.toml")), link(k)).unwrap();
            }
            PARSES.with(|c| c.set(0));
            let r = load_file(&dir.path().join(format!("set{n}.toml")))
                .unwrap_or_else(|e| panic!("{e}"));
            // Each level used to parse its whole base chain twice (2ⁿ parses).
            assert_eq!(PARSES.with(Cell::get), n + 1, "{n} extends");
            assert_eq!(r.framework.id, format!("s{n}"));
            for k in 0..=n {
                let s = r.find(&format!("1.{k}.1")).unwrap();
                // A node's line is known only in the file that writes it.
                assert_eq!(s.line.is_some(), k == n, "1.{k}.1");
            }
        }
        // An error in a base names the base's file and line, not the extending one.
        let bad = link(3).replace("types = [\"KH\"]", "types = [\"KL\"]");
        std::fs::write(dir.path().join("set3.toml"), bad).unwrap();
        let e = load_file(&dir.path().join("set12.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("set3.toml:22:"), "{e}");
        assert!(e.contains("not a Decree 30 type"), "{e}");
    }

    #[test]
    fn extends_loops_and_endless_chains_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::fs::write(at("a.toml"), link(1).replace("set0.toml", "b.toml")).unwrap();
        std::fs::write(at("b.toml"), link(1).replace("set0.toml", "c.toml")).unwrap();
        std::fs::write(at("c.toml"), link(1).replace("set0.toml", "./b.toml")).unwrap();
        let e = load_file(&at("a.toml")).unwrap_err().to_string();
        let c = at("c.toml").to_string_lossy().into_owned();
        assert!(
            e.starts_with(&format!("{c}:1:11: `extends` loops back to")),
            "{e}"
        );
        assert!(e.contains("b.toml → ") && e.ends_with("b.toml"), "{e}");
        assert!(!e.contains("a.toml"), "a.toml is not in the loop: {e}");
        // A file that extends itself.
        std::fs::write(at("self.toml"), link(1).replace("set0.toml", "self.toml")).unwrap();
        let e = load_file(&at("self.toml")).unwrap_err().to_string();
        assert!(e.contains("`extends` loops back to"), "{e}");
        // A chain too long to be meant is refused on the line that makes it too long.
        for k in 0..=MAX_EXTENDS {
            std::fs::write(at(&format!("set{k}.toml")), link(k)).unwrap();
        }
        let top = at(&format!("set{MAX_EXTENDS}.toml"));
        let e = load_file(&top).unwrap_err().to_string();
        assert!(
            e.contains(&format!("chains more than {MAX_EXTENDS} sets")),
            "{e}"
        );
        assert!(load_file(&at(&format!("set{}.toml", MAX_EXTENDS - 1))).is_ok());
    }

    const MINI: &str = r#"
[framework]
id = "t"
title = "T"
year = 2022

[[area]]
id = "1"
title = "A"
max_points = 2

[[area.criterion]]
id = "1.1"
title = "C"
max_points = 1

[[area.criterion.sub]]
id = "1.1.1"
title = "S"
max_points = 1

[[area.criterion.sub.document]]
id = "kh"
title = "Kế hoạch"
types = ["KH"]
signature = "required"
points = 1
deadline = { fixed = "2022-03-31" }
"#;

    #[test]
    fn loads_a_minimal_ruleset() {
        let r = load_str(MINI, "mini.toml").unwrap();
        assert_eq!(r.scorables().count(), 1);
        let s = r.find("1.1.1").unwrap();
        assert_eq!(s.line, Some(17)); // the `[[area.criterion.sub]]` header
    }

    #[test]
    fn unknown_key_reports_line_and_column() {
        let bad = MINI.replace("signature = \"required\"", "signed = true");
        let e = load_str(&bad, "mini.toml").unwrap_err().to_string();
        assert!(e.starts_with("mini.toml:"), "{e}");
        assert!(e.contains("signed"), "{e}");
    }

    #[test]
    fn rejects_bad_dates_types_and_duplicates() {
        let e = load_str(&MINI.replace("2022-03-31", "31/03/2022"), "m")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a date"), "{e}");
        let e = load_str(&MINI.replace("[\"KH\"]", "[\"KL\"]"), "m")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a Decree 30 type"), "{e}");
        let e = load_str(&MINI.replace("id = \"1.1.1\"", "id = \"1.1\""), "m")
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate id"), "{e}");
    }

    #[test]
    fn defaults_apply_where_a_requirement_says_nothing() {
        let text = MINI
            .replace("signature = \"required\"\n", "")
            .replace("[[area]]", "[defaults]\nsignature = \"required\"\ninferred = true\nsource = \"TLKC là văn bản điện tử có chữ ký số\"\n\n[[area]]");
        let r = load_str(&text, "m").unwrap();
        let Scoring::Documents { requirements } = &r.find("1.1.1").unwrap().scoring else {
            panic!("documents")
        };
        assert_eq!(requirements[0].signature, SignatureRule::Required);
        assert!(requirements[0].signature_from_defaults);
        assert_eq!(r.defaults.signature, Some(SignatureRule::Required));
        assert_eq!(r.inferred_count(), 1, "the drafted default awaits review");
        // A requirement's own rule wins.
        let own = text.replace(
            "points = 1\ndeadline",
            "points = 1\nsignature = \"none\"\ndeadline",
        );
        let r = load_str(&own, "m").unwrap();
        let Scoring::Documents { requirements } = &r.find("1.1.1").unwrap().scoring else {
            panic!("documents")
        };
        assert_eq!(requirements[0].signature, SignatureRule::None);
        assert!(!requirements[0].signature_from_defaults);
        // Without [defaults], nothing is required.
        let bare = MINI.replace("signature = \"required\"\n", "");
        let r = load_str(&bare, "m").unwrap();
        let Scoring::Documents { requirements } = &r.find("1.1.1").unwrap().scoring else {
            panic!("documents")
        };
        assert_eq!(requirements[0].signature, SignatureRule::None);
        let e = load_str(
            &text.replace(
                "signature = \"required\"\ninferred",
                "signature = \"yes\"\ninferred",
            ),
            "m",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("[defaults] signature") && e.starts_with("m:"),
            "{e}"
        );
    }

    #[test]
    fn extends_merges_defaults_and_keeps_explicit_rules() {
        let text = r#"extends = "kon-tum-2022-huyen"
remove = ["1.4"]

[defaults]
signature = "person_and_organization"

[framework]
id = "k23"
title = "K 2023"
year = 2023

[[area]]
id = "1"
title = "Công tác chỉ đạo, điều hành"
max_points = 16

[[area.criterion]]
id = "1.2"
title = "Báo cáo"
max_points = 0.75

[[area.criterion.sub]]
id = "1.2.9"
title = "Báo cáo chuyên đề"
max_points = 0.25

[[area.criterion.sub.document]]
id = "bao-cao"
title = "Báo cáo chuyên đề (hoặc Công văn)"
types = ["BC", "CV"]
points = 0.25
"#;
        let r = load_str(text, "k23.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            r.defaults.signature,
            Some(SignatureRule::PersonAndOrganization)
        );
        let req = |id: &str| match &r.find(id).unwrap().scoring {
            Scoring::Documents { requirements } => requirements[0].clone(),
            Scoring::Statistics { .. } => panic!("{id}: documents"),
        };
        let new = req("1.2.9");
        assert_eq!(new.signature, SignatureRule::PersonAndOrganization);
        assert!(new.signature_from_defaults);
        let base = req("1.2.1");
        assert_eq!(
            base.signature,
            SignatureRule::Required,
            "written in the base"
        );
        assert!(!base.signature_from_defaults);
    }

    #[test]
    fn alternative_types_quarters_and_months_load() {
        let text = MINI
            .replace(
                "types = [\"KH\"]",
                "types = [\"BC\", \"CV\"]\nperiods = [\"T01\", \"T12\", \"Q2\", \"Q4\"]",
            )
            .replace(
                "deadline = { fixed = \"2022-03-31\" }",
                "deadline = { period_day = 20 }",
            );
        let r = load_str(&text, "m").unwrap();
        let Scoring::Documents { requirements } = &r.find("1.1.1").unwrap().scoring else {
            panic!("documents")
        };
        assert_eq!(requirements[0].types, vec!["BC", "CV"]);
        assert_eq!(
            requirements[0].periods,
            vec![Period::T01, Period::Q2, Period::T12, Period::Q4]
        );
        let e = load_str(&text.replace("\"T12\"", "\"T13\""), "m")
            .unwrap_err()
            .to_string();
        assert!(e.contains("T13"), "{e}");
    }

    #[test]
    fn builtin_rulesets_load() {
        for (id, file, text) in BUILTIN {
            let r = load_str(text, file).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&r.framework.id, id);
        }
    }
}
