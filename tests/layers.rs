//! Layer order: imports only point down the pipeline. A module may name a
//! module of its own layer or a lower one, never a higher one, and modules
//! must not name each other in a loop, within a layer or across layers.
//! Inside one top-level module, sibling files must not loop either (a file
//! and its parent's `mod.rs` may: that is how Rust modules are built).
//!
//! Sources are parsed with `syn`, so nothing is missed by reading lines:
//! grouped imports (`use crate::{a, b::{c}}`), `super::`/`self::` paths,
//! `crate::x::y` paths in code, types, macros and attributes are all followed
//! to the top-level module they name, across the whole of every file. Only
//! items compiled for tests alone (`#[cfg(test)]`, also `#[path]` test files)
//! are left out, because unit tests may reach anywhere for their fixtures.
//! A module missing from [`LAYERS`], a name in [`LAYERS`] that no longer
//! exists, a file in `src/` that no `mod` declares, or a `crate::` path that
//! names nothing known all fail: the table must describe the code exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::visit::{self, Visit};

/// THE layer table, lowest first: edit it when a module is added or moved
/// (the same order is written in `src/lib.rs`'s opening comment).
/// `lib` is the crate root's own items (`VERSION`), which every layer may
/// name; `main` is the binary, which names the library as `tlkc::`.
const LAYERS: &[&[&str]] = &[
    &[
        "lib", "text", "decree30", "time", "hash", "fsguard", "fsstat",
    ],
    &["facts", "findings"],
    &["config", "rules"],
    &["discover"],
    &["inspect"],
    &["checks", "evaluate"],
    &["index", "bag"],
    &["run"],
    &["trail"],
    &["report"],
    &["server"],
    &["app", "cli", "init", "docgen", "main"],
];

#[test]
fn imports_only_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let report = check(&src, LAYERS);
    // The house drawn from the imports (`-- --nocapture` shows it), top layer first.
    for (n, layer) in LAYERS.iter().enumerate().rev() {
        for m in *layer {
            let names: Vec<&str> = report
                .edges
                .iter()
                .filter(|(f, _)| f == m)
                .map(|(_, t)| t.as_str())
                .collect();
            println!("{n} {m} → {}", names.join(" "));
        }
    }
    assert!(
        report.edges.len() > 50,
        "only {} cross-module references found under {}: is the parser reading the sources?",
        report.edges.len(),
        src.display()
    );
    assert!(
        report.problems.is_empty(),
        "the layer order is broken (table: LAYERS in tests/layers.rs):\n{}",
        report.problems.join("\n")
    );
}

/// What [`check`] found.
struct Report {
    /// Distinct (from, to) pairs of top-level modules.
    edges: BTreeSet<(String, String)>,
    problems: Vec<String>,
}

