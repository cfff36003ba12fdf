"""Summaries across replicates, and scenario-versus-baseline paired differences, as DataFrames.

`summarise` reduces a variable to (scenario, replicate, *by), computes it (the reduced array is
small), and gives per (scenario, *by): the number of complete replicates n, mean, standard
deviation sd, standard error se = sd / sqrt(n), and quantiles across replicates (q05 ... q95).

`compare` pairs each scenario with the baseline replicate by replicate (the simulator uses common
random numbers, so replicate r sees the same world in every scenario) and summarises the
differences: mean difference with a t confidence interval for it (ci_lo, ci_hi), and the
spread of the paired differences (q05, q50, q95). Masked (unfinished) tasks are left out;
a pair counts only if both tasks are complete.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from .io import TASK_DIMS
from .measures import reduce

DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: what `summarise(ds, "stock")` selects unless `where` names the dimension: children in care
DEFAULT_WHERE = {"stock": {"state": "lac"}}


def default_where(var: str, where: dict | None) -> dict | None:
    """`where` with the variable's default selections for the dimensions it does not name: a
    --where time=... of `stock` still counts children in care, not every state summed."""
    out = {**DEFAULT_WHERE.get(var, {}), **(where or {})}
    return out or None


def qname(q: float) -> str:
    """Column name of a quantile: 0.05 -> 'q05', 0.5 -> 'q50', 0.975 -> 'q97.5'."""
    pct = 100 * q
    return f"q{int(round(pct)):02d}" if abs(pct - round(pct)) < 1e-9 else f"q{pct:g}"


def _as_array(data, var, by, where) -> xr.DataArray:
    if isinstance(data, xr.Dataset):
        if var is None:
            raise ValueError("summarise: name the variable (var=...) of a Dataset")
        return reduce(data[var], by, default_where(var, where))
    if var is not None:
        raise ValueError("summarise: var= is for a Dataset; a DataArray is used as it is")
    return reduce(data, by, where)


def _replicate_matrix(da: xr.DataArray, by: tuple) -> tuple[np.ndarray, pd.MultiIndex]:
    """Values as a 2-D array (scenario x by-combinations, replicate) and the matching index."""
    other = [d for d in da.dims if d not in TASK_DIMS]
    da = da.transpose("scenario", *other, "replicate")
    arr = np.asarray(da.values, dtype=float)
    levels = [da["scenario"].values] + [da[d].values for d in other]
    index = pd.MultiIndex.from_product(levels, names=["scenario", *other])
    return arr.reshape(-1, da.sizes["replicate"]), index


def _stats(x: np.ndarray, quantiles) -> dict[str, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN rows (no complete replicate)
        n = np.sum(~np.isnan(x), axis=1)
        mean = np.nanmean(x, axis=1)
        sd = np.nanstd(x, axis=1, ddof=1)
        sd[n < 2] = np.nan
        se = sd / np.sqrt(np.where(n > 0, n, np.nan))
        out = {"n": n, "mean": mean, "sd": sd, "se": se}
        qs = np.nanquantile(x, quantiles, axis=1) if len(quantiles) else []
        for q, v in zip(quantiles, qs):
            out[qname(q)] = v
    return out


def summarise(data, var: str | None = None, by=("time",), where: dict | None = None,
              quantiles=DEFAULT_QUANTILES) -> pd.DataFrame:
    """Mean, sd, se and quantiles across replicates of `var`, summed over all dimensions but
    scenario, replicate, time and `by` (time is always kept, as stocks cannot be summed over
    it; pick one time with where={"time": "2027-03-31"}).

    data: the Dataset from `open_run` (then `var` names a variable; for "stock" `where`
    defaults to state == "lac") or a DataArray with scenario and replicate dimensions (e.g. a
    measure such as `caresim.measures.in_care(ds)`). `by` may hold dimensions and `region`.
    Returns a DataFrame indexed by (scenario, *by) with columns n, mean, sd, se, q05 ... q95.
    """
    by = (by,) if isinstance(by, str) else tuple(by)
    da = _as_array(data, var, by, where)
    x, index = _replicate_matrix(da, by)
    df = pd.DataFrame(_stats(x, tuple(quantiles)), index=index)
    df.attrs["units"] = da.attrs.get("units", "")
    df.attrs["name"] = da.name or var or ""
    return df


def compare(data, baseline: str | None = "baseline", var: str | None = "stock", by=("time",),
            where: dict | None = None, level: float = 0.95,
            quantiles=(0.05, 0.5, 0.95)) -> pd.DataFrame:
    """Scenario minus baseline, paired by replicate, for every scenario but the baseline.

    Indexed by (scenario, *by); columns: baseline (its name), n (complete pairs),
    baseline_mean, scenario_mean, diff (mean difference), se (its standard error), ci_lo /
    ci_hi (a `level` t interval for the mean difference), rel (diff / baseline mean), and the
    quantiles of the paired differences (q05, q50, q95). No column repeats an index level, so
    `reset_index()` gives a flat table (as `to_csv` and `caresim.tables.export` write it).
    `baseline` defaults to the first scenario if the name is None or not present.
    """
    by = (by,) if isinstance(by, str) else tuple(by)
    if isinstance(data, xr.DataArray):
        var = None
    da = _as_array(data, var, by, where).compute()
    names = [str(s) for s in da["scenario"].values]
    if len(names) < 2:
        raise ValueError(f"compare: the run has one scenario ({names[0]!r}); nothing to compare")
    if baseline not in names:
        if baseline is not None and baseline != "baseline":
            raise KeyError(f"compare: no scenario {baseline!r} (scenarios: {names})")
        baseline = names[0]
    base = da.sel(scenario=baseline, drop=True)
    others = da.sel(scenario=[s for s in names if s != baseline])
    diff = others - base
    x, index = _replicate_matrix(diff, by)
    xs, _ = _replicate_matrix(others.where(diff.notnull()), by)
    xb, _ = _replicate_matrix((base + 0 * others).where(diff.notnull()), by)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        s = _stats(x, tuple(quantiles))
        n = s["n"]
        t = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
        bmean = np.nanmean(xb, axis=1)
        out = {"baseline": baseline, "n": n, "baseline_mean": bmean,
               "scenario_mean": np.nanmean(xs, axis=1), "diff": s["mean"],
               "se": s["se"], "ci_lo": s["mean"] - t * s["se"], "ci_hi": s["mean"] + t * s["se"],
               "rel": s["mean"] / np.where(bmean != 0, bmean, np.nan)}
    out.update({qname(q): s[qname(q)] for q in quantiles})
    df = pd.DataFrame(out, index=index)
    df.attrs.update(units=da.attrs.get("units", ""), baseline=baseline, level=level,
                    name=da.name or var or "")
    return df
