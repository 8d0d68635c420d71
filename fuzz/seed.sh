#!/usr/bin/env bash
# fuzz/seed.sh — (re)build the seed corpora under fuzz/corpus/ from committed and generated
# inputs only: the committed sample PDFs, the failure fixtures samplegen writes, the kept
# fuzz regressions, the committed rulesets and the samples' tlkc.toml files.
# Nothing from ../shared (corpus files never enter the project).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=$ROOT/fuzz/corpus
mkdir -p "$C/inspect_pdf" "$C/ruleset" "$C/folder_config" "$C/table_import"
# PDFs up to 256 KB (libFuzzer's -max_len below); larger ones only slow every execution.
find "$ROOT/samples" -name '*.pdf' -size -256k -print0 | while IFS= read -r -d '' f; do
  cp "$f" "$C/inspect_pdf/sample-$(sha256sum "$f" | cut -c1-16).pdf"
done
FX=$(mktemp -d)
"$ROOT/target/release/samplegen" fixtures "$FX" >/dev/null
for f in "$FX"/*.pdf; do
  [ "$(stat -c %s "$f")" -le 262144 ] && cp "$f" "$C/inspect_pdf/fixture-$(basename "$f")"
done
rm -rf "$FX"
cp "$ROOT"/tests/fuzz-regressions/* "$C/inspect_pdf/" 2>/dev/null || true
cp "$ROOT"/rules/*.toml "$C/ruleset/"
find "$ROOT/samples" -name tlkc.toml -print0 | while IFS= read -r -d '' f; do
  cp "$f" "$C/folder_config/$(sha256sum "$f" | cut -c1-16).toml"
done
# The documented examples (```toml blocks of docs/config.md), one seed per block and one whole.
awk -v d="$C/folder_config" '/^```toml/{n++; on=1; next} /^```/{on=0} on{print > (d "/doc-" n ".toml"); print > (d "/doc-all.toml")}' "$ROOT/docs/config.md"
# Table importers: the first byte picks the format (0 xlsx, 1 ods, 2 csv, 3 docx).
git -C "$ROOT" ls-files -z -- '*.csv' '*.xlsx' '*.ods' '*.docx' | while IFS= read -r -d '' f; do
  case "$f" in *.xlsx) k='\x00';; *.ods) k='\x01';; *.csv) k='\x02';; *) k='\x03';; esac
  { printf "$k"; cat "$ROOT/$f"; } > "$C/table_import/$(basename "$f").seed"
done
for d in "$C"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
