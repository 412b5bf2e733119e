#!/usr/bin/python3
"""Catching up a backlog through a local queue far smaller than it: librdkafka
2.0.2 stops fetching whenever its queue is full, and driftd wakes the
fetchers once the queue has drained to half (kafka/fetch_waker.h).

With queued.max.messages.kbytes at 64 (a few hundred messages) and batches of
100, the queue fills and drains many times over; the test asserts that the
wake happened (/v1/status fetch_wakes) and that nothing was lost or
reordered on the way: every message processed, and the alerts and retrain
triggers on Kafka equal `driftd replay` on the same events.

usage: test_fetch_queue.py DRIFTD
"""
import json
import os
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-fetch-queue-")
harness.make_stream(work, "--events", "6000", "--onset", "3000")
config = os.path.join(work, "driftd.yaml")
with open(os.path.join(work, "messages.b64")) as f:
    total = sum(1 for _ in f)
invalid = len(json.load(open(os.path.join(work, "invalid.json"))))

sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"],
                         properties={"queued.max.messages.kbytes": "64"}, batch_size=100)
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    check(any('"driftd.alert.v1"' in line for line in expected), "replay gives alerts to compare with")

    # The backlog is there before driftd starts.
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "messages.b64"), "b64lines",
                           key_partitions={"drifty": 0, "steady": 1})
    check(sent == total, f"produced {sent} messages")
    daemon = harness.Daemon(driftd, config)
    daemon.wait_messages(total)
    status = daemon.status()
    check(status["messages"] == total and status["invalid"] == invalid,
          f"all {total} messages processed, the {invalid} invalid ones among them")
    check(status["fetch_wakes"] > 0, f"the fetchers were woken after the queue filled ({status['fetch_wakes']} times)")
    harness.check_published(sandbox.bootstrap, expected, "after catching up through a 64 KiB queue")
    daemon.stop()
finally:
    harness.teardown(sandbox)
print("PASS")
