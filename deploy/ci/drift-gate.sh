#!/bin/sh
# A CI/CD gate on `driftd score`: fails the job when the current data drifted
# from the reference, and keeps the evidence whatever the verdict.
#
#   drift-gate.sh REFERENCE CURRENT [OUT_DIR]
#
# Writes OUT_DIR (default drift-report/) report.html (the page to attach to
# the run or the pull request) and result.json (for machines), prints the
# table to the job's log, and exits as `driftd score` does: 0 no drift,
# 1 drift, 2 bad input or configuration. Environment: DRIFTD, the binary
# (default: driftd on PATH); DRIFTD_CONFIG, a configuration choosing the
# tests (default: every column both files hold, with score's default tests).
set -u
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 REFERENCE CURRENT [OUT_DIR]" >&2
  exit 2
fi
reference=$1
current=$2
out=${3:-drift-report}
driftd=${DRIFTD:-driftd}
mkdir -p "$out" || exit 2

# score decides the same way for every format; the HTML run's status is the verdict.
score() {
  if [ -n "${DRIFTD_CONFIG:-}" ]; then
    "$driftd" score --reference "$reference" --current "$current" --config "$DRIFTD_CONFIG" "$@"
  else
    "$driftd" score --reference "$reference" --current "$current" "$@"
  fi
}
score --format html > "$out/report.html"
status=$?
score --format json > "$out/result.json"
score --format table

case $status in
  0) echo "drift gate: no drift; report in $out/report.html" ;;
  1) echo "drift gate: DRIFT between $reference and $current; report in $out/report.html" >&2 ;;
  *) echo "drift gate: driftd score could not compare the files (exit $status): see the message above" >&2 ;;
esac
exit "$status"
