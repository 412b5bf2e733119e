#!/usr/bin/python3
"""Frouros's concept-drift detectors, the peer of driftd's: nanoseconds per
update() on a 0/1 error stream, as a Python user of Frouros pays them.

  FROUROS_SRC=/tmp/frouros-src bench/peers/frouros_updates.py [ERRORS]

Frouros is not packaged for Debian: FROUROS_SRC is an unpacked source tree
(tests/golden/gen_error_stream_spc.py says how to get one). Without it this
prints a line saying so and exits 0.
"""
import os
import sys
import time
import types

src = os.environ.get("FROUROS_SRC", "/tmp/frouros-src")
if not os.path.isdir(os.path.join(src, "frouros")):
    print(f"frouros: no source tree at {src} (FROUROS_SRC): peer skipped")
    sys.exit(0)
sys.path.insert(0, src)
try:
    import tqdm  # noqa: F401
except ImportError:  # imported for progress bars these detectors never draw
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda *a, **k: None)
import numpy as np  # noqa: E402
from frouros.detectors.concept_drift import ADWIN, DDM, EDDM, HDDMA, HDDMW, PageHinkley  # noqa: E402

errors = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
stream = (np.random.default_rng(7).random(errors) < 0.2).astype(int).tolist()
for name, make in (("ddm", DDM), ("eddm", EDDM), ("adwin", ADWIN), ("page_hinkley", PageHinkley),
                   ("hddm_a", HDDMA), ("hddm_w", HDDMW)):
    detector = make()
    start = time.perf_counter()
    for value in stream:
        detector.update(value=value)
        if detector.drift:
            detector.reset()
    print(f"RESULT frouros_{name}_ns={(time.perf_counter() - start) / errors * 1e9:.0f}")
