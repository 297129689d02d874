#!/usr/bin/env bash
# Fails when a C++ file differs from .clang-format (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' 2>/dev/null || true)
[ -z "$files" ] && exit 0
clang-format --dry-run -Werror $files
