#!/usr/bin/env bash
# Runs one variant of `pnpm bench:compare` in Apache Kafka Streams (see pom.xml for the release).
#
#   tools/kafka-streams-bench/run.sh --build     # only build (or check the build is current)
#   tools/kafka-streams-bench/run.sh --variant stateless --brokers 127.0.0.1:9092 \
#     --input in --output out --application-id app [--caching off|on] [--store memory|rocksdb]
#
# Builds on demand: `mvn -q -B package` compiles KafkaStreamsBench.java into target/classes and
# copies the runtime jars into target/lib (git-ignored); it rebuilds only when pom.xml or the
# source changed (target/.build-stamp holds their hash), so after the first build Maven needs no
# network. Then `exec java`: the harness measures this very process id (CPU and peak RSS).
# KSB_HEAP sets the heap (default -Xmx1g).
set -euo pipefail
SELF="${BASH_SOURCE[0]}"
[[ "$SELF" == */* ]] || SELF="./$SELF"
DIR="$(cd "${SELF%/*}" && pwd)"
cd "$DIR"

# shellcheck source=tools/lib/java-tool.sh
source ../lib/java-tool.sh
java_tool_ready kafka-streams-bench "$@"

# A long-running server JVM: full JIT tiers and G1, Kafka Streams' usual setting.
# shellcheck disable=SC2086
exec java ${KSB_HEAP:--Xmx1g} -XX:+UseG1GC -cp "target/classes:target/lib/*" KafkaStreamsBench "$@"
