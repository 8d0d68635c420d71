//! Decree 30 facts from page-1 text (placeholder).

use crate::facts::DocumentFacts;

pub fn parse_document(_text: &str) -> DocumentFacts {
    DocumentFacts::default()
}
