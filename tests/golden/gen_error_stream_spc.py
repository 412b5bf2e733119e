#!/usr/bin/python3
"""Golden fixtures for the statistical-process-control concept-drift
detectors (ddm, eddm, hddm_a, hddm_w), computed by Frouros itself.

Frouros is not a Debian package: unpack its source and point FROUROS_SRC at
it (default /tmp/frouros-src), e.g.

    mkdir /tmp/frouros-src
    git --git-dir=/work/.mirror/IFCA-Advanced-Computing+frouros/repo archive HEAD | tar x -C /tmp/frouros-src
    /usr/bin/python3 tests/golden/gen_error_stream_spc.py

It imports with Debian's numpy/scipy. Frouros imports tqdm only for the
progress bar of its permutation tests; where tqdm is not installed a
stand-in that passes its argument through is used.

Protocol, the same as tests/unit/test_error_stream_spc.cc: feed the stream
in order; after each update the status is drift, else warning, else
in_control; a drift is recorded and followed by reset() (driftd resets a
detector once it has taken a drift). A transition [step, status] is
recorded whenever the status differs from the previous step's (the status
before the first step is in_control). The statistic is computed from
Frouros's internal variables as the C++ statistic() defines it, after the
last update ("statistic") and, as [step, value] pairs, after a few early
steps and the first steps after each drift and its reset ("statistics_at"). HDDM runs with two_sided_test=False (Frouros's default, stated
explicitly): driftd uses only the one-sided tests.
"""
import json
import math
import os
import subprocess
import sys
import types

FROUROS_SRC = os.environ.get("FROUROS_SRC", "/tmp/frouros-src")
sys.path.insert(0, FROUROS_SRC)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import tqdm  # noqa: F401
except ImportError:
    _tqdm = types.ModuleType("tqdm")
    _tqdm.tqdm = lambda iterable, *args, **kwargs: iterable
    sys.modules["tqdm"] = _tqdm

import numpy as np  # noqa: E402

try:
    import frouros  # noqa: F401
except ImportError:
    sys.exit(f"gen_error_stream_spc.py: Frouros not found in {FROUROS_SRC} (set FROUROS_SRC; "
             "the module docstring says how to unpack it)")
from frouros.detectors.concept_drift import DDM, EDDM, HDDMA, HDDMW  # noqa: E402
from frouros.detectors.concept_drift.streaming.statistical_process_control.ddm import DDMConfig  # noqa: E402
from frouros.detectors.concept_drift.streaming.statistical_process_control.eddm import EDDMConfig  # noqa: E402
from frouros.detectors.concept_drift.streaming.statistical_process_control.hddm import (  # noqa: E402
    HDDMAConfig,
    HDDMWConfig,
)

from error_streams import error_stream, stream_spec  # noqa: E402


def ddm_statistic(d):
    if d.num_instances == 0:
        return 0.0
    p = d.error_rate.mean
    variance = p * (1 - p) / d.num_instances
    return p + (math.sqrt(variance) if variance > 0.0 else 0.0)


def eddm_statistic(d):
    if d.max_distance_threshold == float("-inf"):
        return 1.0
    threshold = d.mean_distance_error + d.config.level * d.std_distance_error
    return threshold / d.max_distance_threshold


def hddm_a_statistic(d):
    x, z = d.test_type.x, d.test_type.z
    if z.num_values == x.num_values:
        return 0.0
    m = z.num_values - x.num_values
    bound = np.sqrt(m / (2 * x.num_values * z.num_values) * np.log(1 / d.config.alpha_d))
    if not bound > 0.0:
        return 0.0
    return (z.mean - x.mean) / bound


def hddm_w_statistic(d):
    s1, s2 = d.test_type.sample_increase_1, d.test_type.sample_increase_2
    bound = np.sqrt((s1.independent_bound_condition + s2.independent_bound_condition)
                    * np.log(1 / d.config.alpha_d) / 2)
    if not bound > 0.0:
        return 0.0
    return (s2.ewma.mean - s1.ewma.mean) / bound


DETECTORS = {
    "ddm": (lambda: DDM(config=DDMConfig()), ddm_statistic),
    "eddm": (lambda: EDDM(config=EDDMConfig()), eddm_statistic),
    "hddm_a": (lambda: HDDMA(config=HDDMAConfig(two_sided_test=False)), hddm_a_statistic),
    "hddm_w": (lambda: HDDMW(config=HDDMWConfig(two_sided_test=False)), hddm_w_statistic),
}


def status_of(detector):
    if detector.drift:
        return "drift"
    if detector.warning:
        return "warning"
    return "in_control"


