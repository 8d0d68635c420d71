#!/usr/bin/env bash
# bench/units.sh [UNITS] [PER_UNIT] — cost of `tlkc check --units PARENT` (UNITS folders of
# PER_UNIT files) against `tlkc check` of the same UNITS×PER_UNIT files as one folder, measured
# in this one run; medians of RUNS runs (hyperfine). Default 30 × 300 = 9,000 files (issue 13).
# The files are made once by `samplegen bench-corpus` (one corpus of N files) and each unit is a
# hard-linked slice of it (files i·PER … (i+1)·PER−1, same relative paths), so both sides read
# the very same inodes; the page cache is warmed before measuring. "cold" = fresh index
# databases (the one folder's, or every unit's), "warm" = nothing changed since the last run.
# Peak RSS (/usr/bin/time -v, cold) of --units at two sizes: all UNITS units, and a third of
# them (same units, same per-unit size): bounded memory means the two stay close.
# Env: BENCH_DIR (default /tmp/tlkc-bench), RUNS (default 3), TLKC (default the release build).
set -euo pipefail
U=${1:-30}
PER=${2:-300}
N=$((U * PER))
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tlkc-bench}/units-${U}x${PER}
mkdir -p "$WORK"
cd "$ROOT"
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p tlkc -p samplegen
TLKC=${TLKC:-$ROOT/target/release/tlkc}
ONE=$WORK/one/evidence
UNITS=$WORK/units
SMALL=$WORK/units-small
if [ ! -f "$WORK/.complete" ]; then
  rm -rf "$WORK/one" "$UNITS" "$SMALL"
  "$ROOT/target/release/samplegen" bench-corpus "$WORK/one" --files "$N"
  ANCHOR=$WORK/one/ca/root.pem
  for ((u = 0; u < U; u++)); do
    d=$UNITS/$(printf 'u%02d' "$u")
    mkdir -p "$d"
    sed "s#\"../ca/root.pem\"#\"$ANCHOR\"#" "$ONE/tlkc.toml" > "$d/tlkc.toml"
  done
  # "ho so 01234.pdf" is file i = 1234 of the corpus: it goes to unit i / PER.
  ( cd "$ONE" && find . -name '*.pdf' -print0 ) |
    while IFS= read -r -d '' rel; do
      base=${rel##*/}; i=$((10#$(echo "$base" | tr -cd '0-9')))
      d=$UNITS/$(printf 'u%02d' $((i / PER)))/$(dirname "$rel")
      mkdir -p "$d" && ln "$ONE/$rel" "$d/"
    done
  mkdir -p "$SMALL"   # a third of the units, listed in tlkc.units.toml
  for ((u = 0; u < (U + 2) / 3; u++)); do
    printf '[[unit]]\nname = "u%02d"\npath = "%s/u%02d"\n\n' "$u" "$UNITS" "$u"
  done > "$SMALL/tlkc.units.toml"
  touch "$WORK/.complete"
fi
OUT=$WORK/results; rm -rf "$OUT"; mkdir -p "$OUT"
NFILES=$(find "$ONE" -name '*.pdf' | wc -l)
BYTES=$(find "$ONE" -name '*.pdf' -print0 | xargs -0 cat | wc -c)   # also the warm-up read
echo "corpus: $NFILES files, $((BYTES / 1000000)) MB; $U units of $PER files (hard links)"
ONE_CMD="$TLKC check $ONE --no-progress -qq"
UNITS_CMD="$TLKC check --units $UNITS --no-progress -qq"
SMALL_CMD="$TLKC check --units $SMALL --no-progress -qq"
CLEAN_ONE="rm -rf $ONE/.tlkc"
CLEAN_UNITS="find $UNITS -mindepth 2 -maxdepth 2 -name .tlkc -type d -exec rm -rf {} +"
HF="hyperfine -N --style basic -i --runs $RUNS"
# Cold: both commands in one hyperfine call, so they share this run's machine state.
$HF --prepare "$CLEAN_ONE" --prepare "$CLEAN_UNITS" --export-json "$OUT/cold.json" \
  -n one-folder "$ONE_CMD" -n units "$UNITS_CMD"
$HF --warmup 1 --export-json "$OUT/warm.json" -n one-folder "$ONE_CMD" -n units "$UNITS_CMD"
# Peak RSS, cold: the one folder, all units, a third of the units.
sh -c "$CLEAN_ONE"; /usr/bin/time -v $ONE_CMD 2> "$OUT/rss_one.txt" || true
sh -c "$CLEAN_UNITS"; /usr/bin/time -v $UNITS_CMD 2> "$OUT/rss_units.txt" || true
sh -c "$CLEAN_UNITS"; /usr/bin/time -v $SMALL_CMD 2> "$OUT/rss_small.txt" || true
python3 - "$OUT" "$NFILES" "$BYTES" "$U" "$PER" <<'PY' | tee "$OUT/summary.md"
import json, re, statistics, sys
out, n, nbytes, u, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def med(name):
    rs = {r["command"]: r for r in json.load(open(f"{out}/{name}.json"))["results"]}
    return {k: (statistics.median(r["times"]), len(r["times"]), r["user"] + r["system"]) for k, r in rs.items()}
def rss(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{name}").read())
    return int(m.group(1)) / 1024 if m else float("nan")
print(f"N = {n} files ({nbytes // 1_000_000} MB): {u} units × {per} files vs one folder\n")
print("| measurement | runs | one folder median s | --units median s | ratio units/one | CPU s one | CPU s units |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, label in [("cold", "cold (fresh index databases)"), ("warm", "warm (nothing changed)")]:
    m = med(name)
    (a, ra, ca), (b, rb, cb) = m["one-folder"], m["units"]
    print(f"| {label} | {min(ra, rb)} | {a:.3f} | {b:.3f} | {b / a:.3f} | {ca:.2f} | {cb:.2f} |")
small = (u + 2) // 3
print(f"\npeak RSS (cold): one folder {rss('rss_one.txt'):.0f} MB; --units with {u} units "
      f"{rss('rss_units.txt'):.0f} MB; --units with {small} units {rss('rss_small.txt'):.0f} MB")
PY
