"""Named quantities derived from a run, per task: children in care, entries, exits, days, cost.

Each function takes the Dataset from `open_run` and returns a DataArray over (scenario,
replicate, time, *by): the variable restricted to what the measure means and summed over every
other dimension. `by` may name any dimension left (area, age_band, placement, transition, item)
or `region`, a label of the area dimension. Sums keep NaN (skipna=False) so a masked task stays
masked instead of turning into zeros. Results are lazy until `.compute()`; `collect` computes
the set a report needs in one pass over the file.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from .io import TASK_DIMS

#: the state the measures of care are about (every other label is read from the file)
CARE_STATE = "lac"
DAYS_PER_YEAR = 365.25   # as the C model's CARE_YEAR_DAYS


def _ends(src) -> tuple[list, list, list]:
    """The transition labels with their from and to states, from the file's coordinates."""
    da = src["flow"] if isinstance(src, xr.Dataset) else src
    for c in ("transition_from", "transition_to"):
        if c not in da.coords:
            raise KeyError(f"{c}: not in the file (written by caresim since states became data); "
                           "cannot tell entries from exits")
    return ([str(x) for x in da["transition"].values], [str(x) for x in da["transition_from"].values],
            [str(x) for x in da["transition_to"].values])


def entry_kinds(src, state: str = CARE_STATE) -> list:
    """Transitions into `state` from any other state or from outside (for care: first entries,
    re-entries, and entries from the pathway before care), in the file's order."""
    names, frm, to = _ends(src)
    return [n for n, f, t in zip(names, frm, to) if t == state and f != state]


def exit_kinds(src, state: str = CARE_STATE) -> list:
    """Transitions out of `state` (for care: every reason a child leaves care), in file order."""
    names, frm, to = _ends(src)
    return [n for n, f, t in zip(names, frm, to) if f == state and t != state]


def reduce(da: xr.DataArray, by=(), where: dict | None = None) -> xr.DataArray:
    """Select `where` (label or list of labels per dimension), then sum over every dimension
    except scenario, replicate, time and `by`. A `by` entry that is a non-dimension coordinate
    (region, over area) groups its dimension by that label."""
    by = (by,) if isinstance(by, str) else tuple(by)
    by = tuple(b for b in dict.fromkeys(by) if b not in TASK_DIMS + ("time",))
    if where:
        da = da.sel(where)
    for name in by:
        if name in da.dims:
            continue
        if name not in da.coords:
            raise KeyError(f"{da.name}: cannot break down by {name!r} (dimensions: {da.dims})")
        dim = da.coords[name].dims[0]
        other = [d for d in da.dims if d not in TASK_DIMS + ("time", dim) + by]
        da = da.sum(other, skipna=False, keep_attrs=True)
        labels = list(dict.fromkeys(da.coords[name].values.tolist()))
        parts = [da.isel({dim: np.flatnonzero(da.coords[name].values == lab)})
                 .sum(dim, skipna=False, keep_attrs=True) for lab in labels]
        da = xr.concat(parts, dim=xr.DataArray(labels, dims=name, name=name))
    keep = set(TASK_DIMS + ("time",) + by)
    drop = [d for d in da.dims if d not in keep]
    out = da.sum(drop, skipna=False, keep_attrs=True) if drop else da
    dims = [d for d in TASK_DIMS + ("time",) + by if d in out.dims]
    return out.transpose(*dims)


def _named(da: xr.DataArray, name: str, units: str, long_name: str) -> xr.DataArray:
    da = da.rename(name)
    da.attrs = {"units": units, "long_name": long_name}
    return da


