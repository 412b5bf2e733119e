#!/usr/bin/python3
"""Cross-file consistency of deploy/compose.yaml (python3-yaml).

    check_compose.py DEPLOY_DIR

`docker-compose config` checks the file's syntax; this checks that the
pieces fit together:
- every bind-mounted source exists; the driftd build context and Dockerfile
  exist; the config is mounted where the image's CMD reads it;
- deploy/config/driftd.yaml: its brokers are the kafka service's advertised
  listener, it listens on a non-loopback address, and its models take their
  reference from the stream (no file is mounted);
- kafka-init creates every topic the config names, the state topic
  compacted; the producer writes to an input topic;
- Prometheus scrapes driftd's listen port under job "driftd" and loads its
  rule files; Grafana's dashboard provider reads the directory the
  dashboards are mounted at, and its data source is the prometheus service.

Exit status 0 when every check passes.
"""

import os
import re
import sys

import yaml

from checks import check, failures, report


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def mounts(service):
    out = {}
    for v in service.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            out[parts[1]] = parts[0]
        else:
            out[v.get("target")] = v.get("source")
    return out


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    deploy = argv[1]
    compose = load(os.path.join(deploy, "compose.yaml"))
    services = compose.get("services", {})
    for name in ("kafka", "kafka-init", "driftd", "producer", "prometheus", "grafana"):
        check(name in services, f"no service {name}")
    if failures:
        return report()

    for name, svc in services.items():
        for target, source in mounts(svc).items():
            if source and source.startswith("."):
                check(os.path.exists(os.path.join(deploy, source)), f"{name}: mounted {source} does not exist")

    # driftd: build and config
    d = services["driftd"]
    ctx = os.path.normpath(os.path.join(deploy, d.get("build", {}).get("context", ".")))
    dockerfile = os.path.join(ctx, d.get("build", {}).get("dockerfile", "Dockerfile"))
    check(os.path.exists(dockerfile), f"driftd Dockerfile {dockerfile} does not exist")
    config_target = "/etc/driftd/driftd.yaml"
    if os.path.exists(dockerfile):
        text = open(dockerfile, encoding="utf-8").read()
        m = re.search(r'^CMD\s+\[.*"--config",\s*"([^"]+)"', text, re.M)
        if check(m is not None, "Dockerfile CMD has no --config"):
            config_target = m.group(1)
    dm = mounts(d)
    source = dm.get(config_target)
    if not check(source is not None, f"driftd: nothing mounted at {config_target}"):
        return report()
    config = load(os.path.join(deploy, source))

    kafka = services["kafka"].get("environment", {})
    advertised = str(kafka.get("KAFKA_ADVERTISED_LISTENERS", ""))
    internal = {a.split("://", 1)[1] for a in advertised.split(",") if "://" in a}
    brokers = str(config.get("kafka", {}).get("bootstrap_servers", "")).split(",")
    for b in brokers:
        check(b.strip() in internal, f"bootstrap server {b} is not an advertised listener of kafka ({sorted(internal)})")
    listen = str(config.get("http", {}).get("listen", ""))
    host, _, port = listen.rpartition(":")
    check(host not in ("127.0.0.1", "localhost", "::1", "[::1]"), f"http.listen {listen} is loopback inside the container")
    for model in config.get("models", []):
        check("from_stream" in model.get("reference", {}),
              f"model {model.get('id')}: reference is not from_stream (no reference file is mounted)")

    # topics
    k = config.get("kafka", {})
    topics = set(k.get("input_topics", [])) | {k.get("alert_topic"), k.get("retrain_topic")}
    if k.get("dead_letter_topic"):
        topics.add(k["dead_letter_topic"])
    init = services["kafka-init"]
    init_cmd = " ".join(init.get("command", [])) if isinstance(init.get("command"), list) else str(init.get("command"))
    for t in sorted(t for t in topics if t):
        check(re.search(r"(^|[\s;])" + re.escape(t) + r"(?=[\s;:]|$)", init_cmd) is not None,
              f"kafka-init does not create topic {t}")
    state_topic = config.get("state", {}).get("topic") or f"{k.get('group_id')}.state"
    created = re.search(r"--topic\s+" + re.escape(state_topic) + r"(\s[^;]*)", init_cmd)
    check(created is not None and "cleanup.policy=compact" in created.group(1),
          f"kafka-init does not create the state topic {state_topic} compacted")
    producer_topic = services["producer"].get("environment", {}).get("TOPIC")
    check(producer_topic in k.get("input_topics", []), f"producer writes to {producer_topic}, not an input topic")

    # Prometheus
    pm = mounts(services["prometheus"])
    prom_dir = pm.get("/etc/prometheus")
    if check(prom_dir is not None, "prometheus: deploy/prometheus is not mounted at /etc/prometheus"):
        prom = load(os.path.join(deploy, prom_dir, "prometheus.yml"))
        jobs = {j.get("job_name"): j for j in prom.get("scrape_configs", [])}
        job = jobs.get("driftd")
        if check(job is not None, "prometheus.yml has no job driftd"):
            targets = [t for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
            check(f"driftd:{port}" in targets, f"job driftd scrapes {targets}, not driftd:{port}")
        for rf in prom.get("rule_files", []):
            check(os.path.exists(os.path.join(deploy, prom_dir, rf)), f"rule file {rf} is not beside prometheus.yml")

    # Grafana
    gm = mounts(services["grafana"])
    prov = gm.get("/etc/grafana/provisioning")
    if check(prov is not None, "grafana: no provisioning mounted at /etc/grafana/provisioning"):
        dash_prov = load(os.path.join(deploy, prov, "dashboards", "driftd.yaml"))
        paths = [p.get("options", {}).get("path") for p in dash_prov.get("providers", [])]
        for p in paths:
            src = gm.get(p)
            check(src is not None and os.path.exists(os.path.join(deploy, src, "driftd.json")),
                  f"dashboard provider path {p} is not where driftd.json is mounted")
        ds = load(os.path.join(deploy, prov, "datasources", "prometheus.yaml"))
        urls = [x.get("url") for x in ds.get("datasources", [])]
        check("http://prometheus:9090" in urls, f"Grafana data sources {urls} do not include http://prometheus:9090")
        home = services["grafana"].get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
        if home:
            check(any(home.startswith(t + "/") and os.path.exists(os.path.join(deploy, s, home[len(t) + 1:]))
                      for t, s in gm.items() if s), f"home dashboard {home} is not a mounted file")

    print(f"{deploy}/compose.yaml: {len(services)} services; driftd reads {source} at {config_target}, "
          f"brokers {','.join(brokers)}, {len(config.get('models', []))} models from the stream; "
          f"{len([t for t in topics if t])} topics created; Prometheus scrapes driftd:{port}")
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
