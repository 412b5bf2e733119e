#!/usr/bin/python3
"""Baseline for bench/bench_mmd.cc: the same MMD permutation test written
with PyTorch the way Alibi Detect's MMDDrift does it (kernel matrix once, then
one index gather per permutation), on CPU with one thread, in float32 (the
faster dtype for torch, as Alibi is normally fed).

    /usr/bin/python3 bench/mmd_torch.py DATAFILE

DATAFILE is what bench_mmd writes: little-endian uint64 n, m, d, then the
n + m rows of d float64, reference first. Prints the median CPU time of the
test over the repetitions, last line "cpu_ms <value>".
"""
import sys
import time

import numpy as np
import torch

PERMUTATIONS = 100
REPETITIONS = 3


def load(path):
    n, m, d = (int(v) for v in np.fromfile(path, dtype="<u8", count=3))
    values = np.fromfile(path, dtype="<f8", offset=24).reshape(n + m, d)
    return torch.from_numpy(values[:n]).float(), torch.from_numpy(values[n:]).float()


def mmd2_unbiased(kernel, x, y):
    n, m = len(x), len(y)
    k_xx = kernel[x][:, x].sum() / (n * (n - 1))
    k_yy = kernel[y][:, y].sum() / (m * (m - 1))
    k_xy = kernel[x][:, y].sum() / (n * m)
    return k_xx + k_yy - 2 * k_xy


def mmd_test(reference, current, generator):
    pooled = torch.cat([reference, current])
    count, n = len(pooled), len(reference)
    d2 = torch.cdist(pooled, pooled).square()
    rows, cols = torch.triu_indices(count, count, 1)
    width = torch.quantile(d2[rows, cols], 0.5)  # = 2 sigma², numpy's median
    kernel = torch.exp(-d2 / width)
    kernel.fill_diagonal_(0)
    observed = mmd2_unbiased(kernel, torch.arange(n), torch.arange(n, count))
    at_least = 0
    for _ in range(PERMUTATIONS):
        order = torch.randperm(count, generator=generator)
        at_least += int(mmd2_unbiased(kernel, order[:n], order[n:]) >= observed)
    return float(observed), (1 + at_least) / (1 + PERMUTATIONS), float(torch.sqrt(width / 2))


def main():
    torch.set_num_threads(1)
    reference, current = load(sys.argv[1])
    times = []
    for _ in range(REPETITIONS):
        start = time.process_time()
        statistic, p_value, sigma = mmd_test(reference, current, torch.Generator().manual_seed(1))
        times.append(1000 * (time.process_time() - start))
    times.sort()
    print(f"torch mmd n={len(reference)} m={len(current)} d={reference.shape[1]} P={PERMUTATIONS}: "
          f"statistic {statistic:.6g}, p {p_value:.4g}, sigma {sigma:.6g}; CPU ms min {times[0]:.0f} max {times[-1]:.0f}")
    print(f"cpu_ms {times[len(times) // 2]:.1f}")


if __name__ == "__main__":
    main()
