#!/usr/bin/env bash
# A restart of `driftd run` from its state snapshots against the fallback of
# re-reading every input partition from its start, timed as a user sees it:
# the whole process, from its start to /readyz answering 200 (caught up).
#   [EVENTS="1000000 10000000"] [MODELS=100] [CALIBRATED=1] bench/bench_restart.sh BUILD_DIR
# For each N in EVENTS: a fresh embedded Kafka, N events of MODELS models
# (2 numeric features, each model on one partition by key) on a topic of
# 128 partitions; windows 1,000/250, KS+PSI, `alerting: {mode: per_window}`
# so that start-up calibration does not dominate. Per N:
#   first:  driftd consumes everything the topic holds, then SIGTERM (the
#           final checkpoint writes the snapshots);
#   after:  the same configuration again: restores from the snapshots and
#           re-reads from their replay-from offsets (~one window a model);
#   before: the same with state.topic a fresh, empty topic: every partition
#           is re-read from its start (the behaviour before snapshots).
# With CALIBRATED=1 (the default) the first N is run once more with the
# default calibrated mode, to show the calibration's share of a restart.
# Then the snapshots' size: the state topic's latest snapshot per partition
# (and the driftd_state_last_checkpoint_bytes gauge), for these models and
# for config/demo.yaml's two models fed events drawn from their references.
# The mock keeps only ~5 MiB per partition: past that (10^7 events here) the
# start of each partition is gone, and a full re-read no longer re-reads
# everything the models saw. /readyz is refreshed once a second, so the
# times are up to ~1 s late on both sides. Both sides include the group join
# (~3-5 s on the mock); the configuration sets session.timeout.ms 6 s as the
# integration tests do, since the mock makes a rejoining group wait
# session.timeout.ms - 1 s (45 s by default) for the member that left.
set -euo pipefail
build=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
events_list=${EVENTS:-"1000000 10000000"}
models=${MODELS:-100}
features=2
partitions=128
python=/usr/bin/python3

