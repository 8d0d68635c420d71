#!/usr/bin/env bash
# bench/run.sh N — tlkc check vs sha256sum / pdfsig / pyHanko on generated corpora of N files,
# one per corpus shape, reported side by side:
#   scans-heavy  60 % signed text PDFs padded to 100 KB–2 MB, 30 % scans of 1–5 MB, 10 % broken;
#   ordinary     70 % signed born-digital PDFs of 50–500 KB (1–8 signatures, some updated after
#                signing, some long with many fonts), 20 % scans of 0.3–3 MB, 10 % other.
# Everything of one shape is measured in one run on the same corpus; medians of RUNS runs.
# The page cache cannot be dropped here (no root on shared machines): the corpus is read once
# before measuring, so every number is page-cache warm. "cold" means a fresh index database.
# Env: BENCH_DIR (default /tmp/tlkc-bench), RUNS (default 5), TLKC (binary to measure,
# default the release build), SUBSET (every k-th file for pdfsig/pyHanko, default 10),
# SHAPES (default "scans-heavy ordinary"), RSS_ONLY=1 (generate, then only peak RSS of a
# cold and a warm run: for large N), NO_BUILD=1.
set -euo pipefail
N=${1:-200}
RUNS=${RUNS:-5}
SUBSET=${SUBSET:-10}
SHAPES=${SHAPES:-scans-heavy ordinary}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BENCH_DIR:-/tmp/tlkc-bench}
cd "$ROOT"
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p tlkc -p samplegen
TLKC=${TLKC:-$ROOT/target/release/tlkc}

measure() { # measure SHAPE: writes $BASE/SHAPE/nN/results
  local shape=$1
  local WORK=$BASE/$shape/n$N
  mkdir -p "$WORK"
  local EV=$WORK/evidence
  if [ ! -f "$WORK/.complete" ]; then
    rm -rf "$EV" "$WORK/ca"
    "$ROOT/target/release/samplegen" bench-corpus "$WORK" --files "$N" --shape "$shape"
    touch "$WORK/.complete"
  fi
  local OUT=$WORK/results; rm -rf "$OUT"; mkdir -p "$OUT"
  ( cd "$EV" && find . -name '*.pdf' -print0 | sort -z ) > "$OUT/files0"
  ( cd "$EV" && find . -name '*.pdf' -print0 | sort -z | awk 'BEGIN{RS="\0";ORS="\0"} NR%100==1' ) > "$OUT/touch0"
  ( cd "$EV" && find . -name '*.pdf' -print0 | sort -z | awk -v k="$SUBSET" 'BEGIN{RS="\0";ORS="\0"} NR%k==1' ) > "$OUT/subset0"
  local NFILES NSUB BYTES
  NFILES=$(tr -cd '\0' < "$OUT/files0" | wc -c)
  NSUB=$(tr -cd '\0' < "$OUT/subset0" | wc -c)
  BYTES=$(cd "$EV" && xargs -0 cat < "$OUT/files0" | wc -c)   # also the warm-up read
  echo "[$shape] corpus: $NFILES files, $((BYTES / 1000000)) MB in $EV (page cache warmed); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  local DB=$WORK/bench.db
  local CHECK="$TLKC check $EV --db $DB --no-progress -qq"
  local HF0="hyperfine -N --style basic -i"
  local HF="$HF0 --runs $RUNS"
  cd "$EV"
  if [ -n "${RSS_ONLY:-}" ]; then
    rm -f $DB $DB-wal $DB-shm
    /usr/bin/time -v $CHECK 2> "$OUT/rss_cold.txt" || true
    /usr/bin/time -v $CHECK 2> "$OUT/rss_warm.txt" || true
    grep -E "Maximum resident|Elapsed|User time|System time" "$OUT"/rss_*.txt
    cd "$ROOT"; return
  fi
  cat /proc/loadavg > "$OUT/load_before"
  $HF --warmup 1 --export-json "$OUT/a_sha256sum.json" "xargs -0 -a $OUT/files0 sha256sum"
  $HF --prepare "rm -f $DB $DB-wal $DB-shm" --export-json "$OUT/b_cold.json" "$CHECK"
  $CHECK || true
  $HF --warmup 1 --export-json "$OUT/c_warm.json" "$CHECK"
  # Hash-only cost inside tlkc: --rehash reads and hashes every file, inspects none.
  $HF --export-json "$OUT/g_rehash.json" "$CHECK --rehash"
  $HF --prepare "xargs -0 -a $OUT/touch0 touch" --export-json "$OUT/d_touch1.json" "$CHECK"
  # Bytes of 1 % change before every run (a line appended after %%EOF): re-hash and re-inspect.
  printf '#!/bin/sh\nxargs -0 -a %s sh -c '\''for f; do printf "%%%% bench %%s\\n" "$(date +%%s%%N)" >> "$f"; done'\'' _\n' "$OUT/touch0" > "$OUT/edit1.sh"
  chmod +x "$OUT/edit1.sh"
  # Peak RSS: a cold run (fresh db) and a warm one.
  rm -f $DB $DB-wal $DB-shm
  /usr/bin/time -v $CHECK 2> "$OUT/rss_cold.txt" || true
  /usr/bin/time -v $CHECK 2> "$OUT/rss_warm.txt" || true
  if command -v pdfsig >/dev/null; then
    printf '#!/bin/sh\nxargs -0 -n1 -a %s pdfsig >/dev/null 2>&1; exit 0\n' "$OUT/subset0" > "$OUT/pdfsig.sh"
    chmod +x "$OUT/pdfsig.sh"
    $HF0 --runs 3 --export-json "$OUT/e_pdfsig.json" "$OUT/pdfsig.sh"
  fi
  if python3 -c 'import pyhanko' 2>/dev/null; then
    python3 "$ROOT/bench/pyhanko_validate.py" "$OUT/subset0" "$WORK/ca/root.pem" 3 > "$OUT/f_pyhanko.json" || true
  fi
  $HF --prepare "$OUT/edit1.sh" --export-json "$OUT/d_edit1.json" "$CHECK"
  cat /proc/loadavg > "$OUT/load_after"
  cd "$ROOT"
  python3 "$ROOT/bench/summarize.py" "$OUT" "$NFILES" "$BYTES" "$NSUB" | tee "$OUT/summary.md"
}

DIRS=()
for s in $SHAPES; do
  measure "$s"
  DIRS+=("$s=$BASE/$s/n$N/results")
done
if [ -z "${RSS_ONLY:-}" ]; then
  python3 "$ROOT/bench/summarize.py" --compare "${DIRS[@]}" | tee "$BASE/n$N-shapes.md"
fi
