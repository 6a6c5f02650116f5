#!/usr/bin/env bash
# One of three acts replicas made slow on purpose (POST /api/v1/_delay), the same load through
# the gateway with each strategy: p50/p99 and each replica's share. Loopback (127.0.0.1) only.
# Run `bench/slow-replica.sh -h` for the options; BENCHMARKS.md shows a run.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)

STRATEGIES="round-robin,least-request,peak-ewma"
DELAY_MS=100
DURATION=30
WARMUP=15
CONNECTIONS=16
PORT=28080
BASE_PORT=28000
JAR="$REPO_DIR/examples/target/longshore-seed.jar"
OUT_DIR="$REPO_DIR/bench/out/slow-replica"
# Probes that tolerate a loaded machine: a replica JVM may take more than the seed's one probe to start.
SEED_FLAGS="--health-interval 2s --fall 5"

usage() {
  cat <<EOF
Usage: bench/slow-replica.sh [options]

For each strategy: starts the seed jar (process runtime, exactly 3 acts replicas on ports
$BASE_PORT..$((BASE_PORT + 2)), gateway on $PORT, admin on $((PORT + 1)), a fresh data directory),
waits for the 3 replicas, slows the second one with POST /api/v1/_delay {"ms": DELAY}, warms
up, then runs wrk (2 threads) against GET /api/v1/categories through the gateway, and prints
  RESULT strategy=<s> rps=<n> p50_ms=<n> p99_ms=<n> errors=<n> slow_share=<%> shares=<a/b/c> req_p50_ms=<n> req_p99_ms=<n> req_p999_ms=<n>
p50_ms and p99_ms are wrk's, corrected for coordinated omission: a request that took longer than
the mean interval between two requests on one connection adds the samples a steady sender would
have seen meanwhile, so the few requests a slow replica holds weigh as the wait they cause. The
req_* percentiles are per request as the gateway saw them (its access log's total_ms: request
head to the end of the response) over the same run, uncorrected.
Only 127.0.0.1 is ever contacted.

Options:
  -s, --strategies LIST   comma list of seed --strategy values (default $STRATEGIES)
  -m, --delay-ms N        the slow replica's added latency (default $DELAY_MS)
  -d, --duration SECONDS  measured wrk run per strategy (default $DURATION)
  -w, --warmup SECONDS    wrk warm-up per strategy (default $WARMUP)
  -c, --connections N     wrk connections (default $CONNECTIONS)
      --seed-flags FLAGS  more seed main flags (default '$SEED_FLAGS')
      --jar PATH          the seed jar (built with 'mvn -B -q -pl examples -am package -DskipTests'
                          if absent)
  -h, --help              this text
EOF
}

die() { echo "slow-replica.sh: $*" >&2; exit 2; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -s|--strategies) STRATEGIES=$2; shift 2 ;;
    -m|--delay-ms) DELAY_MS=$2; shift 2 ;;
    -d|--duration) DURATION=$2; shift 2 ;;
    -w|--warmup) WARMUP=$2; shift 2 ;;
    -c|--connections) CONNECTIONS=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --seed-flags) SEED_FLAGS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
for n in "$DELAY_MS" "$DURATION" "$WARMUP" "$CONNECTIONS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "expected a whole number, got '$n'"
done
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
command -v curl >/dev/null || die "curl is missing"
command -v python3 >/dev/null || die "python3 is missing"
if [[ ! -f "$JAR" ]]; then
  log "building $JAR"
  (cd "$REPO_DIR" && mvn -B -q -pl examples -am package -DskipTests) >&2 || die "could not build $JAR"
fi
mkdir -p "$OUT_DIR"

SEED_PID=""
DATA_DIR=""
stop_seed() {
  if [[ -n "$SEED_PID" ]] && kill -0 "$SEED_PID" 2>/dev/null; then
    kill "$SEED_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$SEED_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SEED_PID" 2>/dev/null || true
  fi
  SEED_PID=""
  [[ -n "$DATA_DIR" ]] && rm -rf "$DATA_DIR"
  DATA_DIR=""
}
trap stop_seed EXIT

