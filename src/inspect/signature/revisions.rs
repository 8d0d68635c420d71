//! What changed after a signature: the signed revision (`bytes[..b+c]`) is
//! loaded as its own document and compared object by object with the final
//! document. Later signatures, document timestamps, validation data (DSS)
//! and their appearances are allowed; anything touching pages, content,
//! annotations, form values or the catalog is not (incremental saving and
//! shadow attacks live there).

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::facts::ModifiedAfter;

#[derive(Debug, Clone, Default)]
pub struct Diff {
    pub modified: Option<ModifiedAfter>,
    pub changes: Vec<String>,
    pub notes: Vec<String>,
}

pub struct Revisions<'a> {
    bytes: &'a [u8],
    doc: Option<&'a Document>,
    cache: HashMap<usize, Diff>,
    roles: Option<Roles>,
}

/// Largest decompressed stream when loading a signed revision.
const MAX_STREAM: usize = 32 << 20;
/// Objects visited when collecting what an allowed root reaches.
const MAX_REACH: usize = 20_000;

impl<'a> Revisions<'a> {
    pub fn new(bytes: &'a [u8], doc: Option<&'a Document>) -> Self {
        Revisions {
            bytes,
            doc,
            cache: HashMap::new(),
            roles: None,
        }
    }

    pub fn compare(&mut self, end: usize) -> Diff {
        if self.bytes[end.min(self.bytes.len())..]
            .iter()
            .all(|b| b.is_ascii_whitespace() || *b == 0)
        {
            return Diff {
                modified: Some(ModifiedAfter::None),
                ..Default::default()
            };
        }
        if let Some(d) = self.cache.get(&end) {
            return d.clone();
        }
        let d = self.compute(end);
        self.cache.insert(end, d.clone());
        d
    }

    fn compute(&mut self, end: usize) -> Diff {
        let Some(new) = self.doc else {
            return Diff {
                notes: vec![
                    "later changes cannot be assessed: the file could not be loaded".into(),
                ],
                ..Default::default()
            };
        };
        let opts = lopdf::LoadOptions {
            max_decompressed_size: Some(MAX_STREAM),
            ..Default::default()
        };
        let old = match Document::load_mem_with_options(&self.bytes[..end], opts) {
            Ok(d) => d,
            Err(e) => {
                return Diff {
                    notes: vec![format!(
                        "later changes cannot be assessed: the signed revision does not load ({e})"
                    )],
                    ..Default::default()
                }
            }
        };
        let roles = self.roles.get_or_insert_with(|| Roles::of(new));
        diff(&old, new, roles)
    }
}

/// What each object of the final document is for.
struct Roles {
    catalog: Option<ObjectId>,
    acroform: Option<ObjectId>,
    info: Option<ObjectId>,
    metadata: Option<ObjectId>,
    pages: BTreeMap<ObjectId, u32>,
    page_tree: HashSet<ObjectId>,
    sig_values: HashSet<ObjectId>,
    sig_fields: HashSet<ObjectId>,
    /// Reached from signature appearances or from the DSS.
    allowed_reach: HashSet<ObjectId>,
    /// Reached from catalog or trailer entries outside the standard
    /// document structure: an object there is not only an appearance, so
    /// changing it is not only a signature update.
    side_reach: HashSet<ObjectId>,
    extensions: Option<ObjectId>,
}

/// Catalog entries whose subtrees are judged by their own rules.
const STANDARD_CATALOG_KEYS: &[&[u8]] = &[
    b"Type",
    b"Pages",
    b"AcroForm",
    b"DSS",
    b"Metadata",
    b"Extensions",
    b"Version",
    b"StructTreeRoot",
    b"MarkInfo",
    b"Lang",
    b"Perms",
];

fn dict_of(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn ref_of(d: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    d.get(key).ok().and_then(|o| o.as_reference().ok())
}

fn is_sig_value(d: &Dictionary) -> bool {
    d.has(b"ByteRange") || matches!(d.get_type(), Ok(b"Sig" | b"DocTimeStamp"))
}

fn is_sig_field(doc: &Document, d: &Dictionary) -> bool {
    let mut cur = Some(d);
    for _ in 0..16 {
        let Some(x) = cur else { break };
        if let Ok(ft) = x.get(b"FT").and_then(Object::as_name) {
            return ft == b"Sig";
        }
        cur = x
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    false
}

fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_refs(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| collect_refs(o, out)),
        _ => {}
    }
}

