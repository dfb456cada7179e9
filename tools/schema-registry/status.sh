#!/usr/bin/env bash
# Print whether the local Schema Registry runs and answers, and its URL.
# Exit status: 0 when it answers, 1 otherwise (also when nothing was started).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! pid="$(registry_pid)"; then
  log "Schema Registry is not running (no live pid in $PID_FILE). Start it with: bash tools/schema-registry/start.sh"
  exit 1
fi
port="$(cat "$PORT_FILE" 2>/dev/null || true)"
if [[ -n "$port" && "$(http_status "$port" "$CCOMPAT_PATH/subjects")" == 200 ]]; then
  log "up: Apicurio Registry $REGISTRY_VERSION, pid $pid, $(cat "$URL_FILE" 2>/dev/null || echo "http://$HOST:$port$CCOMPAT_PATH"), log $LOG_FILE"
  exit 0
fi
log "starting or not answering: pid $pid, port ${port:-unknown}, log $LOG_FILE"
exit 1
