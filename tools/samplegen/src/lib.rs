//! Generator of sample evidence PDFs (placeholder).
