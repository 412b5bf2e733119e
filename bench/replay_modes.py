#!/usr/bin/python3
"""`driftd replay` as a user runs it, calibrated against per window on the
same files (bench_calibrate.sh's 2 and 3). CPU time is the child's user +
system time; wall time is noisy on a shared machine.

usage: replay_modes.py DRIFTD WORKDIR
"""
import os
import resource
import subprocess
import sys
import time

driftd, work = sys.argv[1], sys.argv[2]
ROUNDS = 3


def run(config, events, pin):
    """One replay: (wall s, CPU s, stdout lines)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    command = (["taskset", "-c", "0"] if pin else []) + [driftd, "replay", "--config", os.path.join(work, config),
                                                         "--input", os.path.join(work, events)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(result.stdout.splitlines())


def best(config, events, pin=False):
    rounds = [run(config, events, pin) for _ in range(ROUNDS)]
    return min(r[0] for r in rounds), min(r[1] for r in rounds), rounds[0][2]


events = sum(1 for _ in open(os.path.join(work, "events.jsonl")))
start = {}
for config in ("per_window.yaml", "calibrated.yaml", "rounded.yaml"):
    wall, cpu, _ = best(config, "tiny.jsonl", pin=True)
    start[config] = (wall, cpu)
    print(f"replay of 10 events, {config:16s} pinned to one core, best of {ROUNDS}: {wall:.2f} s wall, {cpu:.2f} s CPU")
print(f"calibration in the whole command: {start['calibrated.yaml'][1] - start['per_window.yaml'][1]:.2f} s CPU "
      f"(17-digit reference), {start['rounded.yaml'][1] - start['per_window.yaml'][1]:.2f} s CPU (6-digit, tied) "
      f"(target <= 2 s)")
rates = {}
for config in ("per_window.yaml", "calibrated.yaml"):
    wall, cpu, lines = best(config, "events.jsonl")
    net = cpu - start[config][1]
    rates[config] = (events / wall, events / cpu, events / net)
    print(f"replay of {events} events, {config:16s} best of {ROUNDS}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{lines} alerts+triggers; {events / wall:,.0f} events/s wall, {events / cpu:,.0f} events/s CPU, "
          f"{events / net:,.0f} events/s CPU net of start-up")
c, p = rates["calibrated.yaml"], rates["per_window.yaml"]
print(f"calibrated / per-window throughput: {c[1] / p[1]:.2f} by CPU (whole command), {c[2] / p[2]:.2f} net of "
      f"start-up, {c[0] / p[0]:.2f} by wall clock (target >= 1)")
