#!/usr/bin/python3
"""`driftd score` end to end on 200,000 x 20 CSV files against the same work
done in Python: pandas.read_csv, scipy.stats.ks_2samp and a numpy PSI on
every column, and one MMD (1,000 points per sample, 100 permutations) over
all columns. Both are timed in CPU seconds; the data is generated once into
bench/data/ (not committed).

    bench/score_pipeline.py BUILD_DIR
"""
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import scipy.stats

ROWS, COLUMNS = 200_000, 20
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def make_data():
    os.makedirs(DATA, exist_ok=True)
    paths = [os.path.join(DATA, f"score-{name}-{ROWS}x{COLUMNS}.csv") for name in ("reference", "current")]
    if all(os.path.exists(p) for p in paths):
        return paths
    rng = np.random.default_rng(1)
    names = [f"f{i}" for i in range(COLUMNS)]
    for path, shift in zip(paths, (0.0, 0.05)):
        data = rng.normal(size=(ROWS, COLUMNS))
        data[:, :5] += shift  # a quarter of the features drift a little
        pd.DataFrame(data, columns=names).to_csv(path, index=False, float_format="%.7g")
    return paths


def psi(ref, cur, bins=10):
    edges = np.unique(np.quantile(ref, [k / bins for k in range(1, bins)]))
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1) / len(cur)
    r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def mmd(ref, cur, permutations=100, points=1000, seed=0):
    rng = np.random.default_rng(seed)
    mean, sd = ref.mean(axis=0), ref.std(axis=0)
    sd[sd == 0] = 1
    x = (ref[rng.choice(len(ref), points, replace=False)] - mean) / sd
    y = (cur[rng.choice(len(cur), points, replace=False)] - mean) / sd
    z = np.vstack([x, y])
    sq = np.sum(z * z, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0)
    sigma2 = np.median(d2[np.triu_indices(len(z), 1)]) / 2
    k = np.exp(-d2 / (2 * sigma2))
    np.fill_diagonal(k, 0)
    n = len(x)

    def stat(idx):
        kx = k[np.ix_(idx[:n], idx[:n])].sum() / (n * (n - 1))
        ky = k[np.ix_(idx[n:], idx[n:])].sum() / (n * (n - 1))
        kxy = k[np.ix_(idx[:n], idx[n:])].sum() / (n * n)
        return kx + ky - 2 * kxy

    observed = stat(np.arange(2 * n))
    count = sum(stat(rng.permutation(2 * n)) >= observed for _ in range(permutations))
    return observed, (1 + count) / (1 + permutations)


def python_pipeline(reference_path, current_path):
    ref = pd.read_csv(reference_path)
    cur = pd.read_csv(current_path)
    drifted = 0
    for name in ref.columns:
        r, c = ref[name].to_numpy(), cur[name].to_numpy()
        p = scipy.stats.ks_2samp(r, c).pvalue
        drifted += (p < 0.05 / COLUMNS) or psi(r, c) >= 0.2
    mmd(ref.to_numpy(), cur.to_numpy())
    return drifted


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    build = sys.argv[1]
    reference, current = make_data()
    driftd = os.path.join(build, "driftd")
    ours = []
    for _ in range(3):
        start = child_cpu()
        run = subprocess.run([driftd, "score", "--reference", reference, "--current", current],
                             stdout=subprocess.DEVNULL)
        assert run.returncode in (0, 1), run.returncode
        ours.append(child_cpu() - start)
    theirs = []
    for _ in range(3):
        start = time.process_time()
        python_pipeline(reference, current)
        theirs.append(time.process_time() - start)
    a, b = sorted(ours)[1], sorted(theirs)[1]
    print(f"driftd score 200000x20 CSV: {a:.3f} s CPU; pandas.read_csv + scipy + numpy MMD: {b:.3f} s CPU; "
          f"speed-up {b / a:.1f}x (target >= 5x)")


if __name__ == "__main__":
    main()
