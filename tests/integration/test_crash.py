#!/usr/bin/python3
"""Crash test (include/driftd/README.md, "Promises on data"): `driftd run` is killed with SIGKILL at random
points while it consumes a stream with drift, and restarted each time,
while a producer keeps sending. At the end the alerts and retrain triggers
on their topics equal `driftd replay` on the same events — none missing,
none twice, none extra — and the last instance's counters account for every
message read (re-read to rebuild state from each partition's snapshot +
consumed live = all from the snapshots' replay-from offsets on).

usage: test_crash.py DRIFTD [KILLS]
"""
import base64
import os
import random
import sys
import tempfile
import threading
import time

from kafka import KafkaProducer

import harness
from harness import check

driftd = sys.argv[1]
kills = int(sys.argv[2]) if len(sys.argv) > 2 else 10
rng = random.Random(20261201)
work = tempfile.mkdtemp(prefix="driftd-it-crash-")
harness.make_stream(work, "--events", "5000", "--onset", "1500", "--drift-end", "3000", "--invalid-every", "97")
with open(os.path.join(work, "messages.b64")) as f:
    messages = [base64.b64decode(line) for line in f]
config = os.path.join(work, "driftd.yaml")
PARTITION = {b"drifty": 0, b"steady": 1}


def send(producer, chunk, seconds):
    """Each model on its own partition (as keying by model id does); invalid
    messages on the other two; paced over `seconds` so that a kill lands
    while messages still arrive."""
    start = time.monotonic()
    for i, (index, message) in enumerate(chunk):
        model = next((m for m in PARTITION if b'"model_id":"' + m + b'"' in message[:40]), None)
        partition = PARTITION[model] if model else 2 + index % 2
        producer.send("ml.events", value=message, key=model, partition=partition)
        delay = start + (i + 1) * seconds / len(chunk) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    producer.flush()


sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], group="driftd-it-crash", checkpoint="500ms")
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    check(len(expected) > 2, f"replay gives {len(expected)} alerts and triggers")

    producer = KafkaProducer(bootstrap_servers=sandbox.bootstrap, api_version=(2, 5, 0), linger_ms=5)
    numbered = list(enumerate(messages))
    chunks = [numbered[k * len(numbered) // (kills + 1): (k + 1) * len(numbered) // (kills + 1)]
              for k in range(kills + 1)]
    killed_at = []
    for k in range(kills):
        daemon = harness.Daemon(driftd, config, name=f"driftd-crash-{k}")
        harness.wait_for("the daemon to join the group", lambda: daemon.status()["partitions"], timeout_s=60)
        sender = threading.Thread(target=send, args=(producer, chunks[k], 3.0))
        sender.start()
        time.sleep(rng.uniform(0.2, 2.5))
        status = daemon.status()
        daemon.kill()
        killed_at.append((status["messages"] + status["replayed"], sender.is_alive()))
        sender.join()
    check(sum(1 for _, producing in killed_at if producing) >= kills // 2,
          f"SIGKILL {kills} times, at (messages seen, producer still sending): {killed_at}")
    send(producer, chunks[kills], 1.0)

    daemon = harness.Daemon(driftd, config, name="driftd-crash-final")
    harness.wait_for("the daemon to join the group", lambda: len(daemon.status()["partitions"]) == 4, timeout_s=60)

    def to_read():
        """The messages sent, less those before where each partition's
        reading started (its snapshot's replay-from offset)."""
        skipped = sum(p["restore"]["read_from"] or 0 for p in daemon.status()["partitions"])
        return len(messages) - skipped

    harness.wait_for("the last instance to account for every message",
                     lambda: daemon.status()["messages"] + daemon.status()["replayed"] >= to_read(), timeout_s=120)
    status = daemon.status()
    check(status["messages"] + status["replayed"] == to_read(),
          f"replayed {status['replayed']} + consumed {status['messages']} = the {to_read()} messages sent "
          f"from the snapshots' replay-from offsets on")
    # (A partition that never had a message has no snapshot: nothing to restore.)
    sources = [p["restore"]["source"] for p in status["partitions"] if p["partition"] in PARTITION.values()]
    check(sources == ["snapshot"] * 2, f"both models' partitions restored from their snapshots: {sources}")
    check(status["replayed"] < len(messages) // 2,
          f"the restart re-read {status['replayed']} of the {len(messages)} messages, not all")

    harness.check_published(sandbox.bootstrap, expected, f"after {kills} kills")
    daemon.stop("the last instance")
finally:
    harness.teardown(sandbox)
print("PASS")
