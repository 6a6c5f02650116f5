#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs docker.io and busybox-static
# from Debian when missing, and starts dockerd in the background unless `docker info`
# already answers. Never starts a second daemon. Exits non-zero when no engine comes up.
set -euo pipefail

log() { echo "[ensure-docker] $*"; }

# The test image copies /bin/busybox into a FROM-scratch image, so it must be the static build
# (Debian's busybox-static); a dynamically linked busybox would not run there.
static_busybox() {
  [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1
}

packages=()
command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 || packages+=(docker.io)
static_busybox || packages+=(busybox-static)
if [ "${#packages[@]}" -gt 0 ]; then
  log "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  log "engine already answers"
  exit 0
fi

dockerd_running() {
  if [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    return 0
  fi
  command -v pgrep >/dev/null 2>&1 && pgrep -x dockerd >/dev/null 2>&1
}

if dockerd_running; then
  log "dockerd is running but not answering yet; waiting"
else
  log "starting dockerd"
  nohup dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --ip-forward=false --userland-proxy=false >/tmp/longshore-dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "engine ready"
    exit 0
  fi
  sleep 0.5
done
log "engine did not answer within 30 s; see /tmp/longshore-dockerd.log"
tail -20 /tmp/longshore-dockerd.log || true
exit 1
