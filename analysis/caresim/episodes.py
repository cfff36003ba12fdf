"""SSDA903-style episode tables: read and check them, group episodes into periods of care, and
write them back as CSV.

An episode table has one row per episode of care, with the columns of `COLUMNS`:
child_id, date_of_birth, sex, episode_start, reason_new_episode (RNE), placement_type,
episode_end (empty while the episode is open) and reason_episode_ceased (REC).
A period of care is a run of episodes of one child joined by REC "X1" (the episode ended and a
new one began the same day, in the same period of care); it starts with RNE "S" (started to be
looked after) and ends with any other REC, which says why the child left care. Reasons are
mapped to the simulator's exits with `EXIT_CODES` (override with `reason_map=`): a REC that is
already one of the simulator's names (home, adopted, ...) maps to itself.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["child_id", "date_of_birth", "sex", "episode_start", "reason_new_episode",
           "placement_type", "episode_end", "reason_episode_ceased"]
DATE_COLUMNS = ["date_of_birth", "episode_start", "episode_end"]
CONTINUES = "X1"          # REC: same period of care goes on in a new episode
STARTS = "S"              # RNE: started to be looked after
EXITS = ("home", "adopted", "sgo_cao", "independent_living", "other")

def _table_groups(field_name: str) -> dict:
    from .ssda903 import groups
    return groups(field_name)


#: SSDA903 reason-episode-ceased codes -> the simulator's exits, by the code table
#: (caresim/data/ssda903_codes.csv, docs/ssda903_codes.md); X1 (continues) is not an exit. An
#: exit at 18 or later is `aged_out` whatever its code (see caresim.rates).
EXIT_CODES = {k: v for k, v in _table_groups("REC").items() if v != "continues"}
#: RNE codes that begin a new placement (a move, whether or not the placement type changes)
MOVE_CODES = tuple(k for k, v in _table_groups("RNE").items() if v == "placement_change")


def read_csv(path, dayfirst: bool = False) -> pd.DataFrame:
    """Read an episode CSV (ISO dates, or dd/mm/yyyy with dayfirst=True) and check it."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return check(df, dayfirst=dayfirst)


