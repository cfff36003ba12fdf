"""The fit recovers known parameters from series the simulator made (docs/calibration.md,
"Simulation and the model").

Truth: the recovery test's parameters (analysis/tests/test_calibrate.py `truth`) with the exit
slope after the knot equal to the one before it (the tables below carry one slope per reason),
no year effects and no change before 2010. Calibrate's own writers (caresim.calibrate.tables,
report.entry_ages) turn them into simulator tables as if 2010 were the last fitted year: entry
rates, exit hazards and entry ages of 2010, and one `rate_trend` block continuing the fitted
lines (rule `trend`) through 2011-2017 (after a first row of ones: the simulator runs the first
row before its date), so that the simulator's year ending 31 March Y runs the
model's rates of Y. One national area, no unaccompanied asylum-seeking children (the model gets
a UASC stock of 1e-6 children: its stream needs a positive stock).

Simulation: `caresim run` from nobody in care, with a burn-in of BURN_IN years at 2010's rates
(children leave by 18, so the stock is the steady one the model starts from), observed yearly
from 31 March 1999 to 31 March 2017, REPS replicates. Their means make the published-like
series the fit takes: stock on 31 March 2000-2017 (2000-2009 as the long series' past stock),
starts (first entries and re-entries) and ceased by year, by age band and by reason (leavers at
18 split into independent living and other by the truth's share, as the model books them).

Fit: entry and exit levels and trends free (the recovery test's FREE), the rest at the truth,
started 0.15 away. Each free parameter must lie within K = 4 fitted standard errors of the
truth. The fitted errors come from the stated relative errors of the series (model.SD: 0.5% for
the stock, 1.5% for flows, 2-3% for breakdowns). The chance in the means of REPS replicates is
a few times smaller (the stock of about 37,000 varies by about 0.5% in one replicate,
0.5%/sqrt(REPS) in the mean; a band's 3,000 starts by 1.8%/sqrt(REPS)), so each z has a chance
spread of about 0.3 at most (measured over five other seeds: 0.11-0.30), and a z more than 4
from its mean by chance is beyond 10^-30: a miss is a bias between simulator and model (or
estimator), not chance. The burn-in keeps the initial stock out of it (its own check:
tests/python/test_sim_matches_model.py). The simulator's stock by age band was 3-4% above the
model's under 1 and 1.4% below at 16-17, and the fit absorbed it by raising under-1 entries (z
+3.5): the model counted a cell of age a months (a months old at the start of its month; in
the simulator's continuous ages a - 1 to a + 1) wholly in a's band on 31 March, and none of
those leaving at 18 on that day's month boundary (half of them 17 in continuous time). Read
in continuous time (forward.STOCK_W) the simulator's stock by band is within 0.6% of the
model's every band (mean of 2010-2017, this seed and seed 7), and every z is within 0.8 of 0
(0.54 at most with this seed).
Fixed seed. Runs without ../shared/data.
"""
import os
import subprocess
import sys
import types
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "analysis"))
sys.path.insert(0, str(ROOT / "analysis" / "tests"))
from caresim.calibrate import data, fit, params, projection, report, tables  # noqa: E402
from test_calibrate import FREE, truth  # noqa: E402

CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
REPS, K, BASE, LAST = 10, 4.0, 2010, 2017
FIRST_OBS, BURN_IN, SEED = 1999, 20, 20100331
POP = 11_700_000            # children aged 0-17 in the one area (entry rates are per 10,000)
SHIFT = 0.15                # the fit starts this far from the truth on each free parameter


def truth_theta() -> np.ndarray:
    th = truth()
    th[params.SL["trend2"]] = th[params.SL["trend"]]
    return th


