#!/usr/bin/env bash
# Runs Kafka Streams 4.4.0 as the reference oracle of Tributary's differential test.
#
#   tools/kafka-streams-reference/run.sh < scenarios.json > results.json
#   tools/kafka-streams-reference/run.sh --build      # only build (or check the build is current)
#
# Builds on demand: `mvn -q -B package` compiles Reference.java into target/classes and copies
# the runtime jars into target/lib (git-ignored). It rebuilds only when pom.xml or a source
# file changed (target/.build-stamp holds their hash). Then one JVM runs every scenario read
# from stdin (one JSON object, or an array of them) and prints the results on stdout.
set -euo pipefail
SELF="${BASH_SOURCE[0]}"
[[ "$SELF" == */* ]] || SELF="./$SELF"
DIR="$(cd "${SELF%/*}" && pwd)"
cd "$DIR"

# shellcheck source=tools/lib/java-tool.sh
source ../lib/java-tool.sh
java_tool_ready kafka-streams-reference "$@"

# The state stores are RocksDB (Kafka Streams' default), flushed after every record by the test
# driver: on a RAM disk that is ~6x faster than on a real one. REFERENCE_STATE_ROOT overrides.
STATE_ROOT="${REFERENCE_STATE_ROOT:-}"
if [[ -z "$STATE_ROOT" && -d /dev/shm && -w /dev/shm ]]; then STATE_ROOT=/dev/shm; fi

# Small and short-lived: a modest heap, no JIT tiers beyond C1 (the run is seconds long).
exec java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dreference.stateRoot="$STATE_ROOT" \
  -cp "target/classes:target/lib/*" Reference
