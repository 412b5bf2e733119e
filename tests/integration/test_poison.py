#!/usr/bin/python3
"""Single messages that once stopped or wedged `driftd run` (issue 13, items
1 and 2), mixed into a valid stream with the dead-letter topic set:

  - invalid messages too large to copy to the dead-letter topic as they are
    (2 MB, just under 1 MiB, 1,000,001 bytes): driftd once exited 3 at each,
    and again after every restart. Now each is dead-lettered cut to the
    producer's message.max.bytes, with a `driftd-truncated` header holding
    its length and the usual source coordinates;
  - events whose `ts` is near the largest 64-bit value, for a model with a
    time window: two of them once sent the window's boundary loop spinning
    forever. Now they are bad_timestamp;
  - events at the extremes of the accepted range (the epoch, the end of year
    9999), which must cost bounded work.

Checked: driftd processes every message and keeps running; the invalid
counts and dead letters are exact; the outputs on Kafka equal `driftd
replay`'s over the valid events.

usage: test_poison.py DRIFTD
"""
import base64
import json
import os
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-poison-")
config = os.path.join(work, "driftd.yaml")
harness.make_stream(work, "--events", "3000", "--onset", "1500", "--invalid-every", "0", "--seed", "13")
with open(os.path.join(work, "events.jsonl")) as f:
    events = [line.rstrip("\n") for line in f]

LAST_TS = 253402300799999  # 9999-12-31T23:59:59.999Z
HOUR = 3600 * 1000


def timed(i, ts):
    return json.dumps({"model_id": "timed", "ts": ts,
                       "features": {"x": (i * 7 % 13) / 6.0 - 1.0, "y": (i * 5 % 11) / 5.0 - 1.0, "c": "abc"[i % 3]}},
                      separators=(",", ":"))


# The time-window model's valid events: two hours of them, then the extremes.
timed_valid = [timed(i, 1763800000000 + i * 60_000) for i in range(120)]
timed_valid += [timed(200, 0), timed(201, LAST_TS), timed(202, LAST_TS - 1), timed(203, 5 * HOUR), timed(204, LAST_TS)]
poison = [
    ("too_large", b"x" * 2_000_000),
    ("too_large", b"{" + b" " * (1024 * 1024 - 3) + b"}"),
    ("too_large", b'{"model_id":"steady","ts":1,"features":{},"pad":"' + b"p" * 1_000_001 + b'"}'),
    ("bad_timestamp", timed(300, 9223372036854775000).encode()),
    ("bad_timestamp", timed(301, 9223372036854775807).encode()),
    ("bad_timestamp", timed(302, LAST_TS + 1).encode()),
]
messages = []
injected = []  # (reason, bytes) of every poison message sent, in order
step = len(events) // (len(poison) + 1)
for k, line in enumerate(events):
    messages.append(line.encode())
    if k % step == step - 1 and k // step < len(poison):
        injected.append(poison[k // step])
        messages.append(poison[k // step][1])
# The wedge needed two such events in a row, in the middle of a time-window model's stream.
injected += [poison[3], poison[4]]
messages += [line.encode() for line in timed_valid[:60]] + [poison[3][1], poison[4][1]]
messages += [line.encode() for line in timed_valid[60:]]
with open(os.path.join(work, "poison.b64"), "w") as f:
    f.writelines(base64.b64encode(m).decode() + "\n" for m in messages)
with open(os.path.join(work, "valid.jsonl"), "w") as f:
    f.writelines(line + "\n" for line in events + timed_valid)

TIMED_MODEL = """  - id: timed
    reference: {path: steady.csv}
    window: {duration: 1h, step: 5m}
    features:
      - {name: x, type: numeric, tests: [ks, psi]}
      - {name: y, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
"""
sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], extra_models=TIMED_MODEL)
    expected = harness.replay(driftd, config, os.path.join(work, "valid.jsonl"))
    daemon = harness.Daemon(driftd, config, name="driftd-poison")
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "poison.b64"), "b64lines",
                           key_partitions={"drifty": 0, "steady": 1, "timed": 2})
    check(sent == len(messages), f"{sent} messages on the input topic, {len(injected)} of them poison")
    daemon.wait_messages(sent, timeout_s=120)
    check(daemon.process.poll() is None and daemon.get("/healthz")[0] == 200,
          "driftd processed every message and is still running")

    text = daemon.metrics()
    for reason in ("too_large", "bad_timestamp"):
        want = sum(1 for r, _ in injected if r == reason)
        got = harness.metric_value(text, "driftd_events_invalid_total", reason=reason)
        check(got == want, f"driftd_events_invalid_total{{reason={reason}}} = {got}, want {want}")
    check(harness.metric_value(text, "driftd_dead_letters_truncated_total") == 3,
          "the three messages over message.max.bytes were dead-lettered cut")
    check(harness.metric_value(text, "driftd_dead_letters_failed_total") == 0, "no dead letter failed")

    letters = [json.loads(line) for line in
               harness.consume(sandbox.bootstrap, "ml.events.dlq", expect=len(injected), output_format="json")]
    by_length = {}
    for letter in letters:
        headers = letter["headers"]
        source_ok = headers.get("driftd-source-topic") == "ml.events" and headers.get("driftd-source-offset")
        check(source_ok, f"dead letter at dlq offset {letter['offset']} names its source")
        if "driftd-truncated" in headers:
            by_length[int(headers["driftd-truncated"])] = letter
    for reason, message in poison[:3]:
        letter = by_length.get(len(message))
        check(letter is not None,
              f"the {len(message):,}-byte message is dead-lettered with driftd-truncated: {len(message)}")
        value = letter["value"]
        head = value.encode() if isinstance(value, str) else base64.b64decode(value["b64"])
        check(len(head) < 1_000_000 and message.startswith(head) and len(head) > 900_000,
              f"  its first {len(head):,} bytes, unchanged, under message.max.bytes")
        check(letter["headers"].get("driftd-error") == reason, f"  driftd-error: {reason}")

    harness.check_published(sandbox.bootstrap, expected, "after the poison")
    daemon.stop()
finally:
    harness.teardown(sandbox)
print("PASS")
