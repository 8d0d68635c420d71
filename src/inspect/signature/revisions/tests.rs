use samplegen::artefacts::{approval_then_org, Artefact, Staged};
use samplegen::fixtures::{default_time, example_spec};

use super::*;

fn staged(a: Artefact, hostile: bool) -> Staged {
    let spec = example_spec();
    approval_then_org(&spec, default_time(&spec), a, hostile).unwrap()
}

/// What the approval signature sees changed after it.
fn diff_of(s: &Staged) -> Diff {
    let doc = Document::load_mem(&s.bytes).unwrap();
    Revisions::new(&s.bytes, Some(&doc)).compare(s.approval_end)
}

fn has(d: &Diff, part: &str) -> bool {
    d.changes.iter().any(|c| c.contains(part))
}

#[test]
fn each_artefact_alone_is_allowed_with_a_plain_note() {
    for (a, note) in [
        (
            Artefact::Itxt,
            "allowed: the signing software added its version marker (/ITXT) to the page tree",
        ),
        (
            Artefact::PieceInfo,
            "allowed: the signing software added its private data (/PieceInfo) to the page tree",
        ),
        (
            Artefact::Perms,
            "allowed: a later signer declared document permissions (/Perms /DocMDP",
        ),
        (
            Artefact::NeedAppearances,
            "allowed: the signing software asked viewers to refresh signature appearances",
        ),
        (
            Artefact::Metadata,
            "allowed: the signing software attached XMP metadata",
        ),
        (
            Artefact::Info,
            "allowed: document information (/Info) updated",
        ),
        (Artefact::Dss, "allowed: validation data (DSS) added"),
        (
            Artefact::Extensions,
            "allowed: extensions declaration updated",
        ),
    ] {
        let d = diff_of(&staged(a, false));
        assert_eq!(
            d.modified,
            Some(ModifiedAfter::Allowed),
            "{a:?}: {:?}",
            d.changes
        );
        assert!(has(&d, note), "{a:?}: {:?}", d.changes);
        assert!(
            d.changes.iter().all(|c| c.starts_with("allowed: ")),
            "{a:?}: {:?}",
            d.changes
        );
    }
}

#[test]
fn each_hostile_twin_is_disallowed_and_says_what_changed() {
    for (a, change) in [
        (Artefact::Itxt, "page tree changed (/Kids)"),
        (Artefact::PieceInfo, "1 page(s) added"),
        (Artefact::Perms, "1 page(s) added"),
        (
            Artefact::NeedAppearances,
            "/NeedAppearances set on a form with non-signature fields",
        ),
        (Artefact::Metadata, "(/OpenAction) was added"),
        (Artefact::Info, "1 page(s) added"),
        (Artefact::Dss, "1 page(s) added"),
        (Artefact::Extensions, "1 page(s) added"),
    ] {
        let d = diff_of(&staged(a, true));
        assert_eq!(
            d.modified,
            Some(ModifiedAfter::Disallowed),
            "{a:?}: {:?}",
            d.changes
        );
        assert!(has(&d, change), "{a:?}: {:?}", d.changes);
    }
    let d = diff_of(&staged(Artefact::NeedAppearances, true));
    assert!(has(&d, "form field added"), "{:?}", d.changes);
}

#[test]
fn the_last_signature_sees_nothing_after_it() {
    let s = staged(Artefact::Itxt, false);
    let doc = Document::load_mem(&s.bytes).unwrap();
    let d = Revisions::new(&s.bytes, Some(&doc)).compare(s.bytes.len());
    assert_eq!(d.modified, Some(ModifiedAfter::None));
    assert!(d.changes.is_empty());
}

#[test]
fn a_signed_revision_that_does_not_load_is_a_note_not_a_verdict() {
    let s = staged(Artefact::Itxt, false);
    let doc = Document::load_mem(&s.bytes).unwrap();
    let d = Revisions::new(&s.bytes, Some(&doc)).compare(40);
    assert_eq!(d.modified, None);
    assert!(d.notes[0].contains("cannot be assessed"), "{:?}", d.notes);
    let d = Revisions::new(&s.bytes, None).compare(s.approval_end);
    assert_eq!(d.modified, None);
}

