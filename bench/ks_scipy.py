#!/usr/bin/python3
"""SciPy baseline for bench_ks: scipy.stats.ks_2samp on the same data, CPU-timed."""
import sys
import time

import numpy as np
import scipy.stats

data = np.fromfile(sys.argv[1], dtype="<f8")
reference, current = data[: len(data) // 2], data[len(data) // 2:]
times = []
for _ in range(5):
    start = time.process_time()
    result = scipy.stats.ks_2samp(reference, current, alternative="two-sided", method="auto")
    times.append(time.process_time() - start)
times.sort()
print(f"scipy ks_2samp 1e6 vs 1e6: {times[2]:.4f} s CPU (D={result.statistic:.6f} p={result.pvalue:.6g})")
print(f"RESULT scipy_ks_seconds={times[2]:.6f}")