admin() { curl -s --max-time 2 "http://127.0.0.1:$((PORT + 1))$1"; }

wait_ready() {  # $1 = strategy
  for _ in $(seq 1 300); do
    kill -0 "$SEED_PID" 2>/dev/null || die "the seed main exited; see $OUT_DIR/seed-$1.log"
    [[ "$(admin /status || true)" == *'"ready":3'* ]] && return 0
    sleep 0.2
  done
  die "3 replicas were not ready within 60 s; see $OUT_DIR/seed-$1.log"
}

summarise() {  # $1 = wrk output; prints "rps p50_ms p99_ms errors"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx or 3xx responses/ { errors += $5 }
    /Socket errors/ { for (i = 3; i <= NF; i++) { v = $i; gsub(/,/, "", v); if (v ~ /^[0-9]+$/) errors += v } }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }' "$1"
}

request_percentiles() {  # $1 = access log, $2 = lines to skip; prints "p50 p99 p999" of total_ms
  tail -n +"$(( $2 + 1 ))" "$1" | python3 -c '
import re, sys
t = sorted(float(m.group(1)) for m in (re.search(r" total_ms=([0-9.]+)", l) for l in sys.stdin) if m)
pick = lambda q: t[min(len(t) - 1, int(q * len(t)))] if t else float("nan")
print("%.2f %.2f %.2f" % (pick(0.50), pick(0.99), pick(0.999)))'
}

shares() {  # $1 = /replicas before, $2 = after, $3 = slow port; prints "slow% a%/b%/c%"
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
before = {r["port"]: r["requests"] for r in json.loads(sys.argv[1])}
after = {r["port"]: r["requests"] for r in json.loads(sys.argv[2])}
counts = {p: after[p] - before.get(p, 0) for p in sorted(after)}
total = max(1, sum(counts.values()))
slow = int(sys.argv[3])
print("%.1f %s" % (100.0 * counts.get(slow, 0) / total, "/".join("%.1f" % (100.0 * c / total) for c in counts.values())))
PY
}

for strategy in ${STRATEGIES//,/ }; do
  DATA_DIR=$(mktemp -d /tmp/longshore-slow-replica.XXXXXX)
  log "strategy $strategy: starting 3 replicas"
  rm -f "$OUT_DIR/access-$strategy.log"
  java -jar "$JAR" --runtime process --min 3 --max 3 --port "$PORT" --admin-port $((PORT + 1)) \
    --base-port "$BASE_PORT" --data-dir "$DATA_DIR" --strategy "$strategy" --access-log "$OUT_DIR/access-$strategy.log" \
    $SEED_FLAGS >"$OUT_DIR/seed-$strategy.log" 2>&1 &
  SEED_PID=$!
  wait_ready "$strategy"
  curl -s --max-time 2 -X POST -d "{\"ms\": $DELAY_MS}" "http://127.0.0.1:$((BASE_PORT + 1))/api/v1/_delay" >/dev/null \
    || die "could not slow the replica on $((BASE_PORT + 1))"
  url="http://127.0.0.1:$PORT/api/v1/categories"
  log "strategy $strategy: ${WARMUP} s warm-up, ${DURATION} s measured"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
  before=$(admin /replicas)
  logged=$(wc -l <"$OUT_DIR/access-$strategy.log")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$OUT_DIR/wrk-$strategy.txt"
  after=$(admin /replicas)
  read -r rps p50 p99 errors <<<"$(summarise "$OUT_DIR/wrk-$strategy.txt")"
  read -r slow all <<<"$(shares "$before" "$after" $((BASE_PORT + 1)))"
  sleep 1  # the access log is written off the event loop: let it catch up
  read -r rp50 rp99 rp999 <<<"$(request_percentiles "$OUT_DIR/access-$strategy.log" "$logged")"
  echo "RESULT strategy=$strategy rps=$rps p50_ms=$p50 p99_ms=$p99 errors=$errors slow_share=$slow% shares=$all req_p50_ms=$rp50 req_p99_ms=$rp99 req_p999_ms=$rp999"
  stop_seed
done
