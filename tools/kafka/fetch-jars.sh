#!/usr/bin/env bash
# Fetch the Kafka jars into tools/kafka/lib if they are missing or stale (pom.xml changed).
# start.sh does this itself; the test harness calls it before running Kafka's CLI tools
# against a broker that was not started by start.sh (KAFKA_BROKERS set by hand).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_jars
