//! `cargo run -p samplegen -- samples [DIR]` rewrites the committed sample folders.

use anyhow::{bail, Result};
use std::path::PathBuf;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("samples") => {
            let dir = args.get(1).map(PathBuf::from).unwrap_or_else(|| {
                // Default to the workspace's samples/ regardless of the current directory.
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples")
            });
            let written = samplegen::samples::write_samples(&dir)?;
            let total: u64 = written
                .iter()
                .map(|p| std::fs::metadata(dir.join(p)).map_or(0, |m| m.len()))
                .sum();
            println!(
                "wrote {} files ({} KB) under {}",
                written.len(),
                total / 1024,
                dir.display()
            );
            Ok(())
        }
        _ => bail!("usage: samplegen samples [DIR]"),
    }
}
