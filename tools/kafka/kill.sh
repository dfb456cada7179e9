#!/usr/bin/env bash
# Stop ONE node of the running cluster and keep its data, for fault tests; bring it back
# with start-node.sh. Default is SIGKILL (a crash); --graceful sends SIGTERM (controlled
# shutdown) and SIGKILLs only after --timeout seconds. Returns once the process is gone.
# Usage: tools/kafka/kill.sh <node-id> [--graceful] [--timeout SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ID=""
SIGNAL=KILL
TIMEOUT=30
while (($#)); do
  case "$1" in
    --graceful) SIGNAL=TERM; shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown argument: $1" ;;
    *) ID="$1"; shift ;;
  esac
done
[[ "$ID" =~ ^[0-9]+$ ]] || die "usage: tools/kafka/kill.sh <node-id> [--graceful] [--timeout S]"
load_cluster_env || die "no cluster is running (tools/kafka/run/cluster.env missing)."
((ID >= 1 && ID <= NODES)) || die "node $ID does not exist (cluster has $NODES node(s))."

pid="$(node_pid "$ID")" || die "node $ID is not running."
log "Stopping node $ID (pid $pid) with SIG$SIGNAL; its data stays in $(node_dir "$ID")."
stop_node "$ID" "$TIMEOUT" "$SIGNAL"
log "Node $ID is down."
