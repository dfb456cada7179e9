#!/usr/bin/env bash
# Start a local Apache Kafka cluster in KRaft mode (combined broker+controller nodes) from
# Maven Central jars: Kafka 4.4.0 by default (pom.xml), another release with --version.
# Usage: tools/kafka/start.sh [--nodes N] [--port P|auto] [--version V] [--sasl-ssl]
# [--config key=value]... [--timeout SECONDS]. See tools/kafka/README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$KAFKA_DIR/sasl-ssl.sh"

usage() {
  cat <<EOF
Usage: tools/kafka/start.sh [options]

  --nodes N           number of nodes (default 1). Each node is a combined broker+controller;
                      N=3 gives a 3-voter quorum, replication factor 3 and min ISR 2.
  --port P|auto       first port (default \$KAFKA_PORT or 9092). Node i serves clients on P+i-1;
                      the controllers use the N ports after those. "auto" takes the first free
                      block at or above 9092.
  --version V         Apache Kafka release (default \$KAFKA_VERSION or $(default_kafka_version), from pom.xml);
                      3.x and 4.x releases on Maven Central, e.g. --version 3.9.1
  --sasl-ssl          also a SASL_SSL listener on each node (the N ports after the controllers):
                      TLS with a CA made by keytool, user "$SASL_SSL_USER" with SCRAM-SHA-512,
                      SCRAM-SHA-256 and PLAIN, and OAUTHBEARER with unsigned test tokens.
                      Client settings go to client-sasl-ssl.properties
                      and sasl-ssl.json next to the brokers file.
  --config key=value  extra broker property for every node (repeatable), e.g. --config log.retention.ms=60000
  --timeout S         seconds to wait for the cluster to serve requests (default 120)

Writes the bootstrap servers (PLAINTEXT) to tools/kafka/run/brokers (\$KAFKA_RUN_DIR/brokers).
Stop with tools/kafka/stop.sh.
EOF
}

NODES=1
PORT_ARG="${KAFKA_PORT:-9092}"
VERSION_ARG="${KAFKA_VERSION:-}"
WANT_SASL_SSL=0
TIMEOUT=120
EXTRA_CONFIG=()
while (($#)); do
  case "$1" in
    --nodes) NODES="${2:?--nodes needs a number}"; shift 2 ;;
    --nodes=*) NODES="${1#*=}"; shift ;;
    --port) PORT_ARG="${2:?--port needs a number or auto}"; shift 2 ;;
    --port=*) PORT_ARG="${1#*=}"; shift ;;
    --version) VERSION_ARG="${2:?--version needs a Kafka release, e.g. 3.9.1}"; shift 2 ;;
    --version=*) VERSION_ARG="${1#*=}"; shift ;;
    --sasl-ssl) WANT_SASL_SSL=1; shift ;;
    --config) EXTRA_CONFIG+=("${2:?--config needs key=value}"); shift 2 ;;
    --config=*) EXTRA_CONFIG+=("${1#*=}"); shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$NODES" =~ ^[1-9]$ ]] || die "--nodes must be between 1 and 9 (got '$NODES')."
[[ "$PORT_ARG" == auto || "$PORT_ARG" =~ ^[0-9]+$ ]] || die "--port must be a number or 'auto' (got '$PORT_ARG')."
use_kafka_version "${VERSION_ARG:-$(default_kafka_version)}"

require_java

# Already running? Starting twice is a no-op (with the same node count, and the same
# release and listeners if asked for), so scripts can call start.sh without checking first.
REQUESTED_NODES=$NODES
if load_cluster_env; then
  running=0
  for id in $(seq 1 "$NODES"); do node_pid "$id" >/dev/null && running=$((running + 1)); done
  if ((running > 0)); then
    if ((running == NODES && NODES == REQUESTED_NODES)) &&
      [[ -z "$VERSION_ARG" || "$VERSION_ARG" == "$VERSION" ]] && ((SASL_SSL >= WANT_SASL_SSL)); then
      log "Kafka $VERSION is already running ($NODES node(s)): $BOOTSTRAP"
      ((SASL_SSL)) && log "  SASL_SSL: $SASL_SSL_BOOTSTRAP   (settings in $SASL_SSL_PROPERTIES)"
      echo "$BOOTSTRAP" >"$BROKERS_FILE"
      exit 0
    fi
    with_sasl_ssl() { if (($1)); then echo ' with SASL_SSL'; fi; }
    die "$NODES node(s) of Kafka $VERSION$(with_sasl_ssl "$SASL_SSL") ($running up) already run from $RUN_DIR; you asked for $REQUESTED_NODES node(s) of Kafka $KAFKA_VERSION$(with_sasl_ssl "$WANT_SASL_SSL"). Run tools/kafka/stop.sh first."
  fi
