//! What each object of one revision is for, decided by the path that
//! reaches it from the revision's roots (the trailer's /Root and /Info),
//! never by the /Type an object claims: the catalog, the form, the pages
//! and page-tree nodes (walked as a reader walks them), everything the
//! pages draw or carry (contents, resources, fonts and font programs,
//! XObjects, annotations, inherited attributes), signature fields and
//! their values, and the parts a later signer may touch (document
//! information, XMP metadata, extensions, tags, DSS, signature
//! appearances). The same computation runs on the signed revision and on
//! the final document; the comparison asks what an object WAS before
//! asking what it claims to be now.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::inspect::pages;

/// Objects visited when collecting what a root reaches.
const MAX_REACH: usize = 200_000;
/// Deepest field tree walked (field /Kids, widget /Parent chains).
const MAX_FIELD_DEPTH: usize = 32;

/// Which entry of a page (or of the page tree, for inherited attributes)
/// first reached a piece of page content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Via {
    Contents,
    Resources,
    /// The page's /Annots array itself, when it is its own object.
    AnnotsArray,
    Annots,
    Other,
}

/// The role of one object, by path. When several paths reach an object,
/// the first role in this order wins: page content before anything a
/// later signer may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Catalog,
    AcroForm,
    Page(u32),
    PageTree,
    SigField,
    /// Drawn or carried by page `page` (0: inherited from the page tree).
    PageContent {
        page: u32,
        via: Via,
    },
    /// A signature value (a signature field's /V) or part of one.
    SigValue,
    /// Reached from a catalog or trailer entry outside the standard
    /// document structure (/OpenAction, /Names, /Outlines, …).
    Side,
    FormField,
    Perms,
    Info,
    Metadata,
    Extensions,
    Tags,
    Dss,
    SigAppearance,
}

impl Role {
    /// Plain words for the role, used when an object changes role.
    pub(super) fn words(self) -> String {
        match self {
            Role::Catalog => "the document catalog".into(),
            Role::AcroForm => "the form dictionary".into(),
            Role::Page(n) => format!("page {n}"),
            Role::PageTree => "a page-tree node".into(),
            Role::SigField => "a signature field".into(),
            Role::PageContent { page: 0, .. } => "content inherited by the pages".into(),
            Role::PageContent { page, .. } => format!("content of page {page}"),
            Role::SigValue => "a signature value".into(),
            Role::Side => "a non-standard catalog or trailer entry".into(),
            Role::FormField => "a form field".into(),
            Role::Perms => "the document permissions (/Perms)".into(),
            Role::Info => "the document information (/Info)".into(),
            Role::Metadata => "the catalog's XMP metadata".into(),
            Role::Extensions => "the extensions declaration".into(),
            Role::Tags => "the logical structure (tags)".into(),
            Role::Dss => "validation data (DSS)".into(),
            Role::SigAppearance => "a signature appearance".into(),
        }
    }
}

/// One piece of page content: which page reached it first, through which
/// page entry, and the dictionary key that led to the object itself.
#[derive(Debug, Clone)]
pub(super) struct Content {
    pub(super) page: u32,
    pub(super) via: Via,
    pub(super) key: Vec<u8>,
}