def write_tables(th: np.ndarray, d: Path) -> Path:
    f = types.SimpleNamespace(theta=th, last_fit=BASE)
    las = [{"la_code": "E92000001", "la_name": "England", "region": "England",
            "population_0_17": str(POP), "ofsted_overall_effectiveness": "good",
            "cla_31_march_2015": "0", "cla_31_march_2016": "0", "cla_31_march_2017": "0"}]
    tables.entry_rates(d, f, None, las)
    tables.lac_hazards(d, f)
    trend = tables.rate_trend(d, f, [(projection.TREND, None)])
    # the simulator runs the first row's multipliers before its date (burn-in included): a first
    # row of ones keeps 2010's rates there, as the model does before 2010
    head, *rows = trend.read_text().splitlines(keepends=True)
    ones = ",".join(["0", f"{FIRST_OBS - BURN_IN}-03-31"] + ["1.0"] * 10 + ['"2010 rates"', '"before 2011"'])
    trend.write_text(head + ones + "\n" + "".join(rows))
    tables.areas_table(d, las, [(1.0, 1.0)])
    report.entry_ages(d, f)
    data_dir = ROOT / "models" / "data"
    scen = d / "simfit.yaml"
    scen.write_text(
        f"name: simfit\nstart_date: {FIRST_OBS}-03-31\nburn_in: {BURN_IN}y\nhorizon: {LAST - FIRST_OBS}y\n"
        f"observe: 1y\nreplicates: {REPS}\nseed: {SEED}\nfollow_up: 2y\nareas: {d / 'areas_england.csv'}\n"
        f"tables:\n  entry_rates: {d / 'entry_rates.csv'}\n  lac_hazards: {d / 'lac_hazards.csv'}\n"
        f"  home_hazards: {data_dir / 'home_hazards.csv'}\n  placement_shares: {data_dir / 'placement_shares.csv'}\n"
        f"  entry_ages: {d / 'entry_ages.csv'}\n  rate_trend: {d / 'rate_trend.csv'}\n"
        "initial_stock: none\n")
    return scen


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def simulated_targets(th: np.ndarray, d: Path) -> data.Targets:
    out = d / "simfit.h5"
    subprocess.run([CARESIM, "run", str(write_tables(th, d)), "-o", str(out), "-q"], check=True)
    with h5py.File(out, "r") as f:
        tr, st = labels(f, "transition"), labels(f, "state")
        stock = f["stock"][0, :, :, :, st.index("lac")].sum(axis=2).mean(axis=0)   # [time, age]
        flow = f["flow"][0].sum(axis=2).mean(axis=0)                              # [time, transition, age]
    years = list(range(FIRST_OBS, LAST + 1))
    assert stock.shape[0] == len(years), stock.shape
    p = params.aged_out_il_share(th)
    t = data.Targets()
    t.ts_starts = {y: 1.0 for y in range(1994, LAST + 1)}     # flat before 2010, as simulated
    t.uasc_stock = {y: 1e-6 for y in range(2004, LAST + 1)}
    for i, y in enumerate(years):
        if y < BASE:
            t.ts_stock[y] = float(stock[i].sum())
            continue
        fl = flow[i]
        ao = fl[tr.index("aged_out")].sum()
        reason = [fl[tr.index(r)].sum() for r in ("home", "adopted", "sgo_cao", "independent_living", "other")]
        reason[3] += p * ao
        reason[4] += (1 - p) * ao
        starts = fl[tr.index("entry")] + fl[tr.index("reentry")]
        t.stock[y], t.stock_age[y] = float(stock[i].sum()), [float(v) for v in stock[i]]
        t.starts[y], t.starts_age[y] = float(starts.sum()), [float(v) for v in starts]
        t.ceased[y], t.ceased_reason[y] = float(sum(reason)), [float(v) for v in reason]
    return t


def z_scores(th: np.ndarray, t: data.Targets, against: np.ndarray) -> dict:
    x0 = th.copy()
    x0[FREE] += SHIFT
    f = fit.run(t, LAST, theta0=x0, free=FREE)
    se = np.sqrt(np.diag(f.cov))[FREE]
    z = (f.theta[FREE] - against[FREE]) / se
    return dict(zip(np.array(params.NAMES)[FREE], np.round(z, 2)))


def test_fit_recovers_parameters_from_simulated_series(tmp_path):
    th = truth_theta()
    z = z_scores(th, simulated_targets(th, tmp_path), th)
    print("z-scores:", z)
    assert all(abs(v) < K for v in z.values()), z
