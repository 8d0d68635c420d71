#!/usr/bin/env bash
# bench/huge_files.sh [BEFORE_TLKC] — peak memory and wall time of `tlkc check` on a folder
# holding what should never be read whole: a 1 GB file that is not a PDF (a sparse file, as a
# video dropped into the folder) and a 700 MB "PDF" (a header and zeros), beside one ordinary
# sample PDF. With `limits.max_file_bytes` (256 MiB by default) both are hashed in 1 MiB chunks,
# never held in memory: PDF005 for the PDF, EVD005 for the other (issue 25). Given an older
# binary as BEFORE_TLKC, it is measured in the same run. Each run gets a fresh index.
# Env: BENCH_DIR (default /tmp/tlkc-bench), TLKC (default the release build; NO_BUILD=1 skips building).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tlkc-bench}/huge-files
cd "$ROOT"
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p tlkc
TLKC=${TLKC:-$ROOT/target/release/tlkc}
rm -rf "$WORK" && mkdir -p "$WORK/evidence/1.3.1 Kế hoạch"
dir="$WORK/evidence/1.3.1 Kế hoạch"
cp "$(find "$ROOT/samples/dak-glei-2022" -name '*.pdf' | sort | head -1)" "$dir/"
truncate -s 1G "$dir/video.mp4"
{ printf '%%PDF-1.7\n'; head -c 700000000 /dev/zero; } > "$dir/scan-lon.pdf"
cat "$dir"/* > /dev/null   # page cache warm: what is measured is tlkc, not the disk
for bin in ${1:+"$1"} "$TLKC"; do
  rm -rf "$WORK/evidence/.tlkc"
  /usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$WORK/time.txt" \
    "$bin" check "$WORK/evidence" --no-ocr --as-of 2026-12-06 --format json -o "$WORK/report.json" \
    >/dev/null 2>&1 || true
  printf '%s: %s\n' "$bin" "$(tail -n 1 "$WORK/time.txt")"
done
rm -rf "$WORK"
