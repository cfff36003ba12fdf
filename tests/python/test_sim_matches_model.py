"""The simulator on the committed baseline tables reproduces the fitted forward model's expected
first projected year (year ending 31 March 2018) for the children who enter care in it: their
exits by reason x age band (docs/calibration.md, "Simulation and the model").

The simulator runs scenarios/baseline_care_only.yaml for one year with no initial stock and the
parameter draws replaced by one row that pins the chosen projection rule (rule block 0) and
draws no parameters, so each replicate's expected counts are the model's. The model
(caresim.calibrate) runs the same fitted parameters (calibration/parameters.csv) and rule from
nobody in care through the year. Unaccompanied asylum-seeking children are left out on both
sides (the simulator's uasc_flow is subtracted; the model's UASC stream is separate).

What is not checked here: the 18th birthdays of the year's entrants, which the monthly model
counts when they fall on its last month boundary of the year (the simulator's entrants spread
over the month, and half of those are after the year; about 8% of the entrants' 18th
birthdays); and the children in care at the start, whose first-year adoptions of babies the
simulator draws about 6% below the model (docs/calibration.md, "Simulation and the model").

Tolerance: each count is a sum over many children of events independent between children
(entries are Poisson; each entrant leaves at most once for a given reason in a year, bar
re-entrants), so its variance is at most its mean; over REPS replicates the mean's standard
error is at most sqrt(expected / REPS). Each count of reason x age band must be within K = 4 of
those standard errors, and counts the model expects to be zero (adoptions from 10, living
independently before 16) must be zero. The seed is fixed by the scenario. Needs the published
series (../shared/data, as calibrate_reproduce.py): skipped without them.
"""
import copy
import csv
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from published import data_dir  # noqa: E402
sys.path.insert(0, str(ROOT / "analysis"))
from caresim.calibrate import data as cdata, forward, model, params, projection  # noqa: E402

CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "models" / "data"
REPS, K, LAST_FIT = 20, 4.0, 2017


def chosen_rule() -> projection.Rule:
    for r in csv.DictReader(open(DATA / "calibration" / "projection_rules.csv")):
        if r["draw_rule"] == "0":
            return projection.Rule(float(r["entry_damping"]), float(r["exit_damping"]), float(r["uasc_damping"]))
    raise AssertionError("projection_rules.csv has no rule drawn as rule 0")


def model_entrants() -> np.ndarray:
    """Expected exits of the year's entrants (not UASC) by reason x age band, [5, 5]."""
    theta = np.array([float(r["estimate"]) for r in csv.DictReader(open(DATA / "calibration" / "parameters.csv"))])
    t = cdata.load(data_dir())
    years = list(range(model.FIRST_YEAR, LAST_FIT + 2))
    rates = params.year_rates(theta, years, LAST_FIT, model.reentry_rates(), t.ts_starts, chosen_rule())
    start = forward.run(rates[:1], years[:1])
    nobody = copy.copy(start)
    nobody.grid, nobody.home, nobody.cap_days = (np.zeros_like(a) for a in (start.grid, start.home, start.cap_days))
    return forward.run(rates[-1:], years[-1:], start=nobody).exits_age[0]


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def simulated_entrants(tmp: Path) -> np.ndarray:
    """Mean exits of the year's entrants (not UASC) by reason x age band over REPS replicates."""
    draws = tmp / "rule0.csv"
    draws.write_text("draw,rule,source\n0,0,the chosen rule alone and no parameter draws\n")
    scen = tmp / "entrants.yaml"
    scen.write_text(f"extends: {ROOT / 'scenarios' / 'baseline_care_only.yaml'}\nname: entrants\n"
                    f"horizon: 1y\ninitial_stock: none\ntables:\n  parameter_draws: {draws}\n")
    out = tmp / "entrants.h5"
    subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", str(REPS)], check=True)
    with h5py.File(out, "r") as f:
        tr = labels(f, "transition")
        assert labels(f, "age_band") == ["under_1", "1_4", "5_9", "10_15", "16_17"]
        flow = (f["flow"][0, :, 1] - f["uasc_flow"][0, :, 1]).sum(axis=1).mean(axis=0)   # [transition, age]
        return np.array([flow[tr.index(r)] for r in forward.EXITS])


def test_entrants_first_year_exits_match_the_model(tmp_path):
    if data_dir() is None:
        pytest.skip("no published series (../shared/data)")
    want, got = model_entrants(), simulated_entrants(tmp_path)
    bad = []
    for k, reason in enumerate(forward.EXITS):
        for b in range(5):
            if want[k, b] == 0:
                if got[k, b] != 0:
                    bad.append(f"{reason} age band {b}: simulated {got[k, b]:.1f}, model 0")
                continue
            z = (got[k, b] - want[k, b]) / np.sqrt(want[k, b] / REPS)
            if abs(z) > K:
                bad.append(f"{reason} age band {b}: simulated {got[k, b]:.1f}, model {want[k, b]:.1f} ({z:+.1f} se)")
    assert not bad, "; ".join(bad)
