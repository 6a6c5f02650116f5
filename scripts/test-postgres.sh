#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the acts tests, on 127.0.0.1 only, never on port 5432 and
# never touching the machine's own clusters.
#
#   bash scripts/test-postgres.sh start   # prints the path of an env file to `source`
#   bash scripts/test-postgres.sh stop DIR
#
# `start` installs Debian's `postgresql` when no initdb is found, creates a cluster under a new
# temporary directory (as the postgres user when run as root: initdb refuses root), listening
# on 127.0.0.1 at the first free port from $LONGSHORE_PG_PORT (default 25432), with a user and
# a database `longshore` (password in the env file, scram-sha-256). The env file sets
# LONGSHORE_TEST_POSTGRES_URL, _USER, _PASSWORD (what the tests read) and LONGSHORE_PG_DIR.
# Logs go to stderr; stdout carries only the env file's path.
set -euo pipefail

log() { echo "[test-postgres] $*" >&2; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    log "installing postgresql from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >/dev/null
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$dir"
}

# Runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port=$1
  for _ in $(seq 1 50); do
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
  done
  log "no free port from $1 to $port"
  return 1
}

start() {
  local bin dir port password
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/longshore-pg.XXXXXX)
  chmod 0755 "$dir"
  mkdir -p "$dir/data" "$dir/socket"
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  chmod 0600 "$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir/data" "$dir/socket" "$dir/pwfile"
  fi
  port=$(free_port "${LONGSHORE_PG_PORT:-25432}")
  log "initdb in $dir/data"
  as_owner "$bin/initdb" -D "$dir/data" -U longshore --pwfile="$dir/pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"
  log "starting on 127.0.0.1:$port"
  touch "$dir/server.log"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/server.log"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/socket -c fsync=off" start >&2 \
    || { tail -20 "$dir/server.log" >&2; return 1; }
  PGPASSWORD="$password" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U longshore -d postgres \
    -c 'CREATE DATABASE longshore' >&2
  cat >"$dir/env" <<EOF
export LONGSHORE_PG_DIR='$dir'
export LONGSHORE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$port/longshore'
export LONGSHORE_TEST_POSTGRES_USER='longshore'
export LONGSHORE_TEST_POSTGRES_PASSWORD='$password'
EOF
  chmod 0600 "$dir/env"
  log "ready: jdbc:postgresql://127.0.0.1:$port/longshore (source $dir/env)"
  echo "$dir/env"
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop DIR}
  case "$dir" in
    /tmp/longshore-pg.*) ;;
    *) log "refusing to stop and remove $dir: not a cluster this script made"; return 1 ;;
  esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
