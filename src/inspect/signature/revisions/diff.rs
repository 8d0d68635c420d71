//! The comparison itself: one method per role an object plays in the final
//! document (catalog, form, page, page-tree node, signature value, signature
//! field, appearance). Each adds plain-words entries to `allowed` or
//! `disallowed`; a key that is not known to be harmless is disallowed.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::roles::{collect_refs, dict_of, is_sig_value, reach, ref_of, refs_in_array, Roles};
use super::Diff;
use crate::facts::ModifiedAfter;

/// Entries signing software writes on page-tree nodes and pages for its own
/// bookkeeping. None of them is drawn (PDF 32000-1 §14.5 page-piece
/// dictionaries, §14.3.2 metadata streams; /ITXT is iText's version marker).
const PRODUCER_MARKERS: &[&str] = &["ITXT", "PieceInfo", "LastModified", "Metadata"];

pub(super) struct Compare<'a> {
    old: &'a Document,
    new: &'a Document,
    roles: &'a Roles,
    allowed: Vec<String>,
    disallowed: Vec<String>,
}

impl<'a> Compare<'a> {
    pub(super) fn run(old: &'a Document, new: &'a Document, roles: &'a Roles) -> Diff {
        let mut c = Compare {
            old,
            new,
            roles,
            allowed: Vec::new(),
            disallowed: Vec::new(),
        };
        c.page_count();
        for (id, obj) in &new.objects {
            c.object(id, obj);
        }
        c.removed();
        c.finish()
    }

    fn allow(&mut self, what: impl Into<String>) {
        self.allowed.push(what.into());
    }

    fn deny(&mut self, what: impl Into<String>) {
        self.disallowed.push(what.into());
    }

    fn page_count(&mut self) {
        let before = self.old.get_pages().len();
        let after = self.new.get_pages().len();
        if after > before {
            self.deny(format!("{} page(s) added", after - before));
        } else if after < before {
            self.deny(format!("{} page(s) removed", before - after));
        }
    }

    /// Dispatches one object of the final document on its role.
    fn object(&mut self, id: &ObjectId, obj: &Object) {
        let prev = self.old.objects.get(id);
        if prev == Some(obj) || is_structural(obj) {
            return;
        }
        let roles = self.roles;
        let is_new = prev.is_none();
        let (old_d, new_d) = (prev.and_then(dict_of), dict_of(obj));
        if !is_new && roles.side_reach.contains(id) {
            let what = describe(id, obj, self.new, "changed");
            self.deny(format!(
                "{what}, which is also reachable from a non-standard catalog or trailer entry"
            ));
        } else if Some(*id) == roles.extensions {
            self.allow("extensions declaration updated");
        } else if matches!(
            new_type(obj),
            Some(b"StructTreeRoot" | b"StructElem" | b"MarkInfo")
        ) {
            self.allow("logical structure (tags) updated");
        } else if roles.sig_values.contains(id) {
            self.sig_value(id, old_d);
        } else if Some(*id) == roles.info {
            self.allow("document information (/Info) updated");
        } else if Some(*id) == roles.metadata {
            self.allow("XMP metadata updated");
        } else if Some(*id) == roles.catalog {
            match (old_d, new_d) {
                (Some(o), Some(n)) => self.catalog(o, n),
                _ => self.deny("document catalog replaced"),
            }
        } else if Some(*id) == roles.acroform {
            match (old_d.or_else(|| self.old_inline_form()), new_d) {
                (Some(o), Some(n)) => self.acroform(o, n),
                _ => self.allow("signature form added"),
            }
        } else if roles.pages.contains_key(id) {
            self.page(id, old_d, new_d, is_new);
        } else if roles.page_tree.contains(id) {
            self.page_tree_node(old_d, new_d);
        } else if roles.sig_fields.contains(id) {
            self.sig_field(old_d, new_d);
        } else if roles.allowed_reach.contains(id) {
            self.appearance(id, obj, is_new);
        } else if !is_new {
            // Unreferenced additions change nothing shown; referencing
            // them needs a change to an existing object, judged here.
            self.deny(describe(id, obj, self.new, "changed"));
        }
    }

