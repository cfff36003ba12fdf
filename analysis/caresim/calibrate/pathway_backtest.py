"""The pathway's back-test: the pathway before care (pathway.py) fitted on the years up to an
origin T only, projected over T+1..2017 by the machinery the baseline's pathway_trend.csv uses,
and compared with what was published; at the care back-test's origins (run.BACKTEST_ORIGINS).

Series: referrals, children in need on 31 March, plans on 31 March and plans started (the four
the census publishes from 2010). Entries to care through the pathway are not scored: no
published series counts them.

Fit: pathway.fit on cin_cpp_national.csv, cpp_duration_at_31_march.csv and cla_national.csv
cut at T (`fit_to`: no observation, and no children in care, after T).
Model projection (`project`), as pathway_tables.py projects 2018 on: the state of 31 March T
(the fitted model's, rescaled to the published children in need not on a plan and plans by time
on the plan, as pathway_tables.initial_state does for 2017), then the rates of
projection.effective_year(phi, y, T) with T's year effects held, for each entry damping phi of
projection.PHIS and for phi = 1 (the fitted trends continued). The model's children in need on
31 March are its own in need and on plans plus children in care, and for the withheld years the
children in care are the care back-test's projection from the same origin (its chosen rule),
not the published ones.
Naive forecasters (`naive`), computed here from the same published numbers up to T:
- `constant`: each series (flows and levels alike) held at its T value;
- `linear`: each series continues its least-squares straight line through its published years
  up to T (2010-T; the 2010-2012 numbers marked recalled included).
Held levels are the natural naive forecaster here: the census's flows do not add up to its
stocks (CIN episodes started exceed those ended by 46,000-53,000 a year while the stock moves by
under 17,000), so a stock cannot be moved by held flows as the care back-test does.
Error: absolute percentage error of each published number, averaged over the withheld years.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import pathway, projection
from . import pathway_model as pm
from .tables import _write

SERIES = ("referrals", "cin_total", "cpp_stock", "cpp_started")
PHIS = tuple(projection.PHIS) + (1.0,)
NAIVE = ("constant", "linear")
SOURCE = ("back-test: python3 -m caresim calibrate (pathway fitted on cin_cpp_national.csv, "
          "cpp_duration_at_31_march.csv, cla_national.csv up to the origin; children in care "
          "after it: the care back-test's projection)")


def model_name(phi: float) -> str:
    return {0.0: "model_held", 1.0: "model_trend"}.get(phi, f"model_damped_{phi:g}")


def published(d: pathway.Data) -> dict:
    """{series: {year: value}} of SERIES from a loaded pathway.Data."""
    out = {k: {} for k in SERIES}
    for n, y, k, v, _ in d.obs:
        if n in out and k is None:
            out[n][y] = v
    return out


def fit_to(data: Path, origin: int) -> tuple:
    """(Data, Fit) of the pathway fitted on FIRST..origin only."""
    d = pathway.load(data, last=origin)
    d.cla = {y: v for y, v in d.cla.items() if y <= origin}
    if max(y for _, y, _, _, _ in d.obs) > origin:
        raise ValueError(f"the back-test fit to {origin} holds later years")
    return d, pathway.fit(d, years=list(range(pathway.FIRST, origin + 1)))


def start_state(theta: np.ndarray, d: pathway.Data, origin: int) -> pm.State:
    """31 March `origin`: the fitted model's state (its own run from the first year's
    equilibrium, as the fit computes it) rescaled to the published totals of that day: in need
    not on a plan, and plans by time on the plan where published (else in all)."""
    rs = [pm.rates(theta, y, origin) for y in range(pathway.FIRST, origin + 1)]
    s = pm.equilibrium(rs[0])
    for r in rs:
        m = pm._Month(r)
        for _ in range(12):
            pm.month(s, m)
    at = {(n, k): v for n, y, k, v, _ in d.obs if y == origin}
    cpp = at[("cpp_stock", None)]
    s.cin *= (at[("cin_total", None)] - cpp - d.cla[origin]) / s.cin.sum()
    dur = [at.get(("cpp_duration", k)) for k in range(len(pm.CPP_DURATION_CELLS))]
    if all(v is not None for v in dur):
        scale = cpp / sum(dur)                 # the bands are rounded apart from the total
        for (a, b), v in zip(pm.CPP_DURATION_CELLS, dur):
            s.cpp[:, a:b] *= v * scale / s.cpp[:, a:b].sum()
    else:
        s.cpp *= cpp / s.cpp.sum()
    return s


def project(theta: np.ndarray, d: pathway.Data, origin: int, years: list, phi: float, cla: dict) -> dict:
    """{series: {year: value}}: the fitted pathway from the published state of 31 March
    `origin`, its trends continued with damping phi; cla: year -> children in care."""
    rs = [pm.rates(theta, projection.effective_year(phi, y, origin), origin) for y in years]
    res = pm.run(rs, years, start_state(theta, d, origin))
    vals = {"referrals": res.flow("referrals"), "cin_total": res.cin + res.cpp + np.array([cla[y] for y in years]),
            "cpp_stock": res.cpp, "cpp_started": res.flow("cpp_started")}
    return {k: dict(zip(years, map(float, v))) for k, v in vals.items()}


def naive(pub: dict, origin: int, years: list, kind: str) -> dict:
    """{series: {year: value}} of the naive forecaster `kind` from the numbers of `pub`
    ({series: {year: value}}) up to `origin`."""
    out = {}
    for k, src in pub.items():
        ys = sorted(y for y in src if y <= origin)
        if kind == "constant":
            out[k] = {y: src[ys[-1]] for y in years}
        elif kind == "linear":
            slope, level = np.polyfit(np.array(ys, float) - origin, [src[y] for y in ys], 1)
            out[k] = {y: float(level + slope * (y - origin)) for y in years}
        else:
            raise ValueError(f"unknown naive forecaster {kind!r}")
    return out


def errors(pub: dict, forecasts: dict, years: list) -> dict:
    """{forecaster: {series: mean absolute percentage error over `years`}}."""
    return {name: {k: 100.0 * float(np.mean([abs(f[k][y] / pub[k][y] - 1.0) for y in years])) for k in pub}
            for name, f in forecasts.items()}


def mean_error(e: dict) -> float:
    return float(np.mean([e[k] for k in SERIES]))


def backtest(data: Path, origins, last: int, cla_of: dict, log=print) -> dict:
    """{origin: (years, forecasts, errors)}; cla_of: origin -> {year: children in care} for
    the years after it (the care back-test's projection)."""
    pub = published(pathway.load(data))
    runs = {}
    for origin in origins:
        d, f = fit_to(data, origin)
        log(f"  pathway back-test: fitted 2010-{origin}, chi2 {f.chi2:.1f} over {len(d.obs)} numbers")
        years = list(range(origin + 1, last + 1))
        fc = {model_name(phi): project(f.theta, d, origin, years, phi, cla_of[origin]) for phi in PHIS}
        mine = published(d)
        for kind in NAIVE:
            fc[f"naive_{kind}"] = naive(mine, origin, years, kind)
        runs[origin] = (years, fc, errors(pub, fc, years))
    return runs


def write(cal: Path, data: Path, runs: dict, drawn_phis) -> list:
    """pathway_backtest.csv (published and projected numbers per origin, series and year) and
    pathway_backtest_errors.csv (errors per origin and their mean over origins); drawn_phis: the
    entry dampings of the baseline's drawn rules, the first the chosen rule's."""
    pub = published(pathway.load(data))
    names = list(next(iter(runs.values()))[1])
    src = SOURCE + "; published: cin_cpp_national.csv"
    rows = [[T, k, y, f"{pub[k][y]:.0f}"] + [f"{fc[n][k][y]:.0f}" for n in names] + [src]
            for T, (years, fc, _) in runs.items() for k in SERIES for y in years]
    paths = [_write(cal / "pathway_backtest.csv", ["origin", "series", "year", "published"] + names + ["source"], rows)]

    def used(n):
        phi = next((p for p in PHIS if model_name(p) == n), None)
        return "" if phi is None else "chosen" if phi == drawn_phis[0] else "drawn" if phi in drawn_phis else "no"

    def row(T, n, e):
        return [T, n, used(n)] + [f"{e[k]:.2f}" for k in SERIES] + [f"{mean_error(e):.2f}", SOURCE]
    rows = [row(T, n, errs[n]) for T, (_, _, errs) in runs.items() for n in names]
    rows += [row("mean", n, {k: float(np.mean([r[2][n][k] for r in runs.values()])) for k in SERIES}) for n in names]
    paths.append(_write(cal / "pathway_backtest_errors.csv", ["origin", "forecaster", "baseline_rule"] + list(SERIES)
                        + ["mean", "source"], rows))
    return paths


def run(data: Path, cal: Path, care_runs: dict, rule: projection.Rule, drawn: list, last: int, log=print) -> list:
    """The hook of run.calibrate: the pathway back-test at the care back-test's origins, children
    in care after each origin from the care back-test's chosen rule (care_runs: backtest.py's
    {origin: (years, forecasts, errors)}); writes its two tables."""
    cla_of = {T: {y: float(fc[rule.name]["stock"][y][0]) for y in years} for T, (years, fc, _) in care_runs.items()}
    runs = backtest(data, list(care_runs), last, cla_of, log)
    for T, (_, _, errs) in runs.items():
        for n, e in errs.items():
            log(f"  pathway back-test {T} {n:18s} " + "  ".join(f"{k} {v:.1f}%" for k, v in e.items()))
    return write(Path(cal), data, runs, [r.entry_phi for r in drawn])
