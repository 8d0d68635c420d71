#!/usr/bin/env bash
# bench/oversized_scans.sh [FILES] — peak memory and wall time of `tlkc check` on FILES (default
# 10) 3 KB PDFs, each a blank 20,000 × 20,000 CCITT G4 scan (`samplegen oversized-scans`; half on
# A4 pages, half on 200-inch pages that a reader enlarges), with OCR on: a stand-in Tesseract
# (TLKC_TESSERACT, written here) that knows `vie`, reads the whole image and recognises nothing,
# so what is measured is tlkc's own decoding, not the engine. Issue 21: ≤ 3 GB, with a report.
# A fresh copy of the folder per run (no index to reuse). The run is fenced by `ulimit -v`
# (VMEM_KB, default 12,000,000) and `timeout` (LIMIT_S, default 600) to protect the machine.
# Env: BENCH_DIR (default /tmp/tlkc-bench), TLKC (default the release build; NO_BUILD=1 skips
# building; the debug build is what issue 21's numbers were taken with).
set -euo pipefail
N=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tlkc-bench}/oversized-scans-$N
cd "$ROOT"
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p tlkc -p samplegen
TLKC=${TLKC:-$ROOT/target/release/tlkc}
SAMPLEGEN=${SAMPLEGEN:-$(dirname "$TLKC")/samplegen}
rm -rf "$WORK" && mkdir -p "$WORK"
"$SAMPLEGEN" oversized-scans "$WORK/scans" --files "$N" >/dev/null
cat > "$WORK/tesseract" <<'EOF'
#!/bin/sh
case "$1" in
  --list-langs) printf 'List of available languages in "/fake/" (2):\neng\nvie\n'; exit 0;;
  --version) echo 'tesseract 5.3.0 (fake)'; exit 0;;
esac
cat > /dev/null
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
EOF
chmod +x "$WORK/tesseract"
cp -a "$WORK/scans" "$WORK/run"
set +e
(
  ulimit -v "${VMEM_KB:-12000000}"
  TLKC_TESSERACT=$WORK/tesseract /usr/bin/time -v -o "$WORK/time.txt" \
    timeout "${LIMIT_S:-600}" "$TLKC" check "$WORK/run" --as-of 2022-11-30 --lang en --format json \
    >"$WORK/report.json" 2>"$WORK/stderr.txt"
)
code=$?
set -e
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
findings=$(python3 - "$WORK/report.json" <<'PY'
import collections, json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"no report ({e.__class__.__name__})"); sys.exit()
c = collections.Counter(f["code"] for f in r["findings"])
print(", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k.startswith("PDF")) or "no PDF findings")
PY
)
echo "$N oversized scans: exit $code, wall $wall, peak RSS $((rss_kb / 1024)) MB; $findings"
