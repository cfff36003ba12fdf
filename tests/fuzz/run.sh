#!/usr/bin/env bash
# Builds the libFuzzer target (clang, -DCARESIM_FUZZ=ON) in BUILD_DIR and fuzzes for SECONDS on
# one core, starting from the saved corpus (copied: the saved corpus is not changed). Exits 1 if
# libFuzzer reports a crash, leak, timeout or out-of-memory; the input is left in BUILD_DIR/fuzz-out.
# usage: tests/fuzz/run.sh [SECONDS (60)] [BUILD_DIR (build-fuzz)]
# With FUZZ_RUNS=N set (CI), it runs exactly N inputs from the fixed seed FUZZ_SEED (1) instead
# of for SECONDS: the same inputs on every machine, so a run that passed here passes there, and a
# failure is reproduced by the same command.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${2:-build-fuzz}
command -v clang > /dev/null || { echo "fuzz: clang not found; skipped"; exit 0; }
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCARESIM_FUZZ=ON -DCARESIM_WERROR=ON > /dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_inputs > /dev/null
out="$build/fuzz-out"
rm -rf "$out"
mkdir -p "$out/corpus" "$out/artifacts"
cp tests/fuzz/corpus/* "$out/corpus/"
echo "== fuzz: $seconds s from $(ls "$out/corpus" | wc -l) saved inputs =="
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm   # no disk stalls counted as timeouts
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  echo "== fuzz: $FUZZ_RUNS inputs from seed ${FUZZ_SEED:-1} =="
else
  limit=(-max_total_time="$seconds")
fi
"$build/tests/fuzz_inputs" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict=tests/fuzz/fuzz.dict -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$out/corpus" \
  > "$out/log" 2>&1 || { tail -40 "$out/log"; echo "fuzz: FAILED (input in $out/artifacts)"; exit 1; }
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/log" || true
grep -E "^#[0-9]+" "$out/log" | tail -1
echo "fuzz: nothing found"
