#!/usr/bin/env bash
# bench/server.sh [DIR…] — upload + check time of `tlkc server` against `tlkc check`
# on the same files, loopback only. For each folder (default: samples/dak-glei-2022):
#   cli    `tlkc check DIR --format json` with a fresh index (cold)
#   up1    first upload through the API (curl multipart) until the JSON report is
#          served: streaming, hashing, storing, queueing, checking (cold unit index)
#   up2    the same files uploaded again (stored once; the unit's index reuses facts)
# and the server's peak RSS (VmHWM). OCR as `tlkc check` does it (Tesseract when
# installed); NO_OCR=1 turns it off on both sides.
# Env: TLKC (binary, default target/debug/tlkc: build it first), WORK (default
# /tmp/tlkc-bench-server).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TLKC=${TLKC:-$ROOT/target/debug/tlkc}
WORK=${WORK:-/tmp/tlkc-bench-server}
[ $# -gt 0 ] || set -- "$ROOT/samples/dak-glei-2022"
OCR=(); [ -z "${NO_OCR:-}" ] || OCR=(--no-ocr)
now() { date +%s.%N; }
rm -rf "$WORK"; mkdir -p "$WORK"
D=$WORK/data
"$TLKC" server init "$D" --province "Sở Nội vụ (đo)" --rules builtin:kon-tum-2022-huyen \
  --trust-anchor "$ROOT/samples/test-ca/root.pem" --max-upload-size 4G 2>/dev/null
"$TLKC" server run "$D" --listen 127.0.0.1:0 "${OCR[@]}" >"$WORK/out" 2>"$WORK/err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$WORK/out" 2>/dev/null && break; sleep 0.1; done
BASE=$(sed -n 's/^tlkc server: \(http[^ ]*\)\/$/\1/p' "$WORK/out")
printf '%-28s %6s %8s %8s %8s\n' folder files cli_s up1_s up2_s
i=0
for DIR in "$@"; do
  i=$((i + 1))
  name="unit-$i"
  slug=$("$TLKC" server unit "$D" add "$name" 2>/dev/null)
  echo 'mat-khau-do-thoi-gian' | "$TLKC" server user "$D" add "u$i" --unit "$name" 2>/dev/null
  TOK=$("$TLKC" server token "$D" add "u$i" 2>/dev/null)
  files=$(find "$DIR" -type f -not -path '*/.tlkc/*' | wc -l)
  t0=$(now)
  "$TLKC" check "$DIR" --format json "${OCR[@]}" --db "$WORK/cli-$i.db" -qq >/dev/null || true
  cli=$(echo "$(now) - $t0" | bc)
  args=()
  while IFS= read -r -d '' f; do args+=(-F "file=@$f;filename=${f#./}"); done \
    < <(cd "$DIR" && find . -type f -not -path './.tlkc/*' -print0)
  up() {
    local t0 id
    t0=$(now)
    id=$(cd "$DIR" && curl -sf -H "Authorization: Bearer $TOK" "${args[@]}" "$BASE/api/units/$slug/uploads" | sed 's/.*"id":\([0-9]*\).*/\1/')
    curl -sf -H "Authorization: Bearer $TOK" "$BASE/api/units/$slug/uploads/$id/report" >/dev/null
    echo "$(now) - $t0" | bc
  }
  up1=$(up); up2=$(up)
  printf '%-28s %6d %8.2f %8.2f %8.2f\n' "$(basename "$DIR")" "$files" "$cli" "$up1" "$up2"
done
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
