#!/usr/bin/python3
"""Writes the inputs of bench_calibrate.sh into WORKDIR (once; kept between runs).

The issue's model: 20 numeric features (KS+PSI), 2 categorical (chi2+PSI),
MMD over 5 numeric features; reference 50,000 rows; windows 5,000 / 1,000.
  calibrated.yaml / per_window.yaml  the same model, decided either way
  reference.csv                      50,000 rows, numbers to 17 digits (no ties)
  rounded.yaml, reference-rounded.csv  the same rows to 6 digits, as data
                                     often comes: a few hundred ties per column,
                                     so each column is calibrated on its own
                                     (src/calibrate/calibrator.h, step 1)
  tiny.jsonl                         10 events: replay's cost is then start-up
  events.jsonl                       300,000 events, a 0.3 sd shift in f0..f2
                                     from the middle on (some alerts to send)

usage: calibration_inputs.py WORKDIR
"""
import os
import sys

import numpy as np

NUMERIC, REFERENCE_ROWS, EVENTS = 20, 50_000, 300_000
LEVELS = [["a", "b", "c", "d", "e"], [f"k{i:02d}" for i in range(20)]]
WEIGHTS = [np.array([5, 3, 2, 1, 1], float), np.linspace(1, 3, 20)]


def config(mode, reference="reference.csv"):
    lines = ["models:", "  - id: bench", f"    reference: {{path: {reference}}}",
             "    window: {size: 5000, step: 1000}", "    features:"]
    lines += [f"      - {{name: f{f}, type: numeric, tests: [ks, psi]}}" for f in range(NUMERIC)]
    lines += [f"      - {{name: c{c}, type: categorical, tests: [chi2, psi]}}" for c in range(2)]
    lines += ["    multivariate:", "      - {test: mmd, features: [f0, f1, f2, f3, f4]}"]
    if mode == "per_window":
        lines += ["    alerting: {mode: per_window}"]
    return "\n".join(lines) + "\n"


def draw(random, rows):
    numeric = random.standard_normal((rows, NUMERIC))
    categories = [random.choice(len(levels), rows, p=w / w.sum()) for levels, w in zip(LEVELS, WEIGHTS)]
    return numeric, categories


def events(path, random, rows, shift_from):
    numeric, categories = draw(random, rows)
    numeric[shift_from:, :3] += 0.3
    with open(path, "w") as out:
        for i in range(rows):
            values = ",".join(f'"f{f}":{numeric[i, f]:.6g}' for f in range(NUMERIC))
            cats = ",".join(f'"c{c}":"{LEVELS[c][categories[c][i]]}"' for c in range(2))
            out.write(f'{{"model_id":"bench","ts":{1764700000000 + i},"features":{{{values},{cats}}}}}\n')


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    if os.path.exists(os.path.join(work, "events.jsonl")):
        return
    random = np.random.default_rng(20261203)
    for mode in ("calibrated", "per_window"):
        with open(os.path.join(work, f"{mode}.yaml"), "w") as f:
            f.write(config(mode))
    with open(os.path.join(work, "rounded.yaml"), "w") as f:
        f.write(config("calibrated", "reference-rounded.csv"))
    numeric, categories = draw(random, REFERENCE_ROWS)
    for name, digits in (("reference.csv", 17), ("reference-rounded.csv", 6)):
        with open(os.path.join(work, name), "w") as out:
            out.write(",".join([f"f{f}" for f in range(NUMERIC)] + ["c0", "c1"]) + "\n")
            for i in range(REFERENCE_ROWS):
                out.write(",".join([f"{v:.{digits}g}" for v in numeric[i]] +
                                   [LEVELS[c][categories[c][i]] for c in range(2)]) + "\n")
    events(os.path.join(work, "tiny.jsonl"), random, 10, 10)
    events(os.path.join(work, "events.jsonl.part"), random, EVENTS, EVENTS // 2)
    os.rename(os.path.join(work, "events.jsonl.part"), os.path.join(work, "events.jsonl"))


main()