/// What each object of one revision is for.
pub(super) struct Roles {
    pub(super) catalog: Option<ObjectId>,
    pub(super) acroform: Option<ObjectId>,
    /// Page ids in reading order (as a reader counts them).
    pub(super) pages: Vec<ObjectId>,
    page_no: HashMap<ObjectId, u32>,
    pub(super) page_tree: HashSet<ObjectId>,
    pub(super) sig_fields: HashSet<ObjectId>,
    /// Signature fields and widgets that hold a value (own or inherited).
    signed_fields: HashSet<ObjectId>,
    sig_values: HashSet<ObjectId>,
    content: HashMap<ObjectId, Content>,
    /// Roles reached from the other roots, highest precedence first in.
    others: HashMap<ObjectId, Role>,
    /// Everything the non-standard entries reach, whatever role won.
    pub(super) side: HashSet<ObjectId>,
    /// Everything signature fields' appearances reach, whatever role won
    /// (a field signed in this revision draws its appearance on the page).
    pub(super) appearance: HashSet<ObjectId>,
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

/// Page entries that are not drawn and not carried with the page's
/// content: the way back up, and producers' private bookkeeping.
const PAGE_NOT_CONTENT: &[&[u8]] = &[b"Parent", b"P", b"Metadata", b"PieceInfo"];

/// Attributes a page inherits from its page-tree ancestors (PDF 32000-1
/// §7.7.3.4).
pub(super) const INHERITABLE: &[&str] = &["MediaBox", "CropBox", "Rotate", "Resources"];

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

pub(super) fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_refs(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| collect_refs(o, out)),
        _ => {}
    }
}

/// Objects reachable from `roots` without passing through `stop` (an
/// appearance must not be a path back into the document) or a /Parent or
/// /P link (they lead back to fields and pages).
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

/// The field type a field or widget has, itself or inherited through
/// /Parent (PDF 32000-1 §12.7.3.1).
fn field_type<'d>(doc: &'d Document, d: &'d Dictionary) -> Option<&'d [u8]> {
    let mut cur = Some(d);
    for _ in 0..MAX_FIELD_DEPTH {
        let x = cur?;
        if let Ok(ft) = x.get(b"FT").and_then(Object::as_name) {
            return Some(ft);
        }
        cur = ref_of(x, b"Parent").and_then(|id| doc.get_dictionary(id).ok());
    }
    None
}

/// A field holds a value, itself or through /Parent.
fn has_value(doc: &Document, d: &Dictionary) -> bool {
    let mut cur = Some(d);
    for _ in 0..MAX_FIELD_DEPTH {
        let Some(x) = cur else { return false };
        if x.get(b"V").is_ok_and(|v| !matches!(v, Object::Null)) {
            return true;
        }
        cur = ref_of(x, b"Parent").and_then(|id| doc.get_dictionary(id).ok());
    }
    false
}

/// A signature field or one of its widgets: field type /Sig (its own, or
/// `inherited` from the field above it, or through /Parent) and, if it is
/// an annotation at all, a widget (a /FreeText claiming /FT /Sig is still
/// a /FreeText drawn on the page).
fn is_sig_field(doc: &Document, d: &Dictionary, inherited: Option<&[u8]>) -> bool {
    let widget_or_field = match d.get(b"Subtype") {
        Ok(s) => s.as_name().is_ok_and(|s| s == b"Widget"),
        Err(_) => true,
    };
    let ft = match d.get(b"FT").and_then(Object::as_name) {
        Ok(ft) => Some(ft),
        Err(_) => inherited.or_else(|| field_type(doc, d)),
    };
    widget_or_field && ft == Some(b"Sig")
}

impl Roles {
    /// The role of `id` in this revision, or None when no path from the
    /// roots reaches it.
    pub(super) fn role(&self, id: &ObjectId) -> Option<Role> {
        if Some(*id) == self.catalog {
            Some(Role::Catalog)
        } else if Some(*id) == self.acroform {
            Some(Role::AcroForm)
        } else if let Some(n) = self.page_no.get(id) {
            Some(Role::Page(*n))
        } else if self.page_tree.contains(id) {
            Some(Role::PageTree)
        } else if self.sig_fields.contains(id) {
            Some(Role::SigField)
        } else if let Some(c) = self.content.get(id) {
            Some(Role::PageContent {
                page: c.page,
                via: c.via,
            })
        } else {
            self.others.get(id).copied()
        }
    }

    pub(super) fn content(&self, id: &ObjectId) -> Option<&Content> {
        self.content.get(id)
    }

