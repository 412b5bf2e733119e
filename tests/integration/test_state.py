#!/usr/bin/python3
"""State snapshots (include/driftd/README.md, "State snapshots"), on the
embedded Kafka, whose partitions keep only ~5 MiB: the start of a long
stream really is deleted while driftd runs.

1. 10^6 events of two models (one partition each), driftd killed with
   SIGKILL three times while they arrive: the alerts and retrain triggers on
   their topics equal one `driftd replay` of the whole stream, although
   retention deleted the start of both partitions long before the end.
2. After the 10^6 events, a restart re-reads about one window per model
   (driftd_events_replayed_total), not the partitions.
3. The documented fallbacks, each logged and counted: a corrupt snapshot
   and another program's bytes under a partition's key (that partition is
   read from its start), a model whose configuration changed (it alone
   starts afresh), a state topic that does not exist (every partition from
   its start).

usage: test_state.py DRIFTD [EVENTS_PER_MODEL]
"""
import os
import random
import sys
import tempfile
import threading
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

import harness
from harness import check

driftd = sys.argv[1]
per_model = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
rng = random.Random(20261203)
work = tempfile.mkdtemp(prefix="driftd-it-state-")
harness.make_stream(work, "--events", str(per_model), "--onset", str(per_model * 7 // 10),
                    "--drift-end", str(per_model * 8 // 10), "--invalid-every", "0")
with open(os.path.join(work, "events.jsonl"), "rb") as f:
    messages = [line.rstrip(b"\n") for line in f]
PARTITION = {b"drifty": 0, b"steady": 1}
GROUP = "driftd-it-state"
STATE_TOPIC = GROUP + ".state"
WINDOW, STEP = 1000, 250  # harness.write_config's count windows


def model_of(message):
    return b"drifty" if message.startswith(b'{"model_id":"drifty"') else b"steady"


def send(producer, chunk, seconds=0.0):
    """Each model on its partition, paced over `seconds` (0: at once)."""
    start = time.monotonic()
    for i, message in enumerate(chunk):
        model = model_of(message)
        producer.send("ml.events", value=message, key=model, partition=PARTITION[model])
        if seconds and i % 1000 == 0:
            delay = start + (i + 1) * seconds / len(chunk) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    producer.flush()


def low_watermarks(bootstrap):
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, api_version=(2, 5, 0))
    try:
        parts = [TopicPartition("ml.events", p) for p in PARTITION.values()]
        return [consumer.beginning_offsets(parts)[tp] for tp in parts]
    finally:
        consumer.close()


def latest_snapshot(bootstrap, key):
    """The last value written under `key` on the state topic, and its partition."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, api_version=(2, 5, 0), auto_offset_reset="earliest",
                             consumer_timeout_ms=3000)
    try:
        consumer.assign([TopicPartition(STATE_TOPIC, p) for p in consumer.partitions_for_topic(STATE_TOPIC)])
        found = None
        for record in consumer:
            if record.key == key:
                found = (record.value, record.partition)
        return found
    finally:
        consumer.close()


def restarted(config, name):
    """A new instance, once it has its partitions and has caught up."""
    daemon = harness.Daemon(driftd, config, name=name)
    harness.wait_for(f"{name} to be ready", lambda: daemon.get("/readyz")[0] == 200, timeout_s=120)
    return daemon


def sources(status):
    return {p["partition"]: p["restore"]["source"] for p in status["partitions"]}


sandbox = harness.Sandbox(driftd, "ml.events:2,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    config = os.path.join(work, "driftd.yaml")
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], group=GROUP, checkpoint="500ms")
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    check(len(expected) > 2, f"replay of the {len(messages)} events gives {len(expected)} alerts and triggers")

    # 1. SIGKILL while the stream arrives.
    producer = KafkaProducer(bootstrap_servers=sandbox.bootstrap, api_version=(2, 5, 0), linger_ms=20,
                             batch_size=1 << 20, buffer_memory=64 << 20)
    # Each instance consumes a quarter of the stream live, then is killed
    # while a tail of it arrives; the tail (TAIL per partition, ~1.5 MB) is
    # within what the partitions keep, so the next instance finds the
    # events its snapshot needs. (Had more than the retention arrived while
    # no instance ran, no restart could be exact: those events are gone.)
    kills = 3
    tail = 30_000
    cuts = [len(messages) * k // (kills + 1) for k in range(kills + 2)]
    killed_at = []
    for k in range(kills):
        daemon = harness.Daemon(driftd, config, name=f"driftd-state-{k}")
        harness.wait_for("the daemon to join the group", lambda: daemon.status()["partitions"], timeout_s=60)
        send(producer, messages[cuts[k]:cuts[k + 1] - tail])
        sender = threading.Thread(target=send, args=(producer, messages[cuts[k + 1] - tail:cuts[k + 1]], 2.0))
        sender.start()
        time.sleep(rng.uniform(0.3, 1.5))
        killed_at.append(daemon.status()["messages"])
        daemon.kill()
        sender.join()
    check(all(n > 0 for n in killed_at),
          f"SIGKILL {kills} times, each while consuming live: after {killed_at} live messages of the instance")
    daemon = harness.Daemon(driftd, config, name="driftd-state-last")
    harness.wait_for("the daemon to join the group", lambda: daemon.status()["partitions"], timeout_s=60)
    send(producer, messages[cuts[kills]:])
    harness.wait_for("the last instance to reach the end of both partitions",
                     lambda: all(p["position"] >= per_model for p in daemon.status()["partitions"]), timeout_s=120)
    check(all(p["restore"]["source"] == "snapshot" for p in daemon.status()["partitions"]),
          "the last instance restored both partitions from snapshots whose windows the log still held")
    low = low_watermarks(sandbox.bootstrap)
    check(all(offset > 0 for offset in low),
          f"retention deleted the start of both partitions: they begin at offsets {low} of {per_model}")
    harness.check_published(sandbox.bootstrap, expected, f"after {kills} kills, over a stream whose start is gone")

    # 2. A restart after the 10^6 events re-reads about one window per model.
    daemon.stop("the last instance")
    daemon = restarted(config, "driftd-state-bounded")
    status = daemon.status()
    replayed = daemon.metric("driftd_events_replayed_total")
    check(sources(status) == {0: "snapshot", 1: "snapshot"}, f"both partitions restored from snapshots: {sources(status)}")
    check(replayed == status["replayed"] and WINDOW <= replayed <= 2 * (WINDOW + STEP),
          f"the restart re-read {replayed:.0f} messages (driftd_events_replayed_total) for 2 models with windows of "
          f"{WINDOW}, not the {len(messages)} of the stream")
    check(daemon.metric("driftd_state_restores_total", result="snapshot") == 2, "and counted two restores")
    daemon.stop("the bounded restart")

    # 3a. A corrupt snapshot (one byte flipped) and another program's bytes.
    # Written where driftd's own snapshot of the key is, so that it is the latest there.
    snapshot, where = latest_snapshot(sandbox.bootstrap, b"ml.events/1")
    snapshot = bytearray(snapshot)
    check(snapshot[:8] == b"DRIFTDSS", f"the state topic holds ml.events/1's snapshot ({len(snapshot)} bytes)")
    snapshot[len(snapshot) // 2] ^= 0x40
    producer.send(STATE_TOPIC, key=b"ml.events/1", value=bytes(snapshot), partition=where)
    producer.send(STATE_TOPIC, key=b"ml.events/0", value=b'{"not": "a driftd snapshot"}',
                  partition=latest_snapshot(sandbox.bootstrap, b"ml.events/0")[1])
    producer.flush()
    daemon = restarted(config, "driftd-state-corrupt")
    status = daemon.status()
    log = daemon.log_text()
    check(sources(status) == {0: "foreign", 1: "corrupt"}, f"each partition says why it was read from its start: "
                                                            f"{sources(status)}")
    check("ml.events/1: its snapshot is unusable: checksum mismatch (corrupt): reading it from its start" in log and
          "ml.events/0: its snapshot is unusable: not a driftd state snapshot: reading it from its start" in log,
          "and the log names the partition and the reason")
    check(daemon.metric("driftd_state_restores_total", result="corrupt") == 1 and
          daemon.metric("driftd_state_restores_total", result="foreign") == 1, "driftd_state_restores_total counts both")
    check(status["replayed"] == sum(per_model - offset for offset in low_watermarks(sandbox.bootstrap)),
          f"both partitions re-read from what retention left ({status['replayed']} messages)")
    daemon.stop("driftd after corrupt snapshots")  # writes good snapshots again

    # 3b. One model's configuration changed: it alone starts afresh.
    changed = os.path.join(work, "changed.yaml")
    harness.write_config(changed, sandbox.bootstrap, ["drifty", "steady"], group=GROUP, checkpoint="500ms")
    harness.replace_in_file(changed, "  - id: steady\n    reference: {path: steady.csv}\n    window: {size: 1000, step: 250}",
                            "  - id: steady\n    reference: {path: steady.csv}\n    window: {size: 1200, step: 300}")
    daemon = restarted(changed, "driftd-state-changed")
    log = daemon.log_text()
    check("ml.events/1: model 'steady' starts afresh: its configuration or reference changed" in log and
          "model 'drifty' starts afresh" not in log, "the changed model starts afresh, and says why; the other is restored")
    check(daemon.metric("driftd_state_models_started_fresh_total") == 1, "driftd_state_models_started_fresh_total = 1")
    check(sources(daemon.status()) == {0: "snapshot", 1: "snapshot"}, "both partitions still read from their snapshots")
    daemon.stop("driftd with a changed model")

    # 3c. No state topic at all (a new name): every partition from its start.
    missing = os.path.join(work, "missing.yaml")
    harness.write_config(missing, sandbox.bootstrap, ["drifty", "steady"], group=GROUP, checkpoint="500ms")
    harness.replace_in_file(missing, "state: {", "state: {topic: driftd-it-nothing.state, ")
    daemon = restarted(missing, "driftd-state-missing")
    check(sources(daemon.status()) == {0: "no_snapshot", 1: "no_snapshot"}, "no state topic: both from their start")
    # (The embedded Kafka creates a topic when asked for its metadata; a real
    # cluster without auto-creation says it has no such topic.)
    log = daemon.log_text()
    check("ml.events/0: no state topic driftd-it-nothing.state yet: reading it from its start" in log or
          "ml.events/0: no snapshot in driftd-it-nothing.state: reading it from its start" in log,
          "and the log says so")
    check(daemon.metric("driftd_state_restores_total", result="no_snapshot") == 2, "counted as no_snapshot")
    daemon.stop("driftd without a state topic")
finally:
    harness.teardown(sandbox)
print("PASS")
