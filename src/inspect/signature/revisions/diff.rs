//! The comparison itself, from the signed revision's point of view: every
//! object the signed revision already had is judged by the role its path
//! gave it THERE (page content stays page content whatever it claims to be
//! now); a role a later signer may touch (document information, XMP
//! metadata, tags, DSS, signature appearances) is an allowance only when
//! the object already had that role and still has it. New objects are
//! judged through the existing objects that reference them. Each judgement
//! adds plain words to `allowed` or `disallowed`; a key that is not known
//! to be harmless is disallowed.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::roles::{
    collect_refs, dict_of, reach, ref_of, refs_in_array, Role, Roles, Via, INHERITABLE,
};
use super::words::{content_change, describe, field_name, marker_note, now_as, type_claim};
use super::Diff;
use crate::facts::ModifiedAfter;

/// Entries signing software writes on page-tree nodes and pages for its own
/// bookkeeping. None of them is drawn (PDF 32000-1 §14.5 page-piece
/// dictionaries, §14.3.2 metadata streams; /ITXT is iText's version marker).
const PRODUCER_MARKERS: &[&str] = &["ITXT", "PieceInfo", "LastModified", "Metadata"];

pub(super) struct Compare<'a> {
    old: &'a Document,
    new: &'a Document,
    /// Roles in the signed revision.
    was: &'a Roles,
    /// Roles in the final document.
    now: &'a Roles,
    allowed: Vec<String>,
    disallowed: Vec<String>,
    /// Signature fields and widgets holding a signature value the signed
    /// revision did not have (own, through /Parent, or from the field whose
    /// /Kids list them): what is being signed now.
    fresh_fields: HashSet<ObjectId>,
    /// What the appearances of those fields reach: the only appearances
    /// signing may change.
    fresh_appearance: HashSet<ObjectId>,
}

impl<'a> Compare<'a> {
    pub(super) fn run(
        old: &'a Document,
        new: &'a Document,
        was: &'a Roles,
        now: &'a Roles,
    ) -> Diff {
        let mut c = Compare {
            old,
            new,
            was,
            now,
            allowed: Vec::new(),
            disallowed: Vec::new(),
            fresh_fields: HashSet::new(),
            fresh_appearance: HashSet::new(),
        };
        c.fresh_fields = c.fresh_fields();
        c.fresh_appearance = c.fresh_appearances();
        c.page_count();
        for (id, obj) in &new.objects {
            c.object(id, obj);
        }
        c.removed();
        c.finish()
    }

    /// The field `id` is being signed in a later revision, not re-using an
    /// earlier signature to draw on the page (see `fresh_fields`).
    fn newly_signed(&self, id: &ObjectId) -> bool {
        self.fresh_fields.contains(id)
    }

    fn fresh_fields(&self) -> HashSet<ObjectId> {
        let mut out: HashSet<ObjectId> = self
            .now
            .sig_fields
            .iter()
            .filter(|f| self.new_value(f))
            .copied()
            .collect();
        // A widget reached only through its field's /Kids inherits the value.
        let mut queue: Vec<ObjectId> = out.iter().copied().collect();
        while let Some(id) = queue.pop() {
            let Ok(d) = self.new.get_dictionary(id) else {
                continue;
            };
            for k in refs_in_array(d, b"Kids", self.new) {
                if out.len() < 200_000 && out.insert(k) {
                    queue.push(k);
                }
            }
        }
        out
    }

    /// The value `id` holds, own or through /Parent, is one the signed
    /// revision did not have.
    fn new_value(&self, id: &ObjectId) -> bool {
        let mut cur = self.new.get_dictionary(*id).ok();
        for _ in 0..32 {
            let Some(d) = cur else { return false };
            match d.get(b"V") {
                Ok(Object::Reference(v)) => return !self.old.objects.contains_key(v),
                Ok(Object::Null) | Err(_) => {}
                Ok(_) => return true,
            }
            cur = ref_of(d, b"Parent").and_then(|p| self.new.get_dictionary(p).ok());
        }
        false
    }

    /// What the appearances of newly signed fields reach (see
    /// [`Self::newly_signed`]), not entering pages, fields or the form.
    fn fresh_appearances(&self) -> HashSet<ObjectId> {
        let mut roots = Vec::new();
        for f in self.now.sig_fields.iter().filter(|f| self.newly_signed(f)) {
            if let Ok(d) = self.new.get_dictionary(*f) {
                for k in [b"AP".as_slice(), b"MK"] {
                    if let Ok(v) = d.get(k) {
                        collect_refs(v, &mut roots);
                    }
                }
            }
        }
        let mut stop: HashSet<ObjectId> = self.now.page_tree.clone();
        stop.extend(self.now.pages.iter().copied());
        stop.extend(self.now.sig_fields.iter().copied());
        stop.extend(self.now.catalog);
        stop.extend(self.now.acroform);
        let mut out = HashSet::new();
        reach(self.new, roots, &stop, &mut out);
        out
    }