/// Objects reachable from `roots` without passing through a page or the
/// catalog (an appearance must not be a path back into the document).
fn reach(
    doc: &Document,
    roots: Vec<ObjectId>,
    stop: &HashSet<ObjectId>,
    out: &mut HashSet<ObjectId>,
) {
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if out.len() >= MAX_REACH || stop.contains(&id) || !out.insert(id) {
            continue;
        }
        if let Ok(o) = doc.get_object(id) {
            let mut refs = Vec::new();
            if let Some(d) = dict_of(o) {
                // /Parent and /P lead back to fields and pages.
                for (k, v) in d.iter() {
                    if k != b"Parent" && k != b"P" {
                        collect_refs(v, &mut refs);
                    }
                }
            } else {
                collect_refs(o, &mut refs);
            }
            stack.extend(refs);
        }
    }
}

impl Roles {
    fn of(doc: &Document) -> Roles {
        let catalog = ref_of(&doc.trailer, b"Root");
        let cat = catalog.and_then(|id| doc.get_dictionary(id).ok());
        let acroform = cat.and_then(|c| ref_of(c, b"AcroForm"));
        let metadata = cat.and_then(|c| ref_of(c, b"Metadata"));
        let info = ref_of(&doc.trailer, b"Info");
        let pages: BTreeMap<ObjectId, u32> =
            doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
        let mut page_tree = HashSet::new();
        for id in pages.keys() {
            let mut cur = Some(*id);
            for _ in 0..64 {
                let Some(c) = cur else { break };
                if !page_tree.insert(c) {
                    break;
                }
                cur = doc
                    .get_dictionary(c)
                    .ok()
                    .and_then(|d| ref_of(d, b"Parent"));
            }
        }
        let mut sig_values = HashSet::new();
        let mut sig_fields = HashSet::new();
        let mut roots = Vec::new();
        for (id, obj) in &doc.objects {
            let Some(d) = dict_of(obj) else { continue };
            if is_sig_value(d) && !d.has(b"FT") {
                sig_values.insert(*id);
            } else if is_sig_field(doc, d) {
                sig_fields.insert(*id);
                if let Ok(ap) = d.get(b"AP") {
                    collect_refs(ap, &mut roots);
                }
                if let Ok(v) = d.get(b"V") {
                    collect_refs(v, &mut roots);
                }
            }
        }
        // Widgets reached only through a field's /Kids (no /Parent back).
        let mut queue: Vec<ObjectId> = sig_fields.iter().copied().collect();
        while let Some(id) = queue.pop() {
            let Ok(d) = doc.get_dictionary(id) else {
                continue;
            };
            for k in refs_in_array(d, b"Kids", doc) {
                if sig_fields.len() < MAX_REACH && sig_fields.insert(k) {
                    if let Ok(w) = doc.get_dictionary(k) {
                        if let Ok(ap) = w.get(b"AP") {
                            collect_refs(ap, &mut roots);
                        }
                    }
                    queue.push(k);
                }
            }
        }
        if let Some(dss) = cat.and_then(|c| c.get(b"DSS").ok()) {
            collect_refs(dss, &mut roots);
        }
        let mut stop: HashSet<ObjectId> = page_tree.clone();
        stop.extend(catalog);
        stop.extend(acroform);
        let mut allowed_reach = HashSet::new();
        reach(doc, roots, &stop, &mut allowed_reach);
        let mut side_roots = Vec::new();
        for (k, v) in doc.trailer.iter() {
            if !matches!(
                k.as_slice(),
                b"Root" | b"Info" | b"Encrypt" | b"Prev" | b"XRefStm" | b"ID" | b"Size"
            ) {
                collect_refs(v, &mut side_roots);
            }
        }
        if let Some(c) = cat {
            for (k, v) in c.iter() {
                if !STANDARD_CATALOG_KEYS.contains(&k.as_slice()) {
                    collect_refs(v, &mut side_roots);
                }
            }
        }
        let mut side_reach = HashSet::new();
        reach(doc, side_roots, &stop, &mut side_reach);
        let extensions = cat.and_then(|c| ref_of(c, b"Extensions"));
        Roles {
            catalog,
            acroform,
            info,
            metadata,
            pages,
            page_tree,
            sig_values,
            sig_fields,
            allowed_reach,
            side_reach,
            extensions,
        }
    }
}

