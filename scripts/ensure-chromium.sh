#!/usr/bin/env bash
# Chromium for the dashboard's browser test (test/kafka/dashboard.test.ts, driven by
# puppeteer-core, which never downloads a browser): Debian's `chromium` package, installed
# with apt-get only when no `chromium` is on the PATH. Idempotent and instant when present.
#
# Source it and call ensure_chromium (scripts/test.sh does): CHROMIUM_PATH is exported for
# the tests. Or run it (bash scripts/ensure-chromium.sh): it prints the path.

_chromium_log() { printf '[chromium] %s\n' "$*" >&2; }

ensure_chromium() {
  if [[ -n "${CHROMIUM_PATH:-}" && -x "$CHROMIUM_PATH" ]]; then
    export CHROMIUM_PATH
    return 0
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      _chromium_log "Installing Debian's chromium package for the dashboard's browser test."
      DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium </dev/null >/dev/null
      hash -r
    fi
    if ! command -v chromium >/dev/null 2>&1; then
      _chromium_log "ERROR: the dashboard's browser test needs Chromium: install Debian's chromium package (apt-get install chromium, as root) or set CHROMIUM_PATH."
      return 1
    fi
  fi
  CHROMIUM_PATH="$(command -v chromium)"
  export CHROMIUM_PATH
  _chromium_log "Using $CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null | head -1))."
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ensure_chromium && printf '%s\n' "$CHROMIUM_PATH"
fi
