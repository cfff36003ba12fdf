"""A local projection in one command: from an authority's SSDA903 returns (and its child
population by age band) to a complete scenario folder that `caresim run` accepts.

Estimated from the returns (caresim.ssda903.read; children in care when the returns begin are
left-truncated, open episodes censored where they end):
- lac_hazards.csv, home_hazards.csv: exit, move and re-entry hazards (caresim.rates), with
  their events, exposure and 95% intervals beside them (*_ci.csv);
- entry_rates.csv: first entries per 10,000 children by age band (a period of care that follows
  a return home within the follow-up window is a re-entry, simulated through home_hazards, not
  an entry), counted from one follow-up window after the returns begin where they are long
  enough (so that no re-entry is mistaken for a first entry), and the male share;
  entry_rates_ci.csv with events, child-years and 95% intervals;
- placement_shares.csv: placement type at entry by age band (codes grouped by the code table;
  temporary and "other" placements left out); an age band without entries takes the shares of
  all ages and says so;
- initial_stock.csv: the children in care on the last day of the returns by age band and time
  in care, and those returned home within the follow-up window by time since their return;
- areas.csv (one area, from the population file), scenario.yaml (starting on the returns' last
  day, 31 March), problems.csv (rows of the returns that could not be used).

Subpopulations (`uasc`, `sex`, `ages`) restrict the estimation to those children; the population
file should then hold the matching population.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from . import episodes as ep
from . import rates, ssda903

DAYS = rates.DAYS_PER_YEAR


def _age_band(age_days: np.ndarray) -> np.ndarray:
    edges = np.array(rates.AGE_FROM_YEARS[1:]) * DAYS
    return np.array(rates.AGE_BANDS, dtype=object)[np.searchsorted(edges, age_days, side="right")]


def _band(days: np.ndarray, froms) -> np.ndarray:
    return np.asarray(froms)[np.searchsorted(np.asarray(froms, dtype=float), days, side="right") - 1]


def subset(eps: pd.DataFrame, uasc: str = "all", sex: str | None = None, ages=None) -> pd.DataFrame:
    """Children of a subpopulation: uasc 'exclude', 'only' or 'all'; sex '1' or '2'; ages: age
    bands at the start of each child's first episode in the data."""
    keep = pd.Series(True, index=eps.index)
    if uasc == "exclude":
        keep &= ~eps["uasc"].astype(bool)
    elif uasc == "only":
        keep &= eps["uasc"].astype(bool)
    elif uasc != "all":
        raise ValueError(f"--uasc: expected all, exclude or only, got {uasc!r}")
    if sex:
        keep &= eps["sex"].eq(str(sex))
    if ages:
        first = eps.groupby("child_id")["episode_start"].transform("min")
        age = (first - eps["date_of_birth"]).dt.days.to_numpy(float)
        keep &= pd.Series(_age_band(age), index=eps.index).isin(list(ages))
    return eps[keep]


def entries(per: pd.DataFrame, follow_up_days: float, count_from=None) -> pd.DataFrame:
    """Periods of care begun inside their window (from `count_from` if later), each marked first
    entry or re-entry (it follows a return home within the follow-up window)."""
    per = per.sort_values(["child_id", "start"]).reset_index(drop=True)
    prev_end = per.groupby("child_id")["end"].shift()
    prev_reason = per.groupby("child_id")["reason"].shift()
    gap = (per["start"] - prev_end).dt.days
    reentry = prev_reason.eq("home") & (gap <= follow_up_days)
    lo = per["observed_from"]
    if count_from is not None:
        lo = lo.where(lo >= count_from, pd.Timestamp(count_from))
    inside = (per["start"] >= lo) & (per["start"] <= per["observed_to"])
    out = per[inside].copy()
    out["reentry"] = reentry[inside]
    out["age_band"] = _age_band((out["start"] - out["date_of_birth"]).dt.days.to_numpy(float))
    return out


