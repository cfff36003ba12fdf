"""Tables of a run as pandas DataFrames: the headline numbers, and breakdowns by area, age band,
placement and exit reason.

Every function takes either the Dataset from `open_run` or the dict from
`caresim.measures.collect` (the report computes that once and reuses it). Numbers are across
replicates: mean, and the 5% and 95% quantiles (a 90% interval) unless said otherwise.
"""
from __future__ import annotations

import pandas as pd
import xarray as xr

from .measures import (GREEN_BOOK_RATE, as_set, cost_name, cumulative, entry_kinds, exit_kinds,
                       over_run_per_year, per_year)
from .summary import summarise

INTERVAL = (0.05, 0.95)


def _date(t) -> str:
    return str(pd.Timestamp(t).date())


def headline_measures(src) -> dict[str, xr.DataArray]:
    """Per-task (scenario, replicate) values of the headline quantities, keyed by their label."""
    m = as_set(src)
    care = m["in_care_area"].sum("area", skipna=False)
    t = care["time"].values
    out = {
        f"Children in care, {_date(t[0])}": care.isel(time=0, drop=True),
        f"Children in care, {_date(t[-1])}": care.isel(time=-1, drop=True),
    }
    if "flow" in m and len(t) > 1:
        flow = m["flow"]
        kinds = exit_kinds(flow)
        out["Entries to care per year (first and re-entries)"] = over_run_per_year(
            flow.sel(transition=entry_kinds(flow)).sum("transition", skipna=False))
        out["Exits from care per year"] = over_run_per_year(
            flow.sel(transition=kinds).sum("transition", skipna=False))
    if "days_in_care" in m and len(t) > 1:
        out["Child-days in care per year"] = over_run_per_year(m["days_in_care"])
    if "cost_item" in m and len(t) > 1:
        total, name = m["cost_item"].sum("item", skipna=False), cost_name(m)
        out[f"{name} per year (GBP)"] = over_run_per_year(total)
        out[f"{name}, cumulative to {_date(t[-1])} (GBP)"] = \
            cumulative(total).isel(time=-1, drop=True)
        out[f"{name}, cumulative, discounted at {100 * GREEN_BOOK_RATE:g}% a year (GBP)"] = \
            cumulative(total, GREEN_BOOK_RATE).isel(time=-1, drop=True)
    return out


def headline(src) -> pd.DataFrame:
    """One row per scenario x headline measure: n, mean, q05, q95 (a 90% interval)."""
    rows = []
    for label, da in headline_measures(src).items():
        df = summarise(da, by=(), quantiles=INTERVAL)
        for scen, r in df.iterrows():
            rows.append({"scenario": scen if not isinstance(scen, tuple) else scen[0],
                         "measure": label, "n": r["n"], "mean": r["mean"],
                         "q05": r["q05"], "q95": r["q95"]})
    return pd.DataFrame(rows).set_index(["scenario", "measure"])


def _at(da: xr.DataArray, time) -> xr.DataArray:
    if isinstance(time, int):
        return da.isel(time=time, drop=True)
    return da.sel(time=pd.Timestamp(time), drop=True)


def by_area(src, time: int | str = -1) -> pd.DataFrame:
    """Children in care by area at `time` (an index, default the last, or a date), with the
    area's name and region, mean and 90% interval, and the mean change from the start."""
    da = as_set(src)["in_care_area"]
    end = summarise(_at(da, time), by=("area",), quantiles=INTERVAL)
    start = summarise(_at(da, 0), by=("area",), quantiles=())
    end["start_mean"] = start["mean"]
    end["change"] = end["mean"] - start["mean"]
    labels = pd.DataFrame({c: da[c].values for c in ("area_name", "region") if c in da.coords},
                          index=pd.Index(da["area"].values, name="area"))
    out = end.reset_index().merge(labels, left_on="area", right_index=True, how="left")
    cols = ["scenario", "area"] + list(labels.columns)
    return out.set_index(cols)[["n", "start_mean", "mean", "q05", "q95", "change"]]


def by_region(src, time: int | str = -1) -> pd.DataFrame:
    """Children in care by region at `time`: mean and 90% interval."""
    from .measures import reduce
    da = reduce(as_set(src)["in_care_area"], ("region",))
    return summarise(_at(da, time), by=("region",), quantiles=INTERVAL)


def by_age_band(src, time: int | str = -1) -> pd.DataFrame:
    """Children in care by age band at `time`: mean, 90% interval and share of the total."""
    df = summarise(_at(as_set(src)["in_care_age"], time), by=("age_band",), quantiles=INTERVAL)
    df["share"] = df["mean"] / df.groupby(level="scenario")["mean"].transform("sum")
    return df


def by_placement(src, time: int | str = -1) -> pd.DataFrame:
    """Children in care by placement at `time`: mean, 90% interval and share of the total."""
    df = summarise(_at(as_set(src)["placements"], time), by=("placement",), quantiles=INTERVAL)
    df["share"] = df["mean"] / df.groupby(level="scenario")["mean"].transform("sum")
    return df


def flows_per_year(src) -> pd.DataFrame:
    """Events per year by transition, for each period: mean and 90% interval."""
    return summarise(per_year(as_set(src)["flow"]), by=("time", "transition"), quantiles=INTERVAL)


def exits_by_reason(src) -> pd.DataFrame:
    """Exits from care per year over the whole run, by reason: mean, 90% interval, share."""
    flow = as_set(src)["flow"]
    kinds = exit_kinds(flow)
    df = summarise(over_run_per_year(flow.sel(transition=kinds)), by=("transition",),
                   quantiles=INTERVAL)
    df["share"] = df["mean"] / df.groupby(level="scenario")["mean"].transform("sum")
    return df.rename_axis(index={"transition": "reason"})


def export_table(frames: dict, path) -> "Path":
    """Write tables for colleagues in a spreadsheet: `path` ending .csv gets the first table
    (flat: index levels as columns); .xlsx gets one sheet per table (Debian's python3-openpyxl).
    Returns the path."""
    from pathlib import Path
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = {name: df.reset_index() for name, df in frames.items()}
    if path.suffix.lower() == ".csv":
        next(iter(flat.values())).to_csv(path, index=False)
    elif path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            for name, df in flat.items():
                df.to_excel(xl, sheet_name=name[:31], index=False)
    else:
        raise ValueError(f"{path}: expected a .csv or .xlsx file name")
    return path
