#!/usr/bin/python3
"""What a user runs instead of `driftd score` for one numeric column: pandas
reads both CSV files, scipy.stats.ks_2samp compares them.

    peers/ks_pandas_scipy.py REFERENCE.csv CURRENT.csv COLUMN
"""
import sys

import pandas as pd
import scipy.stats

reference = pd.read_csv(sys.argv[1])[sys.argv[3]].dropna()
current = pd.read_csv(sys.argv[2])[sys.argv[3]].dropna()
result = scipy.stats.ks_2samp(reference, current)
print(f"ks statistic {result.statistic:.6g} p {result.pvalue:.6g}")
sys.exit(1 if result.pvalue < 0.05 else 0)
