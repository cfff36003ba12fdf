"""A run's episode log (scenario key output.episodes: true) as SSDA903 data with DfE codes.

The simulator writes one table per task under episodes/s<S>_r<R>/ with days since the run's
start date and integer codes whose names (the simulator's labels) are in each column's `labels`
attribute. `episodes_from_run` turns one task's table into caresim.episodes' layout with DfE
codes, each label translated by the code table (caresim/data/ssda903_codes.csv, column
`export`; docs/ssda903_codes.md): RNE S (an entry, a re-entry, or a child in care at the start
date) or P (a placement move); PLACE U6, U3, K2, P1, P2; REC X1 (a move follows), E4A, E11,
E45 (special guardianship from a kinship placement) or E46, E5, E8, and E17 at 18. Sex 1 male,
2 female; child_id AREA/serial. Dates are days since the start date, floored to whole days,
as SSDA903 records them.

`export_episodes` writes them as the yearly returns an authority holds (caresim.ssda903.
write_returns): OUT/<scenario>_r<R>/<AREA>/<YEAR>/header.csv and episodes.csv, one folder per
collection year within the run, which `caresim.ssda903.read` (and tools that read real
returns) read back.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from . import ssda903
from .episodes import COLUMNS
from .io import resolve_path


def _labels(ds) -> list[str]:
    return ds.attrs["labels"].split(",")


def _decode(codes: np.ndarray, labels: list[str], table: dict, open_value: str = "") -> np.ndarray:
    names = np.array([table.get(x, "") for x in labels] + [open_value], dtype=object)   # codes never used: ""
    idx = np.where(codes < 0, len(labels), codes)
    return names[idx]


def tasks(path) -> list[tuple[int, int]]:
    """(scenario index, replicate) of every task that has an episode table."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r") as f:
        if "episodes" not in f:
            raise ValueError(f"{p}: no episode log (run the scenario with output: {{episodes: true}})")
        out = []
        for name in f["episodes"]:
            s, r = name[1:].split("_r")
            out.append((int(s), int(r)))
    return sorted(out)


def episodes_from_run(path, scenario: int = 0, replicate: int = 0) -> pd.DataFrame:
    """One task's episode log as an SSDA903 DataFrame (caresim.episodes.COLUMNS, DfE codes)."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r") as f:
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
        rne = _decode(col["reason_started"], _labels(g["reason_started"]), ssda903.export_codes("RNE"))
        place_labels = _labels(g["placement"])
        ptype = _decode(col["placement"], place_labels, ssda903.export_codes("PLACE"))
        rec_codes = ssda903.export_codes("REC")
        rec = _decode(col["reason_ended"], _labels(g["reason_ended"]), rec_codes)
        # a code written only for some placements (sgo_cao@kinship -> E45)
        ended = _labels(g["reason_ended"])
        for key, code in rec_codes.items():
            if "@" in key:
                label, placement = key.split("@")
                if label in ended and placement in place_labels:
                    hit = (col["reason_ended"] == ended.index(label)) & \
                          (col["placement"] == place_labels.index(placement))
                    rec = np.where(hit, code, rec)

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


def run_dates(path) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The run's start date and the date of its last observation."""
    p, _ = resolve_path(path)
    with h5py.File(p, "r") as f:
        start = pd.Timestamp(f.attrs["start_date"] if isinstance(f.attrs["start_date"], str)
                             else f.attrs["start_date"].decode())
        last = float(f["time"][-1])
    return start, start + pd.Timedelta(days=int(np.floor(last)))


def export_episodes(path, outdir, scenario_names: bool = True, force: bool = False) -> list[Path]:
    """Every task's episodes as yearly SSDA903 returns per area:
    OUTDIR/<scenario>_r<R>/<AREA>/<YEAR>/{header,episodes}.csv. Returns the task folders."""
    p, _ = resolve_path(path)
    outdir = Path(outdir)
    if outdir.exists() and any(outdir.iterdir()):
        if not force:
            raise ValueError(f"{outdir}: exists and is not empty; use --force to replace it")
        shutil.rmtree(outdir)
    with h5py.File(p, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["scenario"][...]]
    start, end = run_dates(p)
    out = []
    for s, r in tasks(p):
        label = names[s] if scenario_names else f"s{s}"
        eps = episodes_from_run(p, s, r)
        task = outdir / f"{label}_r{r}"
        area = eps["child_id"].str.split("/").str[0]
        for code in sorted(area.unique()):
            ssda903.write_returns(eps[area == code], task / code, start, end)
        out.append(task)
    return out
