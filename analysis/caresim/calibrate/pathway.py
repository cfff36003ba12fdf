"""The pathway before care fitted to the published 2010-2017 series (referrals, children in
need, protection plans), and its tables for the simulator.

Criterion: weighted least squares on the log scale (relative errors; a Gaussian likelihood for
log counts), the expected values from `pathway_model` (the simulator's own piecewise-constant
hazards), plus the priors of `pathway_model.SPEC`:
  sum ((log model - log published) / SD[series] / RECALLED if recalled)^2 + prior terms.
Weights (SD, relative): children in need on 31 March 1% (the census headline; the model's is
its own CIN and plans plus the published children in care, the same number the care fit holds
within 0.5%); plans on 31 March 1% and plans started 1.5% (census counts); referrals 2%; CIN
episodes started 2%; plans by time on the plan on 31 March 3% each (a breakdown); plans ended
5% (DfE does not publish them: derived from the stock and starts, so they add little and are
not counted twice at full weight); the re-referral share 3% of itself; CIN episodes ended 10%:
the census's starts exceed its ends by 46,000-53,000 a year while the stock moves by under
17,000, so starts, ends and stock cannot all hold, and the model, whose stock is exactly
inflow less outflow, follows the stock and the starts. Numbers the data folder marks as
recalled (2010-2012 referrals, plan starts and 2011-2012 plans on 31 March) get RECALLED
times the SD (a ninth of the weight). Second and later plans are not fitted: the simulator's
children carry no memory of an earlier plan.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from . import pathway_model as pm

FIRST, LAST = 2010, 2017
RECALLED = 3.0
SD = {"cin_total": 0.01, "cpp_stock": 0.01, "cpp_started": 0.015, "referrals": 0.02,
      "cin_started": 0.02, "cpp_duration": 0.03, "cpp_ended": 0.05, "rereferral_share": 0.03,
      "cin_ended": 0.10}
DURATION_COLS = ("le_3_months", "3_to_6_months", "6_to_12_months", "1_to_2_years", "2_years_plus")
_COLS = {"cin_total": "children_in_need_at_31_march", "referrals": "referrals",
         "cpp_stock": "cpp_at_31_march", "cpp_started": "cpp_started",
         "cpp_ended": "cpp_ended_implied", "cin_started": "cin_episodes_started",
         "cin_ended": "cin_episodes_ended", "rereferral_share": "rereferral_within_12m_percent"}


@dataclass
class Data:
    obs: list = field(default_factory=list)     # (series, year, k or None, value, recalled)
    cla: dict = field(default_factory=dict)     # year -> children in care on 31 March
    cin_2017: dict = field(default_factory=dict)   # the 2017 census row
    duration_2017: list = field(default_factory=list)


def _rows(path: Path):
    with open(path, newline="") as f:
        yield from csv.DictReader(f)


def load(data: Path, first: int = FIRST, last: int = LAST) -> Data:
    d = Data()
    for r in _rows(Path(data) / "cla_national.csv"):
        d.cla[int(r["year"])] = float(r["cla_at_31_march"])
    for r in _rows(Path(data) / "cin_cpp_national.csv"):
        y = int(r["year"])
        if y == last:
            d.cin_2017 = r
        if not first <= y <= last:
            continue
        recalled = set(filter(None, r["recalled_fields"].split(";")))
        for name, col in _COLS.items():
            if r[col]:
                v = float(r[col]) / (100.0 if name == "rereferral_share" else 1.0)
                d.obs.append((name, y, None, v, col in recalled))
    for r in _rows(Path(data) / "cpp_duration_at_31_march.csv"):
        y = int(r["year"])
        if y == last:
            d.duration_2017 = [float(r[c]) for c in DURATION_COLS]
        if first <= y <= last:
            for k, c in enumerate(DURATION_COLS):
                d.obs.append(("cpp_duration", y, k, float(r[c]), False))
    return d


def model_value(res: pm.Result, cla: dict, name: str, year: int, k) -> float:
    i = res.years.index(year)
    if name == "cin_total":
        return res.cin[i] + res.cpp[i] + cla[year]
    if name == "cpp_stock":
        return res.cpp[i]
    if name == "cpp_duration":
        return res.cpp_duration[i, k]
    if name == "rereferral_share":
        return res.flow("rereferrals")[i] / res.flow("referrals")[i]
    return res.flow(name)[i]


def sd_of(name: str, recalled: bool) -> float:
    return SD[name] * (RECALLED if recalled else 1.0)


def residuals(theta: np.ndarray, d: Data, years: list) -> np.ndarray:
    res = pm.run_theta(theta, years)
    r = [(np.log(model_value(res, d.cla, n, y, k)) - np.log(v)) / sd_of(n, rc) for n, y, k, v, rc in d.obs]
    mu, sd = pm.prior()
    return np.concatenate([np.array(r), (theta - mu) / sd])


@dataclass
class Fit:
    theta: np.ndarray
    cov: np.ndarray
    years: list
    chi2: float
    nfev: int
    res: pm.Result


def start(d: Data) -> np.ndarray:
    """A fixed starting point from the data: new referrals about 78% of all, hazards at
    their prior centres, plans ending at about 1.3 a year."""
    theta, _ = pm.prior()
    ref = [v for n, y, _, v, _ in d.obs if n == "referrals"]
    theta[pm.SL["ref"]] = np.log(np.mean(ref) * 0.78)
    theta[pm.SL["nfa"]] = pm._logit(0.46)
    theta[pm.SL["cin_close"].start + 1] = np.log(1.0)
    theta[pm.SL["cpp"]] = np.log([0.3, 1.5, 1.5, 1.5, 1.5])
    return theta


def fit(d: Data, theta0: np.ndarray | None = None, years: list | None = None) -> Fit:
    years = list(years or range(FIRST, LAST + 1))
    x0 = start(d) if theta0 is None else np.asarray(theta0, float)
    sol = least_squares(lambda x: residuals(x, d, years), x0, method="trf", diff_step=1e-6,
                        xtol=1e-10, ftol=1e-10, gtol=1e-10, max_nfev=500)
    n = len(d.obs)
    cov = np.linalg.pinv(sol.jac.T @ sol.jac)
    return Fit(sol.x, cov, years, float(sol.fun[:n] @ sol.fun[:n]), int(sol.nfev),
               pm.run_theta(sol.x, years))


def fit_rows(d: Data, f: Fit) -> list:
    """pathway_fit.csv's rows: every fitted published number against the model."""
    labels = {"cpp_duration": DURATION_COLS}
    rows = []
    for n, y, k, v, rc in d.obs:
        m = model_value(f.res, d.cla, n, y, k)
        rows.append([n if k is None else f"{n}_{labels[n][k]}", y, f"{v:.6g}", f"{m:.6g}",
                     f"{(m / v - 1) * 100:.2f}", f"{sd_of(n, rc) * 100:.1f}",
                     "recalled" if rc else "source"])
    return rows
