"""Placement capacity (tables.placement_capacity, docs/scenarios.md) in the whole model, on the
small scenario (tests/data/small) and its variants in tests/data/capacity. Deciding whether a
place is free draws no random number, and no hazard depends on the placement type, so every
child's path (its times and transitions) is the same with or without a capacity: the checks are
exact, not statistical."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data"


def run(tmp_path, name, *files, reps=None, engine=None):
    out = tmp_path / f"{name}.h5"
    cmd = [CARESIM, "run", *[str(DATA / f) for f in files], "-o", str(out), "-q", "--threads", "2"]
    cmd += ["-r", str(reps)] if reps else []
    cmd += ["--engine", engine] if engine else []
    subprocess.run(cmd, check=True)
    return h5py.File(out, "r")


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def test_capacity_that_never_binds_reproduces_the_run_without_bit_for_bit(tmp_path):
    with run(tmp_path, "never", "small/scenario.yaml", "capacity/never.yaml", reps=3, engine="event") as f:
        assert f.attrs["engine"] in ("event event", b"event event")
        for var in f:
            if var in ("stock", "placements", "flow", "days_in_care", "cost", "days_in_state"):
                assert np.array_equal(f[var][0], f[var][1]), var
        assert not f["placement_shortfall"][...].any()


def wanted_by_period(f, s, placement, obs):
    """From the episode log of scenario s (no placement moves: one episode per period of care,
    its placement drawn at entry): [replicate, period, area] counts of episodes of `placement`
    started in each observation period (obs[i-1], obs[i]]."""
    reps = f["replicate"].shape[0]
    out = np.zeros((reps, len(obs), f["area"].shape[0]), dtype=np.int64)
    for r in range(reps):
        g = f[f"episodes/s{s}_r{r}"]
        state_lac = g["state"].attrs["labels"].split(",").index("lac") if "labels" in g["state"].attrs else None
        start, pl, area = g["start"][...], g["placement"][...], g["area"][...]
        keep = (pl == placement) & (start > obs[0])
        if state_lac is not None:
            keep &= g["state"][...] == state_lac
        per = np.searchsorted(obs, start[keep], side="left")   # first obs >= start
        np.add.at(out[r], (per, area[keep]), 1)
    return out


def test_capacity_zero_sends_every_child_to_the_fallback(tmp_path):
    """nomove.yaml and zero.yaml (no foster places, fallback kinship) in one run: the same
    children with the same paths, so the shortfall of foster in each period and area equals the
    foster placements the run without capacity made then, and nobody is in foster care."""
    with run(tmp_path, "zero", "capacity/nomove.yaml", "capacity/zero.yaml") as f:
        pl = labels(f, "placement")
        foster, kinship = pl.index("foster"), pl.index("kinship")
        obs = f["time"][...]
        assert f.attrs["engine"] in ("event event", b"event event")   # auto: the capacity can bind
        for var in ("stock", "flow", "days_in_care"):
            assert np.array_equal(f[var][0], f[var][1]), var
        placements = f["placements"][...]
        assert not placements[1][..., foster, :].any()
        np.testing.assert_array_equal(placements[1][..., kinship, :],
                                      placements[0][..., kinship, :] + placements[0][..., foster, :])
        short = f["placement_shortfall"][...]
        assert not short[0].any()                                 # no capacity, no shortfall
        wanted = wanted_by_period(f, 0, foster, obs)
        assert wanted.sum() > 100
        np.testing.assert_array_equal(short[1][..., foster], wanted)
        others = [p for p in range(len(pl)) if p != foster]
        assert not short[1][..., others].any()
        # the fallback's cost: foster days now cost what kinship costs
        items = labels(f, "item")
        assert f["cost"][1][..., items.index("foster")].sum() == 0


def test_capacity_from_a_date(tmp_path):
    """dated.yaml: no foster places until 2018-03-31, unlimited after: foster placements fall
    short only in the periods up to that date, and all of them before it."""
    with run(tmp_path, "dated", "capacity/nomove.yaml", "capacity/dated.yaml") as f:
        foster = labels(f, "placement").index("foster")
        obs = f["time"][...]
        change = 365.0   # 2018-03-31 is day 365 after 2017-03-31
        short = f["placement_shortfall"][1][..., foster]
        wanted = wanted_by_period(f, 0, foster, obs)
        before = obs <= change
        np.testing.assert_array_equal(short[:, before], wanted[:, before])
        assert short[:, ~before].sum() == 0 and wanted[:, ~before].sum() > 0


def test_case_engine_refuses_a_capacity_that_can_bind(tmp_path):
    out = tmp_path / "x.h5"
    p = subprocess.run([CARESIM, "run", str(DATA / "capacity/zero.yaml"), "-o", str(out), "-q", "--engine", "case"],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert "zero.yaml: tables.placement_capacity: --engine case cannot run" in p.stderr
    assert not out.exists() and not Path(str(out) + ".part").exists()
