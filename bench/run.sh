#!/usr/bin/env bash
# Longshore load harness: the Longshore gateway, nginx and HAProxy side by side in front of the
# same two nginx backends, measured with wrk in interleaved rounds. Loopback (127.0.0.1) only.
# Run `bench/run.sh -h` for the options. See BENCHMARKS.md for how to read the output.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)

DURATION=10            # seconds per measured wrk run
CONNECTIONS=32
ROUNDS=3
WARMUP_JVM=20          # seconds of warm-up for the JVM gateway (per body size): C2 settles in ~15 s
WARMUP_NATIVE=2        # seconds of warm-up for nginx and HAProxy (per body size)
WARMUP_SLICE=5         # warm-up runs as wrk runs of at most this many seconds, each on new connections
TARGETS="longshore,nginx,haproxy"
SIZES="small,64k"
BASE_PORT=25000
PROXY_CORE=1
LOAD_CORE=0
OUT_DIR="$REPO_DIR/bench/out"
GATEWAY_CMD=""
GATEWAY_JAR="$REPO_DIR/examples/target/longshore-seed.jar"
GATEWAY_KIND=seed
STRATEGY=""            # the seed jar's --strategy; empty for its default (round-robin)
BENCH_JAR="$REPO_DIR/benchmarks/target/benchmarks.jar"
# The gateway runs as users start it, `java -jar`, with no tuning flags; LONGSHORE_JAVA_OPTS adds some.
JAVA_OPTS="${LONGSHORE_JAVA_OPTS-}"
JFR_FILE=""
MAX_SECONDS=1800       # hard bound on the whole run
SLOW_CLIENTS=0
MAX_CONNECTIONS=4096   # HAProxy's maxconn and nginx's worker_connections; raised for --slow-clients
TLS=0                  # 1: measure longshore and haproxy through their TLS listeners
TLS_PROVIDER=""        # the seed jar's --tls-provider (auto, jdk, conscrypt); empty for its default
LIGHT_BACKENDS=0       # 1: the backends send /small without sendfile and TCP_CORK
FORWARDFOR_ONLY=0      # 1: HAProxy and nginx add only X-Forwarded-For, not the fields the gateway adds too
HAPROXY_BALANCE=roundrobin  # HAProxy's balance algorithm (its counterpart of the gateway's --strategy)

