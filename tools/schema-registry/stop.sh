#!/usr/bin/env bash
# Stop the registry started by tools/schema-registry/start.sh (its schemas are in memory, so
# they go with it) and delete its run directory.
# Usage: tools/schema-registry/stop.sh [--keep] [--timeout SECONDS]
#   --keep     keep the run directory (the log) for inspection
#   --timeout  seconds to wait after SIGTERM before SIGKILL (default 20)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_stop_options 20 2,6 "$@"

if pid="$(registry_pid)"; then
  log "Stopping Apicurio Registry (pid $pid)..."
  signal_and_wait "$pid" TERM "$TIMEOUT" registry_pid
  log "Stopped."
else
  log "No registry was running."
fi

if ((KEEP)); then
  rm -f "$URL_FILE" "$PID_FILE"
  [[ -d "$RUN_DIR" ]] && log "Kept the log in $LOG_FILE."
else
  rm -rf "$RUN_DIR"
fi
