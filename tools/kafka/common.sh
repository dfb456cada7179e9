# Shared helpers for the local Kafka harness scripts (sourced, not run).
#
# Layout (lib/ and run/ are git-ignored):
#   tools/kafka/lib/<version>/       jars of one Kafka release, fetched from Maven Central (see pom.xml)
#   tools/kafka/run/cluster.env      VERSION, NODES, BASE_PORT, CLUSTER_ID, BOOTSTRAP (+ SASL_SSL_*) of the running cluster
#   tools/kafka/run/brokers          bootstrap servers (PLAINTEXT), one line, comma-separated
#   tools/kafka/run/node-<id>/       server.properties, data/, server.log, stdout.log, pid
#   with --sasl-ssl also: run/tls/ (keytool-made CA and keystores), run/client-sasl-ssl.properties,
#   run/sasl-ssl.json
#
# Ports for a cluster of N nodes starting at BASE_PORT (default 9092):
#   node i listens for clients on   BASE_PORT + i - 1        (9092, 9093, 9094 for N=3)
#   for the controller quorum on    BASE_PORT + N + i - 1    (9093 for N=1; 9095..9097 for N=3)
#   and, with --sasl-ssl, SASL_SSL  BASE_PORT + 2N + i - 1   (9094 for N=1; 9098..9100 for N=3)

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# KAFKA_RUN_DIR lets several clusters run side by side (system tests start their own).
RUN_DIR="${KAFKA_RUN_DIR:-$KAFKA_DIR/run}"
CONFIG_DIR="$KAFKA_DIR/config"
CLUSTER_ENV="$RUN_DIR/cluster.env"
BROKERS_FILE="$RUN_DIR/brokers"
SASL_SSL_PROPERTIES="$RUN_DIR/client-sasl-ssl.properties"
SASL_SSL_JSON="$RUN_DIR/sasl-ssl.json"
HOST=127.0.0.1

# Small heap by default: tests run on small machines, often three nodes at once.
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}"

log() { printf '[kafka] %s\n' "$*"; }
warn() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }
SERVICE=kafka
# shellcheck source=tools/lib/service.sh
source "$KAFKA_DIR/../lib/service.sh"

node_dir() { printf '%s/node-%s' "$RUN_DIR" "$1"; }
broker_port() { echo $((BASE_PORT + $1 - 1)); }
controller_port() { echo $((BASE_PORT + NODES + $1 - 1)); }
sasl_ssl_port() { echo $((BASE_PORT + 2 * NODES + $1 - 1)); }

# --- Kafka release ---------------------------------------------------------------

# The release pom.xml pins (kafka.version): what start.sh runs without --version.
default_kafka_version() {
  sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$KAFKA_DIR/pom.xml" | head -n1
}

# Select Kafka release $1 for the functions below: its jar directory, logging setup and
# the tool classes that moved between 3.x and 4.x.
use_kafka_version() {
  local version="$1"
  [[ "$version" =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] ||
    die "Kafka version must look like 4.4.0 or 3.9.1 (got '$version')."
  KAFKA_VERSION="$version"
  KAFKA_MAJOR="${BASH_REMATCH[1]}"
  LIB_DIR="$KAFKA_DIR/lib/$KAFKA_VERSION"
  case "$KAFKA_MAJOR" in
    3)
      # log4j 1 (reload4j); ZooKeeper-era tool classes still live in the broker jar.
      MVN_PROFILE=kafka3
      JAVA_MIN=11
      BROKER_LOG_OPTS="-Dlog4j.configuration=file:$CONFIG_DIR/log4j.properties"
      TOOLS_LOG_OPTS="-Dlog4j.configuration=file:$CONFIG_DIR/tools-log4j.properties"
      API_VERSIONS_CLASS=kafka.admin.BrokerApiVersionsCommand
      ;;
    4)
      # log4j2; every command-line tool except StorageTool moved to org.apache.kafka.tools.
      MVN_PROFILE=kafka4
      JAVA_MIN=17
      BROKER_LOG_OPTS="-Dlog4j2.configurationFile=$CONFIG_DIR/log4j2.properties"
      TOOLS_LOG_OPTS="-Dlog4j2.configurationFile=$CONFIG_DIR/tools-log4j2.properties"
      API_VERSIONS_CLASS=org.apache.kafka.tools.BrokerApiVersionsCommand
      ;;
    *) die "Kafka $version is not supported here: tools/kafka runs 3.x (KRaft) and 4.x." ;;
  esac
}