/// Read the crate under `src` and hold it against `layers`.
fn check(src: &Path, layers: &[&[&str]]) -> Report {
    let krate = Crate::read(src);
    let mut problems = krate.problems.clone();
    let layer_of = |m: &str| layers.iter().position(|l| l.contains(&m));

    // Every module in the code is in the table, every name in the table is in the code.
    for m in &krate.tops {
        if layer_of(m).is_none() {
            problems.push(format!(
                "module `{m}` is not in LAYERS: add it to the layer it belongs to"
            ));
        }
    }
    for m in layers.iter().flat_map(|l| l.iter()) {
        if !krate.tops.contains(*m) {
            problems.push(format!(
                "LAYERS lists `{m}`, which src/ does not have: remove it"
            ));
        }
    }

    // Top-level edges: (from, to) → first place.
    let mut top: BTreeMap<(String, String), String> = BTreeMap::new();
    // Sibling edges inside one top-level module: ("rules::extend", "rules::load") → first place.
    let mut sibling: BTreeMap<(String, String), String> = BTreeMap::new();
    for r in &krate.refs {
        let to = match krate.target(&r.to) {
            Ok(t) => t,
            Err(why) => {
                problems.push(format!("{}: {why}", r.at));
                continue;
            }
        };
        let from = match (r.root.as_str(), r.from.first()) {
            ("lib", Some(top)) => top.clone(),
            (root, _) => root.to_string(),
        };
        if from != to[0] {
            top.entry((from, to[0].clone()))
                .or_insert_with(|| r.at.clone());
        } else if r.root == "lib" && r.from.len() >= 2 && to.len() >= 2 && r.from[1] != to[1] {
            sibling
                .entry((r.from[..2].join("::"), to[..2].join("::")))
                .or_insert_with(|| r.at.clone());
        }
    }

    for ((from, to), at) in &top {
        if let (Some(f), Some(t)) = (layer_of(from), layer_of(to)) {
            if t > f {
                problems.push(format!(
                    "{at}: {from} (layer {f}) names {to} (layer {t}): an import pointing up"
                ));
            }
        }
    }
    for cycle in cycles(&top) {
        problems.push(format!("modules in a loop: {}", describe(&cycle, &top)));
    }
    for cycle in cycles(&sibling) {
        problems.push(format!("files in a loop: {}", describe(&cycle, &sibling)));
    }
    Report {
        edges: top.into_keys().collect(),
        problems,
    }
}

