"""Processes and probes shared by the Kafka integration tests: the sandbox,
driftd daemons, kafka_io.py as the independent client, HTTP scrapes.

Everything runs for real over TCP on loopback. Waits poll an observable
condition with a deadline; none sleeps a fixed time in the hope that
something happened.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
KAFKA_IO = os.path.join(HERE, "kafka_io.py")
PYTHON = "/usr/bin/python3"

# Group timing on the mock (include/driftd/README.md, "driftd kafka-sandbox"): rebalances wait session.timeout.ms - 1 s.
TEST_KAFKA_PROPERTIES = {"session.timeout.ms": "6000", "heartbeat.interval.ms": "500"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


def wait_for(what, probe, timeout_s=60, every_s=0.2):
    """Polls probe() until it returns a truthy value; fails the test after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            fail(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(every_s)


class Sandbox:
    def __init__(self, driftd, topics, brokers=1):
        self.process = subprocess.Popen([driftd, "kafka-sandbox", "--brokers", str(brokers), "--topics", topics],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self.bootstrap = self.process.stdout.readline().strip()
        if not self.bootstrap:
            fail("kafka-sandbox printed no bootstrap address")

    def command(self, line):
        """A fault-injection command (`down all`, `rtt 1 200`, ...); fails the test unless it is applied."""
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != "ok " + line:
            fail(f"kafka-sandbox refused '{line}': {answer}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)


def produce(bootstrap, topic, path, input_format="jsonl", partitions_by_key=True, key_partitions=None):
    """kafka_io.py produce; with partitions_by_key each key gets its own
    partition, in order of first appearance unless key_partitions {key: p}
    fixes it (a model must stay on one partition across several calls)."""
    command = [PYTHON, KAFKA_IO, "produce", "--bootstrap", bootstrap, "--topic", topic, "--input", path,
               "--input-format", input_format]
    if partitions_by_key:
        command.append("--partitions-by-key")
    if key_partitions:
        command += ["--key-partitions", ",".join(f"{k}={p}" for k, p in key_partitions.items())]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        fail(f"kafka_io.py produce: {result.stderr}")
    return int(result.stdout.split()[0])


def consume(bootstrap, topic, expect=None, idle_ms=3000, timeout_s=60, output_format="lines"):
    """Reads the topic from the beginning; returns the lines kafka_io.py printed."""
    command = [PYTHON, KAFKA_IO, "consume", "--bootstrap", bootstrap, "--topic", topic, "--idle-ms", str(idle_ms),
               "--timeout-s", str(timeout_s), "--output-format", output_format]
    if expect is not None:
        command += ["--expect", str(expect)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s + 30)
    if result.returncode != 0:
        fail(f"kafka_io.py consume {topic}: {result.stderr}")
    return [line for line in result.stdout.split("\n") if line]


def published(bootstrap):
    """Every alert and retrain trigger on their topics, read until quiet."""
    return (consume(bootstrap, "ml.drift.alerts", idle_ms=3000, timeout_s=30) +
            consume(bootstrap, "ml.retrain.triggers", idle_ms=3000, timeout_s=30))


def published_records(bootstrap):
    """Every alert and retrain trigger with its topic, partition and offset."""
    out = []
    for topic in ("ml.drift.alerts", "ml.retrain.triggers"):
        for line in consume(bootstrap, topic, idle_ms=3000, timeout_s=30, output_format="json"):
            record = json.loads(line)
            out.append((topic, record["partition"], record["offset"], record["value"]))
    return out


def retried_batches(records):
    """The later copies among `records` when every run of them, per
    partition, repeats in order the run of messages right before it: what a
    producer's retry appends when the broker had appended its in-flight
    batches but the answers were lost. None when some copy is not of that
    shape."""
    copies = []
    by_partition = {}
    for topic, partition, offset, value in sorted(records):
        by_partition.setdefault((topic, partition), []).append((offset, value))
    for log in by_partition.values():
        first = {}
        later = []  # (offset of the copy, offset of the original)
        for offset, value in log:
            if value in first:
                later.append((offset, first[value]))
            else:
                first[value] = offset
        runs = []  # [[copy offset, original offset], ...] of consecutive copies
        for copy, original in later:
            if runs and copy == runs[-1][-1][0] + 1:
                runs[-1].append((copy, original))
            else:
                runs.append([(copy, original)])
        for run in runs:
            start = run[0][0]
            if [original for _, original in run] != list(range(start - len(run), start)):
                return None
        copies += later
    return copies


def check_published(bootstrap, expected, when, broker_outages=False):
    """Promises on data (include/driftd/README.md): the outputs on Kafka are exactly `expected` (replay's) — none
    missing, none twice, none extra — and there is something to compare.

    With `broker_outages`, one kind of copy is the sandbox's, not driftd's:
    librdkafka 2.0.2's mock cluster checks producer sequence numbers only for
    transactional producers (rd_kafka_mock_validate_records), so a batch it
    appended while its answer, delayed by `rtt`, was lost to `down all` is
    appended again when driftd's idempotent producer retries it. A Kafka
    broker drops such a retry. Those copies — whole batches repeated in
    order — are reported and allowed; any other repeat fails."""
    records = published_records(bootstrap)
    got = [value for _, _, _, value in records]
    seen = {}
    for topic, partition, offset, value in records:
        seen.setdefault(value, []).append(f"{topic}/{partition}@{offset}")
    repeated = {value: where for value, where in seen.items() if len(where) > 1}
    detail = "".join(f"\n  twice: {where} {value[:100]}" for value, where in repeated.items())
    copies = retried_batches(records) if broker_outages and repeated else None
    if copies is not None:
        check(True, f"{when}: {len(copies)} of {len(got)} outputs are the mock's copies of retried batches" + detail)
    else:
        check(not repeated, f"{when}: no alert or trigger twice among {len(got)}" + detail)
    check(sorted(set(got)) == sorted(expected) and len(set(got)) == len(expected) and len(expected) > 0,
          f"{when}: the {len(set(got))} distinct outputs on Kafka equal replay's {len(expected)}")


def unused_address():
    """A loopback address where nobody listens: a broker that never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


def replace_in_file(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        fail(f"'{old}' not in {path}")
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def make_stream(work, *options):
    """make_stream.py's files in `work` (see its usage for the options)."""
    subprocess.run([PYTHON, os.path.join(HERE, "make_stream.py"), work, *options], check=True)


def write_config(path, bootstrap, models, group="driftd-it", dead_letter=True, checkpoint="1s", extra_models="",
                 exactly_once=False, properties=None, batch_size=None):
    """A driftd configuration over the sandbox with count windows 1000/250;
    `properties` adds librdkafka properties to the tests' own."""
    properties = "".join(f"\n    {k}: \"{v}\"" for k, v in {**TEST_KAFKA_PROPERTIES, **(properties or {})}.items())
    text = f"""kafka:
  bootstrap_servers: {bootstrap}
  group_id: {group}
  input_topics: [ml.events]
  alert_topic: ml.drift.alerts
  retrain_topic: ml.retrain.triggers
  {"dead_letter_topic: ml.events.dlq" if dead_letter else ""}
  connect_timeout: 10s
  {"exactly_once: true" if exactly_once else ""}
  {f"batch_size: {batch_size}" if batch_size else ""}
  properties:{properties}
http: {{listen: "127.0.0.1:0"}}
state: {{checkpoint_interval: {checkpoint}}}
input: {{max_bytes: 4096}}
models:
"""
    for model in models:
        text += f"""  - id: {model}
    reference: {{path: {model}.csv}}
    window: {{size: 1000, step: 250}}
    features:
      - {{name: x, type: numeric, tests: [ks, psi]}}
      - {{name: y, type: numeric, tests: [ks, psi]}}
      - {{name: c, type: categorical, tests: [chi2, psi]}}
    alerting: {{min_consecutive: 1, cooldown: 10m}}
    retrain: {{drifted_share: 0.3, cooldown: 6h}}
"""
    with open(path, "w") as f:
        f.write(text + extra_models)


class Daemon:
    """`driftd run` in the background; its stderr goes to a log file."""

    started = []  # every one, for teardown()

    def __init__(self, driftd, config, name="driftd"):
        self.log_path = tempfile.mktemp(prefix=f"{name}-", suffix=".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL,
                                        stderr=self.log)
        Daemon.started.append(self)
        self.base = "http://" + wait_for("the metrics address in driftd's log", self._address, timeout_s=30)

    def _address(self):
        if self.process.poll() is not None:
            fail(f"driftd exited with {self.process.returncode}: {self.log_text()}")
        match = re.search(r"metrics at http://([0-9.:]+)/metrics", self.log_text())
        return match.group(1) if match else None

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def get(self, path):
        """(status, body) of GET path."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except urllib.error.URLError:
            if self.process.poll() is not None:
                fail(f"driftd exited with {self.process.returncode}: ...{self.log_text()[-600:]}")
            raise

    def status(self, timeout_s=60):
        """The daemon's status, once it has started: until then /v1/status
        says {"state":"starting"} (calibrating its models takes seconds)."""
        deadline = time.monotonic() + timeout_s
        while True:
            code, body = self.get("/v1/status")
            if code != 200:
                fail(f"/v1/status answered {code}")
            status = json.loads(body)
            if status.get("state") != "starting":
                return status
            if time.monotonic() > deadline:
                fail(f"/v1/status still says starting after {timeout_s} s")
            time.sleep(0.1)

    def metrics(self):
        code, body = self.get("/metrics")
        if code != 200:
            fail(f"/metrics answered {code}")
        return body

    def metric(self, name, **labels):
        """The value of one series, or None when /metrics does not hold it."""
        return metric_value(self.metrics(), name, **labels)

    def wait_messages(self, count, timeout_s=90):
        wait_for(f"driftd to process {count} messages",
                 lambda: self.status().get("messages", 0) >= count, timeout_s=timeout_s)

    def terminate(self, timeout_s=15):
        """SIGTERM; returns the exit code and the seconds it took."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail(f"driftd did not exit within {timeout_s} s of SIGTERM")
        return code, time.monotonic() - start

    def stop(self, who="driftd"):
        """SIGTERM, and the check that it exits 0 in time; returns the seconds it took."""
        code, seconds = self.terminate()
        check(code == 0, f"{who} exits 0 on SIGTERM after {seconds:.1f} s")
        return seconds

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def teardown(sandbox):
    """Whatever happened: kills every daemon still running, then stops the sandbox."""
    for daemon in Daemon.started:
        daemon.kill()
    sandbox.stop()


def metric_value(text, name, **labels):
    for line in text.split("\n"):
        if not line.startswith(name):
            continue
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(4))
    return None


def replay(driftd, config, events):
    result = subprocess.run([driftd, "replay", "--config", config, "--input", events], capture_output=True,
                            text=True, timeout=300)
    if result.returncode != 0:
        fail(f"driftd replay: {result.stderr}")
    return [line for line in result.stdout.split("\n") if line]
