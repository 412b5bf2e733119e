#!/usr/bin/python3
"""Consistency checks of the Kubernetes manifests in deploy/k8s (python3-yaml).

    check_k8s.py K8S_DIR [--config-out FILE]

- kustomization.yaml lists every manifest of the directory, and only those;
- the Deployment has a `driftd` container that runs `run --config FILE`, FILE
  being a key of the ConfigMap mounted at its directory; a `metrics` port
  9108; a livenessProbe GET /healthz and a readinessProbe GET /readyz on that
  port; CPU and memory requests and limits; runs as non-root with a
  read-only root filesystem and no privilege escalation (state lives in
  Kafka: no state volume is needed);
- the configuration in the ConfigMap listens on port 9108 of a non-loopback
  address;
- the Service selects the Deployment's pods and has port `metrics` 9108
  (targetPort the container's port); it is named `driftd`, the job label
  that the alert rules and dashboard select;
- the ServiceMonitor (monitoring.coreos.com/v1) selects the Service by its
  labels and scrapes port `metrics` at /metrics;
- the PrometheusRule holds the same groups as deploy/prometheus/rules.yml.

--config-out FILE writes the driftd configuration held by the ConfigMap to
FILE, for `driftd validate`. Exit status 0 when every check passes.
"""

import os
import sys

import yaml

from checks import check, failures, report


def load(directory):
    docs = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                docs[name] = [d for d in yaml.safe_load_all(f) if d is not None]
    return docs


def one(docs, kind):
    found = [(name, d) for name, ds in docs.items() for d in ds if d.get("kind") == kind]
    check(len(found) == 1, f"expected one {kind}, found {len(found)}")
    return found[0] if found else (None, {})


