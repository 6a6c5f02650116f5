#!/usr/bin/env bash
# WebSocket echo through the Longshore gateway and through HAProxy, side by side: messages per
# second, round-trip percentiles and CPU per message of each proxy. Loopback only.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
OUT_DIR="$REPO_DIR/bench/out/websocket"
GATEWAY_JAR="$REPO_DIR/examples/target/longshore-seed.jar"
BENCH_JAR="$REPO_DIR/benchmarks/target/benchmarks.jar"
BASE_PORT=25600
PROXY_CORE=1
LOAD_CORE=0
CONNECTIONS=32
DURATION=10
ROUNDS=3
SIZE=64
WARMUP=20
JAVA_OPTS="${LONGSHORE_JAVA_OPTS-}"

usage() {
  cat <<EOF
Usage: bench/websocket.sh [options]

Starts a WebSocket echo server (EchoServerMain from the benchmarks jar, two ports, pinned to
core $LOAD_CORE) and in front of it the Longshore gateway (the seed jar's --static-backends mode,
plain java -jar) and HAProxy (nbthread 1, 'timeout tunnel 1h'), both pinned to core $PROXY_CORE.
EchoClientMain (core $LOAD_CORE) keeps N WebSockets busy through each proxy, one message in flight
on each: it sends, awaits the echo, sends again. Interleaved rounds; per target the median
round by messages/s:
  RESULT target=<name> msgs_per_s=<n> p50_us=<n> p99_us=<n> p999_us=<n> errors=<n> cpu_us_per_msg=<n>
  RATIO target=longshore vs=haproxy msgs_x=<n> p99_x=<n> cpu_x=<n>
  PAIRED target=longshore vs=haproxy msgs_x_median=<n> msgs_x_rounds=<r1>/<r2>/... p99_x_median=<n> cpu_x_median=<n>
  (PAIRED: each round against HAProxy's right after it, and the medians of those ratios)

Options:
  -c N   WebSockets (default $CONNECTIONS)      -d S   seconds per round (default $DURATION)
  -r N   rounds (default $ROUNDS)               -s B   message bytes (default $SIZE)
  -w S   warm-up seconds per proxy (default $WARMUP)
  -p P   base port (P+1, P+2 echo; P+10/P+11 gateway and admin; P+30 HAProxy; default $BASE_PORT)
Environment: LONGSHORE_JAVA_OPTS: JVM flags for the gateway (default: none).
EOF
}

# shellcheck source=bench/lib/processes.sh
source "$SCRIPT_DIR/lib/processes.sh"

while (( $# )); do
  case $1 in
    -c) CONNECTIONS=$2; shift 2 ;;
    -d) DURATION=$2; shift 2 ;;
    -r) ROUNDS=$2; shift 2 ;;
    -s) SIZE=$2; shift 2 ;;
    -w) WARMUP=$2; shift 2 ;;
    -p) BASE_PORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
for n in "$CONNECTIONS" "$DURATION" "$ROUNDS" "$SIZE" "$WARMUP" "$BASE_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "options take whole numbers, not '$n'"
done
command -v haproxy >/dev/null || die "needs haproxy (apt-get install haproxy)"
[[ -f "$GATEWAY_JAR" ]] || die "build the seed jar first: mvn -B -q -pl examples -am package -DskipTests"
[[ -f "$BENCH_JAR" ]] || die "build the benchmarks jar first: mvn -B -q -pl benchmarks -am package -DskipTests"

P_ECHO1=$(( BASE_PORT + 1 )); P_ECHO2=$(( BASE_PORT + 2 ))
P_GATEWAY=$(( BASE_PORT + 10 )); P_ADMIN=$(( BASE_PORT + 11 )); P_HAPROXY=$(( BASE_PORT + 30 ))
mkdir -p "$OUT_DIR"

client() {  # PORT SECONDS CONNECTIONS
  taskset -c "$LOAD_CORE" java -cp "$BENCH_JAR" io.longshore.benchmarks.websocket.EchoClientMain 127.0.0.1 "$1" "$3" "$2" "$SIZE"
}

wait_echoing() {  # NAME PORT
  local deadline=$(( SECONDS + 60 ))
  while (( SECONDS < deadline )); do
    local pid_var="PID_$1"
    kill -0 "${!pid_var}" 2>/dev/null || { tail -20 "$OUT_DIR/$1.stderr" >&2; die "$1 exited"; }
    if client "$2" 1 1 2>/dev/null | grep -q 'errors=0' ; then return 0; fi
    sleep 0.5
  done
  die "$1 did not echo on port $2"
}

