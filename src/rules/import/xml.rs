//! Shared by the streaming .docx and .ods readers: quick-xml events with
//! namespaces resolved, entity references turned into text, no DTD, and a
//! bound on nesting. Streaming, not a DOM: memory follows the cells kept,
//! not the XML's size.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use super::ImportError;

/// Elements open at once. Word and LibreOffice files stay within a few dozen;
/// the namespace resolver counts levels in 16 bits, so a crafted file must be
/// stopped well before 65,536.
const MAX_DEPTH: usize = 10_000;

/// A namespace-resolving reader over a decoded zip member.
pub struct Xml<'x> {
    r: NsReader<&'x [u8]>,
    depth: usize,
    member: &'static str,
}

impl<'x> Xml<'x> {
    pub fn new(xml: &'x [u8], member: &'static str) -> Xml<'x> {
        let mut r = NsReader::from_reader(xml);
        r.config_mut().check_end_names = true;
        Xml {
            r,
            depth: 0,
            member,
        }
    }

    /// An unreadable-file error naming the member.
    pub fn bad(&self, e: impl std::fmt::Display) -> ImportError {
        ImportError::Unreadable(format!("{}: {e}", self.member))
    }

    /// The next event and the namespace of its element (if any). A DTD is
    /// refused: criteria files never carry one, and it is how entity-expansion
    /// bombs start.
    pub fn next(&mut self) -> Result<(Option<Vec<u8>>, Event<'x>), ImportError> {
        let member = self.member;
        let (ns, ev) = self
            .r
            .read_resolved_event()
            .map_err(|e| ImportError::Unreadable(format!("{member}: {e}")))?;
        match &ev {
            Event::DocType(_) => {
                return Err(self.bad("a document type declaration (DTD) is not allowed"))
            }
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.bad(format!("elements nested more than {MAX_DEPTH} deep")));
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        let ns = match ns {
            ResolveResult::Bound(Namespace(n)) => Some(n.to_vec()),
            _ => None,
        };
        Ok((ns, ev))
    }

    /// Past the end of the element `e` (just read as `Start`) opened.
    pub fn skip(&mut self, e: &BytesStart) -> Result<(), ImportError> {
        let member = self.member;
        self.r
            .read_to_end(e.to_end().name())
            .map_err(|err| ImportError::Unreadable(format!("{member}: {err}")))?;
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// The value of the attribute `local` in namespace `ns`, unescaped.
    pub fn attr(&self, e: &BytesStart, ns: &[u8], local: &[u8]) -> Option<String> {
        e.attributes().flatten().find_map(|a| {
            let (res, name) = self.r.resolver().resolve_attribute(a.key);
            let bound = matches!(res, ResolveResult::Bound(Namespace(n)) if n == ns);
            (bound && name.into_inner() == local)
                .then(|| {
                    a.decode_and_unescape_value(self.r.decoder())
                        .ok()
                        .map(|v| v.into_owned())
                })
                .flatten()
        })
    }
}

/// The local name of an element (`w:tc` → `tc`).
pub fn local<'a>(e: &'a BytesStart) -> &'a [u8] {
    e.local_name().into_inner()
}

/// Append an entity or character reference (`&amp;`, `&#xA0;`) as text.
pub fn push_ref(out: &mut String, e: &BytesRef) {
    let Ok(name) = e.decode() else {
        return;
    };
    if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
        out.push_str(s);
    } else if let Ok(Some(c)) = e.resolve_char_ref() {
        out.push(c);
    }
}
