"""The Python command line and the package behave for an analyst: one locking setting, a flat
compare table, cumulative and discounted cost, --version, per-command help, no silent
overwrite, one-line errors with exit status 2 (each a problem met in use, reproduced here)."""
import subprocess
import sys
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import caresim
from caresim import cli, measures

ANALYSIS = Path(__file__).resolve().parents[1]


def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS))
    return subprocess.run([sys.executable, "-m", "caresim", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("order", ["open_run first", "xarray first"])
def test_open_run_and_open_dataset_mix(multi, order):
    """Was: OSError 'file locking flag values don't match', in either order."""
    path = multi[0]
    if order == "open_run first":
        a = caresim.open_run(path)
        b = xr.open_dataset(path, engine="h5netcdf")
    else:
        b = xr.open_dataset(path, engine="h5netcdf")
        a = caresim.open_run(path)
    assert float(a.stock.sum()) == float(b.stock.sum())
    a.close()
    b.close()


def test_signed_differences(multi):
    """Was: unsigned counts, so scenario b - scenario a wrapped to ~1.8e19 (the README's own
    pattern). The writer (and runfile.py, in its layout) stores int32."""
    ds = xr.open_dataset(multi[0], engine="h5netcdf")
    assert ds.stock.dtype == np.int32
    d = ds.stock.sel(scenario="programme") - ds.stock.sel(scenario="baseline")
    x = multi[1]["stock"]
    assert int(d.min()) == int((x[1].astype(np.int64) - x[0]).min()) < 0
    ds.close()


def test_compare_is_flat(multi, tmp_path):
    """Was: `scenario` both index level and column: reset_index() raised, the CSV had two."""
    df = caresim.compare(caresim.open_run(multi[0]), baseline="baseline")
    flat = df.reset_index()
    assert len(set(flat.columns)) == len(flat.columns)
    assert {"scenario", "time", "baseline", "baseline_mean", "scenario_mean", "diff"} <= set(flat.columns)
    csv = tmp_path / "c.csv"
    assert cli.main(["compare", str(multi[0]), "--csv", str(csv)]) == 0
    head = csv.read_text().splitlines()[0].split(",")
    assert head.count("scenario") == 1 and head[:3] == ["scenario", "time", "baseline"]


def test_cumulative_and_discounted_cost(multi):
    ds = caresim.open_run(multi[0])
    cost = measures.cost(ds).compute()
    cum = measures.cumulative(cost)
    disc = measures.cumulative(cost, 0.035)
    x = multi[1]["cost"].sum(axis=(3, 4))                        # scenario, replicate, time
    years = (multi[1]["times"] - multi[1]["times"][0]) / 365.25
    assert np.allclose(cum.values[..., -1], x[..., 1:].sum(-1))
    assert np.allclose(disc.values[..., -1], (x[..., 1:] / 1.035 ** years[1:]).sum(-1))
    assert (disc.values[..., -1] < cum.values[..., -1]).all()
    head = caresim.tables.headline(ds)
    labels = head.index.get_level_values("measure")
    assert any("cumulative to" in m for m in labels) and any("discounted at 3.5%" in m for m in labels)
    df = cli._table(cli.parser().parse_args(["compare", str(multi[0]), "--var", "cost",
                                             "--discount", "0.035"]), "compare")
    assert np.isfinite(df["diff"]).all()


def test_where_time_keeps_children_in_care(multi):
    """Was: `--where time=DATE` on stock dropped the default state=lac and summed every state;
    the figures were children in care plus those gone home."""
    args = cli.parser().parse_args
    every = cli._table(args(["summary", str(multi[0]), "--var", "stock"]), "summary")
    day = str(every.index.get_level_values("time")[-1].date())
    one = cli._table(args(["summary", str(multi[0]), "--var", "stock", "--where", f"time={day}"]),
                     "summary")
    last = every.xs(every.index.get_level_values("time")[-1], level="time")
    np.testing.assert_array_equal(one["mean"].to_numpy(), last["mean"].to_numpy())
    lac = multi[1]["stock"][:, :, -1, :, 0, :].sum(axis=(2, 3))   # state 0 is lac in runfile
    np.testing.assert_allclose(one["mean"].to_numpy(), lac.mean(axis=1))


def test_summary_by_without_var_is_not_the_headline(multi, capsys):
    """Was: `summary RUN --by region` printed the headline table, --by silently ignored."""
    assert cli.main(["summary", str(multi[0]), "--by", "region"]) == 0
    out = capsys.readouterr().out
    assert "region" in out and "London" in out and "Children in care" not in out


def test_compare_prints_rel_as_a_percentage(multi, tmp_path, capsys):
    """Was: the relative difference printed as a fraction with two decimals (-0.0196 as -0.02,
    read as -0.02%); printed it is a percentage, in the CSV still the fraction."""
    assert cli.main(["compare", str(multi[0])]) == 0
    out = capsys.readouterr().out
    csv = tmp_path / "c.csv"
    assert cli.main(["compare", str(multi[0]), "--csv", str(csv)]) == 0
    rel = pd.read_csv(csv)["rel"].dropna()
    assert all(f"{100 * v:+.1f}%" in out for v in rel)


def test_export_table_csv_and_xlsx(multi, tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl not installed")
    xlsx = tmp_path / "t.xlsx"
    assert cli.main(["export", "table", str(multi[0]), "-o", str(xlsx), "--table", "compare",
                     "--var", "flow", "--where", "transition=entry", "--baseline", "baseline"]) == 0
    wb = openpyxl.load_workbook(xlsx)
    rows = list(wb["compare"].values)
    assert rows[0][:3] == ("scenario", "time", "baseline") and len(rows) == 1 + 2 * 4
    csv = tmp_path / "h.csv"
    assert cli.main(["export", "table", str(multi[0]), "-o", str(csv)]) == 0
    assert list(pd.read_csv(csv).columns[:3]) == ["scenario", "measure", "n"]


def test_version_and_help():
    r = run_cli("--version")
    assert r.returncode == 0 and caresim.__version__ in r.stdout
    r = run_cli("help", "compare")
    assert r.returncode == 0 and "--baseline" in r.stdout and "--discount" in r.stdout
    r = run_cli("help", "nope")
    assert r.returncode == 2 and "no command 'nope'" in r.stderr


def test_refuses_to_overwrite(multi, tmp_path):
    """Was: report.html overwritten silently."""
    out = tmp_path / "report.html"
    out.write_text("earlier work")
    r = run_cli("report", multi[0], "-o", out)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_text() == "earlier work"
    r = run_cli("report", multi[0], "-o", out, "--force")
    assert r.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("existing", ["lac.csv", "lac_ci.csv", "home.csv", "home_ci.csv"])
def test_rates_refuses_to_overwrite(tmp_path, existing):
    """Was: `rates` wrote over an existing hazard table (or its intervals) without --force, the
    one command that did; it refuses before reading the episodes."""
    out = tmp_path / existing
    out.write_text("earlier work")
    r = run_cli("rates", tmp_path / "episodes.csv", "-o", tmp_path / "lac.csv",
                "--reentry", tmp_path / "home.csv")
    assert r.returncode == 2 and "--force" in r.stderr and out.read_text() == "earlier work", r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,expect", [
    (["summary", "{run}", "--var", "flow", "--where", "transition=entry_typo"],
     "--where transition=entry_typo: no such label"),
    (["summary", "{run}", "--var", "stocks"], "--var stocks: no such variable"),
    (["compare", "{run}", "--baseline", "nope"], "no scenario 'nope'"),
    (["info", "{bad}"], "not an HDF5 file"),
    (["summary", "{run}", "--var", "stock", "--where", "time=2099-01-01"],
     "--where time=2099-01-01: not an observation date of the run"),
    (["compare", "{run}", "--var", "cost", "--discount", "-0.5"],
     "--discount -0.5: expected a rate a year >= 0"),
    (["report", "{missing}"], "no such file"),
])
def test_bad_input_one_line_exit_2(multi, tmp_path, args, expect):
    """Was: raw xarray text or a traceback on a wrong label or a non-HDF5 file."""
    bad = tmp_path / "notes.h5"
    bad.write_text("not hdf5")
    sub = {"{run}": str(multi[0]), "{bad}": str(bad), "{missing}": str(tmp_path / "none.h5")}
    r = run_cli(*[sub.get(x, x) for x in args])
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("caresim: ") and expect in lines[0], r.stderr
