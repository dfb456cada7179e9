# Shared helpers for the local Schema Registry harness scripts (sourced, not run).
#
# Layout (lib/ and run/ are git-ignored):
#   tools/schema-registry/lib/<version>/   Apicurio Registry, unpacked from Maven Central (see pom.xml)
#   tools/schema-registry/run/url          the Confluent-compatible API's base URL, one line
#   tools/schema-registry/run/port, pid, registry.log

REGISTRY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# SCHEMA_REGISTRY_RUN_DIR lets several registries run side by side, as KAFKA_RUN_DIR does for brokers.
RUN_DIR="${SCHEMA_REGISTRY_RUN_DIR:-$REGISTRY_DIR/run}"
URL_FILE="$RUN_DIR/url"
PID_FILE="$RUN_DIR/pid"
PORT_FILE="$RUN_DIR/port"
LOG_FILE="$RUN_DIR/registry.log"
HOST=127.0.0.1
# Where Apicurio serves Confluent's Schema Registry API.
CCOMPAT_PATH=/apis/ccompat/v7

# A small heap: the registry keeps a few schemas in memory, next to brokers on small machines.
SCHEMA_REGISTRY_HEAP_OPTS="${SCHEMA_REGISTRY_HEAP_OPTS:--Xmx256m -Xms64m}"

log() { printf '[schema-registry] %s\n' "$*"; }
warn() { printf '[schema-registry] %s\n' "$*" >&2; }
die() { printf '[schema-registry] ERROR: %s\n' "$*" >&2; exit 1; }
SERVICE=schema-registry
# shellcheck source=tools/lib/service.sh
source "$REGISTRY_DIR/../lib/service.sh"

# The Apicurio Registry release pom.xml pins.
registry_version() {
  sed -n 's:.*<registry\.version>\([^<]*\)</registry\.version>.*:\1:p' "$REGISTRY_DIR/pom.xml" | head -n1
}
REGISTRY_VERSION="$(registry_version)"
LIB_DIR="$REGISTRY_DIR/lib/$REGISTRY_VERSION"

require_java() { require_java_version 17 "Apicurio Registry $REGISTRY_VERSION"; }

pom_hash() { sha256_of "$REGISTRY_DIR/pom.xml"; }

# The runnable jar of the unpacked distribution (a Quarkus fast-jar: one runner jar and lib/).
runner_jar() {
  local jar
  for jar in "$LIB_DIR"/*-runner.jar "$LIB_DIR"/quarkus-run.jar; do
    [[ -f "$jar" ]] && { echo "$jar"; return 0; }
  done
  return 1
}

# Unpack the distribution only when lib/<version> is missing or came from another pom.xml.
# Maven keeps the archive in ~/.m2 (downloaded once, ~145 MB) and unpacks it into a temporary
# directory renamed into place when complete, so an interrupted fetch leaves nothing half done.
ensure_distribution() {
  local stamp="$LIB_DIR/.pom-sha256" want
  want="$(pom_hash)"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && return 0
  if [[ -d "$LIB_DIR" ]] && registry_pid >/dev/null; then
    die "tools/schema-registry/lib/$REGISTRY_VERSION must be unpacked again (pom.xml changed) but a registry runs from it; stop it first."
  fi
  require_mvn "Apicurio Registry from Maven Central into tools/schema-registry/lib/<version>"
  log "Fetching Apicurio Registry $REGISTRY_VERSION from Maven Central into tools/schema-registry/lib/$REGISTRY_VERSION (once; ~145 MB, kept in ~/.m2)..."
  local started=$SECONDS tmp="$REGISTRY_DIR/lib/.fetch-$REGISTRY_VERSION-$$" mvn_log="$REGISTRY_DIR/lib/mvn-$REGISTRY_VERSION.log"
  mkdir -p "$REGISTRY_DIR/lib"
  rm -rf "$tmp"
  if ! (cd "$REGISTRY_DIR" && mvn -B -Dstyle.color=never dependency:unpack@registry -Dregistry.dir="$tmp" </dev/null >"$mvn_log" 2>&1); then
    rm -rf "$tmp"
    tail -n 40 "$mvn_log" >&2
    die "mvn could not fetch Apicurio Registry $REGISTRY_VERSION (full output in tools/schema-registry/lib/mvn-$REGISTRY_VERSION.log). Is Maven Central reachable? Proxy settings go in ~/.m2/settings.xml."
  fi
  rm -f "$mvn_log"
  echo "$want" >"$tmp/.pom-sha256"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    rm -rf "$tmp" # another start.sh unpacked it meanwhile
  else
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
  fi
  log "Apicurio Registry ready in $((SECONDS - started))s."
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# The HTTP status of GET $2 on port $1 (bash's /dev/tcp, so neither curl nor wget is needed), or nothing.
http_status() {
  (
    exec 3<>"/dev/tcp/$HOST/$1" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/json\r\n\r\n' "$2" "$HOST" "$1" >&3
    IFS=' ' read -r -t 5 _ status _ <&3 && echo "$status"
  ) 2>/dev/null
}

# The registry's pid if it runs, else nothing (and status 1). The command line is checked
# too, so a recycled pid is never taken for (or killed as) the registry.
registry_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  ps -ww -p "$pid" -o args= 2>/dev/null | grep -qF -- "-Dtributary.schema-registry.run=$RUN_DIR " || return 1
  echo "$pid"
}
