#!/usr/bin/python3
"""`exactly_once: true`: the transactional producer (init_transactions,
send_offsets_to_transaction, commit_transaction) on the embedded Kafka. The
mock implements the calls but not their semantics (offsets sent with a
transaction are not stored, aborted data is visible), so this proves only
that the calls succeed and outputs arrive — as the issue asks.

usage: test_exactly_once.py DRIFTD
"""
import os
import subprocess
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-eos-")
subprocess.run([harness.PYTHON, os.path.join(harness.HERE, "make_stream.py"), work, "--events", "3000",
                "--onset", "1000", "--invalid-every", "0"], check=True)
config = os.path.join(work, "driftd.yaml")
sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1")
daemon = None
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], dead_letter=False, checkpoint="500ms")
    with open(config) as f:
        text = f.read().replace("  connect_timeout: 10s", "  connect_timeout: 10s\n  exactly_once: true")
    with open(config, "w") as f:
        f.write(text)
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    daemon = harness.Daemon(driftd, config)
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "messages.b64"), "b64lines")
    daemon.wait_messages(sent)
    harness.wait_for("a transaction to commit", lambda: daemon.status()["transactions"] > 0, timeout_s=30)
    harness.check_published(sandbox.bootstrap, expected, f"{daemon.status()['transactions']} transactions")
    code, _ = daemon.terminate()
    check(code == 0, "SIGTERM: the last transaction commits, exit 0")
    check("transaction:" not in daemon.log_text(), "no transaction error in the log")
    daemon = None
finally:
    if daemon:
        daemon.kill()
    sandbox.stop()
print("PASS")