# --- prerequisites -----------------------------------------------------------

require_java() {
  require_java_version "$JAVA_MIN" "Kafka $KAFKA_VERSION" "Or run an older release: --version 3.9.1."
}

# --- jars ----------------------------------------------------------------------

pom_hash() { sha256_of "$KAFKA_DIR/pom.xml"; }

# True when a JVM runs with $1 on its classpath (a broker or a tool of any cluster).
jars_in_use() {
  ps -ww -eo comm=,args= 2>/dev/null | awk -v dir="$1/*" '$1 ~ /(^|\/)java$/ && index($0, dir) { found = 1 } END { exit !found }'
}

# Fetch the jars of $KAFKA_VERSION only when lib/<version> is missing or was fetched for
# another pom.xml. Each release has its own directory, so clusters of different releases
# run side by side. Maven fills a temporary directory that is renamed into place once
# complete (stamp included), so a fetch that is interrupted, or runs twice at once, never
# leaves a half-filled lib/<version>.
ensure_jars() {
  local stamp="$LIB_DIR/.pom-sha256" want
  want="$(pom_hash)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  # Replacing jars under a running JVM breaks it.
  if [[ -d "$LIB_DIR" ]] && jars_in_use "$LIB_DIR"; then
    die "tools/kafka/lib/$KAFKA_VERSION must be re-fetched (pom.xml changed) but a Kafka JVM runs from it; stop that cluster first."
  fi
  require_mvn "the jars of each Kafka release from Maven Central into tools/kafka/lib/<version>"
  log "Fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into tools/kafka/lib/$KAFKA_VERSION (once, ~55 MB)..."
  local started=$SECONDS tmp="$KAFKA_DIR/lib/.fetch-$KAFKA_VERSION-$$" mvn_log="$KAFKA_DIR/lib/mvn-$KAFKA_VERSION.log"
  mkdir -p "$KAFKA_DIR/lib"
  rm -rf "$tmp"
  # Maven's own output goes to a file and is shown only if the fetch fails.
  if ! (cd "$KAFKA_DIR" && mvn -B -Dstyle.color=never -P"$MVN_PROFILE" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null >"$mvn_log" 2>&1); then
    rm -rf "$tmp"
    tail -n 40 "$mvn_log" >&2
    die "mvn could not fetch the Kafka $KAFKA_VERSION jars (full output in tools/kafka/lib/mvn-$KAFKA_VERSION.log). Is the version on Maven Central? Is Maven Central reachable? Proxy settings go in ~/.m2/settings.xml."
  fi
  rm -f "$mvn_log"
  echo "$want" >"$tmp/.pom-sha256"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    rm -rf "$tmp" # another start.sh fetched the same release meanwhile
  else
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
  fi
  log "Jars ready in $((SECONDS - started))s."
}

# Run one of Kafka's command-line tools (a main class) with the harness classpath.
# Short-lived JVM: C1 only and a serial GC start noticeably faster on small machines.
kafka_tool() {
  # shellcheck disable=SC2086
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 $TOOLS_LOG_OPTS \
    -cp "$LIB_DIR/*" "$@"
}

# --- processes and ports ---------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp; portable).
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# The pid of node $1 if that node is running, else nothing (and status 1).
# Checks the command line too, so a recycled pid never gets mistaken for (or killed as) a broker.
node_pid() {
  local pidfile pid
  pidfile="$(node_dir "$1")/pid"
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q "node-$1/server.properties" || return 1
  echo "$pid"
}

# Sources cluster.env. Clusters started before VERSION was recorded all ran 3.9.1.
load_cluster_env() {
  [[ -f "$CLUSTER_ENV" ]] || return 1
  VERSION=3.9.1
  SASL_SSL=0
  # shellcheck disable=SC1090
  source "$CLUSTER_ENV"
}

