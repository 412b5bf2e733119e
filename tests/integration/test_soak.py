#!/usr/bin/python3
"""A soak of `driftd run` against hostile input and a flaky cluster (issue 13).

For SECONDS (default 180), in rounds: a chunk of valid events of three
models (two count windows, one time window) with every invalid kind mixed
in, messages of 2 MB, and events with extreme times (past year 9999, near
the largest 64-bit value, at the ends of the accepted range) is produced;
then, every other round, all brokers go down for 10-16 s while driftd is
still catching up (round trips of 200 ms slow it down). Meanwhile one
thread scrapes /metrics, /healthz and /readyz twice a second and another
holds 100 idle TCP connections to the HTTP port, re-opening those the
server closes, from another address (127.0.0.2) than the probes, as an
attacker's would be.

Checked:
  1. driftd never exits, and /healthz always answers;
  2. /readyz tells the truth within seconds: 503 within 8 s of every
     outage's start, and 200 again once the brokers are back and it has
     caught up;
  3. memory stays bounded: peak RSS of the last third within 1.5x (+32 MiB)
     of the first third's, and under 1 GiB;
  4. at the end, every message is processed and the alerts and triggers
     on Kafka equal `driftd replay`'s over the valid events: none missing,
     none twice but for the sandbox's copies of retried batches
     (harness.check_published).

usage: test_soak.py DRIFTD [SECONDS]
"""
import base64
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
import urllib.request

import harness
from harness import check

driftd = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 180.0
work = tempfile.mkdtemp(prefix="driftd-it-soak-")
config = os.path.join(work, "driftd.yaml")
rng = random.Random(20261202)

# The two count-window models' stream, with every invalid kind mixed in
# (make_stream.py), cut into rounds below.
harness.make_stream(work, "--events", "12000", "--onset", "5000", "--drift-end", "9000", "--invalid-every", "97",
                    "--seed", "17")
with open(os.path.join(work, "messages.b64")) as f:
    stream = [base64.b64decode(line) for line in f]
with open(os.path.join(work, "events.jsonl")) as f:
    valid = [line.rstrip("\n") for line in f]

LAST_TS = 253402300799999
START_TS = 1763800000000


def timed(i, ts):
    x = rng.gauss(1.0 if 3000 <= i < 5000 else 0.0, 1.0)
    return json.dumps({"model_id": "timed", "ts": ts,
                       "features": {"x": round(x, 6), "y": round(rng.gauss(0, 1), 6), "c": rng.choice("abc")}},
                      separators=(",", ":")).encode()


def junk(kind):
    """Messages routed to a partition of their own (key "junk"): huge or with impossible times."""
    if kind == "huge":
        return b'{"model_id":"junk","pad":"' + bytes(rng.choice(b"abcdef") for _ in range(64)) * 31250 + b'"}'
    ts = rng.choice([9223372036854775807, 9223372036854775000, LAST_TS + 1, -1])
    return json.dumps({"model_id": "junk", "ts": ts, "features": {"x": 1}}).encode()