    fn allow(&mut self, what: impl Into<String>) {
        self.allowed.push(what.into());
    }

    fn deny(&mut self, what: impl Into<String>) {
        self.disallowed.push(what.into());
    }

    /// Pages as a reader counts them (a kid with an unexpected /Type is
    /// still a page), in both revisions.
    fn page_count(&mut self) {
        let before = self.was.pages.len();
        let after = self.now.pages.len();
        if after > before {
            self.deny(format!("{} page(s) added", after - before));
        } else if after < before {
            self.deny(format!("{} page(s) removed", before - after));
        }
    }

    /// Judges one object of the final document.
    fn object(&mut self, id: &ObjectId, obj: &Object) {
        let prev = self.old.objects.get(id);
        if prev == Some(obj) {
            return;
        }
        let was = self.was.role(id);
        let now = self.now.role(id);
        let Some(prev) = prev else {
            self.added(id, obj, now);
            return;
        };
        if was.is_none() && now.is_none() && is_structural(obj) && is_structural(prev) {
            return; // a cross-reference or object stream of its own revision
        }
        let (o, n) = (dict_of(prev), dict_of(obj));
        let Some(role) = was else {
            // Not reached in the signed revision: no allowance to inherit.
            self.deny(describe(id, obj, self.new, "changed"));
            return;
        };
        match role {
            Role::Catalog => match (o, n, now) {
                (Some(o), Some(n), Some(Role::Catalog)) => self.catalog(o, n),
                _ => self.deny("document catalog replaced"),
            },
            Role::AcroForm => match (o, n, now) {
                (Some(o), Some(n), Some(Role::AcroForm)) => self.acroform(o, n),
                _ => self.deny("form dictionary replaced"),
            },
            Role::Page(p) => match (o, n, now) {
                (Some(o), Some(n), Some(Role::Page(_))) => self.page(p, o, n),
                _ => self.deny(format!("page {p} replaced{}", now_as(was, now))),
            },
            Role::PageTree => match (o, n, now) {
                (Some(o), Some(n), Some(Role::PageTree)) => self.page_tree_node(o, n),
                _ => self.deny(format!("page tree changed{}", now_as(was, now))),
            },
            Role::SigField => match (o, n, now) {
                (Some(o), Some(n), Some(Role::SigField)) => self.sig_field(id, o, n),
                _ => self.deny(format!(
                    "signature field '{}' replaced{}",
                    o.map(|d| field_name(self.old, d)).unwrap_or_default(),
                    now_as(was, now)
                )),
            },
            Role::PageContent { page, via } => {
                if via == Via::AnnotsArray && now == was {
                    if let (Ok(a), Ok(b)) = (prev.as_array(), obj.as_array()) {
                        self.annotation_list(page, refs(a), refs(b));
                        return;
                    }
                }
                let c = self.was.content(id).cloned();
                let what = content_change(page, id, prev, c.as_ref());
                self.deny(format!(
                    "{what}{}{}",
                    now_as(was, now),
                    type_claim(prev, obj)
                ));
            }
            Role::SigValue => self.deny(format!(
                "the signature dictionary (object {}) of an earlier signature was changed",
                id.0
            )),
            Role::Side => {
                let what = describe(id, obj, self.new, "changed");
                self.deny(format!(
                    "{what}, which is also reachable from a non-standard catalog or trailer entry"
                ));
            }
            Role::FormField => self.deny(describe(id, prev, self.old, "changed")),
            Role::Perms => self
                .deny("document permissions (/Perms) declared before this signature were changed"),
            Role::Info
            | Role::Metadata
            | Role::Extensions
            | Role::Tags
            | Role::Dss
            | Role::SigAppearance => self.allowance(id, prev, obj, role, now),
        }
    }

