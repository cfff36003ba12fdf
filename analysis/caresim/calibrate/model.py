"""The model's expected published series for a parameter vector, and the weighted residuals.

Fit criterion (weighted least squares on the log scale, i.e. relative errors; equivalently a
Gaussian likelihood for log counts with the stated relative standard deviations):
  sum over series and years of ((log model - log published) / SD[series])^2
  + sum over shape parameters of ((theta - prior centre) / prior sd)^2.
The published stock and flows do not add up (each year 2011-2017 the stock rises 500-700 more
than starts minus ceased: DfE counts one start and one ceased per child, the first and last
occasion in the year), while the model's stock is exactly entries minus exits. The weights
decide how the gap is shared: the stock on 31 March is trusted most (SD_STOCK 0.5%), the
flows less (1.5%), so the fit keeps the stock and lets starts and ceased each absorb about
half the gap (about 1% of a year's flow). Breakdowns (age bands, reasons) get 3%, which also
absorbs changes of DfE reason codes over the years.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import forward, params, projection, uasc
from .data import Targets

SD = {"stock": 0.005, "stock_age": 0.02, "starts": 0.015, "starts_age": 0.03,
      "ceased": 0.015, "ceased_reason": 0.03, "mean_duration": 0.03, "past_stock": 0.03}
FIRST_YEAR = 1994                     # the long series starts; earlier: equilibrium
PAST_STOCK_YEARS = range(2000, 2010)  # weak check on the pre-fit years


@dataclass
class Series:
    """Model series by year ending 31 March, in the published categories."""
    years: list
    stock: np.ndarray
    stock_age: np.ndarray
    starts: np.ndarray
    starts_age: np.ndarray
    ceased: np.ndarray
    ceased_reason: np.ndarray
    uasc_stock: np.ndarray
    mean_duration: np.ndarray
    fwd: forward.Result
    uasc_run: uasc.Uasc

    def at(self, name: str, year: int):
        return getattr(self, name)[self.years.index(year)]


def reentry_rates() -> np.ndarray:
    """Re-entry hazard per year after a return home, by age band: held at the simulator's
    table value (models/data/home_hazards.csv, 0.2 a year). The national series cannot
    separate re-entries from first entries, so it is not fitted."""
    return np.full(5, 0.2)


def series(theta: np.ndarray, t: Targets, uasc_entries: dict, last_fit: int,
           end_year: int | None = None, rule: projection.Rule = projection.HELD,
           fwd: forward.Result | None = None) -> Series:
    """The expected series from FIRST_YEAR to end_year; `fwd`: the forward run of the same
    theta and rule, when the caller has it (the UASC stream is added here)."""
    years = list(range(FIRST_YEAR, (end_year or last_fit) + 1))
    f = fwd or forward_run(theta, t, last_fit, years, rule)
    ent = projection.uasc_entries(uasc_entries, last_fit, years, rule)
    u = _uasc_run(tuple(sorted(ent.items())))
    p = params.aged_out_il_share(theta)
    ao = f.aged_out + u.aged_out
    reason = f.exits.copy()
    reason[:, 3] += p * ao
    reason[:, 4] += (1.0 - p) * ao + u.other
    stock_age = f.stock_age + u.stock_age
    starts_age = f.entries_age + u.entries_age
    ceased = reason.sum(axis=1)
    dur = (f.leaver_days + u.leaver_days) / ceased
    return Series(years, stock_age.sum(axis=1), stock_age, starts_age.sum(axis=1), starts_age,
                  ceased, reason, u.stock_age.sum(axis=1), dur, f, u)


def forward_run(theta: np.ndarray, t: Targets, last_fit: int, years: list,
                rule: projection.Rule) -> forward.Result:
    return forward.run(params.year_rates(theta, years, last_fit, reentry_rates(), t.ts_starts, rule), years)


@functools.lru_cache(maxsize=8)
def _uasc_run(entries: tuple) -> uasc.Uasc:
    """The UASC stream does not depend on theta: run once per set of entries."""
    ent = dict(entries)
    return uasc.run(ent, sorted(ent), params.UASC_AGE)


def observations(t: Targets, first: int, last: int) -> list:
    """(series name, year, index or None, published value) for every fitted number."""
    obs = []
    for y in range(first, last + 1):
        for name, src in (("stock", t.stock), ("starts", t.starts), ("ceased", t.ceased)):
            if y in src:
                obs.append((name, y, None, src[y]))
        for name, src in (("stock_age", t.stock_age), ("starts_age", t.starts_age),
                          ("ceased_reason", t.ceased_reason)):
            for k, v in enumerate(src.get(y, ())):
                obs.append((name, y, k, v))
        if y in t.mean_duration_days:
            obs.append(("mean_duration", y, None, t.mean_duration_days[y]))
    for y in PAST_STOCK_YEARS:
        obs.append(("past_stock", y, None, t.ts_stock[y]))
    return obs


def model_value(s: Series, name: str, year: int, k) -> float:
    key = "stock" if name == "past_stock" else name
    v = s.at(key, year)
    return float(v if k is None else v[k])


def residuals(theta: np.ndarray, t: Targets, obs: list, uasc_entries: dict, last_fit: int) -> np.ndarray:
    s = series(theta, t, uasc_entries, last_fit)
    r = [(np.log(model_value(s, n, y, k)) - np.log(v)) / SD[n] for n, y, k, v in obs]
    mu, sd = params.prior()
    return np.concatenate([np.array(r), (theta - mu) / sd])
