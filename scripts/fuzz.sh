#!/usr/bin/env bash
# Builds the libFuzzer targets tests/fuzz/fuzz_*.cc with clang (ASan+UBSan)
# and runs each for SECONDS (default 60) from its committed seed corpus.
#   scripts/fuzz.sh [SECONDS [TARGET...]]
#   scripts/fuzz.sh 30                               every target, 30 s each
#   scripts/fuzz.sh 300 config_loader event_decoder  two of them (fuzz_ prefix optional)
# Environment: FUZZ_JOBS compilations and targets run at once (default: the
# number of CPUs), FUZZ_TIMEOUT seconds one input may take before it is a
# finding (default 25), CXX_FUZZ the compiler (default clang++).
#
# Everything goes to build-fuzz/: objects, binaries, new inputs
# (corpus/<target>/, never the committed seeds), logs/<target>.log and
# findings/<target>/ (libFuzzer's crash-*, leak-*, timeout-*, oom-* files,
# kept across runs; reproduce with build-fuzz/fuzz_<target> FILE). A target's
# seeds are tests/fuzz/corpus/<target>/, its dictionary tests/fuzz/<target>.dict
# if there is one.
# Prints per target the executions and whether it found anything; exits 1
# when any target has a finding (crash, sanitizer report, leak, timeout,
# out-of-memory, uncaught exception, broken invariant) and 2 on bad usage.
# Installs nothing: `make fuzz` installs clang, libclang-rt-14-dev and
# libfuzzer-14-dev first.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [SECONDS [TARGET...]]" >&2; exit 2; }
seconds=${1:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || usage
shift $(($# > 0 ? 1 : 0))

all_targets=()
for file in tests/fuzz/fuzz_*.cc; do
  name=$(basename "$file" .cc)
  all_targets+=("${name#fuzz_}")
done
targets=()
if [ $# -eq 0 ]; then
  targets=("${all_targets[@]}")
else
  for wanted in "$@"; do
    wanted=${wanted#fuzz_}
    wanted=${wanted%.cc}
    [ -f "tests/fuzz/fuzz_$wanted.cc" ] || { echo "no such fuzz target: $wanted (have: ${all_targets[*]})" >&2; exit 2; }
    targets+=("$wanted")
  done
fi

out=build-fuzz
jobs=${FUZZ_JOBS:-$(nproc)}
timeout=${FUZZ_TIMEOUT:-25}
cxx=${CXX_FUZZ:-clang++}
started=$SECONDS

# --- Build ------------------------------------------------------------------
# Every source a target may need is compiled once into an archive; each
# target links only the members it uses. Objects are rebuilt when their
# source, a header they include or the flags change.
# Only what the targets use: the engine's folders for fuzz_engine, and of
# src/http the request answering and the listen-address check the loader
# uses. DRIFTD_VERSION (the HTML report's footer) is CMake's project version.
sources=(src/decode/*.cc src/util/*.cc src/config/*.cc src/engine/*.cc src/calibrate/*.cc src/samples/*.cc src/window/*.cc src/decide/*.cc src/score/*.cc src/state/*.cc src/labels/*.cc
         src/http/http_answer.cc src/http/listen_address.cc detectors/*.cc tests/fuzz/boost_assert_handler.cc)
version=$(sed -n 's/^project(driftd VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
packages=(simdjson yaml-cpp rdkafka++ eigen3)
read -r -a package_cflags <<<"$(pkg-config --cflags "${packages[@]}")"
read -r -a package_libs <<<"$(pkg-config --libs simdjson yaml-cpp rdkafka++)"
# shellcheck disable=SC2054  # commas inside one flag
# Boost's assertions stay on, through tests/fuzz/boost_assert_handler.cc.
cxxflags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
          -DBOOST_ENABLE_ASSERT_HANDLER "-DDRIFTD_VERSION=\"$version\"" -Iinclude -Isrc -Idetectors
          "${package_cflags[@]}")
# detectors/ is only linked, for the registry's test names (no target fuzzes
# the statistics; their unit tests run under ASan in `make test`): built
# unoptimised and without coverage, it takes a third of the time it would.
code_flags=(-fsanitize=fuzzer-no-link)
detector_flags=(-O0)
mkdir -p "$out/obj"
stamp="$($cxx --version | head -1) ${cxxflags[*]} code: ${code_flags[*]} detectors: ${detector_flags[*]}"
if [ "$(cat "$out/obj/flags" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$out/obj"
  mkdir -p "$out/obj"
  echo "$stamp" >"$out/obj/flags"
fi

# Whether $1 (an object) is older than anything its .d file lists.
stale() {
  local object=$1 dep=${1%.o}.d file
  [[ -f $object && -f $dep ]] || return 0
  # shellcheck disable=SC2013  # the .d file's words are paths
  for file in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$dep"); do
    [[ $file -nt $object ]] && return 0
  done
  return 1
}

echo "== build ($jobs jobs)"
to_compile=()
objects=()
for source in "${sources[@]}"; do
  object="$out/obj/${source%.cc}.o"
  objects+=("$object")
  if stale "$object"; then
    mkdir -p "$(dirname "$object")"
    to_compile+=("$source")
  fi
done
for target in "${targets[@]}"; do
  object="$out/obj/tests/fuzz/fuzz_$target.o"
  mkdir -p "$(dirname "$object")"
  if stale "$object"; then to_compile+=("tests/fuzz/fuzz_$target.cc"); fi
done
compile() {
  local source=$1 object="$out/obj/${1%.cc}.o" extra=("${code_flags[@]}")
  [[ $source == detectors/* ]] && extra=("${detector_flags[@]}")
  "$cxx" "${cxxflags[@]}" "${extra[@]}" -MMD -MP -c "$source" -o "$object" || { rm -f "$object"; touch "$out/obj/failed"; }
}
rm -f "$out/obj/failed"
for source in "${to_compile[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  compile "$source" &
done
wait
[ ! -f "$out/obj/failed" ] || { echo "fuzz build failed" >&2; exit 1; }
rm -f "$out/libdriftd_fuzz.a"
ar rcs "$out/libdriftd_fuzz.a" "${objects[@]}"
for target in "${targets[@]}"; do
  rm -f "$out/fuzz_$target"
  "$cxx" -fsanitize=fuzzer,address,undefined "$out/obj/tests/fuzz/fuzz_$target.o" "$out/libdriftd_fuzz.a" \
    "${package_libs[@]}" -o "$out/fuzz_$target" &
done
wait
for target in "${targets[@]}"; do
  [ -x "$out/fuzz_$target" ] || { echo "build of fuzz_$target failed" >&2; exit 1; }
done
echo "== built in $((SECONDS - started)) s; running ${targets[*]}: ${seconds} s each, $jobs at once"

# --- Run --------------------------------------------------------------------
run() {
  local target=$1
  local findings="$out/findings/$target" corpus="$out/corpus/$target" log="$out/logs/$target.log"
  mkdir -p "$findings" "$corpus" "$out/logs"
  touch "$out/logs/$target.started"  # findings of earlier runs stay, and do not count
  local options=(-max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1
                 -artifact_prefix="$findings/")
  [ -f "tests/fuzz/$target.dict" ] && options+=(-dict="tests/fuzz/$target.dict")
  local status=0 start=$SECONDS
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} "$out/fuzz_$target" "${options[@]}" "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  echo "$status $((SECONDS - start))" >"$out/logs/$target.status"
}

for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run "$target" &
done
wait

# --- Report -----------------------------------------------------------------
found=0
for target in "${targets[@]}"; do
  log="$out/logs/$target.log"
  read -r status took <"$out/logs/$target.status"
  runs=$(sed -n 's/^Done \([0-9]*\) runs in.*/\1/p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  new=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  artifacts=$(find "$out/findings/$target" -type f -newer "$out/logs/$target.started" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  line="$target: ${runs:-?} runs in $took s, ${new:-?} new inputs, peak RSS ${rss:-?} MB"
  if [ "$status" -eq 0 ] && [ -z "$artifacts" ]; then
    echo "$line, no findings"
  else
    found=1
    echo "$line, FINDING (libFuzzer exit $status): ${artifacts:-no artifact} — log $log"
    # What went wrong, and the first frames in our own code.
    grep -E -m 6 "(==[0-9]+== ?ERROR|^SUMMARY|^terminate called|^  what\(\)|runtime error:)" "$log" | sed 's/^/    /' || true
    grep -E "^ +#[0-9]+ .* $PWD/(src|include|detectors|tests)/" "$log" | head -6 | sed "s|$PWD/||; s/^ */      /" || true
  fi
  slow=$(find "$out/findings/$target" -newer "$out/logs/$target.started" -name 'slow-unit-*' | wc -l)
  [ "$slow" -eq 0 ] || echo "    ($slow slow input(s) over 10 s in $out/findings/$target)"
done
echo "== fuzz.sh: $((SECONDS - started)) s in all"
exit "$found"
