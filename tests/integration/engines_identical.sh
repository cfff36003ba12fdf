#!/usr/bin/env bash
# The case-based engine and the event list give the same results for the same seed (docs/model.md,
# "Engines"): every child draws from its own keyed stream in the same order on both, so stock,
# placements, flows, the programmes' served, referred and waiting counts and the episode log must
# be identical, bit for bit. Days in care, days in each
# state and cost are
# sums of the same terms added in a different order (by time on the event list, child by child on
# the case engine), so they may differ by rounding only: a cell of n terms has a relative
# rounding error of at most (n - 1) 2^-53 on either engine (recursive summation of positive
# terms); with n < 4.5e6 terms per cell here, 2 x 4.5e6 x 1.1e-16 = 1e-9 bounds the difference.
# The case engine runs on 2 threads, the event list on 1, so thread independence is checked too.
# Usage: engines_identical.sh CARESIM [run options and scenario files...]
set -euo pipefail
caresim=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$caresim" run "$@" -o "$tmp/event.h5" --engine event --threads 1 --quiet
"$caresim" run "$@" -o "$tmp/case.h5" --engine case --threads 2 --quiet
progs=""   # the programmes' counts, where the run has programmes
h5ls "$tmp/event.h5/programme_served" > /dev/null 2>&1 && progs="programme_served programme_referred programme_waiting"
h5ls "$tmp/event.h5/placement_shortfall" > /dev/null 2>&1 && progs="$progs placement_shortfall"
for d in stock placements flow uasc_stock uasc_flow done $progs; do
  h5diff "$tmp/event.h5" "$tmp/case.h5" "/$d" "/$d" > /dev/null ||
    { echo "dataset /$d differs between the engines"; h5diff -r "$tmp/event.h5" "$tmp/case.h5" "/$d" "/$d" | head; exit 1; }
done
for d in days_in_care cost days_in_state; do
  h5diff -p 1e-9 "$tmp/event.h5" "$tmp/case.h5" "/$d" "/$d" > /dev/null ||
    { echo "dataset /$d differs between the engines by more than rounding"; h5diff -r -p 1e-9 "$tmp/event.h5" "$tmp/case.h5" "/$d" "/$d" | head; exit 1; }
done
if h5ls "$tmp/event.h5/episodes" > /dev/null 2>&1; then
  h5diff "$tmp/event.h5" "$tmp/case.h5" /episodes /episodes > /dev/null ||
    { echo "the episode logs differ between the engines"; h5diff -r "$tmp/event.h5" "$tmp/case.h5" /episodes /episodes | head; exit 1; }
  echo "episode logs identical"
fi
h5dump -a /engine "$tmp/case.h5" | grep -q '"case' || { echo "the output does not record the case engine"; exit 1; }
h5dump -a /engine "$tmp/event.h5" | grep -q '"event' || { echo "the output does not record the event engine"; exit 1; }
echo "engines event and case: identical counts; days and cost equal to rounding"