# Steps after which the statistic is recorded besides the last: the first
# steps (before and around min_num_instances) and the first steps after each
# of the first drifts, where the estimates are young and differences in
# arithmetic show most.
EARLY_STEPS = (0, 4, 9, 19, 28, 29, 30, 39, 49, 74, 99, 149, 199, 499, 999, 1499, 1999, 2999, 3999)
AFTER_DRIFT = (1, 5, 20, 29, 30, 50, 100)
MAX_DRIFTS_FOLLOWED = 10


def run(name, stream):
    make, statistic = DETECTORS[name]
    detector = make()
    transitions = []
    checkpoints = set(s for s in EARLY_STEPS if s < len(stream) - 1)
    statistics = []
    previous = "in_control"
    for step, value in enumerate(stream):
        detector.update(value=value)
        status = status_of(detector)
        if status != previous:
            transitions.append([step, status])
        previous = status
        if status == "drift":
            detector.reset()
            if sum(1 for t in transitions if t[1] == "drift") <= MAX_DRIFTS_FOLLOWED:
                checkpoints.update(step + k for k in AFTER_DRIFT if step + k < len(stream) - 1)
        if step in checkpoints:
            statistics.append([step, float(statistic(detector))])
    return transitions, statistics, float(statistic(detector))


def streams_for(name):
    """(case name, spec) pairs: 0/1 errors for every detector, bounded and
    unbounded continuous errors for the HDDMs."""
    out = []
    for seed in (11, 12, 13):
        out.append(("abrupt 0.1 to 0.4", stream_spec(seed, 3000, "bernoulli", 0.1, 0.4, 1000)))
    for seed in (21, 22):
        out.append(("ramp 0.1 to 0.4", stream_spec(seed, 4000, "bernoulli", 0.1, 0.4, 1000, 1000)))
    for seed in (31, 32):
        out.append(("stationary 0.2", stream_spec(seed, 5000, "bernoulli", 0.2, 0.2, 5000)))
    for seed in (41, 42):
        out.append(("better 0.4 to 0.1", stream_spec(seed, 3000, "bernoulli", 0.4, 0.1, 1000)))
    out.append(("abrupt 0.05 to 0.2", stream_spec(51, 3000, "bernoulli", 0.05, 0.2, 1500)))
    if name in ("hddm_a", "hddm_w"):
        out.append(("uniform abrupt mean 0.2 to 0.4", stream_spec(61, 3000, "uniform", 0.2, 0.4, 1000)))
        out.append(("uniform ramp mean 0.2 to 0.4", stream_spec(62, 4000, "uniform", 0.2, 0.4, 1000, 1000)))
        out.append(("uniform stationary mean 0.3", stream_spec(63, 5000, "uniform", 0.3, 0.3, 5000)))
        out.append(("uniform better mean 0.4 to 0.2", stream_spec(64, 3000, "uniform", 0.4, 0.2, 1000)))
        out.append(("exponential abrupt mean 0.05 to 0.15", stream_spec(71, 3000, "exponential", 0.05, 0.15, 1000)))
        out.append(("exponential stationary mean 0.1", stream_spec(72, 5000, "exponential", 0.1, 0.1, 5000)))
    return out


def frouros_commit():
    git_dir = "/work/.mirror/IFCA-Advanced-Computing+frouros/repo"
    try:
        return subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    cases = []
    for name in DETECTORS:
        config = repr(DETECTORS[name][0]().config)
        for label, spec in streams_for(name):
            transitions, statistics, statistic = run(name, error_stream(spec))
            cases.append({"name": f"{name} {label} seed {spec['seed']}", "detector": name,
                          "config": config, "stream": spec, "transitions": transitions,
                          "statistics_at": statistics, "statistic": statistic})
    out = {"generator": {"script": "tests/golden/gen_error_stream_spc.py", "frouros_commit": frouros_commit(),
                         "numpy": np.__version__},
           "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "error_stream_spc.json")
    # One case a line: a case's transitions are long but read as one record.
    with open(path, "w") as f:
        f.write('{"generator": ' + json.dumps(out["generator"]) + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(case) for case in cases))
        f.write("\n ]\n}\n")
    print(f"wrote {path}: {len(cases)} cases")
    for c in cases:
        drifts = [t[0] for t in c["transitions"] if t[1] == "drift"]
        print(f"  {c['name']}: {len(c['transitions'])} transitions, drifts at {drifts[:8]}"
              f"{'...' if len(drifts) > 8 else ''}")


if __name__ == "__main__":
    main()