    pub(super) fn is_signed_field(&self, id: &ObjectId) -> bool {
        self.signed_fields.contains(id)
    }

    pub(super) fn is_sig_value(&self, id: &ObjectId) -> bool {
        self.sig_values.contains(id)
    }

    pub(super) fn of(doc: &Document) -> Roles {
        let catalog = ref_of(&doc.trailer, b"Root");
        let cat = catalog.and_then(|id| doc.get_dictionary(id).ok());
        let acroform = cat.and_then(|c| ref_of(c, b"AcroForm"));
        let pages = pages::page_ids(doc);
        let mut page_no = HashMap::new();
        for (i, id) in pages.iter().enumerate() {
            page_no.entry(*id).or_insert(i as u32 + 1);
        }
        let page_tree = pages::node_ids(doc);
        let mut r = Roles {
            catalog,
            acroform,
            pages,
            page_no,
            page_tree,
            sig_fields: HashSet::new(),
            signed_fields: HashSet::new(),
            sig_values: HashSet::new(),
            content: HashMap::new(),
            others: HashMap::new(),
            side: HashSet::new(),
            appearance: HashSet::new(),
        };
        let mut form_fields = HashSet::new();
        r.fields(doc, cat, &mut form_fields);
        r.page_content(doc);

        // What the remaining roots reach, highest precedence first.
        let mut stop: HashSet<ObjectId> = r.page_tree.clone();
        stop.extend(r.page_no.keys().copied());
        stop.extend(r.content.keys().copied());
        stop.extend(r.sig_fields.iter().copied());
        stop.extend(catalog);
        stop.extend(acroform);
        let cat_entry = |keys: &[&[u8]]| -> Vec<ObjectId> {
            let mut out = Vec::new();
            if let Some(c) = cat {
                for k in keys {
                    if let Ok(v) = c.get(k) {
                        collect_refs(v, &mut out);
                    }
                }
            }
            out
        };
        r.assign(
            doc,
            r.sig_values.iter().copied().collect(),
            &stop,
            Role::SigValue,
        );
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
        let mut side = HashSet::new();
        reach(doc, side_roots.clone(), &stop, &mut side);
        r.side = side;
        r.assign(doc, side_roots, &stop, Role::Side);
        r.assign(
            doc,
            form_fields.into_iter().collect(),
            &stop,
            Role::FormField,
        );
        r.assign(doc, cat_entry(&[b"Perms"]), &stop, Role::Perms);
        let info = ref_of(&doc.trailer, b"Info").into_iter().collect();
        r.assign(doc, info, &stop, Role::Info);
        r.assign(doc, cat_entry(&[b"Metadata"]), &stop, Role::Metadata);
        r.assign(doc, cat_entry(&[b"Extensions"]), &stop, Role::Extensions);
        let tags = cat_entry(&[b"StructTreeRoot", b"MarkInfo"]);
        r.assign(doc, tags, &stop, Role::Tags);
        r.assign(doc, cat_entry(&[b"DSS"]), &stop, Role::Dss);
        let mut appearances = Vec::new();
        for id in &r.sig_fields {
            if let Ok(d) = doc.get_dictionary(*id) {
                for k in [b"AP".as_slice(), b"MK"] {
                    if let Ok(v) = d.get(k) {
                        collect_refs(v, &mut appearances);
                    }
                }
            }
        }
        let mut fields_stop: HashSet<ObjectId> = r.page_tree.clone();
        fields_stop.extend(r.page_no.keys().copied());
        fields_stop.extend(r.sig_fields.iter().copied());
        fields_stop.extend(catalog);
        fields_stop.extend(acroform);
        let mut appearance = HashSet::new();
        reach(doc, appearances.clone(), &fields_stop, &mut appearance);
        r.appearance = appearance;
        r.assign(doc, appearances, &stop, Role::SigAppearance);
        r
    }

