#!/usr/bin/env bash
# An interrupted run finished with --resume gives the same datasets as a run never interrupted;
# --resume refuses a file written by another scenario, and a complete output.
# The event list is used: the case-based engine finishes this scenario before a signal can land
# (resuming goes through the same driver code on either engine).
# Usage: resume.sh CARESIM SCENARIO
set -uo pipefail
caresim=$1 scen=$2
run() { "$caresim" run --engine event "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run "$scen" -o "$tmp/whole.h5" -q -r 24 --threads 2 || fail "uninterrupted run"
"$caresim" run --engine event "$scen" -o "$tmp/r.h5" -q -r 24 --threads 2 2> "$tmp/err" &
pid=$!
for _ in $(seq 200); do [ -e "$tmp/r.h5.part" ] && break; sleep 0.02; done
sleep 0.3
kill -INT $pid
wait $pid; st=$?
[ $st = 130 ] || { [ $st = 0 ] && echo "run finished before the signal; resume not exercised" && exit 1; fail "exit $st"; }
grep -q -- "--resume" "$tmp/err" || fail "interruption message mentions --resume"
run "$scen" -o "$tmp/r.h5" -q -r 24 --seed 99 --resume 2> "$tmp/err2"; [ $? = 2 ] || fail "resume with another seed must be refused"
grep -q "cannot resume" "$tmp/err2" || fail "refusal message"
[ -e "$tmp/r.h5.part" ] || fail "a refused resume must keep the .part file"
run "$scen" -o "$tmp/r.h5" -q -r 24 --threads 1 --resume 2> "$tmp/err3" || fail "resume"
grep -q "already complete" "$tmp/err3" || fail "resume says how many tasks were complete"
[ -e "$tmp/r.h5" ] && [ ! -e "$tmp/r.h5.part" ] || fail "resumed file renamed"
for d in stock placements flow days_in_care cost done; do
  h5diff "$tmp/whole.h5" "$tmp/r.h5" "/$d" "/$d" || fail "/$d differs after resume"
done
run "$scen" -o "$tmp/r.h5" -q -r 24 --resume 2>/dev/null; [ $? = 2 ] || fail "resume of a complete output must be refused"
echo "resume: ok ($(cat "$tmp/err3"))"
