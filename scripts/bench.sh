#!/usr/bin/env bash
# Runs every performance driver of issue 7 on generated data and prints one
# table: figure, target, measured (the median of RUNS runs where the driver
# repeats). Figures belong in docs/PERFORMANCE.md with the machine and date.
#   scripts/bench.sh [--quick]     --quick: 100K events instead of 1M, one run each
# Env: BENCH_DATA (default /tmp/headroom-bench: generated files, reused), RUNS (3).
# The 10-minute soak is separate: scripts/soak.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
quick=${1:-}
runs=${RUNS:-3}
events=1000000
if [ "$quick" = "--quick" ]; then
  events=100000
  runs=1
fi
data=${BENCH_DATA:-/tmp/headroom-bench}
config=$root/bench/headroom.yaml
mkdir -p "$data"

./scripts/setup.sh
./scripts/build.sh release >/dev/null
ninja -C build -j2 headroom generate_events replay_bench import_bench memory_bench http_load \
  delivery_tests >/dev/null

file=$data/events-$events-users.ndjson
[ -s "$file" ] || ./build/generate_events "$events" 90 500 42 --users >"$file"

rows=()
row() { rows+=("$1|$2|$3"); }
num() { grep -oE "$1" | head -n 1 | grep -oE '[0-9][0-9.,]*' | tail -n 1; }

# 1. Engine replay: parse + metrics + triggers + score, one core.
out=$(./build/replay_bench "$config" "$file" "$runs")
row "engine replay, one core ($events events)" "≥ 1,500,000 events/s" \
  "$(num '= [0-9.]+ events/s' <<<"$out") events/s"

# 2. Durable import into SQLite.
out=$(./build/import_bench "$config" "$file" "$runs" "$data")
row "durable import into SQLite ($events events)" "≥ 300,000 events/s" \
  "$(num '= [0-9.]+ events/s' <<<"$out") events/s"

# 3. Durable HTTP ingest: Segment batches of 100 over keep-alive, 1,000 accounts.
srv=$data/serve
rm -rf "$srv"
mkdir -p "$srv"
{
  cat "$config"
  printf '\nserver:\n  listen: 127.0.0.1:0\n  write_keys: [wk_bench]\n  api_tokens: [tok_bench]\n'
  printf 'storage:\n  path: %s\n' "$srv/data"
} >"$srv/headroom.yaml"
./build/headroom serve --config "$srv/headroom.yaml" >"$srv/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$srv/serve.log" | head -n 1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$srv/serve.log" >&2; exit 1; }
seconds=10
[ "$quick" = "--quick" ] && seconds=3
out=$(./build/http_load "$port" wk_bench 8 100 "$seconds" 1000)
row "durable HTTP ingest, batches of 100, keep-alive, 1,000 accounts" "≥ 150,000 events/s" \
  "$(num '= [0-9.]+ events/s' <<<"$out") events/s"
kill -TERM $pid
wait $pid || true
trap - EXIT

# 4. Ingest ack -> first webhook attempt at 1K events/s.
out=$(./build/delivery_tests --gtest_also_run_disabled_tests \
  --gtest_filter='*IngestAckToFirstAttemptLatency*' 2>&1)
row "ingest ack → first webhook attempt, 1K events/s" "p99 < 50 ms" \
  "p99 $(num 'p99 [0-9.]+' <<<"$out") ms"

# 5. Memory per idle account and per (account, user) pair.
out=$(./build/memory_bench "$config" 500 40 20)
row "heap per idle account (90 days of history, 40 users)" "≤ 2 KB" \
  "$(num 'heap: [0-9.]+ B per idle account' <<<"$out") B"
row "heap per (account, user) pair" "≤ 64 B" \
  "$(num 'heap: [0-9.]+ B per \(account' <<<"$out") B"

# 6. Restart with a snapshot: the store `headroom import` wrote (and snapshotted).
bt=$data/backtest
if [ ! -d "$bt/data" ]; then
  mkdir -p "$bt"
  ./build/headroom import --config "$config" --data "$bt/data" "$file" >/dev/null
fi
ninja -C build -j2 restart_bench >/dev/null
out=$(./build/restart_bench "$config" "$bt/data" "$runs" 2>&1)
row "restart with a snapshot (500 accounts, $events events)" "< 2 s (100K accounts)" \
  "$(grep -m1 -oE 'with snapshot[^(]*' <<<"$out" | sed 's/.*: //') ; full replay $(grep -oE 'without: [0-9.]+ s' <<<"$out" | sed 's/without: //')"

# 7. Backtest: a 30-combination grid (5 x 6) over the same store.
start=$(date +%s.%N)
./build/headroom backtest seat_capacity --config "$config" --data "$bt/data" \
  --set at=0.6,0.7,0.8,0.9,1.0 --set sustained_days=5,10,15,20,25,30 >/dev/null
end=$(date +%s.%N)
row "backtest, 30-combination grid ($events events)" "< 30 s (10M events)" \
  "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f s", b-a}')"

printf '\n| figure | target | measured |\n|---|---|---|\n'
for r in "${rows[@]}"; do
  IFS='|' read -r f t m <<<"$r"
  printf '| %s | %s | %s |\n' "$f" "$t" "$m"
done
printf '\nmachine: %s, %s cores, %s; %s\n' "$(uname -m)" "$(nproc)" \
  "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)" "$(date -u +%F)"
