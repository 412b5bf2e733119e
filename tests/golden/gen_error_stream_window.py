#!/usr/bin/python3
"""Golden fixtures for the window and change-detection concept-drift
detectors (adwin, page_hinkley), computed by Frouros itself. Run with
Debian's /usr/bin/python3 (numpy and scipy from Debian are enough):

    FROUROS_SRC=/tmp/frouros-src /usr/bin/python3 tests/golden/gen_error_stream_window.py

FROUROS_SRC is an unpacked Frouros source tree (default /tmp/frouros-src),
for instance from the mirrored repository:

    mkdir /tmp/frouros-src && git --git-dir=/work/.mirror/IFCA-Advanced-Computing+frouros/repo \
        archive HEAD | tar x -C /tmp/frouros-src

Frouros imports tqdm for progress bars that these detectors never draw; if
tqdm is not installed, a stand-in is put in its place.

FROUROS_GIT_DIR (default that mirror) names the git directory whose HEAD is
recorded as the Frouros commit in "generator".

The streams are described by parameters (error_streams.py) and regenerated
bit for bit by tests/unit/error_stream_sample.h. The protocol, identical in
tests/unit/test_error_stream_window.cc: feed the values in order; after each
update read the status (drift > warning > in_control); record a
[step, status] pair whenever it differs from the previous status (step is
the 0-based index in the stream); on drift call reset(), as driftd's engine
does once it has taken a drift, and count the status as in_control again.
statistic_at holds [step, statistic] after the update of that step (and
the reset, if it drifted) every 500 steps and at the last step;
statistic_at_drift holds [step, statistic] right after each drifting update,
before the reset (for ADWIN the window it had already cut: the only view the
protocol gives of how ADWIN drops its oldest buckets on a change).

adwin_without_reset: ADWIN with other parameters and no reset at all, its
width every 100 steps and the first step it reported drift (null if none):
how the window goes on after a cut.
"""
import json
import os
import subprocess
import sys

FROUROS_SRC = os.environ.get("FROUROS_SRC", "/tmp/frouros-src")
FROUROS_GIT_DIR = os.environ.get("FROUROS_GIT_DIR",
                                 "/work/.mirror/IFCA-Advanced-Computing+frouros/repo")
sys.path.insert(0, FROUROS_SRC)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

try:
    import tqdm  # noqa: F401  (frouros.utils.stats imports it for progress bars only)
except ImportError:
    # Debian has no python3-tqdm installed here; the detectors used below
    # never draw a progress bar, so a stand-in that passes iterables through
    # is enough to import Frouros.
    import types
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable=None, *args, **kwargs: iterable)
from frouros.detectors.concept_drift import ADWIN, PageHinkley  # noqa: E402

from error_streams import error_stream, stream_spec  # noqa: E402

STATISTIC_EVERY = 500


def adwin_statistic(detector):
    # Adwin::statistic(): the width of the window ADWIN keeps.
    return float(detector.width)


def page_hinkley_statistic(detector):
    # PageHinkley::statistic(): Frouros's sum_, the faded cumulative
    # deviation above the running mean, which drifts once above lambda_.
    return float(detector.sum_)


DETECTORS = {
    "adwin": (ADWIN, adwin_statistic),
    "page_hinkley": (PageHinkley, page_hinkley_statistic),
}


def run(name, spec):
    make, statistic = DETECTORS[name]
    detector = make()
    values = error_stream(spec)
    transitions = []
    statistic_at = []
    statistic_at_drift = []
    previous = "in_control"
    for step, value in enumerate(values):
        detector.update(value=value)
        status = "drift" if detector.status["drift"] else "in_control"
        if status != previous:
            transitions.append([step, status])
            previous = status
        if status == "drift":
            statistic_at_drift.append([step, statistic(detector)])
            detector.reset()
            previous = "in_control"
        if (step + 1) % STATISTIC_EVERY == 0 or step + 1 == len(values):
            statistic_at.append([step, statistic(detector)])
    return {"detector": name, "stream": spec, "transitions": transitions,
            "statistic_at": statistic_at, "statistic_at_drift": statistic_at_drift}