/// Equality that ignores how a number was written (612 vs 612.0).
fn same_value(a: &Object, b: &Object) -> bool {
    let num = |o: &Object| match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    };
    match (a, b) {
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-3,
            _ => a == b,
        },
    }
}

fn changed_keys(old: &Dictionary, new: &Dictionary) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in new.iter() {
        if !old.get(k).is_ok_and(|o| same_value(o, v)) {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
    }
    for (k, _) in old.iter() {
        if !new.has(k) {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
    }
    keys
}

fn refs_in_array(d: &Dictionary, key: &[u8], doc: &Document) -> Vec<ObjectId> {
    d.get_deref(key, doc)
        .ok()
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default()
}

fn field_name(doc: &Document, d: &Dictionary) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(d);
    for _ in 0..16 {
        let Some(x) = cur else { break };
        if let Ok(t) = x.get(b"T").and_then(Object::as_str) {
            parts.push(super::discovery::pdf_text(t));
        }
        cur = x
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    parts.reverse();
    if parts.is_empty() {
        "(unnamed)".into()
    } else {
        parts.join(".")
    }
}

/// Page attributes inherited from the page tree (PDF 32000-1 §7.7.3.4).
const INHERITABLE: &[&str] = &["MediaBox", "CropBox", "Rotate", "Resources"];

fn inherited<'d>(doc: &'d Document, page: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut cur = Some(page);
    for _ in 0..32 {
        let d = cur?;
        if let Ok(v) = d.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        cur = ref_of(d, b"Parent").and_then(|p| doc.get_dictionary(p).ok());
    }
    None
}

fn new_type(obj: &Object) -> Option<&[u8]> {
    dict_of(obj).and_then(|d| d.get_type().ok())
}

fn is_structural(obj: &Object) -> bool {
    matches!(
        dict_of(obj).and_then(|d| d.get_type().ok()),
        Some(b"XRef" | b"ObjStm")
    )
}

