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

die() { echo "kafka-streams-reference: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java not found: install a JDK 11+ (17 recommended), e.g. 'sudo apt-get install -y openjdk-17-jdk-headless' or 'brew install openjdk@17'"

stamp() {
  { cat pom.xml; find src -type f -name '*.java' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1
}

ensure_build() {
  local want have=""
  want="$(stamp)"
  [[ -f target/.build-stamp ]] && have="$(cat target/.build-stamp)"
  if [[ "$want" == "$have" && -d target/classes && -d target/lib ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven 3.6+ to build the reference, e.g. 'sudo apt-get install -y maven' or 'brew install maven'"
  command -v javac >/dev/null 2>&1 || die "javac not found: a JDK (not only a JRE) is needed to build the reference, e.g. 'sudo apt-get install -y openjdk-17-jdk-headless'"
  echo "kafka-streams-reference: building (mvn -q -B package; the first build downloads Kafka Streams from Maven Central)..." >&2
  rm -rf target/lib target/classes
  # Maven prints build output on stdout; keep stdout for results only.
  mvn -q -B -Dstyle.color=never package >&2 || die "the Maven build failed (see above)"
  echo "$want" > target/.build-stamp
}

# Several runs at once (parallel test processes, several engineers' edits) share target/: a
# build takes the lock alone, runs share it, so no JVM sees its classes deleted under it.
mkdir -p target
exec 9>target/.lock
flock 9
ensure_build
if [[ "${1:-}" == "--build" ]]; then exit 0; fi
flock -s 9

# The state stores are RocksDB (Kafka Streams' default), flushed after every record by the test
# driver: on a RAM disk that is ~6x faster than on a real one. REFERENCE_STATE_ROOT overrides.
STATE_ROOT="${REFERENCE_STATE_ROOT:-}"
if [[ -z "$STATE_ROOT" && -d /dev/shm && -w /dev/shm ]]; then STATE_ROOT=/dev/shm; fi

# Small and short-lived: a modest heap, no JIT tiers beyond C1 (the run is seconds long).
exec java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dreference.stateRoot="$STATE_ROOT" \
  -cp "target/classes:target/lib/*" Reference
