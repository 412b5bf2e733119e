#!/usr/bin/env bash
# Whether CTest runs every Catch2 test case on its own: catch_discover_tests
# splits the list of names on ';' and CMake does not split inside [ ], so
# one name holding an unbalanced bracket once merged 19 tests into one CTest
# entry that matched no test case, ran nothing, and passed.
#   scripts/check_test_discovery.sh CTEST LABEL=BINARY...   (run in the build directory)
set -euo pipefail
ctest=$1
shift
status=0
for pair in "$@"; do
  label=${pair%%=*}
  binary=${pair#*=}
  # Catch2 v2 exits with the number of names it listed.
  catch_names=$({ "$binary" --list-test-names-only || true; } | sed '/^$/d' | sort)
  ctest_names=$("$ctest" -N -L "^$label\$" | sed -n 's/^ *Test *#[0-9]*: //p' | sort)
  if [ "$catch_names" != "$ctest_names" ]; then
    echo "label $label: CTest's tests are not the test cases of $(basename "$binary"):"
    diff <(echo "$catch_names") <(echo "$ctest_names") | head -20 || true
    status=1
  else
    echo "label $label: CTest runs each of the $(echo "$catch_names" | wc -l) test cases of $(basename "$binary") on its own"
  fi
done
exit $status