def entry_rates(ent: pd.DataFrame, population: dict, years: float, level=0.95) -> pd.DataFrame:
    first = ent[~ent["reentry"]]
    rows = []
    for band in rates.AGE_BANDS:
        e = first[first["age_band"] == band]
        pop = float(population[band])
        lo, hi = rates.garwood([len(e)], [pop * years / 1e4], level)
        male = (e["sex"] == "1").mean() if len(e) else 0.5
        rows.append({"age_band": band, "rate_per_10000_per_year": len(e) / (pop * years) * 1e4,
                     "male_share": round(float(male), 4), "entries": len(e),
                     "child_years": pop * years, "lower95": lo[0], "upper95": hi[0]})
    return pd.DataFrame(rows)


def placement_shares(ent: pd.DataFrame, table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    groups = ssda903.groups("PLACE", table)
    names = list(dict.fromkeys(g for g in groups.values() if g not in ("temporary", "other")))
    g = ent["placement_type"].map(groups)
    ent = ent.assign(group=g)[g.isin(names)]
    overall = ent["group"].value_counts(normalize=True).reindex(names, fill_value=0.0)
    rows, notes = [], []
    for band in rates.AGE_BANDS:
        e = ent[ent["age_band"] == band]
        share = e["group"].value_counts(normalize=True).reindex(names, fill_value=0.0) \
            if len(e) else overall
        row = {"age_band": band, **{k: round(float(v), 6) for k, v in share.items()}}
        row["note"] = f"{len(e)} entries" if len(e) else "no entries at this age: shares of all ages"
        rows.append(row)
    df = pd.DataFrame(rows)
    fix = names[int(np.argmax(overall.values))]     # rounding: make each row sum to exactly 1
    df[fix] = (1.0 - df[[n for n in names if n != fix]].sum(axis=1)).round(6)
    return df, names


def initial_stock(per: pd.DataFrame, at: pd.Timestamp, code: str, follow_up_days: float) -> pd.DataFrame:
    """Children in care at `at` (their period open then) by age band and time in care, and
    children home at `at` within the follow-up window after a return home (not re-entered)."""
    open_ = (per["start"] <= at) & (per["end"].isna() | (per["end"] > at))
    lac = per[open_]
    rows = []
    age = (at - lac["date_of_birth"]).dt.days.to_numpy(float)
    tic = (at - lac["start"]).dt.days.to_numpy(float)
    ok = age < rates.AGE_OUT_DAYS
    df = pd.DataFrame({"state": "lac", "age_band": _age_band(age[ok]),
                       "from_days": _band(tic[ok], rates.TIC_FROM_DAYS)})
    rows.append(df)
    per = per.sort_values(["child_id", "start"])
    nxt = per.groupby("child_id")["start"].shift(-1)
    home = per["reason"].eq("home") & (per["end"] <= at) & \
        ((at - per["end"]).dt.days < follow_up_days) & (nxt.isna() | (nxt > at))
    h = per[home]
    age = (at - h["date_of_birth"]).dt.days.to_numpy(float)
    since = (at - h["end"]).dt.days.to_numpy(float)
    ok = age < rates.AGE_OUT_DAYS
    rows.append(pd.DataFrame({"state": "home", "age_band": _age_band(age[ok]),
                              "from_days": _band(since[ok], rates.HOME_FROM_DAYS)}))
    out = pd.concat(rows).groupby(["state", "age_band", "from_days"]).size().rename("count").reset_index()
    out.insert(0, "area", code)
    out["source"] = f"caresim local: SSDA903 returns, children on {at.date()}"
    return out


def build(returns_dir, population_csv, outdir, code: str = "LOCAL", name: str | None = None,
          region: str = "", horizon: str = "5y", replicates: int = 20, seed: int = 1,
          follow_up_days: float = 730.5, costs=None, uasc: str = "all", sex: str | None = None,
          ages=None, force: bool = False, code_table=None) -> dict:
    """Write the scenario folder; returns a dict of what was found (for the command's report)."""
    outdir = Path(outdir)
    if outdir.exists() and any(outdir.iterdir()) and not force:
        raise ValueError(f"{outdir}: exists and is not empty; use --force to overwrite it")
    table = ssda903.codes(code_table) if code_table else ssda903.codes()
    ret = ssda903.read(returns_dir, table)
    if ret.windows["la"].nunique() > 1:
        raise ValueError(f"{returns_dir}: returns of {ret.windows['la'].nunique()} authorities "
                         f"({', '.join(ret.windows['la'])}); build one authority at a time")
    eps = subset(ret.episodes, uasc, sex, ages)
    if eps.empty:
        raise ValueError(f"{returns_dir}: no usable episodes for this subpopulation")
    pop = pd.read_csv(population_csv)
    if not {"age_band", "population"} <= set(pop.columns):
        raise ValueError(f"{population_csv}: expected columns age_band, population")
    population = dict(zip(pop["age_band"].astype(str), pop["population"].astype(float)))
    missing = [b for b in rates.AGE_BANDS if b not in population]
    if missing:
        raise ValueError(f"{population_csv}: no population for age band(s) {missing}")
    w = ret.windows.iloc[0]
    w0, w1 = pd.Timestamp(w["observed_from"]), pd.Timestamp(w["observed_to"])
    # entries are counted from one follow-up window after the returns begin, where the window
    # is long enough: a re-entry then always has its earlier period (ended within the follow-up,
    # so after the returns began) in the data, and is never mistaken for a first entry
    count_from = w0 + pd.Timedelta(days=follow_up_days)
    if (w1 - count_from).days < 365:
        count_from = w0
    years = ((w1 - count_from).days + 1) / DAYS
    outdir.mkdir(parents=True, exist_ok=True)
    src = f"caresim local from SSDA903 returns {w0.date()} to {w1.date()}"

    lac = rates.estimate(eps)
    rates.write(lac, outdir / "lac_hazards.csv", source=src)
    home = rates.estimate_reentry(eps, follow_up_days=follow_up_days)
    rates.write(home, outdir / "home_hazards.csv", source=src)
    per, _ = ep.periods(ep.check(eps))
    ent = entries(per, follow_up_days, count_from)
    er = entry_rates(ent, population, years)
    er.to_csv(outdir / "entry_rates_ci.csv", index=False)
    er[["age_band", "rate_per_10000_per_year", "male_share"]].assign(
        source=src + f" (first entries over {years:.2f} years)").to_csv(outdir / "entry_rates.csv", index=False)
    shares, names = placement_shares(ent, table)
    shares.assign(source=src).to_csv(outdir / "placement_shares.csv", index=False)
    stock = initial_stock(per, w1, code, follow_up_days)
    stock.to_csv(outdir / "initial_stock.csv", index=False)
    area = {"code": code, "name": name or code, "region": region or "local",
            **{f"pop_{b}": population[b] for b in rates.AGE_BANDS},
            "entry_multiplier": 1, "exit_multiplier": 1,
            "source": f"population: {Path(population_csv).name}", "note": ""}
    pd.DataFrame([area]).to_csv(outdir / "areas.csv", index=False)
    ret.problems.to_csv(outdir / "problems.csv", index=False)
    tables = {"entry_rates": "entry_rates.csv", "lac_hazards": "lac_hazards.csv",
              "home_hazards": "home_hazards.csv", "placement_shares": "placement_shares.csv"}
    if costs:
        shutil.copy(costs, outdir / "placement_costs.csv")
        tables["placement_costs"] = "placement_costs.csv"
    follow = f"{int(round(follow_up_days))}d"
    lines = [f"# Built by `python3 -m caresim local` from {ret.summary()}",
             f"name: {re.sub(r'[^A-Za-z0-9_-]+', '_', name or code)}",
             f"description: \"{name or code} projected from its SSDA903 returns ({w0.date()} to "
             f"{w1.date()}), rates held at their estimated level\"",
             f"start_date: {w1.date()}", f"horizon: {horizon}", "observe: 1y",
             f"replicates: {replicates}", f"seed: {seed}", f"follow_up: {follow}",
             "areas: areas.csv", "tables:"]
    lines += [f"  {k}: {v}" for k, v in tables.items()]
    lines += ["initial_stock: initial_stock.csv", ""]
    (outdir / "scenario.yaml").write_text("\n".join(lines))
    return {"returns": ret, "window": (w0, w1), "episodes": len(eps), "periods": len(per),
            "entries": int((~ent["reentry"]).sum()), "entries_from": count_from, "reentries": int(ent["reentry"].sum()),
            "in_care": int(stock.loc[stock["state"] == "lac", "count"].sum()),
            "left_truncated": lac.attrs["left_truncated"], "placements": names,
            "scenario": outdir / "scenario.yaml"}
