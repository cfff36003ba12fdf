"""The pathway's back-test (caresim.calibrate.pathway_backtest).

- The naive forecasters on a series with a known straight line: the linear forecaster's error
  is 0 (to rounding) and the held-constant one's is the known mean of |v(T) / v(y) - 1|.
- The fit and the naive forecasters never see a withheld year: the published numbers after the
  origin (and the children in care after it) multiplied by 1.3 change nothing.
- End to end on series the pathway model itself made (a known theta with calendar trends and no
  year effects, written as the data folder's three files, 2010-2012 referrals and plan starts
  marked recalled as in the real data): run() fitted at both origins writes both tables, every
  row with its source, and the model with its trends continued (phi = 1) projects the withheld
  years with error under TRUTH_TOL, while rates held are off by more than HELD_MIN.
  The data are noise-free and the priors are centred on the truth except the three slopes'
  (prior sd 10), whose pull moves the fit's criterion by under 1e-6; the errors measured are
  under 0.005%, so TRUTH_TOL = 0.05% leaves a factor 10 and is still a hundredth of what rates
  held miss by. The referral trend is 3% a year, so held rates miss 2015 referrals by about
  3% and the mean over 2015-2017 by about 6%: HELD_MIN = 1% is far below.
"""
import csv
from pathlib import Path

import numpy as np
import pytest

from caresim.calibrate import pathway, projection
from caresim.calibrate import pathway_backtest as pb
from caresim.calibrate import pathway_model as pm

YEARS = list(range(2010, 2018))
ORIGINS = (2013, 2014)
TRUTH_TOL = 0.05       # percent
HELD_MIN = 1.0         # percent
CLA = {y: 64000.0 + 1200.0 * (y - 2010) for y in YEARS}


def test_naive_on_a_straight_line():
    line = {y: 100.0 + 5.0 * (y - 2010) for y in YEARS}
    pub = {"x": line}
    years = [2015, 2016, 2017]
    fc = {f"naive_{k}": pb.naive(pub, 2014, years, k) for k in pb.NAIVE}
    e = pb.errors(pub, fc, years)
    assert e["naive_linear"]["x"] < 1e-9
    known = 100.0 * np.mean([5.0 / 125.0, 10.0 / 130.0, 15.0 / 135.0])
    assert e["naive_constant"]["x"] == pytest.approx(known, rel=1e-12)


def test_naive_ignores_withheld_years():
    pub = {"x": {y: 100.0 + (y - 2010) ** 2 for y in YEARS}}
    cut = {"x": {y: v * (1.3 if y > 2013 else 1.0) for y, v in pub["x"].items()}}
    for kind in pb.NAIVE:
        assert pb.naive(pub, 2013, [2014, 2015], kind) == pb.naive(cut, 2013, [2014, 2015], kind)


def true_theta():
    """The priors' centres (about 440,000 new referrals a year, half needing no further action,
    plans ending at 1 a year) with three calendar trends: the priors pull only on the trends."""
    theta, _ = pm.prior()
    theta[pm.SL["ref_trend"]] = 0.03
    theta[pm.SL["cin_cpp_trend"]] = 0.04
    theta[pm.SL["cpp_trend"]] = 0.02
    return theta


