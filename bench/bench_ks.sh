#!/usr/bin/env bash
# KS on 10^6 vs 10^6: driftd against scipy.stats.ks_2samp on the same data.
set -euo pipefail
build=$1
data=$(mktemp /tmp/driftd-bench-ks.XXXXXX)
trap 'rm -f "$data"' EXIT
ours=$("$build/bench/bench_ks" "$data")
theirs=$(/usr/bin/python3 "$(dirname "$0")/ks_scipy.py" "$data")
echo "$ours" | grep -v RESULT
echo "$theirs" | grep -v RESULT
value() { echo "$1" | grep RESULT | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
a=$(value "$ours" driftd_ks_seconds); b=$(value "$ours" driftd_ks_sorted_seconds); s=$(value "$theirs" scipy_ks_seconds)
awk -v a="$a" -v b="$b" -v s="$s" 'BEGIN {
  printf "ks speed-up vs scipy: %.1fx including sorting, %.1fx on prepared (sorted) samples (target >= 5x)\n", s / a, s / b }'
