#!/usr/bin/env bash
# Calibrated decisions (config/README.md, `alerting`) on the issue's model (bench/calibration_inputs.py):
#  1. calibration alone: a Pipeline built calibrated against one built per
#     window from the same files, in one process (bench_calibrate);
#  2. the whole `driftd replay` on 10 events, process start to exit, pinned
#     to one core, calibrated and per window;
#  3. `driftd replay` throughput on 300,000 events, calibrated against per
#     window, whole command (calibration included) and net of (2).
# The inputs (~230 MB) stay in bench/data/calibrate between runs.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work="$here/data/calibrate"
/usr/bin/python3 "$here/calibration_inputs.py" "$work"
"$build/bench/bench_calibrate" "$work"
/usr/bin/python3 "$here/replay_modes.py" "$build/driftd" "$work"