def port_number(container, port):
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p.get("containerPort")
    return None


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--config-out"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    directory = argv[1]
    docs = load(directory)

    # kustomization lists every manifest
    kust = docs.pop("kustomization.yaml", [{}])[0]
    resources = kust.get("resources", [])
    check(sorted(resources) == sorted(docs), f"kustomization resources {sorted(resources)} != manifests {sorted(docs)}")

    cm_file, cm = one(docs, "ConfigMap")
    _, dep = one(docs, "Deployment")
    _, svc = one(docs, "Service")
    _, sm = one(docs, "ServiceMonitor")

    pod = dep.get("spec", {}).get("template", {})
    pod_labels = pod.get("metadata", {}).get("labels", {})
    spec = pod.get("spec", {})
    selector = dep.get("spec", {}).get("selector", {}).get("matchLabels", {})
    check(selector and selector.items() <= pod_labels.items(), "Deployment selector does not match its pod labels")

    containers = {c.get("name"): c for c in spec.get("containers", [])}
    check(len(containers) >= 2, "the Deployment should hold the model server and the driftd sidecar")
    d = containers.get("driftd")
    if not check(d is not None, "no container named driftd"):
        return report()

    # command line and configuration
    args = d.get("args", [])
    config_path = args[args.index("--config") + 1] if "--config" in args[:-1] else None
    check(args[:1] == ["run"] and config_path, f"driftd args {args} are not `run --config FILE`")
    volumes = {v.get("name"): v for v in spec.get("volumes", [])}
    mounts = {m.get("mountPath"): m for m in d.get("volumeMounts", [])}
    config_text = None
    if config_path:
        mount_dir, key = os.path.split(config_path)
        m = mounts.get(mount_dir)
        if check(m is not None, f"nothing mounted at {mount_dir}"):
            v = volumes.get(m.get("name"), {})
            check(v.get("configMap", {}).get("name") == cm.get("metadata", {}).get("name"),
                  f"{mount_dir} is not the ConfigMap {cm.get('metadata', {}).get('name')}")
            check(m.get("readOnly") is True, f"{mount_dir} should be mounted read-only")
            config_text = cm.get("data", {}).get(key)
            check(config_text is not None, f"ConfigMap has no key {key}")
    config = yaml.safe_load(config_text) if config_text else {}
    listen = str(config.get("http", {}).get("listen", ""))
    host, _, port = listen.rpartition(":")
    check(port == "9108", f"http.listen {listen!r} is not on port 9108")
    check(host not in ("127.0.0.1", "localhost", "::1", "[::1]", ""),
          f"http.listen {listen!r} is loopback: probes and Prometheus cannot reach it")
    check("dir" not in config.get("state", {}), "state.dir is gone (driftd refuses it): state lives in Kafka")

    # ports and probes
    metrics = [p for p in d.get("ports", []) if p.get("name") == "metrics"]
    check(len(metrics) == 1 and metrics[0].get("containerPort") == 9108, "driftd needs port `metrics` 9108")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = d.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path, f"{probe} path is {get.get('path')!r}, expected {path}")
        check(port_number(d, get.get("port")) == 9108, f"{probe} port {get.get('port')!r} is not 9108")

    # resources and security
    res = d.get("resources", {})
    for kind in ("requests", "limits"):
        for r in ("cpu", "memory"):
            check(r in res.get(kind, {}), f"driftd has no {kind}.{r}")
    sc, psc = d.get("securityContext", {}), spec.get("securityContext", {})
    check(sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True, "driftd may run as root")
    check(sc.get("readOnlyRootFilesystem") is True, "driftd's root filesystem is writable")
    check(sc.get("allowPrivilegeEscalation") is False, "driftd allows privilege escalation")
    check("ALL" in sc.get("capabilities", {}).get("drop", []), "driftd keeps capabilities")
    uid = sc.get("runAsUser", psc.get("runAsUser"))
    check(uid == 10001, f"runAsUser {uid!r} is not the image's driftd user 10001")

    # Service
    check(svc.get("metadata", {}).get("name") == "driftd",
          "the Service should be named driftd (the Prometheus job label the rules select)")
    svc_sel = svc.get("spec", {}).get("selector", {})
    check(svc_sel and svc_sel.items() <= pod_labels.items(), "Service selector does not match the pod labels")
    sports = [p for p in svc.get("spec", {}).get("ports", []) if p.get("name") == "metrics"]
    if check(len(sports) == 1, "Service has no port named metrics"):
        check(sports[0].get("port") == 9108, "Service port metrics is not 9108")
        check(port_number(d, sports[0].get("targetPort", 9108)) == 9108, "Service targetPort is not driftd's 9108")

    # ServiceMonitor
    check(sm.get("apiVersion") == "monitoring.coreos.com/v1", f"ServiceMonitor apiVersion {sm.get('apiVersion')!r}")
    sm_sel = sm.get("spec", {}).get("selector", {}).get("matchLabels", {})
    svc_labels = svc.get("metadata", {}).get("labels", {})
    check(sm_sel and sm_sel.items() <= svc_labels.items(), f"ServiceMonitor selector {sm_sel} does not match Service labels {svc_labels}")
    eps = sm.get("spec", {}).get("endpoints", [])
    check(any(e.get("port") == "metrics" and e.get("path", "/metrics") == "/metrics" for e in eps),
          "ServiceMonitor has no endpoint port metrics, path /metrics")

    # PrometheusRule == ../prometheus/rules.yml
    _, pr = one(docs, "PrometheusRule")
    rules_file = os.path.join(directory, "..", "prometheus", "rules.yml")
    with open(rules_file, encoding="utf-8") as f:
        rules = yaml.safe_load(f)
    check(pr.get("spec", {}).get("groups") == rules.get("groups"),
          "prometheusrule.yaml's groups differ from deploy/prometheus/rules.yml")

    if len(argv) == 4 and config_text:
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write(config_text)
    print(f"{directory}: {sum(len(v) for v in docs.values())} objects in {len(docs)} manifests "
          f"(+ kustomization.yaml); driftd probes /healthz /readyz on 9108, config {config_path} "
          f"from ConfigMap in {cm_file}")
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