fn diff(old: &Document, new: &Document, roles: &Roles) -> Diff {
    let mut allowed: Vec<String> = Vec::new();
    let mut disallowed: Vec<String> = Vec::new();
    let old_pages = old.get_pages().len();
    let new_pages = new.get_pages().len();
    if new_pages > old_pages {
        disallowed.push(format!("{} page(s) added", new_pages - old_pages));
    } else if new_pages < old_pages {
        disallowed.push(format!("{} page(s) removed", old_pages - new_pages));
    }
    let page_no = |id: &ObjectId| roles.pages.get(id).copied();

    for (id, obj) in &new.objects {
        let prev = old.objects.get(id);
        if prev == Some(obj) || is_structural(obj) {
            continue;
        }
        let is_new = prev.is_none();
        if !is_new && roles.side_reach.contains(id) {
            disallowed.push(format!(
                "{}, which is also reachable from a non-standard catalog or trailer entry",
                describe(id, obj, new, "changed")
            ));
            continue;
        }
        if Some(*id) == roles.extensions {
            allowed.push("extensions declaration updated".into());
            continue;
        }
        if matches!(
            new_type(obj),
            Some(b"StructTreeRoot" | b"StructElem" | b"MarkInfo")
        ) {
            allowed.push("logical structure (tags) updated".into());
            continue;
        }
        if roles.sig_values.contains(id) {
            if is_new || prev.and_then(dict_of).is_some_and(|d| !is_sig_value(d)) {
                allowed.push("signature or document timestamp added".into());
            } else {
                disallowed.push(format!(
                    "the signature dictionary (object {}) of an earlier signature was changed",
                    id.0
                ));
            }
            continue;
        }
        if Some(*id) == roles.info {
            allowed.push("document information (/Info) updated".into());
            continue;
        }
        if Some(*id) == roles.metadata {
            allowed.push("XMP metadata updated".into());
            continue;
        }
        let new_d = dict_of(obj);
        let old_d = prev.and_then(dict_of);
        if Some(*id) == roles.catalog {
            if let (Some(o), Some(n)) = (old_d, new_d) {
                for k in changed_keys(o, n) {
                    match k.as_str() {
                        "DSS" => allowed.push("validation data (DSS) added".into()),
                        "AcroForm" => {
                            if n.get(b"AcroForm").is_ok_and(|a| a.as_reference().is_ok()) {
                                allowed.push("signature form reference updated".into());
                            } else {
                                check_acroform(
                                    o,
                                    n,
                                    old,
                                    new,
                                    roles,
                                    &mut allowed,
                                    &mut disallowed,
                                );
                            }
                        }
                        "Extensions" => allowed.push("extensions declaration updated".into()),
                        "Version" => allowed.push("PDF version raised".into()),
                        "Metadata" => allowed.push("XMP metadata updated".into()),
                        other => {
                            disallowed.push(format!("document catalog entry /{other} changed"))
                        }
                    }
                }
            } else {
                disallowed.push("document catalog replaced".into());
            }
            continue;
        }
        if Some(*id) == roles.acroform {
            if let (Some(o), Some(n)) = (old_d, new_d) {
                check_acroform_dict(o, n, old, new, roles, &mut allowed, &mut disallowed);
            } else {
                allowed.push("signature form added".into());
            }
            continue;
        }
        if roles.pages.contains_key(id) {
            let n = page_no(id).unwrap_or(0);
            match (old_d, new_d) {
                (Some(o), Some(nd)) => {
                    for k in changed_keys(o, nd) {
                        if k == "Annots" {
                            let before: HashSet<ObjectId> =
                                refs_in_array(o, b"Annots", old).into_iter().collect();
                            let after = refs_in_array(nd, b"Annots", new);
                            let after_set: HashSet<ObjectId> = after.iter().copied().collect();
                            if before.iter().any(|a| !after_set.contains(a)) {
                                disallowed.push(format!("annotation removed from page {n}"));
                            }
                            for a in after.iter().filter(|a| !before.contains(a)) {
                                if roles.sig_fields.contains(a) {
                                    allowed.push(format!("signature widget added on page {n}"));
                                } else {
                                    disallowed.push(format!("annotation added on page {n}"));
                                }
                            }
                        } else if INHERITABLE.contains(&k.as_str())
                            && match (
                                inherited(old, o, k.as_bytes()),
                                inherited(new, nd, k.as_bytes()),
                            ) {
                                (Some(a), Some(b)) => same_value(a, b),
                                _ => false,
                            }
                        {
                            // Same effective value, now written on the page.
                        } else {
                            disallowed.push(format!("page {n}: /{k} changed"));
                        }
                    }
                }
                _ => {
                    if !is_new {
                        disallowed.push(format!("page {n} replaced"));
                    }
                }
            }
            continue;
        }
        if roles.page_tree.contains(id) {
            disallowed.push("page tree changed".into());
            continue;
        }
        if roles.sig_fields.contains(id) {
            let name = new_d.map(|d| field_name(new, d)).unwrap_or_default();
            match (old_d, new_d) {
                (Some(o), Some(n)) => {
                    for k in changed_keys(o, n) {
                        match k.as_str() {
                            "V" if !o.has(b"V") => {
                                allowed.push(format!("signature field '{name}' signed"))
                            }
                            "V" => disallowed
                                .push(format!("the signature in field '{name}' was replaced")),
                            "AP" | "MK" => {
                                let mut old_refs = Vec::new();
                                if let Ok(ap) = o.get(b"AP") {
                                    collect_refs(ap, &mut old_refs);
                                }
                                let mut shared = HashSet::new();
                                reach(old, old_refs, &HashSet::new(), &mut shared);
                                if shared.iter().any(|r| roles.side_reach.contains(r)) {
                                    disallowed.push(format!(
                                        "the old appearance of signature field '{name}' is also reachable from a non-standard catalog or trailer entry"
                                    ));
                                } else {
                                    allowed.push(format!(
                                        "appearance of signature field '{name}' updated"
                                    ));
                                }
                            }
                            "F" | "DA" => allowed
                                .push(format!("display flags of signature field '{name}' updated")),
                            "Kids" => {
                                allowed.push(format!("signature field '{name}' widgets updated"))
                            }
                            other => disallowed
                                .push(format!("signature field '{name}': /{other} changed")),
                        }
                    }
                }
                _ => allowed.push(format!("signature field '{name}' added")),
            }
            continue;
        }
        if roles.allowed_reach.contains(id) {
            if is_new {
                allowed.push("signature appearance or validation data added".into());
            } else if matches!(obj, Object::Stream(_)) {
                allowed.push("signature appearance stream replaced".into());
            } else {
                disallowed.push(describe(id, obj, new, "changed"));
            }
            continue;
        }
        if is_new {
            // Unreferenced additions change nothing shown; referencing
            // them needs a change to an existing object, judged above.
            continue;
        }
        disallowed.push(describe(id, obj, new, "changed"));
    }
    for (id, obj) in &old.objects {
        if !new.objects.contains_key(id) && !is_structural(obj) {
            disallowed.push(describe(id, obj, old, "removed"));
        }
    }
    dedup(&mut allowed);
    dedup(&mut disallowed);
    let modified = if !disallowed.is_empty() {
        ModifiedAfter::Disallowed
    } else {
        ModifiedAfter::Allowed
    };
    let mut changes = disallowed;
    changes.extend(allowed.into_iter().map(|a| format!("allowed: {a}")));
    if changes.is_empty() {
        changes.push("allowed: an incremental update with no object changes".into());
    }
    let notes = if modified == ModifiedAfter::Disallowed {
        vec!["the document was changed after signing in ways a signature does not permit".into()]
    } else {
        Vec::new()
    };
    Diff {
        modified: Some(modified),
        changes,
        notes,
    }
}

