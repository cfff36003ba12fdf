#!/usr/bin/python3
"""bench/sweep/overhead.py - what a sweep costs beyond its tasks (bench/README.md, "Sweeps").

A sweep of S scenarios x R replicates costs: loading and expanding the S scenarios once, then
S x R tasks, each of which sets up its initial stock, simulates, and is written to the file.
Only the loading and expanding (and the file's per-scenario coordinates) grow with S; the rest
is per task and is the same for a sweep point as for any scenario. The runs below separate the
parts by CPU time (user + system of the caresim process, from wait4), which a loaded machine
inflates far less than wall time, each run repeated and the median taken:

  C  the baseline, 1 replicate, horizon 1 day        loading 1 scenario + 1 short task
  B  the baseline, N replicates, horizon 1 day       loading 1 scenario + N short tasks
  A  the sweep (N scenarios), 1 replicate, 1 day     loading N scenarios + N short tasks
  D  the baseline, 2 replicates, the full horizon    loading 1 scenario + 2 full tasks

  short task t1 = (B - C) / (N - 1);  loading one scenario l1 = C - t1
  loading the N sweep scenarios = A - N t1 (it includes expanding the sweep)
  full task T = (D - l1) / 2 (set-up, simulation and writing of one task)

and the N x R sweep to the full horizon is extrapolated as (A - N t1) + N R T CPU seconds. The
writer's own time per task (the `s writing output` caresim prints, wall time inside the writer)
is wall time, which a loaded machine inflates as much as the run's own wall time, so its share is
taken within D (writer wall / D's wall): writing is per task, so that share is the same for a
sweep of any size. Needs the Release build (build/caresim).

    /usr/bin/python3 bench/sweep/overhead.py [--repeat 3] [--full-replicates 2]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CARESIM = Path(os.environ.get("CARESIM_BUILD", ROOT / "build")) / "caresim"
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SWEEP = ROOT / "bench" / "sweep" / "sweep50.yaml"


def run(args, out):
    """One caresim run on 1 thread: (wall s, events, driver s, writer s)."""
    cmd = [str(CARESIM), "run", *map(str, args), "-o", out, "--force", "--threads", "1",
           "--progress", "none"]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{stderr[-2000:]}")
    m = re.search(r"(\d+) events in ([\d.]+) s .*?([\d.]+) s writing output", stdout)
    return wall, int(m.group(1)), float(m.group(2)), float(m.group(3))


def measured(args, out, repeat):
    """Median over `repeat` runs of CPU seconds (RUSAGE_CHILDREN delta), and the other figures."""
    rows = []
    for _ in range(repeat):
        before = os.times()
        wall, events, driver, writer = run(args, out)
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        rows.append((cpu, wall, events, driver, writer))
        print(f"  {args[0].name} {args[1:]}: cpu {cpu:.2f} s, wall {wall:.2f} s", file=sys.stderr, flush=True)
    med = [statistics.median(c) for c in zip(*rows)]
    return dict(zip(("cpu", "wall", "events", "driver", "writer"), med), runs=rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full-replicates", type=int, default=2)
    ap.add_argument("--replicates", type=int, default=20, help="R of the extrapolated sweep")
    a = ap.parse_args(argv)
    n = 50
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "o.h5")
        C = measured([BASELINE, "-r", 1, "--horizon", "1d"], out, a.repeat)
        B = measured([BASELINE, "-r", n, "--horizon", "1d"], out, a.repeat)
        A = measured([SWEEP, "-r", 1, "--horizon", "1d"], out, a.repeat)
        D = measured([BASELINE, "-r", a.full_replicates], out, 1)
    load1 = os.getloadavg()
    t1 = (B["cpu"] - C["cpu"]) / (n - 1)
    l1 = C["cpu"] - t1
    load_n = A["cpu"] - n * t1
    T = (D["cpu"] - l1) / a.full_replicates
    tasks = n * a.replicates
    total = load_n + tasks * T
    w = D["writer"] / a.full_replicates
    ev = D["events"] / a.full_replicates
    print(f"load average (1, 5, 15 min): before {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}, "
          f"after {load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f}; {os.cpu_count()} cores")
    for k, r in (("C", C), ("B", B), ("A", A), ("D", D)):
        print(f"{k}: cpu {r['cpu']:.2f} s, wall {r['wall']:.2f} s, events {r['events']:.0f}, "
              f"runs (cpu s) {', '.join(f'{x[0]:.2f}' for x in r['runs'])}")
    print(f"short task (1 day) t1 = {t1:.3f} cpu s; loading one scenario l1 = {l1:.3f} cpu s")
    print(f"loading and expanding the {n}-point sweep = {load_n:.3f} cpu s ({load_n / n:.3f} per scenario)")
    print(f"full task T = {T:.2f} cpu s, {ev:.0f} events ({ev / T / 1e6:.2f}M events per cpu s), "
          f"writer {w:.3f} s per task")
    print(f"extrapolated {n} x {a.replicates} sweep, full horizon: {total:.0f} cpu s "
          f"({total / 3600:.2f} cpu hours; {total / 2 / 60:.0f} min on 2 idle cores), "
          f"{tasks * ev:.3g} events")
    share_w = D["writer"] / D["wall"]
    print(f"per-scenario overhead (loading, expanding): {100 * load_n / total:.3f}% of the run; "
          f"writing (writer wall / run wall in D): {100 * share_w:.2f}%; "
          f"together {100 * (load_n / total + share_w):.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
