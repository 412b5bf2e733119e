#!/usr/bin/python3
"""Golden fixtures for the performance metrics of labelled predictions
(src/labels/performance.h), computed with scikit-learn (Debian's
python3-sklearn; `make golden` installs it):

    /usr/bin/python3 tests/golden/gen_performance.py

Each case holds its predictions and labels as the JSON values an event
would carry (numbers, strings, booleans), the labels configuration, and
the metrics sklearn gives. Classes are compared as driftd compares them:
1, 1.0 and "1" are one class (src/labels/class_text.h), so the cases give
sklearn the canonical class texts.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance.json")


def canonical(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        f = float(value)
        if f == int(f) and abs(f) <= 2**53:
            return str(int(f))
        return repr(f)
    return str(value)


def classification(name, predictions, labels, positive_class=None, threshold=None):
    y_true = [canonical(v) for v in labels]
    if threshold is not None:
        # A score is a binary prediction: the positive class at or above the
        # threshold, not the positive class below it.
        pos = canonical(positive_class)
        y_true = [y == pos for y in y_true]
        y_pred = [p >= threshold for p in predictions]
    else:
        y_pred = [canonical(v) for v in predictions]
    out = {"name": name, "task": "classification", "predictions": predictions, "labels": labels,
           "metrics": {"accuracy": metrics.accuracy_score(y_true, y_pred),
                       "error_rate": 1.0 - metrics.accuracy_score(y_true, y_pred)}}
    if threshold is not None:
        out["threshold"] = threshold
    if positive_class is not None:
        pos = canonical(positive_class)
        out["positive_class"] = pos
        # Binary view of the positive class, as driftd counts it (one-vs-rest).
        t = [y is True or y == pos for y in y_true]
        p = [y is True or y == pos for y in y_pred]
        out["metrics"]["precision"] = metrics.precision_score(t, p, zero_division=0)
        out["metrics"]["recall"] = metrics.recall_score(t, p, zero_division=0)
        out["metrics"]["f1"] = metrics.f1_score(t, p, zero_division=0)
    return out


def regression(name, predictions, labels):
    return {"name": name, "task": "regression", "predictions": predictions, "labels": labels,
            "metrics": {"mae": metrics.mean_absolute_error(labels, predictions),
                        "rmse": float(np.sqrt(metrics.mean_squared_error(labels, predictions)))}}


def main():
    rng = np.random.default_rng(20261203)
    cases = []
    # Binary 0/1, about 80 % right.
    y = rng.integers(0, 2, 500)
    flip = rng.random(500) < 0.2
    cases.append(classification("binary ints", [int(v) for v in np.where(flip, 1 - y, y)], [int(v) for v in y], 1))
    # The same classes written as floats and strings on either side.
    cases.append(classification("binary mixed spellings", [float(v) for v in np.where(flip, 1 - y, y)],
                                [str(int(v)) for v in y], "1"))
    # Booleans.
    cases.append(classification("booleans", [bool(v) for v in np.where(flip, 1 - y, y)], [bool(v) for v in y], True))
    # Multiclass strings, one class as positive.
    classes = np.array(["cat", "dog", "bird", "fish"])
    t = rng.integers(0, 4, 800)
    p = np.where(rng.random(800) < 0.3, rng.integers(0, 4, 800), t)
    cases.append(classification("multiclass strings", [str(v) for v in classes[p]], [str(v) for v in classes[t]], "dog"))
    cases.append(classification("multiclass without a positive class", [str(v) for v in classes[p]],
                                [str(v) for v in classes[t]]))
    # Scores against a threshold.
    labels = rng.integers(0, 2, 600)
    scores = np.clip(labels * 0.35 + rng.random(600) * 0.65, 0, 1)
    cases.append(classification("scores at threshold 0.5", [float(v) for v in scores], [int(v) for v in labels], 1, 0.5))
    cases.append(classification("scores at threshold 0.7", [float(v) for v in scores], [int(v) for v in labels], 1, 0.7))
    # The positive class never predicted, never present: zero division gives 0.
    cases.append(classification("positive never predicted", [0] * 50, [int(v) for v in rng.integers(0, 2, 50)], 1))
    cases.append(classification("positive never present", [int(v) for v in rng.integers(0, 2, 50)], [0] * 50, 1))
    cases.append(classification("all right", [2, 3, 2, 3], [2, 3, 2, 3], 3))
    cases.append(classification("one event", ["a"], ["b"], "a"))
    # Regression.
    truth = rng.normal(10.0, 3.0, 700)
    cases.append(regression("regression normal errors", [float(v) for v in truth + rng.normal(0, 1.5, 700)],
                            [float(v) for v in truth]))
    cases.append(regression("regression heavy tails", [float(v) for v in truth + rng.standard_t(2, 700)],
                            [float(v) for v in truth]))
    cases.append(regression("regression exact", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))
    cases.append(regression("regression one event", [4.25], [-1.5]))
    doc = {"generator": "tests/golden/gen_performance.py, scikit-learn %s, numpy %s" % (sklearn.__version__, np.__version__),
           "cases": cases}
    with open(OUT, "w") as f:
        # A case a line: the fixture stays readable and its diffs small.
        f.write('{"generator": %s,\n "cases": [\n' % json.dumps(doc["generator"]))
        f.write(",\n".join("  " + json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print("wrote", OUT, len(cases), "cases")


if __name__ == "__main__":
    main()