work=$(mktemp -d)
sandbox=""
daemon=""
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  [ -n "$sandbox" ] && kill "$sandbox" 2>/dev/null && wait "$sandbox" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { echo "${EPOCHREALTIME}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

start_sandbox() {  # topics
  stop_sandbox
  : > "$work/sandbox.out"
  "$build/driftd" kafka-sandbox --topics "$1" > "$work/sandbox.out" 2>/dev/null &
  sandbox=$!
  until [ -s "$work/sandbox.out" ]; do
    kill -0 "$sandbox" 2>/dev/null || { echo "kafka-sandbox did not start" >&2; exit 1; }
    sleep 0.1
  done
  bootstrap=$(head -n 1 "$work/sandbox.out")
}
stop_sandbox() {
  if [ -n "$sandbox" ]; then kill "$sandbox" 2>/dev/null; wait "$sandbox" 2>/dev/null || true; sandbox=""; fi
}

# One reference for all models: 20,000 rows (20x the window, as calibrated
# mode asks) from the generator's distribution, N(0, 50).
$python - "$work/reference.csv" "$features" <<'PY'
import random, sys
random.seed(7)
path, features = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    out.write(",".join(f"f{f:02d}" for f in range(features)) + "\n")
    for _ in range(20000):
        out.write(",".join(f"{random.gauss(0, 50):.2f}" for _ in range(features)) + "\n")
PY

write_config() {  # path group state_topic mode
  {
    echo "kafka:"
    echo "  bootstrap_servers: $bootstrap"
    echo "  group_id: $2"
    echo "  input_topics: [bench.events]"
    echo "  alert_topic: bench.alerts"
    echo "  retrain_topic: bench.retrain"
    echo "  properties: {session.timeout.ms: \"6000\", heartbeat.interval.ms: \"500\"}"
    echo "http: {listen: \"127.0.0.1:0\", ready_max_lag: 0}"
    echo "state: {topic: $3, checkpoint_interval: 10s}"
    echo "models:"
    for m in $(seq 0 $((models - 1))); do
      echo "  - id: model-$m"
      echo "    reference: {path: $work/reference.csv}"
      echo "    window: {size: 1000, step: 250}"
      echo "    features:"
      for f in $(seq 0 $((features - 1))); do
        printf '      - {name: f%02d, type: numeric, tests: [ks, psi]}\n' "$f"
      done
      echo "    alerting: {mode: $4}"
    done
  } > "$1"
}

# The whole daemon, started now; returns once /readyz answers 200. Sets
# base (its HTTP address), t_start, t_assigned (first partition restored or
# read from its start, as logged), t_ready, cpu_ready (the process's CPU
# seconds by then).
start_daemon() {  # config log
  t_start=$(now)
  "$build/driftd" run --config "$1" 2> "$2" &
  daemon=$!
  base=""; t_assigned=""
  local deadline=$((SECONDS + 900))
  while :; do
    kill -0 "$daemon" 2>/dev/null || { echo "driftd exited:" >&2; tail -n 20 "$2" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "driftd not ready after 900 s" >&2; tail -n 20 "$2" >&2; exit 1; }
    if [ -z "$base" ]; then
      base=$(sed -n 's/.*metrics at \(http:\/\/[0-9.:]*\)\/metrics.*/\1/p' "$2" | head -n 1)
    fi
    if [ -z "$t_assigned" ] && grep -q "from its start\|restored from the snapshot" "$2"; then t_assigned=$(now); fi
    if [ -n "$base" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = 200 ]; then
      t_ready=$(now)
      local stat; read -r -a stat < "/proc/$daemon/stat"
      cpu_ready=$(awk -v t=$((stat[13] + stat[14])) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
      [ -n "$t_assigned" ] || t_assigned=$t_ready
      return
    fi
    sleep 0.05
  done
}
stop_daemon() {
  kill -TERM "$daemon"
  wait "$daemon" || { echo "driftd exited with $?" >&2; exit 1; }
  daemon=""
}
status() { curl -s "$base/v1/status"; }
# "replayed messages partitions sources" from /v1/status.
status_summary() {
  status | $python -c '
import collections, json, sys
s = json.load(sys.stdin)
sources = collections.Counter(p["restore"]["source"] for p in s["partitions"])
print(s["replayed"], s["messages"], len(s["partitions"]), ",".join(f"{k}:{v}" for k, v in sorted(sources.items())))'
}
# Until a periodic checkpoint has written every partition's latest position.
wait_checkpoint() {
  local deadline=$((SECONDS + 60))
  until status | $python -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(any(p["position"] > 0 and p["restore"]["last_snapshot"] != p["position"] for p in s["partitions"]))'; do
    ((SECONDS < deadline)) || { echo "no checkpoint within 60 s" >&2; exit 1; }
    sleep 0.5
  done
}
metric() { curl -s "$base/metrics" | awk -v name="$1" '$1 == name { printf "%.0f", $2 }'; }

# The latest snapshot of each key on a state topic: "keys bytes".
snapshot_sizes() {  # topic
  $python - "$bootstrap" "$1" <<'PY'
import sys
from kafka import KafkaConsumer, TopicPartition
bootstrap, topic = sys.argv[1], sys.argv[2]
consumer = KafkaConsumer(bootstrap_servers=bootstrap, api_version=(2, 5, 0), enable_auto_commit=False,
                         consumer_timeout_ms=3000)
parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
consumer.assign(parts)
consumer.seek_to_beginning(*parts)
ends = consumer.end_offsets(parts)
latest = {}
for record in consumer:
    latest[record.key] = len(record.value)
    if all(consumer.position(p) >= ends[p] for p in parts):
        break
print(len(latest), sum(latest.values()))
PY
}

# One restart, timed; appends "label seconds join_s replayed cpu_s sources" to $work/runs.
restart() {  # label config
  start_daemon "$2" "$work/$1.log"
  read -r replayed live owned sources < <(status_summary)
  local total join
  total=$(elapsed "$t_start" "$t_ready"); join=$(elapsed "$t_start" "$t_assigned")
  echo "$1: ready after $total s (assignment logged after $join s; CPU $cpu_ready s), re-read $replayed messages," \
       "$live live; $owned partitions, restore $sources"
  echo "$1 $total $join $replayed $cpu_ready $sources" >> "$work/runs"
  stop_daemon
}

# first, after and before for one topic fill; prints the comparison.
scenario() {  # n mode group
  local n=$1 mode=$2 group=$3
  : > "$work/runs"
  write_config "$work/$group.yaml" "$group" "$group.state" "$mode"
  write_config "$work/$group-fresh.yaml" "$group" "$group.fresh-state" "$mode"

  echo "-- first run ($mode): consume all $held held messages, then SIGTERM"
  start_daemon "$work/$group.yaml" "$work/$group-first.log"
  local deadline=$((SECONDS + 1800)) live=0
  while :; do
    read -r _ live _ _ < <(status_summary)
    [ "$live" -ge "$held" ] && break
    kill -0 "$daemon" 2>/dev/null && ((SECONDS < deadline)) || { echo "first run stuck at $live" >&2; exit 1; }
    sleep 0.5
  done
  echo "first: ready after $(elapsed "$t_start" "$t_ready") s, all $live consumed after $(elapsed "$t_start" "$(now)") s"
  wait_checkpoint
  gauge=$(metric driftd_state_last_checkpoint_bytes)
  stop_daemon
  read -r keys bytes < <(snapshot_sizes "$group.state")
  echo "snapshots: $keys partitions, $bytes bytes in all ($((bytes / models)) bytes per model);" \
       "driftd_state_last_checkpoint_bytes before the final checkpoint: ${gauge:-none}"
  echo "snapshot $n $mode $keys $bytes $gauge" >> "$work/sizes"

  echo "-- after: restart from the snapshots"
  restart after "$work/$group.yaml"
  echo "-- before: restart with an empty state topic (full re-read from each partition's start)"
  restart before "$work/$group-fresh.yaml"
  awk -v n="$n" -v mode="$mode" '
    $1 == "before" { bt = $2; bj = $3; br = $4; bc = $5 }
    $1 == "after" { at = $2; aj = $3; ar = $4; ac = $5 }
    END { printf "%d %s %s %s %s %s %s %s %s %s\n", n, mode, bt, br, at, ar, bj, aj, bc, ac }' "$work/runs" >> "$work/table"
}

: > "$work/table"; : > "$work/sizes"
first_n=""
for n in $events_list; do
  start_sandbox "bench.events:$partitions,bench.alerts:1,bench.retrain:1"
  echo "== N = $n events, $models models ($features numeric features, by key), $partitions partitions"
  fill_start=$(now)
  fill=$("$build/bench/bench_fill" --bootstrap "$bootstrap" --topic bench.events --generate "$n" \
           --models "$models" --features "$features" --by-key --allow-drops)
  echo "$fill (whole fill incl. generating: $(elapsed "$fill_start" "$(now)") s)"
  held=$(echo "$fill" | sed -n 's/.*topic holds \([0-9]*\).*/\1/p')
  [ "$held" -lt "$n" ] && echo "note: the mock's retention kept only $held of $n events: the start of the" \
                               "fullest partitions is gone, so a full re-read cannot rebuild what the first run saw"
  scenario "$n" per_window "bench-restart-$n"
  if [ -z "$first_n" ] && [ "${CALIBRATED:-1}" = 1 ]; then
    scenario "$n" calibrated "bench-restart-$n-cal"
  fi
  first_n=$n
done
stop_sandbox

# config/demo.yaml's two models, fed 4,000 events each drawn from their
# references (the demo's shape), for their snapshots' size.
echo "== config/demo.yaml's two models, 4,000 events each"
start_sandbox "ml.events:8,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1"
$python - "$here/../config" "$work/demo.jsonl" <<'PY'
import csv, json, sys
config, out = sys.argv[1], sys.argv[2]
def rows(name):
    with open(f"{config}/demo-{name}-reference.csv") as f:
        return list(csv.DictReader(f))
fraud, churn = rows("fraud-v3"), rows("churn-v1")
with open(out, "w") as f:
    for i in range(4000):
        r = fraud[i]
        event = {"model_id": "fraud-v3", "ts": 1763800000000 + 2 * i,
                 "features": {"amount": float(r["amount"]), "age": float(r["age"]), "country": r["country"],
                              "is_new": r["is_new"] == "true"}, "prediction": float(r["prediction"])}
        f.write(json.dumps(event, separators=(",", ":")) + "\n")
        r = churn[i]
        event = {"model_id": "churn-v1", "ts": 1763800000001 + 2 * i,
                 "features": {"tenure_months": float(r["tenure_months"]),
                              "support_tickets": float(r["support_tickets"]), "plan": r["plan"]}}
        f.write(json.dumps(event, separators=(",", ":")) + "\n")
PY
"$build/bench/bench_fill" --bootstrap "$bootstrap" --topic ml.events --input "$work/demo.jsonl" --by-key
sed -e "s#bootstrap_servers: .*#bootstrap_servers: $bootstrap#" -e "s#group_id: .*#group_id: bench-demo#" \
    -e "s#listen: 127.0.0.1:9108#listen: \"127.0.0.1:0\"#" -e "s#path: demo-#path: $here/../config/demo-#" \
    "$here/../config/demo.yaml" > "$work/demo.yaml"
start_daemon "$work/demo.yaml" "$work/demo.log"
until read -r _ live _ _ < <(status_summary) && [ "$live" -ge 8000 ]; do
  kill -0 "$daemon" 2>/dev/null || { echo "driftd exited" >&2; exit 1; }
  sleep 0.5
done
wait_checkpoint
gauge=$(metric driftd_state_last_checkpoint_bytes)
stop_daemon
read -r keys bytes < <(snapshot_sizes bench-demo.state)
echo "demo snapshots: $keys partitions, $bytes bytes in all ($((bytes / 2)) bytes per model);" \
     "driftd_state_last_checkpoint_bytes before the final checkpoint: ${gauge:-none}"
echo "snapshot demo calibrated $keys $bytes $gauge" >> "$work/sizes"
stop_sandbox

echo
echo "== restart: process start to /readyz 200 (seconds), messages re-read"
awk '
  BEGIN { printf "%-9s %-11s %24s %24s %12s %12s\n", "N", "alerting", "before: s (re-read)", "after: s (re-read)",
                 "time ratio", "re-read ratio" }
  { printf "%-9d %-11s %10.2f s (%10d) %10.2f s (%10d) %11.2fx %11.0fx\n", $1, $2, $3, $4, $5, $6,
           $3 / $5, ($6 > 0 ? $4 / $6 : 0)
    more = more sprintf("  N=%d %s: before %.2f s to assignment + %.2f s to ready, CPU %.2f s; after %.2f s + %.2f s, CPU %.2f s; from assignment %.2fx, by CPU %.2fx\n",
                        $1, $2, $7, $3 - $7, $9, $8, $5 - $8, $10, ($3 - $7) / ($5 - $8), $9 / $10) }
  END { printf "split at the first partition assigned (start to there: group join, state read; then re-reading), and the process CPU to ready:\n%s", more }' "$work/table"
echo "== snapshot sizes (latest per partition on the state topic, after the final checkpoint)"
awk '{ m = $1 == "snapshot" && $2 == "demo" ? 2 : '"$models"'
       printf "%s %s: %d partitions, %d bytes = %.0f bytes per model; gauge at the last periodic checkpoint %s\n",
              $2, $3, $4, $5, $5 / m, $6 == "" ? "none" : $6 }' "$work/sizes"