    /// An object that had a role a later signer may update: allowed only
    /// while it keeps that role, and is not also reached from elsewhere.
    fn allowance(
        &mut self,
        id: &ObjectId,
        prev: &Object,
        obj: &Object,
        was: Role,
        now: Option<Role>,
    ) {
        // An empty field's appearance, signed now, is drawn on its page:
        // still an appearance, reached through a signature field.
        let kept =
            now == Some(was) || was == Role::SigAppearance && self.now.appearance.contains(id);
        if !kept {
            let what = describe(id, prev, self.old, "changed");
            self.deny(format!(
                "{what} (it was {}{})",
                was.words(),
                now_as(Some(was), now).trim_start_matches(',')
            ));
            return;
        }
        if self.now.side.contains(id) {
            let what = describe(id, obj, self.new, "changed");
            self.deny(format!(
                "{what}, which is also reachable from a non-standard catalog or trailer entry"
            ));
            return;
        }
        if was == Role::SigAppearance && !self.fresh_appearance.contains(id) {
            // An empty field's appearance is drawn on its page too: only
            // signing the field may change it.
            let what = describe(id, obj, self.new, "changed");
            self.deny(format!(
                "{what}: the appearance of an empty signature field, changed without signing the field"
            ));
            return;
        }
        match was {
            Role::Info => self.allow("document information (/Info) updated"),
            Role::Metadata => self.allow("XMP metadata updated"),
            Role::Extensions => self.allow("extensions declaration updated"),
            Role::Tags => self.allow("logical structure (tags) updated"),
            Role::Dss => self.allow("validation data (DSS) updated"),
            _ if matches!(obj, Object::Stream(_)) => {
                self.allow("signature appearance stream replaced")
            }
            _ => self.deny(describe(id, obj, self.new, "changed")),
        }
    }

    /// A new object: harmless by itself (it is shown only if an existing
    /// object now references it, and that change is judged), except a new
    /// catalog or form dictionary, which replaces the old one.
    fn added(&mut self, id: &ObjectId, obj: &Object, now: Option<Role>) {
        match now {
            Some(Role::Catalog) => self.deny("document catalog replaced"),
            Some(Role::AcroForm) => {
                let empty = Dictionary::new();
                let o = self.old_form().unwrap_or(&empty);
                match dict_of(obj) {
                    Some(n) => self.acroform(o, n),
                    None => self.deny("form dictionary replaced"),
                }
            }
            Some(Role::SigField) => self.allow(format!(
                "signature field '{}' added",
                dict_of(obj)
                    .map(|d| field_name(self.new, d))
                    .unwrap_or_default()
            )),
            Some(Role::SigValue) if self.now.is_sig_value(id) => {
                self.allow("signature or document timestamp added")
            }
            Some(Role::Dss) => self.allow("validation data added"),
            Some(Role::SigAppearance) => self.allow("signature appearance added"),
            _ => {}
        }
    }