    /// The signed revision's form dictionary when it was written inline in
    /// the catalog (a later revision may move it to its own object).
    fn old_inline_form(&self) -> Option<&'a Dictionary> {
        let cat =
            ref_of(&self.old.trailer, b"Root").and_then(|c| self.old.get_dictionary(c).ok())?;
        cat.get_deref(b"AcroForm", self.old)
            .and_then(Object::as_dict)
            .ok()
    }

    fn sig_value(&mut self, id: &ObjectId, old_d: Option<&Dictionary>) {
        if old_d.is_none_or(|d| !is_sig_value(d)) {
            self.allow("signature or document timestamp added");
        } else {
            self.deny(format!(
                "the signature dictionary (object {}) of an earlier signature was changed",
                id.0
            ));
        }
    }

    fn catalog(&mut self, o: &Dictionary, n: &Dictionary) {
        for k in changed_keys(o, n) {
            match k.as_str() {
                "DSS" => self.allow("validation data (DSS) added"),
                "AcroForm" if n.get(b"AcroForm").is_ok_and(|a| a.as_reference().is_ok()) => {
                    self.allow("signature form reference updated")
                }
                "AcroForm" => match (inline_form(o, self.old), inline_form(n, self.new)) {
                    (Some(oa), Some(na)) => self.acroform(oa, na),
                    _ => self.allow("signature form added"),
                },
                "Extensions" => self.allow("extensions declaration updated"),
                "Version" => self.allow("PDF version raised"),
                "Metadata" => self.allow(
                    "the signing software attached XMP metadata (/Metadata) to the document",
                ),
                "Perms" => self.perms(o, n),
                "OpenAction" => {
                    self.deny("an action run on opening (/OpenAction) was added or changed")
                }
                "AA" => self.deny("document actions (/AA) were added or changed"),
                "Names" => self.deny(
                    "document name tree (/Names: scripts, embedded files, destinations) changed",
                ),
                other => self.deny(format!("document catalog entry /{other} changed")),
            }
        }
    }

    /// /Perms added by a later signer: a DocMDP certification (or usage
    /// rights) naming a signature that did not exist in the signed revision.
    /// It declares what may change from now on and changes nothing shown;
    /// what did change is judged object by object as always.
    fn perms(&mut self, o: &Dictionary, n: &Dictionary) {
        if o.has(b"Perms") {
            self.deny("document permissions (/Perms) declared before this signature were changed");
            return;
        }
        let Ok(perms) = n.get_deref(b"Perms", self.new).and_then(Object::as_dict) else {
            self.deny("document catalog entry /Perms changed");
            return;
        };
        for (k, v) in perms.iter() {
            let later_sig = v.as_reference().ok().filter(|id| {
                self.roles.sig_values.contains(id) && !self.old.objects.contains_key(id)
            });
            match (k.as_slice(), later_sig) {
                (b"DocMDP", Some(sig)) => {
                    let level = docmdp_level(self.new, sig)
                        .map(|p| format!(", level P={p}"))
                        .unwrap_or_default();
                    self.allow(format!(
                        "a later signer declared document permissions (/Perms /DocMDP{level}): a certification added after the approval signature(s), judged by what actually changed"
                    ));
                }
                (b"UR3", Some(_)) => {
                    self.allow("a later signer declared usage rights (/Perms /UR3)")
                }
                (other, _) => self.deny(format!(
                    "document permissions entry /{} does not name a signature added later",
                    String::from_utf8_lossy(other)
                )),
            }
        }
    }

    fn acroform(&mut self, o: &Dictionary, n: &Dictionary) {
        for k in changed_keys(o, n) {
            match k.as_str() {
                "Fields" => self.form_fields(o, n),
                "SigFlags" | "DR" | "DA" => self.allow(format!("form /{k} updated")),
                "NeedAppearances" => self.need_appearances(n),
                other => self.deny(format!("form /{other} changed")),
            }
        }
    }

    fn form_fields(&mut self, o: &Dictionary, n: &Dictionary) {
        let before: HashSet<ObjectId> = refs_in_array(o, b"Fields", self.old).into_iter().collect();
        let after = refs_in_array(n, b"Fields", self.new);
        let after_set: HashSet<ObjectId> = after.iter().copied().collect();
        if before.iter().any(|f| !after_set.contains(f)) {
            self.deny("form field removed");
        }
        for f in after.iter().filter(|f| !before.contains(f)) {
            if self.roles.sig_fields.contains(f) {
                self.allow("signature field added");
            } else {
                self.deny("form field added");
            }
        }
    }

    /// /NeedAppearances asks viewers to redraw fields from their values.
    /// On a form of signature fields only that redraws nothing the signer
    /// saw; with text or choice fields, a value whose appearance differed
    /// would now show, so it is a real change.
    fn need_appearances(&mut self, n: &Dictionary) {
        let on = n
            .get(b"NeedAppearances")
            .and_then(Object::as_bool)
            .unwrap_or(false);
        let other_fields = refs_in_array(n, b"Fields", self.new)
            .iter()
            .any(|f| !self.roles.sig_fields.contains(f));
        if on && other_fields {
            self.deny("/NeedAppearances set on a form with non-signature fields: viewers would redraw their values");
        } else {
            self.allow("the signing software asked viewers to refresh signature appearances (/NeedAppearances)");
        }
    }

    fn page(
        &mut self,
        id: &ObjectId,
        old_d: Option<&Dictionary>,
        new_d: Option<&Dictionary>,
        is_new: bool,
    ) {
        let n = self.roles.pages.get(id).copied().unwrap_or(0);
        let (Some(o), Some(nd)) = (old_d, new_d) else {
            if !is_new {
                self.deny(format!("page {n} replaced"));
            }
            return;
        };
        for k in changed_keys(o, nd) {
            if k == "Annots" {
                self.annotations(n, o, nd);
            } else if PRODUCER_MARKERS.contains(&k.as_str()) {
                self.allow(marker_note(&k, &format!("page {n}")));
            } else if INHERITABLE.contains(&k.as_str())
                && match (
                    inherited(self.old, o, k.as_bytes()),
                    inherited(self.new, nd, k.as_bytes()),
                ) {
                    (Some(a), Some(b)) => same_value(a, b),
                    _ => false,
                }
            {
                // Same effective value, now written on the page.
            } else {
                self.deny(format!("page {n}: /{k} changed"));
            }
        }
    }

    fn annotations(&mut self, n: u32, o: &Dictionary, nd: &Dictionary) {
        let before: HashSet<ObjectId> = refs_in_array(o, b"Annots", self.old).into_iter().collect();
        let after = refs_in_array(nd, b"Annots", self.new);
        let after_set: HashSet<ObjectId> = after.iter().copied().collect();
        if before.iter().any(|a| !after_set.contains(a)) {
            self.deny(format!("annotation removed from page {n}"));
        }
        for a in after.iter().filter(|a| !before.contains(a)) {
            if self.roles.sig_fields.contains(a) {
                self.allow(format!("signature widget added on page {n}"));
            } else {
                let subtype = self
                    .new
                    .get_dictionary(*a)
                    .ok()
                    .and_then(|d| d.get(b"Subtype").and_then(Object::as_name).ok())
                    .map(|s| format!(" (/{})", String::from_utf8_lossy(s)))
                    .unwrap_or_default();
                self.deny(format!("annotation{subtype} added on page {n}"));
            }
        }
    }

    /// A node of the page tree (not a page): its meaning is its /Kids,
    /// /Count and the attributes its pages inherit. Producer markers beside
    /// them change nothing shown.
    fn page_tree_node(&mut self, old_d: Option<&Dictionary>, new_d: Option<&Dictionary>) {
        let (Some(o), Some(n)) = (old_d, new_d) else {
            self.deny("page tree changed");
            return;
        };
        for k in changed_keys(o, n) {
            if PRODUCER_MARKERS.contains(&k.as_str()) {
                self.allow(marker_note(&k, "the page tree"));
            } else {
                self.deny(format!("page tree changed (/{k})"));
            }
        }
    }

    fn sig_field(&mut self, old_d: Option<&Dictionary>, new_d: Option<&Dictionary>) {
        let name = new_d.map(|d| field_name(self.new, d)).unwrap_or_default();
        let (Some(o), Some(n)) = (old_d, new_d) else {
            self.allow(format!("signature field '{name}' added"));
            return;
        };
        for k in changed_keys(o, n) {
            match k.as_str() {
                "V" if !o.has(b"V") => self.allow(format!("signature field '{name}' signed")),
                "V" => self.deny(format!("the signature in field '{name}' was replaced")),
                "AP" | "MK" => self.sig_appearance(&name, o),
                "F" | "DA" => {
                    self.allow(format!("display flags of signature field '{name}' updated"))
                }
                "Kids" => self.allow(format!("signature field '{name}' widgets updated")),
                other => self.deny(format!("signature field '{name}': /{other} changed")),
            }
        }
    }

    /// A signature field's new appearance is allowed unless its old one is
    /// also used elsewhere (then the change shows outside the field).
    fn sig_appearance(&mut self, name: &str, o: &Dictionary) {
        let mut old_refs = Vec::new();
        if let Ok(ap) = o.get(b"AP") {
            collect_refs(ap, &mut old_refs);
        }
        let mut shared = HashSet::new();
        reach(self.old, old_refs, &HashSet::new(), &mut shared);
        if shared.iter().any(|r| self.roles.side_reach.contains(r)) {
            self.deny(format!(
                "the old appearance of signature field '{name}' is also reachable from a non-standard catalog or trailer entry"
            ));
        } else {
            self.allow(format!("appearance of signature field '{name}' updated"));
        }
    }

    fn appearance(&mut self, id: &ObjectId, obj: &Object, is_new: bool) {
        if is_new {
            self.allow("signature appearance or validation data added");
        } else if matches!(obj, Object::Stream(_)) {
            self.allow("signature appearance stream replaced");
        } else {
            self.deny(describe(id, obj, self.new, "changed"));
        }
    }

    fn removed(&mut self) {
        for (id, obj) in &self.old.objects {
            if !self.new.objects.contains_key(id) && !is_structural(obj) {
                self.disallowed.push(describe(id, obj, self.old, "removed"));
            }
        }
    }

    fn finish(mut self) -> Diff {
        dedup(&mut self.allowed);
        dedup(&mut self.disallowed);
        let modified = if self.disallowed.is_empty() {
            ModifiedAfter::Allowed
        } else {
            ModifiedAfter::Disallowed
        };
        let mut changes = self.disallowed;
        changes.extend(self.allowed.into_iter().map(|a| format!("allowed: {a}")));
        if changes.is_empty() {
            changes.push("allowed: an incremental update with no object changes".into());
        }
        let notes = if modified == ModifiedAfter::Disallowed {
            vec![
                "the document was changed after signing in ways a signature does not permit".into(),
            ]
        } else {
            Vec::new()
        };
        Diff {
            modified: Some(modified),
            changes,
            notes,
        }
    }
}

