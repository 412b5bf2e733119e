#!/usr/bin/python3
"""Broker outages and signals around `driftd run` (issue 13, items 3, 5, 6):

  1. SIGTERM while waiting for a broker at start-up ends driftd within
     seconds (exit 0), not when kafka.connect_timeout runs out;
  2. SIGHUP is logged and ignored;
  3. a backlog consumed slowly (round trips of 300 ms), then every broker
     down for 20 s: /readyz says 503 within 8 s (it once said 200 for ~14 s,
     its thread blocked in a commit), driftd keeps running, and once the
     brokers are back it catches up;
  4. the outputs on Kafka then equal `driftd replay`'s: none missing, none
     twice but for the sandbox's own copies of retried batches (an outage
     once left five ids published twice: the mock cluster appends a retried
     batch again, where a Kafka broker drops it; see
     harness.check_published);
  5. SIGTERM during an outage ends driftd well within the 30 s a supervisor
     gives before SIGKILL;
  6. the same, and /readyz 503, when the Kafka thread is blocked: in an
     outage, dead letters fill a small producer queue.

usage: test_outage.py DRIFTD
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-outage-")
config = os.path.join(work, "driftd.yaml")
# No invalid messages: with no dead letter waiting for delivery, the old
# checkpoint went on to a commit that blocked for the whole outage.
harness.make_stream(work, "--events", "20000", "--onset", "6000", "--drift-end", "14000", "--invalid-every", "0")

# 1. Nobody listens on this port; the wait for a broker would last 30 s.
harness.write_config(config, harness.unused_address(), ["drifty", "steady"])
harness.replace_in_file(config, "connect_timeout: 10s", "connect_timeout: 30s")
waiting = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
harness.wait_for("driftd to serve HTTP while it waits for a broker",
                 lambda: waiting.poll() is not None or "metrics at" in (waiting.stderr.readline() or ""), timeout_s=20)
time.sleep(1)
start = time.monotonic()
waiting.send_signal(signal.SIGTERM)
try:
    code = waiting.wait(timeout=25)
except subprocess.TimeoutExpired:
    waiting.kill()
    code = None
took = time.monotonic() - start
check(code == 0 and took < 5, f"SIGTERM while waiting for a broker: exit {code} after {took:.1f} s (under 5 s)")

# 2-5 on the sandbox. Each model keeps its partition.
KEYS = {"drifty": 0, "steady": 1}
sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], checkpoint="500ms",
                         properties={"max.partition.fetch.bytes": "16384"})
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "messages.b64"), "b64lines",
                           key_partitions=KEYS)
    sandbox.command("rtt all 300")
    daemon = harness.Daemon(driftd, config)

    daemon.process.send_signal(signal.SIGHUP)
    harness.wait_for("SIGHUP in driftd's log", lambda: "SIGHUP ignored" in daemon.log_text(), timeout_s=10)
    check(daemon.process.poll() is None, "SIGHUP is logged and ignored")

    # Catching up in small fetches of 300 ms round trips: still busy when the brokers go.
    harness.wait_for("driftd to consume part of the backlog", lambda: daemon.status().get("messages", 0) >= 2000,
                     timeout_s=90)
    busy = daemon.status()["messages"]
    check(busy < sent, f"the outage starts with the backlog half read ({busy} of {sent} messages)")
    sandbox.command("down all")
    went_down = time.monotonic()
    harness.wait_for("/readyz to report the outage within 8 s", lambda: daemon.get("/readyz")[0] == 503, timeout_s=8)
    check(True, f"/readyz 503 {time.monotonic() - went_down:.1f} s into the outage")
    time.sleep(max(0.0, 20 - (time.monotonic() - went_down)))
    check(daemon.process.poll() is None and daemon.get("/healthz")[0] == 200,
          "driftd keeps running through 20 s without brokers")
    check(daemon.get("/readyz")[0] == 503, "/readyz still 503 at the end of the outage")
    sandbox.command("up all")
    sandbox.command("rtt all 0")
    daemon.wait_messages(sent, timeout_s=180)
    harness.wait_for("/readyz 200 after the outage", lambda: daemon.get("/readyz")[0] == 200, timeout_s=60)
    # A rebalance in the outage makes some messages live twice (read again
    # from the last commit): the outputs below must not show it.
    check(daemon.status()["messages"] >= sent, f"all {sent} messages processed ({daemon.status()['messages']} "
          f"counted, {daemon.status()['replayed']} replayed)")
    harness.check_published(sandbox.bootstrap, expected, "after a 20 s outage under load", broker_outages=True)

    # 5. SIGTERM with the brokers away.
    sandbox.command("down all")
    harness.wait_for("/readyz to report the second outage", lambda: daemon.get("/readyz")[0] == 503, timeout_s=15)
    code, seconds = daemon.terminate(timeout_s=40)
    check(code in (0, 3) and seconds < 25,
          f"SIGTERM during an outage: exit {code} after {seconds:.1f} s (under systemd's 30 s)")

    # 6. The Kafka thread blocked: a stream with many invalid messages and a
    # producer queue of 20, so that in an outage the dead letters fill it and
    # queueing the next one waits. /readyz must not keep saying what it said
    # before, and SIGTERM must not wait for the brokers.
    sandbox.command("up all")
    second = os.path.join(work, "second")
    os.makedirs(second)
    harness.make_stream(second, "--events", "3000", "--invalid-every", "3", "--seed", "5")
    blocked_config = os.path.join(second, "driftd.yaml")
    harness.write_config(blocked_config, sandbox.bootstrap, ["drifty", "steady"], group="driftd-it-blocked",
                         properties={"queue.buffering.max.messages": "20", "max.partition.fetch.bytes": "16384"})
    harness.replace_in_file(blocked_config, "input_topics: [ml.events]", "input_topics: [ml.events.blocked]")
    sent = harness.produce(sandbox.bootstrap, "ml.events.blocked", os.path.join(second, "messages.b64"), "b64lines",
                           key_partitions=KEYS)
    sandbox.command("rtt all 300")
    daemon = harness.Daemon(driftd, blocked_config, name="driftd-blocked")
    harness.wait_for("the second driftd to be ready", lambda: daemon.get("/readyz")[0] == 200, timeout_s=60)
    harness.wait_for("it to consume", lambda: daemon.status().get("messages", 0) >= 300, timeout_s=60)
    sandbox.command("down all")
    went_down = time.monotonic()
    harness.wait_for("/readyz to report the outage while the Kafka thread waits for room",
                     lambda: daemon.get("/readyz")[0] == 503, timeout_s=15)
    check(True, f"/readyz 503 {time.monotonic() - went_down:.1f} s into the outage, the producer's queue full")
    code, seconds = daemon.terminate(timeout_s=40)
    check(code in (0, 3) and seconds < 10,
          f"SIGTERM with the Kafka thread waiting for room: exit {code} after {seconds:.1f} s")
finally:
    harness.teardown(sandbox)
print("PASS")