fn check_acroform(
    o: &Dictionary,
    n: &Dictionary,
    old: &Document,
    new: &Document,
    roles: &Roles,
    allowed: &mut Vec<String>,
    disallowed: &mut Vec<String>,
) {
    let (Ok(oa), Ok(na)) = (
        o.get_deref(b"AcroForm", old).and_then(Object::as_dict),
        n.get_deref(b"AcroForm", new).and_then(Object::as_dict),
    ) else {
        allowed.push("signature form added".into());
        return;
    };
    check_acroform_dict(oa, na, old, new, roles, allowed, disallowed);
}

fn check_acroform_dict(
    o: &Dictionary,
    n: &Dictionary,
    old: &Document,
    new: &Document,
    roles: &Roles,
    allowed: &mut Vec<String>,
    disallowed: &mut Vec<String>,
) {
    for k in changed_keys(o, n) {
        match k.as_str() {
            "Fields" => {
                let before: HashSet<ObjectId> =
                    refs_in_array(o, b"Fields", old).into_iter().collect();
                let after = refs_in_array(n, b"Fields", new);
                let after_set: HashSet<ObjectId> = after.iter().copied().collect();
                if before.iter().any(|f| !after_set.contains(f)) {
                    disallowed.push("form field removed".into());
                }
                for f in after.iter().filter(|f| !before.contains(f)) {
                    if roles.sig_fields.contains(f) {
                        allowed.push("signature field added".into());
                    } else {
                        disallowed.push("form field added".into());
                    }
                }
            }
            "SigFlags" | "DR" | "DA" => allowed.push(format!("form /{k} updated")),
            other => disallowed.push(format!("form /{other} changed")),
        }
    }
}

fn describe(id: &ObjectId, obj: &Object, doc: &Document, verb: &str) -> String {
    let d = dict_of(obj);
    let ty = d
        .and_then(|d| d.get_type().ok())
        .map(|t| String::from_utf8_lossy(t).into_owned());
    let subtype = d
        .and_then(|d| d.get(b"Subtype").ok())
        .and_then(|s| s.as_name().ok())
        .map(|s| String::from_utf8_lossy(s).into_owned());
    if let Some(d) = d {
        if d.has(b"FT") || d.has(b"T") && d.has(b"V") {
            return format!("form field '{}' {verb}", field_name(doc, d));
        }
    }
    match (ty.as_deref(), subtype.as_deref(), obj) {
        (Some("Annot"), _, _) | (_, Some("Widget" | "Link" | "Text" | "FreeText" | "Stamp"), _) => {
            format!("annotation (object {}) {verb}", id.0)
        }
        (_, Some("Form"), _) => format!("form XObject (object {}) {verb}", id.0),
        (_, Some("Image"), _) => format!("image (object {}) {verb}", id.0),
        (Some("Font"), _, _) => format!("font (object {}) {verb}", id.0),
        (_, _, Object::Stream(_)) => format!("content stream (object {}) {verb}", id.0),
        (Some(t), _, _) => format!("{t} object {} {verb}", id.0),
        _ => format!("object {} {verb}", id.0),
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}
