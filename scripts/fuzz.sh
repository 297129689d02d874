#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, docs/FUZZING.md) with clang-14 into
# build-fuzz, replays every regression input and the kept corpus, then fuzzes
# each target for a while. Fails on any crash, leak, timeout or OOM and prints
# the reproducer's path. Quiet on success: one line per target.
#   scripts/fuzz.sh [seconds-per-target]   default 30; 0 = replay only
# Environment: FUZZ_TARGETS="fuzz_config ..." to run a subset; FUZZ_JOBS (build, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-30}
build=$root/build-fuzz
targets=${FUZZ_TARGETS:-"fuzz_segment fuzz_records fuzz_config fuzz_http_ingest"}
export CCACHE_DIR=${CCACHE_DIR:-$root/.ccache}

for tool in clang++-14 cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/setup.sh)" >&2; exit 2; }
done
if ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz.sh: libFuzzer missing (apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi

log=$build/fuzz-logs
mkdir -p "$log"
if ! cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DHEADROOM_FUZZ=ON -DHEADROOM_WERROR=ON \
    >"$log/configure.log" 2>&1; then
  cat "$log/configure.log" >&2
  exit 1
fi
# shellcheck disable=SC2086
if ! ninja -C "$build" -j"${FUZZ_JOBS:-2}" $targets >"$log/build.log" 2>&1; then
  tail -n 60 "$log/build.log" >&2
  exit 1
fi

fail() {  # target, log file
  echo "FAIL $1 (log: $2)" >&2
  grep -E "^==[0-9]+==ERROR|runtime error|SUMMARY|ALARM|out-of-memory|leak" "$2" | head -n 8 >&2 || true
  local unit
  unit=$(grep -oE "Test unit written to [^ ]+" "$2" | tail -n 1 | cut -d' ' -f5 || true)
  [ -n "$unit" ] && echo "reproducer: $unit  (replay: $build/tests/fuzz/$1 $unit)" >&2
  exit 1
}

common=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
for t in $targets; do
  bin=$build/tests/fuzz/$t
  art=$build/artifacts/$t
  mkdir -p "$art"
  # 1. Replay: every regression input and the kept corpus, once each.
  inputs=()
  [ -d "tests/fuzz/regressions/$t" ] && inputs+=("tests/fuzz/regressions/$t")
  [ -d "tests/fuzz/corpus/$t" ] && inputs+=("tests/fuzz/corpus/$t")
  if [ ${#inputs[@]} -gt 0 ]; then
    "$bin" -runs=0 "${common[@]}" -artifact_prefix="$art/" "${inputs[@]}" \
      >"$log/$t.replay.log" 2>&1 || fail "$t" "$log/$t.replay.log"
  fi
  if [ "$seconds" -le 0 ]; then
    n=0
    [ ${#inputs[@]} -gt 0 ] && n=$(find "${inputs[@]}" -type f | wc -l)
    echo "$t: replayed $n inputs, clean"
    continue
  fi
  # 2. Fuzz on a copy of the corpus, so the tree stays clean.
  work=$build/corpus/$t
  rm -rf "$work"
  mkdir -p "$work"
  [ -d "tests/fuzz/corpus/$t" ] && cp -r "tests/fuzz/corpus/$t/." "$work/"
  "$bin" "$work" -max_total_time="$seconds" "${common[@]}" -artifact_prefix="$art/" \
    >"$log/$t.log" 2>&1 || fail "$t" "$log/$t.log"
  last=$(grep -E "^#[0-9]+.*cov: " "$log/$t.log" | tail -n 1 || true)
  execs=$(grep -oE "stat::average_exec_per_sec: *[0-9]+" "$log/$t.log" | grep -oE "[0-9]+$" || true)
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" <<<"$last" || true)
  corp=$(grep -oE "corp: [0-9]+/[0-9]+[a-zA-Z]*" <<<"$last" || true)
  echo "$t: ${seconds}s clean, ${execs} execs/s, $cov, $corp"
done
