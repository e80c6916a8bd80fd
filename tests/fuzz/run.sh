#!/usr/bin/env bash
# Fuzz the config front end (tests/fuzz/fuzz_config.cpp) for SECONDS (default 60):
# builds it with clang++ under ASan/UBSan/libFuzzer in its own build directory, replays
# every input in tests/fuzz/regressions/, then fuzzes from tests/fuzz/corpus/ with the
# keyword dictionary. Exits non-zero on any crash, leak, timeout or out-of-memory; the
# input that did it is left in $KA_FUZZ_BUILD/artifacts/ (keep it in regressions/).
#   KA_FUZZ_BUILD: build directory (default build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${KA_FUZZ_BUILD:-build-fuzz}

cmake -S . -B "$build" -DKA_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j 2 --target fuzz_config > /dev/null
mkdir -p "$build/corpus" "$build/artifacts"

# A crash test, not a timing test: generous limits, far above what a valid run takes.
# A smaller ASan quarantine keeps a long run's RSS well under the 512 MB limit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
opts=(-timeout=5 -rss_limit_mb=512 -max_len=16384 -dict=tests/fuzz/keepalived.dict
      -artifact_prefix="$build/artifacts/" -print_final_stats=1)

echo "== replaying tests/fuzz/regressions/"
"$build/tests/fuzz/fuzz_config" "${opts[@]}" tests/fuzz/regressions/* > "$build/replay.log" 2>&1 ||
  { tail -40 "$build/replay.log"; echo "fuzz: a regression input fails again"; exit 1; }

echo "== fuzzing for $seconds s"
status=0
"$build/tests/fuzz/fuzz_config" "${opts[@]}" -max_total_time="$seconds" "$build/corpus" tests/fuzz/corpus \
  > "$build/fuzz.log" 2>&1 || status=$?
{ grep -E "^#[0-9]+[[:space:]]+(INITED|pulse|DONE)" "$build/fuzz.log" || true; } | tail -5
last=$({ grep -E "^#[0-9]+[[:space:]]" "$build/fuzz.log" || true; } | tail -1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/fuzz.log")
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
if [ "$status" -ne 0 ]; then
  tail -60 "$build/fuzz.log"
  echo "fuzz: FAILED (exit $status) after ${runs:-?} runs; input in $build/artifacts/"
  exit 1
fi
echo "fuzz: ok, ${runs:-?} runs in $seconds s (${rate:-?} exec/s), cov: ${cov:-?} ft: ${ft:-?}, no crash"
