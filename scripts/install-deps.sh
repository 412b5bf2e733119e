#!/usr/bin/env bash
# Installs the Debian 12 packages driftd needs, and only those missing.
#   scripts/install-deps.sh build   compilers and libraries
#   scripts/install-deps.sh test    + what the tests and golden fixtures use
#   scripts/install-deps.sh golden  + scikit-learn, which computes the performance fixtures
#   scripts/install-deps.sh bench   + the Python baselines the benchmarks race
set -euo pipefail

build=(build-essential cmake pkg-config librdkafka-dev libboost-dev libboost-program-options-dev prometheus-cpp-dev
       libeigen3-dev libyaml-cpp-dev catch2 libsimdjson-dev)
test=(python3-scipy python3-numpy python3-kafka python3-yaml prometheus yamllint docker-compose shellcheck clang libclang-rt-14-dev libfuzzer-14-dev
      chromium python3-websocket)
bench=(python3-scipy python3-numpy python3-pandas python3-torch)

wanted=("${build[@]}")
case "${1:-build}" in
  build) ;;
  test) wanted+=("${test[@]}") ;;
  golden) wanted+=("${test[@]}" python3-sklearn) ;;
  bench) wanted+=("${bench[@]}") ;;
  *) echo "usage: $0 [build|test|golden|bench]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
