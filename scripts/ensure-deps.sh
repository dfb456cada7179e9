#!/usr/bin/env bash
# Make a fresh checkout ready to build and test: pnpm 10 available, workspace
# dependencies installed from the lockfile. Idempotent, and quick when already done
# (pnpm only verifies node_modules against the lockfile).
#
# Run it (bash scripts/ensure-deps.sh) or source it: sourcing also leaves a `pnpm`
# shell function behind when pnpm had to be run through npx, so the caller's later
# `pnpm ...` commands work too (scripts/test.sh sources it for that reason).

PNPM_VERSION=10.34.8

_deps_log() { printf '[deps] %s\n' "$*"; }

_pnpm_major() { pnpm --version 2>/dev/null | cut -d. -f1; }

# Make `pnpm` mean pnpm 10: the one on PATH, a global npm install of it, or npx.
_ensure_pnpm() {
  if [[ "$(_pnpm_major)" == 10 ]]; then return 0; fi
  if command -v pnpm >/dev/null 2>&1; then
    _deps_log "pnpm $(pnpm --version 2>/dev/null) found, but this repo uses pnpm 10; installing pnpm@$PNPM_VERSION."
  else
    _deps_log "pnpm not found; installing pnpm@$PNPM_VERSION."
  fi
  if ! command -v npm >/dev/null 2>&1; then
    _deps_log "ERROR: npm is missing too. Install Node.js 20 (https://nodejs.org) and retry." >&2
    return 1
  fi
  if npm install -g "pnpm@$PNPM_VERSION" --no-fund --no-audit >/dev/null 2>&1; then
    hash -r
  fi
  if [[ "$(_pnpm_major)" == 10 ]]; then
    _deps_log "Installed pnpm $(pnpm --version)."
    return 0
  fi
  # No write access to npm's global prefix (or an older pnpm earlier on PATH):
  # run pnpm through npx instead. Exported so child bash scripts see it as well.
  _deps_log "Global install not possible; using 'npx -y pnpm@$PNPM_VERSION' for pnpm."
  pnpm() { npx -y "pnpm@$PNPM_VERSION" "$@"; }
  export -f pnpm
  [[ "$(_pnpm_major)" == 10 ]] || { _deps_log "ERROR: could not run pnpm@$PNPM_VERSION via npx." >&2; return 1; }
}

# The local Kafka broker needs Java 17 and Maven (to fetch its jars). On a fresh Debian or
# Ubuntu machine where we are root, install them; elsewhere say what is missing.
ensure_java_and_maven() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    _deps_log "Installing ${missing[*]} (Debian packages) for the local Kafka broker."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null && return 0
  fi
  _deps_log "ERROR: the local Kafka broker needs ${missing[*]}: install Java 17 and Maven, or set KAFKA_BROKERS to a running cluster." >&2
  return 1
}

ensure_deps() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  _ensure_pnpm || return 1
  if [[ -f "$root/pnpm-lock.yaml" ]]; then
    # --frozen-lockfile: install exactly what is locked; fail (not re-resolve) if
    # package.json and the lockfile disagree.
    if ! (cd "$root" && pnpm install --frozen-lockfile --prefer-offline </dev/null); then
      _deps_log "ERROR: 'pnpm install --frozen-lockfile' failed. If a package.json changed, run 'pnpm install' and commit pnpm-lock.yaml." >&2
      return 1
    fi
  else
    _deps_log "No pnpm-lock.yaml; running a plain 'pnpm install'."
    (cd "$root" && pnpm install </dev/null) || return 1
  fi
}

# Executed (not sourced): do it now.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_deps
fi
