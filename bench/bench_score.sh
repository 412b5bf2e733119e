#!/usr/bin/env bash
# `driftd score` end to end against pandas + scipy on the same CSV files.
set -euo pipefail
/usr/bin/python3 "$(dirname "$0")/score_pipeline.py" "$1"
