#!/usr/bin/env bash
# Runs ctest in build directory DIR with the given extra arguments, keeps the
# whole log in DIR/ctest.log and prints its last 40 lines; when a test fails,
# the failed tests' own output is printed last (CI shows only the tail).
#   scripts/run-ctest.sh DIR [ctest args...]
set -uo pipefail
dir=$1
shift
log="$dir/ctest.log"
ctest --test-dir "$dir" --output-on-failure -j2 "$@" >"$log" 2>&1
status=$?
tail -n 40 "$log"
if [ "$status" -ne 0 ]; then
  echo "==== output of the failed tests (whole log: $log) ===="
  # A failed test's output follows its status line up to the next status line.
  # The first lines carry the first failure; node's subtests are listed after.
  awk '/^ *[0-9]+\/[0-9]+ Test +#/ { show = ($0 ~ /\*\*\*|Failed|Timeout|Exception/) }
       /^ +Start +[0-9]+:/ { next }
       show' "$log" | head -n 120
  grep -h '^not ok' "$log" | head -n 20
fi
exit "$status"
