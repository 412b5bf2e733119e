#!/usr/bin/python3
"""`driftd run` end to end on the embedded Kafka, with python3-kafka as the
independent client:

  1. a two-model stream with drift in one model and ~1 % invalid messages is
     produced; driftd consumes it;
  2. the alerts and the retrain trigger read back from their topics equal
     `driftd replay` on the same events (per model, in order);
  3. the dead-letter topic holds exactly the invalid messages, with reasons
     and source coordinates in headers;
  4. /metrics, scraped over HTTP, counts what was sent and passes
     `promtool check metrics`; /healthz and /readyz answer;
  5. SIGTERM exits 0 within seconds; a restart continues from the committed
     offsets: it processes only what was produced after the stop.

usage: test_run.py DRIFTD
"""
import base64
import collections
import json
import os
import subprocess
import sys
import tempfile

import harness
from harness import check

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-run-")
harness.make_stream(work, "--events", "6000", "--onset", "3000", "--invalid-every", "100")
config = os.path.join(work, "driftd.yaml")
invalid = json.load(open(os.path.join(work, "invalid.json")))
with open(os.path.join(work, "events.jsonl")) as f:
    events = [json.loads(line) for line in f]
per_model = collections.Counter(e["model_id"] for e in events)
total = len(events) + len(invalid)

sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"])
    expected = harness.replay(driftd, config, os.path.join(work, "events.jsonl"))
    expected_alerts = [line for line in expected if '"driftd.alert.v1"' in line]
    expected_triggers = [line for line in expected if '"driftd.retrain.v1"' in line]
    check(len(expected_alerts) > 0 and len(expected_triggers) > 0,
          f"replay gives {len(expected_alerts)} alerts and {len(expected_triggers)} retrain triggers")

    daemon = harness.Daemon(driftd, config)
    check(daemon.get("/healthz")[0] == 200, "/healthz answers 200 while driftd starts")
    sent = harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "messages.b64"), "b64lines",
                           key_partitions={"drifty": 0, "steady": 1})
    check(sent == total, f"produced {sent} messages ({len(events)} events, {len(invalid)} invalid)")
    daemon.wait_messages(total)

    # 2. Output equals replay's: same lines, and in replay's order per model.
    alerts = harness.consume(sandbox.bootstrap, "ml.drift.alerts", expect=len(expected_alerts))
    triggers = harness.consume(sandbox.bootstrap, "ml.retrain.triggers", expect=len(expected_triggers))
    for name, got, want in (("alerts", alerts, expected_alerts), ("retrain triggers", triggers, expected_triggers)):
        for model in per_model:
            mine = [line for line in got if f'"model_id":"{model}"' in line]
            theirs = [line for line in want if f'"model_id":"{model}"' in line]
            check(mine == theirs, f"{model}: the {len(mine)} {name} on Kafka equal replay's, in order")
    extra = harness.consume(sandbox.bootstrap, "ml.drift.alerts", idle_ms=2000, timeout_s=10)
    check(len(extra) == len(expected_alerts), "no alert beyond replay's")

    # 3. The dead-letter topic holds exactly the invalid messages.
    dlq = [json.loads(line) for line in
           harness.consume(sandbox.bootstrap, "ml.events.dlq", expect=len(invalid), output_format="json")]

    def raw(value):
        if value is None:
            return b""
        return base64.b64decode(value["b64"]) if isinstance(value, dict) else value.encode()

    got = sorted((raw(m["value"]), m["headers"]["driftd-error"]) for m in dlq)
    want = sorted((base64.b64decode(i["b64"]), i["reason"]) for i in invalid)
    check(got == want, f"the dead-letter topic holds the {len(invalid)} invalid messages with their reasons")
    check(all(m["headers"]["driftd-source-topic"] == "ml.events" and int(m["headers"]["driftd-source-offset"]) >= 0
              and 0 <= int(m["headers"]["driftd-source-partition"]) < 4 for m in dlq),
          "dead letters carry their source topic, partition and offset")

    # 4. Metrics over HTTP.
    harness.wait_for("the metrics to count every event",
                     lambda: daemon.metric("driftd_events_consumed_total", model="drifty") == per_model["drifty"],
                     timeout_s=10)
    text = daemon.metrics()
    for model, count in per_model.items():
        check(harness.metric_value(text, "driftd_events_consumed_total", model=model) == count,
              f"driftd_events_consumed_total{{model={model}}} = {count}")
    for reason, count in collections.Counter(i["reason"] for i in invalid).items():
        check(harness.metric_value(text, "driftd_events_invalid_total", reason=reason) == count,
              f"driftd_events_invalid_total{{reason={reason}}} = {count}")
    check(harness.metric_value(text, "driftd_dead_lettered_total") == len(invalid),
          f"driftd_dead_lettered_total = {len(invalid)}")
    firing = sum(1 for line in expected_alerts if '"state":"firing"' in line)
    counted = sum(harness.metric_value(text, "driftd_alerts_total", model=m, severity=s) or 0
                  for m in per_model for s in ("warning", "critical"))
    check(counted == firing, f"driftd_alerts_total sums to the {firing} firing alerts")
    check(harness.metric_value(text, "driftd_retrain_triggers_total", model="drifty") == len(expected_triggers),
          "driftd_retrain_triggers_total{model=drifty} counts the triggers")
    check(harness.metric_value(text, "driftd_drift_detected", model="drifty", feature="x", test="ks") == 1,
          "driftd_drift_detected{drifty,x,ks} = 1")
    check(harness.metric_value(text, "driftd_drift_detected", model="steady", feature="x", test="ks") == 0,
          "driftd_drift_detected{steady,x,ks} = 0")
    check(harness.metric_value(text, "driftd_window_events", model="steady") == 1000, "steady's window holds 1000")
    check(harness.metric_value(text, "driftd_build_info", version=daemon.status()["version"]) == 1,
          "driftd_build_info carries the version")
    lag = [harness.metric_value(text, "driftd_consumer_lag", topic="ml.events", partition=str(p)) for p in range(4)]
    check(all(v is not None for v in lag) and sum(lag) == 0, f"driftd_consumer_lag for 4 partitions, all 0: {lag}")
    promtool = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    check(promtool.returncode == 0, f"promtool check metrics passes {promtool.stdout}{promtool.stderr}")
    # Calibrated by default: each test's threshold beside its statistic, and the calibration's time.
    for model in per_model:
        for feature, test in (("x", "ks"), ("x", "psi"), ("y", "ks"), ("c", "chi2"), ("c", "psi")):
            threshold = harness.metric_value(text, "driftd_test_threshold", model=model, feature=feature, test=test)
            check(threshold is not None and threshold > 0,
                  f"driftd_test_threshold{{{model},{feature},{test}}} = {threshold}")
        seconds = harness.metric_value(text, "driftd_calibration_seconds", model=model)
        check(seconds is not None and seconds > 0, f"driftd_calibration_seconds{{{model}}} = {seconds}")
    harness.wait_for("/readyz to answer 200 once caught up", lambda: daemon.get("/readyz")[0] == 200, timeout_s=10)
    status = daemon.status()
    check([m["id"] for m in status["models"]] == ["drifty", "steady"] and
          status["models"][0]["last_evaluation"]["drifted_share"] > 0 and
          status["models"][1]["last_evaluation"]["drifted_share"] == 0 and
          status["models"][1]["last_evaluation"]["window_count"] == 1000,
          "/v1/status lists the models with their last evaluation")
    for model in status["models"]:
        calibration = model["calibration"]
        check(calibration is not None and calibration["mode"] == "calibrated" and
              calibration["false_alarm_every"] == 2500000 and calibration["unit"] == "events" and
              calibration["window_events"] == 1000 and calibration["step_events"] == 250 and
              calibration["level"] > 0 and calibration["seconds"] > 0,
              f"/v1/status: {model['id']} is calibrated for one false alarm every 2,500,000 events: {calibration}")
        tests = [(t["feature"], t["test"]) for t in calibration["tests"]]
        check(tests == [("x", "ks"), ("x", "psi"), ("y", "ks"), ("y", "psi"), ("c", "chi2"), ("c", "psi")] and
              all(t["threshold"] > 0 and 0 < t["alpha"] < 1 for t in calibration["tests"]),
              f"/v1/status: {model['id']} lists each test's threshold and probability, in order: {tests}")
        threshold = harness.metric_value(text, "driftd_test_threshold", model=model["id"], feature="x", test="ks")
        check(threshold is not None and abs(threshold - calibration["tests"][0]["threshold"]) <= 1e-12 * threshold,
              "the metric and the status show the same threshold")
    log = open(daemon.log_path).read()
    check("calibration: took " in log and "x ks: statistic >= " in log,
          "the start-up log lists each model's calibration")

    # 5. SIGTERM, then a restart continues from the committed offsets.
    daemon.stop()
    more = os.path.join(work, "more.jsonl")
    with open(more, "w") as f:
        for i in range(500):
            f.write(json.dumps({"model_id": "steady", "ts": 1763900000000 + i,
                                "features": {"x": 0.1, "y": 0.2, "c": "a"}}) + "\n")
    # steady stays on the partition it had (replay order is per partition).
    harness.produce(sandbox.bootstrap, "ml.events", more, key_partitions={"drifty": 0, "steady": 1})
    daemon = harness.Daemon(driftd, config, name="driftd-restarted")
    daemon.wait_messages(500)
    harness.wait_for("the restarted driftd to be ready", lambda: daemon.get("/readyz")[0] == 200, timeout_s=15)
    status = daemon.status()
    check(status["messages"] == 500 and status["models"][1]["events"] == 500,
          f"the restart processed only the 500 new messages (status says {status['messages']})")
    skipped = sum(p["restore"]["read_from"] or 0 for p in status["partitions"])
    check(status["replayed"] == total - skipped and 0 < status["replayed"] < total,
          f"and rebuilt its windows from {status['replayed']} of the {total} committed ones: each partition "
          f"from its snapshot's replay-from offset")
    check([p["restore"]["source"] for p in status["partitions"]] == ["snapshot"] * 4,
          "every partition's state came from its snapshot")
    # The new events make steady drift: its alerts must be exactly replay's on
    # all events, as if no restart had happened.
    with open(os.path.join(work, "all.jsonl"), "w") as f:
        f.write(open(os.path.join(work, "events.jsonl")).read() + open(more).read())
    expected = harness.replay(driftd, config, os.path.join(work, "all.jsonl"))
    check(len(expected) > len(expected_alerts) + len(expected_triggers), "the new events cause outputs of their own")
    harness.check_published(sandbox.bootstrap, expected, "after the restart, over all events")
    daemon.stop("the restarted driftd")
finally:
    harness.teardown(sandbox)
print("PASS")