def adwin_without_reset():
    """ADWIN with other parameters, never reset: the window it keeps after
    cutting (drift stays set in Frouros until reset), every 100 steps."""
    from frouros.detectors.concept_drift.streaming.window_based.adwin import ADWINConfig
    out = []
    for params in ({"m": 5, "clock": 32, "min_window_size": 5, "min_num_instances": 10, "delta": 0.002},
                   {"m": 2, "clock": 1, "min_window_size": 3, "min_num_instances": 10, "delta": 0.05},
                   {"m": 1, "clock": 4, "min_window_size": 1, "min_num_instances": 5, "delta": 0.2},
                   {"m": 7, "clock": 1, "min_window_size": 5, "min_num_instances": 10, "delta": 0.002}):
        for spec in (stream_spec(31, 6000, "exponential", 0.5, 2.0, 1500, 3000),
                     stream_spec(32, 6000, "bernoulli", 0.5, 0.05, 2000)):
            detector = ADWIN(ADWINConfig(**params))
            widths = []
            first_drift = None
            for step, value in enumerate(error_stream(spec)):
                detector.update(value=value)
                if detector.drift and first_drift is None:
                    first_drift = step
                if (step + 1) % 100 == 0:
                    widths.append([step, int(detector.width)])
            out.append({"params": params, "stream": spec, "first_drift": first_drift, "width_at": widths})
    return out


def streams():
    out = []
    for seed in (1, 2, 3):
        out.append(("bernoulli 0.1 to 0.4 at 1000", stream_spec(seed, 3000, "bernoulli", 0.1, 0.4, 1000)))
    for seed in (4, 5):
        out.append(("bernoulli 0.1 to 0.4 ramped over 1000", stream_spec(seed, 3000, "bernoulli", 0.1, 0.4, 1000, 1000)))
    for seed in (6, 7):
        out.append(("bernoulli stationary 0.1", stream_spec(seed, 5000, "bernoulli", 0.1, 0.1, 0)))
    out.append(("bernoulli stationary 0.3", stream_spec(8, 5000, "bernoulli", 0.3, 0.3, 0)))
    out.append(("bernoulli 0.05 to 0.6 at 2000", stream_spec(19, 4000, "bernoulli", 0.05, 0.6, 2000)))
    for seed in (9, 10):
        out.append(("bernoulli better 0.4 to 0.1 at 1000", stream_spec(seed, 3000, "bernoulli", 0.4, 0.1, 1000)))
    out.append(("bernoulli small 0.1 to 0.15 at 1500", stream_spec(11, 4000, "bernoulli", 0.1, 0.15, 1500)))
    for seed in (12, 13):
        out.append(("uniform mean 0.5 to 1.0 at 1000", stream_spec(seed, 3000, "uniform", 0.5, 1.0, 1000)))
    out.append(("uniform mean 0.5 to 1.0 ramped over 1000", stream_spec(14, 3000, "uniform", 0.5, 1.0, 1000, 1000)))
    for seed in (15, 16):
        out.append(("exponential mean 0.5 to 1.0 at 1000", stream_spec(seed, 3000, "exponential", 0.5, 1.0, 1000)))
    out.append(("exponential stationary mean 0.5", stream_spec(17, 4000, "exponential", 0.5, 0.5, 0)))
    out.append(("exponential better 1.0 to 0.5 at 1000", stream_spec(18, 3000, "exponential", 1.0, 0.5, 1000)))
    return out


def frouros_commit():
    try:
        return subprocess.run(["git", "--git-dir", FROUROS_GIT_DIR, "rev-parse", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    cases = []
    for name in DETECTORS:
        for label, spec in streams():
            case = run(name, spec)
            case["label"] = label
            cases.append(case)
    out = {"generator": {"script": "tests/golden/gen_error_stream_window.py",
                         "frouros_commit": frouros_commit(),
                         "numpy": np.__version__,
                         "detectors": "Frouros defaults: ADWIN() and PageHinkley()",
                         "protocol": "status after each update; [step, status] on each change; "
                                     "reset() after a drift; statistic_at every 500 steps and last"},
           "cases": cases,
           "adwin_without_reset": adwin_without_reset()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "error_stream_window.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
