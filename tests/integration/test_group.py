#!/usr/bin/python3
"""Two `driftd run` daemons in one consumer group (cooperative-sticky):

  1. they split the input topic's partitions between them;
  2. when one stops (SIGTERM), the other takes over its partitions;
  3. nothing is lost and nothing is processed twice: the messages each
     processed add up to exactly what was produced.

Four models, each keyed to its own partition, so that both daemons work.

usage: test_group.py DRIFTD
"""
import os
import re
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-group-")
models = ["m0", "m1", "m2", "m3"]
harness.make_stream(work, "--events", "3000", "--onset", "1500", "--invalid-every", "0", "--models", ",".join(models))
with open(os.path.join(work, "messages.b64")) as f:
    lines = f.readlines()
half = len(lines) // 2
for name, part in (("first.b64", lines[:half]), ("second.b64", lines[half:])):
    with open(os.path.join(work, name), "w") as f:
        f.writelines(part)
config = os.path.join(work, "driftd.yaml")


def owned(daemon):
    return {p["partition"] for p in daemon.status()["partitions"]}


def stopped_after(daemon):
    match = re.search(r"stopped after (\d+) messages", daemon.log_text())
    if not match:
        harness.fail(f"no 'stopped after' line in the log: {daemon.log_text()}")
    return int(match.group(1))


sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1")
try:
    harness.write_config(config, sandbox.bootstrap, models, group="driftd-it-group", dead_letter=False)
    a = harness.Daemon(driftd, config, name="driftd-a")
    b = harness.Daemon(driftd, config, name="driftd-b")
    harness.wait_for("the two daemons to split the 4 partitions",
                     lambda: len(owned(a)) > 0 and len(owned(b)) > 0 and owned(a) | owned(b) == {0, 1, 2, 3}
                     and not owned(a) & owned(b), timeout_s=60)
    check(True, f"the group split the partitions: a owns {sorted(owned(a))}, b owns {sorted(owned(b))}")

    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "first.b64"), "b64lines",
                           key_partitions={m: i for i, m in enumerate(models)})
    harness.wait_for(f"the daemons to process the first {sent} messages",
                     lambda: a.status()["messages"] + b.status()["messages"] == sent, timeout_s=60)
    check(a.status()["messages"] > 0 and b.status()["messages"] > 0,
          f"both daemons worked: a {a.status()['messages']}, b {b.status()['messages']}")

    a.stop("a")
    a_total = stopped_after(a)
    harness.wait_for("b to take over all 4 partitions", lambda: owned(b) == {0, 1, 2, 3}, timeout_s=60)
    check(True, "b owns all 4 partitions after a left")

    sent += harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "second.b64"), "b64lines",
                           key_partitions={m: i for i, m in enumerate(models)})
    harness.wait_for(f"b to process the rest of the {sent} messages",
                     lambda: a_total + b.status()["messages"] >= sent, timeout_s=60)
    b_status = b.status()
    check(a_total + b_status["messages"] == sent,
          f"nothing lost, nothing twice: a {a_total} + b {b_status['messages']} = {sent} produced")
    per_model = {m["id"]: m["events"] for m in b_status["models"]}
    check(sum(per_model.values()) == b_status["messages"], f"b's per-model counts add up: {per_model}")
    b.stop("b")
finally:
    harness.teardown(sandbox)
print("PASS")