fn inline_form<'d>(d: &'d Dictionary, doc: &'d Document) -> Option<&'d Dictionary> {
    d.get_deref(b"AcroForm", doc).and_then(Object::as_dict).ok()
}

/// The plain-words note for a producer marker on `place`.
fn marker_note(key: &str, place: &str) -> String {
    match key {
        "ITXT" => format!("the signing software added its version marker (/ITXT) to {place}"),
        "PieceInfo" => {
            format!("the signing software added its private data (/PieceInfo) to {place}")
        }
        "LastModified" => {
            format!("the signing software recorded a modification date (/LastModified) on {place}")
        }
        _ => format!("XMP metadata (/{key}) attached to {place}"),
    }
}

#[cfg(test)]
pub(super) fn marker_note_for_test(key: &str, place: &str) -> String {
    marker_note(key, place)
}

/// /P of a DocMDP signature's transform parameters (1 = no changes,
/// 2 = form filling and signing, 3 = also annotations).
fn docmdp_level(doc: &Document, sig: ObjectId) -> Option<i64> {
    let refs = doc
        .get_dictionary(sig)
        .ok()?
        .get_deref(b"Reference", doc)
        .ok()?;
    refs.as_array().ok()?.iter().find_map(|r| {
        let r = doc.dereference(r).ok()?.1.as_dict().ok()?;
        if r.get(b"TransformMethod").and_then(Object::as_name).ok()? != b"DocMDP" {
            return None;
        }
        let params = r
            .get_deref(b"TransformParams", doc)
            .and_then(Object::as_dict)
            .ok()?;
        params.get(b"P").and_then(Object::as_i64).ok()
    })
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

fn field_name(doc: &Document, d: &Dictionary) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(d);
    for _ in 0..16 {
        let Some(x) = cur else { break };
        if let Ok(t) = x.get(b"T").and_then(Object::as_str) {
            parts.push(super::super::discovery::pdf_text(t));
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