usage() {
  cat <<EOF
Usage: bench/run.sh [options]

Starts two nginx backends (1 worker each, /small and /64k) and, in front of them, the
Longshore gateway (--static-backends mode), nginx (reverse proxy) and HAProxy; pins each proxy
to core $PROXY_CORE and the backends and wrk to core $LOAD_CORE; warms each up, then runs wrk
(1 thread) against each in interleaved rounds and prints, per target and body size, the median
round as one line:
  RESULT target=<name>-<size> rps=<n> p50_ms=<n> p99_ms=<n> errors=<n> cpu_us_per_req=<n> p999_ms=<n>
then DETAIL lines (CPU split, context switches, the load core's CPU per request in the backends
and in wrk, how busy each core was (the one near 100 % sets the pace), every round, the latency
distribution) and
RATIO lines against HAProxy (ratios of the median rounds) and PAIRED lines (requests/s, p99 and
p99.9 against HAProxy round by round, and the medians of those ratios: the steadier figures when
the machine drifts). Only 127.0.0.1 is ever contacted.

Options:
  -d, --duration SECONDS     measured wrk run per target and round (default $DURATION)
  -c, --connections N        wrk connections (default $CONNECTIONS)
  -r, --rounds N             interleaved rounds; the median round is reported (default $ROUNDS)
  -w, --warmup SECONDS       JVM gateway warm-up per body size (default $WARMUP_JVM), as wrk runs
                             of at most ${WARMUP_SLICE}s on new connections each
  -t, --targets LIST         comma list of longshore,nginx,haproxy (default $TARGETS)
  -s, --sizes LIST           comma list of small,64k (default $SIZES)
  -p, --base-port PORT       ports used: PORT+1,+2 backends, +10/+11 longshore (+admin),
                             +20 nginx, +30 haproxy (default $BASE_PORT; keep in 25000-25999)
  -o, --out DIR              raw outputs and configs (default bench/out, gitignored)
      --gateway-jar PATH     the seed jar (default examples/target/longshore-seed.jar; built
                             with 'mvn -B -q -pl examples -am package -DskipTests' if absent)
      --gateway KIND         seed (default): the seed jar's --static-backends mode; bench: the
                             same Gateway over Routers.fixed from benchmarks/target/benchmarks.jar
                             (StaticGatewayMain; built with mvn -pl benchmarks -am if absent)
      --strategy S           the seed jar's --strategy (round-robin, random, least-request,
                             p2c, peak-ewma, hash:header:NAME, hash:cookie:NAME, hash:ip,
                             hash:path; default: its own, round-robin)
      --gateway-cmd CMD      run this instead of the seed jar; {backends}, {port} and {admin}
                             are replaced
      --jfr FILE             record a JFR profile of the gateway (settings=profile) into FILE
      --proxy-core N         core for the proxies (default $PROXY_CORE)
      --load-core N          core for backends and wrk (default $LOAD_CORE)
      --max-seconds N        abort the whole run after N seconds (default $MAX_SECONDS)
  -h, --help                 this text
      --slow-clients N       also keep N connections trickling request heads at each target
                             during its measured rounds (SlowClientsMain from the benchmarks jar,
                             on the load core; a quarter of them idle, the rest a byte a second;
                             HAProxy has the gateway's 10 s head timeout, timeout http-request);
                             the gateway's JVM warm-up runs with them too
      --light-backends       the backends send /small with one write instead of sendfile under
                             TCP_CORK (nginx 'sendfile off; tcp_nopush off'): three syscalls
                             fewer per request on the load core, which otherwise fills first and
                             sets the pace for every proxy; with them the proxies' core fills
                             too, and the proxies' own cost per request shows in requests/s
      --haproxy-balance A    HAProxy's balance algorithm (default roundrobin), to measure a
                             strategy against HAProxy's counterpart: random, leastconn, source
                             (for hash:ip), uri (hash:path), 'hdr(NAME)', 'random(2)' (p2c)
      --forwardfor-only      HAProxy and nginx add only X-Forwarded-For to requests; by default
                             they also set X-Forwarded-Proto and X-Forwarded-Host and add Via,
                             as the gateway does, so the backends parse the same fields
      --tls                  measure longshore and haproxy over TLS (keep-alive; a self-signed
                             P-256 certificate made with openssl for the run; the gateway's
                             --tls-port is base+12, HAProxy's ssl bind base+31; not with nginx)
      --tls-provider P       with --tls: the seed jar's --tls-provider (auto, jdk, conscrypt;
                             default: the jar's own, auto)
Environment: LONGSHORE_JAVA_OPTS: JVM flags for the gateway (default: none, plain java -jar,
  which runs the gateway in a ZGC child JVM; with any flag the jar runs in one JVM with them).
Needs nginx, haproxy, wrk, curl, taskset; installs the missing ones with apt-get when root.
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

parse_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -d|--duration) DURATION=$2; shift 2 ;;
      -c|--connections) CONNECTIONS=$2; shift 2 ;;
      -r|--rounds) ROUNDS=$2; shift 2 ;;
      -w|--warmup) WARMUP_JVM=$2; shift 2 ;;
      -t|--targets) TARGETS=$2; shift 2 ;;
      -s|--sizes) SIZES=$2; shift 2 ;;
      -p|--base-port) BASE_PORT=$2; shift 2 ;;
      -o|--out) OUT_DIR=$2; shift 2 ;;
      --gateway-jar) GATEWAY_JAR=$2; shift 2 ;;
      --gateway-cmd) GATEWAY_CMD=$2; shift 2 ;;
      --gateway) GATEWAY_KIND=$2; shift 2 ;;
      --strategy) STRATEGY=$2; shift 2 ;;
      --jfr) JFR_FILE=$2; shift 2 ;;
      --slow-clients) SLOW_CLIENTS=$2; shift 2 ;;
      --light-backends) LIGHT_BACKENDS=1; shift ;;
      --forwardfor-only) FORWARDFOR_ONLY=1; shift ;;
      --haproxy-balance) HAPROXY_BALANCE=$2; shift 2 ;;
      --tls) TLS=1; shift ;;
      --tls-provider) TLS_PROVIDER=$2; shift 2 ;;
      --proxy-core) PROXY_CORE=$2; shift 2 ;;
      --load-core) LOAD_CORE=$2; shift 2 ;;
      --max-seconds) MAX_SECONDS=$2; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown option: $1" ;;
    esac
  done
  local n
  for n in "$DURATION" "$CONNECTIONS" "$ROUNDS" "$WARMUP_JVM" "$BASE_PORT" "$PROXY_CORE" \
           "$LOAD_CORE" "$MAX_SECONDS" "$SLOW_CLIENTS"; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "expected a whole number, got '$n'"
  done
  (( DURATION >= 1 && CONNECTIONS >= 1 && ROUNDS >= 1 )) || die "duration, connections, rounds must be >= 1"
  if (( SLOW_CLIENTS > 0 )); then
    MAX_CONNECTIONS=$(( SLOW_CLIENTS + CONNECTIONS + 1000 ))  # every proxy takes them all; none is refused
  fi
  (( BASE_PORT >= 1024 && BASE_PORT + 31 <= 65535 )) || die "base port out of range: $BASE_PORT"
  [[ "$GATEWAY_KIND" =~ ^(seed|bench)$ ]] || die "unknown --gateway '$GATEWAY_KIND' (seed, bench)"
  [[ -z "$STRATEGY" || ( $GATEWAY_KIND == seed && -z "$GATEWAY_CMD" ) ]] \
    || die "--strategy applies to the seed jar only (not with --gateway bench or --gateway-cmd)"
  [[ -z "$STRATEGY" || "$STRATEGY" =~ ^[A-Za-z0-9:_.-]+$ ]] || die "unexpected --strategy '$STRATEGY'"
  [[ "$HAPROXY_BALANCE" =~ ^[A-Za-z0-9_.-]+(\([A-Za-z0-9_.-]+\))?$ ]] \
    || die "unexpected --haproxy-balance '$HAPROXY_BALANCE'"
  local t
  for t in ${TARGETS//,/ }; do
    [[ "$t" =~ ^(longshore|nginx|haproxy)$ ]] || die "unknown target '$t' (longshore, nginx, haproxy)"
  done
  for t in ${SIZES//,/ }; do
    [[ "$t" =~ ^(small|64k)$ ]] || die "unknown size '$t' (small, 64k)"
  done
  if (( TLS )); then
    [[ ",$TARGETS," != *",nginx,"* ]] || die "--tls measures longshore and haproxy only: pass -t longshore,haproxy"
    [[ -z "$GATEWAY_CMD" && $GATEWAY_KIND == seed ]] || die "--tls needs the seed jar (no --gateway-cmd, --gateway bench)"
  fi
  if [[ -n "$TLS_PROVIDER" ]]; then
    (( TLS )) || die "--tls-provider needs --tls"
    [[ "$TLS_PROVIDER" =~ ^(auto|jdk|conscrypt)$ ]] || die "unknown --tls-provider '$TLS_PROVIDER' (auto, jdk, conscrypt)"
  fi
}

# ---------------------------------------------------------------- processes and cleanup
PIDS=()
WATCHDOG_PID=""

cleanup() {
  local pid i
  stop_slow_clients
  if [[ -n "$WATCHDOG_PID" ]]; then
    local sleeper; sleeper=$(children_of "$WATCHDOG_PID")
    kill "$WATCHDOG_PID" 2>/dev/null || true
    [[ -n "$sleeper" ]] && kill $sleeper 2>/dev/null || true
  fi
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid=${PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      local kids; kids=$(children_of "$pid")
      kill -KILL "$pid" $kids 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

children_of() {
  cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+$' || true
}

# start NAME CORE CMD...: runs CMD pinned to CORE in the background, remembers its pid.
start() {
  local name=$1 core=$2; shift 2
  taskset -c "$core" "$@" >"$OUT_DIR/$name.stdout" 2>"$OUT_DIR/$name.stderr" &
  PIDS+=($!)
  eval "PID_${name//-/_}=$!"
}

pid_of() { local v="PID_${1//-/_}"; echo "${!v}"; }

# "utime stime" (clock ticks) of a process and its direct children (nginx workers).
cpu_ticks() {
  local user=0 sys=0 p fields u s
  for p in "$1" $(children_of "$1"); do
    [[ -r /proc/$p/stat ]] || continue
    fields=$(sed 's/^.*) //' /proc/"$p"/stat)
    read -r u s <<<"$(awk '{print $12, $13}' <<<"$fields")"
    user=$(( user + u )); sys=$(( sys + s ))
  done
  echo "$user $sys"
}

# "busy total" jiffies of one core since boot, from /proc/stat (idle and iowait are not busy).
core_jiffies() {  # $1 = core
  awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

# CPU ticks (user + system) of both nginx backends and their workers: the load core's share
# that is not wrk's.
backend_ticks() {
  local total=0 p u s
  for p in "$(pid_of backend1)" "$(pid_of backend2)"; do
    read -r u s <<<"$(cpu_ticks "$p")"
    total=$(( total + u + s ))
  done
  echo "$total"
}

# Seconds of CPU (user + system) in the "children" line of bash's `times` output.
children_seconds() {
  tail -1 "$1" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, ms, /[ms]/); t += ms[1] * 60 + ms[2] } print t }'
}

# Context switches (voluntary + involuntary) of every thread of a process and its direct children.
ctx_switches() {
  local p
  for p in "$1" $(children_of "$1"); do
    cat /proc/"$p"/task/*/status 2>/dev/null
  done | awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ {s += $2} END {print s + 0}'
}

# ---------------------------------------------------------------- setup
ensure_tools() {
  local missing=() pkg
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v taskset >/dev/null || missing+=(util-linux)
  if (( ${#missing[@]} )); then
    [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || die "apt-get install ${missing[*]} failed"
  fi
  export PATH="$PATH:/usr/sbin:/sbin"
  local cores; cores=$(nproc)
  (( PROXY_CORE < cores && LOAD_CORE < cores )) || die "cores $PROXY_CORE/$LOAD_CORE not both below nproc=$cores"
}

check_ports_free() {
  local p
  for p in "$@"; do
    if ss -ltnH "sport = :$p" 2>/dev/null | grep -q .; then
      die "port $p is in use (pick another --base-port in 25000-25999)"
    fi
  done
}

write_files() {
  local www="$OUT_DIR/www"
  mkdir -p "$www" "$OUT_DIR/tmp"
  chmod 755 "$OUT_DIR" "$www"
  printf 'hello from a Longshore benchmark backend\n' >"$www/small"
  head -c 65536 /dev/zero | tr '\0' 'x' >"$www/64k"
  chmod 644 "$www/small" "$www/64k"
}

nginx_common() {  # $1 = name
  cat <<EOF
worker_processes 1;
pid $OUT_DIR/$1.pid;
error_log $OUT_DIR/$1.error.log warn;
events { worker_connections $MAX_CONNECTIONS; }
EOF
}

nginx_http_common() {  # $1 = name
  cat <<EOF
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $OUT_DIR/tmp/$1-body;
  proxy_temp_path $OUT_DIR/tmp/$1-proxy;
  fastcgi_temp_path $OUT_DIR/tmp/$1-fastcgi;
  uwsgi_temp_path $OUT_DIR/tmp/$1-uwsgi;
  scgi_temp_path $OUT_DIR/tmp/$1-scgi;
EOF
}

write_backend_conf() {  # $1 = name, $2 = port
  { nginx_common "$1"; cat <<EOF
http {
$(nginx_http_common "$1")
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$2 backlog=4096;
    root $OUT_DIR/www;
$(if (( LIGHT_BACKENDS )); then echo '    location = /small { sendfile off; tcp_nopush off; }'; fi)
    location / { }
  }
}
EOF
  } >"$OUT_DIR/$1.conf"
}

write_nginx_proxy_conf() {  # $1 = port
  { nginx_common nginx-proxy; cat <<EOF
http {
$(nginx_http_common nginx-proxy)
  upstream backends {
    server 127.0.0.1:$P_BACKEND1;
    server 127.0.0.1:$P_BACKEND2;
    keepalive 32;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$1 backlog=4096;
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
$( (( FORWARDFOR_ONLY )) || cat <<'FIELDS'
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header Via "1.1 nginx";
FIELDS
)
    }
  }
}
EOF
  } >"$OUT_DIR/nginx-proxy.conf"
}

write_haproxy_conf() {  # $1 = port
  cat >"$OUT_DIR/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn $MAX_CONNECTIONS
$( (( SLOW_CLIENTS > 0 )) && echo "  no strict-limits" || true)
defaults
  mode http
  option http-keep-alive
  option forwardfor
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s
  timeout http-request 10s
frontend fe
  bind 127.0.0.1:$1
$( (( TLS )) && echo "  bind 127.0.0.1:$P_HAPROXY_TLS ssl crt $OUT_DIR/tls/haproxy.pem alpn http/1.1" || true)
$( (( FORWARDFOR_ONLY )) || cat <<'FIELDS'
  http-request set-header X-Forwarded-Proto https if { ssl_fc }
  http-request set-header X-Forwarded-Proto http if !{ ssl_fc }
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request add-header Via "1.1 haproxy"
FIELDS
)
  default_backend be
backend be
  balance $HAPROXY_BALANCE
  http-reuse always
  server b1 127.0.0.1:$P_BACKEND1
  server b2 127.0.0.1:$P_BACKEND2
EOF
}

wait_ready() {  # $1 = name, $2 = port, $3 = seconds, $4 = scheme (default http)
  local deadline=$(( SECONDS + $3 )) code scheme=${4:-http} ca=()
  [[ $scheme == https ]] && ca=(--cacert "$OUT_DIR/tls/cert.pem")
  while (( SECONDS < deadline )); do
    kill -0 "$(pid_of "$1")" 2>/dev/null || { tail -20 "$OUT_DIR/$1.stderr" >&2; die "$1 exited"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${ca[@]}" "$scheme://127.0.0.1:$2/small" || true)
    [[ "$code" == 200 ]] && return 0
    sleep 0.2
  done
  tail -20 "$OUT_DIR/$1.stderr" >&2
  die "$1 did not answer 200 on $scheme://127.0.0.1:$2/small within $3 s"
}

# A self-signed P-256 certificate for localhost and 127.0.0.1, for the TLS targets.
make_certificate() {
  mkdir -p "$OUT_DIR/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$OUT_DIR/tls/key.pem" \
    -out "$OUT_DIR/tls/cert.pem" 2>/dev/null || die "openssl could not make a certificate"
  cat "$OUT_DIR/tls/cert.pem" "$OUT_DIR/tls/key.pem" >"$OUT_DIR/tls/haproxy.pem"
}

gateway_command() {
  local backends="127.0.0.1:$P_BACKEND1,127.0.0.1:$P_BACKEND2"
  if [[ -n "$GATEWAY_CMD" ]]; then
    local cmd=${GATEWAY_CMD//\{backends\}/$backends}
    cmd=${cmd//\{port\}/$P_LONGSHORE}
    cmd=${cmd//\{admin\}/$P_ADMIN}
    echo "$cmd"
    return
  fi
  local jfr="" main
  [[ -n "$JFR_FILE" ]] && jfr="-XX:+FlightRecorder -XX:StartFlightRecording=settings=profile,filename=$JFR_FILE"
  if [[ $GATEWAY_KIND == bench ]]; then
    build_if_absent "$BENCH_JAR" benchmarks
    main="-cp $BENCH_JAR io.longshore.benchmarks.StaticGatewayMain"
  else
    build_if_absent "$GATEWAY_JAR" examples
    main="-jar $GATEWAY_JAR"
  fi
  local strategy=""
  [[ -n "$STRATEGY" ]] && strategy=" --strategy $STRATEGY"
  local tls=""
  (( TLS )) && tls=" --tls-port $P_LONGSHORE_TLS --tls-cert $OUT_DIR/tls/cert.pem --tls-key $OUT_DIR/tls/key.pem"
  [[ -n "$TLS_PROVIDER" ]] && tls+=" --tls-provider $TLS_PROVIDER"
  echo "java $JAVA_OPTS $jfr $main --static-backends $backends --port $P_LONGSHORE --admin-port $P_ADMIN$strategy$tls"
}

build_if_absent() {  # $1 = jar, $2 = module
  [[ -f "$1" ]] && return 0
  log "building $1"
  (cd "$REPO_DIR" && mvn -B -q -pl "$2" -am package -DskipTests) >&2 \
    || die "could not build $1; pass --gateway-cmd"
  [[ -f "$1" ]] || die "$1 is still absent after the build; pass --gateway-cmd or --gateway bench"
}

start_all() {
  write_files
  if (( TLS )); then make_certificate; fi
  write_backend_conf backend1 "$P_BACKEND1"
  write_backend_conf backend2 "$P_BACKEND2"
  start backend1 "$LOAD_CORE" nginx -c "$OUT_DIR/backend1.conf" -g 'daemon off;'
  start backend2 "$LOAD_CORE" nginx -c "$OUT_DIR/backend2.conf" -g 'daemon off;'
  wait_ready backend1 "$P_BACKEND1" 15
  wait_ready backend2 "$P_BACKEND2" 15
  if has_target nginx; then
    write_nginx_proxy_conf "$P_NGINX"
    start nginx "$PROXY_CORE" nginx -c "$OUT_DIR/nginx-proxy.conf" -g 'daemon off;'
    wait_ready nginx "$P_NGINX" 15
  fi
  if has_target haproxy; then
    write_haproxy_conf "$P_HAPROXY"
    start haproxy "$PROXY_CORE" haproxy -db -f "$OUT_DIR/haproxy.cfg"
    wait_ready haproxy "$P_HAPROXY" 15
    if (( TLS )); then wait_ready haproxy "$P_HAPROXY_TLS" 15 https; fi
  fi
  if has_target longshore; then
    local cmd; cmd=$(gateway_command)
    log "gateway: $cmd"
    echo "$cmd" >"$OUT_DIR/longshore.cmd"
    start longshore "$PROXY_CORE" bash -c "exec $cmd"
    wait_ready longshore "$P_LONGSHORE" 90
    if (( TLS )); then wait_ready longshore "$P_LONGSHORE_TLS" 15 https; fi
  fi
}

has_target() { [[ ",$TARGETS," == *",$1,"* ]]; }
port_of() { case $1 in longshore) echo "$P_LONGSHORE" ;; nginx) echo "$P_NGINX" ;; haproxy) echo "$P_HAPROXY" ;; esac; }
# The URL wrk measures: the plain listener, or with --tls the TLS one.
url_of() {
  if (( TLS )); then
    case $1 in longshore) echo "https://127.0.0.1:$P_LONGSHORE_TLS" ;; haproxy) echo "https://127.0.0.1:$P_HAPROXY_TLS" ;; esac
  else
    echo "http://127.0.0.1:$(port_of "$1")"
  fi
}

# ---------------------------------------------------------------- measuring
# run_wrk TARGET SIZE SECONDS RAWFILE: one wrk run; prints
# "rps p50_ms p99_ms errors cpu_us_per_req user_us_per_req sys_us_per_req ctx_switches_per_req p999_ms dist_us".
run_wrk() {
  local target=$1 size=$2 secs=$3 raw=$4 pid before after
  pid=$(pid_of "$target")
  before=$(cpu_ticks "$pid"); local cs0; cs0=$(ctx_switches "$pid"); local bt0; bt0=$(backend_ticks)
  local lc0 pc0; lc0=$(core_jiffies "$LOAD_CORE"); pc0=$(core_jiffies "$PROXY_CORE")
  ( taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s --latency \
      -s "$SCRIPT_DIR/report.lua" "$(url_of "$target")/$size" >"$raw" 2>&1; rc=$?; times >"$raw.times"; exit $rc ) \
    || { cat "$raw" >&2; die "wrk failed against $target"; }
  after=$(cpu_ticks "$pid"); local cs1; cs1=$(ctx_switches "$pid"); local bt1; bt1=$(backend_ticks)
  local lc1 pc1; lc1=$(core_jiffies "$LOAD_CORE"); pc1=$(core_jiffies "$PROXY_CORE")
  local lb0 lt0 lb1 lt1 pb0 pt0 pb1 pt1
  read -r lb0 lt0 <<<"$lc0"; read -r lb1 lt1 <<<"$lc1"; read -r pb0 pt0 <<<"$pc0"; read -r pb1 pt1 <<<"$pc1"
  local line; line=$(grep '^LSBENCH ' "$raw") || { cat "$raw" >&2; die "no LSBENCH line from wrk"; }
  local u0 s0 u1 s1
  read -r u0 s0 <<<"$before"; read -r u1 s1 <<<"$after"
  awk -v uticks=$(( u1 - u0 )) -v sticks=$(( s1 - s0 )) -v hz="$(getconf CLK_TCK)" -v cs=$(( cs1 - cs0 )) \
    -v bticks=$(( bt1 - bt0 )) -v wrk_s="$(children_seconds "$raw.times")" \
    -v lbusy=$(( lb1 - lb0 )) -v ltotal=$(( lt1 - lt0 )) -v pbusy=$(( pb1 - pb0 )) -v ptotal=$(( pt1 - pt0 )) '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      req = v["requests"]; dur = v["duration_us"] / 1e6
      err = v["err_connect"] + v["err_read"] + v["err_write"] + v["err_timeout"] + v["err_status"]
      us = req > 0 ? uticks / hz * 1e6 / req : 0
      sy = req > 0 ? sticks / hz * 1e6 / req : 0
      printf "%.1f %.3f %.3f %d %.2f %.2f %.2f %.2f %.3f %s %.2f %.2f %.1f %.1f\n", req / dur, v["p50_us"] / 1000, v["p99_us"] / 1000, err,
        us + sy, us, sy, (req > 0 ? cs / req : 0), v["p999_us"] / 1000, v["dist_us"],
        (req > 0 ? bticks / hz * 1e6 / req : 0), (req > 0 ? wrk_s * 1e6 / req : 0),
        (ltotal > 0 ? 100 * lbusy / ltotal : 0), (ptotal > 0 ? 100 * pbusy / ptotal : 0)
    }' <<<"$line"
}

warm_up() {
  local target size secs
  for size in ${SIZES//,/ }; do
    for target in ${TARGETS//,/ }; do
      secs=$WARMUP_NATIVE; [[ $target == longshore ]] && secs=$WARMUP_JVM
      log "warm-up $target-$size ${secs}s in slices of at most ${WARMUP_SLICE}s"
      # Each slice is a wrk run of its own: its connections open (TLS: handshake) and close,
      # as they do in every measured round, so the JIT has seen those paths before a round starts.
      # With --slow-clients the gateway warms up with them too (their 408s, closes and reconnects).
      [[ $target == longshore ]] && start_slow_clients "$target"
      local left=$secs slice n=0
      while (( left > 0 )); do
        slice=$(( left < WARMUP_SLICE ? left : WARMUP_SLICE )); n=$(( n + 1 ))
        run_wrk "$target" "$size" "$slice" "$OUT_DIR/raw/warmup-$target-$size-$n.txt" >/dev/null
        left=$(( left - slice ))
      done
      stop_slow_clients
    done
  done
}

# Starts the slow clients against the gateway (when asked for) and waits until they are connected.
start_slow_clients() {  # $1 = target
  (( SLOW_CLIENTS > 0 )) || return 0
  local port; port=$(port_of "$1")
  build_if_absent "$BENCH_JAR" benchmarks
  taskset -c "$LOAD_CORE" java -cp "$BENCH_JAR" io.longshore.benchmarks.SlowClientsMain 127.0.0.1 "$port" \
    "$SLOW_CLIENTS" 1000 $(( DURATION + 30 )) >>"$OUT_DIR/slow-clients-$1.txt" 2>&1 &
  SLOW_PID=$!
  local deadline=$(( SECONDS + 30 ))
  while (( SECONDS < deadline )); do
    (( $(ss -tnH state established "dport = :$port" 2>/dev/null | wc -l) >= SLOW_CLIENTS )) && break
    sleep 0.5
  done
  log "slow clients at $1: $(ss -tnH state established "dport = :$port" 2>/dev/null | wc -l) connections open"
}

stop_slow_clients() {
  [[ -n "${SLOW_PID:-}" ]] || return 0
  kill "$SLOW_PID" 2>/dev/null || true
  wait "$SLOW_PID" 2>/dev/null || true
  SLOW_PID=""
}

measure() {
  local round target size res
  for round in $(seq 1 "$ROUNDS"); do
    for size in ${SIZES//,/ }; do
      for target in ${TARGETS//,/ }; do
        start_slow_clients "$target"
        res=$(run_wrk "$target" "$size" "$DURATION" "$OUT_DIR/raw/round$round-$target-$size.txt")
        stop_slow_clients
        log "round $round $target-$size: rps p50_ms p99_ms errors cpu_us (user sys) ctxsw/req = $res"
        echo "$res" >>"$OUT_DIR/rounds/$target-$size"
      done
    done
  done
}

# The median round by requests/s; errors are the total over all rounds (none may hide).
report() {
  local size target file
  local results="$OUT_DIR/results.txt"
  for size in ${SIZES//,/ }; do
    for target in ${TARGETS//,/ }; do
      file="$OUT_DIR/rounds/$target-$size"
      sort -n -k1,1 "$file" | awk -v name="$target-$size" -v total_err="$(awk '{s += $4} END {print s}' "$file")" '
        { line[NR] = $0; rounds = rounds (NR > 1 ? "/" : "") int($1) }
        END {
          split(line[int((NR + 1) / 2)], f, " ")
          printf "RESULT target=%s rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d cpu_us_per_req=%.2f p999_ms=%.3f\n",
            name, f[1], f[2], f[3], total_err, f[5], f[9]
          printf "DETAIL target=%s cpu_user_us_per_req=%.2f cpu_sys_us_per_req=%.2f ctx_switches_per_req=%.2f load_core_backends_us_per_req=%.2f load_core_wrk_us_per_req=%.2f load_core_busy_pct=%.1f proxy_core_busy_pct=%.1f rps_rounds_sorted=%s latency_us_p50/p75/p90/p99/p999/p9999/max=%s\n",
            name, f[6], f[7], f[8], f[11], f[12], f[13], f[14], rounds, f[10] > "/dev/stderr"
        }' 2>>"$OUT_DIR/details.txt"
    done
  done >"$results"
  cat "$results"
  cat "$OUT_DIR/details.txt" >&2
  has_target haproxy || return 0
  for size in ${SIZES//,/ }; do
    for target in ${TARGETS//,/ }; do
      [[ $target == haproxy ]] && continue
      awk -v t="$target-$size" -v h="haproxy-$size" '
        { split("", v); for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
          rps[v["target"]] = v["rps"]; p99[v["target"]] = v["p99_ms"]; cpu[v["target"]] = v["cpu_us_per_req"]
          p999[v["target"]] = v["p999_ms"] }
        END {
          printf "RATIO target=%s vs=%s rps_x=%.2f p99_x=%.2f cpu_x=%.2f p999_x=%.2f\n", t, h,
            (rps[h] > 0 ? rps[t] / rps[h] : 0), (p99[h] > 0 ? p99[t] / p99[h] : 0),
            (cpu[h] > 0 ? cpu[t] / cpu[h] : 0), (p999[h] > 0 ? p999[t] / p999[h] : 0)
        }' "$results"
      paired_ratio "$OUT_DIR/rounds/$target-$size" "$OUT_DIR/rounds/haproxy-$size" "$target-$size"
    done
  done >"$OUT_DIR/ratios.txt"
  cat "$OUT_DIR/ratios.txt"
}

# paired_ratio TARGET_ROUNDS HAPROXY_ROUNDS NAME: requests/s, p99 and p99.9 against HAProxy round
# by round (the rounds are interleaved, so round i of both ran a few seconds apart and share the
# machine's drift); prints the median of each ratio and every requests/s and p99 ratio, as
# "PAIRED target=<name>-<size> vs=haproxy-<size> rps_x_median=<n> rps_x_rounds=<r1>/<r2>/...
#  p99_x_median=<n> p999_x_median=<n> p99_x_rounds=<r1>/<r2>/...". The tail's medians are the
# steadier figures: RATIO's p99_x is one round's (the one with the median requests/s).
paired_ratio() {
  paste -d' ' <(cut -d' ' -f1,3,9 "$1") <(cut -d' ' -f1,3,9 "$2") | awk -v name="$3" '
    function median(a, n,    i, j, v) {
      for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $4 > 0 && $5 > 0 && $6 > 0 {
      n++; r[n] = $1 / $4; t[n] = $2 / $5; u[n] = $3 / $6
      all = all (n > 1 ? "/" : "") sprintf("%.3f", r[n]); tails = tails (n > 1 ? "/" : "") sprintf("%.2f", t[n])
    }
    END {
      if (n == 0) exit
      vs = name; sub(/^[^-]*/, "haproxy", vs)
      printf "PAIRED target=%s vs=%s rps_x_median=%.3f rps_x_rounds=%s p99_x_median=%.2f p999_x_median=%.2f p99_x_rounds=%s\n",
        name, vs, median(r, n), all, median(t, n), median(u, n), tails
    }'
}

