"""What the deploy/ checkers share: collect failures instead of stopping at
the first, and report them all at the end (exit status 1 when any)."""

failures = []


def check(ok, message):
    """Records `message` as a failure unless `ok`; returns `ok` so a caller can
    skip the checks that depend on it."""
    if not ok:
        failures.append(message)
    return ok


def report():
    for f in failures:
        print(f"FAIL {f}")
    return 1 if failures else 0
