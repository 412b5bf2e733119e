#!/usr/bin/python3
"""Golden fixtures for the univariate detectors (ks, psi, chi2), computed
with SciPy/NumPy as detectors/README.md defines them. Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/golden/gen_univariate.py

Samples are described by a small generator (a 64-bit LCG) instead of being
stored, so that large samples cost a few bytes in the fixture; the C++ test
regenerates them bit for bit (tests/unit/lcg_sample.h).
"""
import json
import os

import numpy as np
import scipy
import scipy.stats

MASK64 = (1 << 64) - 1


def lcg_sample(spec):
    """value = (u if levels == 0 else floor(u * levels)) * scale + shift,
    u uniform in [0, 1) from Knuth's MMIX LCG, top 53 bits."""
    state = spec["seed"] & MASK64
    out = []
    for _ in range(spec["n"]):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        u = (state >> 11) * (1.0 / 9007199254740992.0)
        base = float(int(u * spec["levels"])) if spec["levels"] else u
        out.append(base * spec["scale"] + spec["shift"])
    return np.array(out, dtype=np.float64)


def sample(seed, n, scale=1.0, shift=0.0, levels=0):
    return {"seed": seed, "n": n, "scale": scale, "shift": shift, "levels": levels}


def psi_numeric(ref, cur, bins):
    edges = np.quantile(ref, [k / bins for k in range(1, bins)])
    edges = np.unique(edges)  # quantiles are ascending: unique drops repeats only
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1) / len(cur)
    return psi_shares(r, c), edges


def psi_shares(r, c):
    r = np.maximum(r, 1e-4)
    c = np.maximum(c, 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def chi2(ref_counts, cur_counts):
    table = np.array([ref_counts, cur_counts], dtype=np.float64)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0
    stat, p, _, _ = scipy.stats.chi2_contingency(table, correction=False)
    return float(stat), float(p)


def main():
    ks_cases = [
        ("tiny unequal", sample(1, 5), sample(2, 7)),
        ("tiny equal", sample(3, 3), sample(4, 3, shift=0.5)),
        ("one each", sample(5, 1), sample(6, 1, shift=2.0)),
        ("identical", sample(7, 300), sample(7, 300)),
        ("constant equal", sample(8, 50, levels=1), sample(9, 40, levels=1)),
        ("constant apart", sample(8, 50, levels=1), sample(9, 40, levels=1, shift=1.0)),
        ("medium null", sample(10, 500), sample(11, 800)),
        ("medium shifted", sample(12, 500), sample(13, 800, shift=0.1)),
        ("heavy ties", sample(14, 1000, levels=5), sample(15, 1200, levels=5)),
        ("heavy ties shifted", sample(16, 1000, levels=5), sample(17, 1200, levels=6)),
        ("coprime sizes", sample(18, 997), sample(19, 1009, shift=0.05)),
        ("equal 2000 shifted", sample(20, 2000), sample(21, 2000, shift=0.1)),
        ("equal 10000 null", sample(22, 10000), sample(23, 10000)),
        ("10000 vs 9999", sample(24, 10000), sample(25, 9999, shift=0.02)),
        ("10000 vs 3000 scaled", sample(26, 10000), sample(27, 3000, scale=1.1)),
        ("tiny p", sample(28, 3000), sample(29, 3000, shift=0.3)),
        ("asymptotic null", sample(30, 30000), sample(31, 20000)),
        ("asymptotic shifted", sample(32, 30000), sample(33, 20000, shift=0.02)),
        ("asymptotic vs small", sample(34, 20000), sample(35, 40, shift=0.2)),
        ("asymptotic ties", sample(36, 12000, levels=20), sample(37, 15000, levels=19)),
    ]
    ks = []
    for name, r, c in ks_cases:
        res = scipy.stats.ks_2samp(lcg_sample(r), lcg_sample(c), alternative="two-sided", method="auto")
        ks.append({"name": name, "reference": r, "current": c,
                   "statistic": float(res.statistic), "p_value": float(res.pvalue)})

    psi_cases = [
        ("null 10 bins", sample(40, 5000), sample(41, 4000), 10),
        ("shifted 10 bins", sample(42, 5000), sample(43, 4000, shift=0.2), 10),
        ("current beyond range", sample(44, 1000), sample(45, 1000, shift=5.0), 10),
        ("repeated edges", sample(46, 2000, levels=3), sample(47, 2000, levels=4), 10),
        ("four bins", sample(48, 777), sample(49, 555, scale=1.5), 4),
        ("two values", sample(50, 100, levels=2), sample(51, 100, levels=2), 10),
        ("constant", sample(52, 100, levels=1), sample(53, 50, levels=1), 10),
        ("tiny", sample(54, 3), sample(55, 2), 10),
    ]
    psi = []
    for name, r, c, bins in psi_cases:
        value, edges = psi_numeric(lcg_sample(r), lcg_sample(c), bins)
        psi.append({"name": name, "reference": r, "current": c, "bins": bins,
                    "edges": [float(e) for e in edges], "statistic": value})

    count_cases = [
        ("balanced", [100, 200, 300], [110, 190, 300]),
        ("shifted", [500, 300, 200], [200, 300, 500]),
        ("only in current", [100, 100, 0], [80, 90, 30]),
        ("only in reference", [50, 0, 60, 70], [40, 0, 0, 80]),
        ("one category", [10], [7]),
        ("one category seen", [10, 0], [7, 0]),
        ("large", [100000, 250000, 1, 5000], [99000, 251000, 10, 4800]),
    ]
    categorical = []
    for name, r, c in count_cases:
        stat, p = chi2(r, c)
        share_r = np.array(r, dtype=np.float64) / sum(r)
        share_c = np.array(c, dtype=np.float64) / sum(c)
        categorical.append({"name": name, "reference": r, "current": c,
                            "chi2_statistic": stat, "chi2_p_value": p,
                            "psi": psi_shares(share_r, share_c)})

    out = {"generator": f"tests/golden/gen_univariate.py, scipy {scipy.__version__}, numpy {np.__version__}",
           "ks": ks, "psi_numeric": psi, "categorical": categorical}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "univariate.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(ks)} ks, {len(psi)} psi, {len(categorical)} categorical cases")


if __name__ == "__main__":
    main()
