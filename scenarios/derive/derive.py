"""Reads a derivation sweep (scenarios/derive/*.yaml): for each swept ratio, the mean change in
children in care from the first to the last observation across replicates, and the ratio at
which that change equals the published one (linear interpolation between grid points).
With --versus-no-effect the change is instead the end count against the end count of the
point with ratio 1 (the same council without the programme), replicate by replicate.

    PYTHONPATH=analysis python3 scenarios/derive/derive.py RUN.h5 --change -0.18
"""
import argparse
import sys

import numpy as np

import caresim
from caresim import measures, sweeps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--change", type=float, required=True, help="published relative change, e.g. -0.18")
    ap.add_argument("--versus-no-effect", action="store_true",
                    help="compare the end count with the ratio-1 point's, not with the start")
    a = ap.parse_args(argv)
    ds = caresim.open_run(a.run)
    care = measures.in_care(ds).compute()                     # scenario, replicate, time
    (param,) = sweeps.parameters(ds)
    x = np.asarray(ds[param].values, dtype=float)
    if a.versus_no_effect:
        base = care.isel(time=-1, scenario=int(np.flatnonzero(x == 1.0)[0]))
        rel = care.isel(time=-1) / base - 1
    else:
        rel = care.isel(time=-1) / care.isel(time=0) - 1
    mean, se = rel.mean("replicate").values, rel.std("replicate").values / np.sqrt(rel.sizes["replicate"])
    order = np.argsort(x)
    print(f"{param}  change in children in care (mean over {rel.sizes['replicate']} replicates, se)")
    for i in order:
        print(f"{x[i]:8.3f}  {mean[i]:+.4f}  ({se[i]:.4f})")
    xs, ys = x[order], mean[order]
    for i in range(len(xs) - 1):
        lo, hi = sorted((ys[i], ys[i + 1]))
        if lo <= a.change <= hi and ys[i] != ys[i + 1]:
            r = xs[i] + (a.change - ys[i]) * (xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i])
            print(f"ratio matching a change of {a.change:+.4f}: {r:.3f}")
            return 0
    print(f"no ratio in [{xs[0]}, {xs[-1]}] gives a change of {a.change:+.4f}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
