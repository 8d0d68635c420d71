//! What changed after a signature: the signed revision (`bytes[..b+c]`) is
//! loaded as its own document and compared with the final document by what
//! each rewritten object meant in the signed revision: an object the signed
//! pages reached stays page content whatever role it claims later, and
//! roles come from paths from the roots, never from a claimed /Type. Later signatures,
//! document timestamps, validation data (DSS), their appearances and the
//! signing software's own artefacts (version markers, permission
//! declarations, XMP metadata) are allowed; anything touching pages,
//! content, annotations, form values, actions or embedded files is not
//! (incremental saving and shadow attacks live there). See
//! docs/signatures.md, "Signing software artefacts".

mod diff;
mod roles;
mod words;
mod xref;

use std::collections::HashMap;

use lopdf::Document;

use crate::facts::ModifiedAfter;

#[derive(Debug, Clone, Default)]
pub struct Diff {
    pub modified: Option<ModifiedAfter>,
    pub changes: Vec<String>,
    pub notes: Vec<String>,
}

pub struct Revisions<'a> {
    bytes: &'a [u8],
    /// What signed revisions are loaded from: `bytes` with the signatures'
    /// hex replaced (same length), see `gaps`.
    view: Option<&'a super::gaps::ParseView<'a>>,
    doc: Option<&'a Document>,
    cache: HashMap<usize, Diff>,
    roles: Option<roles::Roles>,
}

/// Largest decompressed stream when loading a signed revision.
const MAX_STREAM: usize = 32 << 20;

impl<'a> Revisions<'a> {
    pub fn new(bytes: &'a [u8], doc: Option<&'a Document>) -> Self {
        Revisions {
            bytes,
            view: None,
            doc,
            cache: HashMap::new(),
            roles: None,
        }
    }

    /// Loads signed revisions from `view` (made from the same bytes).
    pub fn parsing(mut self, view: &'a super::gaps::ParseView<'a>) -> Self {
        debug_assert_eq!(view.bytes().len(), self.bytes.len());
        self.view = Some(view);
        self
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
        let parse = self.view.map_or(self.bytes, |v| v.bytes());
        let old = match Document::load_mem_with_options(&parse[..end], opts) {
            Ok(mut d) => {
                if let Some(v) = self.view {
                    v.restore(&mut d);
                }
                d
            }
            Err(e) => {
                return Diff {
                    notes: vec![format!(
                        "later changes cannot be assessed: the signed revision does not load ({e})"
                    )],
                    ..Default::default()
                }
            }
        };
        let was = roles::Roles::of(&old);
        let now = self.roles.get_or_insert_with(|| roles::Roles::of(new));
        let mut d = diff::Compare::run(&old, new, &was, now);
        let twice = xref::ambiguous(&self.bytes[end..], new, &old);
        if !twice.is_empty() {
            let list: Vec<String> = twice.iter().map(u32::to_string).collect();
            d.changes.insert(
                0,
                format!(
                    "the cross-reference data written after this signature lists object(s) {} more than once with different entries: readers differ on which version they show",
                    list.join(", ")
                ),
            );
            if d.modified != Some(ModifiedAfter::Disallowed) {
                d.modified = Some(ModifiedAfter::Disallowed);
                d.changes
                    .retain(|c| c != "allowed: an incremental update with no object changes");
                d.notes.push(
                    "the document was changed after signing in ways a signature does not permit"
                        .into(),
                );
            }
        }
        d
    }
}

#[cfg(test)]
mod tests;
