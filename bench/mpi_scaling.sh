#!/usr/bin/env bash
# Weak scaling of the MPI build: N ranks x 1 thread, REPS replicates per rank of the baseline
# (so the work grows with N), N = 1, 2, 4 (more ranks than cores are oversubscribed). Prints the
# wall time of each run (median of REPEAT), events per second from caresim's summary, and the
# weak-scaling efficiency t(1)/t(N) (1.0 = perfect; on C cores, at best min(1, C/N)).
# Usage: bench/mpi_scaling.sh [MPI_CARESIM] (env REPS=4, REPEAT=3, RANKS="1 2 4")
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build-mpi/caresim}
reps=${REPS:-4} repeat=${REPEAT:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "weak scaling: $reps replicates per rank, baseline, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%6s %10s %12s %14s %10s\n' ranks tasks "wall_s(med)" "Mevents/s" efficiency
t1=
for n in ${RANKS:-1 2 4}; do
  walls=() rate=
  for _ in $(seq "$repeat"); do
    s=$(date +%s.%N)
    mpirun --allow-run-as-root --oversubscribe -np "$n" "$bin" run scenarios/baseline.yaml -o "$tmp/w.h5" -f \
      --threads 1 -r $((reps * n)) --progress none > "$tmp/out"
    e=$(date +%s.%N)
    walls+=("$(awk -v a="$s" -v b="$e" 'BEGIN { print b - a }')")
    rate=$(sed -n 's/.*(\([0-9.]*\)M events\/s.*/\1/p' "$tmp/out")
  done
  med=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  [ -n "$t1" ] || t1=$med
  printf '%6d %10d %12.2f %14s %10.2f\n' "$n" $((reps * n)) "$med" "$rate" "$(awk -v a="$t1" -v b="$med" 'BEGIN { print a / b }')"
done
