#!/bin/sh
# Demo event producer for deploy/compose.yaml: a stand-in until driftd has a
# producer of its own (`driftd demo` embeds one, but only for its embedded
# Kafka). Runs in the apache/kafka image: POSIX sh + awk write JSON events,
# one per line, into kafka-console-producer.sh, which keeps one connection.
#
# Every second: RATE events of fraud-v3 and RATE of churn-v1 (no `ts`, so
# driftd uses the Kafka timestamp). After DRIFT_AFTER seconds fraud-v3's
# amount grows and its country mix changes; churn-v1 never drifts. About one
# message in 500 is not JSON, so driftd_events_invalid_total has data.
#   DURATION=N stops after N ticks (0: never); SLEEP=0 drops the pause between
#   ticks; SEED=N fixes the random numbers (tests/deploy/check_static.sh
#   replays `producer.sh --stdout` so).
set -eu

BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
TOPIC="${TOPIC:-ml.events}"
RATE="${RATE:-50}"
DRIFT_AFTER="${DRIFT_AFTER:-180}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
DURATION="${DURATION:-0}"
SLEEP="${SLEEP:-1}"
SEED="${SEED:-}"

generate() {
  awk -v rate="$RATE" -v drift_after="$DRIFT_AFTER" -v duration="$DURATION" -v pause="$SLEEP" -v seed="$SEED" '
    # No math functions: busybox awk (the apache/kafka image is Alpine) may
    # be built without them. Sum of 12 uniforms - 6: close to N(0, 1).
    function normal(mu, sigma,   i, z) {
      z = -6
      for (i = 0; i < 12; i++) z += rand()
      return mu + sigma * z
    }
    function squash(x) {   # a sigmoid without exp(): (0, 1), 0.5 at 0
      return 0.5 + 0.5 * x / (1 + (x < 0 ? -x : x))
    }
    function pick(n, items, weights,   u, i, acc) {
      u = rand(); acc = 0
      for (i = 1; i <= n; i++) { acc += weights[i]; if (u < acc) return items[i] }
      return items[n]
    }
    BEGIN {
      if (seed != "") srand(seed); else srand()
      split("KR US DE FR BR", countries, " ")
      split("0.30 0.30 0.20 0.15 0.05", before, " ")
      split("0.10 0.20 0.20 0.15 0.35", after, " ")
      split("basic plus pro", plans, " ")
      split("0.5 0.3 0.2", plan_w, " ")
      for (second = 0; duration == 0 || second < duration; second++) {
        drifted = second >= drift_after
        for (i = 0; i < rate; i++) {
          amount = drifted ? normal(80, 30) : normal(50, 20)
          if (amount < 0) amount = -amount
          age = normal(40, 12)
          country = drifted ? pick(5, countries, after) : pick(5, countries, before)
          p = squash((amount - 60) / 15)
          printf "{\"model_id\":\"fraud-v3\",\"features\":{\"amount\":%.2f,\"age\":%.1f,\"country\":\"%s\"},\"prediction\":%.4f}\n", amount, age, country, p
          tenure = normal(24, 10); if (tenure < 0) tenure = 0
          printf "{\"model_id\":\"churn-v1\",\"features\":{\"tenure_months\":%.1f,\"plan\":\"%s\"},\"prediction\":%.4f}\n", tenure, pick(3, plans, plan_w), squash((20 - tenure) / 8)
          if (rand() < 0.002) print "not json"
        }
        fflush()
        if (pause > 0) system("sleep " pause)
      }
    }'
}

if [ "${1:-}" = "--stdout" ]; then
  generate        # for a look at the events: producer.sh --stdout | head
  exit 0
fi

echo "producing ${RATE}/s per model to ${TOPIC} at ${BOOTSTRAP}; fraud-v3 drifts after ${DRIFT_AFTER}s" >&2
generate | "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC"
