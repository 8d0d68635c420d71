//! The pages of a document as a reader finds them. lopdf's own walk only
//! yields kids typed `/Page` and silently drops any other kid, so a page
//! whose dictionary claims `/Type /StructElem` is invisible to it while
//! poppler and pdf.js show it. Readers decide by shape: a kid is a page
//! when it is typed `/Page` or has no `/Kids`; any other dictionary is an
//! intermediate node (poppler `Catalog::cachePageTree`; pdf.js
//! `Catalog.getPageDict` likewise). Loops are skipped, as poppler does.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Deepest page tree walked (poppler and lopdf stop at similar depths).
const MAX_DEPTH: usize = 256;

/// Page object ids in reading order, page 1 first.
pub fn page_ids(doc: &Document) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
    else {
        return out;
    };
    let Ok(root_dict) = doc.get_dictionary(root) else {
        return out;
    };
    if !root_dict.has(b"Kids") && is_type(root_dict, b"Page") {
        // A malformed file whose /Pages is one page; poppler recovers it.
        out.push(root);
        return out;
    }
    // Each kid visited costs one step, so no tree of shared nodes can make
    // the walk longer than the file has objects.
    let mut budget = doc.objects.len().saturating_add(1);
    // (node, its kids, next kid): the path from the root to the current node.
    let mut stack: Vec<(ObjectId, &[Object], usize)> = vec![(root, kids_of(doc, root), 0)];
    while let Some(top) = stack.last_mut() {
        let Some(kid) = top.1.get(top.2) else {
            stack.pop();
            continue;
        };
        top.2 += 1;
        if budget == 0 {
            break;
        }
        budget -= 1;
        let Ok(kid_id) = kid.as_reference() else {
            continue;
        };
        if stack.iter().any(|(n, _, _)| *n == kid_id) {
            continue; // loop in the page tree
        }
        match doc.get_dictionary(kid_id) {
            Ok(d) if is_type(d, b"Page") || !d.has(b"Kids") => {
                // A page listed twice is shown twice; the step budget
                // keeps shared kids from multiplying without end.
                out.push(kid_id);
            }
            Ok(_) if stack.len() < MAX_DEPTH => stack.push((kid_id, kids_of(doc, kid_id), 0)),
            Ok(_) => {}
            // A kid that does not load keeps its slot: readers show a
            // blank page there (lopdf does the same).
            Err(_) => out.push(kid_id),
        }
    }
    out
}

/// Page-tree nodes (the root and every intermediate node) the walk of
/// [`page_ids`] goes through.
pub fn node_ids(doc: &Document) -> HashSet<ObjectId> {
    let mut out = HashSet::new();
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
    else {
        return out;
    };
    let mut stack = vec![(root, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        if depth > MAX_DEPTH || out.len() > doc.objects.len() {
            break;
        }
        let Ok(d) = doc.get_dictionary(id) else {
            continue;
        };
        if depth > 0 && (is_type(d, b"Page") || !d.has(b"Kids")) {
            continue; // a page
        }
        if !out.insert(id) {
            continue;
        }
        for k in kids_of(doc, id).iter() {
            if let Ok(k) = k.as_reference() {
                stack.push((k, depth + 1));
            }
        }
    }
    out
}

fn kids_of(doc: &Document, node: ObjectId) -> &[Object] {
    doc.get_dictionary(node)
        .ok()
        .and_then(|d| d.get_deref(b"Kids", doc).ok())
        .and_then(|k| k.as_array().ok())
        .map_or(&[], Vec::as_slice)
}

fn is_type(d: &Dictionary, t: &[u8]) -> bool {
    d.get_type().is_ok_and(|x| x == t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object};

    /// A document whose page tree holds `kids` (built by the caller).
    fn doc_with(kids: impl FnOnce(&mut Document, ObjectId) -> Vec<Object>) -> Document {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let kids = kids(&mut doc, pages);
        let count = kids.len() as i64;
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count,
            }),
        );
        let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", cat);
        doc
    }

    fn page(doc: &mut Document, parent: ObjectId, ty: &str) -> Object {
        Object::Reference(doc.add_object(dictionary! {
            "Type" => ty, "Parent" => parent,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }))
    }

    #[test]
    fn a_kid_with_an_unexpected_type_and_no_kids_is_a_page() {
        let doc = doc_with(|d, p| vec![page(d, p, "Page"), page(d, p, "StructElem")]);
        assert_eq!(page_ids(&doc).len(), 2);
        // lopdf alone counts one: the reason this walk exists.
        assert_eq!(doc.get_pages().len(), 1);
    }

    #[test]
    fn an_untyped_node_with_kids_is_walked_and_loops_are_skipped() {
        let doc = doc_with(|d, p| {
            let node = d.new_object_id();
            let a = page(d, node, "Page");
            // The node lists itself and its own parent: both loops.
            d.objects.insert(
                node,
                Object::Dictionary(dictionary! {
                    "Kids" => vec![a, Object::Reference(node), Object::Reference(p)],
                    "Parent" => p,
                }),
            );
            vec![Object::Reference(node), page(d, p, "Page")]
        });
        assert_eq!(page_ids(&doc).len(), 2);
        assert_eq!(node_ids(&doc).len(), 2);
    }
}
