#!/usr/bin/env bash
# Builds every libFuzzer target tests/fuzz/fuzz_*.cc with clang (ASan+UBSan)
# and runs each for SECONDS (default 60) from its committed seed corpus.
#   scripts/fuzz.sh [SECONDS]
# New inputs go to build-fuzz/corpus/<target>/, not to the committed seeds.
# Exit status is non-zero when a target finds a crash, leak or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=build-fuzz
mkdir -p "$out"
# The decoders need only their own sources: everything under src/decode and
# src/util (the event decoder also reads the configuration's field names).
sources=(src/decode/*.cc src/util/*.cc)
for target in tests/fuzz/fuzz_*.cc; do
  name=$(basename "$target" .cc)
  corpus=${name#fuzz_}
  clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Iinclude -Isrc -Idetectors "$target" "${sources[@]}" -lsimdjson -o "$out/$name"
  mkdir -p "$out/corpus/$corpus"
  echo "== $name: ${seconds}s"
  "$out/$name" -max_total_time="$seconds" -print_final_stats=1 "$out/corpus/$corpus" "tests/fuzz/corpus/$corpus" \
    2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" || true
  # libFuzzer writes crash-*/leak-*/timeout-* files into the working directory on a finding.
  if ls crash-* leak-* timeout-* >/dev/null 2>&1; then
    echo "finding in $name: $(ls crash-* leak-* timeout-* 2>/dev/null)" >&2
    exit 1
  fi
done
