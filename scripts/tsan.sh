#!/usr/bin/env bash
# The server and delivery tests under ThreadSanitizer (issue 7, docs/PERFORMANCE.md "Sanitizers"),
# and the engine's snapshot tests (account chunks load on every core).
# Configures build-tsan (-DHEADROOM_TSAN=ON, RelWithDebInfo), builds only the `headroom`
# binary, server_tests, delivery_tests and engine_tests, and runs them with
# halt_on_error. TSan reports (of the test process and of every `headroom serve` child)
# are written under build-tsan/tsan-logs; the script fails when a test fails or when
# any report was written.
#   scripts/tsan.sh [ctest -R regex]
# Env: BUILD_DIR (default build-tsan); HEADROOM_TSAN_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build-tsan}
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.ccache}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEADROOM_WERROR=ON \
  -DHEADROOM_TSAN=ON >/dev/null
ninja -C "$dir" -j"${HEADROOM_TSAN_JOBS:-2}" headroom server_tests delivery_tests engine_tests

logs=$PWD/$dir/tsan-logs
rm -rf "$logs"
mkdir -p "$logs"
# second_deadlock_stack: both stacks of a lock-order inversion. log_path: one file per
# process that reported (the `headroom serve` children inherit TSAN_OPTIONS).
# tests/tsan.supp: third-party false positives only, each with its reason.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 log_path=$logs/tsan \
suppressions=$PWD/tests/tsan.supp"

status=0
ctest --test-dir "$dir" --output-on-failure -L '^(server|delivery)$' ${1:+-R "$1"} \
  --timeout 600 || status=$?
# The engine's snapshot tests: LoadSnapshot decodes account chunks on every core.
ctest --test-dir "$dir" --output-on-failure -L '^engine$' -R 'EngineSnapshot' \
  --timeout 600 || status=$?
if compgen -G "$logs/tsan*" >/dev/null; then
  echo "ThreadSanitizer reports:" >&2
  cat "$logs"/tsan* >&2
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "tsan: server, delivery and engine snapshot tests clean"
fi
exit "$status"
