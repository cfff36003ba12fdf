"""The back-test: fit on the years up to an origin T only, project T+1..2017, compare with
what was published; several origins, so that the projection rule is not chosen on one window.

The model projects with every rule of projection.RULES (damped continuations of its fitted
trends, from `held` to `trend`). Two naive forecasters use the same data up to T:
- `constant`: each flow (starts, ceased, and their breakdowns) held at its T value; the
  stock changes each year by T's starts minus ceased; stock by age band keeps T's shares;
- `linear`: each flow continues its least-squares straight line through 2010-T (2011-T
  for the breakdowns by age); the stock changes by the projected starts minus ceased; stock by
  age band continues each band's straight line.
Error: absolute percentage error of each published number, averaged over the years (and over
the bands or reasons of a breakdown). The rule the baseline uses is the one with the smallest
headline score: the mean error of children in care, starts and ceased, averaged over origins.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import model, projection, tables
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


HEADLINE = ("stock", "starts", "ceased")
SHOWN = ("held", "trend")     # rules written in full to backtest.csv besides the chosen one


def headline(e: dict) -> float:
    return float(np.mean([e[k] for k in HEADLINE]))


def forecasts(f, t: Targets, years: list) -> dict:
    """{forecaster: {series: {year: values}}}: every rule, and the two naive forecasters."""
    out, fwd = {}, {}
    run_years = list(range(model.FIRST_YEAR, years[-1] + 1))
    for r in projection.RULES + (projection.TREND,):
        key = (r.entry_phi, r.exit_phi)       # the UASC factor does not change the forward run
        if key not in fwd:
            fwd[key] = model.forward_run(f.theta, t, f.last_fit, run_years, r)
        s = model.series(f.theta, t, f.uasc_entries, f.last_fit, years[-1], r, fwd[key])
        out[r.name] = from_model(s, years)
    for kind in ("constant", "linear"):
        out[f"naive_{kind}"] = naive(t, f.last_fit, years, kind)
    return out


def score(errs_by_origin: dict, r: projection.Rule) -> float:
    """A rule's headline back-test error, averaged over origins (percentage points)."""
    return float(np.mean([headline(e[r.name]) for e in errs_by_origin.values()]))


def choose(errs_by_origin: dict) -> projection.Rule:
    """The rule with the smallest headline score averaged over origins (first in RULES on ties)."""
    return min(projection.RULES, key=lambda r: score(errs_by_origin, r))


# The baseline's replicates draw their projection rule among the candidates whose back-test
# score is within RULE_MARGIN percentage points of the best, with equal weights: the back-test
# cannot tell them apart (two origins, 3-4 years each), so none is preferred.
RULE_MARGIN = 0.5


def candidates(errs_by_origin: dict) -> list:
    """[(rule, score, weight)]: the chosen rule first, then the other candidates in RULES order."""
    best = choose(errs_by_origin)
    b = score(errs_by_origin, best)
    near = [r for r in projection.RULES if r != best and score(errs_by_origin, r) <= b + RULE_MARGIN]
    rules = [best] + near
    return [(r, score(errs_by_origin, r), 1.0 / len(rules)) for r in rules]


def assign_rules(weights: list, n: int, rng) -> list:
    """The rule index of each of n parameter draws: round(n x weight) draws each (largest
    remainders), in an order shuffled by rng, so a replicate's uniformly drawn row carries rule
    i with probability counts[i] / n, and the rule is independent of the draw's multipliers."""
    counts = tables.largest_remainder(n, weights)
    idx = np.repeat(np.arange(len(weights)), counts)
    return [int(i) for i in rng.permutation(idx)]


def write(cal: Path, t: Targets, runs: dict, rule: projection.Rule) -> list:
    """backtest.csv (published and projected numbers of the chosen rule, held, trend and the naive
    forecasters, per origin) and backtest_errors.csv (every forecaster's errors per origin and
    their mean over origins)."""
    names = [rule.name] + [n for n in SHOWN if n != rule.name] + ["naive_constant", "naive_linear"]
    cols = ["model_chosen"] + [f"model_{n}" for n in SHOWN if n != rule.name] + ["naive_constant", "naive_linear"]
    rows = []
    for T, (years, fc, _) in runs.items():
        for k in SERIES:
            for y in years:
                p = _pub(t, k, y)
                for i, lab in enumerate(_labels(k)):
                    rows.append([T, k, lab, y, tables.fmt(p[i])] + [f"{fc[n][k][y][i]:.1f}" for n in names])
    paths = [tables._write(cal / "backtest.csv", ["origin", "series", "label", "year", "published"] + cols, rows)]
    fnames = list(next(iter(runs.values()))[2])
    rows = []
    for T, (_, _, errs) in runs.items():
        for n in fnames:
            rows.append([T, n] + [f"{errs[n][k]:.2f}" for k in SERIES] + [f"{headline(errs[n]):.2f}"])
    for n in fnames:
        m = {k: float(np.mean([e[n][k] for _, _, e in runs.values()])) for k in SERIES}
        rows.append(["mean", n] + [f"{m[k]:.2f}" for k in SERIES] + [f"{headline(m):.2f}"])
    paths.append(tables._write(cal / "backtest_errors.csv", ["origin", "forecaster"] + list(SERIES) + ["headline"], rows))
    return paths


def _labels(k: str) -> list:
    from .data import DFE_BANDS, REASONS
    return {"stock_age": list(DFE_BANDS), "starts_age": list(DFE_BANDS),
            "ceased_reason": list(REASONS)}.get(k, ["total"])


def write_rule_spread(cal: Path, t: Targets, f17, runs: dict, rule: projection.Rule, years: tuple,
                      cands: list) -> Path:
    """projection_rules.csv: for every candidate rule, its mean headline back-test error and
    the 2017 fit's expected children in care, starts and ceased in `years` under it, and for
    the rules the baseline's replicates draw (`cands`, candidates()), their block of
    rate_trend.csv (draw_rule) and weight (draw_weight)."""
    drawn = {r.name: (i, w) for i, (r, _, w) in enumerate(cands)}
    end = max(years)
    errs = [e for _, _, e in runs.values()]
    rows, fwd = [], {}
    for r in projection.RULES + (projection.TREND,):
        key = (r.entry_phi, r.exit_phi)
        if key not in fwd:
            fwd[key] = model.forward_run(f17.theta, t, f17.last_fit, list(range(model.FIRST_YEAR, end + 1)), r)
        s = model.series(f17.theta, t, f17.uasc_entries, f17.last_fit, end, r, fwd[key])
        score = float(np.mean([headline(e[r.name]) for e in errs]))
        vals = [f"{float(s.at(k, y)):.1f}" for y in years for k in HEADLINE]
        rows.append([r.name, f"{r.entry_phi:g}", f"{r.exit_phi:g}", f"{r.uasc_phi:g}",
                     f"{score:.2f}", int(r == rule)] + vals +
                    ([drawn[r.name][0], f"{drawn[r.name][1]:.4f}"] if r.name in drawn else ["", ""]))
    cols = [f"{k}_{y}" for y in years for k in HEADLINE]
    return tables._write(cal / "projection_rules.csv", ["rule", "entry_damping", "exit_damping",
                                                        "uasc_damping", "backtest_headline", "chosen"] + cols +
                         ["draw_rule", "draw_weight"], rows)
