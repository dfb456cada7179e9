#!/usr/bin/env bash
# Fetch the jars of one Kafka release into tools/kafka/lib/<version> if they are missing or
# stale (pom.xml changed), and print that directory on stdout (progress goes to stderr).
# start.sh does this itself; the test harness calls it before running Kafka's CLI tools.
# Usage: tools/kafka/fetch-jars.sh [--version V]   (default $KAFKA_VERSION, else pom.xml's)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

version="${KAFKA_VERSION:-}"
while (($#)); do
  case "$1" in
    --version) version="${2:?--version needs a Kafka release, e.g. 3.9.1}"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
use_kafka_version "${version:-$(default_kafka_version)}"
ensure_jars >&2
echo "$LIB_DIR"