rounds = max(4, int(seconds // 20))
per_round = len(stream) // rounds
timed_per_round = 400
timed_valid = []
chunks = []
for r in range(rounds):
    chunk = stream[r * per_round:(r + 1) * per_round if r < rounds - 1 else len(stream)]
    for k in range(timed_per_round):
        i = r * timed_per_round + k
        # Minutes apart, with a jump to the extremes of the range now and then.
        ts = START_TS + i * 45_000 if not (r == rounds - 1 and k >= timed_per_round - 3) else [0, LAST_TS, LAST_TS][k % 3]
        timed_valid.append(timed(i, ts))
        chunk.append(timed_valid[-1])
    chunk += [junk("huge"), junk("ts"), junk("ts")]
    chunks.append(chunk)
with open(os.path.join(work, "valid.jsonl"), "w") as f:
    f.writelines(line + "\n" for line in valid)
    f.writelines(m.decode() + "\n" for m in timed_valid)

TIMED_MODEL = """  - id: timed
    reference: {path: steady.csv}
    window: {duration: 1h, step: 10m}
    features:
      - {name: x, type: numeric, tests: [ks, psi]}
      - {name: y, type: numeric, tests: [ks]}
      - {name: c, type: categorical, tests: [chi2]}
"""
KEYS = {"drifty": 0, "steady": 1, "timed": 2, "junk": 3}

sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
stop = threading.Event()
observations = []  # (monotonic time, /readyz status or None, /healthz status or None)
rss = []  # (monotonic time, KiB)


def scrape(daemon):
    begun = time.monotonic()
    while not stop.is_set():
        ready = health = None
        try:
            ready = daemon.get("/readyz")[0]
            health = daemon.get("/healthz")[0]
            daemon.get("/metrics")
        except Exception as e:
            print(f"probe at +{time.monotonic() - begun:.1f} s: {e!r}", flush=True)
        observations.append((time.monotonic(), ready, health))
        try:
            with open(f"/proc/{daemon.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss.append((time.monotonic(), int(line.split()[1])))
        except OSError:
            pass
        time.sleep(0.5)


most_held = [0]  # the most idle connections held at once


def hold_idle_connections(port, count=100):
    held = []
    while not stop.is_set():
        held = [s for s in held if s.fileno() >= 0]
        most_held[0] = max(most_held[0], len(held))
        while len(held) < count and not stop.is_set():
            try:
                # From another address than the probes, as an attacker would be: the
                # server evicts the connections of the peer that holds the most.
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2,
                                                     source_address=("127.0.0.2", 0)))
            except OSError:
                break
        # The server closes idle connections: notice it, and open new ones.
        for s in held:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    s.close()
            except BlockingIOError:
                pass
            except OSError:
                s.close()
        time.sleep(0.5)
    for s in held:
        s.close()


try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"], extra_models=TIMED_MODEL,
                         properties={"max.partition.fetch.bytes": "65536"})
    expected = harness.replay(driftd, config, os.path.join(work, "valid.jsonl"))
    daemon = harness.Daemon(driftd, config, name="driftd-soak")
    port = int(daemon.base.rsplit(":", 1)[1])
    threads = [threading.Thread(target=scrape, args=(daemon,), daemon=True),
               threading.Thread(target=hold_idle_connections, args=(port,), daemon=True)]
    for t in threads:
        t.start()

    started = time.monotonic()
    sent = 0
    outages = []  # (down at, up at)
    for r, chunk in enumerate(chunks):
        path = os.path.join(work, f"round{r}.b64")
        with open(path, "w") as f:
            f.writelines(base64.b64encode(m).decode() + "\n" for m in chunk)
        sandbox.command("rtt all 200")
        sent += harness.produce(sandbox.bootstrap, "ml.events", path, "b64lines", key_partitions=KEYS)
        if r % 2 == 1 and r < len(chunks) - 1:
            down_for = rng.uniform(10, 16)
            sandbox.command("down all")
            outages.append([time.monotonic(), None])
            time.sleep(down_for)
            sandbox.command("up all")
            outages[-1][1] = time.monotonic()
        sandbox.command("rtt all 0")
        daemon.wait_messages(sent, timeout_s=120)
        left = started + seconds * (r + 1) / len(chunks) - time.monotonic()
        if left > 0:
            time.sleep(left)
        check(daemon.process.poll() is None, f"round {r + 1}/{len(chunks)}: driftd running, {sent} messages sent")

    harness.wait_for("/readyz 200 at the end", lambda: daemon.get("/readyz")[0] == 200, timeout_s=60)
    stop.set()
    for t in threads:
        t.join(timeout=10)

    check(most_held[0] > 64, f"{most_held[0]} idle connections held at once, more than the server's 64")
    check(all(h == 200 for _, _, h in observations),
          f"/healthz answered 200 to all {len(observations)} probes, with 100 idle connections held")
    for down, up in outages:
        during = [(t, ready) for t, ready, _ in observations if down + 8 <= t <= up]
        check(during and all(ready == 503 for _, ready in during),
              f"outage at +{down - started:.0f} s for {up - down:.0f} s: /readyz 503 from 8 s in "
              f"({len(during)} probes)")
        first_503 = next((t for t, ready, _ in observations if t >= down and ready == 503), None)
        check(first_503 is not None and first_503 - down <= 8,
              f"  first 503 after {first_503 - down if first_503 else float('nan'):.1f} s")
    third = len(rss) // 3
    first, last = max(k for _, k in rss[:third]), max(k for _, k in rss[-third:])
    check(last <= 1.5 * first + 32 * 1024 and last < 1024 * 1024,
          f"memory bounded: peak RSS {first // 1024} MiB in the first third, {last // 1024} MiB in the last")
    status = daemon.status()
    check(status["messages"] >= sent, f"all {sent} messages processed ({status['messages']} counted live, "
          f"{status['replayed']} replayed after rebalances)")
    harness.check_published(sandbox.bootstrap, expected, f"after a {time.monotonic() - started:.0f} s soak",
                            broker_outages=True)
    daemon.stop()
finally:
    stop.set()
    harness.teardown(sandbox)
print("PASS")
