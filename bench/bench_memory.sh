#!/usr/bin/env bash
# Memory over a long stream (include/driftd/README.md, "Limits": bounded by the configured windows, not
# by the stream's length): 10^7 events through `driftd replay`, fed through a
# pipe by bench_memory_gen (no multi-GB file), with driftd's RSS read from
# /proc/PID/status every 0.5 s. Three models (see bench_memory_gen.cc): 20
# numeric features on a count window 5,000/1,000; categorical features that
# run far past the 1,000-category bound; a time window of 1 h / 5 min holding
# ~7,200 events. The claim to check: RSS is flat after warm-up.
#   bench_memory.sh BUILD_DIR
#   MEMORY_EVENTS=N (default 10000000), MEMORY_WARMUP=N (default 1000000),
#   MEMORY_SAMPLES=FILE keeps the samples (ms, events, VmRSS KiB, VmHWM KiB)
set -euo pipefail
build=$(realpath "$1")
events=${MEMORY_EVENTS:-10000000}
warmup=${MEMORY_WARMUP:-1000000}
work=$(mktemp -d /tmp/driftd-bench-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$build/bench/bench_memory_gen" setup "$work"
start=$(date +%s%N)
"$build/bench/bench_memory_gen" events "$events" "$work/progress" |
  "$build/driftd" replay --config "$work/memory.yaml" --input /dev/stdin >/dev/null 2>"$work/replay.err" &
pid=$!  # driftd, the last command of the pipeline

# One line per sample: milliseconds since start, events written to the pipe
# (driftd is at most a pipe buffer, ~300 events, behind), VmRSS, VmHWM (KiB).
while true; do
  status=$(cat "/proc/$pid/status" 2>/dev/null) || break
  rss=$(awk '/^VmRSS:/ {print $2}' <<<"$status")
  hwm=$(awk '/^VmHWM:/ {print $2}' <<<"$status")
  [ -n "$rss" ] || break  # exited, not yet reaped
  done_events=$(cat "$work/progress" 2>/dev/null || echo 0)
  echo "$(( ($(date +%s%N) - start) / 1000000 )) ${done_events:-0} $rss $hwm" >>"$work/samples"
  sleep 0.5
done
code=0
wait "$pid" || code=$?
seconds=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$code" -ne 0 ]; then
  echo "driftd replay failed with exit code $code:" >&2
  cat "$work/replay.err" >&2
  exit 1
fi

sed 's/^/  /' "$work/replay.err"
[ -z "${MEMORY_SAMPLES:-}" ] || cp "$work/samples" "$MEMORY_SAMPLES"
awk -v events="$events" -v warmup="$warmup" -v ms="$seconds" '
  function mib(kib) { return sprintf("%.1f", kib / 1024) }
  function millions(n) { return sprintf("%.2f M", n / 1e6) }
  {
    n = $2; rss = $3; hwm = $4; samples++
    if (early == "" && n >= events / 100) { early = rss; early_n = n }
    if (rss > max_all) max_all = rss
    if (n >= warmup) {
      if (warm == "") { warm = rss; warm_at = n }
      if (rss > max_after) max_after = rss
      if (min_after == "" || rss < min_after) min_after = rss
      if (prev_after != "" && rss != prev_after && changes < 12) {
        steps = steps sprintf(" %+d KiB at %s;", rss - prev_after, millions(n)); changes++
      }
      prev_after = rss
    }
    for (k = 1; k <= 10; k++) {
      if (!(k in at) && n >= k * events / 10) { at[k] = rss; at_n[k] = n }
    }
    last = rss; last_n = n; last_hwm = hwm
  }
  END {
    if (warm == "") { print "no sample after warm-up: the run was too short" > "/dev/stderr"; exit 1 }
    printf "memory: %d events in %.1f s (%.0f events/s wall, generator and pipe included), %d RSS samples\n",
           events, ms / 1000, events / (ms / 1000), samples
    line = sprintf("RSS by events read: %s MiB at %s;", mib(early), millions(early_n))
    for (k = 1; k <= 10; k++) if (k in at) line = line sprintf(" %s %s MiB;", millions(at_n[k]), mib(at[k]))
    print line
    printf "RSS after warm-up (%s events): %s MiB; at the end (%s): %s MiB; after warm-up min %s, max %s MiB " \
           "(%+.1f MiB over %s events); peak over the run %s MiB (VmHWM %s MiB)\n",
           millions(warm_at), mib(warm), millions(last_n), mib(last), mib(min_after), mib(max_after),
           (max_after - warm) / 1024, millions(last_n - warm_at), mib(max_all), mib(last_hwm)
    print "RSS changes after warm-up:" (steps == "" ? " none" : steps)
    printf "RESULTS.md row: | `replay` memory, %s events through a pipe, 3 models (20 numeric on count window " \
           "5,000/1,000; 3 categorical past the 1,000-category bound; a 1 h / 5 min time window of ~7,200 " \
           "events) | RSS %s MiB at %s events, %s MiB at %s, max after warm-up %s MiB, VmHWM %s MiB | | " \
           "%+.1f MiB after warm-up | flat after warm-up |\n",
           millions(events), mib(warm), millions(warm_at), mib(last), millions(last_n), mib(max_after),
           mib(last_hwm), (max_after - warm) / 1024
    printf "RESULT rss_warm_kib=%d rss_end_kib=%d rss_max_after_warmup_kib=%d vmhwm_kib=%d\n",
           warm, last, max_after, last_hwm
  }' "$work/samples"
