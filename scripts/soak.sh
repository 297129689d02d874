#!/usr/bin/env bash
# The RSS soak (issue 7, docs/PERFORMANCE.md "Soak"): builds `headroom` and `soak` in
# build-soak (release), starts `headroom serve` on a temporary data directory with the
# SPEC 2 example rules (bench/headroom.yaml), runs bench/soak.cc against it (Segment
# batches of 100 over keep-alive, 5,000 events/s by default, RSS sampled every 10 s),
# stops the server with SIGTERM and exits with the soak's status (non-zero when RSS at
# the last minute is more than 5% above minute 2).
#   scripts/soak.sh [minutes=10] [extra soak flags, e.g. --rate 5000 --accounts 2000]
# Env: BUILD_DIR (default build-soak); KEEP_DATA=1 keeps the data directory;
# NO_BUILD=1 uses the binaries already in BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
dir=${BUILD_DIR:-build-soak}
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.ccache}
if [ "${NO_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEADROOM_WERROR=ON >/dev/null
  ninja -C "$dir" -j2 headroom soak
fi

tmp=$(mktemp -d /tmp/headroom-soak.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP_DATA:-0}" = 1 ]; then echo "data kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

{
  cat bench/headroom.yaml
  printf '\nserver:\n  listen: 127.0.0.1:0\n  write_keys: [wk_soak]\n  api_tokens: [tok_soak]\n'
  printf 'storage:\n  path: %s/data\n' "$tmp"
} >"$tmp/headroom.yaml"

"$dir/headroom" serve --config "$tmp/headroom.yaml" >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "soak: headroom serve did not start" >&2
  cat "$tmp/serve.err" >&2
  exit 1
fi
echo "soak: headroom serve pid $server_pid on port $port, data in $tmp/data," \
  "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
status=0
"$dir/soak" "$port" wk_soak "$server_pid" --minutes "$minutes" "$@" || status=$?
kill -TERM "$server_pid"
if ! wait "$server_pid"; then
  echo "soak: headroom serve did not stop cleanly" >&2
  cat "$tmp/serve.err" >&2
  status=1
fi
server_pid=
exit "$status"
