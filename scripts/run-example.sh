#!/usr/bin/env bash
# The README's main job (until `headroom demo` lands): installs what is
# missing, builds, imports the example company in examples/ into a fresh
# store and prints the ranked accounts and their signals.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh release
data=${HEADROOM_DATA:-./headroom-data}
rm -rf "$data"
./build/headroom import --config examples/headroom.yaml --data "$data" examples/records.ndjson examples/events.ndjson
./build/headroom accounts --config examples/headroom.yaml --data "$data"
echo
./build/headroom signals --config examples/headroom.yaml --data "$data"
