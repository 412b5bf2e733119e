#!/usr/bin/env bash
# Streaming engine throughput against read+decode alone, same process.
set -euo pipefail
"$1/bench/bench_replay" "$(dirname "$0")/data/replay"
