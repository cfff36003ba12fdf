"""summarise, compare and the tables, checked against plain numpy on the arrays written."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats
import xarray as xr

import caresim
from caresim import measures, tables
from runfile import AGE_BANDS, PLACEMENTS, TRANSITIONS, open_quiet

YEARS = 1096.0 / 365.25     # length of the test runs (times 0 .. 1096 days)


def lac_total(data):
    """numpy: children in care per (scenario, replicate, time)."""
    return data["stock"][:, :, :, :, 0, :].astype(float).sum(axis=(3, 4))


def test_summarise_in_care_by_time(multi):
    path, data = multi
    df = caresim.summarise(caresim.open_run(path), "stock", by=["time"])
    x = lac_total(data)                                   # (S, R, T)
    assert list(df.index.names) == ["scenario", "time"]
    assert len(df) == 3 * 4
    row = df.loc[("programme", pd.Timestamp("2019-03-31"))]
    v = x[1, :, 2]
    assert row["n"] == 8
    assert row["mean"] == pytest.approx(v.mean())
    assert row["sd"] == pytest.approx(v.std(ddof=1))
    assert row["se"] == pytest.approx(v.std(ddof=1) / np.sqrt(8))
    for q, col in ((0.05, "q05"), (0.25, "q25"), (0.5, "q50"), (0.75, "q75"), (0.95, "q95")):
        assert row[col] == pytest.approx(np.quantile(v, q))
    assert df.attrs["units"] == "children"


def test_summarise_breakdowns(multi):
    path, data = multi
    ds = caresim.open_run(path)
    by_area = caresim.summarise(ds, "stock", by=["time", "area"])
    v = data["stock"][0, :, 3, 2, 0, :].sum(axis=-1)      # baseline, last time, Birmingham, lac
    assert by_area.loc[("baseline", pd.Timestamp("2020-03-31"), "E08000025"), "mean"] == \
        pytest.approx(v.mean())
    by_region = caresim.summarise(ds, "stock", by=["region"], where={"state": "home"})
    london = data["stock"][2, :, :, :2, 1, :].sum(axis=(2, 3))      # rollout, home, 2 areas
    got = by_region.xs("London", level="region").xs("rollout", level="scenario")
    np.testing.assert_allclose(got["mean"].to_numpy(), london.mean(axis=0))
    flows = caresim.summarise(ds, "flow", by=["transition"])
    assert list(flows.index.get_level_values("transition").unique()) == TRANSITIONS
    cost = caresim.summarise(ds, "cost", by=["item"], quantiles=(0.1, 0.9))
    assert {"q10", "q90"} <= set(cost.columns)
    assert list(cost.index.get_level_values("item").unique()) == PLACEMENTS


def test_summarise_skips_masked_replicates(half):
    path, data = half
    ds = open_quiet(path)
    df = caresim.summarise(ds, "stock")
    done = data["done"].astype(bool)
    x = lac_total(data)
    for s, name in enumerate(["baseline", "programme"]):
        v = x[s, done[s], 1]
        row = df.loc[(name, pd.Timestamp("2018-03-31"))]
        assert row["n"] == done[s].sum()
        assert row["mean"] == pytest.approx(v.mean())
        assert row["q50"] == pytest.approx(np.median(v))
        assert row["mean"] < 1e6            # a fill value read as data would be ~2e9


def test_compare_paired(multi):
    path, data = multi
    df = caresim.compare(caresim.open_run(path), baseline="baseline")
    x = lac_total(data)
    assert list(df.index.get_level_values("scenario").unique()) == ["programme", "rollout"]
    d = x[2, :, 3] - x[0, :, 3]                           # rollout - baseline, last time
    row = df.loc[("rollout", pd.Timestamp("2020-03-31"))]
    se = d.std(ddof=1) / np.sqrt(8)
    t = stats.t.ppf(0.975, 7)
    assert row["diff"] == pytest.approx(d.mean())
    assert row["se"] == pytest.approx(se)
    assert row["ci_lo"] == pytest.approx(d.mean() - t * se)
    assert row["ci_hi"] == pytest.approx(d.mean() + t * se)
    assert row["baseline_mean"] == pytest.approx(x[0, :, 3].mean())
    assert row["scenario_mean"] == pytest.approx(x[2, :, 3].mean())
    assert row["rel"] == pytest.approx(d.mean() / x[0, :, 3].mean())
    assert row["q50"] == pytest.approx(np.median(d))
    assert df.attrs["baseline"] == "baseline"


def test_compare_pairs_only_complete_tasks(half):
    path, data = half
    df = caresim.compare(open_quiet(path), baseline=None)    # None: the first scenario
    done = data["done"].astype(bool)
    both = done[0] & done[1]
    x = lac_total(data)
    row = df.loc[("programme", pd.Timestamp("2019-03-31"))]
    assert row["n"] == both.sum()
    assert row["diff"] == pytest.approx((x[1, both, 2] - x[0, both, 2]).mean())
    assert row["baseline_mean"] == pytest.approx(x[0, both, 2].mean())


def test_compare_flows_and_errors(multi, single):
    ds = caresim.open_run(multi[0])
    df = caresim.compare(ds, var="flow", by=["transition"],
                         where={"transition": ["entry", "reentry"]})
    assert set(df.index.get_level_values("transition")) == {"entry", "reentry"}
    with pytest.raises(KeyError):
        caresim.compare(ds, baseline="nonesuch")
    with pytest.raises(ValueError, match="one scenario"):
        caresim.compare(caresim.open_run(single[0]))


def test_headline_table(multi):
    path, data = multi
    head = tables.headline(caresim.open_run(path))
    x = lac_total(data)
    entries = data["flow"][:, :, 1:, :, :2, :].astype(float).sum(axis=(2, 3, 4, 5)) / YEARS
    exits = data["flow"][:, :, 1:, :, 2:8, :].astype(float).sum(axis=(2, 3, 4, 5)) / YEARS
    cost = data["cost"][:, :, 1:].sum(axis=(2, 3, 4)) / YEARS
    row = head.loc[("programme", "Children in care, 2017-03-31")]
    assert row["mean"] == pytest.approx(x[1, :, 0].mean())
    assert row["q05"] == pytest.approx(np.quantile(x[1, :, 0], 0.05))
    assert head.loc[("programme", "Children in care, 2020-03-31"), "q95"] == \
        pytest.approx(np.quantile(x[1, :, 3], 0.95))
    assert head.loc[("rollout", "Entries to care per year (first and re-entries)"), "mean"] == \
        pytest.approx(entries[2].mean())
    assert head.loc[("baseline", "Exits from care per year"), "mean"] == \
        pytest.approx(exits[0].mean())
    assert head.loc[("baseline", "Placement cost per year (GBP)"), "mean"] == \
        pytest.approx(cost[0].mean())


def test_breakdown_tables(multi):
    path, data = multi
    ds = caresim.open_run(path)
    m = measures.collect(ds)          # tables take the collected set or the Dataset alike
    age = tables.by_age_band(m)
    assert list(age.xs("baseline", level="scenario").index) == AGE_BANDS
    v = data["stock"][0, :, 3, :, 0, 3].sum(axis=1)              # 10_15 at the end
    assert age.loc[("baseline", "10_15"), "mean"] == pytest.approx(v.mean())
    assert age.xs("baseline", level="scenario")["share"].sum() == pytest.approx(1.0)
    pl = tables.by_placement(ds, time="2018-03-31")
    v = data["placements"][1, :, 1, :, 2, :].sum(axis=(1, 2))     # residential, programme
    assert pl.loc[("programme", "residential"), "mean"] == pytest.approx(v.mean())
    area = tables.by_area(m)
    assert area.index.names == ["scenario", "area", "area_name", "region"]
    v = data["stock"][0, :, :, 3, 0, :].sum(axis=-1)              # Hartlepool
    r = area.xs(("baseline", "E06000001"), level=("scenario", "area")).iloc[0]
    assert r["change"] == pytest.approx(v[:, 3].mean() - v[:, 0].mean())
    ex = tables.exits_by_reason(m)
    assert list(ex.xs("baseline", level="scenario").index) == ["home", "adopted", "sgo_cao", "independent_living", "other", "aged_out"]
    reg = tables.by_region(m)
    assert set(reg.index.get_level_values("region")) == {"London", "West Midlands", "North East"}
    fl = tables.flows_per_year(m)
    assert fl.index.names == ["scenario", "time", "transition"]


def test_cost_name_says_when_programmes_are_in_the_total():
    """The headline's cost rows name what the total holds: a run with programmes adds their
    costs as items after the placement types, and its total is not a placement cost."""
    placements = xr.DataArray(np.zeros((1, 2)), dims=("time", "placement"),
                              coords={"placement": ["foster_like", "home_like"]})
    def cost_items(names):
        return xr.DataArray(np.zeros(len(names)), dims="item", coords={"item": names})
    only = {"cost_item": cost_items(["foster_like", "home_like"]), "placements": placements}
    both = {"cost_item": cost_items(["foster_like", "home_like", "a_programme"]), "placements": placements}
    assert measures.cost_name(only) == "Placement cost"
    assert measures.cost_name(both) == "Cost of placements and programmes"
    assert measures.programme_items(only) == [] and measures.programme_items(both) == ["a_programme"]
