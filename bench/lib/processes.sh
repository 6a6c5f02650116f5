# Shared by the side-by-side harnesses (bench/websocket.sh, bench/http2.sh): errors and progress
# lines, start pinned processes whose output goes to $OUT_DIR, stop them all on exit, and read a
# process's CPU time. The sourcing script sets OUT_DIR before calling start.

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {  # NAME CORE CMD...: runs CMD pinned to CORE; its pid is in PID_<NAME>
  local name=$1 core=$2; shift 2
  taskset -c "$core" "$@" >"$OUT_DIR/$name.stdout" 2>"$OUT_DIR/$name.stderr" &
  PIDS+=($!)
  eval "PID_$name=$!"
}

# utime + stime (clock ticks) of a process and its direct children: the seed jar started without
# JVM flags runs its gateway in a child JVM (docs/seed.md, "The JVM it runs in").
cpu_ticks() {
  local p total=0
  for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    [[ -r /proc/$p/stat ]] || continue
    total=$(( total + $(awk '{print $14 + $15}' <(sed 's/^.*) /x x /' "/proc/$p/stat")) ))
  done
  echo "$total"
}