/// `a → b (where) → a (where)` for one strongly connected set.
fn describe(cycle: &[String], edges: &BTreeMap<(String, String), String>) -> String {
    let set: BTreeSet<&String> = cycle.iter().collect();
    edges
        .iter()
        .filter(|((f, t), _)| set.contains(f) && set.contains(t))
        .map(|((f, t), at)| format!("{f} → {t} ({at})"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Strongly connected sets of more than one node (Tarjan).
fn cycles(edges: &BTreeMap<(String, String), String>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (f, t) in edges.keys() {
        next.entry(f).or_default().push(t);
        next.entry(t).or_default();
    }
    struct Tarjan<'a> {
        next: &'a BTreeMap<&'a str, Vec<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for &w in &self.next[v] {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut set = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    set.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    self.out.push(set);
                }
            }
        }
    }
    let mut t = Tarjan {
        next: &next,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in next.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out
}

/// One path into the library found in a source file.
struct Ref {
    /// The module it is written in (empty: the crate root).
    from: Vec<String>,
    /// `lib` or `main`: the crate it is written in, for references from a root.
    root: String,
    /// The path it names, from the library's root.
    to: Vec<String>,
    /// `src/x.rs:12`.
    at: String,
}

/// What was read from `src/`.
#[derive(Default)]
struct Crate {
    /// Top-level modules of the library, plus `lib` (the root's items) and `main`.
    tops: BTreeSet<String>,
    /// Every module of the library, as a path from the root.
    modules: BTreeSet<Vec<String>>,
    /// Items defined in `src/lib.rs` itself (not modules, not imports).
    root_items: BTreeSet<String>,
    /// `use` in `src/lib.rs`: name → the path it stands for.
    root_aliases: BTreeMap<String, Vec<String>>,
    refs: Vec<Ref>,
    /// Files reached through `mod` declarations (test-only ones included).
    reached: BTreeSet<PathBuf>,
    problems: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Lib,
    Main,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut c = Crate::default();
        let lib = src.join("lib.rs");
        if lib.is_file() {
            c.tops.insert("lib".into());
            c.walk_file(src, &lib, Which::Lib, Vec::new(), src.to_path_buf());
        } else {
            c.problems.push(format!("{} not found", lib.display()));
        }
        let main = src.join("main.rs");
        if main.is_file() {
            c.tops.insert("main".into());
            c.walk_file(src, &main, Which::Main, Vec::new(), src.to_path_buf());
        }
        for file in rs_files(src) {
            if !c.reached.contains(&file) {
                c.problems.push(format!(
                    "{}: no `mod` declares this file, so it is never compiled: declare it or delete it",
                    rel(src, &file)
                ));
            }
        }
        c
    }

    fn walk_file(
        &mut self,
        src: &Path,
        file: &Path,
        which: Which,
        module: Vec<String>,
        dir: PathBuf,
    ) {
        self.reached.insert(file.to_path_buf());
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(format!("{}: {e}", rel(src, file)));
                return;
            }
        };
        let parsed = match syn::parse_file(&text) {
            Ok(f) => f,
            Err(e) => {
                let at = e.span().start();
                self.problems.push(format!(
                    "{}:{}: does not parse: {e}",
                    rel(src, file),
                    at.line
                ));
                return;
            }
        };
        if which == Which::Lib && module.is_empty() {
            self.read_root(&parsed.items);
        }
        let mut w = Walker {
            krate: self,
            src,
            which,
            file: file.to_path_buf(),
            module,
            dir,
            inline: false,
        };
        for attr in &parsed.attrs {
            w.visit_attribute(attr);
        }
        for item in &parsed.items {
            w.visit_item(item);
        }
    }

    /// The root's own items and aliases, and the top-level modules.
    fn read_root(&mut self, items: &[syn::Item]) {
        for item in items {
            if test_only(attrs(item)) {
                continue;
            }
            match item {
                syn::Item::Mod(m) => {
                    let name = m.ident.unraw().to_string();
                    self.tops.insert(name);
                }
                syn::Item::Use(u) => {
                    let mut leaves = Vec::new();
                    use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
                    for (path, alias, _) in leaves {
                        if let (Some(alias), Some(to)) = (
                            alias,
                            resolve(Which::Lib, &[], &path, u.leading_colon.is_some()),
                        ) {
                            self.root_aliases.insert(alias, to);
                        }
                    }
                }
                other => {
                    if let Some(name) = item_name(other) {
                        self.root_items.insert(name);
                    }
                }
            }
        }
    }

    /// The module a library path lands in: `[top]` or `[top, sub]` when `sub` is a module.
    fn target(&self, path: &[String]) -> Result<Vec<String>, String> {
        let mut path = path.to_vec();
        for _ in 0..8 {
            let Some(first) = path.first() else {
                return Ok(vec!["lib".into()]);
            };
            if self.tops.contains(first) && first != "lib" && first != "main" {
                let mut out = vec![first.clone()];
                if path.len() >= 2 && self.modules.contains(&path[..2]) {
                    out.push(path[1].clone());
                }
                return Ok(out);
            }
            if self.root_items.contains(first) {
                return Ok(vec!["lib".into()]);
            }
            match self.root_aliases.get(first) {
                Some(to) => path = to.iter().chain(&path[1..]).cloned().collect(),
                None => {
                    return Err(format!(
                        "`crate::{}` names neither a module nor an item of src/lib.rs",
                        path.join("::")
                    ))
                }
            }
        }
        Err(format!(
            "`crate::{}`: aliases in src/lib.rs loop",
            path.join("::")
        ))
    }
}

/// Walks one module's items, following `mod` into other files.
struct Walker<'k> {
    krate: &'k mut Crate,
    src: &'k Path,
    which: Which,
    file: PathBuf,
    module: Vec<String>,
    /// Where the current module's `mod x;` files live.
    dir: PathBuf,
    /// Inside a `mod x { … }` block (a `#[path]` is then relative to `dir`).
    inline: bool,
}

