#!/bin/sh
# make bench: measures qiaod on loopback with wrk from a second process, beside the baseline (a bare
# libmicrohttpd handler doing one SQLite primary-key lookup and a jansson reply). Every run is
# bounded in time (DURATION seconds) and stops by itself. Prints requests/s and p50/p95/p99.
set -eu
BUILD=${1:-build-bench}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
BIG=${BIG:-100000}
PORT_Q=${PORT_Q:-18431}
PORT_B=${PORT_B:-18432}
MEDIATORS=${MEDIATORS:-1000}           # mediators created for the proposal benchmark…
MEDIATOR_SECONDS=${MEDIATOR_SECONDS:-60} # …unless creating them takes longer than this
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(mktemp -d /tmp/qiao-bench.XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT INT TERM

wait_up() { for i in $(seq 1 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
token() {
  curl -sf -X POST "http://127.0.0.1:$PORT_Q/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"qiao-demo-2026\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
start_qiaod() {
  "$BUILD/qiaod" serve --data-dir "$DATA" --listen 127.0.0.1:$PORT_Q --no-access-log >/dev/null 2>>"$DATA/qiaod.err" &
  QPID=$!
  pids="$pids $QPID"
  wait_up "http://127.0.0.1:$PORT_Q/api/v1/health"
}
stop_qiaod() { kill "$QPID"; wait "$QPID" 2>/dev/null || true; }

# run NAME URL [wrk args…]: one bounded wrk run; prints "NAME  req/s  p50  p95  p99"
run() {
  name=$1; url=$2; shift 2
  threads=2; [ "$CONNS" -lt 2 ] && threads=1
  out=$(wrk -t"$threads" -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/p95.lua" "$@" "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p95=$(echo "$out" | awk '$1=="P95" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-38s %10s req/s  p50 %-8s p95 %-8s p99 %-8s %s\n' "$name" "$rps" "$p50" "$p95" "$p99" "${non2xx:+non-2xx: $non2xx}"
}

echo "qiaod benchmark: $(nproc) cores, $CONNS connections, ${DURATION}s per run, wrk on loopback"
"$BUILD/qiaod" seed-demo --data-dir "$DATA" >/dev/null
"$BUILD/bench-bare" "$DATA/qiao.db" $PORT_B &
BPID=$!
pids="$pids $BPID"
wait_up "http://127.0.0.1:$PORT_B/"
start_qiaod
LAWYER=$(token lawyer.ho)
[ -n "$LAWYER" ] || { echo "bench: could not sign in" >&2; exit 1; }
run "baseline (bare MHD+SQLite+jansson)" "http://127.0.0.1:$PORT_B/"
run "GET /api/v1/health" "http://127.0.0.1:$PORT_Q/api/v1/health"
run "GET /api/v1/me (bearer)" "http://127.0.0.1:$PORT_Q/api/v1/me" -H "Authorization: Bearer $LAWYER"
run "GET /api/v1/cases/6 (read a case)" "http://127.0.0.1:$PORT_Q/api/v1/cases/6" -H "Authorization: Bearer $LAWYER"
run "POST /api/v1/cases (file, durable)" "http://127.0.0.1:$PORT_Q/api/v1/cases" -H "Authorization: Bearer $LAWYER" -s "$HERE/post_case.lua"
run "POST /api/v1/convert (a sentence)" "http://127.0.0.1:$PORT_Q/api/v1/convert" -H "Authorization: Bearer $LAWYER" -s "$HERE/convert.lua"
# offline conversion (qiao convert links the same library): every sentence of the test corpus
CORPUS="$HERE/../unit/data/st-extra.tsv"
grep -v '^#' "$CORPUS" | cut -f1 | sed 's/^name://' >"$DATA/sentences.txt"
lines=$(wc -l <"$DATA/sentences.txt")
t0=$(date +%s%N); "$BUILD/qiao" convert --to zh-Hant <"$DATA/sentences.txt" >/dev/null; t1=$(date +%s%N)
: | "$BUILD/qiao" convert --to zh-Hant >/dev/null; t2=$(date +%s%N)
echo "qiao convert --to zh-Hant: $lines sentences in $(( (t1 - t0) / 1000000 )) ms, of which $(( (t2 - t1) / 1000000 )) ms start-up (OpenCC and the glossaries)"
echo "peak resident memory of qiaod: $(awk '/VmHWM/ {print $2, $3}' /proc/$QPID/status)"
stop_qiaod

kill "$BPID" 2>/dev/null; wait "$BPID" 2>/dev/null || true
echo "loading $BIG generated cases…"
t0=$(date +%s)
"$BUILD/qiaod" bench-seed --data-dir "$DATA" --cases "$BIG" 2>"$DATA/seed.err" || { cat "$DATA/seed.err" >&2; exit 1; }
echo "loaded in $(( $(date +%s) - t0 ))s; database $(du -h "$DATA/qiao.db" | cut -f1)"
start_qiaod
LAWYER=$(token lawyer.ho)
OFFICER=$(token officer.hq)
# run_script NAME URL SCRIPT [wrk args…]: as run, with a request-making script of its own
run_script() {
  name=$1; url=$2; script=$3; shift 3
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$script" "$@" "$url")
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-38s %10s req/s  p50 %-8s p95 %-8s p99 %-8s %s\n' "$name" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="P95" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "${non2xx:+non-2xx: $non2xx}"
}
run_script "GET /api/v1/cases/{random} (uncached)" "http://127.0.0.1:$PORT_Q" "$HERE/read_random.lua" -H "Authorization: Bearer $LAWYER"
run "GET /api/v1/cases (lawyer, ${BIG} cases)" "http://127.0.0.1:$PORT_Q/api/v1/cases?limit=20" -H "Authorization: Bearer $LAWYER"
# searches are people typing: measured at 16 connections, and for one user alone
saved_conns=$CONNS
for c in 16 1; do
  CONNS=$c
  run "GET /api/v1/cases?q=抚养 (2 chars, $c conn)" "http://127.0.0.1:$PORT_Q/api/v1/cases?q=%E6%8A%9A%E5%85%BB&limit=20" -H "Authorization: Bearer $OFFICER"
  run "GET /api/v1/cases?q=陳大文 (name, other script, $c conn)" "http://127.0.0.1:$PORT_Q/api/v1/cases?q=%E9%99%B3%E5%A4%A7%E6%96%87&limit=20" -H "Authorization: Bearer $OFFICER"
done

# The assignment proposal with many mediators, made as an administrator would make them: an
# account (POST /api/v1/users), a profile (PATCH) and a qualification (POST) each, 8 at a time,
# until $MEDIATORS exist or $MEDIATOR_SECONDS have passed (accounts hash a password: this is the
# slow part). A third speak Portuguese with a Macao qualification, so that pairs are searched.
ADMIN=$(token admin)
[ -n "$ADMIN" ] || { echo "bench: could not sign in as admin" >&2; exit 1; }
: >"$DATA/mediators.ok"
deadline=$(( $(date +%s) + MEDIATOR_SECONDS ))
t0=$(date +%s)
seq 1 "$MEDIATORS" | xargs -P 8 -n 1 sh -c '
  [ "$(date +%s)" -lt "$1" ] || exit 0
  i=$5; u="mediator.bench$i"; base="http://127.0.0.1:$2/api/v1"; auth="Authorization: Bearer $3"
  curl -sf -o /dev/null -X POST "$base/users" -H "$auth" -H "Content-Type: application/json" \
    -d "{\"username\":\"$u\",\"password\":\"bench-mediator-2026\",\"role\":\"mediator\",\"display_name\":\"Bench $i\",\"language\":\"en\",\"email\":\"$u@example.com\",\"centers\":[\"HQ\"]}" || exit 0
  case $((i % 3)) in
    0) langs="\"portuguese\",\"cantonese\""; jur=macao ;;
    1) langs="\"putonghua\",\"cantonese\""; jur=mainland ;;
    *) langs="\"putonghua\""; jur=mainland ;;
  esac
  curl -sf -o /dev/null -X PATCH "$base/mediators/$u" -H "$auth" -H "Content-Type: application/json" \
    -d "{\"case_types\":[\"family\"],\"spoken\":[$langs],\"capacity\":$((5 + i % 10))}" || exit 0
  curl -sf -o /dev/null -X POST "$base/mediators/$u/qualifications" -H "$auth" \
    -H "Content-Type: application/json" \
    -d "{\"jurisdiction\":\"$jur\",\"body\":\"Bench Board\",\"number\":\"B-$i\",\"valid_from\":\"2020-01-01\"}" &&
    echo "$u" >>"$4"
' _ "$deadline" "$PORT_Q" "$ADMIN" "$DATA/mediators.ok" 2>/dev/null || true
made=$(wc -l <"$DATA/mediators.ok")
took=$(( $(date +%s) - t0 ))
if [ "$made" -lt "$MEDIATORS" ]; then
  echo "created $made of $MEDIATORS mediators in ${took}s (stopped at the ${MEDIATOR_SECONDS}s limit)"
else
  echo "created $made mediators in ${took}s"
fi
# demo case 1 (HQ, family, cross-border): how many of HQ's mediators the proposal weighed
OFFICER=$(token officer.hq)
weighed=$(curl -sf "http://127.0.0.1:$PORT_Q/api/v1/cases/1/assignment-proposal" \
  -H "Authorization: Bearer $OFFICER" | sed -n 's/.*"weighed":\([0-9]*\).*/\1/p')
echo "the proposal for case 1 weighs $weighed mediators of HQ ($made created + the demo's 7)"
conns=$CONNS
for c in 16 1; do
  CONNS=$c
  run "GET …/cases/1/assignment-proposal ($c conn)" "http://127.0.0.1:$PORT_Q/api/v1/cases/1/assignment-proposal" -H "Authorization: Bearer $OFFICER"
done
CONNS=$conns
echo "peak resident memory of qiaod: $(awk '/VmHWM/ {print $2, $3}' /proc/$QPID/status)"
stop_qiaod
