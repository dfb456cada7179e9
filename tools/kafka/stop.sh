#!/usr/bin/env bash
# Stop every node started by tools/kafka/start.sh and delete the run data (topics,
# offsets, logs), so the next start is a clean cluster.
# Usage: tools/kafka/stop.sh [--keep] [--timeout SECONDS]
#   --keep     stop the nodes but keep tools/kafka/run (logs, data) for inspection
#   --timeout  seconds to wait after SIGTERM before SIGKILL (default 30)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_stop_options 30 2,7 "$@"

# Find the nodes from their directories rather than cluster.env, so a half-started
# cluster is stopped too.
ids=()
for dir in "$RUN_DIR"/node-*; do
  [[ -d "$dir" ]] && ids+=("${dir##*/node-}")
done

stopped=0
# SIGTERM all nodes at once (a controlled shutdown each), then wait for all of them:
# stopping one by one would make the last nodes wait on a shrinking controller quorum.
for id in "${ids[@]}"; do
  if pid="$(node_pid "$id")"; then
    log "Stopping node $id (pid $pid)..."
    kill -TERM "$pid" 2>/dev/null || true
    stopped=$((stopped + 1))
  fi
done
for id in "${ids[@]}"; do stop_node "$id" "$TIMEOUT"; done

if ((stopped == 0)); then log "No Kafka node was running."; else log "Stopped $stopped node(s)."; fi

if ((KEEP)); then
  # What clients read to find a running cluster goes; logs, data and certificates stay.
  rm -f "$BROKERS_FILE" "$SASL_SSL_PROPERTIES" "$SASL_SSL_JSON"
  [[ -d "$RUN_DIR" ]] && log "Kept logs and data in $RUN_DIR."
else
  rm -rf "$RUN_DIR"
fi
