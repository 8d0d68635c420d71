#!/usr/bin/env bash
# bench/server_upload.sh — the figures of `tlkc server` (issue 27), all made in this one run,
# loopback only:
#   1. upload + check time through the API against `tlkc check` on the same files
#      (bench/server.sh) for the sample folder and a generated 300-file folder
#      (`samplegen bench-corpus --files 300 --shape ordinary`, reproducible);
#   2. the load: UNITS unit accounts (default 100) each upload a 30-file folder, CONC at a
#      time (default 8), with curl: 28 small signed PDFs shared by every unit (`samplegen
#      small-corpus`), the unit's own tlkc.toml and a note of its own. Measured: time until
#      every upload got its 201, time until every report is served (2 check workers), failed
#      requests, and the server's peak RSS (VmHWM) under that load.
# Env: TLKC (default target/debug/tlkc), SAMPLEGEN (default target/debug/samplegen): build
# them first; WORK (default /tmp/tlkc-bench-server-upload); UNITS, CONC; NO_OCR=1 turns OCR
# off on both sides (the 300-file folder has scans: with OCR, part 1 takes minutes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TLKC=${TLKC:-$ROOT/target/debug/tlkc}
SAMPLEGEN=${SAMPLEGEN:-$ROOT/target/debug/samplegen}
WORK=${WORK:-/tmp/tlkc-bench-server-upload}
UNITS=${UNITS:-100}
CONC=${CONC:-8}
OCR=(); [ -z "${NO_OCR:-}" ] || OCR=(--no-ocr)
now() { date +%s.%N; }
rm -rf "$WORK"; mkdir -p "$WORK"

# ---- 1. the sample and 300 generated files: server against tlkc check
"$SAMPLEGEN" bench-corpus "$WORK/c300" --files 300 --shape ordinary >/dev/null
echo "== upload + check through the API vs tlkc check (same files, same run)"
TLKC=$TLKC WORK=$WORK/single "$ROOT/bench/server.sh" "$ROOT/samples/dak-glei-2022" "$WORK/c300/evidence"

# ---- 2. the load
L=$WORK/load
D=$L/data
mkdir -p "$L/units" "$L/replies"
"$SAMPLEGEN" small-corpus "$L/pool" --files 28 >/dev/null
rm "$L/pool/evidence/tlkc.toml"
"$TLKC" server init "$D" --province "Sở Nội vụ (đo tải)" --rules builtin:kon-tum-2022-huyen \
  --trust-anchor "$ROOT/samples/test-ca/root.pem" >/dev/null 2>&1
for ((i = 0; i < UNITS; i++)); do
  n=$(printf '%03d' "$i")
  name="UBND xã Đo Tải $n"
  slug=$("$TLKC" server unit "$D" add "$name" 2>/dev/null)
  echo 'mat-khau-do-tai-nang' | "$TLKC" server user "$D" add "u$n" --unit "$name" >/dev/null 2>&1
  tok=$("$TLKC" server token "$D" add "u$n" 2>/dev/null)
  dir=$L/units/$n
  cp -al "$L/pool/evidence" "$dir"
  printf 'unit = "%s"\nas_of = "2022-11-30"\n' "$name" > "$dir/tlkc.toml"
  mkdir -p "$dir/1.2.1 Báo cáo CCHC"
  printf 'Ghi chú của %s\n' "$name" > "$dir/1.2.1 Báo cáo CCHC/ghi chú.txt"
  echo "$slug $tok $dir" >> "$L/units.txt"
done
files=$(find "$L/units/000" -type f | wc -l)
"$TLKC" server run "$D" --listen 127.0.0.1:0 --check-workers 2 "${OCR[@]}" >"$L/out" 2>"$L/err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$L/out" 2>/dev/null && break; sleep 0.1; done
BASE=$(sed -n 's/^tlkc server: \(http[^ ]*\)\/$/\1/p' "$L/out")
export BASE L
upload_one() {
  local slug=$1 tok=$2 dir=$3 args=()
  while IFS= read -r -d '' f; do args+=(-F "file=@$f;filename=${f#./}"); done \
    < <(cd "$dir" && find . -type f -print0)
  (cd "$dir" && curl -s -o "$L/replies/$slug.json" -w '%{http_code}\n' \
    -H "Authorization: Bearer $tok" "${args[@]}" "$BASE/api/units/$slug/uploads") \
    >> "$L/status.txt"
}
export -f upload_one
t0=$(now)
xargs -P "$CONC" -L 1 bash -c 'upload_one "$@"' _ < "$L/units.txt"
t_up=$(echo "$(now) - $t0" | bc)
created=$(grep -c '^201$' "$L/status.txt" || true)
checked=0
while read -r slug tok _; do
  id=$(sed 's/.*"id":\([0-9]*\).*/\1/' "$L/replies/$slug.json")
  # (to a file: `curl | grep -q` fails under pipefail when grep stops reading first)
  if curl -sf -o "$L/replies/$slug.report.json" -H "Authorization: Bearer $tok" \
       "$BASE/api/units/$slug/uploads/$id/report" \
     && grep -q '"summary"' "$L/replies/$slug.report.json"; then checked=$((checked + 1)); fi
done < "$L/units.txt"
t_all=$(echo "$(now) - $t0" | bc)
echo "== load: $UNITS units × $files files, $CONC at a time, 2 check workers"
printf 'uploads answered 201: %d/%d in %.1f s; reports served: %d/%d after %.1f s\n' \
  "$created" "$UNITS" "$t_up" "$checked" "$UNITS" "$t_all"
echo "server peak RSS under the load: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
