#!/usr/bin/python3
"""Stand-in for Alibi Detect's MMDDrift (not packaged for Debian): the same
permutation test as MMDDrift.predict with its PyTorch backend — pandas reads
the files, the features are standardised by the reference, one Gaussian
kernel matrix with the median heuristic, then one index gather per
permutation — on CPU. The whole process is timed by the caller, as a user
would run it; the test alone is printed as predict_ms.

    peers/mmd_torch_process.py REFERENCE.csv CURRENT.csv PERMUTATIONS
"""
import os
import sys
import time

import pandas as pd
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from mmd_torch import mmd2_unbiased  # noqa: E402  the in-process baseline's statistic


def main():
    reference = torch.tensor(pd.read_csv(sys.argv[1]).to_numpy(), dtype=torch.float32)
    current = torch.tensor(pd.read_csv(sys.argv[2]).to_numpy(), dtype=torch.float32)
    permutations = int(sys.argv[3])
    start = time.perf_counter()
    mean, deviation = reference.mean(0), reference.std(0, unbiased=False)
    deviation[deviation == 0] = 1
    pooled = torch.cat([(reference - mean) / deviation, (current - mean) / deviation])
    count, n = len(pooled), len(reference)
    d2 = torch.cdist(pooled, pooled).square()
    rows, cols = torch.triu_indices(count, count, 1)
    width = torch.quantile(d2[rows, cols], 0.5)  # = 2 sigma², the median heuristic
    kernel = torch.exp(-d2 / width)
    kernel.fill_diagonal_(0)
    observed = mmd2_unbiased(kernel, torch.arange(n), torch.arange(n, count))
    generator = torch.Generator().manual_seed(0)
    at_least = 0
    for _ in range(permutations):
        order = torch.randperm(count, generator=generator)
        at_least += int(mmd2_unbiased(kernel, order[:n], order[n:]) >= observed)
    p_value = (1 + at_least) / (1 + permutations)
    print(f"mmd statistic {float(observed):.6g} p {p_value:.4g} predict_ms {1000 * (time.perf_counter() - start):.0f}")
    sys.exit(1 if p_value < 0.05 else 0)


if __name__ == "__main__":
    main()
