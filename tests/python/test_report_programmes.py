"""The report's programme section on real runs of the poisson test model (tests/data/poisson):
its numbers are recomputed here straight from the HDF5 file with h5py, by the file's own labels,
so a wrong item, scenario or replicate pairing in caresim.programmes fails; a programme that
changes nothing must show nothing avoided, exactly; the HTML says which intervals carry effect
uncertainty, and Chromium finds no table wider than the page."""
import os
import re
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "analysis"))
from caresim import open_run, programmes, report  # noqa: E402
from caresim.io import run_attrs  # noqa: E402

CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data" / "poisson"
CHROMIUM = "/usr/bin/chromium"
REPS = 12


def run(out, *files, reps=REPS):
    subprocess.run([CARESIM, "run", *[str(DATA / f) for f in files], "-o", str(out), "-q",
                    "--threads", "2", "-r", str(reps)], check=True)
    return out


@pytest.fixture(scope="module")
def prog_run(tmp_path_factory):
    return run(tmp_path_factory.mktemp("prog") / "prog.h5",
               "report_baseline.yaml", "prog_report.yaml", "prog_report_fixed.yaml")


@pytest.fixture(scope="module")
def prog_report(prog_run):
    """The report of prog_run, written once for the tests that read it."""
    return report.write(prog_run, prog_run.with_suffix(".html"))


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def tables(path):
    ds = open_run(path)
    try:
        ran = programmes.runs(ds, run_attrs(ds))
        base = programmes.baseline_of(ds, ran)
        return ran, base, programmes.programme_table(ds, ran), programmes.effect_table(ds, ran, base)
    finally:
        ds.close()


def test_programme_numbers_match_the_file(prog_run):
    ran, base, per, eff = tables(prog_run)
    assert ran == {"baseline": [], "report": ["faster"], "report_fixed": ["faster"]}
    assert base == "baseline"
    with h5py.File(prog_run, "r") as f:
        scen, items, progs = labels(f, "scenario"), labels(f, "item"), labels(f, "programme")
        t = f["time"][...]
        k = items.index("faster")
        place = [i for i, name in enumerate(items) if name != "faster"]
        lac = labels(f, "state").index("lac")
        for s in ("report", "report_fixed"):
            i, b = scen.index(s), scen.index(base)
            got = per.xs(("faster", s), level=("programme", "scenario"))
            served = f["programme_served"][i, :, 1:, :, progs.index("faster")].sum(axis=(1, 2))
            cost = f["cost"][i, :, 1:, :, k].sum(axis=(1, 2))
            assert np.array_equal(got["served"].to_numpy(), served)
            assert np.array_equal(got["waiting"].to_numpy(),
                                  f["programme_waiting"][i, :, -1, :, 0].sum(axis=1))
            np.testing.assert_allclose(got["cost"], cost, rtol=1e-12)
            np.testing.assert_allclose(got["cost_per_served"], cost / served, rtol=1e-12)
            # discounted: each period's cost over 1.035^(years from the start to its end)
            years = (t[1:] - t[0]) / 365.25
            disc = (f["cost"][i, :, 1:, :, k].sum(axis=2) / 1.035 ** years).sum(axis=1)
            np.testing.assert_allclose(got["cost_discounted"], disc, rtol=1e-12)

            e = eff.xs(s, level="scenario")
            in_care = f["stock"][:, :, -1, :, lac, :].sum(axis=(2, 3))
            assert np.array_equal(e["in_care_avoided"].to_numpy(), in_care[b] - in_care[i])
            days = f["days_in_care"][:, :, 1:].sum(axis=(2, 3, 4))
            np.testing.assert_allclose(e["care_days_avoided"], days[b] - days[i], rtol=1e-12)
            pc = f["cost"][:, :, 1:, :, place].sum(axis=(2, 3, 4))
            saved = pc[b] - pc[i]
            np.testing.assert_allclose(e["placement_saved"], saved, rtol=1e-12)
            np.testing.assert_allclose(e["net_cost"], cost - saved, rtol=1e-9, atol=1e-6)
    # the programme cost money in every replicate, and its faster exits (ratio 2) saved care:
    # the mean saving over REPS replicates is more than 4 of its standard errors above 0
    assert (per["cost"] > 0).all()
    for s, d in eff["care_days_avoided"].groupby(level="scenario"):
        assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(len(d)), (s, d.to_numpy())


def test_a_programme_that_changes_nothing_avoids_nothing(tmp_path):
    """prog_identity.yaml (ratio 1, no cost) reproduces its baseline bit for bit, so every
    paired difference is exactly 0 although it serves children."""
    path = run(tmp_path / "identity.h5", "scenario.yaml", "prog_identity.yaml", reps=4)
    ran, base, per, eff = tables(path)
    assert base == "poisson" and ran["identity"] == ["nothing"]
    assert (per["served"] > 0).all() and (per["cost"] == 0).all()
    assert (eff.to_numpy() == 0).all()


def test_report_section(prog_run, prog_report):
    text = prog_report.read_text()
    assert "<h2 id='programmes'>Programmes</h2>" in text and "href='#programmes'" in text
    section = text.split("<h2 id='programmes'>")[1].split("<h2 ")[0]
    drawn = re.search(r"In report each replicate draws.*?chance\.", section).group(0)
    assert "report_fixed" not in drawn and "effect (parameter) uncertainty as well as chance" in drawn
    assert re.search(r"In report_fixed the effects are fixed: the intervals show chance alone", section)
    assert "Against baseline" in section
    # the 90% interval shown for children served in `report` is the replicates' 5th-95th
    _, _, per, _ = tables(prog_run)
    s = per.xs(("faster", "report"), level=("programme", "scenario"))["served"]
    shown = f"{s.mean():,.0f}<br><span class='note'>{s.quantile(0.05):,.0f} to {s.quantile(0.95):,.0f}"
    assert shown in section
    # the headline no longer says the intervals leave the effects out
    assert "not the uncertainty of the rates, costs and effects" not in text


def test_no_section_without_programmes(tmp_path):
    path = run(tmp_path / "plain.h5", "scenario.yaml", reps=3)
    ds = open_run(path)
    try:
        assert not programmes.has_programmes(ds)
        assert report._programmes_html(ds, run_attrs(ds), ds["time"].to_index()) == ""
    finally:
        ds.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed "
                    "(Debian package chromium); the report is not rendered")
def test_programme_tables_fit_the_page(prog_report, tmp_path):
    out = prog_report
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000",
           "--virtual-time-budget=5000", "--dump-dom", out.resolve().as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    m = re.search(r'data-overflow="([^"]*)"', r.stdout)
    assert m and m.group(1) == "none", m and m.group(1)
