#!/usr/bin/python3
"""Golden fixture for detectors/ks_distribution: p-values of the two-sided
two-sample KS test and the one-sample kstwo survival function, computed by
SciPy 1.10.1 itself. Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/golden/gen_ks_distribution.py

ks_2samp only takes samples, so scipy_ks_2samp_p() below replays what
ks_2samp does once it has the statistic d (same calls, same order); the
script checks it against real ks_2samp calls on sample pairs before writing.

Every case carries the SciPy branch that computed it ("path" for the
two-sample test, "regime" for the one-sample law) so the test can check that
every branch stays covered. Deterministic: fixed seeds, no timestamps.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.stats
from scipy.stats import kstwo
from scipy.stats._stats_py import _attempt_exact_2kssamp

MAX_AUTO_N = 10000  # ks_2samp's switch from 'exact' to 'asymp' under method='auto'


def kolmogn_regime(n, x):
    """Which branch of scipy.stats._ksstats._kolmogn computes kstwo.sf(x, n)."""
    if x >= 1.0:
        return "x>=1"
    if x <= 0.5 / n:  # kstwo's support starts at 0.5/n; _kolmogn agrees (t <= 0.5)
        return "t<=0.5"
    t = n * x
    if t <= 0.5:
        return "t<=0.5"
    if t <= 1.0:
        return "t<=1"
    if t >= n - 1:
        return "t>=n-1"
    if x >= 0.5:
        return "x>=0.5"
    nx2 = t * x
    if n <= 140:
        if nx2 <= 0.754693:
            return "n<=140,durbin"
        if nx2 <= 4:
            return "n<=140,pomeranz"
        return "n<=140,smirnov"
    if nx2 >= 370.0:
        return "n>140,nx2>=370"
    if nx2 >= 2.2:
        return "n>140,smirnov-miller" if n > 1000000 else "n>140,smirnov"
    if n <= 100000 and n * x**1.5 <= 1.4:
        return "n>140,durbin"
    return "n>140,pelz-good"


def scipy_ks_2samp_p(n1, n2, d):
    """p-value and branch of ks_2samp(alternative='two-sided', method='auto')
    for sample sizes n1, n2 and statistic d: the tail of ks_2samp, verbatim."""
    g = math.gcd(n1, n2)
    mode = "exact" if max(n1, n2) <= MAX_AUTO_N else "asymp"
    path = None
    if mode == "exact":
        lcm = (n1 // g) * n2
        h = int(np.round(d * lcm))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            success, d, prob = _attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
        if not success:
            mode = "asymp"
            path = "exact-fallback"
        elif h == 0:
            path = "exact-h0"
        else:
            path = "exact-equal" if n1 == n2 else "exact-band"
    if mode == "asymp":
        m, n = sorted([float(n1), float(n2)], reverse=True)
        en = m * n / (m + n)
        prob = kstwo.sf(d, np.round(en))
        path = path or "asymptotic:" + kolmogn_regime(int(np.round(en)), d)
    return float(np.clip(prob, 0, 1)), path


def cross_check():
    """scipy_ks_2samp_p must agree bit for bit with ks_2samp on real samples."""
    rng = np.random.default_rng(20240611)
    pairs = [(1, 1), (3, 7), (8, 8), (40, 60), (97, 101), (500, 500), (1000, 1500),
             (2000, 333), (10000, 9999), (12000, 11000), (10001, 30), (40000, 40000)]
    checked = 0
    for n1, n2 in pairs:
        for shift in (0.0, 0.1, 0.5):
            x = rng.normal(size=n1)
            y = rng.normal(loc=shift, size=n2)
            res = scipy.stats.ks_2samp(x, y)
            p, _ = scipy_ks_2samp_p(n1, n2, float(res.statistic))
            assert p == res.pvalue, (n1, n2, shift, p, res.pvalue)
            checked += 1
    # Interleaved samples give D = 1/n, where the exact n == m sum rounds
    # above 1 for these n and ks_2samp falls back to the asymptotic law.
    for n in (5, 7, 30):
        x = np.arange(n) * 2.0
        y = x + 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = scipy.stats.ks_2samp(x, y)
        p, path = scipy_ks_2samp_p(n, n, float(res.statistic))
        assert path == "exact-fallback", (n, path)
        assert p == res.pvalue, (n, p, res.pvalue)
        checked += 1
    return checked


# p-values the statistic grid aims at; the first-order law
# p ~ 2 exp(-2 N d^2) places them, so the real p only lands near the target.
TARGET_P = [0.999, 0.9, 0.5, 0.1, 1e-2, 1e-4, 1e-8, 1e-15, 1e-30, 1e-60, 1e-100, 1e-150, 1e-200,
            1e-250, 1e-290, 1e-300]


def exact_statistics(n, m):
    """Lattice statistics h/lcm spanning p from ~1 to underflow, plus the
    smallest (h = 1) and largest (h = lcm) and two points off the lattice."""
    lcm = n * m // math.gcd(n, m)
    en = n * m / (n + m)
    hs = {1, lcm}
    for p in TARGET_P:
        d = math.sqrt(math.log(2.0 / p) / (2.0 * en))
        hs.add(min(max(int(round(d * lcm)), 1), lcm))
    ds = [h / lcm for h in sorted(hs)]
    h_mid = max(1, lcm // 7)
    ds += [(h_mid + 0.3) / lcm, (h_mid + 0.5) / lcm]  # snapped back to the lattice, half to even
    return ds


def asymptotic_statistics(n):
    """Statistics reaching every _kolmogn branch for effective size n."""
    ds = [0.4 / n, 0.8 / n, 0.6, 0.97]
    if n >= 2:
        ds.append((n - 0.5) / n)
    for nx2 in (0.3, 0.5, 0.754, 1.0, 1.5, 2.0, 2.19, 2.21, 3.0, 4.0, 4.5, 8.0, 20.0, 50.0,
                100.0, 200.0, 300.0, 350.0, 354.0, 360.0, 400.0):
        d = math.sqrt(nx2 / n)
        if 1.0 / n < d < 0.5:
            ds.append(d)
    durbin_edge = (1.4 / n) ** (2.0 / 3.0)  # n d^1.5 = 1.4
    ds += [0.9 * durbin_edge, 1.1 * durbin_edge]
    return sorted(set(d for d in ds if 0 < d < 1))


def dumps_one_case_a_line(obj):
    """JSON with each case on a line of its own: compact, yet diffs stay readable."""
    parts = []
    for key, value in obj.items():
        if isinstance(value, list):
            rows = ",\n".join("  " + json.dumps(row) for row in value)
            parts.append(f"{json.dumps(key)}: [\n{rows}\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}"


def main():
    checked = cross_check()

    ks_pairs = []
    # Tiny sizes: every pair up to 10 (and a few swapped), every few lattice points.
    for n in range(1, 11):
        for m in range(n, 11):
            lcm = n * m // math.gcd(n, m)
            hs = sorted({1, max(1, lcm // 4), max(1, lcm // 2), max(1, (3 * lcm) // 4), lcm})
            ks_pairs += [(n, m, h / lcm) for h in hs]
    ks_pairs += [(m, n, d) for (n, m, d) in ks_pairs if (n, m) in ((3, 7), (4, 10), (2, 9))]
    ks_pairs += [(5, 5, 0.2), (7, 7, 1 / 7), (30, 30, 1 / 30)]  # n == m, h = 1: SciPy's fallback
    # Larger exact sizes: equal, gcd > 1, coprime, and the largest exact ones.
    for n, m in [(11, 11), (100, 100), (1000, 1000), (10000, 10000), (20, 30), (100, 250),
                 (600, 900), (3000, 4500), (5000, 10000), (2500, 10000), (7, 1000), (99, 100),
                 (1234, 5677), (3001, 7919), (9973, 10000), (10000, 9999), (1, 10000)]:
        ks_pairs += [(n, m, d) for d in exact_statistics(n, m)]
    # Asymptotic: max(n, m) > 10000, effective sizes round(nm/(n+m)) from 1
    # to 500000 so that every _kolmogn branch is reached.
    for n, m in [(1, 20000), (3, 20000), (20000, 50), (100, 30000), (141, 20000),
                 (300, 20000), (5000, 20000), (10001, 10001), (150000, 150000),
                 (120000, 400000), (250000, 200000), (600000, 1000000), (1000000, 1000000)]:
        en = np.round(max(n, m) * min(n, m) / (n + m))
        ks_pairs += [(n, m, d) for d in asymptotic_statistics(int(en))]
    ks_pairs += [(20000, 20000, 0.0), (50, 50, 0.0), (8, 9, 1e-9)]

    ks_cases = []
    for n, m, d in ks_pairs:
        p, path = scipy_ks_2samp_p(n, m, d)
        ks_cases.append({"n": n, "m": m, "d": d, "p": p, "path": path})

    kstwo_cases = []
    for n in (1, 2, 3, 5, 10, 40, 100, 140, 141, 1000, 30000, 100000, 100001, 500000, 2000000):
        for d in asymptotic_statistics(n):
            if n == 2000000 and kolmogn_regime(n, d) == "n>140,pelz-good":
                continue  # already well covered at 500000
            kstwo_cases.append({"n": n, "d": d, "p": float(kstwo.sf(d, n)), "regime": kolmogn_regime(n, d)})
    kstwo_cases += [{"n": 7, "d": 0.0, "p": float(kstwo.sf(0.0, 7)), "regime": "t<=0.5"},
                    {"n": 7, "d": 1.0, "p": float(kstwo.sf(1.0, 7)), "regime": "x>=1"}]

    paths = {c["path"] for c in ks_cases}
    regimes = {c["regime"] for c in kstwo_cases}
    for needed in ["exact-equal", "exact-band", "exact-fallback", "exact-h0"]:
        assert needed in paths, needed
    # Only the kstwo cases go beyond n = 10^6 (Miller) or reach d = 1.
    via_ks_2samp = {p.split(":", 1)[1] for p in paths if p.startswith("asymptotic:")}
    assert regimes - via_ks_2samp <= {"n>140,smirnov-miller", "x>=1"}, regimes - via_ks_2samp

    out = {
        "scipy_version": scipy.__version__,
        "cross_checked_against_ks_2samp": checked,
        "ks_2samp": ks_cases,
        "kstwo": kstwo_cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ks_distribution.json")
    with open(path, "w") as f:
        f.write(dumps_one_case_a_line(out) + "\n")
    print(f"{path}: {len(ks_cases)} ks_2samp cases, {len(kstwo_cases)} kstwo cases, "
          f"{checked} cross-checks against ks_2samp")


if __name__ == "__main__":
    main()