impl Walker<'_> {
    /// The file `mod name;` reads, and where that file's own `mod`s live.
    fn mod_file(&self, name: &str, attrs: &[syn::Attribute]) -> (PathBuf, PathBuf) {
        match path_attr(attrs) {
            // A `#[path]` file is read like a `mod.rs`: its own `mod`s sit beside it.
            Some(p) => {
                let base = match (self.inline, self.file.parent()) {
                    (false, Some(parent)) => parent.to_path_buf(),
                    _ => self.dir.clone(),
                };
                let f = base.join(p);
                let d = f.parent().unwrap_or(&base).to_path_buf();
                (f, d)
            }
            None => {
                let flat = self.dir.join(format!("{name}.rs"));
                if flat.is_file() {
                    (flat, self.dir.join(name))
                } else {
                    (self.dir.join(name).join("mod.rs"), self.dir.join(name))
                }
            }
        }
    }

    fn at(&self, span: proc_macro2::Span) -> String {
        format!("{}:{}", rel(self.src, &self.file), span.start().line)
    }

    fn record(&mut self, segs: &[String], leading_colon: bool, span: proc_macro2::Span) {
        // In the root, a bare name is a module or item of the root only if it is
        // one (`run::check`); otherwise it is std's or another crate's (`Vec`, `env!`).
        let bare = !leading_colon
            && segs
                .first()
                .is_some_and(|f| !matches!(f.as_str(), "crate" | "self" | "super"));
        if self.which == Which::Lib && self.module.is_empty() && bare {
            let k = &self.krate;
            let first = &segs[0];
            let known = (k.tops.contains(first) && first != "lib" && first != "main")
                || k.root_items.contains(first)
                || k.root_aliases.contains_key(first);
            if !known {
                return;
            }
        }
        if let Some(to) = resolve(self.which, &self.module, segs, leading_colon) {
            let at = self.at(span);
            self.krate.refs.push(Ref {
                from: self.module.clone(),
                root: if self.which == Which::Lib {
                    "lib"
                } else {
                    "main"
                }
                .into(),
                to,
                at,
            });
        }
    }

    /// `mod x;` or `mod x { … }`.
    fn module(&mut self, m: &syn::ItemMod) {
        let name = m.ident.unraw().to_string();
        let mut module = self.module.clone();
        module.push(name.clone());
        if self.which == Which::Lib {
            self.krate.modules.insert(module.clone());
        }
        match &m.content {
            Some((_, items)) => {
                let saved_module = std::mem::replace(&mut self.module, module);
                let saved_dir = self.dir.clone();
                let saved_inline = std::mem::replace(&mut self.inline, true);
                self.dir = match path_attr(&m.attrs) {
                    Some(p) => self.dir.join(p),
                    None => self.dir.join(&name),
                };
                for item in items {
                    self.visit_item(item);
                }
                self.module = saved_module;
                self.dir = saved_dir;
                self.inline = saved_inline;
            }
            None => {
                let (file, dir) = self.mod_file(&name, &m.attrs);
                if !file.is_file() {
                    let at = self.at(m.ident.span());
                    self.krate.problems.push(format!(
                        "{at}: `mod {name};` but {} is missing",
                        file.display()
                    ));
                    return;
                }
                self.krate
                    .walk_file(self.src, &file, self.which, module, dir);
            }
        }
    }

    /// Paths written inside token streams (macro bodies, attributes).
    fn tokens(&mut self, ts: TokenStream, in_attribute: bool) {
        let tokens: Vec<TokenTree> = ts.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(g) => self.tokens(g.stream(), in_attribute),
                TokenTree::Literal(l) if in_attribute => {
                    // `#[serde(with = "crate::time::x")]` names a module in a string.
                    let s = l.to_string();
                    if let Some(body) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                        for start in ["crate::", "super::", "self::"] {
                            for (k, _) in body.match_indices(start) {
                                let segs: Vec<String> = body[k..]
                                    .split("::")
                                    .map(|s| {
                                        s.chars()
                                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                                            .collect::<String>()
                                    })
                                    .take_while(|s| !s.is_empty())
                                    .collect();
                                self.record(&segs, false, l.span());
                            }
                        }
                    }
                }
                TokenTree::Ident(id) => {
                    let name = id.to_string();
                    let starts = matches!(name.as_str(), "crate" | "super" | "self")
                        || (self.which == Which::Main && name == "tlkc");
                    let after_colons = i >= 2 && is_colon2(&tokens[i - 2], &tokens[i - 1]);
                    if starts && !after_colons {
                        let mut segs = vec![name];
                        let mut j = i + 1;
                        while j + 2 < tokens.len() && is_colon2(&tokens[j], &tokens[j + 1]) {
                            match &tokens[j + 2] {
                                TokenTree::Ident(next) => segs.push(next.to_string()),
                                _ => break,
                            }
                            j += 3;
                        }
                        if segs.len() >= 2 {
                            self.record(&segs, false, id.span());
                        }
                        i = j;
                        continue;
                    }
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
            i += 1;
        }
    }
}