main() {
  parse_args "$@"
  ensure_tools
  P_BACKEND1=$(( BASE_PORT + 1 )); P_BACKEND2=$(( BASE_PORT + 2 ))
  P_LONGSHORE=$(( BASE_PORT + 10 )); P_ADMIN=$(( BASE_PORT + 11 ))
  P_NGINX=$(( BASE_PORT + 20 )); P_HAPROXY=$(( BASE_PORT + 30 ))
  P_LONGSHORE_TLS=$(( BASE_PORT + 12 )); P_HAPROXY_TLS=$(( BASE_PORT + 31 ))
  check_ports_free "$P_BACKEND1" "$P_BACKEND2" "$P_LONGSHORE" "$P_ADMIN" "$P_NGINX" "$P_HAPROXY"
  if (( TLS )); then check_ports_free "$P_LONGSHORE_TLS" "$P_HAPROXY_TLS"; fi
  mkdir -p "$OUT_DIR"
  OUT_DIR=$(cd "$OUT_DIR" && pwd)
  rm -rf "$OUT_DIR/raw" "$OUT_DIR/rounds" "$OUT_DIR/details.txt" && mkdir -p "$OUT_DIR/raw" "$OUT_DIR/rounds"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  ( sleep "$MAX_SECONDS"; echo "run.sh: over --max-seconds $MAX_SECONDS, aborting" >&2; kill -TERM $$ ) &
  WATCHDOG_PID=$!
  disown "$WATCHDOG_PID"
  log "load before: $(uptime)"
  echo "LOAD before $(uptime)" >"$OUT_DIR/load.txt"
  start_all
  warm_up
  measure
  log "load after: $(uptime)"
  echo "LOAD after $(uptime)" >>"$OUT_DIR/load.txt"
  report
  cat "$OUT_DIR/load.txt"
}

main "$@"
