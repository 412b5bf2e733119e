#!/usr/bin/env bash
# Runs every benchmark script bench/bench_*.sh with the build directory as
# argument. Each prints its own figures and the ratio to its baseline.
set -euo pipefail
build=$(realpath "${1:-build}")
cd "$(dirname "$0")"
for script in bench_*.sh; do
  echo "== $script"
  bash "$script" "$build"
done