def check(df: pd.DataFrame, dayfirst: bool = False) -> pd.DataFrame:
    """A clean copy: required columns present, dates parsed (empty episode_end -> NaT), codes as
    stripped strings, no episode ending before it starts. Raises ValueError naming the problem."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"episodes: missing column(s) {missing}; expected {COLUMNS}")
    out = df.copy()
    for c in DATE_COLUMNS:
        col = out[c]
        if not np.issubdtype(col.dtype, np.datetime64):
            col = col.astype(str).str.strip().replace({"": None, "nan": None, "NaT": None})
            try:
                col = pd.to_datetime(col, dayfirst=dayfirst)
            except (ValueError, TypeError) as e:
                raise ValueError(f"episodes: column {c}: {e}") from None
        out[c] = col.dt.normalize()
    for c in ("child_id", "reason_new_episode", "reason_episode_ceased", "placement_type", "sex"):
        out[c] = out[c].fillna("").astype(str).str.strip()
    for c in ("date_of_birth", "episode_start"):
        if out[c].isna().any():
            raise ValueError(f"episodes: {c} is empty in row {int(np.flatnonzero(out[c].isna())[0])}")
    bad = out["episode_end"].notna() & (out["episode_end"] < out["episode_start"])
    if bad.any():
        raise ValueError(f"episodes: row {int(np.flatnonzero(bad)[0])}: episode_end before episode_start")
    open_with_reason = out["episode_end"].isna() & (out["reason_episode_ceased"] != "")
    if open_with_reason.any():
        raise ValueError(f"episodes: row {int(np.flatnonzero(open_with_reason)[0])}: "
                         "reason_episode_ceased given but episode_end empty")
    return out


def exit_reason(code: str, reason_map: dict | None = None) -> str:
    """The simulator's name for a reason-episode-ceased code ('' if the episode is open,
    'unknown' for a code not in the table: the period is censored there, no exit counted)."""
    if code == "":
        return ""
    if code in EXITS:
        return code
    return (reason_map or EXIT_CODES).get(code, "unknown")


def periods(episodes: pd.DataFrame, reason_map: dict | None = None,
            placement_map: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Periods of care and placement moves from a checked episode table.

    Returns (periods, moves). periods: one row per period of care: child_id, date_of_birth,
    start, end (NaT if open), reason (the simulator's exit, '' if open), started ('S' if the
    first episode says the child started to be looked after; otherwise the period began before
    the data and `start` is only its first episode's start). moves: child_id, period (row of
    periods), date: one row per placement move, an episode of the period after its first whose
    RNE says the placement changed (P, T, U, B: `MOVE_CODES`), also to a placement of the same
    type; with `placement_map`, a change of mapped placement type counts as well where RNE is
    not a known code.
    """
    ep = episodes.sort_values(["child_id", "episode_start", "episode_end"],
                              na_position="last").reset_index(drop=True)
    first = ep["child_id"].ne(ep["child_id"].shift())
    prev_cont = ep["reason_episode_ceased"].shift().eq(CONTINUES)
    new = first | ep["reason_new_episode"].eq(STARTS) | ~prev_cont
    ep["period"] = np.cumsum(new.to_numpy()) - 1
    g = ep.groupby("period", sort=True)
    last = g.tail(1).set_index("period")
    head = g.head(1).set_index("period")
    per = pd.DataFrame({
        "child_id": head["child_id"], "date_of_birth": head["date_of_birth"],
        "start": head["episode_start"], "end": last["episode_end"],
        "reason": [exit_reason(c if c != CONTINUES else "", reason_map)
                   for c in last["reason_episode_ceased"]],
        "started": head["reason_new_episode"].where(head["reason_new_episode"].eq(STARTS), ""),
    })
    for extra in ("observed_from", "observed_to", "la", "uasc", "sex"):
        if extra in ep:
            per[extra] = head[extra]
    per["placement_type"] = head["placement_type"]
    # a period whose last episode says X1 but has no successor: treat as still open
    dangling = last["reason_episode_ceased"].eq(CONTINUES)
    per.loc[dangling, "end"] = pd.NaT
    ptype = ep["placement_type"].map(placement_map).fillna(ep["placement_type"]) \
        if placement_map else ep["placement_type"]
    same_period = ep["period"].eq(ep["period"].shift())
    rne = ep["reason_new_episode"]
    known = rne.isin(list(MOVE_CODES) + [k for k, v in _table_groups("RNE").items()])
    moved = same_period & (rne.isin(MOVE_CODES) | (~known & ptype.ne(ptype.shift())))
    moves = pd.DataFrame({"child_id": ep.loc[moved, "child_id"].to_numpy(),
                          "period": ep.loc[moved, "period"].to_numpy(),
                          "date": ep.loc[moved, "episode_start"].to_numpy()})
    return per.reset_index(drop=True), moves


def write_csv(episodes: pd.DataFrame, path, date_format: str = "%Y-%m-%d") -> Path:
    """Write an episode table as CSV with the columns of `COLUMNS` (open episodes: empty
    episode_end and reason_episode_ceased); dates as ISO (or `date_format`)."""
    out = episodes[COLUMNS].copy()
    for c in DATE_COLUMNS:
        out[c] = pd.to_datetime(out[c]).dt.strftime(date_format).fillna("")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False)
    return path


def split_by_child(episodes: pd.DataFrame, outdir, per_file: int = 100_000) -> list[Path]:
    """Write an episode table as numbered CSVs of at most `per_file` children each (a child's
    episodes stay in one file): OUTDIR/episodes_0000.csv, ... Returns the paths."""
    ids = pd.unique(episodes["child_id"])
    paths = []
    for k, lo in enumerate(range(0, len(ids), per_file)):
        part = episodes[episodes["child_id"].isin(ids[lo:lo + per_file])]
        paths.append(write_csv(part, Path(outdir) / f"episodes_{k:04d}.csv"))
    return paths