fn is_colon2(a: &TokenTree, b: &TokenTree) -> bool {
    matches!((a, b), (TokenTree::Punct(p), TokenTree::Punct(q))
        if p.as_char() == ':' && q.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint)
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        if test_only(attrs(i)) {
            // Not compiled outside tests; its file still belongs to the tree.
            if let syn::Item::Mod(m) = i {
                if m.content.is_none() {
                    let (f, _) = self.mod_file(&m.ident.unraw().to_string(), &m.attrs);
                    mark_tree(self.krate, &f);
                }
            }
            return;
        }
        visit::visit_item(self, i);
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        let attrs = match i {
            syn::ImplItem::Const(x) => &x.attrs[..],
            syn::ImplItem::Fn(x) => &x.attrs[..],
            syn::ImplItem::Type(x) => &x.attrs[..],
            syn::ImplItem::Macro(x) => &x.attrs[..],
            _ => &[],
        };
        if !test_only(attrs) {
            visit::visit_impl_item(self, i);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        for a in &m.attrs {
            self.visit_attribute(a);
        }
        self.module(m);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        // `use` in the library's root only makes aliases (read by `read_root`).
        if self.which == Which::Lib && self.module.is_empty() {
            return;
        }
        let mut leaves = Vec::new();
        use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
        for (path, _, span) in leaves {
            self.record(&path, u.leading_colon.is_some(), span);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segs: Vec<String> = p
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
        if let Some(first) = p.segments.first() {
            self.record(&segs, p.leading_colon.is_some(), first.ident.span());
        }
        visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.visit_path(&m.path);
        self.tokens(m.tokens.clone(), false);
    }

    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        // Doc comments link for readers; they are not a dependency.
        if a.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::List(l) = &a.meta {
            self.tokens(l.tokens.clone(), true);
        }
        if let syn::Meta::NameValue(nv) = &a.meta {
            self.tokens(quote_expr(&nv.value), true);
        }
    }
}

fn quote_expr(e: &syn::Expr) -> TokenStream {
    match e {
        syn::Expr::Lit(l) => TokenTree::Literal(match &l.lit {
            syn::Lit::Str(s) => proc_macro2::Literal::string(&s.value()),
            _ => return TokenStream::new(),
        })
        .into(),
        _ => TokenStream::new(),
    }
}

/// A test-only file and the files it declares: reached, not read.
fn mark_tree(krate: &mut Crate, file: &Path) {
    krate.reached.insert(file.to_path_buf());
    // Its own `mod x;` files sit beside a `mod.rs`, or in a folder named after the file.
    let children = if file.ends_with("mod.rs") {
        file.parent().map(Path::to_path_buf)
    } else {
        Some(file.with_extension(""))
    };
    for f in children.map(|d| rs_files(&d)).unwrap_or_default() {
        krate.reached.insert(f);
    }
}