    /// Gives `role` to what `roots` reach that has no role yet.
    fn assign(
        &mut self,
        doc: &Document,
        roots: Vec<ObjectId>,
        stop: &HashSet<ObjectId>,
        role: Role,
    ) {
        let mut got = HashSet::new();
        reach(doc, roots, stop, &mut got);
        for id in got {
            self.others.entry(id).or_insert(role);
        }
    }

    /// Signature fields and their values, by path: the form's field tree
    /// (with inherited /FT) and the widgets the pages carry. Other fields
    /// go to `form_fields`.
    fn fields(
        &mut self,
        doc: &Document,
        cat: Option<&Dictionary>,
        form_fields: &mut HashSet<ObjectId>,
    ) {
        let mut stack: Vec<(ObjectId, usize, Option<&[u8]>)> = cat
            .and_then(|c| c.get_deref(b"AcroForm", doc).ok())
            .and_then(|f| f.as_dict().ok())
            .and_then(|f| f.get_deref(b"Fields", doc).ok())
            .and_then(|f| f.as_array().ok())
            .map(|a| a.iter().filter_map(|o| o.as_reference().ok()))
            .into_iter()
            .flatten()
            .map(|id| (id, 0, None))
            .collect();
        let mut seen = HashSet::new();
        while let Some((id, depth, inherited)) = stack.pop() {
            if depth > MAX_FIELD_DEPTH || seen.len() >= MAX_REACH || !seen.insert(id) {
                continue;
            }
            let Ok(d) = doc.get_dictionary(id) else {
                continue;
            };
            if is_sig_field(doc, d, inherited) {
                self.sig_fields.insert(id);
            } else {
                form_fields.insert(id);
            }
            let ft = d.get(b"FT").and_then(Object::as_name).ok().or(inherited);
            for k in refs_in_array(d, b"Kids", doc) {
                stack.push((k, depth + 1, ft));
            }
        }
        // Widgets on pages that no /Fields entry reaches.
        for p in &self.pages {
            let Ok(page) = doc.get_dictionary(*p) else {
                continue;
            };
            for a in refs_in_array(page, b"Annots", doc) {
                if doc
                    .get_dictionary(a)
                    .is_ok_and(|d| is_sig_field(doc, d, None) && d.has(b"Subtype"))
                {
                    self.sig_fields.insert(a);
                }
            }
        }
        for id in &self.sig_fields {
            let Ok(d) = doc.get_dictionary(*id) else {
                continue;
            };
            if let Some(v) = ref_of(d, b"V") {
                self.sig_values.insert(v);
            }
            if has_value(doc, d) {
                self.signed_fields.insert(*id);
            }
        }
        // A widget reached only through its field's /Kids inherits the value.
        let mut queue: Vec<ObjectId> = self.signed_fields.iter().copied().collect();
        while let Some(id) = queue.pop() {
            let Ok(d) = doc.get_dictionary(id) else {
                continue;
            };
            for k in refs_in_array(d, b"Kids", doc) {
                if self.signed_fields.len() < MAX_REACH && self.signed_fields.insert(k) {
                    queue.push(k);
                }
            }
        }
    }

