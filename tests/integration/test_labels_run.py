#!/usr/bin/python3
"""Ground truth through `driftd run` on the embedded Kafka, with python3-kafka
as the independent client: a classifier whose concept drifts half way while
its features stay put, labels inline and from feedback events (some late,
one orphan, one repeated).

  1. the alerts and the retrain trigger on Kafka equal `driftd replay` on the
     same events, and they are the label's (performance and detectors), none
     before the change;
  2. /metrics counts the labels by outcome exactly, and shows the model's
     performance and the reference's;
  3. SIGKILL half way (after a checkpoint), a restart, the rest of the
     stream: the outputs on Kafka are still exactly replay's, none missing,
     none twice (the labelled window, the waiting predictions and the
     detectors came back from the state snapshot).

usage: test_labels_run.py DRIFTD
"""
import json
import os
import random
import sys
import tempfile
import time

import harness
from harness import check

EVENTS = 8000
ONSET = 4000          # from here the label follows x - y instead of x + y
FEEDBACK_DELAY = 30   # feedback events come this many events after their prediction
START_TS = 1763800000000


def truth(rng, x, y, drifted):
    positive = (x - y > 0) if drifted else (x + y > 0)
    return int(positive != (rng.random() < 0.05))


def write_reference(path, rng):
    with open(path, "w") as f:
        f.write("x,y,prediction,label\n")
        for _ in range(20000):
            x, y = rng.gauss(0, 1), rng.gauss(0, 1)
            f.write(f"{x:.6f},{y:.6f},{int(x + y > 0)},{truth(rng, x, y, False)}\n")


def stream(rng):
    """The messages in order: predictions, a third with their label, the
    rest labelled by feedback events FEEDBACK_DELAY events later; one in
    500 of those only 4000 events (over an hour of event time) later, when
    its prediction has expired; an orphan and a repeated label."""
    out, waiting, slow = [], [], []
    for i in range(EVENTS):
        ts = START_TS + i * 1000
        x, y = rng.gauss(0, 1), rng.gauss(0, 1)
        event = {"model_id": "graded", "ts": ts, "features": {"x": round(x, 6), "y": round(y, 6)},
                 "prediction": int(x + y > 0)}
        label = truth(rng, x, y, i >= ONSET)
        if i % 3 == 0:
            event["label"] = label
        else:
            event["event_id"] = f"e{i}"
            (slow if i % 500 == 1 else waiting).append((i, label))
        out.append(event)
        for queue, delay in ((waiting, FEEDBACK_DELAY), (slow, 4000)):
            while queue and queue[0][0] + delay <= i:
                j, value = queue.pop(0)
                out.append({"model_id": "graded", "ts": ts, "event_id": f"e{j}", "label": value})
                if j == 101:
                    out.append({"model_id": "graded", "ts": ts, "event_id": "e101", "label": value})
        if i == 200:
            out.append({"model_id": "graded", "ts": ts, "event_id": "nobody", "label": 1})
    return out


MODEL = """  - id: graded
    reference: {path: graded.csv}
    window: {size: 1000, step: 250}
    features:
      - {name: x, type: numeric, tests: [ks]}
      - {name: y, type: numeric, tests: [ks]}
    alerting: {mode: per_window, min_consecutive: 2, cooldown: 10m}
    retrain: {drifted_share: 0.5, cooldown: 6h}
    labels:
      positive_class: 1
      window: {size: 500, step: 250}
      max_drop: 0.1
      detectors: [adwin, page_hinkley, hddm_a]
"""


def write_jsonl(path, messages):
    with open(path, "w") as f:
        for m in messages:
            f.write(json.dumps(m, separators=(",", ":")) + "\n")


driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-labels-")
rng = random.Random(20261203)
write_reference(os.path.join(work, "graded.csv"), rng)
messages = stream(rng)
half = len(messages) // 2
write_jsonl(os.path.join(work, "events.jsonl"), messages)
write_jsonl(os.path.join(work, "first.jsonl"), messages[:half])
write_jsonl(os.path.join(work, "second.jsonl"), messages[half:])
config = os.path.join(work, "driftd.yaml")

sandbox = harness.Sandbox(driftd, "ml.events:1,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, [], extra_models=MODEL)
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    alerts = [json.loads(line) for line in expected if '"driftd.alert.v1"' in line]
    onset_ts = START_TS + ONSET * 1000
    check(len(alerts) > 0 and all(a["feature"] == "label" for a in alerts),
          f"replay: {len(alerts)} alerts, all of them the label's (no feature moved)")
    check(all(a["evaluated_at"] >= onset_ts for a in alerts), "replay: none before the concept changes")
    check({"performance", "adwin"} <= {a["test"] for a in alerts if a["state"] == "firing"},
          "replay: the performance test and ADWIN fire")
    check(sum('"driftd.retrain.v1"' in line for line in expected) == 1, "replay: one retrain trigger")

    # 1. The first half, uninterrupted; 3. then SIGKILL after a checkpoint.
    daemon = harness.Daemon(driftd, config)
    harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "first.jsonl"), key_partitions={"graded": 0})
    daemon.wait_messages(half)
    in_event = sum(1 for m in messages[:half] if "label" in m and "features" in m)
    feedback = sum(1 for m in messages[:half] if "features" not in m)
    harness.wait_for(f"driftd_labels_total{{outcome=in_event}} to reach {in_event}",
                     lambda: daemon.metric("driftd_labels_total", model="graded", outcome="in_event") == in_event,
                     timeout_s=15)
    text = daemon.metrics()
    outcome = {name: harness.metric_value(text, "driftd_labels_total", model="graded", outcome=name)
               for name in ("joined", "unmatched", "duplicate", "late", "expired")}
    check(outcome["joined"] + outcome["unmatched"] + outcome["duplicate"] + outcome["late"] == feedback,
          f"the labels by outcome {outcome} add up to the {feedback} feedback events")
    # The slow labels of the first half: those sent in it find their prediction expired.
    slow_sent = sum(1 for m in messages[:half]
                    if "features" not in m and m["event_id"] != "nobody" and int(m["event_id"][1:]) % 500 == 1)
    check(outcome["unmatched"] == 1 + slow_sent and outcome["expired"] >= slow_sent and outcome["late"] == 0,
          f"the orphan and the {slow_sent} labels that came after their prediction expired are unmatched")
    check(harness.metric_value(text, "driftd_reference_performance", model="graded", metric="accuracy") is not None,
          "driftd_reference_performance{metric=accuracy} is exported")
    accuracy = harness.metric_value(text, "driftd_model_performance", model="graded", metric="accuracy")
    check(accuracy is not None and accuracy > 0.9, f"driftd_model_performance{{metric=accuracy}} = {accuracy} before the change")
    # Checkpoints every second: the next instance starts from a snapshot.
    time.sleep(2.5)
    daemon.kill()

    restarted = harness.Daemon(driftd, config, name="driftd-restarted")
    harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "second.jsonl"), key_partitions={"graded": 0})
    harness.wait_for("the restarted instance to reach the end of the partition",
                     lambda: all(p["position"] >= len(messages) for p in restarted.status()["partitions"]),
                     timeout_s=120)
    check(all(p["restore"]["source"] == "snapshot" for p in restarted.status()["partitions"]),
          "the restarted instance restored its partition from a snapshot")
    harness.check_published(sandbox.bootstrap, expected, "after SIGKILL and a restart")
    accuracy = restarted.metric("driftd_model_performance", model="graded", metric="accuracy")
    check(accuracy is not None and accuracy < 0.7, f"driftd_model_performance{{metric=accuracy}} = {accuracy} after it")
    restarted.stop()
finally:
    harness.teardown(sandbox)
print("ok")
