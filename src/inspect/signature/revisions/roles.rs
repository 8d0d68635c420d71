//! What each object of the final document is for: the catalog, the form,
//! pages and the page tree, signature values and fields, and what is
//! reachable only from signature appearances or the DSS.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Objects visited when collecting what an allowed root reaches.
const MAX_REACH: usize = 20_000;

/// What each object of the final document is for.
pub(super) struct Roles {
    pub(super) catalog: Option<ObjectId>,
    pub(super) acroform: Option<ObjectId>,
    pub(super) info: Option<ObjectId>,
    pub(super) metadata: Option<ObjectId>,
    pub(super) pages: BTreeMap<ObjectId, u32>,
    pub(super) page_tree: HashSet<ObjectId>,
    pub(super) sig_values: HashSet<ObjectId>,
    pub(super) sig_fields: HashSet<ObjectId>,
    /// Reached from signature appearances or from the DSS.
    pub(super) allowed_reach: HashSet<ObjectId>,
    /// Reached from catalog or trailer entries outside the standard
    /// document structure: an object there is not only an appearance, so
    /// changing it is not only a signature update.
    pub(super) side_reach: HashSet<ObjectId>,
    pub(super) extensions: Option<ObjectId>,
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

pub(super) fn dict_of(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(super) fn ref_of(d: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    d.get(key).ok().and_then(|o| o.as_reference().ok())
}

pub(super) fn is_sig_value(d: &Dictionary) -> bool {
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

pub(super) fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
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
pub(super) fn reach(
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
    pub(super) fn of(doc: &Document) -> Roles {
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

pub(super) fn refs_in_array(d: &Dictionary, key: &[u8], doc: &Document) -> Vec<ObjectId> {
    d.get_deref(key, doc)
        .ok()
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default()
}
