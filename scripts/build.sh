#!/usr/bin/env bash
# Configures and builds one flavour of Headroom with CMake + Ninja (-j2, ccache).
#   scripts/build.sh [release|asan]   -> build/ or build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release) dir=build; extra=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) dir=build-asan; extra=(-DCMAKE_BUILD_TYPE=Debug -DHEADROOM_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.ccache}
cmake -S . -B "$dir" -G Ninja -DHEADROOM_WERROR=ON "${extra[@]}" >/dev/null
ninja -C "$dir" -j2
