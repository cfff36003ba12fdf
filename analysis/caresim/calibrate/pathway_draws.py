"""The fitted uncertainty of the pathway before care and of the UASC stream, as draws the
simulator takes one per replicate (tables.pathway_draws, and parameter_draws.csv's column
uasc_entries), as the care fit's parameter draws (report.accepted_draws) are.

Pathway (pathway.py's fit): log-normal joint draws of multipliers on the fitted 2017 rates,
centred on 1, with the delta-method covariance G cov G' of their logarithms (G: their Jacobian
in the 48 parameters, forward differences; cov: the fit's Laplace covariance, (J'J)^-1 of the
standardised residuals and priors). The multipliers, in pathway_trend.csv's columns:
  referral         new referrals (England) in 2017: ref + trend + the 2017 year effect;
  nfa_odds         the odds that a new referral needs no further action (logit-linear);
  cin_cpp          plans starting from need: the expected plans started from the published
                   31 March 2017 children in need by time in need (the simulator's initial
                   stock), so the level of the band hazards weighted as the flow weights them;
  cin_closed       cases closing, the same way;
  cpp_step_down, cpp_lac, cpp_closed   plans ending (one multiplier, the three alike: the
                   fit's trend and year effects move their total), weighted by the 31 March 2017
                   plans by time on the plan;
  rereferral       the re-referral hazard of closed cases.
Not drawn: the hazard of care from need and the split of plan ends (cin_lac and the share of
cpp_lac in the total). No published number separates the routes into care; their spread is
the prior's (sd 0.5 on the log) and entries to care are held by the care fit, whose draws
carry their uncertainty already (drawing the route would count it twice). The band shapes
(time in the state) are not drawn either: a level per column, as the care fit's draws hold a
level per age band and exit reason. The slopes (the projection) are not drawn: the draws
are the uncertainty of the 2017 levels, as the care fit's are.

UASC (uasc.py's fit): the fitted entries of the last year are exactly identified by the
published UASC stocks with their stated 3% error; the covariance of the log entries is
(J'J)^-1 of that fit's standardised residuals (J square), and the multiplier on all UASC
entries (the fitted 2017 level and its continuation) is log-normal with the 2017 entries' SD.
The UASC fit is done before the care fit and held fixed in it, so the UASC draws are
independent of the care draws.

Both are truncated to [1/MAX_MULT, MAX_MULT] by rejection, as the care draws are, and drawn
with their own fixed seeds (run.py), so the care fit's draws stay as they were.
Independence: the pathway fit and the care fit are separate fits of separate published series
(the pathway fit takes the published children in care as given), so neither estimates a
covariance with the other; the pathway draws are drawn independently of the care draws and row
d of each goes with row d of the other (one replicate, one row number: care_calib.h).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from . import pathway, uasc
from . import pathway_model as pm
from .tables import _write

COLUMNS = ("referral", "nfa_odds", "cin_cpp", "cin_closed", "cpp_step_down", "cpp_lac", "cpp_closed", "rereferral")
STEP = 1e-6


def log_levels(theta: np.ndarray, w_cin: np.ndarray, w_cpp: np.ndarray, year: int = pathway.LAST) -> np.ndarray:
    """The logs of the drawn levels in `year` for parameters theta (COLUMNS, the three plan
    ends as one): w_cin, w_cpp: children by cell of time in need / on the plan (pm.CIN_BAND,
    pm.CPP_BAND), the weights of the band hazards."""
    r = pm.rates(theta, year)
    nfa = np.log(r.nfa / (1.0 - r.nfa))
    cpp = np.log(w_cin @ r.cin[0][pm.CIN_BAND])
    close = np.log(w_cin @ r.cin[2][pm.CIN_BAND])
    end = np.log(w_cpp @ r.cpp.sum(axis=0)[pm.CPP_BAND])
    return np.array([np.log(r.new), nfa, cpp, close, end, np.log(r.reref)])


def covariance(f: pathway.Fit, w_cin, w_cpp) -> tuple:
    """The levels' logs at the estimate and their delta-method covariance G cov G'."""
    base = log_levels(f.theta, w_cin, w_cpp)
    G = np.zeros((base.size, f.theta.size))
    for i in range(f.theta.size):
        th = f.theta.copy()
        th[i] += STEP
        G[:, i] = (log_levels(th, w_cin, w_cpp) - base) / STEP
    return base, G @ f.cov @ G.T


def truncated(rng, cov: np.ndarray, n: int, max_mult: float) -> tuple:
    """n draws of exp(z), z ~ N(0, cov), every element within [1/max_mult, max_mult]
    (rejection); and the accepted share of candidates."""
    cov = np.atleast_2d(cov)
    out, tried = [], 0
    while len(out) < n and tried < 200 * n:
        cand = rng.multivariate_normal(np.zeros(cov.shape[0]), cov, size=n, method="eigh")
        tried += n
        for z in cand:
            if np.all(np.abs(z) <= np.log(max_mult)) and len(out) < n:
                out.append(np.exp(z))
    if len(out) < n:
        raise ValueError("too few draws within the bounds")
    return np.array(out), len(out) / tried


def pathway_rows(f: pathway.Fit, start: pm.State, rng, n: int, max_mult: float) -> tuple:
    """pathway_draws.csv's rows (draw, COLUMNS, source) from the fit and the 31 March 2017
    state the simulator starts from; the SDs of the log levels; the accepted share."""
    base, C = covariance(f, start.cin.sum(axis=0), start.cpp.sum(axis=0))
    m, acc = truncated(rng, C, n, max_mult)
    cols = np.column_stack([m[:, 0], m[:, 1], m[:, 2], m[:, 3], m[:, 4], m[:, 4], m[:, 4], m[:, 5]])
    src = (pathway_source() + f"; delta-method draws of the fitted 2017 levels, truncated to "
           f"[1/{max_mult:g}, {max_mult:g}]")
    rows = [[k] + [f"{v:.5f}" for v in row] + [src] for k, row in enumerate(cols)]
    return rows, np.sqrt(np.diag(C)), acc


def pathway_source() -> str:
    from .pathway_tables import SOURCE
    return SOURCE


def uasc_log_sd(stock: dict, last_year: int, shares: dict, entries: dict) -> float:
    """The SD of the log of the last year's fitted UASC entries: (J'J)^-1 of uasc.fit's
    standardised residuals at its solution (3% on each published stock)."""
    years = sorted(y for y in stock if y <= last_year)

    def resid(logn):
        u = uasc.run(dict(zip(years, np.exp(logn))), years, shares)
        return (np.log(u.stock_age.sum(axis=1)) - np.log([stock[y] for y in years])) / uasc.STOCK_SD

    x = np.log([entries[y] for y in years])
    J = _jac(resid, x)
    cov = np.linalg.pinv(J.T @ J)
    return float(np.sqrt(cov[-1, -1]))


def _jac(fn, x: np.ndarray) -> np.ndarray:
    base = fn(x)
    J = np.zeros((base.size, x.size))
    for i in range(x.size):
        xx = x.copy()
        xx[i] += STEP
        J[:, i] = (fn(xx) - base) / STEP
    return J


def write_pathway(cal: Path, rows: list) -> Path:
    return _write(Path(cal) / "pathway_draws.csv", ["draw"] + list(COLUMNS) + ["source"], rows)
