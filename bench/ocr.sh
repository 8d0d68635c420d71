#!/usr/bin/env bash
# bench/ocr.sh — time per scanned page: `tlkc inspect` on the genuine scans of
# ../shared/corpus/real-vn (page 1 without a usable text layer), with OCR and
# with --no-ocr, in the same run. Prints per file the median of RUNS runs and
# the median over the files of (OCR − no OCR): the cost of OCR per page.
# Env: RUNS (default 3), TLKC (binary, default the release build; NO_BUILD=1 skips building).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/real-vn}
[ -f "$CORPUS/manifest.json" ] || { echo "no corpus at $CORPUS" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract not installed" >&2; exit 1; }
[ -n "${NO_BUILD:-}" ] || (cd "$ROOT" && cargo build --release -q -p tlkc)
TLKC=${TLKC:-$ROOT/target/release/tlkc} RUNS=${RUNS:-3} CORPUS=$CORPUS python3 - <<'PY'
import json, os, statistics, subprocess, time
tlkc, runs, corpus = os.environ["TLKC"], int(os.environ["RUNS"]), os.environ["CORPUS"]
scans = [e["path"] for e in json.load(open(os.path.join(corpus, "manifest.json")))
         if e.get("page1_text_kind") in ("none", "stamp-only", "ocr-garbage")]
def median_time(args):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([tlkc, "inspect", "--format", "json", *args], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)
costs = []
print(f"{'file':<48} {'ocr s':>7} {'no-ocr s':>9}")
for rel in scans:
    path = os.path.join(corpus, rel)
    with_ocr, without = median_time([path]), median_time(["--no-ocr", path])
    costs.append(with_ocr - without)
    print(f"{rel:<48} {with_ocr:7.2f} {without:9.2f}")
print(f"\n{len(scans)} scanned pages, {runs} runs each: median OCR time per page "
      f"{statistics.median(costs):.2f} s (min {min(costs):.2f}, max {max(costs):.2f})")
PY
