#!/bin/sh
# Answers one HTTP/1.1 request on stdin/stdout, then closes the connection.
#   GET  /api/v1/_health  200 "ok", or 500 "crashed" after POST /api/v1/_crash
#   POST /api/v1/_crash   turns the health check to 500 for the rest of the container's life
#   POST /api/v1/_hang    every later request hangs (accepts, never answers)
#   GET  /api/v1/_count   how many requests were served, not counting _health and _count
#   anything else         200 "replica <REPLICA> <METHOD> <PATH>"
# Every response carries X-Replica: $REPLICA and X-Version: $WORKLOAD_VERSION.
STATE=/tmp/workload
CR=$'\r'

respond() {
  printf 'HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nX-Replica: %s\r\nX-Version: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "${#2}" "$REPLICA" "$WORKLOAD_VERSION" "$2"
  exit 0
}

read -r -t 30 method target version || exit 0
length=0
while read -r -t 30 line; do
  line="${line%"$CR"}"
  [ -z "$line" ] && break
  case "$line" in
    [Cc]ontent-[Ll]ength:*) length="${line#*:}"; length="${length# }" ;;
  esac
done
if [ "$length" -gt 0 ] 2>/dev/null; then
  head -c "$length" >/dev/null
fi
if [ -e "$STATE/hung" ]; then
  sleep 86400
fi
path="${target%%\?*}"
case "$method $path" in
  "GET /api/v1/_health"|"HEAD /api/v1/_health")
    if [ -e "$STATE/crashed" ]; then respond "500 Internal Server Error" "crashed"; fi
    respond "200 OK" "ok" ;;
  "GET /api/v1/_count")
    count=0
    [ -e "$STATE/count" ] && count=$(wc -c < "$STATE/count")
    respond "200 OK" "$((count))" ;;
esac
printf x >> "$STATE/count"
case "$method $path" in
  "POST /api/v1/_crash") : > "$STATE/crashed"; respond "200 OK" "crashed" ;;
  "POST /api/v1/_hang") : > "$STATE/hung"; respond "200 OK" "hanging" ;;
esac
respond "200 OK" "replica $REPLICA $method $path"
