"""SSDA903-style episode tables from a run's episode log (scenario key output.episodes: true).

The simulator writes one table per task under episodes/s<S>_r<R>/ with days since the run's
start date and integer codes (names in each column's `labels` attribute). `episodes_from_run`
turns one task's table into the DfE SSDA903 episodes layout (caresim.episodes.COLUMNS), with
dates and codes:

- reason_new_episode: S (started to be looked after: an entry, a re-entry, or a child already
  in care at the start date) or P (change of placement);
- placement_type: U6 foster (other foster carer), U3 kinship (relative or friend), K2
  children's home, P1 placed with parents, P2 independent living;
- reason_episode_ceased: X1 (a new episode follows: placement move), E4A returned home, E11
  adopted, E43 special guardianship / child arrangements, E7 independent living, E8 any other
  reason (and ageing out at 18); empty while open;
- sex: 1 male, 2 female; child_id: AREA-CODE/serial.

Dates are days since the start date, floored to whole days, as SSDA903 records them.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from .episodes import COLUMNS
from .io import resolve_path

RNE = {"entry": "S", "reentry": "S", "initial_stock": "S", "placement_move": "P"}
REC = {"placement_move": "X1", "home": "E4A", "adopted": "E11", "sgo_cao": "E43",
       "independent_living": "E7", "other": "E8", "aged_out": "E8"}
PLACEMENT = {"foster": "U6", "kinship": "U3", "residential": "K2", "placed_with_parents": "P1",
             "independent": "P2"}


def _labels(ds) -> list[str]:
    return ds.attrs["labels"].split(",")


def _decode(codes: np.ndarray, labels: list[str], table: dict, open_value: str = "") -> np.ndarray:
    names = np.array([table.get(x, "") for x in labels] + [open_value], dtype=object)   # codes never used: ""
    idx = np.where(codes < 0, len(labels), codes)
    return names[idx]


def tasks(path) -> list[tuple[int, int]]:
    """(scenario index, replicate) of every task that has an episode table."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r", locking=False) as f:
        if "episodes" not in f:
            raise ValueError(f"{p}: no episode log (run the scenario with output: {{episodes: true}})")
        out = []
        for name in f["episodes"]:
            s, r = name[1:].split("_r")
            out.append((int(s), int(r)))
    return sorted(out)


def episodes_from_run(path, scenario: int = 0, replicate: int = 0) -> pd.DataFrame:
    """One task's episode log as an SSDA903-style DataFrame (caresim.episodes.COLUMNS)."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r", locking=False) as f:
        name = f"episodes/s{scenario}_r{replicate}"
        if name not in f:
            raise ValueError(f"{p}: no {name} (run the scenario with output: {{episodes: true}})")
        g = f[name]
        start_date = np.datetime64(f.attrs["start_date"], "D")
        areas = np.array([a.decode() if isinstance(a, bytes) else a for a in f["area"][...]], dtype=object)
        col = {k: g[k][...] for k in g}
        if "state" in col:   # the log also holds CIN and plan episodes (cin_export.py): care only here
            keep = col["state"] == _labels(g["state"]).index("lac")
            col = {k: v[keep] for k, v in col.items()}
        rne = _decode(col["reason_started"], _labels(g["reason_started"]), RNE)
        rec = _decode(col["reason_ended"], _labels(g["reason_ended"]), REC)
        ptype = _decode(col["placement"], _labels(g["placement"]), PLACEMENT)

    def dates(days):
        whole = np.floor(days)
        out = start_date + np.where(np.isnan(whole), 0, whole).astype("timedelta64[D]")
        return pd.to_datetime(np.where(np.isnan(whole), np.datetime64("NaT"), out))

    serial = col["child"] & 0xFFFFFFFF
    df = pd.DataFrame({
        "child_id": [f"{areas[a]}/{s}" for a, s in zip(col["area"], serial)],
        "date_of_birth": dates(col["birth"]),
        "sex": np.where(col["male"] == 1, "1", "2"),
        "episode_start": dates(col["start"]),
        "reason_new_episode": rne,
        "placement_type": ptype,
        "episode_end": dates(col["end"]),
        "reason_episode_ceased": rec,
    })
    return df[COLUMNS].sort_values(["child_id", "episode_start"], kind="stable").reset_index(drop=True)


def export_episodes(path, outdir, scenario_names: bool = True) -> list[Path]:
    """Writes every task's episodes as outdir/episodes_<scenario>_r<replicate>.csv."""
    from .episodes import write_csv
    p, _ = resolve_path(path)
    with h5py.File(p, "r", locking=False) as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["scenario"][...]]
    out = []
    for s, r in tasks(p):
        label = names[s] if scenario_names else f"s{s}"
        out.append(write_csv(episodes_from_run(p, s, r), Path(outdir) / f"episodes_{label}_r{r}.csv"))
    return out
