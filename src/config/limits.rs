//! Resource limits that keep one hostile file from stalling the run.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest decompressed stream, in bytes (Flate bombs).
    pub max_stream_bytes: usize,
    /// Largest page-1 content (after decompression) scanned for text.
    pub max_content_bytes: usize,
    /// Deepest Form XObject nesting followed for text.
    pub max_xobject_depth: u32,
    /// Most text operators read from page 1.
    pub max_text_ops: usize,
    /// Most signatures examined per file.
    pub max_signatures: usize,
    /// Largest CMS blob (/Contents) parsed, in bytes.
    pub max_cms_bytes: usize,
    /// Wall-clock budget for inspecting one file, in milliseconds; past it the
    /// file is reported (PDF005) and the run goes on without it.
    pub time_budget_ms: u64,
    /// Memory for decoded scan images, in bytes, shared by every worker of
    /// the run; an image that alone needs more is not read (PDF005).
    pub max_image_bytes: u64,
    /// Largest file read into memory for inspection, in bytes. A larger one
    /// is only hashed on the way through (never held whole): a PDF is then
    /// reported as PDF005, any other file as what it is.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: 32 << 20,
            max_content_bytes: 8 << 20,
            max_xobject_depth: 8,
            max_text_ops: 200_000,
            max_signatures: 64,
            max_cms_bytes: 1 << 20,
            time_budget_ms: 15_000,
            max_image_bytes: 512 << 20,
            max_file_bytes: 256 << 20,
        }
    }
}
