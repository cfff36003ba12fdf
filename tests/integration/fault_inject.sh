#!/usr/bin/env bash
# Fault injection on the run / resume / interrupt paths: finished tasks are never lost.
# 1. Write failures at many points: a file-size limit (ulimit -f, writes past it fail with EFBIG
#    as a full disk fails with ENOSPC) from a few KiB to past the whole file, for a fresh run and
#    for a resume. Each failed run must exit 1, keep a .part holding at least the tasks its
#    progress reported finished (none finished: nothing left), and --resume without the limit
#    must finish it to the datasets of an uninterrupted run.
# 2. SIGKILL at several moments (no handler runs): the .part holds every task the progress
#    reported finished, and --resume finishes it to the same result.
# Usage: fault_inject.sh CARESIM SCENARIO
set -uo pipefail
caresim=$1 scen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
at=$(dirname "$0")/signal_at.py
fail() { echo "FAIL: $*"; ls -la "$tmp"; exit 1; }
R=12
run() { "$caresim" run "$scen" -o "$tmp/o.h5" -r $R -t 1 --progress json "$@" > /dev/null; }
reported() { grep -o '"tasks_done":[0-9]*' "$1" | tail -1 | cut -d: -f2; }   # last progress count
same() {
  for d in stock placements flow days_in_care cost done; do
    h5diff "$tmp/ref.h5" "$tmp/o.h5" "/$d" "/$d" > /dev/null || fail "$1: /$d differs from the uninterrupted run"
  done
}
# Finishes o.h5.part with --resume and checks that at least $2 tasks were kept.
finish() {
  local what=$1 want=${2:-0}
  run --resume 2> "$tmp/resume.err" || fail "$what: --resume failed: $(cat "$tmp/resume.err")"
  kept=$(grep -o "[0-9]* of $R tasks already complete" "$tmp/resume.err" | cut -d' ' -f1)
  [ "${kept:-0}" -ge "$want" ] || fail "$what: $want tasks were reported finished, --resume found ${kept:-0}"
  same "$what"
}
"$caresim" run "$scen" -o "$tmp/ref.h5" -q -r $R -t 1 || fail "reference run"
full=$(( $(stat -c %s "$tmp/ref.h5") / 1024 + 1 ))
points=0
for kib in $(seq 4 6 $((full + 90))); do
  rm -f "$tmp/o.h5" "$tmp/o.h5.part"
  (trap '' XFSZ; ulimit -f $kib; run) 2> "$tmp/err"; st=$?
  if [ $st = 0 ]; then
    [ -e "$tmp/o.h5" ] || fail "limit ${kib} KiB: exit 0 without output"
    same "limit ${kib} KiB (completed)"
    continue
  fi
  [ $st = 1 ] || fail "limit ${kib} KiB: exit $st, expected 1: $(cat "$tmp/err")"
  [ ! -e "$tmp/o.h5" ] || fail "limit ${kib} KiB: a final output after a failure"
  n=$(reported "$tmp/err")
  if [ ! -e "$tmp/o.h5.part" ]; then
    [ "${n:-0}" = 0 ] || fail "limit ${kib} KiB: $n finished tasks reported, no .part kept"
    continue
  fi
  points=$((points + 1))
  # A resume that fails again (a smaller limit than the file) keeps everything too.
  size=$(( $(stat -c %s "$tmp/o.h5.part") / 1024 + 1 ))
  (trap '' XFSZ; ulimit -f $size; run --resume) 2> "$tmp/err2"; st=$?
  [ $st = 0 ] || [ $st = 1 ] || fail "limit ${kib} KiB: failing resume exit $st: $(cat "$tmp/err2")"
  [ $st = 0 ] && { same "limit ${kib} KiB, resumed under the limit"; continue; }
  [ -e "$tmp/o.h5.part" ] || fail "limit ${kib} KiB: a failing resume removed the .part"
  finish "limit ${kib} KiB" "${n:-0}"
done
[ $points -ge 5 ] || fail "only $points limits failed mid-run: the file is too small to test"
killed_after_tasks=0
R=40   # long enough (a few seconds) for progress lines between the first task and the last
"$caresim" run "$scen" -o "$tmp/ref.h5" -q -r $R -t 1 --force || fail "reference run, $R replicates"
for when in 'stderr:"tasks_done":[1-9]' after:0.5 after:1 after:1.5; do
  rm -f "$tmp/o.h5" "$tmp/o.h5.part"
  read -r st sent < <(python3 "$at" KILL "$when" "$tmp/err" -- "$caresim" run "$scen" -o "$tmp/o.h5" -r $R -t 1 --progress json)
  [ "$sent" = sent ] || { [ "$st" = 0 ] && continue; fail "SIGKILL at $when: exit $st without the signal"; }
  n=$(reported "$tmp/err")
  if [ ! -e "$tmp/o.h5.part" ]; then
    if [ -e "$tmp/o.h5" ]; then   # the run had finished (renamed its output) before the signal landed
      same "SIGKILL at $when, after the run had finished"
      continue
    fi
    # killed before the output was created (a slow start)
    [ "${n:-0}" = 0 ] || fail "SIGKILL at $when: $n tasks reported finished, no .part"
    continue
  fi
  [ "${n:-0}" -gt 0 ] && killed_after_tasks=$((killed_after_tasks + 1))
  if run --resume 2> "$tmp/resume.err"; then
    kept=$(grep -o "[0-9]* of $R tasks already complete" "$tmp/resume.err" | cut -d' ' -f1)
    [ "${kept:-0}" -ge "${n:-0}" ] || fail "SIGKILL at $when: $n tasks reported finished, --resume found ${kept:-0}"
    same "SIGKILL at $when"
  else
    # Killed while the file was being created (before its first flush): nothing finished was
    # lost, the .part may be unreadable, and --force starts again (docs/reliability.md).
    [ "${n:-0}" = 0 ] || fail "SIGKILL at $when: $n tasks reported finished, --resume refused: $(cat "$tmp/resume.err")"
    run --force 2> /dev/null || fail "SIGKILL at $when: --force after a kill during creation"
    same "SIGKILL at $when, started again"
  fi
done
[ $killed_after_tasks -ge 1 ] || fail "no SIGKILL landed after a task had finished"
echo "fault injection: ok ($points write-failure points resumed)"