fi
NODES=$REQUESTED_NODES
SASL_SSL=$WANT_SASL_SSL
PORTS_PER_NODE=$((SASL_SSL ? 3 : 2))

ensure_jars

# Leftovers of a previous run that was not stopped cleanly: start from scratch.
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"

# --- ports -----------------------------------------------------------------------

busy_ports() { # $1 = base port; prints the busy ones among the ports the cluster needs
  local p
  for p in $(seq "$1" $(($1 + PORTS_PER_NODE * NODES - 1))); do port_open "$p" && printf '%s ' "$p"; done
  return 0
}

if [[ "$PORT_ARG" == auto ]]; then
  # Try 9092 first, then step by 100 so a developer's own broker on 9092 is left alone.
  BASE_PORT=""
  for candidate in $(seq 9092 100 11992); do
    if [[ -z "$(busy_ports "$candidate")" ]]; then BASE_PORT=$candidate; break; fi
  done
  [[ -n "$BASE_PORT" ]] || die "no free block of $((PORTS_PER_NODE * NODES)) ports found between 9092 and 11999."
else
  BASE_PORT=$PORT_ARG
  busy="$(busy_ports "$BASE_PORT")"
  if [[ -n "$busy" ]]; then
    die "port(s) ${busy% } already in use on $HOST (the cluster needs $BASE_PORT-$((BASE_PORT + PORTS_PER_NODE * NODES - 1))).
  Another Kafka may be running: check with 'tools/kafka/status.sh' or 'lsof -iTCP:$BASE_PORT -sTCP:LISTEN'.
  Pick other ports with --port N (or KAFKA_PORT=N), or let the script choose with --port auto."
  fi
fi
((BASE_PORT + PORTS_PER_NODE * NODES - 1 <= 65535)) || die "port $BASE_PORT is too high for $NODES node(s)."

# --- configuration -------------------------------------------------------------------

# A random cluster id: Kafka's Uuid format is 16 random bytes, base64url without padding
# (what `kafka-storage random-uuid` prints), generated here to save a JVM start. One that
# starts with '-' would be read as an option by `kafka-storage format --cluster-id`, so draw
# again, as Kafka's own Uuid.randomUuid() does.
CLUSTER_ID=-
while [[ "$CLUSTER_ID" == -* ]]; do
  CLUSTER_ID="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
done

VOTERS=""
BOOTSTRAP=""
for id in $(seq 1 "$NODES"); do
  VOTERS+="${id}@$HOST:$(controller_port "$id"),"
  BOOTSTRAP+="$HOST:$(broker_port "$id"),"
done
VOTERS="${VOTERS%,}"
BOOTSTRAP="${BOOTSTRAP%,}"

if ((NODES >= 3)); then RF=3; MIN_ISR=2; else RF=$NODES; MIN_ISR=1; fi

if ((SASL_SSL)); then
  log "Making TLS certificates with keytool and a SASL user for the SASL_SSL listener..."
  new_sasl_ssl_secrets
  make_tls_material
fi

for id in $(seq 1 "$NODES"); do
  dir="$(node_dir "$id")"
  mkdir -p "$dir/data"
  listeners="PLAINTEXT://$HOST:$(broker_port "$id"),CONTROLLER://$HOST:$(controller_port "$id")"
  advertised="PLAINTEXT://$HOST:$(broker_port "$id")"
  protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if ((SASL_SSL)); then
    listeners+=",SASL_SSL://$HOST:$(sasl_ssl_port "$id")"
    advertised+=",SASL_SSL://$HOST:$(sasl_ssl_port "$id")"
    protocols+=",SASL_SSL:SASL_SSL"
  fi
  cat >"$dir/server.properties" <<EOF
# Generated by tools/kafka/start.sh for Kafka $KAFKA_VERSION; node $id of $NODES. Restarts (start-node.sh) reuse it.
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$VOTERS
listeners=$listeners
advertised.listeners=$advertised
listener.security.protocol.map=$protocols
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$dir/data

