#!/usr/bin/env bash
# Ground truth's cost per labelled event against the engine's per-event
# cost in the same process; each concept-drift detector's cost per error
# against Frouros's update() on the same kind of stream (when Frouros's
# source is at $FROUROS_SRC), and their false alarms on stationary streams.
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/driftd-bench-labels.XXXXXX)
trap 'rm -rf "$work"' EXIT
ours=$("$build/bench/bench_labels" "$work")
theirs=$(/usr/bin/python3 "$(dirname "$0")/peers/frouros_updates.py" 100000)
echo "$ours" | grep -v RESULT
echo "$theirs" | grep -v RESULT || true
value() { echo "$1" | grep RESULT | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
for detector in ddm eddm adwin page_hinkley hddm_a hddm_w; do
  peer=$(value "$theirs" "frouros_${detector}_ns" || true)
  [ -n "$peer" ] || continue
  awk -v d="$detector" -v a="$(value "$ours" "driftd_${detector}_ns")" -v b="$peer" \
    'BEGIN { printf "%-13s driftd %6.1f ns, Frouros %7.0f ns per error: %.0fx\n", d, a, b, b / a }'
done
