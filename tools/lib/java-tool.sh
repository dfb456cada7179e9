# Shared by the Java tools run from a Maven project of their own (tools/kafka-streams-reference,
# tools/kafka-streams-bench). Source it from the tool's directory, then call
# `java_tool_ready <tool name> "$@"`: it checks for a JDK, builds on demand and takes the lock.
#
# Builds on demand: `mvn -q -B package` compiles src/ into target/classes and copies the runtime
# jars into target/lib (git-ignored). It rebuilds only when pom.xml or a source file changed
# (target/.build-stamp holds their hash), so after the first build Maven needs no network.
# Several runs at once share target/: a build takes the lock alone, runs share it, so no JVM
# sees its classes deleted under it. With `--build` as the first argument, it only builds and
# exits. Maven's output goes to stderr: stdout belongs to the tool.

java_tool_die() { echo "$JAVA_TOOL: $*" >&2; exit 1; }

java_tool_stamp() {
  { cat pom.xml; find src -type f -name '*.java' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1
}

java_tool_build() {
  local want have=""
  want="$(java_tool_stamp)"
  [[ -f target/.build-stamp ]] && have="$(cat target/.build-stamp)"
  if [[ "$want" == "$have" && -d target/classes && -d target/lib ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || java_tool_die "mvn not found: install Maven 3.6+, e.g. 'sudo apt-get install -y maven' or 'brew install maven'"
  command -v javac >/dev/null 2>&1 || java_tool_die "javac not found: a JDK (not only a JRE) is needed, e.g. 'sudo apt-get install -y openjdk-17-jdk-headless'"
  echo "$JAVA_TOOL: building (mvn -q -B package; the first build downloads Kafka Streams from Maven Central)..." >&2
  rm -rf target/lib target/classes
  mvn -q -B -Dstyle.color=never package >&2 || java_tool_die "the Maven build failed (see above)"
  echo "$want" > target/.build-stamp
}

java_tool_ready() {
  JAVA_TOOL="$1"
  shift
  command -v java >/dev/null 2>&1 || java_tool_die "java not found: install a JDK 17, e.g. 'sudo apt-get install -y openjdk-17-jdk-headless' or 'brew install openjdk@17'"
  mkdir -p target
  exec 9>target/.lock
  flock 9
  java_tool_build
  if [[ "${1:-}" == "--build" ]]; then exit 0; fi
  flock -s 9
}
