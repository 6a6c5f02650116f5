#!/usr/bin/env bash
# HTTP/2 from clients through the Longshore gateway (--http2) and through HAProxy, side by side:
# h2load's requests/s, mean request time and failures, and each proxy's CPU per request. Both
# proxies speak HTTP/1.1 to the same two nginx backends. Loopback only.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
OUT_DIR="$REPO_DIR/bench/out/http2"
GATEWAY_JAR="$REPO_DIR/examples/target/longshore-seed.jar"
BASE_PORT=25700
PROXY_CORE=1
LOAD_CORE=0
CONNECTIONS=8
STREAMS=16
DURATION=10
ROUNDS=3
WARMUP=20
TLS=0
TLS_PROVIDER=""
JAVA_OPTS="${LONGSHORE_JAVA_OPTS-}"

usage() {
  cat <<EOF
Usage: bench/http2.sh [options]

Starts two nginx backends (one worker each, a 13-byte 'return 200', pinned to core $LOAD_CORE)
and in front of them the Longshore gateway (the seed jar's --static-backends mode with --http2,
plain java -jar) and HAProxy (nbthread 1, 'proto h2' on its bind, or 'ssl alpn h2' with -T),
both pinned to core $PROXY_CORE. h2load (core $LOAD_CORE, one thread) opens C connections with
M concurrent streams each: h2c with prior knowledge, or h2 negotiated by ALPN over TLS 1.3 with
-T (the same certificate for both proxies). Interleaved rounds; per target the median round by
requests/s:
  RESULT target=<name> req_per_s=<n> mean_ms=<n> failed=<n> cpu_us_per_req=<n>
  RATIO target=longshore vs=haproxy req_x=<n> mean_x=<n> cpu_x=<n>
  PAIRED target=longshore vs=haproxy req_x_median=<n> req_x_rounds=<r1>/<r2>/... cpu_x_median=<n>
  (PAIRED: each round against HAProxy's right after it, and the medians of those ratios)

Options:
  -c N   connections (default $CONNECTIONS)      -m N   streams per connection (default $STREAMS)
  -d S   seconds per round (default $DURATION)   -r N   rounds (default $ROUNDS)
  -w S   warm-up seconds per proxy (default $WARMUP)
  -T     h2 over TLS (ALPN) instead of h2c with prior knowledge
  -P P   the gateway's --tls-provider (auto, jdk, conscrypt; default: the seed jar's own, auto)
  -p P   base port (P+1, P+2 nginx; P+10/P+11/P+12 gateway, admin, gateway TLS; P+30 HAProxy; default $BASE_PORT)
Environment: LONGSHORE_JAVA_OPTS: JVM flags for the gateway (default: none).
EOF
}

# shellcheck source=bench/lib/processes.sh
source "$SCRIPT_DIR/lib/processes.sh"

while (( $# )); do
  case $1 in
    -c) CONNECTIONS=$2; shift 2 ;;
    -m) STREAMS=$2; shift 2 ;;
    -d) DURATION=$2; shift 2 ;;
    -r) ROUNDS=$2; shift 2 ;;
    -w) WARMUP=$2; shift 2 ;;
    -T) TLS=1; shift ;;
    -P) TLS_PROVIDER=$2; shift 2 ;;
    -p) BASE_PORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ -z "${TLS_PROVIDER-}" || "$TLS_PROVIDER" =~ ^(auto|jdk|conscrypt)$ ]] || die "-P takes auto, jdk or conscrypt, not '$TLS_PROVIDER'"
for n in "$CONNECTIONS" "$STREAMS" "$DURATION" "$ROUNDS" "$WARMUP" "$BASE_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "options take whole numbers, not '$n'"
done
(( CONNECTIONS > 0 && STREAMS > 0 && DURATION > 0 && ROUNDS > 0 )) || die "-c, -m, -d and -r must be positive"
for tool in haproxy nginx h2load openssl; do
  command -v "$tool" >/dev/null || die "needs $tool (apt-get install haproxy nginx nghttp2-client openssl)"
done
[[ -f "$GATEWAY_JAR" ]] || die "build the seed jar first: mvn -B -q -pl examples -am package -DskipTests"

P_NGINX1=$(( BASE_PORT + 1 )); P_NGINX2=$(( BASE_PORT + 2 ))
P_GATEWAY=$(( BASE_PORT + 10 )); P_ADMIN=$(( BASE_PORT + 11 )); P_GATEWAY_TLS=$(( BASE_PORT + 12 ))
P_HAPROXY=$(( BASE_PORT + 30 ))
mkdir -p "$OUT_DIR"


openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT_DIR/key.pem" -out "$OUT_DIR/cert.pem" -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
cat "$OUT_DIR/cert.pem" "$OUT_DIR/key.pem" >"$OUT_DIR/haproxy.pem"

for i in 1 2; do
  port_var="P_NGINX$i"
  mkdir -p "$OUT_DIR/nginx$i"
  cat >"$OUT_DIR/nginx$i/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $OUT_DIR/nginx$i/nginx.pid;
error_log $OUT_DIR/nginx$i/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:${!port_var} backlog=4096; location / { return 200 "hello world\n"; } }
}
EOF
done

if (( TLS )); then
  HAPROXY_BIND="bind 127.0.0.1:$P_HAPROXY ssl crt $OUT_DIR/haproxy.pem alpn h2,http/1.1 ssl-min-ver TLSv1.3"
else
  HAPROXY_BIND="bind 127.0.0.1:$P_HAPROXY proto h2"