    /// Everything the pages reach, page by page in reading order, then
    /// what the page-tree nodes carry for inheritance. An empty signature
    /// field is not entered (signing fills it); a signed one's appearance
    /// is page content like any other, its value has its own rule.
    fn page_content(&mut self, doc: &Document) {
        let mut stop: HashSet<ObjectId> = self.page_tree.clone();
        stop.extend(self.page_no.keys().copied());
        stop.extend(
            self.sig_fields
                .iter()
                .filter(|f| !self.signed_fields.contains(f))
                .copied(),
        );
        stop.extend(self.catalog);
        stop.extend(self.acroform);
        let pages = self.pages.clone();
        for (i, p) in pages.iter().enumerate() {
            let Ok(d) = doc.get_dictionary(*p) else {
                continue;
            };
            let mut roots = Vec::new();
            for (k, v) in d.iter() {
                if !PAGE_NOT_CONTENT.contains(&k.as_slice()) {
                    roots.push((k.clone(), v));
                }
            }
            // Attributes the page inherits are its own for what it shows.
            for key in INHERITABLE {
                if !d.has(key.as_bytes()) {
                    if let Some(v) = inherited_value(doc, d, key.as_bytes()) {
                        roots.push((key.as_bytes().to_vec(), v));
                    }
                }
            }
            self.content_from(doc, i as u32 + 1, roots, &stop);
        }
        for node in self.page_tree.clone() {
            let Ok(d) = doc.get_dictionary(node) else {
                continue;
            };
            let roots = d
                .iter()
                .filter(|(k, _)| {
                    k.as_slice() != b"Kids" && !PAGE_NOT_CONTENT.contains(&k.as_slice())
                })
                .map(|(k, v)| (k.clone(), v))
                .collect();
            self.content_from(doc, 0, roots, &stop);
        }
    }

    fn content_from(
        &mut self,
        doc: &Document,
        page: u32,
        roots: Vec<(Vec<u8>, &Object)>,
        stop: &HashSet<ObjectId>,
    ) {
        // (object, entry of the page that led here, key that named it)
        let mut stack: Vec<(ObjectId, Via, Vec<u8>)> = Vec::new();
        for (k, v) in roots {
            let via = match k.as_slice() {
                b"Contents" => Via::Contents,
                b"Resources" => Via::Resources,
                b"Annots" if v.as_reference().is_ok() => Via::AnnotsArray,
                b"Annots" => Via::Annots,
                _ => Via::Other,
            };
            let mut refs = Vec::new();
            collect_refs(v, &mut refs);
            stack.extend(refs.into_iter().map(|r| (r, via, k.clone())));
        }
        while let Some((id, via, key)) = stack.pop() {
            if self.content.len() >= MAX_REACH
                || stop.contains(&id)
                || self.content.contains_key(&id)
            {
                continue;
            }
            self.content.insert(id, Content { page, via, key });
            let Ok(o) = doc.get_object(id) else {
                continue;
            };
            // The entries of the /Annots array are annotations.
            let via = if via == Via::AnnotsArray {
                Via::Annots
            } else {
                via
            };
            let sig_widget = self.sig_fields.contains(&id);
            match dict_of(o) {
                Some(d) => {
                    for (k, v) in d.iter() {
                        if k == b"Parent" || k == b"P" {
                            continue;
                        }
                        if sig_widget && k != b"AP" && k != b"MK" {
                            continue; // the value is judged as a signature value
                        }
                        let mut refs = Vec::new();
                        collect_refs(v, &mut refs);
                        stack.extend(refs.into_iter().map(|r| (r, via, k.clone())));
                    }
                }
                None => {
                    let mut refs = Vec::new();
                    collect_refs(o, &mut refs);
                    let key = self.content[&id].key.clone();
                    stack.extend(refs.into_iter().map(|r| (r, via, key.clone())));
                }
            }
        }
    }
}

/// The value of `key` on the nearest page-tree ancestor of `page` that has
/// it (PDF 32000-1 §7.7.3.4), undereferenced.
pub(super) fn inherited_value<'d>(
    doc: &'d Document,
    page: &'d Dictionary,
    key: &[u8],
) -> Option<&'d Object> {
    let mut cur = ref_of(page, b"Parent").and_then(|p| doc.get_dictionary(p).ok());
    for _ in 0..256 {
        let d = cur?;
        if let Ok(v) = d.get(key) {
            return Some(v);
        }
        cur = ref_of(d, b"Parent").and_then(|p| doc.get_dictionary(p).ok());
    }
    None
}

pub(super) fn refs_in_array(d: &Dictionary, key: &[u8], doc: &Document) -> Vec<ObjectId> {
    d.get_deref(key, doc)
        .ok()
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default()
}
