#!/usr/bin/env bash
# Same seed, different thread counts: every dataset must be identical (h5diff exits 0 only if
# the datasets and their attributes match). Usage: threads_identical.sh CARESIM SCENARIO
set -euo pipefail
caresim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 1 2 4; do
  "$caresim" run "$scenario" -o "$tmp/t$n.h5" --threads "$n" --quiet
done
for n in 2 4; do
  for d in stock placements flow days_in_care cost done time area scenario replicate; do
    h5diff "$tmp/t1.h5" "$tmp/t$n.h5" "/$d" "/$d" || { echo "dataset /$d differs between --threads 1 and $n"; exit 1; }
  done
done
echo "threads 1, 2, 4: identical datasets"
