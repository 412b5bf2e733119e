#!/usr/bin/env bash
# Detection delay on injected shifts, calibrated (false_alarm_every 10^7)
# against per window (bench/detection_delay.py). Inputs stay in
# bench/data/delay between runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/detection_delay.py" "$1/driftd" "$here/data/delay"
