#!/usr/bin/env bash
# The packed-install test: the packages as a user gets them from the registry.
#
#   1. builds every package and packs each with `pnpm pack` (which replaces `workspace:` ranges
#      and applies publishConfig: the published exports map has no `tributary-source`);
#   2. checks each tarball: what it ships (dist, README, LICENSE; no src, no tests; the data set
#      only in @tributary/examples), then arethetypeswrong (every resolution mode, node10 too)
#      and publint (warnings are errors);
#   3. outside the workspace (mktemp -d), installs the tarballs with npm into a fresh ESM project
#      and a fresh CommonJS TypeScript project (`module: node16`), both `strict`
#      (test/packaging/), with the HIGHEST peer versions, type-checks them with tsc, runs the
#      topology test (TopologyTestDriver) in each, the CommonJS one also checking that require and
#      import give one StreamsBuilder class; then the same with the LOWEST peer versions;
#      with KAFKA_BROKERS set, also a KafkaStreams round trip on that broker with the lowest kafkajs;
#   4. in the ESM project, runs the installed `tributary` command (@tributary/cli) on the example
#      module and the data set @tributary/examples ships, `tributary-demo`, and `tributary describe`
#      on a TypeScript module through tsx.
#
# Environment:
#   KAFKA_BROKERS=host:port        also run the Kafka round trip (default: not run)
#   NODE_BIN=/path/to/node         the Node.js that type-checks and runs the fixtures (default: node on PATH)
#   PACKED_INSTALL_SKIP_BUILD=1    pack the dist/ already built (default: build first)
#   PACKED_INSTALL_PACKAGES="core kafka examples"   pack only these directories of packages/ (default: all public ones)
#   PACKED_INSTALL_KEEP=1          keep the temporary directory, for a look after a failure
# Exits non-zero with a message naming the failed step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
exec </dev/null

NODE_BIN="${NODE_BIN:-$(command -v node)}"
TYPESCRIPT=typescript@5.9.3
TYPES_NODE=@types/node@20.19.43
# The ends of the peer ranges in the packages' package.json. LOWEST: rxjs 7.5.5 is the first 7.x
# whose exports map has types (before it, tsc finds no types for rxjs under node16 or bundler
# resolution); kafkajs 2.0.2 fixes consumer.seek on several partitions of one topic (with 2.0.0
# and 2.0.1 the Kafka round trip gets no output). HIGHEST: the newest releases when this was
# written; raise them (and the workspace's devDependencies) when new ones come out.
LOWEST_PEERS=(rxjs@7.5.5 kafkajs@2.0.2)
HIGHEST_PEERS=(rxjs@7.8.2 kafkajs@2.2.4)

log() { printf '[packed-install] %s\n' "$*"; }
fail() {
  printf '\n[packed-install] FAILED: %s\n' "$*" >&2
  exit 1
}
# step <what> <command...>: runs the command, quiet when it passes, its output and a FAILED line when not.
step() {
  local what="$1" output
  shift
  if output="$("$@" 2>&1)"; then
    log "ok: $what"
  else
    printf '%s\n' "$output" >&2
    fail "$what"
  fi
}

[[ -x "$NODE_BIN" ]] || fail "NODE_BIN=$NODE_BIN is not an executable"
log "Node for the fixtures: $NODE_BIN ($("$NODE_BIN" --version))"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tributary-packed-install.XXXXXX")"
if [[ -n "${PACKED_INSTALL_KEEP:-}" ]]; then
  log "keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
# npm looks for node_modules in every parent directory: one above the projects would hide a broken install.
for dir in "$(dirname "$WORK")" "$(dirname "$(dirname "$WORK")")"; do
  [[ ! -e "$dir/node_modules" ]] || fail "$dir/node_modules exists and would be seen by the fixture projects; set TMPDIR elsewhere"
done

# --- 1. build and pack --------------------------------------------------------------------------
if [[ -z "${PACKED_INSTALL_SKIP_BUILD:-}" ]]; then
  step "pnpm build" pnpm build
fi
mapfile -t PACKAGES < <(node -e '
  const fs = require("fs");
  for (const dir of fs.readdirSync("packages").sort()) {
    const file = `packages/${dir}/package.json`;
    if (fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, "utf8")).private) console.log(dir);
  }')
