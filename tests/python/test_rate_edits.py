"""Rate edits (adjust: with times, add_... and from; docs/scenarios.md "Rate edits") on the
Poisson scenario (tests/data/poisson: 10 areas, entries L = 0.5 a day per area, every child
under 1 at entry, one exit hazard M = 1/400 a day, no placement moves, nobody goes home).
Tolerances are derived from theory and stated with each check; seeds are fixed by the files."""
import csv
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data" / "poisson"
L, M = 0.5, 1.0 / 400


def run(tmp_path, name, *files):
    out = tmp_path / f"{name}.h5"
    subprocess.run([CARESIM, "run", *[str(DATA / f) for f in files], "-o", str(out), "-q", "--threads", "2"],
                   check=True)
    return h5py.File(out, "r")


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def exits_and_days(f, s, period):
    tr = labels(f, "transition")
    exits = f["flow"][s, :, period, :, tr.index("other"), :].sum()
    days = f["days_in_care"][s, :, period].sum()
    return float(exits), float(days)


def test_additive_edits(tmp_path):
    """edit_add.yaml: entries L + L, exit hazard M/2 + 2.5e-3 a day = 1.5 M.
    Entries over the run are Poisson with mean n 2L T (n = replicates x areas): accept 4 sqrt.
    Exits / days in care estimates the hazard with relative se 1/sqrt(exits): accept 4 se."""
    with run(tmp_path, "add", "edit_add.yaml") as f:
        tr = labels(f, "transition")
        horizon = f["time"][-1]
        n = f["replicate"].shape[0] * f["area"].shape[0]
        entries = float(f["flow"][0, :, :, :, tr.index("entry"), :].sum())
        mean = n * 2 * L * horizon
        assert abs(entries - mean) < 4 * np.sqrt(mean), (entries, mean)
        exits = days = 0.0
        for p in (1, 2):
            e, d = exits_and_days(f, 0, p)
            exits, days = exits + e, days + d
        assert abs((exits / days) / (1.5 * M) - 1) < 4 / np.sqrt(exits), (exits / days, 1.5 * M)


def test_dated_edit_changes_nothing_before_its_date(tmp_path):
    """edit_dated.yaml triples the exit hazard from day 365 (the second observation). Before that
    date every child's draws are the unedited run's (a draw that would cross the date stops
    there), so stock at days 0 and 365 and the flows of the first period are identical, and the
    first period's days in care agree to rounding (the same terms summed in another order after
    the date: relative 1e-9, docs/model.md). After it, exits / days estimates 3 M (4 se)."""
    with run(tmp_path, "dated", "edit_base.yaml", "edit_dated.yaml") as f:
        assert f["time"][1] == 365
        stock, flow = f["stock"][...], f["flow"][...]
        assert np.array_equal(stock[0, :, :2], stock[1, :, :2])
        assert np.array_equal(flow[0, :, :2], flow[1, :, :2])
        assert not np.array_equal(flow[0, :, 2], flow[1, :, 2])
        d0, d1 = f["days_in_care"][0, :, 1], f["days_in_care"][1, :, 1]
        np.testing.assert_allclose(d1, d0, rtol=1e-9)
        for s, r in ((0, 1.0), (1, 3.0)):
            e, d = exits_and_days(f, s, 2)
            assert abs((e / d) / (r * M) - 1) < 4 / np.sqrt(e), (s, e / d, r * M)


def test_share_edit_rescales_the_other_types(tmp_path):
    """edit_dated.yaml adds 0.1 to the residential share at entry; the other types share the
    rest in proportion to their table shares. No hazard depends on the placement, so at the
    horizon the children in each type are multinomial with those shares over N children: each
    fraction within 4 binomial se sqrt(p (1 - p) / N)."""
    with open(ROOT / "models" / "data" / "placement_shares.csv") as fh:
        row = next(r for r in csv.DictReader(fh) if r["age_band"] == "under_1")
    with run(tmp_path, "share", "edit_base.yaml", "edit_dated.yaml") as f:
        pl = labels(f, "placement")
        raw = np.array([float(row[p]) for p in pl])
        res = pl.index("residential")
        want = raw * (1 - (raw[res] + 0.1)) / (1 - raw[res])
        want[res] = raw[res] + 0.1
        counts = f["placements"][1, :, -1].sum(axis=(0, 1, 3)).astype(float)
        N = counts.sum()
        got = counts / N
        se = np.sqrt(want * (1 - want) / N)
        assert np.all(np.abs(got - want) <= 4 * se + 1e-12), (got, want)
