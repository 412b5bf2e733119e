#!/usr/bin/python3
"""`exactly_once: true`: the transactional producer (init_transactions,
send_offsets_to_transaction, commit_transaction) on the embedded Kafka. The
mock implements the calls but not their semantics (offsets sent with a
transaction are not stored, aborted data is visible), so this proves only
that the calls succeed and outputs arrive — as the issue asks.

usage: test_exactly_once.py DRIFTD
"""
import os
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-eos-")
harness.make_stream(work, "--events", "3000", "--onset", "1000", "--invalid-every", "0")
config = os.path.join(work, "driftd.yaml")
sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], dead_letter=False, checkpoint="500ms",
                         exactly_once=True)
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    daemon = harness.Daemon(driftd, config)
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "messages.b64"), "b64lines")
    daemon.wait_messages(sent)
    harness.wait_for("a transaction to commit", lambda: daemon.status()["transactions"] > 0, timeout_s=30)
    harness.check_published(sandbox.bootstrap, expected, f"{daemon.status()['transactions']} transactions")
    daemon.stop("driftd, committing its last transaction,")
    check("transaction:" not in daemon.log_text(), "no transaction error in the log")

    # The snapshots went out in the transactions too: a restart restores the
    # models' partitions from them (the mock stores no transactional offsets,
    # so without snapshots every message would be read again as live).
    daemon = harness.Daemon(driftd, config, name="driftd-eos-restarted")
    harness.wait_for("the restarted driftd to be ready", lambda: daemon.get("/readyz")[0] == 200, timeout_s=60)
    restored = sorted(p["restore"]["source"] for p in daemon.status()["partitions"] if p["position"] > 0)
    check(restored and set(restored) == {"snapshot"}, f"the restart restored from the snapshots: {restored}")
    check(daemon.status()["messages"] == 0, "and has no message to process as live")
    harness.check_published(sandbox.bootstrap, expected, "after the restart")
    daemon.stop("the restarted driftd")
finally:
    harness.teardown(sandbox)
print("PASS")
