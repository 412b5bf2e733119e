#!/usr/bin/python3
"""Takeover test: two `driftd run` instances in one group (cooperative-sticky)
share four models' partitions; one is killed with SIGKILL mid-stream. The
survivor takes over its partitions, restores them from the state snapshots
a wrote and refills their windows from the log,
and at the end the alerts and retrain triggers on their topics equal
`driftd replay`'s on the same events: none missing, none twice.

usage: test_takeover.py DRIFTD
"""
import base64
import os
import sys
import tempfile
import threading
import time

from kafka import KafkaProducer

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-takeover-")
models = ["m0", "m1", "m2", "m3"]
harness.make_stream(work, "--events", "2500", "--onset", "800", "--drift-end", "1800", "--invalid-every", "0",
                    "--models", ",".join(models), "--drifting", "m0,m1,m2,m3")
with open(os.path.join(work, "messages.b64")) as f:
    messages = [base64.b64decode(line) for line in f]
config = os.path.join(work, "driftd.yaml")


def owned(daemon):
    return {p["partition"] for p in daemon.status()["partitions"]}


def send_all(bootstrap, rate, done):
    producer = KafkaProducer(bootstrap_servers=bootstrap, api_version=(2, 5, 0), linger_ms=5)
    start = time.monotonic()
    for i, message in enumerate(messages):
        model = message.split(b'"model_id":"')[1].split(b'"')[0].decode()
        producer.send("ml.events", value=message, key=model.encode(), partition=models.index(model))
        delay = start + (i + 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    producer.flush()
    done.set()


sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1")
try:
    harness.write_config(config, sandbox.bootstrap, models, group="driftd-it-takeover", dead_letter=False,
                         checkpoint="500ms")
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    check(all(any(f'"model_id":"{m}"' in line for line in expected) for m in models),
          f"replay gives {len(expected)} alerts and triggers, for every model")
    a = harness.Daemon(driftd, config, name="driftd-a")
    b = harness.Daemon(driftd, config, name="driftd-b")
    harness.wait_for("the two daemons to split the 4 partitions",
                     lambda: len(owned(a)) > 0 and len(owned(b)) > 0 and owned(a) | owned(b) == {0, 1, 2, 3},
                     timeout_s=60)
    a_partitions = owned(a)
    done = threading.Event()
    producer = threading.Thread(target=send_all, args=(sandbox.bootstrap, len(messages) / 25, done), daemon=True)
    producer.start()
    harness.wait_for("a third of the stream", lambda: a.status()["messages"] + b.status()["messages"]
                     >= len(messages) // 3, timeout_s=60)
    a.kill()
    check(not done.is_set(), f"a (owning {sorted(a_partitions)}) killed with SIGKILL mid-stream")
    harness.wait_for("b to take over all 4 partitions", lambda: owned(b) == {0, 1, 2, 3}, timeout_s=60)
    done.wait(timeout=120)
    harness.wait_for("b to reach the end of every partition",
                     lambda: all(p["position"] >= 2500 for p in b.status()["partitions"]), timeout_s=60)
    status = b.status()
    taken = {p["partition"]: p["restore"] for p in status["partitions"] if p["partition"] in a_partitions}
    check(all(r["source"] == "snapshot" for r in taken.values()),
          f"b restored a's partitions from a's snapshots: {taken}")
    # (The group may move b's own partitions too: at most a window each, all four.)
    check(all(r["snapshot_offset"] - (r["read_from"] or 0) <= 1000 for r in taken.values()) and
          0 < status["replayed"] <= 4 * (1000 + 250),
          f"and re-read only their windows from the log ({status['replayed']} messages replayed; windows of 1000)")

    harness.check_published(sandbox.bootstrap, expected, "after the takeover")
    b.stop("b")
finally:
    harness.teardown(sandbox)
print("PASS")
