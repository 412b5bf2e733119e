#!/usr/bin/env bash
# `driftd run` end to end from the embedded Kafka, next to a bare librdkafka
# consumer that reads and JSON-parses the same messages from the same broker
# in the same run (bench_intake: the intake limit). 1,000,000 events x 20
# numeric features, windows 5,000/1,000, KS+PSI on every feature: the
# workload of bench_replay, whose files it reuses.
#   [ROUNDS=3] bench/bench_run.sh BUILD_DIR [EVENTS]
set -euo pipefail
build=$(realpath "$1")
events=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data/replay"
[ -f "$data/events.jsonl" ] || "$build/bench/bench_replay" "$data" > /dev/null

# ~400 bytes an event; the mock keeps ~5 MiB per partition: 128 partitions.
sandbox_out=$(mktemp)
"$build/driftd" kafka-sandbox --topics bench.events:128,bench.alerts:1,bench.retrain:1 > "$sandbox_out" 2>/dev/null &
sandbox=$!
work=$(mktemp -d)
trap 'kill $sandbox 2>/dev/null; [ -n "${daemon:-}" ] && kill $daemon 2>/dev/null; rm -rf "$work" "$sandbox_out"' EXIT
until [ -s "$sandbox_out" ]; do sleep 0.1; done
bootstrap=$(head -n 1 "$sandbox_out")

head -n "$events" "$data/events.jsonl" > "$work/events.jsonl"
"$build/bench/bench_fill" --bootstrap "$bootstrap" --topic bench.events --input "$work/events.jsonl" >&2

# The machine is shared and noisy: ROUNDS rounds, each the baseline then
# driftd back to back; the best CPU per message of each side is compared.
rounds=${ROUNDS:-3}
for round in $(seq "$rounds"); do
  echo "-- round $round: bare librdkafka consumer + simdjson (baseline, same broker)"
  baseline=$("$build/bench/bench_intake" --bootstrap "$bootstrap" --topic bench.events --messages "$events")
  echo "$baseline"
  echo "$baseline" | sed -n 's/.*= \([0-9.e+]*\) msgs\/s (cpu \([0-9.]*\) s).*/\1 \2/p' >> "$work/baseline"

  cat > "$data/run.yaml" <<YAML
kafka:
  bootstrap_servers: $bootstrap
  group_id: bench-$$-$round
  input_topics: [bench.events]
  alert_topic: bench.alerts
  retrain_topic: bench.retrain
http: {listen: "127.0.0.1:0"}
state: {dir: $work/state, checkpoint_interval: 10s}
YAML
  cat "$data/bench.yaml" >> "$data/run.yaml"

  echo "-- round $round: driftd run (group join, then every event through windows and detectors)"
  "$build/driftd" run --config "$data/run.yaml" 2> "$work/driftd.log" &
  daemon=$!
  until grep -q "metrics at" "$work/driftd.log"; do sleep 0.05; done
  base=$(sed -n 's/.*metrics at \(http:\/\/[0-9.:]*\)\/metrics.*/\1/p' "$work/driftd.log")
  messages() { curl -s "$base/v1/status" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p'; }
  cpu() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
  ticks=$(getconf CLK_TCK)
  # The clock starts at the first message (after the ~3 s group join), as
  # bench_intake's does.
  until [ "$(messages)" -gt 0 ] 2>/dev/null; do sleep 0.02; done
  start=$(date +%s.%N); cpu_start=$(cpu); first=$(messages)
  until [ "$(messages)" -ge "$events" ]; do sleep 0.25; done
  end=$(date +%s.%N); cpu_end=$(cpu)
  rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$daemon/status")
  kill -TERM $daemon; wait $daemon || true; daemon=""
  awk -v n="$events" -v first="$first" -v s="$start" -v e="$end" -v c0="$cpu_start" -v c1="$cpu_end" -v hz="$ticks" \
      -v rss="$rss" 'BEGIN {
    counted = n - first; wall = e - s; cpu = (c1 - c0) / hz
    printf "driftd run: %d msgs in %.2f s = %.0f msgs/s (cpu %.2f s = %.2f us/msg), peak RSS %d MiB\n", counted, wall, counted / wall, cpu, cpu / counted * 1e6, rss
    printf "%f %f\n", counted / wall, cpu / counted * 1e6 >> "'"$work/driftd"'"
  }'
done

awk -v n="$events" '
  FNR == 1 { file++ }
  file == 1 { us = $2 / n * 1e6; if (!b_us || us < b_us) b_us = us; if ($1 > b_rate) b_rate = $1 }
  file == 2 { if (!d_us || $2 < d_us) d_us = $2; if ($1 > d_rate) d_rate = $1 }
  END {
    printf "best of %d rounds: bare consumer %.2f us CPU/msg, %.0f msgs/s; driftd run %.2f us CPU/msg, %.0f msgs/s\n", FNR, b_us, b_rate, d_us, d_rate
    printf "ratio: driftd run / bare consumer = %.0f%% by CPU per message, %.0f%% by wall-clock rate (target >= 80%%)\n", 100 * b_us / d_us, 100 * d_rate / b_rate
  }' "$work/baseline" "$work/driftd"
