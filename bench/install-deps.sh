#!/usr/bin/env bash
# Installs the benchmark load generator (wrk) and the Prism baseline, each only when absent.
# Idempotent: a second run does nothing. A failure to get Prism is not fatal: the throughput
# benchmark reports Prism as unavailable instead.
set -uo pipefail
cd "$(dirname "$0")"

PRISM_VERSION="${PRISM_VERSION:-5.16.0}"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

if command -v wrk >/dev/null 2>&1; then
    echo "install-deps: wrk present ($(command -v wrk))"
else
    echo "install-deps: installing wrk (Debian package)"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk \
        || echo "install-deps: WARNING could not install wrk; throughput will be skipped" >&2
fi

if [ -x .node/node_modules/.bin/prism ]; then
    echo "install-deps: prism present (bench/.node)"
elif ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: WARNING npm missing; Prism baseline will be reported unavailable" >&2
else
    echo "install-deps: installing @stoplight/prism-cli@${PRISM_VERSION} under bench/.node"
    mkdir -p .node
    npm install --prefix .node --no-audit --no-fund --loglevel=error \
        "@stoplight/prism-cli@${PRISM_VERSION}" \
        || echo "install-deps: WARNING Prism install failed; reported unavailable" >&2
fi
exit 0
