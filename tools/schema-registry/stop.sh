#!/usr/bin/env bash
# Stop the registry started by tools/schema-registry/start.sh (its schemas are in memory, so
# they go with it) and delete its run directory.
# Usage: tools/schema-registry/stop.sh [--keep] [--timeout SECONDS]
#   --keep     keep the run directory (the log) for inspection
#   --timeout  seconds to wait after SIGTERM before SIGKILL (default 20)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KEEP=0
TIMEOUT=20
while (($#)); do
  case "$1" in
    --keep) KEEP=1; shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

if pid="$(registry_pid)"; then
  log "Stopping Apicurio Registry (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + TIMEOUT))
  while registry_pid >/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "pid $pid did not exit within ${TIMEOUT}s; sending SIGKILL."
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
    fi
    sleep 0.2
  done
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