#[test]
fn marker_notes_name_the_place() {
    assert_eq!(
        words::marker_note("LastModified", "page 2"),
        "the signing software recorded a modification date (/LastModified) on page 2"
    );
}

/// Issue 21: every real change to what the approval signer saw, hidden
/// behind every role a later signer may use, stays a disallowed change
/// named for what it really is. Generated: {change} × {disguise}.
#[test]
fn every_disguised_change_is_disallowed_and_named() {
    use samplegen::attacks::{all, disguised};
    let spec = example_spec();
    let variants = all();
    assert_eq!(variants.len(), 6 * 16);
    let mut failures = Vec::new();
    for (change, disguise) in variants {
        let s = disguised(&spec, default_time(&spec), change, disguise).unwrap();
        let d = diff_of(&s);
        if d.modified != Some(ModifiedAfter::Disallowed) || !has(&d, change.words()) {
            failures.push(format!(
                "{change:?} as {disguise:?}: {:?} {:?}",
                d.modified, d.changes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The disguise alone names what the object was when signed.
#[test]
fn a_rewritten_content_stream_is_named_by_its_old_role() {
    use samplegen::attacks::{disguised, Change, Disguise};
    let spec = example_spec();
    let s = disguised(
        &spec,
        default_time(&spec),
        Change::ContentStream,
        Disguise::TypeSig,
    )
    .unwrap();
    let d = diff_of(&s);
    assert!(
        has(&d, "page 1 content changed (content stream, object") && has(&d, "now typed /Sig"),
        "{:?}",
        d.changes
    );
}

/// A page hidden behind a kid typed /StructElem is a page, as readers show it.
#[test]
fn a_hidden_page_is_counted() {
    use samplegen::attacks::{disguised, Change, Disguise};
    let spec = example_spec();
    let s = disguised(
        &spec,
        default_time(&spec),
        Change::HiddenPage,
        Disguise::Itxt,
    )
    .unwrap();
    let doc = Document::load_mem(&s.bytes).unwrap();
    let old = Document::load_mem(&s.bytes[..s.approval_end]).unwrap();
    assert_eq!(
        crate::inspect::pages::page_ids(&doc).len(),
        crate::inspect::pages::page_ids(&old).len() + 1
    );
}

/// A signature field that was already signed keeps the appearance it was
/// signed with: a new stamp on it is a change to page 1.
#[test]
fn a_new_appearance_on_a_signed_field_is_disallowed() {
    let spec = example_spec();
    let s = samplegen::attacks::restamped(&spec, default_time(&spec)).unwrap();
    let d = diff_of(&s);
    assert_eq!(
        d.modified,
        Some(ModifiedAfter::Disallowed),
        "{:?}",
        d.changes
    );
    assert!(
        has(&d, "signed before, had its /AP changed"),
        "{:?}",
        d.changes
    );
}

/// Resources inherited from the page tree are page 1's resources: a
/// rewrite claiming /Type /MarkInfo is still "page 1 resources changed".
#[test]
fn inherited_resources_are_page_content() {
    use lopdf::{dictionary, Object, Stream};
    let mut old = Document::with_version("1.7");
    let pages = old.new_object_id();
    let font = old.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
    });
    let res = old.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let content = old.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 720 Td (ngay 15) Tj ET".to_vec(),
    ));
    let page = old.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
    });
    old.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            "Resources" => res,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let cat = old.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    old.trailer.set("Root", cat);
    let mut new = old.clone();
    new.objects.insert(
        font,
        Object::Dictionary(dictionary! {
            "Type" => "MarkInfo", "Subtype" => "Type1", "BaseFont" => "Courier",
        }),
    );
    let d = diff::Compare::run(&old, &new, &roles::Roles::of(&old), &roles::Roles::of(&new));
    assert_eq!(
        d.modified,
        Some(ModifiedAfter::Disallowed),
        "{:?}",
        d.changes
    );
    assert!(
        has(&d, "page 1 resources changed (font, object") && has(&d, "now typed /MarkInfo"),
        "{:?}",
        d.changes
    );
}