# Topic defaults: one partition for auto-created topics; tests create what they need.
num.partitions=1
auto.create.topics.enable=true
default.replication.factor=$RF
min.insync.replicas=$MIN_ISR
offsets.topic.replication.factor=$RF
transaction.state.log.replication.factor=$RF
transaction.state.log.min.isr=$MIN_ISR
# Consumer groups rebalance at once instead of waiting 3s for more members: tests start faster.
group.initial.rebalance.delay.ms=0
# KIP-848 groups take their heartbeat interval and session timeout from the broker (5 s and 45 s
# by default): test-sized, as the classic groups of the tests ask for (1 s and 6 s).
group.consumer.min.heartbeat.interval.ms=1000
group.consumer.heartbeat.interval.ms=1000
group.consumer.min.session.timeout.ms=6000
group.consumer.session.timeout.ms=6000
EOF
  if ((SASL_SSL)); then sasl_ssl_server_properties >>"$dir/server.properties"; fi
  if ((${#EXTRA_CONFIG[@]})); then
    printf '\n# --config from the command line\n' >>"$dir/server.properties"
    printf '%s\n' "${EXTRA_CONFIG[@]}" >>"$dir/server.properties"
  fi
  # The SASL_SSL listener's secrets are in it.
  chmod 600 "$dir/server.properties"
done

cat >"$CLUSTER_ENV" <<EOF
VERSION=$KAFKA_VERSION
NODES=$NODES
BASE_PORT=$BASE_PORT
CLUSTER_ID=$CLUSTER_ID
BOOTSTRAP=$BOOTSTRAP
EOF
if ((SASL_SSL)); then write_sasl_ssl_client_files; fi

# --- format and start --------------------------------------------------------------

started=$SECONDS
log "Formatting storage for $NODES node(s) of Kafka $KAFKA_VERSION (cluster id $CLUSTER_ID)..."
format_args=()
if ((SASL_SSL)); then add_scram_format_args; fi
pids=()
for id in $(seq 1 "$NODES"); do
  dir="$(node_dir "$id")"
  kafka_tool kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" \
    --config "$dir/server.properties" ${format_args[@]+"${format_args[@]}"} >"$dir/format.log" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    cat "$(node_dir $((i + 1)))/format.log" >&2
    die "formatting storage for node $((i + 1)) failed."
  fi
done

log "Starting $NODES node(s)..."
for id in $(seq 1 "$NODES"); do launch_node "$id"; done

WAIT_FOR_BROKERS=$NODES
if ! wait_until_ready "$TIMEOUT" $(seq 1 "$NODES") || { ((SASL_SSL)) && ! check_sasl_ssl_login; }; then
  "$KAFKA_DIR/stop.sh" --keep >/dev/null 2>&1 || true
  die "Kafka did not start; logs kept in $RUN_DIR (remove them with tools/kafka/stop.sh)."
fi

echo "$BOOTSTRAP" >"$BROKERS_FILE"

# What runs, as the broker itself logs it: proof that the jars and the logging work.
actual="$(running_version 1)"
if [[ -z "$actual" ]]; then
  warn "node 1's server.log has no 'Kafka version' line: is broker logging broken? ($(node_dir 1)/server.log)"
  actual="$KAFKA_VERSION (not confirmed by the broker log)"
elif [[ "$actual" != "$KAFKA_VERSION" ]]; then
  warn "asked for Kafka $KAFKA_VERSION but the broker reports $actual."
fi
log "Kafka $actual is up in $((SECONDS - started))s: $NODES node(s), KRaft, replication factor $RF."
log "  bootstrap servers: $BOOTSTRAP   (also in $BROKERS_FILE)"
for id in $(seq 1 "$NODES"); do
  log "  node $id: $HOST:$(broker_port "$id")  pid $(cat "$(node_dir "$id")/pid")  log $(node_dir "$id")/server.log"
done
if ((SASL_SSL)); then
  log "  SASL_SSL: $SASL_SSL_BOOTSTRAP  user $SASL_SSL_USER ($(IFS=,; echo "${SASL_SSL_MECHANISMS[*]}")), CA $TLS_DIR/ca.pem"
  log "    client settings: $SASL_SSL_PROPERTIES and $SASL_SSL_JSON"
fi
log "  use it:  export KAFKA_BROKERS=$BOOTSTRAP    stop it:  tools/kafka/stop.sh"
