#!/usr/bin/env bash
# Print whether each node of the local Kafka cluster is up, and its address.
# Exit status: 0 when every node is up, 1 otherwise (also when nothing was started).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! load_cluster_env; then
  log "Kafka is not running (no $CLUSTER_ENV). Start it with: pnpm kafka:start"
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
    logged="$(running_version "$id")" # empty once the log has rolled past the start
    log "node $id: $state  $addr  pid $pid${logged:+  Kafka $logged}  log $(node_dir "$id")/server.log"
  else
    log "node $id: down  $addr"
  fi
done
log "$up of $NODES node(s) of Kafka $VERSION up; bootstrap servers: $BOOTSTRAP"
if ((SASL_SSL)); then log "SASL_SSL: $SASL_SSL_BOOTSTRAP  (settings in $SASL_SSL_PROPERTIES, $SASL_SSL_JSON)"; fi
((up == NODES))