fi
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
frontend fe
  $HAPROXY_BIND
  # the fields the gateway adds as well, so the replicas parse the same request
  http-request set-header X-Forwarded-Proto https if { ssl_fc }
  http-request set-header X-Forwarded-Proto http if !{ ssl_fc }
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request add-header Via "1.1 haproxy"
  default_backend be
backend be
  balance roundrobin
  server n1 127.0.0.1:$P_NGINX1
  server n2 127.0.0.1:$P_NGINX2
EOF

url_of() {
  if [[ $1 == longshore ]]; then
    (( TLS )) && echo "https://127.0.0.1:$P_GATEWAY_TLS/" || echo "http://127.0.0.1:$P_GATEWAY/"
  else
    (( TLS )) && echo "https://127.0.0.1:$P_HAPROXY/" || echo "http://127.0.0.1:$P_HAPROXY/"
  fi
}

load() {  # URL SECONDS
  taskset -c "$LOAD_CORE" h2load -t 1 -c "$CONNECTIONS" -m "$STREAMS" -D "$2" "$1" 2>&1
}

wait_serving() {  # NAME URL
  local deadline=$(( SECONDS + 60 )) pid_var="PID_$1"
  while (( SECONDS < deadline )); do
    kill -0 "${!pid_var}" 2>/dev/null || { tail -20 "$OUT_DIR/$1.stderr" >&2; die "$1 exited"; }
    if taskset -c "$LOAD_CORE" h2load -n 1 -c 1 "$2" 2>/dev/null | grep -q '1 succeeded'; then return 0; fi
    sleep 0.5
  done
  die "$1 did not serve HTTP/2 at $2"
}

log "load before: $(uptime)"
start nginx1 "$LOAD_CORE" nginx -c "$OUT_DIR/nginx1/nginx.conf"
start nginx2 "$LOAD_CORE" nginx -c "$OUT_DIR/nginx2/nginx.conf"
start haproxy "$PROXY_CORE" haproxy -db -f "$OUT_DIR/haproxy.cfg"
# shellcheck disable=SC2086
start longshore "$PROXY_CORE" java $JAVA_OPTS -jar "$GATEWAY_JAR" --static-backends "127.0.0.1:$P_NGINX1,127.0.0.1:$P_NGINX2" \
  --port "$P_GATEWAY" --admin-port "$P_ADMIN" --http2 --tls-port "$P_GATEWAY_TLS" \
  --tls-cert "$OUT_DIR/cert.pem" --tls-key "$OUT_DIR/key.pem" ${TLS_PROVIDER:+--tls-provider "$TLS_PROVIDER"}
wait_serving haproxy "$(url_of haproxy)"
wait_serving longshore "$(url_of longshore)"

for target in longshore haproxy; do
  log "warming up $target for $WARMUP s"
  load "$(url_of $target)" "$WARMUP" >/dev/null
done

rm -f "$OUT_DIR"/rounds-*
for round in $(seq 1 "$ROUNDS"); do
  for target in longshore haproxy; do
    pid_var="PID_$target"; pid=${!pid_var}
    before=$(cpu_ticks "$pid")
    out=$(load "$(url_of $target)" "$DURATION")
    after=$(cpu_ticks "$pid")
    awk -v ticks=$(( after - before )) -v hz="$(getconf CLK_TCK)" '
      /^finished in/ { rps = $4 + 0 }
      /^requests:/ { ok = $8 + 0; failed = $10 + $12 + $14 }
      /^time for request:/ { mean = $6; unit = mean; sub(/[0-9.]+/, "", unit); mean += 0
                             if (unit == "us") mean /= 1000; else if (unit == "s") mean *= 1000 }
      END { printf "%.0f %.3f %d %.2f\n", rps, mean, failed, (ok > 0 ? ticks / hz * 1e6 / ok : 0) }' \
      <<<"$out" >>"$OUT_DIR/rounds-$target"
    log "round $round $target: req/s mean_ms failed cpu_us/req = $(tail -1 "$OUT_DIR/rounds-$target")"
  done
done
log "load after: $(uptime)"

for target in longshore haproxy; do
  sort -n -k1,1 "$OUT_DIR/rounds-$target" | awk -v name="$target" -v failed="$(awk '{s += $3} END {print s}' "$OUT_DIR/rounds-$target")" '
    { line[NR] = $0 } END { split(line[int((NR + 1) / 2)], f, " ")
      printf "RESULT target=%s req_per_s=%s mean_ms=%s failed=%d cpu_us_per_req=%s\n", name, f[1], f[2], failed, f[4] }'
done | tee "$OUT_DIR/results.txt"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } r[v["target"]] = v["req_per_s"]; m[v["target"]] = v["mean_ms"]; c[v["target"]] = v["cpu_us_per_req"] }
  END { printf "RATIO target=longshore vs=haproxy req_x=%.2f mean_x=%.2f cpu_x=%.2f\n", r["longshore"] / r["haproxy"], m["longshore"] / m["haproxy"], c["longshore"] / c["haproxy"] }' \
  "$OUT_DIR/results.txt"

# Round by round against HAProxy's round right after it, and the medians of those ratios: the
# steadier figures when the machine drifts between rounds.
paste -d' ' "$OUT_DIR/rounds-longshore" "$OUT_DIR/rounds-haproxy" | awk '
  function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { n++; r[n] = $1 / $5; c[n] = $4 / $8; rounds = rounds (n > 1 ? "/" : "") sprintf("%.3f", r[n]) }
  END { printf "PAIRED target=longshore vs=haproxy req_x_median=%.3f req_x_rounds=%s cpu_x_median=%.2f\n",
          median(r, n), rounds, median(c, n) }'