/// The library path `segs` names when written in `module` of `which`, or
/// None when it leaves the library (std, other crates, the binary's own items).
fn resolve(
    which: Which,
    module: &[String],
    segs: &[String],
    leading_colon: bool,
) -> Option<Vec<String>> {
    let first = segs.first()?.as_str();
    if leading_colon {
        // `::tlkc::x` from the binary; `::x` is another crate.
        return (which == Which::Main && first == "tlkc").then(|| segs[1..].to_vec());
    }
    match (which, first) {
        (Which::Lib, "crate") => Some(segs[1..].to_vec()),
        (Which::Main, "tlkc") => Some(segs[1..].to_vec()),
        (Which::Main, _) => None,
        (Which::Lib, "self" | "super") => {
            let mut base = module.to_vec();
            let mut rest = segs;
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "self" => {}
                    "super" => {
                        base.pop()?;
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            Some(base)
        }
        // In the root, a bare name may be a module (`run::check`); elsewhere it is
        // a local or imported name (its `use` is recorded) or another crate.
        (Which::Lib, _) if module.is_empty() => Some(segs.to_vec()),
        _ => None,
    }
}

/// Leaves of a use tree: (path, name it binds, span of the first segment).
fn use_leaves(
    tree: &syn::UseTree,
    prefix: &mut Vec<(String, proc_macro2::Span)>,
    out: &mut Vec<(Vec<String>, Option<String>, proc_macro2::Span)>,
) {
    let done = |prefix: &Vec<(String, proc_macro2::Span)>,
                last: Option<(String, proc_macro2::Span)>,
                alias: Option<String>,
                out: &mut Vec<_>| {
        let mut segs: Vec<String> = prefix.iter().map(|(s, _)| s.clone()).collect();
        let mut span = prefix.first().map(|(_, sp)| *sp);
        if let Some((s, sp)) = last {
            span.get_or_insert(sp);
            segs.push(s);
        }
        if let Some(span) = span {
            out.push((segs, alias, span));
        }
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push((p.ident.unraw().to_string(), p.ident.span()));
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.unraw().to_string();
            if name == "self" {
                let alias = prefix.last().map(|(s, _)| s.clone());
                done(prefix, None, alias, out);
            } else {
                done(
                    prefix,
                    Some((name.clone(), n.ident.span())),
                    Some(name),
                    out,
                );
            }
        }
        syn::UseTree::Rename(r) => {
            let name = r.ident.unraw().to_string();
            let alias = Some(r.rename.unraw().to_string());
            if name == "self" {
                done(prefix, None, alias, out);
            } else {
                done(prefix, Some((name, r.ident.span())), alias, out);
            }
        }
        syn::UseTree::Glob(_) => done(prefix, None, None, out),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_leaves(t, prefix, out);
            }
        }
    }
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item::*;
    match item {
        Const(x) => &x.attrs,
        Enum(x) => &x.attrs,
        ExternCrate(x) => &x.attrs,
        Fn(x) => &x.attrs,
        ForeignMod(x) => &x.attrs,
        Impl(x) => &x.attrs,
        Macro(x) => &x.attrs,
        Mod(x) => &x.attrs,
        Static(x) => &x.attrs,
        Struct(x) => &x.attrs,
        Trait(x) => &x.attrs,
        TraitAlias(x) => &x.attrs,
        Type(x) => &x.attrs,
        Union(x) => &x.attrs,
        Use(x) => &x.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module.
fn item_name(item: &syn::Item) -> Option<String> {
    use syn::Item::*;
    let id = match item {
        Const(x) => &x.ident,
        Enum(x) => &x.ident,
        Fn(x) => &x.sig.ident,
        Static(x) => &x.ident,
        Struct(x) => &x.ident,
        Trait(x) => &x.ident,
        TraitAlias(x) => &x.ident,
        Type(x) => &x.ident,
        Union(x) => &x.ident,
        Macro(x) => x.ident.as_ref()?,
        _ => return None,
    };
    Some(id.unraw().to_string())
}

/// `#[cfg(test)]`, `#[cfg(all(test, …))]`: compiled only for unit tests.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    fn needs_test(m: &syn::Meta) -> bool {
        match m {
            syn::Meta::Path(p) => p.is_ident("test"),
            syn::Meta::List(l) => {
                let Ok(args) = l.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                ) else {
                    return false;
                };
                if l.path.is_ident("all") {
                    args.iter().any(needs_test)
                } else if l.path.is_ident("any") {
                    !args.is_empty() && args.iter().all(needs_test)
                } else {
                    false
                }
            }
            syn::Meta::NameValue(_) => false,
        }
    }
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Meta>().is_ok_and(|m| needs_test(&m))
    })
}