def write_data(folder: Path, scale_after: int | None = None, factor: float = 1.0) -> None:
    """The three files pathway.load reads, from the model with true_theta(); numbers of years
    after `scale_after` multiplied by `factor`."""
    res = pm.run_theta(true_theta(), YEARS)
    folder.mkdir(parents=True, exist_ok=True)

    def f(y):
        return factor if scale_after is not None and y > scale_after else 1.0
    cols = list(pathway._COLS.values()) + ["year", "recalled_fields"]
    with open(folder / "cin_cpp_national.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, cols)
        w.writeheader()
        for i, y in enumerate(YEARS):
            row = {c: "" for c in cols}
            row.update(year=y, referrals=repr(res.flow("referrals")[i] * f(y)),
                       children_in_need_at_31_march=repr((res.cin[i] + res.cpp[i] + CLA[y]) * f(y)),
                       cpp_at_31_march=repr(res.cpp[i] * f(y)), cpp_started=repr(res.flow("cpp_started")[i] * f(y)),
                       recalled_fields="referrals;cpp_started" if y < 2013 else "")
            if y >= 2013:
                row.update(cpp_ended_implied=repr(res.flow("cpp_ended")[i] * f(y)),
                           cin_episodes_started=repr(res.flow("cin_started")[i] * f(y)),
                           cin_episodes_ended=repr(res.flow("cin_ended")[i] * f(y)),
                           rereferral_within_12m_percent=repr(100 * res.flow("rereferrals")[i]
                                                              / res.flow("referrals")[i] * f(y)))
            w.writerow(row)
    with open(folder / "cpp_duration_at_31_march.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["year"] + list(pathway.DURATION_COLS))
        for i, y in enumerate(YEARS):
            if y >= 2013:
                w.writerow([y] + [repr(v * f(y)) for v in res.cpp_duration[i]])
    with open(folder / "cla_national.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "cla_at_31_march"])
        w.writerows([y, repr(CLA[y] * f(y))] for y in YEARS)


@pytest.mark.parametrize("origin", ORIGINS)
def test_fit_sees_no_withheld_year(tmp_path, origin):
    write_data(tmp_path / "a")
    write_data(tmp_path / "b", scale_after=origin, factor=1.3)
    (da, fa), (db, fb) = pb.fit_to(tmp_path / "a", origin), pb.fit_to(tmp_path / "b", origin)
    assert max(y for _, y, _, _, _ in da.obs) == origin and max(da.cla) == origin
    assert da.obs == db.obs and da.cla == db.cla
    assert np.array_equal(fa.theta, fb.theta)
    years = list(range(origin + 1, 2018))
    cla = {y: CLA[origin] for y in years}
    assert pb.project(fa.theta, da, origin, years, 0.8, cla) == pb.project(fb.theta, db, origin, years, 0.8, cla)


def read(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """run() as calibrate calls it, on the model's own series; children in care after each
    origin given as the true ones (the care back-test's projection in calibrate)."""
    tmp = tmp_path_factory.mktemp("pathway_backtest")
    write_data(tmp / "data")
    rule = projection.Rule(0.8, 0.0, 0.0)
    care = {T: (list(range(T + 1, 2018)), {rule.name: {"stock": {y: [CLA[y]] for y in YEARS}}}, None)
            for T in ORIGINS}
    paths = pb.run(tmp / "data", tmp / "cal", care, rule, [rule, projection.HELD], 2017, log=lambda *_: None)
    return {Path(p).name: read(p) for p in paths}


def test_tables_have_sources(written):
    assert set(written) == {"pathway_backtest.csv", "pathway_backtest_errors.csv"}
    for rows in written.values():
        assert rows and all(r["source"] for r in rows)
    proj = written["pathway_backtest.csv"]
    assert {(int(r["origin"]), r["series"], int(r["year"])) for r in proj} == \
        {(T, k, y) for T in ORIGINS for k in pb.SERIES for y in range(T + 1, 2018)}
    used = {r["forecaster"]: r["baseline_rule"] for r in written["pathway_backtest_errors.csv"]}
    assert used["model_damped_0.8"] == "chosen" and used["model_held"] == "drawn" and used["model_trend"] == "no"


def test_trend_recovers_the_models_own_series(written):
    errs = {(r["origin"], r["forecaster"]): r for r in written["pathway_backtest_errors.csv"]}
    for T in ORIGINS:
        trend, held = errs[(str(T), "model_trend")], errs[(str(T), "model_held")]
        for k in pb.SERIES:
            assert float(trend[k]) < TRUTH_TOL, (T, k, trend[k])
        assert float(held["referrals"]) > HELD_MIN
