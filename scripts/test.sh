#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs
# every test: the normal build's suite (unit, e2e, the dashboard in a real
# browser), the whole suite again under ASan+UBSan (browser test excepted: it
# drives the normal build's binary), the server and delivery tests under TSan,
# and a short libFuzzer run of every fuzz target.
#   scripts/test.sh          everything (what CI runs)
#   scripts/test.sh --quick  the normal build's suite only (day-to-day)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/check-format.sh
# The real Segment/RudderStack clients for the server tests. npm 11 refuses
# `npm ci` on this lock (optional platform packages of msgpackr-extract are
# listed without entries, an npm bug); `npm install` then installs the same
# locked versions.
(cd tests/server/clients &&
  { npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null ||
    npm install --no-audit --no-fund --loglevel=error; })
./scripts/build.sh release
./scripts/build-web.sh
./scripts/run-ctest.sh build
if [ "${1:-}" != "--quick" ]; then
  ./scripts/build.sh asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ./scripts/run-ctest.sh build-asan -LE browser
  ./scripts/tsan.sh
  ./scripts/fuzz.sh 30
fi