/// `#[path = "x.rs"]`.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(src: &Path, file: &Path) -> String {
    let r = file.strip_prefix(src).unwrap_or(file);
    format!("src/{}", r.to_string_lossy().replace('\\', "/"))
}

/// The checker itself is tested on planted sources: each plants one way of
/// fooling a line reader and asserts the problem is reported.
mod planted {
    use super::*;

    const TWO: &[&[&str]] = &[&["lib", "low"], &["high"]];

    fn run(files: &[(&str, &str)], layers: &[&[&str]]) -> Vec<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        check(dir.path(), layers).problems
    }

    const LIB: (&str, &str) = (
        "lib.rs",
        "pub const VERSION: &str = \"1\";\npub mod low;\npub mod high;\n",
    );
    const HIGH: (&str, &str) = (
        "high.rs",
        "pub struct Thing;\npub const NAME: &str = \"x\";\npub fn f() -> u32 { crate::low::n() + crate::VERSION.len() as u32 }\n",
    );

    fn low(text: &str) -> (&'static str, String) {
        ("low.rs", format!("pub fn n() -> u32 {{ 1 }}\n{text}"))
    }

    fn with_low(text: &str) -> Vec<String> {
        let (name, body) = low(text);
        run(&[LIB, HIGH, (name, &body)], TWO)
    }

    #[test]
    fn a_clean_tree_passes() {
        assert_eq!(with_low(""), Vec::<String>::new());
    }

    #[test]
    fn a_grouped_upward_import_fails() {
        let p = with_low("use crate::{high::{Thing, NAME}, VERSION};\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("src/low.rs:2: low (layer 0) names high (layer 1)"),
            "{p:?}"
        );
        assert!(p[1].starts_with("modules in a loop: high → low"), "{p:?}");
    }

    #[test]
    fn an_upward_import_below_a_test_module_fails_and_the_test_module_does_not() {
        let p = with_low(
            "#[cfg(test)]\nmod tests {\n    use crate::high::Thing;\n}\n\npub fn g() -> &'static str {\n    crate::high::NAME\n}\n",
        );
        assert!(
            p.iter()
                .any(|x| x.starts_with("src/low.rs:8: low (layer 0) names high")),
            "{p:?}"
        );
        assert!(!p.iter().any(|x| x.contains("low.rs:4")), "{p:?}");
        // The test module alone is fine.
        let p = with_low("#[cfg(all(test, unix))]\nmod tests {\n    use crate::high::Thing;\n}\n");
        assert_eq!(p, Vec::<String>::new());
    }

    #[test]
    fn super_paths_macros_and_inline_modules_are_followed() {
        for body in [
            "pub mod inner {\n    use super::super::high;\n}\n",
            "pub fn g() -> String {\n    format!(\"{}\", crate::high::NAME)\n}\n",
            "mod inner {\n    pub fn t() -> Option<super::super::high::Thing> { None }\n}\n",
            "#[derive(Default)]\n#[allow(dead_code)]\nstruct S { #[doc = \"x\"] a: Vec<crate::high::Thing> }\n",
            "pub use crate::high::{self as h};\npub use crate::high::Thing as T;\n",
        ] {
            let p = with_low(body);
            assert!(
                p.iter().any(|x| x.contains("low (layer 0) names high (layer 1)")),
                "{body}: {p:?}"
            );
        }
    }

    #[test]
    fn a_path_test_file_is_skipped_but_a_path_module_is_read() {
        let files = [
            LIB,
            HIGH,
            (
                "low.rs",
                "#[cfg(test)]\n#[path = \"low_tests.rs\"]\nmod tests;\n#[path = \"impl_low.rs\"]\nmod imp;\npub fn n() -> u32 { imp::one() }\n",
            ),
            ("low_tests.rs", "use crate::high::Thing;\n"),
            ("impl_low.rs", "pub fn one() -> u32 { let _ = crate::high::NAME; 1 }\n"),
        ];
        let p = run(&files, TWO);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("src/impl_low.rs:1: low (layer 0) names high"),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_and_stale_modules_fail() {
        let lib = ("lib.rs", "pub mod low;\npub mod high;\npub mod extra;\n");
        let files = [
            lib,
            HIGH,
            ("low.rs", "pub fn n() -> u32 { 1 }\n"),
            ("extra.rs", ""),
        ];
        let layers: &[&[&str]] = &[&["lib", "low", "ledger"], &["high"]];
        let p = run(&files, layers);
        assert!(
            p.iter()
                .any(|x| x.contains("module `extra` is not in LAYERS")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|x| x.contains("LAYERS lists `ledger`")),
            "{p:?}"
        );
        // high names `crate::VERSION`, which this lib.rs does not define.
        assert!(
            p.iter()
                .any(|x| x.contains("`crate::VERSION` names neither a module nor an item")),
            "{p:?}"
        );
    }

    #[test]
    fn a_file_no_mod_declares_fails() {
        let (name, body) = low("");
        let p = run(&[LIB, HIGH, (name, &body), ("low/orphan.rs", "")], TWO);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("src/low/orphan.rs: no `mod` declares"),
            "{p:?}"
        );
    }

    #[test]
    fn a_loop_within_a_layer_and_between_sibling_files_fails() {
        let layers: &[&[&str]] = &[&["lib", "low", "high"]];
        let p = with_layers_low("use crate::high::Thing;\n", layers);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("modules in a loop: high → low"), "{p:?}");

        let files = [
            LIB,
            HIGH,
            (
                "low/mod.rs",
                "mod a;\nmod b;\npub fn n() -> u32 { a::x() }\n",
            ),
            ("low/a.rs", "pub fn x() -> u32 { super::b::y() }\n"),
            (
                "low/b.rs",
                "use super::a;\npub fn y() -> u32 { let _ = a::x; 1 }\n",
            ),
        ];
        let p = run(&files, TWO);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("files in a loop: low::a → low::b"),
            "{p:?}"
        );
    }

    #[test]
    fn root_aliases_and_the_binary_are_followed() {
        let lib = (
            "lib.rs",
            "pub const VERSION: &str = \"1\";\npub mod low;\npub mod high;\npub use high::Thing;\n",
        );
        let (name, body) = low("pub fn t() -> Option<crate::Thing> { None }\n");
        let p = run(&[lib, HIGH, (name, &body)], TWO);
        assert!(
            p.iter().any(|x| x.contains("low (layer 0) names high")),
            "{p:?}"
        );

        let main = ("main.rs", "fn main() { let _ = tlkc::high::NAME; }\n");
        let (name, body) = low("");
        let p = run(
            &[LIB, HIGH, (name, &body), main],
            &[&["lib", "low", "high"], &["main"]],
        );
        assert_eq!(p, Vec::<String>::new());
        let p = run(
            &[LIB, HIGH, (name, &body), main],
            &[&["lib", "low", "high", "main"]],
        );
        assert_eq!(p, Vec::<String>::new(), "one layer, no loop");
        let p = run(
            &[LIB, HIGH, (name, &body), main],
            &[&["lib", "low", "main"], &["high"]],
        );
        assert!(
            p.iter()
                .any(|x| x.starts_with("src/main.rs:1: main (layer 0) names high")),
            "{p:?}"
        );
    }

    fn with_layers_low(text: &str, layers: &[&[&str]]) -> Vec<String> {
        let (name, body) = low(text);
        run(&[LIB, HIGH, (name, &body)], layers)
    }
}
