#!/usr/bin/env bash
# The demo (`npm run demo`): makes sure the workspace's dependencies are installed (pnpm 10,
# the lockfile's packages; quick when they already are), then runs the three CRM pipelines
# over the whole Online Retail data set on the embedded engine and prints a summary.
#
#   npm run demo                                  # embedded engine, no broker
#   npm run demo -- --brokers 127.0.0.1:9092      # the same run through Kafka
#   npm run demo -- --help                        # every option
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/ensure-deps.sh
source scripts/ensure-deps.sh
# pnpm's output goes to stderr, so that stdout carries only the demo's own output.
if ! ensure_deps >&2; then
  echo "demo: could not install the dependencies (see above)." >&2
  exit 1
fi

exec node packages/examples/bin/tributary-demo.mjs "$@"
