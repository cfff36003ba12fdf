"""CIN-census-style tables from a run's episode log: children in need and their protection plans.

The log (scenario key output.episodes: true) holds one row per spell in each state it logs;
the rows in the states before care (`cin`, `cpp`: labels read from the file) of one child that
follow each other without a gap form one CIN episode, opened by a referral (or a re-referral,
or already open at the start date) and ended by the reason of its last row (closed, into care,
at 18). `cin_from_run` writes one row per protection plan, and one row for each CIN episode
without a plan, in the layout below; dates are days since the start date floored to whole days.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from .io import resolve_path

COLUMNS = ["child_id", "date_of_birth", "sex", "referral_date", "referral_reason", "cin_start",
           "cin_end", "cin_end_reason", "plan_number", "plan_start", "plan_end", "plan_end_reason"]
CIN_STATES = ("cin", "cpp")   # states before care, in the order of the CIN census modules


def _labels(ds) -> list[str]:
    return ds.attrs["labels"].split(",")


def cin_from_run(path, scenario: int = 0, replicate: int = 0) -> pd.DataFrame:
    """One task's CIN episodes and plans as a DataFrame with COLUMNS."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r", locking=False) as f:
        g = f[f"episodes/s{scenario}_r{replicate}"]
        if "state" not in g:
            raise ValueError(f"{p}: the episode log has no states before care (run with the pathway's tables)")
        start_date = np.datetime64(f.attrs["start_date"], "D")
        areas = [a.decode() if isinstance(a, bytes) else a for a in f["area"][...]]
        col = {k: g[k][...] for k in g}
        states, started, ended = _labels(g["state"]), _labels(g["reason_started"]), _labels(g["reason_ended"])
    cin, cpp = (states.index(s) for s in CIN_STATES)
    keep = np.isin(col["state"], [cin, cpp])
    df = pd.DataFrame({k: v[keep] for k, v in col.items()}).sort_values(["child", "start"], kind="stable")
    df["why_start"] = [started[i] for i in df["reason_started"]]
    df["why_end"] = [ended[i] if i >= 0 else "" for i in df["reason_ended"]]
    # a new CIN episode starts where the child's previous row did not end at this row's start
    prev_child, prev_end = df["child"].shift(), df["end"].shift()
    df["cin_no"] = ((df["child"] != prev_child) | ~(np.isclose(prev_end, df["start"]))).cumsum()
    first = df.groupby("cin_no", sort=False).first()
    last = df.groupby("cin_no", sort=False).last()
    ep = pd.DataFrame({"child": first["child"], "area": first["area"], "birth": first["birth"],
                       "male": first["male"], "referral": first["start"], "referral_reason": first["why_start"],
                       "cin_start": first["start"], "cin_end": last["end"], "cin_end_reason": last["why_end"]})
    ep["cin_end"] = df.groupby("cin_no", sort=False)["end"].last()   # NaN while open (first/last skip NaN)
    ep["cin_end_reason"] = df.groupby("cin_no", sort=False)["why_end"].last()
    plans = df[df["state"] == cpp]
    plans = pd.DataFrame({"cin_no": plans["cin_no"], "plan_number": plans.groupby("cin_no").cumcount() + 1,
                          "plan_start": plans["start"], "plan_end": plans["end"], "plan_end_reason": plans["why_end"]})
    out = ep.merge(plans, left_index=True, right_on="cin_no", how="left")
    out["plan_number"] = out["plan_number"].fillna(0).astype(int)
    out["plan_end_reason"] = out["plan_end_reason"].fillna("")
    out["child_id"] = [f"{areas[a]}/{int(c) & 0xFFFFFFFF}" for a, c in zip(out["area"], out["child"])]
    out["sex"] = np.where(out["male"] == 1, "1", "2")

    def dates(days):
        d = np.asarray(days, dtype=float)
        whole = np.where(np.isnan(d), 0, np.floor(d)).astype("timedelta64[D]")
        return pd.to_datetime(np.where(np.isnan(d), np.datetime64("NaT"), start_date + whole))

    if out.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.DataFrame({
        "child_id": out["child_id"], "date_of_birth": dates(out["birth"]), "sex": out["sex"],
        "referral_date": dates(out["referral"]), "referral_reason": out["referral_reason"],
        "cin_start": dates(out["cin_start"]), "cin_end": dates(out["cin_end"]), "cin_end_reason": out["cin_end_reason"],
        "plan_number": out["plan_number"], "plan_start": dates(out["plan_start"]), "plan_end": dates(out["plan_end"]),
        "plan_end_reason": out["plan_end_reason"]})
    return table[COLUMNS].reset_index(drop=True)


def export_cin(path, outdir) -> list[Path]:
    """Writes every task's CIN table as outdir/cin_<scenario>_r<replicate>.csv."""
    from .export import tasks
    p, _ = resolve_path(path)
    with h5py.File(p, "r", locking=False) as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["scenario"][...]]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for s, r in tasks(p):
        dest = outdir / f"cin_{names[s]}_r{r}.csv"
        cin_from_run(p, s, r).to_csv(dest, index=False, date_format="%Y-%m-%d")
        out.append(dest)
    return out
