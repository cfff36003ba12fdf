"""Unaccompanied asylum-seeking children (UASC): a separate entry stream.

UASC enter at 14-17 (`params.UASC_AGE`), leave before 18 only at the hazard `OTHER_PER_YEAR`
(mostly an age assessment finding the child 18 or over), and otherwise stay until their 18th
birthday. Their entries per year are the parameters fitted to the published UASC stock on
31 March (2004 onwards); this stream is small enough to run month by month on its own grid of
months of age 168-215 x months in care, and is independent of the other parameters, so it is
fitted first and held fixed while the rest is fitted. Ages on 31 March and 18th birthdays are
counted in continuous time as in `forward.py`: the cell at 16 half in each band, and half of
those leaving at 18 on the year's last month boundary in the 16-17 stock and the next year.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from .forward import MONTH_DAYS, age_weights

# Exits of UASC before 18, per year. Derived: children ceasing because an age assessment found
# them 18 or over (ceased_by_reason.csv: 240 in 2015, 340 in 2016) over the mean UASC stock of
# those years (cla_timeseries: 2,050-2,760 and 2,760-4,340), about 0.1 a year.
OTHER_PER_YEAR = 0.10
AGE0 = 14 * 12
N = 18 * 12 - AGE0
BURN_IN_YEARS = 5
# [5 age bands, N + 1 cells]: cell 24 (16 years) half in each band; cell N: left at 18
_W = age_weights([0, 24, N])
STOCK_W = np.zeros((5, N + 1))
STOCK_W[3:] = _W
STOCK_SD = 0.03    # relative error of each published UASC stock in the fit


@dataclass
class Uasc:
    years: list
    stock_age: np.ndarray      # [year, 5]: only bands 10_15 and 16_17 are used
    entries_age: np.ndarray    # [year, 5]
    other: np.ndarray          # [year] exits before 18
    aged_out: np.ndarray       # [year]
    leaver_days: np.ndarray    # [year]
    grid: np.ndarray           # [N months of age from 14, N months in care] on the last 31 March
    out_last: np.ndarray = None   # [N months in care]: left at 18 on the last month boundary


def age_profile(shares: dict) -> np.ndarray:
    prof = np.zeros(N)
    for age, share in shares.items():
        prof[(age - 14) * 12:(age - 13) * 12] = share / 12.0
    return prof


def run(entries_by_year: dict, years: list, shares: dict) -> Uasc:
    """Expected UASC per year of `years`; entries before the first year held at its level."""
    prof = age_profile(shares)
    band = np.where(np.arange(N) < 24, 3, 4)
    last, last_days = np.zeros(N), 0.0       # left at 18 on the last month boundary
    stay = np.exp(-OTHER_PER_YEAR / 12.0)
    stay_new = np.exp(-OTHER_PER_YEAR / 24.0)     # entrants arrive mid-month (forward.py)
    n = len(years)
    out = Uasc(list(years), np.zeros((n, 5)), np.zeros((n, 5)), np.zeros(n), np.zeros(n),
               np.zeros(n), None)
    g = np.zeros((N, N))
    first = years[0]
    seq = [first] * BURN_IN_YEARS + list(years)
    for k, y in enumerate(seq):
        i = k - BURN_IN_YEARS
        new = entries_by_year[y] / 12.0 * prof
        d = np.arange(N, dtype=float)     # mean months in care of a leaver in the month
        d[0] = 0.25
        before, before_days = last.sum(), last_days
        for _ in range(12):
            q = g * (1.0 - stay)
            q[:, 0] = new * (1.0 - stay_new)
            g[:, 0] = new
            g -= q
            last, last_days = g[-1].copy(), g[-1] @ (np.arange(N) + 0.5)
            if i >= 0:
                out.entries_age[i] += np.bincount(band, new, minlength=5)
                out.other[i] += q.sum()
                out.aged_out[i] += g[-1].sum()
                out.leaver_days[i] += (q.sum(axis=0) @ d + last_days) * MONTH_DAYS
            g2 = np.zeros_like(g)
            g2[1:, 1:] = g[:-1, :-1]
            g = g2
        if i >= 0:
            out.aged_out[i] += 0.5 * (before - last.sum())
            out.leaver_days[i] += 0.5 * (before_days - last_days) * MONTH_DAYS
            out.stock_age[i] = STOCK_W @ np.append(g.sum(axis=1), last.sum())
    out.grid, out.out_last = g, last
    return out


def fit(stock: dict, last_year: int, shares: dict) -> dict:
    """Entries per year (years of the published UASC stock up to `last_year`) that reproduce
    the published stock: least squares on the log scale, each stock with a STOCK_SD error."""
    years = sorted(y for y in stock if y <= last_year)

    def resid(logn):
        ent = dict(zip(years, np.exp(logn)))
        u = run(ent, years, shares)
        return (np.log(u.stock_age.sum(axis=1)) - np.log([stock[y] for y in years])) / STOCK_SD

    x0 = np.log([stock[y] * 0.45 for y in years])
    sol = least_squares(resid, x0, method="lm", xtol=1e-12, ftol=1e-12)
    return dict(zip(years, np.exp(sol.x)))


# The stream as the simulator draws it (tables.uasc, models/data/uasc.csv). Male share: an
# assumption (about nine in ten UASC are boys; no sex split of UASC in shared/data).
MALE_SHARE = 0.9
# Placement shares at entry. shared/data has no placements of UASC, so they are derived: from
# 2014 to 2017 the UASC stock rose by 2,660 (cla_timeseries_1994_2017.csv) and the stock in
# "secure units, children's homes and hostels (semi-independent)" and "living independently" by
# 1,530 and 840 (placements.csv, each year's first release); those rises are taken as UASC's,
# the rest of the UASC rise as foster care.
PLACEMENT_YEARS = (2014, 2017)
PLACEMENT_GROUPS = {"residential": "secure_childrens_homes_semi_independent", "independent": "independent_living"}
PLACEMENTS = ("foster", "kinship", "residential", "placed_with_parents", "independent")


def placement_shares(data_dir, stock: dict) -> dict:
    y0, y1 = PLACEMENT_YEARS
    counts = {}
    with open(data_dir / "placements.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] == r["release_year"] and int(r["year"]) in (y0, y1) and r["count_at_31_march"]:
                counts[(int(r["year"]), r["placement_group"])] = float(r["count_at_31_march"])
    rise = stock[y1] - stock[y0]
    out = dict.fromkeys(PLACEMENTS, 0.0)
    for p, g in PLACEMENT_GROUPS.items():
        out[p] = (counts[(y1, g)] - counts[(y0, g)]) / rise
    out["foster"] = 1.0 - sum(out.values())
    return out


def stock_cells(u: Uasc, tb_days) -> np.ndarray:
    """[2 age bands (10_15, 16_17), time-in-care bands]: the UASC grid on the last 31 March."""
    n = u.grid.shape[0]
    db = np.searchsorted(np.array(tb_days[1:]) / MONTH_DAYS, np.arange(n) - 0.5)   # in care d - 1/2 months
    onehot = (db[:, None] == np.arange(len(tb_days))[None, :]).astype(float)
    return _W @ np.vstack([u.grid, u.out_last[None, :]]) @ onehot
