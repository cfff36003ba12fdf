#!/usr/bin/env bash
# The MPI build against the serial one, same seed: 1 process x 2 threads, 2 ranks x 1 thread and
# 4 ranks (oversubscribed on 2 cores) must give the serial build's datasets (h5diff exits 0 only
# if values and attributes match), its summary, one progress report (rank 0's), a file that
# caresim.open_run reads exactly as the serial one, and resume only files of the same build.
# Usage: mpi.sh SERIAL_CARESIM MPI_CARESIM SCENARIO ANALYSIS_DIR
set -uo pipefail
serial=$1 mpi=$2 scen=$(realpath "$3") analysis=$4
mpirun=(mpirun --allow-run-as-root --oversubscribe)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
args=(-r 12 --progress none)
"$serial" run "$scen" -o "$tmp/s.h5" "${args[@]}" --threads 2 > "$tmp/s.out" || fail "serial run"
"$mpi" run "$scen" -o "$tmp/p1.h5" "${args[@]}" --threads 2 > "$tmp/p1.out" || fail "MPI build, 1 process"
"${mpirun[@]}" -np 2 "$mpi" run "$scen" -o "$tmp/p2.h5" "${args[@]}" --threads 1 --progress json \
  > "$tmp/p2.out" 2> "$tmp/p2.err" || { cat "$tmp/p2.err"; fail "2 ranks"; }
"${mpirun[@]}" -np 4 "$mpi" run "$scen" -o "$tmp/p4.h5" "${args[@]}" --threads 1 > "$tmp/p4.out" || fail "4 ranks"
for p in p1 p2 p4; do
  for d in stock placements flow days_in_care cost done time area area_name region scenario replicate state; do
    h5diff "$tmp/s.h5" "$tmp/$p.h5" "/$d" "/$d" || fail "/$d differs between the serial build and $p"
  done
  # the summary, but for the line of timings
  diff <(grep -v " events in " "$tmp/s.out" | sed "s#$tmp/s.h5#OUT#") <(grep -v " events in " "$tmp/$p.out" | sed "s#$tmp/$p.h5#OUT#") ||
    fail "summary of $p differs from the serial build's"
done
[ "$(grep -c '"fraction_done":1.0000' "$tmp/p2.err")" = 1 ] || fail "one final progress line (rank 0 only)"
tail -1 "$tmp/p2.err" | grep -q '"tasks_done":12,"tasks_total":12' || fail "progress counts every rank's tasks"
h5dump -A -a /engine_build "$tmp/p2.h5" | grep -q '+mpi' || fail "the build is recorded in the file"

# caresim.open_run reads the MPI-written file exactly as the serial one
PYTHONPATH=$analysis /usr/bin/python3 - "$tmp/s.h5" "$tmp/p4.h5" <<'PY' || fail "open_run differs"
import sys
import caresim
a, b = caresim.open_run(sys.argv[1]), caresim.open_run(sys.argv[2])
assert set(a.variables) == set(b.variables), (set(a.variables) ^ set(b.variables))
for v in a.variables:
    assert a[v].dtype == b[v].dtype and a[v].dims == b[v].dims, v
    assert a[v].equals(b[v]), v
    assert a[v].attrs == b[v].attrs, v
for k in ("tasks_done", "tasks_total", "partial", "seed", "scenario_yaml"):
    assert a.attrs[k] == b.attrs[k], k
print("open_run: the 4-rank file reads as the serial one")
PY

# resume: a .part of this build is finished by 2 ranks; another build or seed is refused
cp "$tmp/p4.h5" "$tmp/x.h5.part"
"$serial" run "$scen" -o "$tmp/x.h5" "${args[@]}" --resume 2> "$tmp/e1"; st=$?
[ $st = 2 ] && grep -q "engine_build.*cannot resume" "$tmp/e1" || { cat "$tmp/e1"; fail "a resume by another build must be refused"; }
"${mpirun[@]}" -np 2 "$mpi" run "$scen" -o "$tmp/x.h5" "${args[@]}" --seed 99 --resume 2> "$tmp/e2"; st=$?
[ $st = 2 ] && grep -q "cannot resume" "$tmp/e2" || { cat "$tmp/e2"; fail "a resume with another seed must be refused"; }
"${mpirun[@]}" -np 2 "$mpi" run "$scen" -o "$tmp/x.h5" "${args[@]}" --resume -q 2> "$tmp/e3" ||
  { cat "$tmp/e3"; fail "resume by 2 ranks"; }
grep -q "12 of 12 tasks already complete" "$tmp/e3" || fail "resume message"
h5diff "$tmp/s.h5" "$tmp/x.h5" /stock /stock || fail "resumed file"

# the episode log is written by one process only: refused up front
printf 'extends: %s\noutput:\n  episodes: true\n' "$scen" > "$tmp/ep.yaml"
"$mpi" run "$tmp/ep.yaml" -o "$tmp/ep.h5" -r 2 2> "$tmp/e4"; st=$?
[ $st = 2 ] && grep -q "output.episodes" "$tmp/e4" && [ ! -e "$tmp/ep.h5" ] && [ ! -e "$tmp/ep.h5.part" ] ||
  { cat "$tmp/e4"; fail "episodes under MPI must be refused"; }
echo "mpi: 1x2 threads, 2 and 4 ranks identical to the serial build; summary, progress, open_run, resume checks ok"
