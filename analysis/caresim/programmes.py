"""What each programme did in a run, per scenario and replicate, and against the paired baseline.

Everything is read from the file: the programmes are the labels of its `programme` coordinate,
their costs the `item` labels that match them (the other items are placements), which scenario
runs which programme, and whether it draws its effects, from the resolved scenario text
(`scenario_yaml`). The baseline is the first scenario that runs no programme; replicate r of a
variant is compared with replicate r of the baseline (common random numbers, and the same drawn
effects), so each difference is paired.

`programme_table` and `effect_table` give one value per replicate; `summarise` turns them into
mean and the interval holding the middle 90% of replicates. When a scenario draws its effects
(an effect with `ci95`), each replicate draws its own ratio, so that interval carries effect
(parameter) uncertainty as well as chance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .measures import GREEN_BOOK_RATE, cumulative, in_care


def scenario_programmes(attrs: dict) -> dict[str, dict]:
    """{scenario name: {"programmes": [names], "drawn": [names drawing an effect]}} from the
    resolved scenario text; scenarios it does not describe are absent."""
    import yaml
    try:
        docs = [d for d in yaml.safe_load_all(str(attrs.get("scenario_yaml", "")))
                if isinstance(d, dict)]
    except yaml.YAMLError:
        return {}
    out = {}
    for d in docs:
        progs = [p for p in (d.get("programmes") or []) if isinstance(p, dict)]
        out[str(d.get("name", ""))] = {
            "programmes": [str(p.get("name", "")) for p in progs],
            "drawn": [str(p.get("name", "")) for p in progs
                      if any(isinstance(e, dict) and e.get("ci95") for e in p.get("effects") or [])],
        }
    return out


def has_programmes(ds: xr.Dataset) -> bool:
    return "programme" in ds.dims and ds.sizes["programme"] > 0 and "programme_served" in ds


def _labels(ds, dim) -> list[str]:
    return [str(x) for x in ds[dim].values]


def runs(ds: xr.Dataset, attrs: dict) -> dict[str, list[str]]:
    """{scenario: programmes it runs}, from the scenario text; a scenario the text does not
    describe runs the programmes it referred children to or spent money on."""
    described = scenario_programmes(attrs)
    progs = _labels(ds, "programme")
    active = None
    out = {}
    for s in _labels(ds, "scenario"):
        if s in described:
            out[s] = [p for p in described[s]["programmes"] if p in progs]
            continue
        if active is None:
            items = [i for i in _labels(ds, "item") if i in progs] if "item" in ds.dims else []
            spent = ds["cost"].sel(item=items).sum(("replicate", "time", "area")) if items else None
            refd = ds["programme_referred"].sum(("replicate", "time", "area")).compute()
            active = {p: (refd.sel(programme=p) > 0) | ((spent.sel(item=p) > 0) if p in items else False)
                      for p in progs}
        out[s] = [p for p in progs if bool(active[p].sel(scenario=s))]
    return out


def baseline_of(ds: xr.Dataset, ran: dict[str, list[str]]) -> str | None:
    """The first scenario that runs no programme (None if every scenario runs one)."""
    return next((s for s in _labels(ds, "scenario") if not ran.get(s)), None)


def _run_total(da: xr.DataArray) -> xr.DataArray:
    """A period quantity summed over the run (the first time ends no period)."""
    return da.isel(time=slice(1, None)).sum("time", skipna=False)


def _to_frame(parts: dict[str, xr.DataArray], dims: tuple) -> pd.DataFrame:
    """One column per array, all with the same index (`dims`, in that order)."""
    return pd.concat({k: v.transpose(*dims).to_series() for k, v in parts.items()}, axis=1,
                     sort=False)


def programme_table(ds: xr.Dataset, ran: dict[str, list[str]]) -> pd.DataFrame:
    """Per (programme, scenario, replicate) for the scenarios that run the programme: children
    referred and served over the run, waiting at the end, the programme's cost over the run
    (plain and discounted at the Green Book rate) and its cost per child served."""
    progs = _labels(ds, "programme")
    items = [i for i in _labels(ds, "item") if i in progs] if "item" in ds.dims else []
    served = _run_total(ds["programme_served"].sum("area", skipna=False))
    referred = _run_total(ds["programme_referred"].sum("area", skipna=False))
    waiting = ds["programme_waiting"].isel(time=-1, drop=True).sum("area", skipna=False)
    parts = {"referred": referred, "served": served, "waiting": waiting}
    if items:
        c = ds["cost"].sel(item=items).sum("area", skipna=False).rename(item="programme")
        parts["cost"] = cumulative(c).isel(time=-1, drop=True)
        parts["cost_discounted"] = cumulative(c, GREEN_BOOK_RATE).isel(time=-1, drop=True)
    df = _to_frame({k: v.compute() for k, v in parts.items()}, ("programme", "scenario", "replicate"))
    if "cost" in df:
        df["cost_per_served"] = df["cost"] / df["served"].where(df["served"] > 0)
    keep = [(p, s) for s, ps in ran.items() for p in ps]
    order = pd.MultiIndex.from_tuples(keep, names=["programme", "scenario"])
    idx = df.index.droplevel("replicate")
    return df[idx.isin(order)]


def effect_table(ds: xr.Dataset, ran: dict[str, list[str]], baseline: str) -> pd.DataFrame:
    """Per (scenario, replicate), each scenario that runs a programme minus `baseline`, replicate
    by replicate: children in care avoided at the end, care-days avoided over the run, placement
    cost saved, programme cost, and net cost (programme cost minus placement cost saved), the
    money plain and discounted at the Green Book rate."""
    progs = _labels(ds, "programme")
    items = _labels(ds, "item")
    prog_items = [i for i in items if i in progs]
    place_items = [i for i in items if i not in progs]
    cost = ds["cost"].sum("area", skipna=False)
    place = cost.sel(item=place_items).sum("item", skipna=False)
    prog = cost.sel(item=prog_items).sum("item", skipna=False) if prog_items else place * 0
    parts = {
        "in_care": in_care(ds).isel(time=-1, drop=True),
        "care_days": _run_total(ds["days_in_care"].sum([d for d in ds["days_in_care"].dims
                                                        if d not in ("scenario", "replicate", "time")],
                                                       skipna=False)),
    }
    for name, rate in (("", None), ("_discounted", GREEN_BOOK_RATE)):
        parts["placement" + name] = cumulative(place, rate).isel(time=-1, drop=True)
        parts["programme" + name] = cumulative(prog, rate).isel(time=-1, drop=True)
    vals = {k: v.compute() for k, v in parts.items()}
    base = {k: v.sel(scenario=baseline, drop=True) for k, v in vals.items()}
    out = {
        "in_care_avoided": base["in_care"] - vals["in_care"],
        "care_days_avoided": base["care_days"] - vals["care_days"],
    }
    for name in ("", "_discounted"):
        saved = base["placement" + name] - vals["placement" + name]
        out["placement_saved" + name] = saved
        out["programme_cost" + name] = vals["programme" + name] - base["programme" + name]
        out["net_cost" + name] = out["programme_cost" + name] - saved
    df = _to_frame(out, ("scenario", "replicate"))
    keep = [s for s, ps in ran.items() if ps and s != baseline]
    return df[df.index.get_level_values("scenario").isin(keep)]


def summarise(df: pd.DataFrame, levels: list[str]) -> pd.DataFrame:
    """Mean, 5th and 95th percentiles across replicates of each column, by `levels`; columns
    (measure, statistic). Replicates with NaN (masked tasks, no child served) are left out."""
    g = df.groupby(level=levels, sort=False)
    return pd.concat({"mean": g.mean(), "q05": g.quantile(0.05), "q95": g.quantile(0.95)},
                     axis=1).swaplevel(axis=1)
