"""Published national series the calibration fits (read from the shared data folder).

Everything is read from the CSV files documented in the data folder's README; nothing is typed
in here. Years are years ending 31 March. `Targets` holds, per series, a mapping year -> value
(and for broken-down series, year -> {label: value}) together with the file it came from.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

# DfE age bands in the published tables, in the order of the model's age bands.
DFE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16+")
# Reason groups as compared with the model: the data's `aged_18` group (transfers to adult
# services and, from 2021, staying put) is folded into `other`, which the model's ageing-out
# flow feeds; SGO and child arrangements orders are one model transition.
REASONS = ("returned_home", "adopted", "sgo_cao", "independent_living", "other")
_REASON_OF = {"returned_home": "returned_home", "adopted": "adopted",
              "special_guardianship_order": "sgo_cao", "child_arrangements_order": "sgo_cao",
              "independent_living": "independent_living", "other": "other", "aged_18": "other"}


@dataclass
class Targets:
    stock: dict = field(default_factory=dict)          # year -> CLA at 31 March (first published)
    starts: dict = field(default_factory=dict)         # year -> started during year
    ceased: dict = field(default_factory=dict)         # year -> ceased during year
    stock_age: dict = field(default_factory=dict)      # year -> [5 bands]
    starts_age: dict = field(default_factory=dict)     # year -> [5 bands]
    ceased_reason: dict = field(default_factory=dict)  # year -> [5 reason groups]
    ts_stock: dict = field(default_factory=dict)       # 1994-2017 long series (2024 release)
    ts_starts: dict = field(default_factory=dict)
    ts_ceased: dict = field(default_factory=dict)
    uasc_stock: dict = field(default_factory=dict)     # UASC at 31 March, 2004-2017
    mean_duration_days: dict = field(default_factory=dict)   # leavers' mean time in care
    placements_2017: dict = field(default_factory=dict)      # placement group -> count
    sources: dict = field(default_factory=dict)


def _rows(path: Path):
    with open(path, newline="") as f:
        yield from csv.DictReader(f)


def load(data: Path, last_year: int = 2017) -> Targets:
    """Reads the published series up to `last_year` (inclusive)."""
    data = Path(data)
    t = Targets()
    for r in _rows(data / "cla_national.csv"):
        y = int(r["year"])
        if y <= last_year:
            t.stock[y] = float(r["cla_at_31_march"])
            t.starts[y] = float(r["started_during_year"])
            t.ceased[y] = float(r["ceased_during_year"])
    t.sources["national"] = "cla_national.csv (DfE SFRs, first published)"
    for r in _rows(data / "cla_timeseries_1994_2017.csv"):
        y = int(r["year"])
        if y > last_year:
            continue
        t.ts_stock[y] = float(r["cla_at_31_march"])
        t.ts_starts[y] = float(r["started_during_year"])
        t.ts_ceased[y] = float(r["ceased_during_year"])
        if r["uasc_at_31_march"]:
            t.uasc_stock[y] = float(r["uasc_at_31_march"])
    t.sources["timeseries"] = "cla_timeseries_1994_2017.csv (DfE cla_time_series_1994_2024)"
    ages: dict = {}
    for r in _rows(data / "cla_by_age.csv"):
        y = int(r["year"])
        if (y > last_year or r["release_year"] != r["year"] or r["age_band"] not in DFE_BANDS
                or r["measure"] not in ("cla_at_31_march", "started_during_year") or not r["count"]):
            continue
        ages.setdefault((r["measure"], y), {})[r["age_band"]] = float(r["count"])
    for (m, y), d in ages.items():
        if len(d) == len(DFE_BANDS):
            target = t.stock_age if m == "cla_at_31_march" else t.starts_age
            target[y] = [d[b] for b in DFE_BANDS]
    t.sources["age"] = "cla_by_age.csv (SFR underlying data, first published)"
    t.ceased_reason = _ceased_by_reason(data, last_year)
    t.sources["reason"] = "ceased_by_reason.csv (SFR underlying data, first published)"
    for r in _rows(data / "duration.csv"):
        if (r["population"] == "children ceasing to be looked after" and r["statistic"] == "mean"
                and r["unit"] == "days" and int(r["year"]) <= last_year):
            t.mean_duration_days[int(r["year"])] = float(r["value"])
    for r in _rows(data / "placements.csv"):
        if r["year"] == str(last_year) and r["release_year"] == str(last_year) and r["count_at_31_march"]:
            t.placements_2017[r["placement_group"]] = float(r["count_at_31_march"])
    return t


def _ceased_by_reason(data: Path, last_year: int) -> dict:
    """Ceased by reason group, from the detailed DfE reasons of each year's own release (the
    headline 'Adopted' rows, which repeat their two parts, are skipped)."""
    parts: dict = {}
    for r in _rows(data / "ceased_by_reason.csv"):
        y = int(r["year"])
        if y > last_year or r["release_year"] != r["year"] or r["reason_group"] not in _REASON_OF:
            continue
        if r["reason_dfe"].strip() == "Adopted" or not r["count"]:
            continue
        g = _REASON_OF[r["reason_group"]]
        parts.setdefault(y, dict.fromkeys(REASONS, 0.0))[g] += float(r["count"])
    return {y: [d[g] for g in REASONS] for y, d in sorted(parts.items())}
