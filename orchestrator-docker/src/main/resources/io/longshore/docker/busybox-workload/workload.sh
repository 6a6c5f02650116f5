#!/bin/sh
# Serves the test workload on $HOST:$PORT (HOST defaults to 127.0.0.1). Given arguments, runs
# them instead (e.g. `sh -c 'while :; do :; done'` for a busy container).
#
# The listener is busybox nc: it binds HOST:PORT and forks handler.sh per connection. (The
# distribution's busybox httpd runs CGI only under /cgi-bin/ and has no proxy, so it cannot
# serve /api/v1/...). Each extra -l adds one slot to the listen backlog.
if [ "$#" -gt 0 ]; then
  exec "$@"
fi
if [ -z "$PORT" ]; then
  echo "workload: PORT must be set" >&2
  exit 2
fi
export HOST="${HOST:-127.0.0.1}"
export REPLICA="${REPLICA:-$PORT}"
export WORKLOAD_VERSION="${WORKLOAD_VERSION:-v1}"
mkdir -p /tmp/workload
echo "workload: serving on $HOST:$PORT as replica $REPLICA"
exec nc -llllllllllllllllllllllllllllllll -p "$PORT" "$HOST" -e /bin/sh /handler.sh
