#!/usr/bin/env bash
# bench/import_bombs.sh — peak memory and time of `tlkc rules import` on the
# import bombs of tests/rules_import.rs (a 4 KB and a 142 KB .docx whose
# vertical merge copies a 20,000-character cell down every row, a 2 KB .xlsx
# whose merged range copies one down 100,000 rows, a 1 KB .ods of
# repeated rows and cells, 32 MB of line breaks in a .csv, a 10 KB .docx of
# 1,500 numbered units under one merged TLKC cell, each drafting requirements
# that quote it). Each run is fenced
# by `ulimit -v` and `timeout` so an unbounded build cannot harm the machine.
# Env: TLKC (binary, default target/debug/tlkc), LIMIT_KB (virtual memory,
# default 4000000), SECS (default 60), BOMBS (directory; generated if absent).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TLKC=${TLKC:-$ROOT/target/debug/tlkc}
LIMIT_KB=${LIMIT_KB:-4000000}
SECS=${SECS:-60}
BOMBS=${BOMBS:-$(mktemp -d)}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
if [ ! -e "$BOMBS/units-merged.docx" ]; then
  (cd "$ROOT" && TLKC_BOMB_DIR="$BOMBS" cargo test -q --test integration \
     rules_import::write_import_bombs -- --ignored >/dev/null)
fi
OUT=$(mktemp -d)
printf '%-18s %9s %9s %8s  %s\n' file bytes "peak MB" "secs" outcome
for f in vmerge-4k.docx vmerge-142k.docx merge.xlsx repeats.ods newlines.csv units-merged.docx; do
  log="$OUT/$f.time"
  set +e
  ( ulimit -v "$LIMIT_KB"
    TLKC_LANG=en /usr/bin/time -v -o "$log" timeout "$SECS" "$TLKC" rules import "$BOMBS/$f" \
      --id bomb --title bomb --year 2024 --force -o "$OUT/out.toml" >"$OUT/$f.out" 2>&1 )
  code=$?
  set -e
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log" 2>/dev/null || true)
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$log" 2>/dev/null || true)
  case $code in
    124) outcome="killed by timeout ${SECS}s" ;;
    *) outcome="exit $code: $(grep -m1 -v '^\s*$' "$OUT/$f.out" | cut -c1-110)" ;;
  esac
  printf '%-18s %9s %9s %8s  %s\n' "$f" "$(stat -c %s "$BOMBS/$f")" "${rss:--}" "${secs:--}" "$outcome"
done
rm -rf "$OUT"
