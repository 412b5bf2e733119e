#!/usr/bin/python3
"""`driftd demo` (what `make demo` runs): the embedded Kafka, the synthetic
producer and the daemon in one process. The drifting model's alerts and
retrain trigger print within seconds of the onset, the steady model stays
quiet, a summary ends it, and it exits 0.

Under the sanitizers (DRIFTD_SANITIZED=1, set by CMake for such builds) the
engine runs several times slower and falls behind the producer: the demo
then runs 40 s instead of 25, and the first alert only has to come before
the end.

usage: test_demo.py DRIFTD SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

import harness
from harness import check

driftd, source = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="driftd-it-demo-")
# config/demo.yaml as shipped, on a free port so that the test runs beside anything.
with open(os.path.join(source, "config/demo.yaml")) as f:
    text = f.read()
check("http: {listen: 127.0.0.1:9108}" in text, "config/demo.yaml listens on 127.0.0.1:9108")
config = os.path.join(work, "demo.yaml")
with open(config, "w") as f:
    f.write(text.replace("127.0.0.1:9108", '"127.0.0.1:0"'))

sanitized = os.environ.get("DRIFTD_SANITIZED") == "1"
seconds = 40 if sanitized else 25
latest_first_alert = seconds - 1 if sanitized else 22
result = subprocess.run([driftd, "demo", "--seconds", str(seconds), "--config", config], capture_output=True,
                        text=True, timeout=120)
out = result.stdout
check(result.returncode == 0, f"exit 0 after {seconds} s (stderr: {result.stderr[-300:]})")
check(re.search(r"metrics +http://127\.0\.0\.1:\d+/metrics", out) is not None, "prints the metrics URL")
firing = [line for line in out.splitlines() if "FIRING" in line]
check(firing and all("fraud-v3" in line for line in firing), f"{len(firing)} alerts fire, all for fraud-v3")
first = float(re.search(r"\[\s*([0-9.]+)s\]", firing[0]).group(1))
check(15 <= first <= latest_first_alert,
      f"the first alert comes {first} s in: after the onset at ~15 s, by {latest_first_alert} s")
check("RETRAIN  fraud-v3" in out, "a retrain trigger for fraud-v3")
check("churn-v1" not in out.replace("churn-v1 stays steady", ""), "nothing for the steady churn-v1")
summary = re.search(r"summary: (\d+) messages, (\d+) invalid", out)
check(summary and int(summary.group(1)) > 40000 and int(summary.group(2)) > 0,
      f"a summary: {summary.group(0) if summary else out[-200:]}")
print("PASS")