[[ -z "${PACKED_INSTALL_PACKAGES:-}" ]] || read -r -a PACKAGES <<<"$PACKED_INSTALL_PACKAGES"
((${#PACKAGES[@]} > 0)) || fail "no publishable package found under packages/"
mkdir -p "$WORK/tarballs"
for dir in "${PACKAGES[@]}"; do
  step "pnpm pack packages/$dir" bash -c "cd packages/$dir && pnpm pack --pack-destination '$WORK/tarballs'"
done
TARBALLS=("$WORK"/tarballs/*.tgz)

# --- 2. what each tarball ships, attw, publint ----------------------------------------------------
check_contents() { # check_contents <tarball>: fails naming the first file or field that should not be there
  local tarball="$1" files manifest
  files="$(tar -tzf "$tarball")"
  manifest="$(tar -xzOf "$tarball" package/package.json)"
  local name
  name="$(node -e 'console.log(JSON.parse(process.argv[1]).name)' "$manifest")"
  for required in package/package.json package/README.md package/LICENSE package/dist/index.js package/dist/index.cjs package/dist/index.d.ts package/dist/index.d.cts; do
    grep -qx "$required" <<<"$files" || { echo "$name: $required is missing from the tarball"; return 1; }
  done
  local unwanted
  unwanted="$(grep -E '^package/(src|test|bench|node_modules)/|\.test\.|\.test-d\.|tsup\.config|tsconfig' <<<"$files" || true)"
  [[ -z "$unwanted" ]] || { echo "$name ships files a user does not need:"; echo "$unwanted"; return 1; }
  if [[ "$name" != "@tributary/examples" ]] && grep -q '^package/data/' <<<"$files"; then
    echo "$name ships the examples' data set"
    return 1
  fi
  ! grep -q 'workspace:' <<<"$manifest" || { echo "$name: package.json keeps a workspace: range (packed with npm, not pnpm?)"; return 1; }
  ! grep -q 'tributary-source' <<<"$manifest" || { echo "$name: package.json keeps the tributary-source condition, which points at src/ (not shipped)"; return 1; }
}
ATTW="$ROOT/node_modules/.bin/attw"
PUBLINT="$ROOT/node_modules/.bin/publint"
for tarball in "${TARBALLS[@]}"; do
  base="$(basename "$tarball")"
  step "$base: contents" check_contents "$tarball"
  # --no-definitely-typed: the packages carry their types; no look-up of @types packages.
  step "$base: arethetypeswrong (node10, node16 CJS and ESM, bundler)" "$ATTW" "$tarball" --no-definitely-typed --no-color --format ascii
  step "$base: publint --strict" "$PUBLINT" run "$tarball" --strict
done

# --- 3. fresh ESM and CommonJS projects ------------------------------------------------------------
npm_install() { # npm_install <project dir> <spec...>
  local dir="$1"
  shift
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$@")
}
# One copy of each of these in the project's tree: the peers are the application's own.
single_copies() { # single_copies <project dir>
  local name count
  for name in rxjs kafkajs @tributary/core; do
    count="$(find "$1/node_modules" -type d -path "*/node_modules/$name" | wc -l)"
    [[ "$count" == 1 ]] || { echo "$count copies of $name in $1/node_modules:"; find "$1/node_modules" -type d -path "*/node_modules/$name"; return 1; }
  done
}
installed_versions() { # installed_versions <project dir> <peer spec...>: the installed peers are the ones asked for
  local spec name version installed
  for spec in "${@:2}"; do
    name="${spec%@*}" version="${spec##*@}"
    installed="$(node -p "require('$1/node_modules/$name/package.json').version")"
    [[ "$installed" == "$version" ]] || { echo "$name $installed installed, $version asked for"; return 1; }
  done
}
# Runs a fixture's program: it must pass, and print nothing on stderr (no require(esm) warning).
run_program() { # run_program <project dir>
  local status=0
  (cd "$1" && "$NODE_BIN" dist/main.js 2>"$1/stderr.txt") || status=$?
  if ((status != 0)) || [[ -s "$1/stderr.txt" ]]; then
    echo "dist/main.js exited with $status, writing on stderr:"
    cat "$1/stderr.txt"
    return 1
  fi
}
check_project() { # check_project <kind> <peers label> <peer spec...>
  local kind="$1" label="$2" dir="$WORK/$1"
  shift 2
  step "$kind project, $label peers ($*): npm install" npm_install "$dir" "$@"
  step "$kind project, $label peers: installed versions" installed_versions "$dir" "$@"
  step "$kind project, $label peers: one copy of rxjs, kafkajs and @tributary/core" single_copies "$dir"
  step "$kind project, $label peers: tsc (strict)" bash -c "cd '$dir' && rm -rf dist && '$NODE_BIN' node_modules/typescript/bin/tsc -p ."
  step "$kind project, $label peers: topology test" run_program "$dir"
}

for kind in esm cjs; do
  dir="$WORK/$kind"
  mkdir -p "$dir"
  cp "$ROOT/test/packaging/$kind"/* "$ROOT/test/packaging/topology.ts" "$dir/"
  step "$kind project: npm install the tarballs, $TYPESCRIPT and $TYPES_NODE" \
    npm_install "$dir" "${TARBALLS[@]}" "$TYPESCRIPT" "$TYPES_NODE" "${HIGHEST_PEERS[@]}"
  resolved="$(cd "$dir" && node -p "require.resolve('@tributary/core')")"
  [[ "$resolved" == "$dir/node_modules/"* ]] || fail "$kind project: @tributary/core resolves to $resolved, not to the project's node_modules"
  check_project "$kind" highest "${HIGHEST_PEERS[@]}"
  check_project "$kind" lowest "${LOWEST_PEERS[@]}"
done

if [[ -n "${KAFKA_BROKERS:-}" ]]; then
  step "esm project, lowest peers: KafkaStreams round trip on $KAFKA_BROKERS" bash -c "cd '$WORK/esm' && '$NODE_BIN' dist/kafkaRoundTrip.js"
  step "esm project, lowest peers: StreamThreads round trip (two worker threads) on $KAFKA_BROKERS" bash -c "cd '$WORK/esm' && '$NODE_BIN' dist/threadsRoundTrip.js"
else
  log "KAFKA_BROKERS is not set: no Kafka round trip"
fi

# --- 4. the installed commands: tributary (@tributary/cli) and tributary-demo (@tributary/examples) ---
TRIBUTARY="$WORK/esm/node_modules/@tributary/cli/bin/tributary.mjs"
DEMO="$WORK/esm/node_modules/@tributary/examples/bin/tributary-demo.mjs"
CLI_VERSION="$(node -p "require('$ROOT/packages/cli/package.json').version")"
step "tributary --help (installed)" "$NODE_BIN" "$TRIBUTARY" --help
step "tributary --version (installed) is $CLI_VERSION" bash -c "[[ \"\$('$NODE_BIN' '$TRIBUTARY' --version)\" == '$CLI_VERSION' ]]"
step "tributary run <the segmentation example module> --limit 2000 (installed, embedded engine, shipped data set)" \
  bash -c "cd '$WORK/esm' && '$NODE_BIN' '$TRIBUTARY' run node_modules/@tributary/examples/dist/modules/segmentation.js --limit 2000 >run.txt && grep -E 'customer_interactions +2,000' run.txt"
step "tributary-demo segmentation --limit 2000 (installed, embedded engine, shipped data set)" \
  bash -c "cd '$WORK/esm' && '$NODE_BIN' '$DEMO' segmentation --limit 2000 >demo.txt && grep -E 'rows read +2,000' demo.txt"
# A user's TypeScript module: tsx, the optional peer dependency of @tributary/cli, compiles it.
cat >"$WORK/esm/topology.mts" <<'MODULE'
import { StreamsBuilder } from '@tributary/core';
import type { TopologyModuleOptions } from '@tributary/cli';

export default function (builder: StreamsBuilder): void {
  builder.stream<string, { n: number }>('numbers').filter((_key, value) => value.n % 2 === 0).to('even-numbers');
}
export const options: TopologyModuleOptions = { applicationId: 'even-numbers' };
MODULE
step "esm project: npm install tsx (the optional peer of @tributary/cli)" npm_install "$WORK/esm" tsx@4
step "tributary describe ./topology.mts (installed, through tsx)" \
  bash -c "cd '$WORK/esm' && '$NODE_BIN' '$TRIBUTARY' describe ./topology.mts | grep -q 'even-numbers'"

log "PASSED: ${#TARBALLS[@]} packages packed, checked by attw and publint, installed and run in an ESM and a CommonJS project (peers ${LOWEST_PEERS[*]} and ${HIGHEST_PEERS[*]})"
