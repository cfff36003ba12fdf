"""Occurrence/exposure hazard estimation: exact intervals, exposure splitting by hand, recovery
of known constant hazards from simulated SSDA903-style episodes, and the table the simulator
reads."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from caresim import episodes, rates
from synthetic import simulate

TRUTH = {"home": 0.6, "adopted": 0.1, "sgo_cao": 0.08, "independent_living": 0.05,
         "other": 0.12}
MOVES = 0.7
REENTRY = 0.25
EXTRACT = "2020-03-31"
ROOT = Path(__file__).resolve().parents[2]
CARESIM = Path(os.environ.get("CARESIM_BIN", ROOT / "build" / "caresim"))


@pytest.fixture(scope="module")
def synthetic_episodes():
    return simulate(20000, TRUTH, move_rate=MOVES, reentry_rate=REENTRY, extract=EXTRACT,
                    seed=20240117)


def test_garwood_known_values():
    lo, hi = rates.garwood([0, 1, 10], [1.0, 1.0, 2.0])
    # standard exact Poisson limits for 0, 1 and 10 events (e.g. Ulm 1990 tables)
    np.testing.assert_allclose(lo, [0.0, 0.0253, 4.795 / 2], atol=5e-4)
    np.testing.assert_allclose(hi, [3.689, 5.572, 18.39 / 2], atol=5e-3)
    lo, hi = rates.garwood([3], [0.0])
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_exposure_split_by_hand():
    # born day 0; in care from age 360 d to age 400 d: 5.25 days under 1, then 34.75 at 1-4;
    # time in care crosses 91 days? no (40 days): all in the first band
    e = rates.split_exposure([360.0], [400.0], [0.0], [360.0])
    assert e.shape == (1, 5, 6)
    assert e[0, 0, 0] == pytest.approx(5.25) and e[0, 1, 0] == pytest.approx(34.75)
    assert e.sum() == pytest.approx(40.0)
    # from age 10y - 50 d for 100 d, entered care 60 d before: bands 0-91 and 91-182 cut at 31 d
    b = 10 * 365.25
    e = rates.split_exposure([b - 50], [b + 50], [0.0], [b - 110])
    assert e[0, 2, 0] == pytest.approx(31) and e[0, 2, 1] == pytest.approx(19)
    assert e[0, 3, 1] == pytest.approx(50)
    # exposure stops at 6574 days of age (18)
    e = rates.split_exposure([6500.0], [7000.0], [0.0], [6500.0])
    assert e.sum() == pytest.approx(74.0)
    a, j = rates.cell_of([400.0, 365.25, 6600.0], [0.0, 0.0, 0.0], [360.0, 0.0, 0.0])
    assert list(a) == [1, 0, -1] and j[0] == 0 and j[1] == 3


def test_tiny_table_by_hand():
    eps = pd.DataFrame([
        # child A: two episodes joined by X1 with a placement change, then returned home
        ["A", "2009-12-01", "1", "2015-01-01", "S", "U1", "2015-03-01", "X1"],
        ["A", "2009-12-01", "1", "2015-03-01", "P", "R1", "2015-07-01", "E4A"],
        # child B: legal status change only (no move), still in care at the extract date
        ["B", "2012-06-01", "2", "2019-01-01", "S", "U4", "2019-06-01", "X1"],
        ["B", "2012-06-01", "2", "2019-06-01", "L", "U4", "", ""],
    ], columns=episodes.COLUMNS)
    # the data hold everything from 2015-01-01 (by default the window would open at the first
    # exit, 2015-07-01, the latest date the data themselves show that it was open)
    est = rates.estimate(eps, extract_date="2020-01-01", window=("2015-01-01", None))
    assert rates.window_start(eps) == pd.Timestamp("2015-07-01")
    assert est.attrs["periods"] == 2
    cell = est.set_index(["age_band", "from_days", "reason"])
    # A: 181 days in care aged 5, 91 in band 0-91 then 90 in 91-182; home on day 181 (band 91)
    # B: 365 days from 2019-01-01, aged 6: 91 + 91 + 183 days over three bands
    assert cell.loc[("5_9", 0, "home"), "exposure_years"] * 365.25 == pytest.approx(91 + 91)
    assert cell.loc[("5_9", 91, "home"), "exposure_years"] * 365.25 == pytest.approx(90 + 91)
    assert cell.loc[("5_9", 91, "home"), "events"] == 1
    assert cell.loc[("5_9", 0, "placement_move"), "events"] == 1      # A's move on day 59
    assert est.loc[est.reason == "placement_move", "events"].sum() == 1
    assert cell.loc[("5_9", 182, "home"), "exposure_years"] * 365.25 == pytest.approx(183)
    assert est["events"].sum() == 2
    # a window from 2015-03-01 drops A's first 59 days, and its move on that day
    win = rates.estimate(eps, extract_date="2020-01-01", window=("2015-03-01", None))
    cell = win.set_index(["age_band", "from_days", "reason"])
    assert cell.loc[("5_9", 0, "home"), "exposure_years"] * 365.25 == pytest.approx(32 + 91)
    assert win.loc[win.reason == "placement_move", "events"].sum() == 0
    assert win.loc[win.reason == "home", "events"].sum() == 1
    # a period already running when the data begin (first RNE not S) is counted as such
    late = eps.iloc[1:].copy()
    assert rates.estimate(late, extract_date="2020-01-01").attrs["left_truncated"] == 1


def test_checks_reject_bad_tables():
    good = ["A", "2010-01-01", "1", "2015-01-01", "S", "U1", "2015-03-01", "E8"]
    with pytest.raises(ValueError, match="missing column"):
        episodes.check(pd.DataFrame([good[:7]], columns=episodes.COLUMNS[:7]))
    bad = good[:6] + ["2014-01-01", "E8"]
    with pytest.raises(ValueError, match="before episode_start"):
        episodes.check(pd.DataFrame([bad], columns=episodes.COLUMNS))
    bad = good[:6] + ["", "E8"]
    with pytest.raises(ValueError, match="episode_end empty"):
        episodes.check(pd.DataFrame([bad], columns=episodes.COLUMNS))


def test_recovers_known_constant_hazards(synthetic_episodes):
    # the synthetic data begin with the first entries on 2010-04-01: nothing is left-truncated
    est = rates.estimate(synthetic_episodes, extract_date=EXTRACT, window=("2010-04-01", None))
    truth = dict(TRUTH, placement_move=MOVES)
    # pooled over all cells: each rate lies in its exact 95% interval
    pooled = est.groupby("reason")[["events", "exposure_years"]].sum()
    lo, hi = rates.garwood(pooled["events"], pooled["exposure_years"])
    for k, (a, b) in zip(pooled.index, zip(lo, hi)):
        assert a <= truth[k] <= b, (k, a, truth[k], b)
    # cell by cell: the exact intervals cover the truth about 95% of the time (at least 95% in
    # theory; 88% allows for chance with ~160 intervals, sd ~1.7%)
    cells = est[est["exposure_years"] > 1.0]
    cover = (cells["lower95"] <= cells["reason"].map(truth)) & \
            (cells["reason"].map(truth) <= cells["upper95"])
    assert len(cells) > 120
    assert cover.mean() > 0.88, cells[~cover]
    # legal-status changes are not moves; X1 chains are one period each
    assert est.attrs["left_truncated"] == 0


def test_recovers_reentry_hazard(synthetic_episodes):
    est = rates.estimate_reentry(synthetic_episodes, follow_up_days=730.5, extract_date=EXTRACT)
    d, e = est["events"].sum(), est["exposure_years"].sum()
    lo, hi = rates.garwood([d], [e])
    assert lo[0] <= REENTRY <= hi[0]
    assert d > 1000


def test_hazard_table_format(synthetic_episodes, tmp_path):
    est = rates.estimate(synthetic_episodes, extract_date=EXTRACT)
    hz, ci = rates.write(est, tmp_path / "lac_hazards.csv", source="synthetic test",
                         note="constant hazards")
    table = pd.read_csv(hz, keep_default_na=False)
    assert list(table.columns) == ["age_band", "from_days", "home_per_year", "adopted_per_year",
                                   "sgo_cao_per_year", "independent_living_per_year",
                                   "other_per_year", "placement_move_per_year", "source", "note"]
    assert len(table) == 5 * 6
    assert list(table["age_band"].unique()) == list(rates.AGE_BANDS)
    assert list(table["from_days"][:6]) == [0, 91, 182, 365, 730, 1826]
    rate_cols = [c for c in table.columns if c.endswith("_per_year")]
    assert (table[rate_cols].to_numpy(float) >= 0).all()
    assert (table["source"] == "synthetic test").all()
    # under-1s cannot have been in care two years: no exposure, rate 0, said in the note
    row = table[(table.age_band == "under_1") & (table.from_days == 730)].iloc[0]
    assert row["home_per_year"] == 0 and "no exposure" in row["note"]
    full = pd.read_csv(ci)
    assert {"events", "exposure_years", "rate_per_year", "lower95", "upper95"} <= set(full.columns)
    assert ci.name == "lac_hazards_ci.csv"


def test_episode_csv_roundtrip_and_cli(synthetic_episodes, tmp_path):
    path = episodes.write_csv(synthetic_episodes.head(500), tmp_path / "ep.csv")
    back = episodes.read_csv(path)
    assert len(back) == 500 and back["episode_end"].isna().sum() == \
        synthetic_episodes.head(500)["episode_end"].isna().sum()
    parts = episodes.split_by_child(synthetic_episodes.head(500), tmp_path / "parts", per_file=50)
    assert sum(len(pd.read_csv(p)) for p in parts) == 500
    from caresim import cli
    out = tmp_path / "lac.csv"
    home = tmp_path / "home.csv"
    assert cli.main(["rates", str(path), "-o", str(out), "--reentry", str(home),
                     "--extract-date", EXTRACT]) == 0
    assert out.exists() and (tmp_path / "lac_ci.csv").exists() and home.exists()
    assert list(pd.read_csv(home).columns[:4]) == ["age_band", "from_days", "reentry_per_year",
                                                   "closed_per_year"]


@pytest.mark.skipif(not CARESIM.exists(), reason=f"{CARESIM} not built; the simulator's own "
                    "check of the written table is skipped")
def test_simulator_accepts_table(synthetic_episodes, tmp_path):
    """The C program's scenario validator reads the written lac_hazards and home_hazards."""
    est = rates.estimate(synthetic_episodes, extract_date=EXTRACT)
    rates.write(est, tmp_path / "lac.csv")
    rates.write(rates.estimate_reentry(synthetic_episodes, extract_date=EXTRACT),
                tmp_path / "home.csv")
    data = ROOT / "models" / "data"
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: rates_check\nstart_date: 2017-03-31\nhorizon: 1y\nobserve: 1y\nreplicates: 1\n"
        f"seed: 1\nburn_in: 1y\nfollow_up: 2y\nareas: {ROOT / 'tests/data/small/areas.csv'}\n"
        "tables:\n"
        f"  entry_rates: {data / 'entry_rates.csv'}\n  entry_trend: {data / 'entry_trend.csv'}\n"
        f"  lac_hazards: {tmp_path / 'lac.csv'}\n  home_hazards: {tmp_path / 'home.csv'}\n"
        f"  placement_shares: {data / 'placement_shares.csv'}\n"
        f"  placement_costs: {data / 'placement_costs.csv'}\ninitial_stock: none\n")
    r = subprocess.run([str(CARESIM), "validate", str(scenario)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
