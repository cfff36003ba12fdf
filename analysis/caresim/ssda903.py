"""SSDA903 returns as local authorities hold them: read the DfE's header, episodes and UASC
files (raw column names CHILD, DECOM, RNE, LS, PLACE, DEC, REC, SEX, DOB, DUC), and write a
simulated cohort back in the same layout.

Reading (`read`): a folder (searched recursively) or one file; each CSV is recognised by its
columns (episodes have DECOM, UASC files DUC, header files DOB and SEX; the other 903 tables
are skipped). Dates may be dd/mm/yyyy or ISO, value by value. One folder per year, files named
by year (2017-episodes.csv) or everything stacked with LA and YEAR columns all work: each
(file, YEAR) is one return, whose collection year is taken from its dates (it ends on the first
31 March on or after its latest date), so a return's year label never matters. An episode held
by consecutive returns (open at one year's end) is kept once, from the latest return.

Every row that cannot be used is reported in `problems` (file, line, child, field, reason) and
never silently: an episode whose child has no header row, a date that is not a date, DEC before
DECOM, a birth after the episode starts, a code missing from the code table. Episodes of short
breaks (LS V3/V4) are left out, as in the DfE's counts of children looked after, and reported.

Codes are grouped by `data/ssda903_codes.csv` (every REC, RNE, LS and PLACE code, its group, its
description; docs/ssda903_codes.md shows it). Groups of REC and PLACE are the simulator's exit
reasons and placements; `export` marks the code written for a group.

The result is caresim.episodes' table (child_id "LA/CHILD", ...) plus la, legal_status, uasc,
observed_from and observed_to (the window of the returns of the child's authority: children in
care when it opens are left-truncated there; open episodes are censored where it ends), file
and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

CODES_CSV = Path(__file__).resolve().parent / "data" / "ssda903_codes.csv"
HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
_DMY = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def codes(path=None) -> pd.DataFrame:
    """The code table: field, code, group, export, description, source."""
    return pd.read_csv(path or CODES_CSV, dtype=str, keep_default_na=False)


def groups(field_name: str, table: pd.DataFrame | None = None) -> dict[str, str]:
    """code -> group for one field (REC, RNE, LS or PLACE)."""
    t = codes() if table is None else table
    t = t[t["field"] == field_name]
    return dict(zip(t["code"], t["group"]))


def export_codes(field_name: str, table: pd.DataFrame | None = None) -> dict[str, str]:
    """simulator label -> the code written for it (the table's `export` column lists, for each
    code, the labels of the simulator's output it is written for; LABEL@PLACEMENT applies only
    when the episode's placement is PLACEMENT, e.g. sgo_cao@kinship -> E45)."""
    t = codes() if table is None else table
    out = {}
    for code, labels in zip(t.loc[t["field"] == field_name, "code"],
                            t.loc[t["field"] == field_name, "export"]):
        for lab in labels.split():
            out[lab] = code
    return out


@dataclass
class Returns:
    """What `read` found: usable episodes, the problems met, and each authority's window."""
    episodes: pd.DataFrame
    problems: pd.DataFrame
    windows: pd.DataFrame                  # la, observed_from, observed_to, returns
    files: list = field(default_factory=list)

    def summary(self) -> str:
        n_child = self.episodes["child_id"].nunique() if len(self.episodes) else 0
        w = "; ".join(f"{r.la or 'one authority'}: {r.observed_from.date()} to "
                      f"{r.observed_to.date()} ({r.returns} returns)" for r in self.windows.itertuples())
        return (f"{len(self.episodes)} episodes of {n_child} children from {len(self.files)} files; "
                f"{len(self.problems)} rows reported as problems; windows: {w}")


def _kind(columns) -> str | None:
    cols = set(columns)
    if "DECOM" in cols and "CHILD" in cols:
        return "episodes"
    if "DUC" in cols and "CHILD" in cols:
        return "uasc"
    if {"CHILD", "DOB", "SEX"} <= cols:
        return "header"
    return None


def _load(source) -> tuple[dict[str, pd.DataFrame], list[Path]]:
    p = Path(source)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder")
    files = [p] if p.is_file() else sorted(p.rglob("*.csv"))
    parts: dict[str, list] = {"header": [], "episodes": [], "uasc": []}
    used = []
    for f in files:
        try:
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
            raise ValueError(f"{f}: not a readable CSV file ({str(e).splitlines()[0]})") from None
        df.columns = [str(c).strip().upper() for c in df.columns]
        kind = _kind(df.columns)
        if kind is None:
            continue
        df = df.apply(lambda c: c.str.strip())
        df["_file"] = str(f)
        df["_line"] = np.arange(len(df)) + 2          # line 1 holds the column names
        df["LA"] = df["LA"] if "LA" in df else ""
        df["YEAR"] = df["YEAR"] if "YEAR" in df else ""
        parts[kind].append(df)
        used.append(f)
    if not parts["episodes"]:
        raise ValueError(f"{p}: no SSDA903 episodes file (a CSV with columns CHILD, DECOM, ...)")
    if not parts["header"]:
        raise ValueError(f"{p}: no SSDA903 header file (a CSV with columns CHILD, SEX, DOB)")
    out = {k: pd.concat(v, ignore_index=True) if v else pd.DataFrame(columns=["CHILD", "LA", "_file", "_line"])
           for k, v in parts.items()}
    return out, used


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates written dd/mm/yyyy or ISO (value by value) -> (Timestamps, bad): empty gives NaT
    and is not bad; a value that is no date gives NaT and bad=True."""
    s = values.fillna("").astype(str).str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    dmy = s.str.match(_DMY)
    iso = s.str.match(_ISO)
    out[dmy] = pd.to_datetime(s[dmy], format="%d/%m/%Y", errors="coerce")
    out[iso] = pd.to_datetime(s[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    bad = (s != "") & out.isna()
    return out, bad


class _Problems:
    def __init__(self):
        self.rows = []

    def add(self, df: pd.DataFrame, mask, field_name: str, reason) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        sub = df.loc[mask, ["_file", "_line", "LA", "CHILD"]]
        why = [reason] * len(sub) if isinstance(reason, str) else list(np.asarray(reason)[mask])
        for (f, line, la, child), w in zip(sub.itertuples(index=False, name=None), why):
            self.rows.append({"file": f, "line": int(line), "la": la, "child": child,
                              "field": field_name, "reason": w})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["file", "line", "la", "child", "field", "reason"])


def _windows(ep: pd.DataFrame) -> pd.DataFrame:
    """Each return's collection year (ends 31 March on or after its latest DECOM), then each
    authority's window: from the start of its first return's year to the end of its last."""
    latest = ep["DECOM"]            # a return holds episodes begun up to its year end
    ep["_ret"] = ep["_file"] + "|" + ep["YEAR"]
    last = latest.groupby(ep["_ret"]).max()
    end = pd.to_datetime({"year": last.dt.year + (last.dt.month > 3).astype(int),
                          "month": 3, "day": 31})
    start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    ret = pd.DataFrame({"end": end.values, "start": start.values}, index=last.index)
    ep["_ret_end"] = ep["_ret"].map(ret["end"])
    ep["_ret_start"] = ep["_ret"].map(ret["start"])
    w = ep.groupby("LA").agg(observed_from=("_ret_start", "min"), observed_to=("_ret_end", "max"),
                             returns=("_ret", "nunique")).reset_index().rename(columns={"LA": "la"})
    return w


def read(source, code_table: pd.DataFrame | None = None) -> Returns:
    """Read SSDA903 header, episodes and UASC files under `source` (see the module's text)."""
    table = codes() if code_table is None else code_table
    t, used = _load(source)
    ep, head, uasc = t["episodes"], t["header"], t["uasc"]
    problems = _Problems()
    for c in EPISODE_COLUMNS:
        if c not in ep:
            ep[c] = ""
    ep["DECOM"], bad = parse_dates(ep["DECOM"])
    problems.add(ep, bad | ep["DECOM"].isna(), "DECOM", "DECOM is empty or not a date: episode left out")
    ep = ep[~(bad | ep["DECOM"].isna())].copy()
    ep["DEC"], bad = parse_dates(ep["DEC"])
    problems.add(ep, bad, "DEC", "DEC is not a date: episode left out")
    order = ep["DEC"].notna() & (ep["DEC"] < ep["DECOM"])
    problems.add(ep, order & ~bad, "DEC", "DEC before DECOM (dates out of order): episode left out")
    ep = ep[~(bad | order)].copy()
    windows = _windows(ep)
    # one row per episode: the latest return's (consecutive returns repeat open episodes)
    ep = ep.sort_values("_ret_end", kind="stable")
    ep = ep.drop_duplicates(["LA", "CHILD", "DECOM"], keep="last")

    head["DOB"], bad = parse_dates(head["DOB"])
    problems.add(head, bad | head["DOB"].isna(), "DOB", "DOB is empty or not a date: child left out")
    head = head[~(bad | head["DOB"].isna())].copy()
    head = head.drop_duplicates(["LA", "CHILD"], keep="last")
    merged = ep.merge(head[["LA", "CHILD", "SEX", "DOB"]], on=["LA", "CHILD"], how="left")
    orphan = merged["DOB"].isna()
    problems.add(merged, orphan, "CHILD", "no header row for this child: episode left out")
    merged = merged[~orphan].copy()
    born_late = merged["DOB"] > merged["DECOM"]
    problems.add(merged, born_late, "DOB", "DOB after DECOM: episode left out")
    merged = merged[~born_late].copy()

    short = merged["LS"].map(groups("LS", table)).eq("short_breaks")
    problems.add(merged, short, "LS", "short breaks (LS V3/V4): not looked after in the DfE's "
                 "counts, left out")
    merged = merged[~short].copy()
    for name, allow_empty in (("RNE", False), ("LS", True), ("PLACE", False), ("REC", True)):
        known = groups(name, table)
        val = merged[name]
        unknown = ~val.isin(list(known)) & ~(val.eq("") & (allow_empty or name == "REC"))
        if name == "REC":
            unknown &= merged["DEC"].notna()
        what = {"REC": "the period is censored there (no exit counted)",
                "PLACE": "placement type unknown", "RNE": "read as neither a start nor a move",
                "LS": "kept"}[name]
        problems.add(merged, unknown, name,
                     np.array([f"unknown {name} code {v!r} (not in the code table): {what}"
                               for v in val], dtype=object))
    rec_open = merged["DEC"].isna() & merged["REC"].ne("")
    problems.add(merged, rec_open, "REC", "REC given but DEC empty: read as open")
    merged.loc[rec_open, "REC"] = ""
    no_rec = merged["DEC"].notna() & merged["REC"].eq("")
    problems.add(merged, no_rec, "REC", "DEC given but REC empty: the period is censored there")

    uasc_ids = set(zip(uasc["LA"], uasc["CHILD"])) if len(uasc) else set()
    w = windows.set_index("la")
    out = pd.DataFrame({
        "child_id": np.where(merged["LA"].ne(""), merged["LA"] + "/" + merged["CHILD"], merged["CHILD"]),
        "date_of_birth": merged["DOB"], "sex": merged["SEX"], "episode_start": merged["DECOM"],
        "reason_new_episode": merged["RNE"], "placement_type": merged["PLACE"],
        "episode_end": merged["DEC"], "reason_episode_ceased": merged["REC"],
        "la": merged["LA"], "legal_status": merged["LS"],
        "uasc": [(a, c) in uasc_ids for a, c in zip(merged["LA"], merged["CHILD"])],
        "observed_from": merged["LA"].map(w["observed_from"]),
        "observed_to": merged["LA"].map(w["observed_to"]),
        "file": merged["_file"], "line": merged["_line"],
    })
    out = out.sort_values(["child_id", "episode_start"], kind="stable").reset_index(drop=True)
    return Returns(out, problems.frame(), windows, [str(f) for f in used])


def _dmy(x: pd.Series) -> pd.Series:
    return pd.to_datetime(x).dt.strftime("%d/%m/%Y").fillna("")


def write_returns(episodes: pd.DataFrame, outdir, first_year_start, last_year_end) -> list[Path]:
    """Write an episode table (caresim.episodes.COLUMNS, DfE codes, child_id LA/CHILD) as the
    yearly returns an authority holds: OUTDIR/YEAR/header.csv and episodes.csv for each
    collection year (1 April to 31 March, named by the year it ends) from `first_year_start` to
    `last_year_end`. A return holds the episodes open at some time in its year; an episode that
    ends after the year has no DEC and REC in it (it was open at the year's end), as in a real
    return. Dates dd/mm/yyyy. Fields the simulator does not model are left empty."""
    ep = episodes.copy()
    ep["CHILD"] = ep["child_id"].astype(str).str.split("/").str[-1]
    start = pd.Timestamp(first_year_start)
    end = pd.Timestamp(last_year_end)
    paths = []
    y_end = pd.Timestamp(year=start.year + (start.month > 3), month=3, day=31)
    if y_end - pd.DateOffset(years=1) + pd.Timedelta(days=1) < start:
        y_end += pd.DateOffset(years=1)
    while y_end <= end:
        y_start = y_end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
        inyear = (ep["episode_start"] <= y_end) & (ep["episode_end"].isna() | (ep["episode_end"] >= y_start))
        e = ep[inyear]
        later = e["episode_end"] > y_end
        folder = Path(outdir) / str(y_end.year)
        folder.mkdir(parents=True, exist_ok=True)
        rows = pd.DataFrame({c: "" for c in EPISODE_COLUMNS}, index=e.index)
        rows["CHILD"] = e["CHILD"]
        rows["DECOM"] = _dmy(e["episode_start"])
        rows["RNE"] = e["reason_new_episode"]
        rows["PLACE"] = e["placement_type"]
        rows["DEC"] = np.where(later, "", _dmy(e["episode_end"]))
        rows["REC"] = np.where(later, "", e["reason_episode_ceased"])
        rows[EPISODE_COLUMNS].to_csv(folder / "episodes.csv", index=False)
        kids = e.drop_duplicates("CHILD")
        head = pd.DataFrame({c: "" for c in HEADER_COLUMNS}, index=kids.index)
        head["CHILD"], head["SEX"], head["DOB"] = kids["CHILD"], kids["sex"], _dmy(kids["date_of_birth"])
        head[HEADER_COLUMNS].to_csv(folder / "header.csv", index=False)
        paths += [folder / "header.csv", folder / "episodes.csv"]
        y_end += pd.DateOffset(years=1)
    if not paths:
        raise ValueError(f"no whole collection year (1 April to 31 March) between {start.date()} "
                         f"and {end.date()}: nothing to write")
    return paths


def code_table_markdown(table: pd.DataFrame | None = None) -> str:
    """docs/ssda903_codes.md: the code table as Markdown (a test keeps the two in step)."""
    t = codes() if table is None else table
    out = ["# SSDA903 codes and their groups", "",
           "Every REC, RNE, LS and PLACE code caresim knows, the group it is read as, and the",
           "simulator labels it is written for when a run is exported (`export`). Generated from",
           "`analysis/caresim/data/ssda903_codes.csv` by `caresim.ssda903.code_table_markdown()`;",
           "edit the CSV, not this page. A code not listed is reported by `caresim.ssda903.read`",
           "with its file and line (an exit with an unknown REC is censored, not counted). REC",
           "exits at 18 or later count as ageing out whatever their code. LS V3/V4 (short breaks)",
           "are left out, as in the DfE's counts of children looked after.", ""]
    for field_name in ("RNE", "LS", "PLACE", "REC"):
        out += [f"## {field_name}", "", "| code | group | export | description |", "|---|---|---|---|"]
        for r in t[t["field"] == field_name].itertuples():
            out.append(f"| {r.code} | {r.group} | {r.export} | {r.description} |")
        out.append("")
    out.append("Source of every row: the DfE's SSDA903 children looked after return guide "
               "(current and earlier years' code lists, as the `source` column says).")
    return "\n".join(out) + "\n"