cat >"$OUT_DIR/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  option forwardfor
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
frontend fe
  bind 127.0.0.1:$P_HAPROXY
  # the fields the gateway adds as well, so the replicas parse the same request
  http-request set-header X-Forwarded-Proto https if { ssl_fc }
  http-request set-header X-Forwarded-Proto http if !{ ssl_fc }
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request add-header Via "1.1 haproxy"
  default_backend be
backend be
  balance roundrobin
  server e1 127.0.0.1:$P_ECHO1
  server e2 127.0.0.1:$P_ECHO2
EOF

log "load before: $(uptime)"
start echo "$LOAD_CORE" java -cp "$BENCH_JAR" io.longshore.benchmarks.websocket.EchoServerMain "$P_ECHO1" "$P_ECHO2"
start haproxy "$PROXY_CORE" haproxy -db -f "$OUT_DIR/haproxy.cfg"
# shellcheck disable=SC2086
start longshore "$PROXY_CORE" java $JAVA_OPTS -jar "$GATEWAY_JAR" --static-backends "127.0.0.1:$P_ECHO1,127.0.0.1:$P_ECHO2" \
  --port "$P_GATEWAY" --admin-port "$P_ADMIN"
wait_echoing echo "$P_ECHO1"
wait_echoing haproxy "$P_HAPROXY"
wait_echoing longshore "$P_GATEWAY"

port_of() { [[ $1 == longshore ]] && echo "$P_GATEWAY" || echo "$P_HAPROXY"; }
for target in longshore haproxy; do
  log "warming up $target for $WARMUP s"
  client "$(port_of $target)" "$WARMUP" "$CONNECTIONS" >/dev/null
done

rm -f "$OUT_DIR"/rounds-*
for round in $(seq 1 "$ROUNDS"); do
  for target in longshore haproxy; do
    pid_var="PID_$target"; pid=${!pid_var}
    before=$(cpu_ticks "$pid")
    line=$(client "$(port_of $target)" "$DURATION" "$CONNECTIONS")
    after=$(cpu_ticks "$pid")
    awk -v ticks=$(( after - before )) -v hz="$(getconf CLK_TCK)" '
      { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
      END { n = v["messages"]; printf "%.0f %d %d %d %d %.2f\n", n / (v["duration_us"] / 1e6), v["p50_us"], v["p99_us"],
              v["p999_us"], v["errors"], (n > 0 ? ticks / hz * 1e6 / n : 0) }' <<<"$line" >>"$OUT_DIR/rounds-$target"
    log "round $round $target: msgs/s p50 p99 p99.9 (us) errors cpu_us/msg = $(tail -1 "$OUT_DIR/rounds-$target")"
  done
done
log "load after: $(uptime)"

for target in longshore haproxy; do
  sort -n -k1,1 "$OUT_DIR/rounds-$target" | awk -v name="$target" -v errs="$(awk '{s += $5} END {print s}' "$OUT_DIR/rounds-$target")" '
    { line[NR] = $0 } END { split(line[int((NR + 1) / 2)], f, " ")
      printf "RESULT target=%s msgs_per_s=%s p50_us=%s p99_us=%s p999_us=%s errors=%d cpu_us_per_msg=%s\n", name, f[1], f[2], f[3], f[4], errs, f[6] }'
done | tee "$OUT_DIR/results.txt"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } m[v["target"]] = v["msgs_per_s"]; p[v["target"]] = v["p99_us"]; c[v["target"]] = v["cpu_us_per_msg"] }
  END { printf "RATIO target=longshore vs=haproxy msgs_x=%.2f p99_x=%.2f cpu_x=%.2f\n", m["longshore"] / m["haproxy"], p["longshore"] / p["haproxy"], c["longshore"] / c["haproxy"] }' \
  "$OUT_DIR/results.txt"

# Round by round against HAProxy's round right after it, and the medians of those ratios: the
# steadier figures when the machine drifts between rounds.
paste -d' ' "$OUT_DIR/rounds-longshore" "$OUT_DIR/rounds-haproxy" | awk '
  function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { n++; m[n] = $1 / $7; p[n] = $3 / $9; c[n] = $6 / $12; rounds = rounds (n > 1 ? "/" : "") sprintf("%.3f", m[n]) }
  END { printf "PAIRED target=longshore vs=haproxy msgs_x_median=%.3f msgs_x_rounds=%s p99_x_median=%.2f cpu_x_median=%.2f\n",
          median(m, n), rounds, median(p, n), median(c, n) }'
