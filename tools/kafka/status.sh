#!/usr/bin/env bash
# Print whether each node of the local Kafka cluster is up, and its address.
# Exit status: 0 when every node is up, 1 otherwise (also when nothing was started).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! load_cluster_env; then
  log "Kafka is not running (no tools/kafka/run/cluster.env). Start it with: pnpm kafka:start"
  exit 1
fi

up=0
for id in $(seq 1 "$NODES"); do
  addr="$HOST:$(broker_port "$id")"
  if pid="$(node_pid "$id")"; then
    if port_open "$(broker_port "$id")"; then
      state="up"
      up=$((up + 1))
    else
      state="starting (process alive, port closed)"
    fi
    log "node $id: $state  $addr  pid $pid  log $(node_dir "$id")/server.log"
  else
    log "node $id: down  $addr"
  fi
done
log "$up of $NODES node(s) up; bootstrap servers: $BOOTSTRAP"
((up == NODES))
