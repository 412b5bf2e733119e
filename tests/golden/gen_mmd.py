#!/usr/bin/python3
"""Golden fixture for the mmd detector (tests/golden/mmd.json): detectors/README.md's
definition computed with NumPy in float64 straight from the definition (direct
squared distances, block sums of the kernel), on small fixed-seed cases. Run
with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/golden/gen_mmd.py

The permutations and the sigma subsample are drawn with the generator that
detectors/mmd.cc documents (splitmix64, partial Fisher-Yates), reimplemented
here, so the permutation counts, hence the p-values, must match exactly.
"""
import json
import pathlib

import numpy as np

MASK = (1 << 64) - 1
SIGMA_POINTS = 1000
TIE_TOLERANCE = 1e-10


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        floor = (1 << 64) % bound
        while True:
            x = self.next()
            if x >= floor:
                return x % bound


def shuffle_prefix(a, count, rng):
    for i in range(count):
        j = i + rng.below(len(a) - i)
        a[i], a[j] = a[j], a[i]


def squared_distances(points):
    diff = points[:, None, :] - points[None, :, :]
    return (diff * diff).sum(axis=-1)


def median_sigma(pooled, n, m, seed):
    rng = SplitMix64(~seed & MASK)
    rows = []
    for first, count in ((0, n), (n, m)):
        order = list(range(count))
        kept = min(count, SIGMA_POINTS)
        if count > SIGMA_POINTS:
            shuffle_prefix(order, kept, rng)
        rows += [first + i for i in order[:kept]]
    d2 = squared_distances(pooled[rows])
    median = np.median(d2[np.triu_indices(len(rows), 1)])
    return 1.0 if median == 0 else float(np.sqrt(median / 2))


def split_statistic(kernel, group):
    """Unbiased MMD² of `group` (sorted pooled indices) against the rest, and
    the scale of the terms that cancel in it."""
    inside = np.zeros(len(kernel), dtype=bool)
    inside[group] = True
    a, b = inside.sum(), (~inside).sum()
    k_aa = kernel[np.ix_(inside, inside)].sum() / (a * (a - 1))
    k_bb = kernel[np.ix_(~inside, ~inside)].sum() / (b * (b - 1))
    k_ab = kernel[np.ix_(inside, ~inside)].sum() / (a * b)
    return k_aa + k_bb - 2 * k_ab, k_aa + k_bb + 2 * k_ab


def mmd(reference, current, permutations, sigma, seed):
    n, m = len(reference), len(current)
    pooled = np.vstack([reference, current])
    if sigma is None:
        sigma = median_sigma(pooled, n, m, seed)
    kernel = np.exp(-squared_distances(pooled) / (2 * sigma**2))
    np.fill_diagonal(kernel, 0.0)

    group = min(n, m)
    observed_group = np.arange(group) if n <= m else np.arange(n, n + m)
    observed, scale = split_statistic(kernel, observed_group)
    threshold = observed - TIE_TOLERANCE * scale

    rng = SplitMix64(seed)
    count = 0
    for _ in range(permutations):
        order = list(range(n + m))
        shuffle_prefix(order, group, rng)
        permuted, _ = split_statistic(kernel, np.sort(order[:group]))
        # The fixture must not hinge on rounding: no permuted statistic may lie
        # within rounding distance of the threshold (exact ties lie 1e-10 away).
        assert abs(permuted - threshold) > 1e-12 * scale, "ambiguous permutation; change the case"
        count += permuted >= threshold
    return {
        "statistic": float(observed),
        "sigma": float(sigma),
        "count": int(count),
        "p_value": (1 + int(count)) / (1 + permutations),
    }


def normal(rng, rows, dims, shift=0.0, scale=1.0):
    return rng.standard_normal((rows, dims)) * scale + shift


def cases():
    rng = np.random.default_rng(20240611)
    distinct = normal(rng, 3, 3)  # values whose squares round, unlike 0.5 or 2

    def grid(rows):  # points of a 3 × 3 grid: many duplicates
        return rng.integers(0, 3, size=(rows, 2)).astype(float)

    yield "same_d1_sigma", normal(rng, 40, 1), normal(rng, 40, 1), 200, 1.0, 11
    yield "mean_shift_d5_sigma", normal(rng, 50, 5), normal(rng, 60, 5, shift=0.35), 200, 2.0, 12
    yield "variance_d5_auto", normal(rng, 60, 5), normal(rng, 45, 5, scale=1.6), 200, None, 13
    yield "same_d3_auto", normal(rng, 30, 3), normal(rng, 30, 3), 300, None, 0x5EEDD71F7
    yield "unequal_d2_auto", normal(rng, 25, 2), normal(rng, 80, 2, shift=0.3), 200, None, 14
    yield "unequal_reference_larger_d2_sigma", normal(rng, 70, 2), normal(rng, 20, 2, shift=0.3), 150, 1.5, 15
    yield "duplicates_median_zero", distinct[[0] * 6 + [1]], distinct[[0] * 5 + [2]], 200, None, 16
    yield "duplicates_ties_sigma", grid(6), grid(6), 300, 1.0, 0xFFFFFFFFFFFFFFF1
    # A kernel so wide that it is nearly constant: the permuted statistics all
    # lie within the float product's error bound, so double decides each.
    yield "wide_sigma_d2", normal(rng, 40, 2), normal(rng, 40, 2, shift=0.3), 200, 50.0, 19
    yield "two_points_each", np.array([[0.0], [1.0]]), np.array([[3.0], [4.5]]), 60, 1.0, 17
    # Over 1,000 points per sample: the median heuristic uses the subsample.
    yield ("subsample_d1_auto", np.round(normal(rng, 1100, 1), 3), np.round(normal(rng, 1050, 1, shift=0.1), 3),
           20, None, 18)


def main():
    out = []
    for name, reference, current, permutations, sigma, seed in cases():
        out.append({
            "name": name,
            "dims": reference.shape[1],
            "reference": reference.ravel().tolist(),
            "current": current.ravel().tolist(),
            "permutations": permutations,
            "sigma": sigma,
            "seed": seed,
            "expected": mmd(reference, current, permutations, sigma, seed),
        })
        print(name, out[-1]["expected"])
    path = pathlib.Path(__file__).with_name("mmd.json")
    path.write_text(json.dumps({"generator": f"tests/golden/gen_mmd.py, numpy {np.__version__}", "cases": out}) + "\n")


if __name__ == "__main__":
    main()
