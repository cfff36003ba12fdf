"""Sweeps: an outcome against the parameters a `sweep:` block varied.

A run of a swept scenario holds one scenario per sweep point and, for each swept key, a variable
`param_<key>(scenario)` with the value it took. `parameters` names them; `sweep_frame` tabulates
an outcome (by default children in care) at one time against them, with its mean and 5%/95%
quantiles across replicates; `plot_sweep` draws the outcome against one parameter.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from . import measures

PREFIX = "param_"


def parameters(ds: xr.Dataset) -> list[str]:
    """The swept parameters of a run (names of its param_* variables), in file order."""
    return [str(v) for v in ds.variables if str(v).startswith(PREFIX) and ds[v].dims == ("scenario",)]


def sweep_frame(ds: xr.Dataset, outcome: xr.DataArray | None = None, time=None) -> pd.DataFrame:
    """One row per scenario: each param_* value, then n, mean, q05, q50, q95 across replicates
    of `outcome` (a per-task measure over scenario, replicate, time; default: children in care)
    at `time` (a date or index label; default the last observation)."""
    da = measures.in_care(ds) if outcome is None else outcome
    da = da.isel(time=-1) if time is None else da.sel(time=time)
    extra = [d for d in da.dims if d not in ("scenario", "replicate")]
    if extra:
        raise ValueError(f"sweep_frame: reduce the outcome over {extra} first")
    x = np.asarray(da.transpose("scenario", "replicate").values, dtype=float)
    out = pd.DataFrame(index=pd.Index([str(s) for s in ds["scenario"].values], name="scenario"))
    for p in parameters(ds):
        out[p] = np.asarray(ds[p].values, dtype=float)
    out["n"] = np.sum(~np.isnan(x), axis=1)
    out["mean"] = np.nanmean(x, axis=1)
    for q in (0.05, 0.5, 0.95):
        out[f"q{int(round(100 * q)):02d}"] = np.nanquantile(x, q, axis=1)
    out.attrs["outcome"] = da.name or ""
    out.attrs["units"] = da.attrs.get("units", "")
    return out


def plot_sweep(ds: xr.Dataset, param: str | None = None, outcome: xr.DataArray | None = None, time=None):
    """A matplotlib Figure: the outcome's mean and 90% band across replicates against `param`
    (default: the first swept parameter)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    df = sweep_frame(ds, outcome, time)
    names = parameters(ds)
    if not names:
        raise ValueError("plot_sweep: the run has no swept parameters (param_* variables)")
    param = param or names[0]
    if param not in names:
        param = PREFIX + param if PREFIX + param in names else param
    if param not in df:
        raise KeyError(f"plot_sweep: no parameter {param!r} (have: {names})")
    df = df.sort_values(param)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.fill_between(df[param], df["q05"], df["q95"], alpha=0.25, label="5%-95% of replicates")
    ax.plot(df[param], df["mean"], marker="o", label="mean")
    ax.set_xlabel(param[len(PREFIX):])
    ax.set_ylabel(f"{df.attrs['outcome']} ({df.attrs['units']})")
    ax.legend()
    fig.tight_layout()
    return fig
