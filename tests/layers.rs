//! Layer order: imports only point down the pipeline. A module may name a
//! module of its own layer or a lower one, never a higher one, and two modules
//! of one layer must not name each other (that is a cycle).
//! The order is the one in `src/lib.rs`'s opening comment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first. `ledger` sits with `index`: the same database.
const LAYERS: &[&[&str]] = &[
    &["text", "decree30", "time", "hash", "fsguard"],
    &["facts", "findings"],
    &["config", "rules"],
    &["discover"],
    &["inspect"],
    &["checks", "evaluate"],
    &["index", "ledger", "bag"],
    &["run"],
    &["trail"],
    &["report"],
    &["server"],
    &["app", "cli", "init", "docgen", "main", "lib"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// (importing top-level module, imported top-level module) → first file:line.
fn edges(src: &Path) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p
                .strip_prefix(src)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            let top = rel
                .split('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            // Unit tests may reach anywhere (fixtures); only shipped code is held to the order.
            let shipped = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in shipped.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for (i, _) in line.match_indices("crate::") {
                    let name: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if name != top && layer_of(&name).is_some() {
                        out.entry((top.clone(), name))
                            .or_insert_with(|| format!("src/{rel}:{}", n + 1));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn imports_only_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&src);
    assert!(
        !edges.is_empty(),
        "no crate:: imports found under {}",
        src.display()
    );
    let mut upward = Vec::new();
    let mut unknown = BTreeSet::new();
    for ((from, to), at) in &edges {
        match (layer_of(from), layer_of(to)) {
            (Some(f), Some(t)) if t > f => upward.push(format!("{at}: {from} → {to}")),
            (Some(f), Some(t)) if t == f && edges.contains_key(&(to.clone(), from.clone())) => {
                upward.push(format!("{at}: {from} ↔ {to} (cycle within a layer)"))
            }
            (None, _) => {
                unknown.insert(from.clone());
            }
            _ => {}
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from LAYERS: {unknown:?}"
    );
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}
