#!/usr/bin/env bash
# A real Slurm job: starts a one-node Slurm cluster on localhost (munged, slurmctld, slurmd from
# Debian's munge and slurm-wlm, a generated slurm.conf and key, everything in a temporary
# folder, ports drawn at random), then runs bench/slurm/caresim.sbatch three ways and checks
# each output against a serial run of the same seed:
#   1. the MPI form: 2 ranks launched by srun --mpi=pmix;
#   2. the job-array form: two array tasks, two scenarios, mpirun --allow-run-as-root as launcher;
#   3. requeue: a running 2-rank job is requeued (Slurm kills it, as after a node failure); the
#      restarted job must find the .part file, resume it, and finish with identical datasets.
# Needs root (SlurmUser=root). Usage: cluster.sh MPI_CARESIM SERIAL_CARESIM SOURCE_DIR
set -uo pipefail
mpi=$(realpath "$1") serial=$(realpath "$2") src=$(realpath "$3")
fail() { echo "FAIL: $*"; for f in "$tmp"/log/*; do echo "== $f"; tail -20 "$f"; done; exit 1; }
[ "$(id -u)" = 0 ] || { echo "$(date +%T) cluster: needs root (SlurmUser=root)"; exit 1; }
for c in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo mpirun; do
  command -v "$c" > /dev/null || { echo "$(date +%T) cluster: $c missing (bash .ci/install-deps)"; exit 1; }
done
tmp=$(mktemp -d /tmp/caresim-cluster.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp"/{log,state,spool,munge,run,out}
pids=()
cleanup() {
  for j in $(squeue -h -o %A 2>/dev/null); do scancel "$j" 2>/dev/null; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# munge: a fresh key and a private socket
chmod 700 "$tmp/munge"
mungekey -c -k "$tmp/munge/munge.key" -b 1024 || fail "mungekey"
munged -F -f --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/socket" --pid-file="$tmp/munge/pid" \
  --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/seed" 2> "$tmp/log/munged.out" &
pids+=($!)

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
export SLURM_CONF=$tmp/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=caresimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
JobRequeue=1
KillWait=5
MinJobAge=300
NodeName=cnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=cnode Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
for _ in $(seq 50); do [ -S "$tmp/munge/socket" ] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N cnode -f "$SLURM_CONF" > "$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t | grep -q idle || fail "the Slurm node never became idle"
echo "$(date +%T) cluster: slurmctld and slurmd up on $host:$port ($(sinfo -h -o '%D node, %c CPUs'))"

wait_job() {   # job id: waits until it leaves the queue, then reports its final state
  for _ in $(seq 600); do
    squeue -h -j "$1" 2>/dev/null | grep -q . || break
    sleep 0.5
  done
  scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | head -1
}
same() {   # reference file, output file
  for d in stock placements flow days_in_care cost done; do
    h5diff "$1" "$2" "/$d" "/$d" || return 1
  done
}
sbatch_=(sbatch --parsable --chdir="$tmp" --time=10 --cpus-per-task=1 --ntasks-per-node=2 --nodes=1
         --output="$tmp/log/job-%A_%a.out" --export=ALL,CARESIM="$mpi",CARESIM_OUT_DIR="$tmp/out")
script=$src/bench/slurm/caresim.sbatch
small=$src/tests/data/small/scenario.yaml variant=$src/tests/data/small/variant.yaml
base=$src/scenarios/baseline.yaml

# 1. MPI form: 2 ranks, srun --mpi=pmix
"$serial" run "$small" -o "$tmp/ref_small.h5" -q -r 8 --threads 2 || fail "serial reference"
j=$("${sbatch_[@]}" --ntasks=2 "$script" "$small" -r 8) || fail "sbatch"
st=$(wait_job "$j"); [ "$st" = JobState=COMPLETED ] || fail "MPI job $j: $st"
same "$tmp/ref_small.h5" "$tmp/out/scenario.h5" || fail "MPI job: datasets differ from the serial run"
grep -q '2 rank(s) x 1 thread' "$tmp"/log/job-"$j"_*.out || fail "the job ran 2 ranks"
echo "$(date +%T) cluster: MPI job $j (2 ranks, srun --mpi=pmix): identical to the serial run"

# 2. job array: one scenario per array task, mpirun as the launcher
"$serial" run "$variant" -o "$tmp/ref_variant.h5" -q -r 8 --threads 2 || fail "serial reference"
rm -f "$tmp/out/scenario.h5"
j=$("${sbatch_[@]}" --ntasks=1 --array=0-1 \
    --export=ALL,CARESIM="$mpi",CARESIM_OUT_DIR="$tmp/out",CARESIM_LAUNCH="mpirun --allow-run-as-root" \
    "$script" "$small" "$variant" -r 8) || fail "sbatch --array"
for k in 0 1; do
  st=$(wait_job "${j}_$k"); [ "$st" = JobState=COMPLETED ] || fail "array task $k: $st"
done
same "$tmp/ref_small.h5" "$tmp/out/scenario.h5" && same "$tmp/ref_variant.h5" "$tmp/out/variant.h5" ||
  fail "job array: datasets differ from the serial runs"
echo "$(date +%T) cluster: job array $j (2 tasks, mpirun): identical to the serial runs"

# 3. requeue of a running job: Slurm kills it; the restart resumes the .part file
"$serial" run "$base" -o "$tmp/ref_base.h5" -q -r 16 --threads 2 || fail "serial reference"
j=$("${sbatch_[@]}" --ntasks=2 "$script" "$base" -r 16) || fail "sbatch"
for _ in $(seq 600); do   # until at least one task is written
  [ -e "$tmp/out/baseline.h5.part" ] &&
    h5dump -y -d /done "$tmp/out/baseline.h5.part" 2>/dev/null | sed -n '/DATA {/,/}/p' | grep -Eq '(^|[ ,])1(,|$)' && break
  sleep 0.2
done
[ -e "$tmp/out/baseline.h5" ] && fail "the job finished before it could be requeued (not exercised)"
scontrol requeue "$j" || fail "scontrol requeue"
echo "$(date +%T) cluster: job $j requeued while running"
st=$(wait_job "$j"); [ "$st" = JobState=COMPLETED ] || fail "requeued job $j: $st"
log=$(cat "$tmp"/log/job-"$j"_*.out)
grep -q 'restart 1' <<< "$log" || fail "the job was not restarted"
grep -q 'tasks already complete' <<< "$log" || fail "the restarted job did not resume"
same "$tmp/ref_base.h5" "$tmp/out/baseline.h5" || fail "requeued job: datasets differ from the serial run"
echo "$(date +%T) cluster: requeued job $j resumed ($(grep -o '[0-9]* of [0-9]* tasks already complete' <<< "$log")): identical"