def in_care(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Children looked after (state lac) at each observation time."""
    return _named(reduce(ds["stock"], by, {"state": CARE_STATE}), "in_care", "children",
                  "children looked after")


def at_home(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Children reunified and still within the re-entry follow-up window (state home)."""
    return _named(reduce(ds["stock"], by, {"state": "home"}), "at_home", "children",
                  "children home, within the re-entry follow-up")


def flows(ds: xr.Dataset, kinds=None, by=("transition",)) -> xr.DataArray:
    """Events in the period ending at each time, for the transitions `kinds` (default all)."""
    where = {"transition": list(kinds)} if kinds is not None else None
    return _named(reduce(ds["flow"], by, where), "flow", "events", "events in the period")


def entries(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Starts of care in the period: first entries plus re-entries."""
    return _named(reduce(ds["flow"], by, {"transition": entry_kinds(ds)}), "entries", "events",
                  "entries to care (first entries and re-entries)")


def exits(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Exits from care in the period, all reasons (placement moves and closures excluded)."""
    return _named(reduce(ds["flow"], by, {"transition": exit_kinds(ds)}), "exits", "events",
                  "exits from care")


def placements(ds: xr.Dataset, by=("placement",)) -> xr.DataArray:
    """Looked-after children by placement at each time."""
    return _named(reduce(ds["placements"], by), "placements", "children",
                  "children looked after, by placement")


def days_in_care(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Child-days in care during the period ending at each time."""
    return _named(reduce(ds["days_in_care"], by), "days_in_care",
                  ds["days_in_care"].attrs.get("units", "days"), "child-days in care in the period")


def cost(ds: xr.Dataset, by=()) -> xr.DataArray:
    """Placement cost during the period ending at each time."""
    return _named(reduce(ds["cost"], by), "cost", ds["cost"].attrs.get("units", "GBP"),
                  "placement cost in the period")


def programme_items(m: dict[str, xr.DataArray]) -> list[str]:
    """The cost items of a set that are not placement types: the programmes' own costs, which a
    run with programmes adds after the placements."""
    items = [str(x) for x in m["cost_item"]["item"].values]
    places = {str(x) for x in m["placements"]["placement"].values} if "placements" in m else set(items)
    return [i for i in items if i not in places]


def cost_name(m: dict[str, xr.DataArray]) -> str:
    """What the `cost_item` total of a set (from `lazy_set`/`collect`) holds: "Placement cost"
    when every item is a placement type, else "Cost of placements and programmes"."""
    return "Cost of placements and programmes" if programme_items(m) else "Placement cost"


def as_set(src) -> dict[str, xr.DataArray]:
    """A Dataset's `lazy_set`, or a dict from `collect`/`lazy_set` as it is."""
    return lazy_set(src) if isinstance(src, xr.Dataset) else src


def period_years(time: xr.DataArray) -> xr.DataArray:
    """Length in years of the period ending at each observation time (NaN at the first)."""
    days = np.diff(time.values).astype("timedelta64[s]").astype(float) / 86400.0
    return xr.DataArray(np.concatenate([[np.nan], days / DAYS_PER_YEAR]), dims="time",
                        coords={"time": time})


def per_year(da: xr.DataArray) -> xr.DataArray:
    """A period quantity (events, days, cost) as a rate per year; drops the first time, which
    ends no period."""
    out = (da / period_years(da["time"])).isel(time=slice(1, None))
    out.attrs = dict(da.attrs, units=f"{da.attrs.get('units', '')} per year".strip())
    return out.rename(da.name)


def over_run_per_year(da: xr.DataArray) -> xr.DataArray:
    """A period quantity summed over the whole run, per year of the run (per task)."""
    t = da["time"].values
    years = (t[-1] - t[0]).astype("timedelta64[s]").astype(float) / 86400.0 / DAYS_PER_YEAR
    out = da.isel(time=slice(1, None)).sum("time", skipna=False) / years
    out.attrs = dict(da.attrs, units=f"{da.attrs.get('units', '')} per year".strip())
    return out.rename(da.name)


#: HM Treasury Green Book social time-preference rate (years 0-30), the default for discounting
GREEN_BOOK_RATE = 0.035


def years_since_start(time: xr.DataArray) -> xr.DataArray:
    """Years from the first observation to each observation time."""
    t = time.values
    days = (t - t[0]).astype("timedelta64[s]").astype(float) / 86400.0
    return xr.DataArray(days / DAYS_PER_YEAR, dims="time", coords={"time": time})


def cumulative(da: xr.DataArray, discount: float | None = None) -> xr.DataArray:
    """A period quantity (cost, events, days) summed from the start of the run to each
    observation time; with `discount` (a yearly rate such as 0.035) each period's amount is
    first divided by (1 + discount) ** (years from the start to the period's end), as the
    Green Book discounts costs falling at the end of each period. NaN (masked tasks) stays NaN."""
    x = da
    if discount:
        x = da / (1.0 + discount) ** years_since_start(da["time"])
    first = x.isel(time=slice(0, 1)) * 0            # the first time ends no period
    out = xr.concat([first, x.isel(time=slice(1, None))], dim="time").cumsum("time", skipna=False)
    what = "cumulative" + (f", discounted at {100 * discount:g}% a year" if discount else "")
    out.attrs = dict(da.attrs, long_name=f"{da.attrs.get('long_name', da.name)} ({what})")
    return out.rename(da.name)


def lazy_set(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """The small per-task arrays tables and charts use, not yet computed: in_care_area,
    in_care_age, at_home, flow (by transition), placements, days_in_care, cost_item."""
    wanted = {
        "in_care_area": lambda: in_care(ds, ("area",)),
        "in_care_age": lambda: in_care(ds, ("age_band",)),
        "at_home": lambda: at_home(ds),
        "flow": lambda: flows(ds),
        "placements": lambda: placements(ds),
        "days_in_care": lambda: days_in_care(ds),
        "cost_item": lambda: cost(ds, ("item",)),
    }
    out = {}
    for key, make in wanted.items():
        try:
            out[key] = make()
        except KeyError:        # a variable or breakdown this run did not write
            continue
    return out


def collect(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """`lazy_set(ds)` computed together, in one pass over the file (each task chunk read once)."""
    import dask
    lazy = lazy_set(ds)
    values = dask.compute(*lazy.values())
    return dict(zip(lazy.keys(), values))
