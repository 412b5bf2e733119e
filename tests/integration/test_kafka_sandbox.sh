#!/usr/bin/env bash
# `driftd kafka-sandbox` serves a Kafka that another process (kafka-python)
# can write to and read back from, prints only its bootstrap address on
# stdout, and exits 0 on SIGTERM.
#   test_kafka_sandbox.sh path/to/driftd
# Exit 77 (skipped under CTest) when python3-kafka is missing.
set -euo pipefail

driftd=$(realpath "${1:?usage: test_kafka_sandbox.sh path/to/driftd}")
kafka_io=$(dirname "$(realpath "$0")")/kafka_io.py
python=/usr/bin/python3  # Debian's python3-kafka imports only there
if ! "$python" -c 'import kafka' 2>/dev/null; then
  echo "SKIP: python3-kafka is not installed (apt-get install -y python3-kafka)"
  exit 77
fi

work=$(mktemp -d)
sandbox=
cleanup() {
  if [[ -n $sandbox ]] && kill -0 "$sandbox" 2>/dev/null; then kill -KILL "$sandbox"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- sandbox stderr:" >&2
  cat "$work/sandbox.err" >&2 || true
  exit 1
}

"$driftd" kafka-sandbox --topics t:3 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox=$!

# The address is the first line of stdout; wait for its newline.
for _ in $(seq 100); do
  [[ $(wc -l <"$work/sandbox.out") -ge 1 ]] && break
  kill -0 "$sandbox" 2>/dev/null || fail "kafka-sandbox exited before printing its address"
  sleep 0.1
done
bootstrap=$(head -n 1 "$work/sandbox.out")
[[ $bootstrap =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "first stdout line is not one broker address: '$bootstrap'"
echo "bootstrap: $bootstrap"

# Unique lines, so that a lost or duplicated message shows in the comparison.
for i in $(seq 1000); do
  printf '{"model_id":"model-%d","ts":%d,"features":{"x":%d}}\n' $((i % 7)) $((1763800000000 + i)) "$i"
done >"$work/sent.jsonl"

sent=$("$python" "$kafka_io" produce --bootstrap "$bootstrap" --topic t --input "$work/sent.jsonl" --timeout-s 30) ||
  fail "produce failed"
[[ $sent == 1000 ]] || fail "produce reported '$sent' messages sent, expected 1000"

"$python" "$kafka_io" consume --bootstrap "$bootstrap" --topic t --expect 1000 --timeout-s 60 >"$work/received.jsonl" ||
  fail "consume did not read 1000 messages"
if ! diff <(sort "$work/sent.jsonl") <(sort "$work/received.jsonl") >"$work/diff"; then
  head -n 20 "$work/diff" >&2
  fail "messages read back differ from those sent"
fi
echo "1000 messages round-tripped"

kill -TERM "$sandbox"
status=0
wait "$sandbox" || status=$?
sandbox=
[[ $status == 0 ]] || fail "kafka-sandbox exited with $status on SIGTERM, expected 0"
[[ $(wc -l <"$work/sandbox.out") == 1 ]] || fail "stdout has more than the address: $(cat "$work/sandbox.out")"
echo "PASS"
