//! `extends = "…"`: a ruleset written as a diff of another. Nodes are merged
//! by id on the raw tables, before validation, so the merged tree is checked
//! exactly like a file written in full. Reading the chain of files is
//! `load.rs`'s job; this module only merges tables and imports nothing from
//! `load.rs`, so the two do not loop.

use toml::Spanned;

use super::raw::*;

/// Span given to every node taken from the base set: it has no place in
/// the extending file (errors on it are blamed on the `extends` line).
pub(super) const INHERITED: usize = usize::MAX;

fn inherited<T>(v: T) -> Spanned<T> {
    Spanned::new(INHERITED..INHERITED, v)
}

/// Apply `child` on top of `base`. Err = (offset in the child's text, message).
pub(super) fn merge(base: RawRuleset, child: RawRuleset) -> Result<RawRuleset, (usize, String)> {
    let mut areas: Vec<Spanned<RawArea>> = base
        .area
        .into_iter()
        .map(|a| inherited(mark_area(a.into_inner())))
        .collect();
    let mut deductions: Vec<Spanned<RawScorable>> = base
        .deduction
        .into_iter()
        .map(|d| inherited(mark_scorable(d.into_inner())))
        .collect();
    for r in &child.remove {
        if !remove(&mut areas, &mut deductions, r.get_ref()) {
            return Err((
                r.span().start,
                format!("remove: the base set has no node `{}`", r.get_ref()),
            ));
        }
    }
    for a in child.area {
        merge_area(&mut areas, a);
    }
    for d in child.deduction {
        upsert(&mut deductions, d, |x| &x.id);
    }
    let mut framework = child.framework;
    if framework.trusted_root.is_empty() {
        framework.trusted_root = base
            .framework
            .trusted_root
            .into_iter()
            .map(|t| inherited(t.into_inner()))
            .collect();
    }
    if framework.legal_basis.is_empty() {
        framework.legal_basis = base.framework.legal_basis;
    }
    if framework.grade.is_empty() {
        framework.grade = base.framework.grade;
    }
    let algorithm_policy = child
        .algorithm_policy
        .or_else(|| base.algorithm_policy.map(|p| inherited(p.into_inner())));
    // `[defaults]` merge key by key: the new file's values win, the base's fill the rest.
    let defaults = match (child.defaults, base.defaults) {
        (None, b) => b.map(|d| inherited(d.into_inner())),
        (Some(c), None) => Some(c),
        (Some(c), Some(b)) => {
            let span = c.span();
            let (c, b) = (c.into_inner(), b.into_inner());
            let from_base = c.signature.is_none();
            Some(Spanned::new(
                span,
                RawDefaults {
                    signature: c.signature.or(b.signature),
                    inferred: if from_base { b.inferred } else { c.inferred },
                    source: if from_base { b.source } else { c.source },
                },
            ))
        }
    };
    Ok(RawRuleset {
        extends: child.extends,
        remove: Vec::new(),
        framework,
        area: areas,
        deduction: deductions,
        algorithm_policy,
        defaults,
    })
}

/// Replace the item with the same id, or append it.
fn upsert<T>(list: &mut Vec<Spanned<T>>, item: Spanned<T>, id: impl Fn(&T) -> &String) {
    match list
        .iter_mut()
        .find(|x| id(x.get_ref()) == id(item.get_ref()))
    {
        Some(slot) => *slot = item,
        None => list.push(item),
    }
}

fn merge_area(areas: &mut Vec<Spanned<RawArea>>, child: Spanned<RawArea>) {
    let Some(slot) = areas
        .iter_mut()
        .find(|a| a.get_ref().id == child.get_ref().id)
    else {
        areas.push(child);
        return;
    };
    let span = child.span();
    let c = child.into_inner();
    let mut criteria = std::mem::take(&mut slot.get_mut().criterion);
    for cr in c.criterion {
        merge_criterion(&mut criteria, cr);
    }
    *slot = Spanned::new(
        span,
        RawArea {
            criterion: criteria,
            ..c
        },
    );
}

/// A criterion with its own evidence replaces the base one whole; one with
/// only a title and points (and perhaps sub-criteria) merges its sub-criteria by id.
fn merge_criterion(criteria: &mut Vec<Spanned<RawCriterion>>, child: Spanned<RawCriterion>) {
    let scored_alone = child.get_ref().statistics.is_some() || !child.get_ref().document.is_empty();
    let Some(slot) = criteria
        .iter_mut()
        .find(|c| c.get_ref().id == child.get_ref().id)
    else {
        criteria.push(child);
        return;
    };
    if scored_alone {
        *slot = child;
        return;
    }
    let span = child.span();
    let c = child.into_inner();
    let old = std::mem::replace(slot, Spanned::new(span.clone(), c.clone())).into_inner();
    let mut sub = if old.statistics.is_none() && old.document.is_empty() {
        old.sub
    } else {
        Vec::new()
    };
    for s in c.sub {
        upsert(&mut sub, s, |x| &x.id);
    }
    slot.get_mut().sub = sub;
}

fn remove(
    areas: &mut Vec<Spanned<RawArea>>,
    deductions: &mut Vec<Spanned<RawScorable>>,
    id: &str,
) -> bool {
    let before = (areas.len(), deductions.len());
    areas.retain(|a| a.get_ref().id != id);
    deductions.retain(|d| d.get_ref().id != id);
    if before != (areas.len(), deductions.len()) {
        return true;
    }
    for a in areas.iter_mut() {
        let a = a.get_mut();
        let n = a.criterion.len();
        a.criterion.retain(|c| c.get_ref().id != id);
        if n != a.criterion.len() {
            return true;
        }
        for c in a.criterion.iter_mut() {
            let c = c.get_mut();
            let n = c.sub.len();
            c.sub.retain(|s| s.get_ref().id != id);
            if n != c.sub.len() {
                return true;
            }
        }
    }
    false
}

fn mark_area(mut a: RawArea) -> RawArea {
    a.criterion = a
        .criterion
        .into_iter()
        .map(|c| {
            let mut c = c.into_inner();
            c.sub = c
                .sub
                .into_iter()
                .map(|s| inherited(mark_scorable(s.into_inner())))
                .collect();
            c.document = mark_docs(c.document);
            c.score = c.score.map(|x| inherited(x.into_inner()));
            inherited(c)
        })
        .collect();
    a
}

fn mark_scorable(mut s: RawScorable) -> RawScorable {
    s.document = mark_docs(s.document);
    s.score = s.score.map(|x| inherited(x.into_inner()));
    s
}

fn mark_docs(docs: Vec<Spanned<RawRequirement>>) -> Vec<Spanned<RawRequirement>> {
    docs.into_iter()
        .map(|d| {
            let mut d = d.into_inner();
            d.deadline = d.deadline.map(|x| inherited(x.into_inner()));
            inherited(d)
        })
        .collect()
}
