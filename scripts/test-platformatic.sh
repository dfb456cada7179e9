#!/usr/bin/env bash
# The integration tests on the @platformatic/kafka client (`pnpm test:platformatic`): the
# `integration` vitest project, run by a Node 22 binary (scripts/ensure-node.sh; the client
# needs Node 22 or newer) with TRIBUTARY_CLIENT=platformatic. Extra arguments go to vitest
# (test files, -t <name>). `npm test` runs the same suite as its stage "integration tests
# (platformatic, Node 22)", against its own broker.
#
# Broker: KAFKA_BROKERS if set (the security tests then read KAFKA_SASL_SSL, or the
# sasl-ssl.json in KAFKA_RUN_DIR); else the cluster running in KAFKA_RUN_DIR if that is set and
# up; else one started here with --sasl-ssl in .tributary/kafka-platformatic-run, beside any
# other broker, and stopped on exit (its logs kept when the tests failed).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null

# shellcheck source=scripts/ensure-deps.sh
source scripts/ensure-deps.sh
ensure_deps || exit 1
node22="$(bash scripts/ensure-node.sh 22)" || exit 1

STARTED_BROKER=0
STATUS=1
stop_broker() {
  ((STARTED_BROKER)) || return 0
  if ((STATUS)); then
    bash tools/kafka/stop.sh --keep || true
    echo "Broker logs: $KAFKA_RUN_DIR/node-*/server.log"
  else
    bash tools/kafka/stop.sh || true
  fi
}
trap stop_broker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${KAFKA_BROKERS:-}" ]]; then
  echo "Using KAFKA_BROKERS=$KAFKA_BROKERS (not started or stopped by this script)."
elif [[ -n "${KAFKA_RUN_DIR:-}" ]] && bash tools/kafka/status.sh >/dev/null 2>&1; then
  KAFKA_BROKERS="$(cat "$KAFKA_RUN_DIR/brokers")"
  echo "Using the cluster in $KAFKA_RUN_DIR at $KAFKA_BROKERS (left running)."
else
  export KAFKA_RUN_DIR="$PWD/.tributary/kafka-platformatic-run"
  STARTED_BROKER=1
  ensure_java_and_maven && bash tools/kafka/start.sh --port auto --sasl-ssl || exit 1
  KAFKA_BROKERS="$(cat "$KAFKA_RUN_DIR/brokers")"
fi
export KAFKA_BROKERS

# The dashboard's browser test drives Debian's chromium (installed here when missing; exports CHROMIUM_PATH).
# shellcheck source=scripts/ensure-chromium.sh
source scripts/ensure-chromium.sh
ensure_chromium || true

echo "Integration tests on @platformatic/kafka with Node $("$node22" --version)."
TRIBUTARY_CLIENT=platformatic "$node22" node_modules/vitest/vitest.mjs run --project integration "$@"
STATUS=$?
exit "$STATUS"
