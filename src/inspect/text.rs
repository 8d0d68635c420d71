//! Page-1 text extraction (placeholder: replaced by the positional extractor).

use super::Limits;

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("resource limit: {0}")]
    Limit(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

pub fn page1_text(doc: &lopdf::Document, _limits: &Limits) -> Result<String, TextError> {
    doc.extract_text(&[1])
        .map_err(|e| TextError::Pdf(e.to_string()))
}
