"""Programmes in the whole model (tests/data/poisson: 10 areas, entries at L = 0.5 per day per
area, one exit hazard M = 1/400 per day, nobody ages out; docs/programmes.md). Each check's
tolerance is derived from theory and stated with it; seeds are fixed by the scenario files."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data" / "poisson"
L, M = 0.5, 1.0 / 400


def run(tmp_path, name, *files, reps=50):
    out = tmp_path / f"{name}.h5"
    subprocess.run([CARESIM, "run", *[str(DATA / f) for f in files], "-o", str(out), "-q",
                    "--threads", "2", "-r", str(reps)], check=True)
    return h5py.File(out, "r")


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def test_ratio_one_reproduces_baseline_bit_for_bit(tmp_path):
    with run(tmp_path, "identity", "scenario.yaml", "prog_identity.yaml", reps=8) as f:
        for var in ("stock", "placements", "flow", "days_in_care"):
            assert np.array_equal(f[var][0], f[var][1]), var
        items = labels(f, "item")
        k = items.index("nothing")
        cost = f["cost"][...]
        assert np.array_equal(cost[0][..., :k], cost[1][..., :k])   # placement costs identical
        assert not cost[1][..., k].any()                             # the programme costs nothing
        assert f["programme_served"][1].sum() > 0                    # ... though it served children


def test_ratio_changes_exit_rate(tmp_path):
    """Exits / days in care estimates the exit hazard (exponential stays, independent
    censoring at the horizon): with ratio r = 0.5 on every child it is r M = 1/800 per day.
    With n exits the estimate's relative se is 1/sqrt(n); accept 4 se."""
    with run(tmp_path, "ratio", "scenario.yaml", "prog_ratio.yaml") as f:
        tr = labels(f, "transition")
        exits = f["flow"][:, :, :, :, tr.index("other"), :].sum(axis=(1, 2, 3, 4)).astype(float)
        days = f["days_in_care"][...].sum(axis=(1, 2, 3, 4))
        for s, r in ((0, 1.0), (1, 0.5)):
            rate = exits[s] / days[s]
            assert abs(rate / (r * M) - 1) < 4 / np.sqrt(exits[s]), (s, rate, r * M)
        # mean time in care 1/rate: doubled, within the same se
        assert abs((exits[0] / days[0]) / (exits[1] / days[1]) - 2) < 2 * 4 * np.sqrt(1 / exits[0] + 1 / exits[1])


def test_capacity_zero_serves_nobody_and_the_list_grows_with_referrals(tmp_path):
    """Capacity 0: no child served; every entrant is referred (referrals = entries exactly);
    each waits until it leaves care at M (untreated), so waiting at t in one area is Poisson
    with mean (L/M)(1 - exp(-M t)); over n = reps x 10 counts the mean has se sqrt(mu/n)."""
    with run(tmp_path, "cap0", "prog_capacity0.yaml", reps=100) as f:
        assert f["programme_served"][...].sum() == 0
        tr = labels(f, "transition")
        entries = f["flow"][0, :, :, :, tr.index("entry"), :].sum(axis=-1)
        assert np.array_equal(f["programme_referred"][0, :, :, :, 0], entries)
        waiting = f["programme_waiting"][0, :, :, :, 0].astype(float)   # replicate, time, area
        t = f["time"][...]
        for i in range(1, len(t)):
            mu = L / M * (1 - np.exp(-M * t[i]))
            x = waiting[:, i, :].ravel()
            assert abs(x.mean() - mu) < 4 * np.sqrt(mu / x.size), (t[i], x.mean(), mu)


def test_entry_effect_thins_entries(tmp_path):
    """Entries at ratio 0.5 from 2020-12-31, the second observation: in the period after it, a
    Poisson count with mean 0.5 L x (its length in days) per area; over n counts the mean has se
    sqrt(mu / n); accept 4 se. Before the start the entries are the baseline's, draw for draw."""
    with run(tmp_path, "entry", "scenario.yaml", "prog_entry.yaml", reps=100) as f:
        tr = labels(f, "transition")
        e = f["flow"][:, :, :, :, tr.index("entry"), :].sum(axis=-1).astype(float)
        t = f["time"][...]
        days = t[2] - t[1]
        for s, r in ((0, 1.0), (1, 0.5)):
            mu = r * L * days
            x = e[s, :, 2, :].ravel()
            assert abs(x.mean() - mu) < 4 * np.sqrt(mu / x.size), (s, x.mean(), mu)
        assert np.array_equal(e[0, :, 1, :], e[1, :, 1, :])   # before the start: the same entries


def in_care_last(f):
    st = labels(f, "state")
    return f["stock"][:, :, -1, :, st.index("lac"), :].sum(axis=(2, 3)).astype(float)   # scenario, replicate


def test_effect_uncertainty_adds_variance_and_pairing_removes_it(tmp_path):
    """Children in care at the end, 200 replicates of: baseline, fixed ratio 0.5, and the ratio
    lognormal with 95% interval [0.25, 1] drawn once per replicate. The variance across
    replicates with uncertainty must exceed the chance-only (fixed) variance: one-sided F test
    at the 0.1% level. The paired difference fixed - baseline must have far less variance than
    an unpaired one (var fixed + var baseline): F test at 0.1% that var(paired) < var(unpaired) / 2
    (the ratio measured with these seeds is about 5; pairing shares every arrival and every
    child's draws, so only the programme's own change is left in the difference)."""
    n = 200
    with run(tmp_path, "unc", "scenario.yaml", "prog_ratio.yaml", "prog_uncertain.yaml", reps=n) as f:
        x = in_care_last(f)
    v_fixed, v_unc = x[1].var(ddof=1), x[2].var(ddof=1)
    assert v_unc / v_fixed > stats.f.ppf(0.999, n - 1, n - 1), (v_unc, v_fixed)
    v_paired = (x[1] - x[0]).var(ddof=1)
    v_unpaired = x[1].var(ddof=1) + x[0].var(ddof=1)
    assert (v_unpaired / 2) / v_paired > stats.f.ppf(0.999, n - 1, 2 * n - 2), (v_paired, v_unpaired)


def test_sweep_grid_writes_one_scenario_per_point(tmp_path):
    with run(tmp_path, "sweep", "prog_sweep.yaml", reps=4) as f:
        names = labels(f, "scenario")
        assert names == ["sweep_p000", "sweep_p001", "sweep_p002"]
        p = f["param_programmes_faster_effects_0_ratio"]
        assert list(p[...]) == [0.5, 0.75, 1.0]
        assert f["stock"].shape[0] == 3
        # the last point (ratio 1) is the baseline itself, bit for bit
    with run(tmp_path, "base", "scenario.yaml", reps=4) as g:
        with h5py.File(tmp_path / "sweep.h5", "r") as f:
            assert np.array_equal(f["stock"][2], g["stock"][0])
