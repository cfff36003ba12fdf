"""The HDF5 file caresim writes opens with h5py and with xarray (h5netcdf engine), with the
named dimensions, labelled coordinates, CF time and units of README.md ("Output"), and its
numbers are consistent with each other."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SCENARIO = ROOT / "tests" / "data" / "small" / "scenario.yaml"


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "small.h5"
    subprocess.run([CARESIM, "run", str(SCENARIO), "-o", str(out), "-q", "--threads", "2"], check=True)
    return out


def test_h5py_layout(run_file):
    with h5py.File(run_file, "r") as f:
        assert f["stock"].shape == (1, 6, 7, 3, len(f["state"]), 5)
        assert f["stock"].dtype == np.int32          # signed: differences never wrap
        assert f["days_in_care"].dtype == np.float64
        assert list(f["done"][...].ravel()) == [1] * 6
        assert f.attrs["seed"] == "7"
        assert "name: \"small\"" in f.attrs["scenario_yaml"]
        assert f["time"].attrs["units"] == "days since 2017-03-31"
        for name in ("stock", "placements", "flow", "days_in_care", "cost", "done"):
            assert "units" in f[name].attrs, name


def test_xarray_dimensions(run_file):
    ds = xr.open_dataset(run_file, engine="h5netcdf")
    assert ds["stock"].dims == ("scenario", "replicate", "time", "area", "state", "age_band")
    assert ds["placements"].dims == ("scenario", "replicate", "time", "area", "placement", "age_band")
    assert ds["flow"].dims == ("scenario", "replicate", "time", "area", "transition", "age_band")
    assert ds["days_in_care"].dims == ("scenario", "replicate", "time", "area", "age_band")
    assert ds["cost"].dims == ("scenario", "replicate", "time", "area", "item")
    assert ds["done"].dims == ("scenario", "replicate")
    assert list(ds.scenario.values) == ["small"]
    assert list(ds.state.values) == ["lac", "home", "cin", "cpp", "closed_recent"]   # all states, also without the pathway
    assert list(ds.age_band.values) == ["under_1", "1_4", "5_9", "10_15", "16_17"]
    assert "entry" in list(ds.transition.values) and "aged_out" in list(ds.transition.values)
    assert set(ds.area.values) == {"E09000007", "E08000025", "E06000001"}
    assert ds.area_name.sel(area="E08000025").item() == "Birmingham"
    assert np.issubdtype(ds.time.dtype, np.datetime64)
    assert str(ds.time.values[0])[:10] == "2017-03-31"
    assert str(ds.time.values[-1])[:10] == "2020-03-31"
    assert str(ds.time.values[1])[:10] == "2017-09-30"
    assert ds["days_in_care"].attrs["units"] == "child-days"
    ds.close()


def test_numbers_consistent(run_file):
    ds = xr.open_dataset(run_file, engine="h5netcdf")
    lac = ds.stock.sel(state="lac").sum("age_band")
    placed = ds.placements.sum(["placement", "age_band"])
    assert (lac.values == placed.values).all()
    # after a 5-year burn-in the three areas hold children in care
    assert (lac.isel(time=0).sum("area").values > 100).all()
    # days in care over a period lie between the stocks at its ends times its length, roughly:
    # never more than (max stock + entries) x days in the period
    days = ds.days_in_care.sum(["area", "age_band"]).isel(scenario=0, time=slice(1, None))
    span = np.diff(ds.time.values).astype("timedelta64[D]").astype(float)
    upper = (lac.sum("area").isel(scenario=0).values.max() +
             ds.flow.sel(transition=["entry", "reentry"]).sum().item()) * span.max()
    assert (days.values > 0).all() and (days.values < upper).all()
    # nothing counted before the start date
    assert ds.flow.isel(time=0).sum().item() == 0
    ds.close()


def test_episode_log_matches_counts(tmp_path):
    """With output.episodes on, the log agrees with the counted outputs: episodes still open at
    the horizon are the children in care then; entries after the start date are the episodes
    started by entry then; every closed episode ends no earlier than it starts."""
    text = SCENARIO.read_text().replace("initial_stock: none", "initial_stock: none\noutput: {episodes: true}")
    text = text.replace("areas: areas.csv", f"areas: {SCENARIO.parent / 'areas.csv'}")
    text = text.replace("../../../models", str(ROOT / "models"))
    scen = tmp_path / "episodes.yaml"
    scen.write_text(text)
    out = tmp_path / "ep.h5"
    subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", "3"], check=True)
    ds = xr.open_dataset(out, engine="h5netcdf")   # the episodes group does not disturb xarray
    with h5py.File(out, "r") as f:
        assert sorted(f["episodes"].keys()) == ["s0_r0", "s0_r1", "s0_r2"]
        for r in range(3):
            g = f[f"episodes/s0_r{r}"]
            start, end = g["start"][...], g["end"][...]
            started = g["reason_started"][...]
            labels = g["reason_started"].attrs["labels"].split(",")
            open_ = np.isnan(end)
            lac_end = ds.stock.isel(scenario=0, replicate=r, time=-1).sel(state="lac").sum().item()
            assert open_.sum() == lac_end
            entries = ds.flow.isel(scenario=0, replicate=r).sel(transition="entry").sum().item()
            assert ((started == labels.index("entry")) & (start > 0)).sum() == entries
            assert (end[~open_] >= start[~open_]).all()
    ds.close()


def test_variant_runs_beside_baseline(tmp_path, run_file):
    """A variant (extends + adjust) in the same run: scenario is a dimension of length 2, the
    baseline's numbers are bit-identical to the baseline run alone (streams never depend on the
    scenario index), and the variant, with more returns home, has more `home` exits."""
    out = tmp_path / "pair.h5"
    subprocess.run([CARESIM, "run", str(SCENARIO), str(SCENARIO.parent / "variant.yaml"), "-o", str(out), "-q"],
                   check=True)
    pair = xr.open_dataset(out, engine="h5netcdf")
    alone = xr.open_dataset(run_file, engine="h5netcdf")
    assert list(pair.scenario.values) == ["small", "small_variant"]
    for v in ("stock", "flow", "days_in_care", "cost"):
        assert (pair[v].sel(scenario="small").values == alone[v].sel(scenario="small").values).all(), v
    home = pair.flow.sel(transition="home").sum(["time", "area", "age_band"])
    assert (home.sel(scenario="small_variant") > home.sel(scenario="small")).all()
    assert pair.attrs["scenario_yaml"].count("---") == 2
    pair.close()
    alone.close()


def test_open_run_masks_interrupted_run(tmp_path):
    """A run stopped by SIGINT leaves OUTPUT.part with the finished tasks; caresim.open_run reads
    it, finished tasks hold their numbers and unfinished ones are NaN, never zeros."""
    import signal
    import time

    import caresim
    out = tmp_path / "big.h5"
    proc = subprocess.Popen([CARESIM, "run", str(SCENARIO), "-o", str(out), "-q", "-r", "4000", "--threads", "1"],
                            stderr=subprocess.PIPE, text=True)
    part = tmp_path / "big.h5.part"
    deadline = time.time() + 60
    while time.time() < deadline:
        if part.exists():
            try:   # the writer may be mid-flush: a failed peek (OSError, or RuntimeError from a
                   # half-written object header) is retried
                with h5py.File(part, "r", locking=False) as f:
                    if "done" in f and f["done"][...].sum() >= 3:
                        break
            except (OSError, RuntimeError):
                pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert part.exists() and not out.exists()
    with pytest.warns(RuntimeWarning, match="masked"):
        ds = caresim.open_run(part)
    done = ds["done"].values.ravel() == 1
    assert 3 <= done.sum() < 4000
    lac = ds.stock.sel(state="lac").sum(["area", "age_band"], skipna=False).isel(scenario=0).values
    assert np.isfinite(lac[done]).all() and (lac[done] > 0).all()
    assert np.isnan(lac[~done]).all()
    ds.close()


def test_placement_moves_follow_their_shares(tmp_path):
    """With tables.placement_move_shares sending every move to kinship care, every episode
    begun by a placement move is in kinship care (the episode log says so)."""
    d = tmp_path
    (d / "moves.csv").write_text("age_band,foster,kinship,residential,placed_with_parents,independent\n" +
                                 "".join(f"{a},0,1,0,0,0\n" for a in ("under_1", "1_4", "5_9", "10_15", "16_17")))
    text = SCENARIO.read_text().replace("initial_stock: none",
                                        f"initial_stock: none\noutput: {{episodes: true}}")
    text = text.replace("areas: areas.csv", f"areas: {SCENARIO.parent / 'areas.csv'}")
    text = text.replace("../../../models", str(ROOT / "models"))
    text = text.replace("  placement_costs:", f"  placement_move_shares: {d / 'moves.csv'}\n  placement_costs:")
    (d / "s.yaml").write_text(text)
    subprocess.run([CARESIM, "run", str(d / "s.yaml"), "-o", str(d / "m.h5"), "-q", "-r", "2"], check=True)
    with h5py.File(d / "m.h5", "r") as f:
        g = f["episodes/s0_r0"]
        starts = g["reason_started"].attrs["labels"].split(",")
        places = g["placement"].attrs["labels"].split(",")
        moved = g["reason_started"][...] == starts.index("placement_move")
        assert moved.sum() > 100
        assert (g["placement"][...][moved] == places.index("kinship")).all()
