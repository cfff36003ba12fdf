"""Finds, by bisection with common random numbers, the one hazard ratio that, tied across every
effect of a derivation scenario, makes the simulated change in children in care equal a
published one (docs/programmes.md, "From published figures to hazard ratios").

The scenario (scenarios/derive/no_wrong_door_north_yorkshire.yaml) gives the ratio once, as
the YAML anchor `&r`, and refers to it (`*r`) from each effect it ties. Each step runs that scenario with the anchor set
to the trial ratio, on the same seed and replicates as the run with ratio 1 (the council
without the programme), so replicate r of every run sees the same world: the change is
end count / end count without the programme - 1, replicate by replicate, averaged (or, with
--before-after, end count / start count - 1). The change falls as the ratio falls (fewer moves
into care), so the root is bracketed by [--lo, 1] and halved until it is narrower than --tol.

    PYTHONPATH=analysis python3 scenarios/derive/tied_ratio.py \\
        scenarios/derive/no_wrong_door_north_yorkshire.yaml --areas E10000023 -r 400 --change -0.18

Prints every step, the ratio, its Monte-Carlo standard error (the se of the mean change at
the root over the slope of a line through the steps within 0.15 of it) and the interval that
rule 2 of docs/programmes.md gives a before/after figure, [r^2, 1].
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import caresim
from caresim import measures

ROOT = Path(__file__).resolve().parents[2]
ANCHOR = re.compile(r"&r\s+[-+0-9.eE]+")


def scenario_text(template: Path, ratio: float) -> str:
    """The template with the anchored ratio set and its `extends:` made absolute."""
    text = template.read_text()
    if len(ANCHOR.findall(text)) != 1:
        raise SystemExit(f"{template}: expected exactly one ratio anchored as `&r NUMBER`")
    text = ANCHOR.sub(f"&r {ratio!r}", text)

    def absolute(m):
        return f"extends: {(template.parent / m.group(1).strip()).resolve()}"
    return re.sub(r"(?m)^extends:\s*(\S+)", absolute, text)


def end_counts(template: Path, ratio: float, a, work: Path) -> np.ndarray:
    """Children in care (replicate, time) of the template run at `ratio`."""
    src, out = work / "trial.yaml", work / "trial.h5"
    src.write_text(scenario_text(template, ratio))
    cmd = [a.caresim, "run", str(src), "-o", str(out), "-f", "-q", "-r", str(a.replicates), "-s", str(a.seed)]
    if a.areas:
        cmd += ["--areas", a.areas]
    if a.threads:
        cmd += ["-t", str(a.threads)]
    subprocess.run(cmd, check=True)
    ds = caresim.open_run(str(out))
    care = measures.in_care(ds).compute().isel(scenario=0)        # replicate, time
    return np.asarray(care.transpose("replicate", "time").values, dtype=float)


def change(care: np.ndarray, none: np.ndarray, before_after: bool) -> np.ndarray:
    """The change in children in care per replicate."""
    return care[:, -1] / care[:, 0] - 1 if before_after else care[:, -1] / none[:, -1] - 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--change", type=float, required=True, help="published relative change, e.g. -0.18")
    ap.add_argument("--areas", default="", help="passed to caresim run --areas (the council's code)")
    ap.add_argument("-r", "--replicates", type=int, default=400)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("-t", "--threads", type=int, default=0)
    ap.add_argument("--lo", type=float, default=0.001, help="the smallest ratio tried (default 0.001)")
    ap.add_argument("--tol", type=float, default=0.002, help="stop when the bracket is narrower (default 0.002)")
    ap.add_argument("--before-after", action="store_true",
                    help="the change from the first to the last observation, not against ratio 1")
    ap.add_argument("--caresim", default=os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim")))
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        none = end_counts(a.scenario, 1.0, a, work)
        memo = {}

        def f(x):
            if x not in memo:
                c = change(end_counts(a.scenario, x, a, work), none, a.before_after)
                memo[x] = (c.mean(), c.std(ddof=1) / np.sqrt(len(c)))
                print(f"ratio {x:.4f}: change {memo[x][0]:+.4f} (se {memo[x][1]:.4f})", flush=True)
            return memo[x][0]

        lo, hi = a.lo, 1.0
        f_lo, f_hi = f(lo), f(hi)
        if not f_lo <= a.change <= f_hi:
            print(f"no ratio in [{lo}, {hi}] gives a change of {a.change:+.4f} "
                  f"(from {f_lo:+.4f} to {f_hi:+.4f})", file=sys.stderr)
            return 1
        while hi - lo > a.tol:
            mid = 0.5 * (lo + hi)
            if f(mid) <= a.change:
                lo, f_lo = mid, memo[mid][0]
            else:
                hi, f_hi = mid, memo[mid][0]
        r = lo + (a.change - f_lo) * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
        near = sorted(x for x in memo if abs(x - r) <= 0.15)   # the slope over a span wider than the noise
        if len(near) < 2:
            near = sorted(memo)
        slope = np.polyfit(near, [memo[x][0] for x in near], 1)[0]
        se = max(memo[lo][1], memo[hi][1])
        print(f"ratio matching a change of {a.change:+.4f}: {r:.3f} (Monte-Carlo se {se / slope:.3f} "
              f"over {a.replicates} replicates; slope {slope:.3f} per unit of ratio)")
        print(f"rule 2 interval (before/after evidence): [{r * r:.3f}, 1]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
