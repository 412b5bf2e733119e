#!/usr/bin/python3
"""deploy/ against a real Prometheus: `driftd kafka-sandbox`, a producer with
drift, `driftd run`, and Debian's `prometheus` scraping driftd on loopback
with deploy/prometheus/ as shipped (only the target address rewritten).
Once drift has fired, every PromQL expression of the Grafana dashboard and
of every rule is evaluated through Prometheus' HTTP API and must return
data, and the feature-drift alert must be firing.

usage: test_live_prometheus.py DRIFTD SOURCE_DIR
"""
import json
import os
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
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"])
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
