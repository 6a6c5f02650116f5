#!/usr/bin/env bash
# A real 10x step through the gateway, to check the simulated autoscaling figures:
# the seed jar with the process runtime and --autoscaler target, driven by wrk with LOW
# connections, then HIGH (10x) connections. Prints requests, errors, latency per phase and
# the time from the step until ceil(HIGH / TARGET) replicas are ready.
#   bench/autoscaling-step.sh            (needs examples/target/longshore-seed.jar and wrk)
# Environment: LOW (4), HIGH (40), TARGET (8, --target-concurrency), BEFORE (30 s), AFTER (60 s),
# PORT (18080), ADMIN (18081), BASE (18100). Loopback only.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
JAR="${JAR:-$REPO_DIR/examples/target/longshore-seed.jar}"
PORT=${PORT:-18080} ADMIN=${ADMIN:-18081} BASE=${BASE:-18100}
LOW=${LOW:-4} HIGH=${HIGH:-40} TARGET=${TARGET:-8} BEFORE=${BEFORE:-30} AFTER=${AFTER:-60}
NEED=$(( (HIGH + TARGET - 1) / TARGET ))
DATA=$(mktemp -d)
URL="http://127.0.0.1:$PORT/api/v1/categories"

java -jar "$JAR" --runtime process --orphans die-with-parent --autoscaler target \
    --target-concurrency "$TARGET" --min 1 --max 10 --port "$PORT" --admin-port "$ADMIN" \
    --base-port "$BASE" --data-dir "$DATA" > "$DATA/seed.log" 2>&1 &
SEED=$!
POLL=
cleanup() {
    [ -n "$POLL" ] && kill "$POLL" 2>/dev/null || true
    kill "$SEED" 2>/dev/null || true
    wait "$SEED" 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$ADMIN/status" 2>/dev/null | grep -q '"ready":1' && break
    sleep 0.5
done
curl -fs "http://127.0.0.1:$ADMIN/status" | grep -q '"ready":1' || { echo "seed main not ready"; tail -20 "$DATA/seed.log"; exit 1; }
wrk -t1 -c"$LOW" -d5s "$URL" > /dev/null   # warm-up

( while true; do echo "$(date +%s.%N) $(curl -s "http://127.0.0.1:$ADMIN/status")"; sleep 0.25; done ) > "$DATA/status.log" &
POLL=$!
wrk -t1 -c"$LOW" -d"${BEFORE}s" --latency "$URL" > "$DATA/before.txt"
STEP=$(date +%s.%N)
wrk -t2 -c"$HIGH" -d10s --latency "$URL" > "$DATA/step.txt"
wrk -t2 -c"$HIGH" -d"$(( AFTER - 10 ))s" --latency "$URL" > "$DATA/after.txt"
kill "$POLL"; POLL=

summary() {   # phase file
    local reqs p99 errors
    reqs=$(awk '/requests in/ {print $1}' "$2")
    p99=$(awk '$1 == "99%" {print $2}' "$2")
    errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$2")
    echo "PHASE $1 requests=$reqs p99=$p99 errors=$errors"
    grep -E "Non-2xx|Socket errors" "$2" | sed 's/^ */  /' || true
}
summary "before(c=$LOW)" "$DATA/before.txt"
summary "step-first-10s(c=$HIGH)" "$DATA/step.txt"
summary "after(c=$HIGH)" "$DATA/after.txt"
python3 - "$DATA/status.log" "$STEP" "$NEED" <<'PY'
import json, sys
step, need = float(sys.argv[2]), int(sys.argv[3])
reached, changes, last = None, 0, None
for line in open(sys.argv[1]):
    t, _, body = line.partition(' ')
    try:
        s = json.loads(body)
    except ValueError:
        continue
    if last is not None and s['desired'] != last:
        changes += 1
    last = s['desired']
    if float(t) >= step and reached is None and s['ready'] >= need:
        reached = float(t) - step
d = s.get('lastDecision') or {}
print(f"CAPACITY need={need} ready_after_step_s={'never' if reached is None else round(reached, 2)} "
      f"desired_changes={changes} final_desired={last} last_decision_mode={d.get('mode')} "
      f"observed={d.get('observed')}")
PY
