#!/usr/bin/python3
"""Detection delay, calibrated (false_alarm_every 10,000,000) against per
window (detectors/README.md: "Calibrated decisions" against "The decision"), on streams with a shift injected.

A model of 4 numeric features (KS+PSI), one categorical with 5 levels
(chi2+PSI) and MMD over x0+x1; windows 1,000 / 250; reference 20,000 rows
(20x the window). Each stream: ONSET events from the reference's
distribution, then AFTER events shifted one way:
  mean 0.2 sd, mean 0.5 sd   x0's mean
  variance                   x0's sd x 1.5
  category share x2          level a from 20 % to 40 % (the others scaled down)
  correlation only           x0 and x1 from independent to correlation 0.6,
                             each still N(0, 1): only MMD can see it
The delay is the events from the onset to the end of the first window with
a firing alert on a feature the shift touches (x0, or x0+x1's MMD; cat for
the category; x0+x1 for the correlation); alerts on the others after the
onset, and every alert before it, are false alarms, counted apart.
SEEDS streams (and references) per shift; the median delay is printed.

usage: detection_delay.py DRIFTD WORKDIR
"""
import json
import os
import statistics
import subprocess
import sys

import numpy as np

driftd, work = sys.argv[1], sys.argv[2]
REFERENCE, ONSET, AFTER, SEEDS = 20_000, 10_000, 20_000, 3
T0 = 1_764_700_000_000
SHIFTS = ["mean 0.2 sd", "mean 0.5 sd", "variance x1.5 (sd)", "category share x2", "correlation only (0 to 0.6)"]
LEVELS = ["a", "b", "c", "d", "e"]
SHARES = np.array([0.2, 0.3, 0.2, 0.2, 0.1])


def draw(random, rows, shift=None):
    x = random.standard_normal((rows, 4))
    shares = SHARES
    if shift == SHIFTS[0]:
        x[:, 0] += 0.2
    elif shift == SHIFTS[1]:
        x[:, 0] += 0.5
    elif shift == SHIFTS[2]:
        x[:, 0] *= 1.5
    elif shift == SHIFTS[3]:
        shares = np.concatenate([[0.4], SHARES[1:] * 0.6 / SHARES[1:].sum()])
    elif shift == SHIFTS[4]:
        x[:, 1] = 0.6 * x[:, 0] + 0.8 * x[:, 1]
    return x, random.choice(len(LEVELS), rows, p=shares)


def config(mode):
    alerting = "{mode: per_window}" if mode == "per_window" else "{false_alarm_every: 10000000}"
    features = "".join(f"      - {{name: x{f}, type: numeric, tests: [ks, psi]}}\n" for f in range(4))
    return ("models:\n  - id: delay\n    reference: {path: reference.csv}\n    window: {size: 1000, step: 250}\n"
            "    features:\n" + features + "      - {name: cat, type: categorical, tests: [chi2, psi]}\n"
            "    multivariate:\n      - {test: mmd, features: [x0, x1]}\n"
            f"    alerting: {alerting}\n")


def write_inputs(directory, seed, shift):
    random = np.random.default_rng([20261203, seed, SHIFTS.index(shift)])
    os.makedirs(directory, exist_ok=True)
    x, cat = draw(random, REFERENCE)
    with open(os.path.join(directory, "reference.csv"), "w") as out:
        out.write("x0,x1,x2,x3,cat\n")
        for i in range(REFERENCE):
            out.write(",".join(repr(float(v)) for v in x[i]) + f",{LEVELS[cat[i]]}\n")
    before, before_cat = draw(random, ONSET)
    after, after_cat = draw(random, AFTER, shift)
    x, cat = np.vstack([before, after]), np.concatenate([before_cat, after_cat])
    with open(os.path.join(directory, "events.jsonl"), "w") as out:
        for i in range(len(x)):
            values = ",".join(f'"x{f}":{float(x[i, f])!r}' for f in range(4))
            out.write(f'{{"model_id":"delay","ts":{T0 + i + 1},"features":{{{values},"cat":"{LEVELS[cat[i]]}"}}}}\n')
    for mode in ("calibrated", "per_window"):
        with open(os.path.join(directory, f"{mode}.yaml"), "w") as f:
            f.write(config(mode))


SEES = {SHIFTS[0]: {"x0", "x0+x1"}, SHIFTS[1]: {"x0", "x0+x1"}, SHIFTS[2]: {"x0", "x0+x1"}, SHIFTS[3]: {"cat"},
        SHIFTS[4]: {"x0+x1"}}


def replay(directory, mode, shift):
    """(delay in events or None, false alarms before the onset, after it, the first detection's feature/test)."""
    out = subprocess.run([driftd, "replay", "--config", os.path.join(directory, f"{mode}.yaml"), "--input",
                          os.path.join(directory, "events.jsonl")], capture_output=True, text=True, check=True).stdout
    before, after, delay, which = 0, 0, None, None
    for line in out.splitlines():
        alert = json.loads(line)
        if alert.get("state") != "firing":
            continue
        end = alert["window"]["end_ts"] - T0  # the window's last event, 1-based
        if end <= ONSET:
            before += 1
        elif alert["feature"] not in SEES[shift]:
            after += 1
        elif delay is None:
            delay, which = end - ONSET, f"{alert['feature']}/{alert['test']}"
    return delay, before, after, which


def main():
    print(f"{'shift':30s} {'calibrated delay (events)':>34s} {'per-window delay (events)':>34s}")
    for shift in SHIFTS:
        results = {"calibrated": [], "per_window": []}
        for seed in range(SEEDS):
            directory = os.path.join(work, f"{SHIFTS.index(shift)}-{seed}")
            if not os.path.exists(os.path.join(directory, "per_window.yaml")):
                write_inputs(directory, seed, shift)
            for mode in results:
                results[mode].append(replay(directory, mode, shift))
        cells = []
        for mode in ("calibrated", "per_window"):
            delays = [r[0] for r in results[mode] if r[0] is not None]
            missed = sum(r[0] is None for r in results[mode])
            before = sum(r[1] for r in results[mode])
            after = sum(r[2] for r in results[mode])
            first = {r[3] for r in results[mode] if r[3]}
            median = f"{statistics.median(delays):.0f}" if delays else "-"
            cells.append(f"{median} [{','.join(str(d) for d in delays)}] missed {missed}, FA {before}+{after}"
                         f" (first: {', '.join(sorted(first))})")
        print(f"{shift:30s} | {cells[0]} | {cells[1]}", flush=True)
    print(f"(median over {SEEDS} seeds [each]; missed: not detected within {AFTER} events after the onset; "
          f"FA: false alarms, before the onset ({ONSET} events per seed) + after it on features the shift leaves "
          f"alone ({AFTER} events); first: the tests that detected first)")


main()
