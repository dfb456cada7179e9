#!/usr/bin/env bash
# Start ONE node again after kill.sh, from the same server.properties and data dir (no
# reformat), and wait until it serves requests and the cluster lists it again.
# Usage: tools/kafka/start-node.sh <node-id> [--timeout SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ID=""
TIMEOUT=120
while (($#)); do
  case "$1" in
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown argument: $1" ;;
    *) ID="$1"; shift ;;
  esac
done
[[ "$ID" =~ ^[0-9]+$ ]] || die "usage: tools/kafka/start-node.sh <node-id> [--timeout S]"
load_cluster_env || die "no cluster was started ($CLUSTER_ENV missing); use tools/kafka/start.sh."
# The release the cluster was started with, whatever KAFKA_VERSION says now.
use_kafka_version "$VERSION"
require_java
ensure_jars
((ID >= 1 && ID <= NODES)) || die "node $ID does not exist (cluster has $NODES node(s))."
[[ -f "$(node_dir "$ID")/server.properties" ]] || die "node $ID has no server.properties in $(node_dir "$ID")."

if pid="$(node_pid "$ID")"; then
  log "Node $ID is already running (pid $pid)."
  exit 0
fi
# The old process may still hold the port for a moment after a SIGKILL.
deadline=$((SECONDS + 15))
ports=("$(broker_port "$ID")" "$(controller_port "$ID")")
if ((SASL_SSL)); then ports+=("$(sasl_ssl_port "$ID")"); fi
any_port_open() { local p; for p in "$@"; do port_open "$p" && return 0; done; return 1; }
while any_port_open "${ports[@]}"; do
  ((SECONDS < deadline)) || die "port(s) ${ports[*]} of node $ID are still in use by another process."
  sleep 0.2
done

started=$SECONDS
# Keep the previous log next to the new one: fault tests may want to read both.
[[ -f "$(node_dir "$ID")/server.log" ]] && mv "$(node_dir "$ID")/server.log" "$(node_dir "$ID")/server.log.$(date +%s)"
launch_node "$ID"
# Ready when this node answers and the metadata it serves lists every live node (itself included).
live=0
for id in $(seq 1 "$NODES"); do node_pid "$id" >/dev/null && live=$((live + 1)); done
WAIT_FOR_BROKERS=$live
wait_until_ready "$TIMEOUT" "$ID" || die "node $ID did not come back; see $(node_dir "$ID")/server.log"
log "Node $ID (Kafka $(running_version "$ID")) is up again in $((SECONDS - started))s at $HOST:$(broker_port "$ID")."
