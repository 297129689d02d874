#!/usr/bin/env bash
# Builds the dashboard: installs web/'s locked npm packages (Vite, Chart.js,
# TypeScript, and playwright-core for tests/web) and writes web/dist/, which
# `headroom serve` serves at /. Quiet and idempotent; fails loudly on a real error.
# npm 11 can trip over optional platform packages in `npm ci`; `npm install`
# then installs the same locked versions.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null; then
  echo "build-web.sh: npm not found (run scripts/setup.sh)" >&2
  exit 1
fi
# Install only when node_modules is missing or older than the manifest or lock.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
    npm install --no-audit --no-fund --loglevel=error
fi
npm run --silent build -- --logLevel warn
test -f dist/index.html || { echo "build-web.sh: web/dist/index.html was not written" >&2; exit 1; }
echo "build-web.sh: dashboard built in web/dist"
