"""Error streams for the concept-drift fixtures (gen_error_stream_*.py),
described by a few parameters instead of stored, and regenerated bit for
bit by tests/unit/error_stream_sample.h.

spec = {"seed", "n", "kind", "before", "after", "change_at", "ramp"}:
the level is `before` up to step change_at, `after` from change_at + ramp
on, and linear in between (ramp 0: an abrupt change). u is uniform in
[0, 1) from Knuth's MMIX LCG (top 53 bits), as in gen_univariate.py.
  bernoulli:   1.0 when u < level else 0.0 (a classifier's 0/1 errors)
  uniform:     2 * level * u                (absolute errors of mean `level`)
  exponential: -level * log1p(-u)           (absolute errors of mean `level`)
"""
import math

MASK64 = (1 << 64) - 1


def stream_spec(seed, n, kind, before, after, change_at, ramp=0):
    return {"seed": seed, "n": n, "kind": kind, "before": before, "after": after,
            "change_at": change_at, "ramp": ramp}


def level_at(spec, i):
    if i < spec["change_at"]:
        return spec["before"]
    if i >= spec["change_at"] + spec["ramp"]:
        return spec["after"]
    return spec["before"] + (spec["after"] - spec["before"]) * float(i - spec["change_at"]) / float(spec["ramp"])


def error_stream(spec):
    state = spec["seed"] & MASK64
    out = []
    for i in range(spec["n"]):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        u = (state >> 11) * (1.0 / 9007199254740992.0)
        level = level_at(spec, i)
        if spec["kind"] == "bernoulli":
            out.append(1.0 if u < level else 0.0)
        elif spec["kind"] == "uniform":
            out.append(2.0 * level * u)
        elif spec["kind"] == "exponential":
            out.append(-level * math.log1p(-u))
        else:
            raise ValueError(spec["kind"])
    return out
