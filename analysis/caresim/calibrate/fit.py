"""Fitting: the weighted least squares of `model.residuals`, and its parameter uncertainty.

The minimum is found by scipy's trust-region least squares from a fixed starting point built
from the data (so the same data give the same answer, bit for bit). The uncertainty is the
Laplace (Gauss-Newton) approximation: covariance (J'J)^-1 of the standardised residuals at the
minimum, with the data's part inflated by the residual variance when the data scatter more
than the stated standard deviations (chi2 over the residual degrees of freedom: the number of
published numbers less the trace of the hat matrix, since the priors hold part of the
parameters; the inflation factor is reported); the priors' part is not. Year effects of years
after the last fitted one are not fitted (held at 0; params.year_effect).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from . import model, params, uasc
from .data import Targets


@dataclass
class Fit:
    theta: np.ndarray
    cov: np.ndarray
    uasc_entries: dict
    last_fit: int
    obs: list
    chi2: float
    inflation: float
    nfev: int


def start(t: Targets, last_fit: int) -> np.ndarray:
    """Starting point: entries from the published starts by age of the last fitted year,
    exit levels from the published ceased by reason, shapes at their prior centres."""
    theta, _ = params.prior()
    y = max(k for k in t.starts_age if k <= last_fit)
    theta[params.SL["entry"]] = np.log(np.array(t.starts_age[y]) * 0.85)
    theta[params.SL["level"]] = np.log([0.25, 0.3, 0.15, 0.1, 0.4])
    return theta


def run(t: Targets, last_fit: int, first_fit: int = params.FIRST_FIT_YEAR,
        theta0: np.ndarray | None = None, free: np.ndarray | None = None,
        verbose: int = 0) -> Fit:
    """Fits the years first_fit..last_fit. `free` (boolean mask) fixes the other parameters at
    theta0 (used by tests)."""
    u = uasc.fit(t.uasc_stock, last_fit, params.UASC_AGE)
    obs = model.observations(t, first_fit, last_fit)
    x0 = start(t, last_fit) if theta0 is None else np.array(theta0, float)
    mask = np.ones(params.N_PARAMS, bool) if free is None else np.asarray(free, bool).copy()
    mask &= params.year_effect_mask(last_fit)
    if last_fit <= params.KNOT_YEAR:      # no data after the knot: its slope is not fitted
        mask[params.SL["trend2"]] = False

    def fun(x):
        th = x0.copy()
        th[mask] = x
        return model.residuals(th, t, obs, u, last_fit)

    sol = least_squares(fun, x0[mask], method="trf", x_scale=1.0, diff_step=1e-6,
                        xtol=1e-8, ftol=1e-8, gtol=1e-8, max_nfev=300, verbose=verbose)
    theta = x0.copy()
    theta[mask] = sol.x
    n_obs = len(obs)
    jd, jp = sol.jac[:n_obs], sol.jac[n_obs:]
    chi2 = float(sol.fun[:n_obs] @ sol.fun[:n_obs])
    # residual degrees of freedom: n_obs less the effective number of parameters the data fit,
    # the trace of the hat matrix jd (jd'jd + jp'jp)^-1 jd' (the priors hold the rest)
    edf = float(np.trace(jd @ np.linalg.pinv(jd.T @ jd + jp.T @ jp) @ jd.T))
    inflation = max(1.0, chi2 / max(n_obs - edf, 1.0))
    # data information scaled down by the excess scatter; the priors' information is not
    cov_free = np.linalg.pinv(jd.T @ jd / inflation + jp.T @ jp)
    cov = np.zeros((params.N_PARAMS, params.N_PARAMS))
    cov[np.ix_(mask, mask)] = cov_free
    return Fit(theta, cov, u, last_fit, obs, chi2, inflation, int(sol.nfev))
