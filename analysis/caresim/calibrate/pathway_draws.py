"""The fitted uncertainty of the pathway before care and of the UASC stream, as draws the
simulator takes one per replicate (tables.pathway_draws, and parameter_draws.csv's column
uasc_entries), as the care fit's parameter draws (report.accepted_draws) are.

Pathway (pathway.py's fit): log-normal joint draws of multipliers on the fitted 2017 rates,
centred on 1, in pathway_trend.csv's columns. Each multiplier is a shift of the fit's parameters
along one direction (DIRECTIONS: every parameter of the rate's level moved by the same amount on
the log or logit scale, so that the fitted rate of every year and band is multiplied alike):
  referral         new referrals (`ref`);
  nfa_odds         the odds that a new referral needs no further action (`nfa`, logit);
  cin_cpp          plans starting from need, every band of time in need (`cin_cpp[0]`; the
                   other bands are ratios to it);
  cin_closed       cases closing, every band (`cin_close[0..2]`);
  cpp_step_down, cpp_lac, cpp_closed   plans ending, one multiplier on all three (`cpp[0..4]`,
                   the total by time on the plan; the split is not drawn);
  rereferral       the re-referral hazard (`reref`).
Their covariance is the fit's own Laplace covariance in those directions: the inverse of D' H D,
H = J'J the Gauss-Newton Hessian of the fit's criterion (standardised residuals and priors;
H = cov^-1, the pathway fit's covariance, pathway.fit) and D the 48 x 6 directions: the
uncertainty of the levels as the published series see them, the rest of the parameters at
their estimates. Why not the delta method on the parameters' full covariance (the
care fit's way, report.accepted_draws): the time-in-state shapes of closing and of plans
starting are held by their priors (sd 0.7), and a level weighted by any fixed stock mix takes
that spread on (about 10% on the log for both, correlated 0.94) although the data fix children
in need to 1% (a multiplier changes the level in every band alike, not the shape): draws so
made spread the 2017 children in need by 13% at once, which the census rules out. The shapes'
uncertainty is not drawn (the simulator's draws carry levels, as the care fit's do: a level
per age band and exit reason). Not drawn either: the hazard of care from need and the split of
plan ends (cin_lac and the share of cpp_lac in the total): no published number separates the
routes into care; entries to care are held by the care fit, whose draws carry their
uncertainty. The slopes (the projection) are not drawn: the draws are the uncertainty of the
2017 levels, as the care fit's are. No inflation: chi2 27.7 is below the residual degrees of
freedom (76 published numbers less at most 48 effective parameters), and the care fit's rule
(fit.py) inflates only above them.

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


# The directions of the drawn levels in the fit's parameters (pathway_model.SPEC), in the order
# of the drawn columns: referral, nfa_odds, cin_cpp, cin_closed, plans ending, rereferral.
DIRECTIONS = (("ref",), ("nfa",), ("cin_cpp[0]",), ("cin_close[0]", "cin_close[1]", "cin_close[2]"),
              tuple(f"cpp[{k}]" for k in range(5)), ("reref",))


def directions() -> np.ndarray:
    D = np.zeros((pm.N_PARAMS, len(DIRECTIONS)))
    for j, names in enumerate(DIRECTIONS):
        for n in names:
            D[pm.NAMES.index(n), j] = 1.0
    return D


def covariance(f: pathway.Fit) -> np.ndarray:
    """The drawn levels' covariance (logs): (D' cov^-1 D)^-1."""
    D = directions()
    return np.linalg.inv(D.T @ np.linalg.inv(f.cov) @ D)


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


def pathway_rows(f: pathway.Fit, rng, n: int, max_mult: float) -> tuple:
    """pathway_draws.csv's rows (draw, COLUMNS, source) from the fit; the SDs of the log levels
    and their correlations; the accepted share."""
    C = covariance(f)
    m, acc = truncated(rng, C, n, max_mult)
    cols = np.column_stack([m[:, 0], m[:, 1], m[:, 2], m[:, 3], m[:, 4], m[:, 4], m[:, 4], m[:, 5]])
    src = (pathway_source() + f"; draws of the fitted 2017 levels, the fit's Laplace covariance in their "
           f"directions (pathway_draws.py), truncated to [1/{max_mult:g}, {max_mult:g}]")
    rows = [[k] + [f"{v:.5f}" for v in row] + [src] for k, row in enumerate(cols)]
    sd = np.sqrt(np.diag(C))
    return rows, sd, C / np.outer(sd, sd), acc


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
