#!/usr/bin/python3
"""deploy/ against a real Prometheus: `driftd kafka-sandbox`, a producer with
drift, `driftd run`, and Debian's `prometheus` scraping driftd on loopback
with deploy/prometheus/ as shipped (only the target address rewritten).
Once drift has fired, every PromQL expression of the Grafana dashboard and
of every rule is evaluated through Prometheus' HTTP API and must return
data, and the feature-drift alert must be firing. A third model has labels
(in its events, and as feedback joined by event_id), so that the ground-truth
panels and rules have data too; its metrics and its `labels` in /v1/status
are checked against what was sent.

usage: test_live_prometheus.py DRIFTD SOURCE_DIR
"""
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402
from harness import check  # noqa: E402

import yaml  # noqa: E402  (Debian's python3-yaml)

driftd, source = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="driftd-deploy-")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query(base, expr):
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        harness.fail(f"Prometheus rejected {expr!r}: {body}")
    return body["data"]["result"]


def dashboard_expressions():
    with open(os.path.join(source, "deploy/grafana/dashboards/driftd.json")) as f:
        dashboard = json.load(f)
    panels = []
    for panel in dashboard["panels"]:
        panels += panel.get("panels", []) + [panel]  # rows may nest panels
    exprs = []
    for panel in panels:
        for target in panel.get("targets", []):
            # Grafana's variables as a user who picked "All" would have them.
            expr = target["expr"].replace("$model", ".*").replace("${model}", ".*")
            expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m")
            exprs.append((panel["title"], expr))
    return exprs


def rules():
    with open(os.path.join(source, "deploy/prometheus/rules.yml")) as f:
        groups = yaml.safe_load(f)["groups"]
    return [rule for group in groups for rule in group["rules"]]


LABELLED = 300  # predictions of the model with labels
FEEDBACK_DELAY = 5  # events between a prediction and its feedback label
UNMATCHED = 3


def write_labelled(directory):
    """The model with labels: its reference (with its own predictions and
    labels, 90 % right) and its events. Odd events carry their label; even
    ones an event_id, labelled by a feedback event FEEDBACK_DELAY events
    later; UNMATCHED feedback events label no prediction. Returns its
    configuration."""
    rng = random.Random(7)

    def labelled(x):
        prediction = int(x > 0)
        return prediction, prediction if rng.random() < 0.9 else 1 - prediction

    with open(os.path.join(directory, "labelled.csv"), "w") as f:
        f.write("x,prediction,label\n")
        for _ in range(2000):
            x = rng.gauss(0, 1)
            f.write("%r,%d,%d\n" % ((x,) + labelled(x)))
    start, lines, feedback = 1763800000000, [], []
    for i in range(LABELLED):
        x = rng.gauss(0, 1)
        prediction, label = labelled(x)
        event = {"model_id": "labelled", "ts": start + i * 1000, "features": {"x": x}, "prediction": prediction}
        if i % 2:
            event["label"] = label
        else:
            event["event_id"] = f"p{i}"
            feedback.append((i, label))
        lines.append(event)
        while feedback and (feedback[0][0] + FEEDBACK_DELAY <= i or i == LABELLED - 1):
            j, value = feedback.pop(0)
            lines.append({"model_id": "labelled", "ts": start + max(i, j + FEEDBACK_DELAY) * 1000,
                          "event_id": f"p{j}", "label": value})
        if i < UNMATCHED:
            lines.append({"model_id": "labelled", "ts": start + i * 1000, "event_id": f"nobody{i}", "label": 1})
    with open(os.path.join(directory, "labelled.jsonl"), "w") as f:
        f.writelines(json.dumps(line) + "\n" for line in lines)
    return """  - id: labelled
    reference: {path: labelled.csv}
    window: {size: 1000, step: 250}
    features:
      - {name: x, type: numeric, tests: [ks]}
    labels:
      positive_class: 1
      window: {size: 100, step: 50}
      max_drop: 0.2
      detectors: [ddm]
"""


# An alert rule's condition is usually "data compared with a threshold", and
# is empty whenever the system is healthy; its data part must never be.
COMPARISON = re.compile(r"\s*(==|!=|>=|<=|>|<)\s*[0-9.e+-]+\s*$")

sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
daemon = prometheus = None
try:
    subprocess.run([harness.PYTHON, os.path.join(source, "tests/integration/make_stream.py"), work, "--events", "6000",
                    "--onset", "2000", "--invalid-every", "200"], check=True)
    with open(os.path.join(work, "messages.b64")) as f:
        lines = f.readlines()
    for name, part in (("first.b64", lines[: len(lines) // 2]), ("second.b64", lines[len(lines) // 2:])):
        with open(os.path.join(work, name), "w") as f:
            f.writelines(part)
    config = os.path.join(work, "driftd.yaml")
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], extra_models=write_labelled(work))
    daemon = harness.Daemon(driftd, config)
    target = daemon.base[len("http://"):]

    # deploy/prometheus as shipped; only the scrape target is rewritten.
    prom_dir = os.path.join(work, "prometheus")
    shutil.copytree(os.path.join(source, "deploy/prometheus"), prom_dir)
    prom_config = os.path.join(prom_dir, "prometheus.yml")
    with open(prom_config) as f:
        text = f.read()
    check("driftd:9108" in text, "deploy/prometheus/prometheus.yml scrapes driftd:9108")
    with open(prom_config, "w") as f:
        f.write(text.replace("driftd:9108", target))
    port = free_port()
    prometheus = subprocess.Popen(["prometheus", f"--config.file={prom_config}",
                                   f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
                                   f"--web.listen-address=127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "w"))
    base = f"http://127.0.0.1:{port}"

    def scraped():
        try:
            return [r for r in query(base, 'up{job="driftd"}') if r["value"][1] == "1"]
        except OSError:
            return None

    harness.wait_for("Prometheus to scrape driftd", scraped, timeout_s=60, every_s=0.5)
    check(True, f"Prometheus scrapes driftd at {target}")

    # Events keep arriving across scrapes, so that rates are not all zero.
    harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "first.b64"), "b64lines")
    harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "labelled.jsonl"),
                    key_partitions={"labelled": 2})
    harness.wait_for("a scrape after the first half", lambda: query(base, "driftd_events_consumed_total > 0"),
                     timeout_s=60, every_s=0.5)
    harness.produce(sandbox.bootstrap, "ml.events", os.path.join(work, "second.b64"), "b64lines")
    harness.wait_for("the feature-drift alert to fire",
                     lambda: query(base, 'ALERTS{alertname="DriftdFeatureDrift",alertstate="firing"}'),
                     timeout_s=120, every_s=1)
    firing = query(base, 'ALERTS{alertname="DriftdFeatureDrift",alertstate="firing"}')
    check(all(r["metric"]["model"] == "drifty" for r in firing),
          f"DriftdFeatureDrift fires, for drifty only: {[r['metric'].get('feature') for r in firing]}")
    # Two scrapes after the second half, so that every rate has its samples.
    first = float(query(base, "timestamp(up{job='driftd'})")[0]["value"][1])
    harness.wait_for("two more scrapes", lambda: float(query(base, "timestamp(up{job='driftd'})")[0]["value"][1])
                     >= first + 30, timeout_s=60, every_s=1)

    # The model with labels, over HTTP: its metrics and its status.
    text = daemon.metrics()
    half = LABELLED // 2
    for outcome, count in (("in_event", half), ("joined", half), ("unmatched", UNMATCHED), ("late", 0),
                           ("expired", 0), ("no_prediction", 0)):
        got = harness.metric_value(text, "driftd_labels_total", model="labelled", outcome=outcome)
        check(got == count, f"driftd_labels_total{{labelled,{outcome}}} = {got}, expected {count}")
    check(harness.metric_value(text, "driftd_labels_pending", model="labelled") == 0, "no prediction waits")
    check(harness.metric_value(text, "driftd_label_lag_seconds", model="labelled") == FEEDBACK_DELAY,
          f"driftd_label_lag_seconds{{labelled}} = {FEEDBACK_DELAY}")
    accuracy = harness.metric_value(text, "driftd_model_performance", model="labelled", metric="accuracy")
    check(accuracy is not None and 0.7 < accuracy <= 1, f"driftd_model_performance{{labelled,accuracy}} = {accuracy}")
    reference = harness.metric_value(text, "driftd_reference_performance", model="labelled", metric="accuracy")
    check(reference is not None and 0.85 < reference < 0.95,
          f"driftd_reference_performance{{labelled,accuracy}} = {reference}")
    for test in ("performance", "ddm"):
        check(harness.metric_value(text, "driftd_drift_detected", model="labelled", feature="label", test=test)
              is not None, f"driftd_drift_detected{{labelled,label,{test}}} exists")
    status = {m["id"]: m for m in daemon.status()["models"]}
    labels = status["labelled"].get("labels")
    check(labels is not None and "labels" not in status["drifty"], "/v1/status: labels for the model with labels only")
    check(labels["counts"]["joined"] == half and labels["counts"]["unmatched"] == UNMATCHED and
          labels["labelled"] == LABELLED and labels["pending"] == 0 and labels["coverage"] == 1 and
          labels["last_lag_ms"] == FEEDBACK_DELAY * 1000 and labels["last_window"]["window_count"] == 100 and
          abs(labels["performance"]["accuracy"] - accuracy) < 1e-9 and
          abs(labels["reference_performance"]["accuracy"] - reference) < 1e-9 and
          status["labelled"]["last_evaluation"] is None,
          f"/v1/status: the labelled model's labels agree with what was sent and with the metrics: {labels}")

    for title, expr in dashboard_expressions():
        check(len(query(base, expr)) > 0, f"dashboard panel '{title}': {expr}")
    for rule in rules():
        name = rule.get("alert") or rule.get("record")
        expr = " ".join(rule["expr"].split())
        query(base, expr)  # the whole condition must be valid PromQL
        data = COMPARISON.sub("", expr)
        check(len(query(base, data)) > 0, f"rule {name}: {data}")
finally:
    if prometheus:
        prometheus.terminate()
        prometheus.wait(timeout=10)
    if daemon:
        daemon.kill()
    sandbox.stop()
print("PASS")
