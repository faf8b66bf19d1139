#!/bin/sh
# make bench: measures qiaod on loopback with wrk from a second process, beside the baseline (a bare
# libmicrohttpd handler doing one SQLite primary-key lookup and a jansson reply). Every run is
# bounded in time (DURATION seconds each) and stops by itself. Prints requests/s and p50/p99.
set -eu
BUILD=${1:-build-bench}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
PORT_Q=${PORT_Q:-18431}
PORT_B=${PORT_B:-18432}
DATA=$(mktemp -d /tmp/qiao-bench.XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT INT TERM

"$BUILD/qiaod" seed-demo --data-dir "$DATA" >/dev/null
"$BUILD/qiaod" serve --data-dir "$DATA" --listen 127.0.0.1:$PORT_Q --no-access-log >/dev/null 2>"$DATA/qiaod.err" &
pids="$pids $!"
"$BUILD/bench-bare" "$DATA/qiao.db" $PORT_B &
pids="$pids $!"
for i in $(seq 1 50); do
  curl -sf http://127.0.0.1:$PORT_Q/api/v1/health >/dev/null 2>&1 && curl -sf http://127.0.0.1:$PORT_B/ >/dev/null 2>&1 && break
  sleep 0.1
done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT_Q/api/v1/auth/login \
  -H 'Content-Type: application/json' -d '{"username":"lawyer.ho","password":"qiao-demo-2026"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: could not sign in" >&2; exit 1; }

# run NAME URL [wrk args…]: one bounded wrk run; prints "NAME  req/s  p50  p99"
run() {
  name=$1; url=$2; shift 2
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-34s %12s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}

echo "qiaod benchmark: $(nproc) cores, $CONNS connections, ${DURATION}s per run, wrk on loopback"
run "baseline (bare MHD+SQLite+jansson)" "http://127.0.0.1:$PORT_B/"
run "GET /api/v1/health" "http://127.0.0.1:$PORT_Q/api/v1/health"
run "GET /api/v1/me (bearer)" "http://127.0.0.1:$PORT_Q/api/v1/me" -H "Authorization: Bearer $TOKEN"
echo "peak resident memory of qiaod: $(awk '/VmHWM/ {print $2, $3}' /proc/$(echo $pids | awk '{print $1}')/status)"
