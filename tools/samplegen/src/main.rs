//! `cargo run -p samplegen -- samples [DIR]` rewrites the committed sample folders.

use anyhow::{bail, Context, Result};
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
        Some("fixtures") => {
            // Not committed: for looking at the failure fixtures with pdfsig/qpdf by hand.
            use samplegen::fixtures::*;
            let dir = PathBuf::from(args.get(1).map_or("fixtures", String::as_str));
            std::fs::create_dir_all(&dir)?;
            let spec = example_spec();
            let t = default_time(&spec);
            let files: Vec<(&str, Vec<u8>)> = vec![
                ("signed.pdf", signed(&spec, t)?),
                (
                    "modified-after-signing.pdf",
                    modified_after_signing(&spec, t)?,
                ),
                ("zeroed-contents.pdf", zeroed_contents(&spec, t)?),
                ("garbage-contents.pdf", garbage_contents(&spec, t)?),
                ("byterange-gap.pdf", byterange_gap(&spec, t, 100)?),
                ("digest-mismatch.pdf", digest_mismatch(&spec, t)?),
                ("expired-cert.pdf", expired_cert(&spec, t)?),
                ("forged-ca-name.pdf", forged_ca_name(&spec, t)?),
                ("unknown-ca.pdf", unknown_ca(&spec, t)?),
                (
                    "forged-government-chain.pdf",
                    forged_government_chain(&spec, t)?,
                ),
                (
                    "forged-government-chain-sha1.pdf",
                    forged_government_chain_sha1(&spec, t)?,
                ),
                ("self-signed-commune.pdf", self_signed_commune(&spec, t)?),
                (
                    "lookalike-intermediate.pdf",
                    lookalike_intermediate(&spec, t)?,
                ),
                ("party-ca-not-embedded.pdf", party_ca_not_embedded(&spec, t)?),
                ("truncated.pdf", truncated_half(&spec, t)?),
                ("not-a-pdf.pdf", not_a_pdf()),
                ("encrypted-looking.pdf", encrypted_looking(&spec)?),
                ("old-scan-v13.pdf", old_scan_v13(&spec)?),
            ];
            for (name, bytes) in files {
                std::fs::write(dir.join(name), bytes)?;
            }
            Ok(())
        }
        Some("bench-corpus") => {
            // `samplegen bench-corpus DIR --files N [--shape scans-heavy|ordinary|e-office]`: bench/run.sh.
            let dir = PathBuf::from(args.get(1).map_or("bench-corpus", String::as_str));
            let n = match args.iter().position(|a| a == "--files") {
                Some(i) => args.get(i + 1).context("--files N")?.parse()?,
                None => 2000,
            };
            let shape = match args.iter().position(|a| a == "--shape") {
                Some(i) => args.get(i + 1).context("--shape scans-heavy|ordinary|e-office")?.parse()?,
                None => samplegen::bench::Shape::ScansHeavy,
            };
            let (files, bytes) = samplegen::bench::write_bench_corpus(&dir, n, shape)?;
            println!(
                "wrote {files} files ({} MB) under {}",
                bytes / 1_000_000,
                dir.join("evidence").display()
            );
            Ok(())
        }
        Some("small-corpus") => {
            // `samplegen small-corpus DIR --files N`: the memory guard's corpus (issue 25).
            let dir = PathBuf::from(args.get(1).map_or("small-corpus", String::as_str));
            let n = match args.iter().position(|a| a == "--files") {
                Some(i) => args.get(i + 1).context("--files N")?.parse()?,
                None => 800,
            };
            let (files, bytes) = samplegen::bench::write_small_corpus(&dir, n)?;
            println!(
                "wrote {files} files ({} KB) under {}",
                bytes / 1000,
                dir.join("evidence").display()
            );
            Ok(())
        }
        Some("oversized-scans") => {
            // `samplegen oversized-scans DIR [--files N]`: bench/oversized_scans.sh.
            let dir = PathBuf::from(args.get(1).map_or("oversized-scans", String::as_str));
            let n = match args.iter().position(|a| a == "--files") {
                Some(i) => args.get(i + 1).context("--files N")?.parse()?,
                None => 10,
            };
            let written = samplegen::oversized::write_oversized_scans(&dir, n)?;
            println!("wrote {} oversized scans under {}", written.len(), dir.display());
            Ok(())
        }
        _ => bail!(
            "usage: samplegen samples [DIR] | samplegen fixtures [DIR] | samplegen bench-corpus DIR [--files N] [--shape scans-heavy|ordinary|e-office] | samplegen small-corpus DIR [--files N] | samplegen oversized-scans DIR [--files N]"
        ),
    }
}
