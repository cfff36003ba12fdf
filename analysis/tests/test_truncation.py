"""Left truncation: a data extract that opens on a date holds the children already in care then,
with their real start dates. Counting their time from that start adds time in which they could
not have left (they were still in care when the data opened), so hazards come out too low. The
estimator must enter them into the risk set when the window opens (delayed entry).

Tolerance from theory: each reason's total events ~ Poisson(sum rate x exposure); with constant
hazards the estimate's exact 95% (Garwood) interval must contain the truth for each of the five
reasons and moves (a miss has probability 0.05 each; seed fixed), and the pooled estimate must
be within 4 standard errors, sqrt(D)/E."""
import numpy as np
import pandas as pd
import pytest

from caresim import episodes, rates
from synthetic import simulate

TRUTH = {"home": 0.6, "adopted": 0.1, "sgo_cao": 0.08, "independent_living": 0.05,
         "other": 0.12}
MOVES = 0.7
OPENS = pd.Timestamp("2015-04-01")
EXTRACT = "2020-03-31"


@pytest.fixture(scope="module")
def extract():
    """Twenty years of care; the data hold only the periods of care open on or after OPENS
    (as returns from 2015-16 on would): those begun before appear with their real start."""
    eps = simulate(8000, TRUTH, move_rate=MOVES, start="2000-04-01", extract=EXTRACT,
                   seed=4242)
    eps = episodes.check(eps)
    per, _ = episodes.periods(eps)
    keep_children = set(per.loc[per["end"].isna() | (per["end"] >= OPENS), "child_id"])
    return eps[eps["child_id"].isin(keep_children)]     # one period per child (no re-entry)


def pooled(est):
    g = est.groupby("reason")[["events", "exposure_years"]].sum()
    return g["events"], g["exposure_years"]


def test_default_handles_children_in_care_when_data_open(extract):
    est = rates.estimate(extract, extract_date=EXTRACT)
    assert est.attrs["left_truncated"] > 200           # many were in care on 1 April 2015
    assert pd.Timestamp(est.attrs["window_from"]) >= OPENS
    d, e = pooled(est)
    for reason, truth in {**TRUTH, "placement_move": MOVES}.items():
        lo, hi = rates.garwood([d[reason]], [e[reason]])
        rate = d[reason] / e[reason]
        print(f"{reason}: {rate:.4f} [{lo[0]:.4f}, {hi[0]:.4f}] truth {truth}")
        assert lo[0] <= truth <= hi[0], reason
        assert abs(rate - truth) <= 4 * np.sqrt(d[reason]) / e[reason], reason


def test_same_as_explicit_window(extract):
    """The default equals giving the window's start by hand (up to the first exit's day)."""
    a = rates.estimate(extract, extract_date=EXTRACT)
    b = rates.estimate(extract, extract_date=EXTRACT, window=(a.attrs["window_from"], None))
    assert (a["events"] == b["events"]).all()


def test_observed_from_column_wins(extract):
    """A table from caresim.ssda903.read carries each authority's window: used as it is."""
    eps = extract.assign(observed_from=OPENS, observed_to=pd.Timestamp(EXTRACT))
    est = rates.estimate(eps)
    assert est.attrs["window_from"] == "2015-04-01" and est.attrs["extract_date"] == EXTRACT
