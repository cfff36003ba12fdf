"""`caresim run --areas/--horizon`, `caresim help run`, and signed counts in a real run file."""
import os
import subprocess
from pathlib import Path

import numpy as np
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SMALL = ROOT / "tests" / "data" / "small"


def run(*args):
    return subprocess.run([CARESIM, *map(str, args)], capture_output=True, text=True, timeout=300)


def test_help_run_prints_run_help():
    """Was: `caresim help run` printed the top-level help."""
    r = run("help", "run")
    assert r.returncode == 0 and r.stdout.startswith("usage: caresim run FILE")
    assert "--areas" in r.stdout and "--horizon" in r.stdout
    assert run("help", "validate").stdout.startswith("usage: caresim validate")
    assert run("help", "nope").returncode == 2


def test_areas_and_horizon(tmp_path):
    out = tmp_path / "one.h5"
    r = run("run", SMALL / "scenario.yaml", "--areas", "E06000001", "--horizon", "1y", "-r", "2",
            "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert list(ds.area.values) == ["E06000001"]
    assert str(ds.time.values[-1])[:10] == "2018-03-31"
    assert "horizon: 1y" in ds.attrs["scenario_yaml"]
    ds.close()
    for args, msg in ((["--areas", "E99999999"], "--areas: 'E99999999' is not an area"),
                      (["--horizon", "soon"], "--horizon: expected a duration")):
        bad = tmp_path / "bad.h5"
        r = run("run", SMALL / "scenario.yaml", *args, "-o", bad, "-q")
        assert r.returncode == 2 and msg in r.stderr and not bad.exists(), r.stderr


def test_differences_do_not_wrap(tmp_path):
    """Was: uint32 counts, so variant - baseline wrapped to 1.8e19 where the variant is lower."""
    out = tmp_path / "pair.h5"
    r = run("run", SMALL / "scenario.yaml", SMALL / "variant.yaml", "-o", out, "-q", "-r", "2")
    assert r.returncode == 0, r.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds.stock.dtype == np.int32 and ds.flow.dtype == np.int32
    names = [str(s) for s in ds.scenario.values]
    d = (ds.stock.isel(scenario=1) - ds.stock.isel(scenario=0)).values
    assert d.min() < 0 and abs(d).max() < 1e6, names
    ds.close()
