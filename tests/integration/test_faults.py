#!/usr/bin/python3
"""Faults around `driftd run`:

  1. no broker at start: exit 3 after kafka.connect_timeout, with a message;
  2. through the sandbox's fault injection during a run — all brokers down
     and up again, added round-trip time, failing fetches and offset
     commits — driftd keeps running, /readyz reports the outage, and at the
     end the alerts and triggers equal `driftd replay`'s.

usage: test_faults.py DRIFTD
"""
import os
import subprocess
import sys
import tempfile
import time

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-faults-")
config = os.path.join(work, "driftd.yaml")
harness.make_stream(work, "--events", "4500", "--onset", "1500", "--drift-end", "3000", "--invalid-every", "150")

# 1. Nobody listens on this port.
harness.write_config(config, harness.unused_address(), ["drifty", "steady"])
harness.replace_in_file(config, "connect_timeout: 10s", "connect_timeout: 2s")
start = time.monotonic()
result = subprocess.run([driftd, "run", "--config", config], capture_output=True, text=True, timeout=60)
took = time.monotonic() - start
check(result.returncode == 3, f"no broker: exit {result.returncode} after {took:.1f} s")
check("no Kafka broker answered" in result.stderr and "kafka.connect_timeout" in result.stderr and took < 15,
      f"the message says why: {result.stderr.strip().splitlines()[-1]}")

# 2. Faults during a run. Each model keeps its partition across the three parts.
KEYS = {"drifty": 0, "steady": 1}
with open(os.path.join(work, "messages.b64")) as f:
    lines = f.readlines()
thirds = [lines[: len(lines) // 3], lines[len(lines) // 3: 2 * len(lines) // 3], lines[2 * len(lines) // 3:]]
for i, part in enumerate(thirds):
    with open(os.path.join(work, f"part{i}.b64"), "w") as f:
        f.writelines(part)

sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], checkpoint="500ms")
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    daemon = harness.Daemon(driftd, config)
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "part0.b64"), "b64lines", key_partitions=KEYS)
    daemon.wait_messages(sent)
    harness.wait_for("/readyz 200 before the outage", lambda: daemon.get("/readyz")[0] == 200, timeout_s=15)

    sandbox.command("down all")
    harness.wait_for("/readyz to report the outage", lambda: daemon.get("/readyz")[0] == 503, timeout_s=20)
    status = daemon.status()
    check(status["broker_reachable"] is False and status["ready"] is False,
          "/readyz 503 and /v1/status says the broker is unreachable")
    time.sleep(3)  # an outage long enough for retries, reconnects and failed commits
    check(daemon.process.poll() is None and daemon.get("/healthz")[0] == 200, "driftd keeps running through it")
    sandbox.command("up all")
    harness.wait_for("/readyz 200 after the outage", lambda: daemon.get("/readyz")[0] == 200, timeout_s=60)

    sandbox.command("rtt all 150")
    sandbox.command("errors 1 6 6 6")      # Fetch: NOT_LEADER_OR_FOLLOWER, three times
    sandbox.command("errors 8 27 27")      # OffsetCommit: REBALANCE_IN_PROGRESS, twice
    sent += harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "part1.b64"), "b64lines", key_partitions=KEYS)
    daemon.wait_messages(sent)
    sandbox.command("rtt all 0")
    sent += harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "part2.b64"), "b64lines", key_partitions=KEYS)
    daemon.wait_messages(sent)
    check(daemon.status()["messages"] == sent, f"every one of the {sent} messages processed once")

    harness.check_published(sandbox.bootstrap, expected, "after the faults", broker_outages=True)
    daemon.stop()
finally:
    harness.teardown(sandbox)
print("PASS")
