"""The back-test: fit on 2010-2014 only, project 2015-2017, compare with what was published.

The model projects with both rules (`held`: every rate at its 2014 level; `trend`: fitted
trends continued). Two naive forecasters use the same 2010-2014 data:
- `constant`: each flow (starts, ceased, and their breakdowns) held at its 2014 value; the
  stock changes each year by 2014's starts minus ceased; stock by age band keeps 2014's shares;
- `linear`: each flow continues its least-squares straight line through 2010-2014 (2011-2014
  for the breakdowns by age); the stock changes by the projected starts minus ceased; stock by
  age band continues each band's straight line.
Error: absolute percentage error of each published number, averaged over the years (and over
the bands or reasons of a breakdown).
"""
from __future__ import annotations

import numpy as np

from .data import Targets

SERIES = ("stock", "starts", "ceased", "stock_age", "starts_age", "ceased_reason")


def _pub(t: Targets, name: str, y: int) -> np.ndarray:
    return np.atleast_1d(np.asarray(getattr(t, name)[y], float))


def _line(t: Targets, name: str, last: int, y: int) -> np.ndarray:
    src = getattr(t, name)
    ys = [k for k in sorted(src) if k <= last]
    v = np.array([np.atleast_1d(src[k]) for k in ys], float)
    x = np.array(ys, float)
    A = np.vstack([np.ones_like(x), x - last]).T
    coef, *_ = np.linalg.lstsq(A, v, rcond=None)
    return coef[0] + coef[1] * (y - last)


def naive(t: Targets, last: int, years: list, kind: str) -> dict:
    """{series: {year: values}} for the naive forecaster `kind` ('constant' or 'linear')."""
    out = {k: {} for k in SERIES}
    stock = t.stock[last]
    for y in years:
        if kind == "constant":
            for k in ("starts", "ceased", "starts_age", "ceased_reason"):
                out[k][y] = _pub(t, k, last)
            stock = stock + t.starts[last] - t.ceased[last]
            shares = _pub(t, "stock_age", last) / t.stock[last]
            out["stock_age"][y] = shares * stock
        else:
            for k in ("starts", "ceased", "starts_age", "ceased_reason", "stock_age"):
                out[k][y] = _line(t, k, last, y)
            stock = stock + out["starts"][y][0] - out["ceased"][y][0]
        out["stock"][y] = np.atleast_1d(stock)
    return out


def from_model(s, years: list) -> dict:
    return {k: {y: np.atleast_1d(s.at(k, y)) for y in years} for k in SERIES}


def errors(t: Targets, forecasts: dict, years: list) -> dict:
    """{forecaster: {series: mean absolute percentage error}}."""
    out = {}
    for name, f in forecasts.items():
        out[name] = {}
        for k in SERIES:
            e = [np.abs(f[k][y] / _pub(t, k, y) - 1.0).mean() for y in years]
            out[name][k] = 100.0 * float(np.mean(e))
    return out
