#!/usr/bin/env bash
# Installs every Debian package Headroom needs to build and test. Idempotent:
# skips apt-get entirely when dpkg already reports every package installed.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libsimdjson-dev libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  libboost-dev libboost-system-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libxxhash-dev
  clang-14 libclang-rt-14-dev clang-format python3
  chromium
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