# Launch node $1 in the background from its existing server.properties and data dir.
# setsid detaches it from the caller's terminal/process group, so Ctrl-C in a shell that
# ran start.sh earlier does not take the broker down; stop.sh/kill.sh stop it by pid.
launch_node() {
  local id="$1" dir
  dir="$(node_dir "$id")"
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  # The inner bash writes its own pid and then execs java, so the pid file holds java's pid.
  # shellcheck disable=SC2086
  "${detach[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$dir/pid" \
    java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -Djava.awt.headless=true \
      -Dkafka.logs.dir="$dir" \
      $BROKER_LOG_OPTS \
      -cp "$LIB_DIR/*" kafka.Kafka "$dir/server.properties" \
      </dev/null >"$dir/stdout.log" 2>&1 &
  # Wait (briefly) for the pid file so callers can rely on it.
  local i
  for i in $(seq 1 50); do
    [[ -s "$dir/pid" ]] && return 0
    sleep 0.1
  done
  die "node $id did not start (no pid file in $dir)."
}

show_log_tail() {
  local dir
  dir="$(node_dir "$1")"
  warn "---- last lines of $dir/server.log ----"
  tail -n 30 "$dir/server.log" 2>/dev/null >&2 || true
  if [[ -s "$dir/stdout.log" ]]; then
    warn "---- $dir/stdout.log ----"
    tail -n 30 "$dir/stdout.log" >&2 || true
  fi
}

# The release node $1 reports in its server.log ("Kafka version: 4.4.0"), i.e. what
# really runs, whatever the jar directory is called.
running_version() {
  sed -n 's/.*INFO Kafka version: \([^ ]*\) (org\.apache\.kafka\.common\.utils\..*AppInfoParser).*/\1/p' \
    "$(node_dir "$1")/server.log" 2>/dev/null | tail -n1
}

# How many brokers the cluster reports in its metadata, asked through $1 (bootstrap list;
# more arguments go to the tool, e.g. --command-config FILE). Uses Kafka's own
# kafka-broker-api-versions tool: it sends a Metadata request and then ApiVersions to every
# broker listed, so a count of N means all N brokers serve requests.
metadata_broker_count() {
  local bootstrap="$1"; shift
  kafka_tool "$API_VERSIONS_CLASS" --bootstrap-server "$bootstrap" "$@" 2>/dev/null |
    grep -cE '^[^ ]+ \(id: [0-9]+ rack: .*\) -> \(' || true
}

# Wait until nodes "$@" are up: each process alive, its port open, and the cluster
# metadata (asked through those nodes) listing $WAIT_FOR_BROKERS brokers.
# Fails fast, with the log tail, if a process exits.
wait_until_ready() {
  local timeout="$1"; shift
  local deadline=$((SECONDS + timeout)) id all_open bootstrap count
  bootstrap="$(for id in "$@"; do printf '%s:%s,' "$HOST" "$(broker_port "$id")"; done)"
  bootstrap="${bootstrap%,}"
  while ((SECONDS < deadline)); do
    all_open=1
    for id in "$@"; do
      if ! node_pid "$id" >/dev/null; then
        warn "node $id exited during startup."
        show_log_tail "$id"
        return 1
      fi
      port_open "$(broker_port "$id")" || all_open=0
      if ((${SASL_SSL:-0})); then port_open "$(sasl_ssl_port "$id")" || all_open=0; fi
    done
    if ((all_open)); then
      count="$(metadata_broker_count "$bootstrap")"
      if [[ "$count" -ge "$WAIT_FOR_BROKERS" ]]; then
        return 0
      fi
    fi
    sleep 0.5
  done
  warn "timed out after ${timeout}s waiting for node(s) $* to serve requests."
  for id in "$@"; do show_log_tail "$id"; done
  return 1
}

# Stop node $1: SIGTERM (controlled shutdown), SIGKILL after $2 seconds. $3=KILL skips straight to SIGKILL.
stop_node() {
  local id="$1" timeout="${2:-30}" signal="${3:-TERM}" pid
  pid="$(node_pid "$id")" || { rm -f "$(node_dir "$id")/pid"; return 0; }
  signal_and_wait "$pid" "$signal" "$timeout" node_pid "$id"
  rm -f "$(node_dir "$id")/pid"
}
