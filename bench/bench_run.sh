#!/usr/bin/env bash
# `driftd run` end to end from the embedded Kafka, next to a bare librdkafka
# consumer that reads and JSON-parses the same messages from the same broker
# in the same run (bench_intake: the intake limit). 1,000,000 events x 20
# numeric features, windows 5,000/1,000, KS+PSI on every feature: the
# workload of bench_replay, whose files it reuses.
#   [ROUNDS=3] [QUEUE_KBYTES=N] bench/bench_run.sh BUILD_DIR [EVENTS]
# Both consumers take driftd's librdkafka settings (kafka/client_config.cc),
# its 16 MiB local queue included; QUEUE_KBYTES sets another
# queued.max.messages.kbytes on both.
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
# driftd back to back; compared at the end (best against best, and the
# median of the rounds' own ratios).
rounds=${ROUNDS:-3}
queue_property=""
[ -n "${QUEUE_KBYTES:-}" ] && queue_property="properties: {queued.max.messages.kbytes: \"$QUEUE_KBYTES\"}"
for round in $(seq "$rounds"); do
  echo "-- round $round: bare librdkafka consumer + simdjson (baseline, same broker)"
  baseline=$("$build/bench/bench_intake" --bootstrap "$bootstrap" --topic bench.events --messages "$events" \
    ${QUEUE_KBYTES:+--queue-kbytes "$QUEUE_KBYTES"})
  echo "$baseline"
  echo "$baseline" | sed -n 's/.*= \([0-9.e+]*\) msgs\/s (cpu \([0-9.]*\) s).*/\1 \2/p' >> "$work/baseline"

  cat > "$data/run.yaml" <<YAML
kafka:
  bootstrap_servers: $bootstrap
  group_id: bench-$$-$round
  input_topics: [bench.events]
  alert_topic: bench.alerts
  retrain_topic: bench.retrain
  $queue_property
http: {listen: "127.0.0.1:0"}
state: {checkpoint_interval: 10s}
YAML
  cat "$data/bench.yaml" >> "$data/run.yaml"

  echo "-- round $round: driftd run (group join, then every event through windows and detectors)"
  "$build/driftd" run --config "$data/run.yaml" 2> "$work/driftd.log" &
  daemon=$!
  until grep -q "consuming" "$work/driftd.log"; do
    kill -0 $daemon 2>/dev/null || { cat "$work/driftd.log" >&2; exit 1; }
    sleep 0.05
  done
  base=$(sed -n 's/.*metrics at \(http:\/\/[0-9.:]*\)\/metrics.*/\1/p' "$work/driftd.log")
  messages() { curl -s "$base/v1/status" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p'; }
  # /v1/status refreshes once a second, too coarse to time a ~2 s run by:
  # instead the daemon is sampled every 20 ms (process CPU ticks, and the
  # main thread's run time in ns) from when it starts consuming (its
  # references are loaded by then), and the run spans its first to its
  # last interval with the main thread busy over a quarter of it (the ~3 s
  # group join before is idle). The sampler uses shell builtins only: one
  # spawning date/awk/cut per sample took ~27 % of a core from the two
  # that driftd and the broker share, which the baseline's run is spared.
  # The status is asked for only once the main thread rests.
  main_stat="/proc/$daemon/task/$daemon/schedstat"
  exec {tick}<> <(:)  # never readable: `read -t` on it sleeps without a process
  : > "$work/samples"
  previous_run=0; previous_us=0; idle=0
  while :; do
    kill -0 $daemon 2>/dev/null || { cat "$work/driftd.log" >&2; exit 1; }
    read -r -a stat < "/proc/$daemon/stat"
    read -r run _ < "$main_stat"
    now_us=${EPOCHREALTIME/./}
    echo "$now_us ${stat[13]} ${stat[14]} $run" >> "$work/samples"
    if (( (run - previous_run) * 4 < (now_us - previous_us) * 1000 )); then idle=$((idle + 1)); else idle=0; fi
    previous_run=$run; previous_us=$now_us
    if (( idle >= 10 )) && [ "$(messages)" = "$events" ]; then break; fi
    read -r -t 0.02 -u "$tick" _ || true
  done
  exec {tick}<&-
  rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$daemon/status")
  kill -TERM $daemon; wait $daemon || true; daemon=""
  awk -v n="$events" -v hz="$(getconf CLK_TCK)" -v rss="$rss" -v out="$work/driftd" '
    { t[NR] = $1; ticks[NR] = $2 + $3; run[NR] = $4 }  # t in us, run in ns
    END {
      for (i = 2; i <= NR; ++i) {
        if ((run[i] - run[i - 1]) > 250 * (t[i] - t[i - 1])) { if (!s) s = i - 1; e = i }
      }
      wall = (t[e] - t[s]) / 1e6; cpu = (ticks[e] - ticks[s]) / hz
      printf "driftd run: %d msgs in %.2f s = %.0f msgs/s (cpu %.2f s = %.2f us/msg), peak RSS %d MiB\n", n, wall, n / wall, cpu, cpu / n * 1e6, rss
      printf "%f %f\n", n / wall, cpu / n * 1e6 >> out
    }' "$work/samples"
done

# Best against best (each side's least disturbed round), and the median of
# the rounds' own ratios (each round's baseline and driftd ran back to back).
awk -v n="$events" '
  function median(a, k,    i, j, t) {
    for (i = 2; i <= k; ++i) for (j = i; j > 1 && a[j - 1] > a[j]; --j) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  FNR == 1 { file++ }
  file == 1 { b_us_of[FNR] = $2 / n * 1e6; b_rate_of[FNR] = $1
              if (!b_us || b_us_of[FNR] < b_us) b_us = b_us_of[FNR]; if ($1 > b_rate) b_rate = $1 }
  file == 2 { cpu_ratio[FNR] = b_us_of[FNR] / $2; rate_ratio[FNR] = $1 / b_rate_of[FNR]; rounds = FNR
              if (!d_us || $2 < d_us) d_us = $2; if ($1 > d_rate) d_rate = $1 }
  END {
    printf "best of %d rounds: bare consumer %.2f us CPU/msg, %.0f msgs/s; driftd run %.2f us CPU/msg, %.0f msgs/s\n", rounds, b_us, b_rate, d_us, d_rate
    printf "ratio: driftd run / bare consumer = %.0f%% by CPU per message, %.0f%% by wall-clock rate (target >= 80%%)\n", 100 * b_us / d_us, 100 * d_rate / b_rate
    printf "median of the %d rounds'"'"' own ratios: %.0f%% by CPU per message, %.0f%% by wall-clock rate\n", rounds, 100 * median(cpu_ratio, rounds), 100 * median(rate_ratio, rounds)
  }' "$work/baseline" "$work/driftd"
