#!/usr/bin/python3
"""Stand-in for Evidently's DataDriftPreset report (not packaged for
Debian) on numeric columns: the work its report does, without its own
overhead (it also imports plotly and renders every figure). pandas reads
both files; per column, as Evidently's defaults choose for more than 1,000
rows, the Wasserstein distance normed by the reference's deviation
(drift at 0.1); the two histograms a report draws over shared bins; the
share of drifted columns decides. The report's data is written as JSON.

    peers/data_drift_report.py REFERENCE.csv CURRENT.csv OUT.json
"""
import json
import sys

import numpy as np
import pandas as pd
import scipy.stats


def main():
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    columns = []
    for name in reference.columns:
        r, c = reference[name].dropna().to_numpy(), current[name].dropna().to_numpy()
        distance = scipy.stats.wasserstein_distance(r, c) / max(np.std(r), 1e-12)
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        columns.append({"column": name, "wasserstein_norm": float(distance), "drift": bool(distance >= 0.1),
                        "reference_histogram": np.histogram(r, edges)[0].tolist(),
                        "current_histogram": np.histogram(c, edges)[0].tolist(), "edges": edges.tolist()})
    share = sum(column["drift"] for column in columns) / len(columns)
    with open(sys.argv[3], "w") as out:
        json.dump({"drift_share": share, "dataset_drift": share >= 0.5, "columns": columns}, out)
    sys.exit(1 if share >= 0.5 else 0)


if __name__ == "__main__":
    main()
