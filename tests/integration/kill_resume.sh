#!/usr/bin/env bash
# SIGKILL (no chance to close the file, as a job's time limit or the OOM killer) at 5 random
# moments of a run, then --resume: the finished file must hold exactly the datasets of a run
# never interrupted. The moments are drawn uniformly over 5%..95% of the uninterrupted run's
# duration with a fixed seed (printed), so a failure can be replayed. A kill before the file
# exists leaves nothing to resume: that draw starts again without --resume; a kill after the
# final rename leaves a finished file, which is checked like a resumed one.
# Usage: kill_resume.sh CARESIM SCENARIO [SEED] (env LAUNCH: a launcher such as "mpirun -np 2";
# with one, the launcher and its children, the ranks, are killed).
set -uo pipefail
caresim=$1 scen=$2 seed=${3:-14}
read -r -a launch <<< "${LAUNCH:-}"
args=(-q -r "${REPS:-96}" --threads "${THREADS:-2}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
t0=$(date +%s.%N)
"${launch[@]}" "$caresim" run "$scen" -o "$tmp/whole.h5" "${args[@]}" || fail "uninterrupted run"
t1=$(date +%s.%N)
moments=$(awk -v s="$seed" -v t0="$t0" -v t1="$t1" 'BEGIN { srand(s); for (k = 0; k < 5; k++) printf "%.3f ", (0.05 + 0.9 * rand()) * (t1 - t0) }')
echo "kill moments (s, seed $seed): $moments"
k=0
for m in $moments; do
  k=$((k + 1))
  out="$tmp/k$k.h5"
  if [ ${#launch[@]} -gt 0 ]; then   # its own process group, so the kill reaches every rank
    setsid "${launch[@]}" "$caresim" run "$scen" -o "$out" "${args[@]}" 2> "$tmp/err$k" &
  else
    "$caresim" run "$scen" -o "$out" "${args[@]}" 2> "$tmp/err$k" &
  fi
  pid=$!
  sleep "$m"
  if [ ${#launch[@]} -gt 0 ]; then
    # The ranks and the launcher together, as a job's time limit does: a rank killed while the
    # launcher is still starting the others can leave the launcher waiting for ever.
    kill -KILL -- -$pid $(pgrep -P $pid) 2>/dev/null
  else
    kill -KILL $pid 2>/dev/null
  fi
  wait $pid; st=$?
  [ $st = 0 ] && { echo "kill $k at $m s: the run had finished (nothing to resume)"; continue; }
  if [ -e "$out" ] && [ ! -e "$out.part" ]; then
    # Killed after the final rename but before the process exited (under ASan the leak check
    # at exit takes a while): the file is complete and must equal the uninterrupted run.
    echo "kill $k at $m s: after the file was finished; checking it"
    for d in stock placements flow days_in_care cost done; do
      h5diff "$tmp/whole.h5" "$out" "/$d" "/$d" || fail "kill $k at $m s: /$d differs"
    done
    continue
  fi
  if [ ! -e "$out.part" ]; then
    echo "kill $k at $m s: before the file existed; running afresh"
    "${launch[@]}" "$caresim" run "$scen" -o "$out" "${args[@]}" || fail "fresh run $k"
    continue
  fi
  "${launch[@]}" "$caresim" run "$scen" -o "$out" "${args[@]}" --resume 2> "$tmp/res$k"; st=$?
  if [ $st != 0 ]; then
    cat "$tmp/res$k"
    fail "kill $k at $m s: --resume exited $st"
  fi
  echo "kill $k at $m s: $(grep -o '[0-9]* of [0-9]* tasks already complete' "$tmp/res$k")"
  [ -e "$out" ] && [ ! -e "$out.part" ] || fail "kill $k: resumed file not renamed"
  for d in stock placements flow days_in_care cost done; do
    h5diff "$tmp/whole.h5" "$out" "/$d" "/$d" || fail "kill $k at $m s: /$d differs after resume"
  done
done
echo "kill and resume: 5 kills, identical datasets"
