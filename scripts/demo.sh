#!/usr/bin/env bash
# The README's main job: installs what is missing, builds Headroom and the
# dashboard, then runs `headroom demo`: generates (or reuses) a synthetic
# company, imports it, prints the top PQAs and the trigger report, and serves
# the dashboard on http://127.0.0.1:8080/ until Ctrl-C.
#   scripts/demo.sh [headroom demo flags…]   e.g. --accounts 100 --months 6
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh release
./scripts/build-web.sh
exec ./build/headroom demo --web "$PWD/web/dist" "$@"
