#!/usr/bin/env bash
# Start a local Schema Registry for tests: Apicurio Registry (pom.xml pins the release) from
# Maven Central, in-memory storage, serving Confluent's Schema Registry API at
# http://127.0.0.1:<port>/apis/ccompat/v7. No Docker: Java 17 and Maven are all it needs.
# Usage: tools/schema-registry/start.sh [--port P|auto] [--timeout SECONDS]. See README.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: tools/schema-registry/start.sh [options]

  --port P|auto   HTTP port (default \$SCHEMA_REGISTRY_PORT or 8081). "auto" takes the first free
                  one of 8081, 8181, 8281, ...
  --timeout S     seconds to wait for the registry to answer (default 120)

Writes the Confluent-compatible base URL to tools/schema-registry/run/url
(\$SCHEMA_REGISTRY_RUN_DIR/url). Stop with tools/schema-registry/stop.sh.
EOF2
}

PORT_ARG="${SCHEMA_REGISTRY_PORT:-8081}"
TIMEOUT=120
while (($#)); do
  case "$1" in
    --port) PORT_ARG="${2:?--port needs a number or auto}"; shift 2 ;;
    --port=*) PORT_ARG="${1#*=}"; shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$PORT_ARG" == auto || "$PORT_ARG" =~ ^[0-9]+$ ]] || die "--port must be a number or 'auto' (got '$PORT_ARG')."

# Already running? Starting twice is a no-op, so scripts can call start.sh without checking first.
if pid="$(registry_pid)" && [[ -f "$URL_FILE" ]]; then
  log "Apicurio Registry is already running (pid $pid): $(cat "$URL_FILE")"
  exit 0
fi

require_java
ensure_distribution
jar="$(runner_jar)" || die "no runner jar in $LIB_DIR: remove that directory and start again."

# Leftovers of a previous run that was not stopped cleanly: start from scratch.
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"

if [[ "$PORT_ARG" == auto ]]; then
  PORT=""
  for candidate in $(seq 8081 100 9981); do
    if ! port_open "$candidate"; then PORT=$candidate; break; fi
  done
  [[ -n "$PORT" ]] || die "no free port found among 8081, 8181, ... 9981."
else
  PORT=$PORT_ARG
  if port_open "$PORT"; then
    die "port $PORT is already in use on $HOST. Another registry may be running: check with tools/schema-registry/status.sh. Pick another port with --port N (or SCHEMA_REGISTRY_PORT=N), or --port auto."
  fi
fi

started=$SECONDS
log "Starting Apicurio Registry $REGISTRY_VERSION on $HOST:$PORT (in-memory storage)..."
detach=()
command -v setsid >/dev/null 2>&1 && detach=(setsid)
# The inner bash writes its pid and execs java, so the pid file holds java's pid. The marker
# property lets registry_pid tell this JVM from any other. Serial GC and C1 only: the registry
# serves a few requests per test, and starts about a third faster so.
# shellcheck disable=SC2086
"${detach[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
  java $SCHEMA_REGISTRY_HEAP_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true \
    "-Dtributary.schema-registry.run=$RUN_DIR" \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$PORT" \
    -Dquarkus.log.console.color=false \
    -jar "$jar" \
    </dev/null >"$LOG_FILE" 2>&1 &
for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
echo "$PORT" >"$PORT_FILE"

deadline=$((SECONDS + TIMEOUT))
until [[ "$(http_status "$PORT" "$CCOMPAT_PATH/subjects")" == 200 ]]; do
  if ! registry_pid >/dev/null; then
    warn "---- last lines of $LOG_FILE ----"
    tail -n 30 "$LOG_FILE" >&2 || true
    die "Apicurio Registry exited during startup (log: $LOG_FILE)."
  fi
  if ((SECONDS >= deadline)); then
    tail -n 30 "$LOG_FILE" >&2 || true
    bash "$REGISTRY_DIR/stop.sh" --keep >/dev/null 2>&1 || true
    die "Apicurio Registry did not answer on $HOST:$PORT within ${TIMEOUT}s (log kept in $LOG_FILE)."
  fi
  sleep 0.2
done

URL="http://$HOST:$PORT$CCOMPAT_PATH"
echo "$URL" >"$URL_FILE"
log "Apicurio Registry $REGISTRY_VERSION is up in $((SECONDS - started))s: pid $(cat "$PID_FILE"), log $LOG_FILE"
log "  Confluent-compatible API: $URL   (also in $URL_FILE)"
log "  use it:  export SCHEMA_REGISTRY_URL=$URL    stop it:  tools/schema-registry/stop.sh"
