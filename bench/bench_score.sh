#!/usr/bin/env bash
# `driftd score` as a whole process against what a user runs instead.
set -euo pipefail
/usr/bin/python3 "$(dirname "$0")/score_whole_process.py" "$1"