    /// The signed revision's form dictionary, inline in the catalog or
    /// its own object (a later revision may move it).
    fn old_form(&self) -> Option<&'a Dictionary> {
        let cat =
            ref_of(&self.old.trailer, b"Root").and_then(|c| self.old.get_dictionary(c).ok())?;
        cat.get_deref(b"AcroForm", self.old)
            .and_then(Object::as_dict)
            .ok()
    }

    fn catalog(&mut self, o: &Dictionary, n: &Dictionary) {
        for k in changed_keys(o, n) {
            match k.as_str() {
                "DSS" => self.allow("validation data (DSS) added"),
                "AcroForm" if n.get(b"AcroForm").is_ok_and(|a| a.as_reference().is_ok()) => {
                    self.allow("signature form reference updated")
                }
                "AcroForm" => match (inline_form(o, self.old), inline_form(n, self.new)) {
                    (oa, Some(na)) => {
                        let empty = Dictionary::new();
                        self.acroform(oa.unwrap_or(&empty), na)
                    }
                    (_, None) => self.deny("form dictionary removed"),
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
            let later_sig = v
                .as_reference()
                .ok()
                .filter(|id| self.now.is_sig_value(id) && !self.old.objects.contains_key(id));
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
                "SigFlags" => self.allow("form /SigFlags updated"),
                // Viewers draw a text or choice field's value with the
                // form's default font and appearance when the field has
                // none of its own: on such a form they are page content.
                "DR" | "DA" if self.has_other_fields(n) => self.deny(format!(
                    "form /{k} (default resources or appearance) changed on a form with non-signature fields: viewers draw field values with it"
                )),
                "DR" | "DA" => self.allow(format!("form /{k} updated")),
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
            if self.now.sig_fields.contains(f) {
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
        if on && self.has_other_fields(n) {
            self.deny("/NeedAppearances set on a form with non-signature fields: viewers would redraw their values");
        } else {
            self.allow("the signing software asked viewers to refresh signature appearances (/NeedAppearances)");
        }
    }

    /// The form `n` lists a field that is not a signature field.
    fn has_other_fields(&self, n: &Dictionary) -> bool {
        refs_in_array(n, b"Fields", self.new)
            .iter()
            .any(|f| !self.now.sig_fields.contains(f))
    }

    /// Page `n` of the signed revision, still a page: its meaning is its
    /// entries (its content, resources, annotations and geometry).
    fn page(&mut self, n: u32, o: &Dictionary, nd: &Dictionary) {
        for k in changed_keys(o, nd) {
            if k == "Annots" {
                let before = refs_in_array(o, b"Annots", self.old);
                let after = refs_in_array(nd, b"Annots", self.new);
                self.annotation_list(n, before, after);
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

    /// Page `n`'s annotations before and after: only signature widgets may
    /// be added, none removed.
    fn annotation_list(&mut self, n: u32, before: Vec<ObjectId>, after: Vec<ObjectId>) {
        let before: HashSet<ObjectId> = before.into_iter().collect();
        let after_set: HashSet<ObjectId> = after.iter().copied().collect();
        if before.iter().any(|a| !after_set.contains(a)) {
            self.deny(format!("annotation removed from page {n}"));
        }
        for a in after.iter().filter(|a| !before.contains(a)) {
            let sig_widget = self.now.sig_fields.contains(a)
                && !self.was.role(a).is_some_and(|r| r != Role::SigField);
            if sig_widget && !self.newly_signed(a) && shows_something(self.new, *a) {
                // No new signature fills it, yet it draws on the page.
                self.deny(format!(
                    "a signature widget with a visible appearance was added on page {n} without a new signature"
                ));
            } else if sig_widget {
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
    fn page_tree_node(&mut self, o: &Dictionary, n: &Dictionary) {
        for k in changed_keys(o, n) {
            if PRODUCER_MARKERS.contains(&k.as_str()) {
                self.allow(marker_note(&k, "the page tree"));
            } else {
                self.deny(format!("page tree changed (/{k})"));
            }
        }
    }

    /// A signature field or widget of the signed revision. Filling an
    /// empty field is signing; a field that already held a signature is
    /// signed content: its value, appearance and display stay as signed.
    fn sig_field(&mut self, id: &ObjectId, o: &Dictionary, n: &Dictionary) {
        let name = field_name(self.new, n);
        let signed = self.was.is_signed_field(id);
        let signed_now = self.newly_signed(id);
        for k in changed_keys(o, n) {
            match k.as_str() {
                "AP" | "MK" | "F" | "DA" | "Kids" if signed => self.deny(format!(
                    "signature field '{name}', signed before, had its /{k} changed (what it shows on the page)"
                )),
                // An empty field shows its appearance too; only signing it
                // may change what it shows.
                "AP" | "MK" | "F" | "DA" if !signed_now => self.deny(format!(
                    "empty signature field '{name}' had its /{k} changed without being signed (what it shows on the page)"
                )),
                "V" if !o.has(b"V") && signed_now => {
                    self.allow(format!("signature field '{name}' signed"))
                }
                "V" if !o.has(b"V") => self.deny(format!(
                    "empty signature field '{name}' was given a signature value that existed before this signature"
                )),
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
        if shared.iter().any(|r| self.now.side.contains(r)) {
            self.deny(format!(
                "the old appearance of signature field '{name}' is also reachable from a non-standard catalog or trailer entry"
            ));
        } else {
            self.allow(format!("appearance of signature field '{name}' updated"));
        }
    }

    /// Objects of the signed revision the final document no longer has
    /// (freed, or rewritten as something the parser takes for its own
    /// bookkeeping, such as a stream typed /ObjStm).
    fn removed(&mut self) {
        for (id, obj) in &self.old.objects {
            if self.new.objects.contains_key(id) {
                continue;
            }
            let was = self.was.role(id);
            if let Some(Role::PageContent { page, .. }) = was {
                let c = self.was.content(id).cloned();
                let what = content_change(page, id, obj, c.as_ref());
                self.deny(format!(
                    "{what}: the object is gone from the final document"
                ));
            } else if was.is_some() || !is_structural(obj) {
                self.deny(describe(id, obj, self.old, "removed"));
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

/// A widget that draws something: an appearance, a rectangle with an
/// area, and not hidden (/F bits 2 Hidden, 6 NoView).
fn shows_something(doc: &Document, id: ObjectId) -> bool {
    let Ok(d) = doc.get_dictionary(id) else {
        return false;
    };
    let flags = d.get(b"F").and_then(Object::as_i64).unwrap_or(0);
    let rect: Vec<f64> = d
        .get_deref(b"Rect", doc)
        .and_then(Object::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|o| o.as_float().ok().map(f64::from))
                .collect()
        })
        .unwrap_or_default();
    let area = match rect.as_slice() {
        [x1, y1, x2, y2] => (x2 - x1).abs() > 0.5 && (y2 - y1).abs() > 0.5,
        _ => false,
    };
    d.has(b"AP") && flags & (2 | 32) == 0 && area
}

fn is_structural(obj: &Object) -> bool {
    matches!(
        dict_of(obj).and_then(|d| d.get_type().ok()),
        Some(b"XRef" | b"ObjStm")
    )
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

fn refs(a: &[Object]) -> Vec<ObjectId> {
    a.iter().filter_map(|o| o.as_reference().ok()).collect()
}
