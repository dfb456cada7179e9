# Helpers shared by the local service harnesses, tools/kafka and tools/schema-registry (sourced,
# not run). The sourcing common.sh defines log, warn and die first, and SERVICE, the prefix of
# its messages.

# Exits with install hints unless `java` of major version $1 or newer is on PATH. $2 says what
# needs it, $3 (optional) what to try instead.
require_java_version() {
  local min="$1" what="$2" instead="${3:-}" major
  if ! command -v java >/dev/null 2>&1; then
    printf '[%s] ERROR: `java` was not found on PATH. %s needs Java %s or newer.\n' "$SERVICE" "$what" "$min" >&2
    printf '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless\n  macOS:          brew install openjdk@17\n' >&2
    exit 1
  fi
  major="$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)"
  if [[ -n "$major" && "$major" -lt "$min" ]]; then
    die "Java $major found; $what needs Java $min or newer.${instead:+ $instead}"
  fi
}

# Exits with install hints unless `mvn` is on PATH. $1 says what Maven fetches, and where.
require_mvn() {
  command -v mvn >/dev/null 2>&1 && return 0
  printf '[%s] ERROR: `mvn` (Apache Maven) was not found on PATH. It is needed once, to fetch\n  %s.\n' "$SERVICE" "$1" >&2
  printf '  Debian/Ubuntu:  sudo apt-get install -y maven\n  macOS:          brew install maven\n' >&2
  exit 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Sends $2 (TERM, KILL) to pid $1, then waits until the command "${@:4}" fails (the process
# is gone), sending SIGKILL once $3 seconds have passed. $4... is a check such as `node_pid 1`,
# so that an unreaped zombie counts as stopped.
signal_and_wait() {
  local pid="$1" signal="$2" timeout="$3" deadline
  shift 3
  kill -"$signal" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while "$@" >/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "pid $pid did not exit within ${timeout}s; sending SIGKILL."
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
    fi
    sleep 0.2
  done
}

# The options of a stop.sh: sets KEEP (0/1) and TIMEOUT (default $1). --help prints lines $2
# (a sed range such as 2,6) of the script's header.
parse_stop_options() {
  local help_lines="$2"
  TIMEOUT="$1"
  KEEP=0
  shift 2
  while (($#)); do
    case "$1" in
      --keep) KEEP=1; shift ;;
      --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
      --timeout=*) TIMEOUT="${1#*=}"; shift ;;
      -h|--help) sed -n "${help_lines}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument: $1" ;;
    esac
  done
}
