"""Occurrence/exposure estimates of exit hazards from SSDA903-style episodes, written as the
hazard table the simulator reads (models/data/lac_hazards.csv format).

Each period of care (see caresim.episodes) is followed from its start to its end, the extract
date, the end of the observation window or the 18th birthday, whichever comes first; its time
is split over the cells age band x time-in-care band (a Lexis diagram) and each exit is counted
in the cell where it happened. The hazard of reason k in a cell is events_k / exposure, per
year, with an exact Poisson (Garwood) interval: lower = chi2(a/2; 2D) / 2E, upper =
chi2(1 - a/2; 2D + 2) / 2E. Placement moves (a change of placement type within a period) are
counted the same way. Ages and years follow the simulator: a year is 365.25 days; a child
leaves care at 18 (aged_out, scheduled, so not a hazard: exposure stops a few hours early, at
6574 days, so that exits on the 18th birthday count as ageing out whatever the leap years).

Re-entry after a return home (home_hazards.csv) is estimated the same way from the time between
a period that ended with `home` and the child's next period of care, up to the follow-up window.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2

from . import episodes as ep

DAYS_PER_YEAR = 365.25
AGE_BANDS = ("under_1", "1_4", "5_9", "10_15", "16_17")
AGE_FROM_YEARS = (0, 1, 5, 10, 16)
AGE_OUT_DAYS = 6574.0                                # floor(18 x 365.25)
TIC_FROM_DAYS = (0, 91, 182, 365, 730, 1826)         # 0-3m, 3-6m, 6-12m, 1-2y, 2-5y, 5y+
REASONS = ("home", "adopted", "sgo_cao", "independent_living", "other", "placement_move")
HOME_FROM_DAYS = (0, 91, 182, 365)
#: the column the simulator's hazard reader expects for the start of a time-in-state band
BAND_COLUMN = "from_days"


def garwood(events, exposure, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson confidence interval for a rate events / exposure (NaN where exposure 0)."""
    d = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    a = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(d > 0, chi2.ppf(a / 2, 2 * d) / 2, 0.0) / e
        hi = chi2.ppf(1 - a / 2, 2 * d + 2) / 2 / e
    bad = ~(e > 0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def _edges(froms, last) -> np.ndarray:
    return np.append(np.asarray(froms, dtype=float), last)


def split_exposure(start, stop, birth, origin, tic_from=TIC_FROM_DAYS) -> np.ndarray:
    """Days each spell spends in each (age band, time band) cell.

    All arguments are day numbers (floats, one per spell): the spell is [start, stop); age is
    counted from `birth`, time in the state from `origin` (<= start; earlier when the spell was
    left-truncated by a window). Returns an array (spells, age bands, time bands)."""
    start, stop, birth, origin = (np.asarray(x, dtype=float) for x in (start, stop, birth, origin))
    age = _edges(np.array(AGE_FROM_YEARS) * DAYS_PER_YEAR, AGE_OUT_DAYS)
    tic = _edges(tic_from, np.inf)
    out = np.zeros((start.size, len(age) - 1, len(tic) - 1))
    for a in range(len(age) - 1):
        lo_a, hi_a = birth + age[a], birth + age[a + 1]
        for j in range(len(tic) - 1):
            lo = np.maximum.reduce([start, lo_a, origin + tic[j]])
            hi = np.minimum.reduce([stop, hi_a, origin + tic[j + 1]])
            out[:, a, j] = np.clip(hi - lo, 0, None)
    return out


def cell_of(t, birth, origin, tic_from=TIC_FROM_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """(age band, time band) indices of events at day `t`: the cell of the instant just before
    t, so an event closes the last piece of exposure; -1 for an age at or past AGE_OUT_DAYS."""
    t, birth, origin = (np.asarray(x, dtype=float) for x in (t, birth, origin))
    age_edges = np.array(AGE_FROM_YEARS) * DAYS_PER_YEAR
    age = t - birth
    a = np.searchsorted(age_edges, age, side="left") - 1
    a = np.where(age <= 0, 0, a)
    a = np.where(age > AGE_OUT_DAYS, -1, a)
    tic = t - origin
    j = np.searchsorted(np.asarray(tic_from, dtype=float), tic, side="left") - 1
    j = np.where(tic <= 0, 0, j)
    return a, j


def _days(x) -> np.ndarray:
    """Dates as float day numbers (days since 1970-01-01), NaT as NaN."""
    s = pd.to_datetime(pd.Series(x).reset_index(drop=True))
    d = s.to_numpy("datetime64[D]").astype("int64").astype("float64")
    d[s.isna().to_numpy()] = np.nan
    return d


def window_start(episodes: pd.DataFrame):
    """When the data's window opened, inferred from the data themselves: the earliest end of a
    period of care. Returns hold only children in care at some time in their collection years,
    so no period in the data ended before the window opened; starting the risk set there (or
    later) is a valid left truncation. Children already in care then enter the risk set at that
    date, with their time in care counted from their real start (delayed entry)."""
    per, _ = ep.periods(ep.check(episodes))
    ends = per["end"].dropna()
    return ends.min() if len(ends) else per["start"].max()


def _follow(per: pd.DataFrame, extract_date, window, default_from=None) -> dict[str, np.ndarray]:
    """Day numbers of each period: birth, origin (period start), exposure [start, stop), and
    whether its exit falls inside the exposure (an event). The window opens at window[0], else
    the period's own `observed_from` (its authority's returns), else `default_from`; it closes
    at the earliest of extract_date, window[1] and `observed_to`."""
    n = len(per)
    birth = _days(per["date_of_birth"])
    origin = _days(per["start"])
    end = _days(per["end"])
    if window is not None and window[0] is not None:
        w0 = np.full(n, _days([window[0]])[0])
    elif "observed_from" in per:
        w0 = _days(per["observed_from"])
    elif default_from is not None:
        w0 = np.full(n, _days([default_from])[0])
    else:
        w0 = np.full(n, -np.inf)
    w1 = np.full(n, _days([extract_date])[0])
    if window is not None and window[1] is not None:
        w1 = np.fmin(w1, _days([window[1]])[0])
    if "observed_to" in per:
        w1 = np.fmin(w1, _days(per["observed_to"]))
    stop = np.fmin(np.where(np.isnan(end), np.inf, end), np.fmin(w1, birth + AGE_OUT_DAYS))
    start = np.maximum(origin, w0)
    stop = np.maximum(stop, start)
    # an exit on the day a left-truncated period enters the risk set is not counted: the
    # window's first day has no exposure before it
    after = (end > start) | ((end == start) & (start == origin))
    event = ~np.isnan(end) & after & (end <= stop) & (end < birth + AGE_OUT_DAYS)
    return {"birth": birth, "origin": origin, "start": start, "stop": stop,
            "end": end, "event": event}


def _table(exposure_days, counts: dict, tic_from, level) -> pd.DataFrame:
    """Long table: one row per age band x time band x reason."""
    rows = []
    years = exposure_days / DAYS_PER_YEAR
    edges = list(tic_from) + [np.inf]
    for k, d in counts.items():
        lo, hi = garwood(d, years, level)
        for a, band in enumerate(AGE_BANDS):
            for j in range(len(tic_from)):
                e = years[a, j]
                rows.append({"age_band": band, BAND_COLUMN: int(tic_from[j]),
                             "to_days": edges[j + 1], "reason": k, "events": int(d[a, j]),
                             "exposure_years": e,
                             "rate_per_year": d[a, j] / e if e > 0 else np.nan,
                             f"lower{int(round(level * 100))}": lo[a, j],
                             f"upper{int(round(level * 100))}": hi[a, j]})
    return pd.DataFrame(rows)


def estimate(episodes: pd.DataFrame, extract_date=None, window=None, tic_from=TIC_FROM_DAYS,
             level: float = 0.95, reason_map: dict | None = None,
             placement_map: dict | None = None) -> pd.DataFrame:
    """Occurrence/exposure hazards out of care by age band x time-in-care band, per reason.

    episodes: an SSDA903-style table (caresim.episodes.COLUMNS). extract_date: when the data
    were taken (open episodes are censored there); default the latest date in the table.
    window: optional (from, to) dates; only time and events inside it count (time in care is
    still measured from the real start of the period). Without a window's start, each period
    enters the risk set when its data's window opened: the `observed_from` column (written by
    caresim.ssda903.read from the returns' years) or else `window_start(episodes)`, so
    children already in care then are left-truncated, never counted from their real start
    (which would add time in which they could not have left and bias hazards down).
    Returns a long DataFrame: age_band, from_days, to_days, reason, events, exposure_years,
    rate_per_year, lower95, upper95; attrs: periods, left_truncated (periods begun before
    their window opened), window_from, extract_date.
    """
    eps = ep.check(episodes)
    if extract_date is None:
        extract_date = (eps["observed_to"].max() if "observed_to" in eps else
                        max(eps["episode_start"].max(), eps["episode_end"].max()))
    per, moves = ep.periods(eps, reason_map, placement_map)
    ends = per["end"].dropna()
    default_from = ends.min() if len(ends) else per["start"].max()     # as window_start
    f = _follow(per, extract_date, window, default_from)
    expo = split_exposure(f["start"], f["stop"], f["birth"], f["origin"], tic_from).sum(axis=0)
    shape = expo.shape
    counts = {k: np.zeros(shape) for k in REASONS}
    a, j = cell_of(f["end"], f["birth"], f["origin"], tic_from)
    reasons = per["reason"].to_numpy()
    for i in np.flatnonzero(f["event"] & (a >= 0)):
        if reasons[i] in counts:
            counts[reasons[i]][a[i], j[i]] += 1
    if len(moves):
        p = moves["period"].to_numpy()
        t = _days(moves["date"])
        inside = (t > f["start"][p]) & (t <= f["stop"][p]) & (t < f["birth"][p] + AGE_OUT_DAYS)
        ma, mj = cell_of(t, f["birth"][p], f["origin"][p], tic_from)
        for ai, ji in zip(ma[inside & (ma >= 0)], mj[inside & (ma >= 0)]):
            counts["placement_move"][ai, ji] += 1
    out = _table(expo, counts, tic_from, level)
    w0 = (pd.Timestamp(window[0]) if window is not None and window[0] is not None else
          per["observed_from"].min() if "observed_from" in per else default_from)
    out.attrs.update(periods=len(per), left_truncated=int((f["origin"] < f["start"]).sum()),
                     window_from=str(pd.Timestamp(w0).date()),
                     extract_date=str(pd.Timestamp(extract_date).date()))
    return out


def estimate_reentry(episodes: pd.DataFrame, follow_up_days: float = 730.5, extract_date=None,
                     window=None, tic_from=HOME_FROM_DAYS, level: float = 0.95,
                     reason_map: dict | None = None) -> pd.DataFrame:
    """Re-entry hazards after a return home, by age band x time-since-return band: each period
    that ended with `home` is followed until the child's next period of care (an event), the
    end of the follow-up window, the extract date, the window's end or age 18."""
    eps = ep.check(episodes)
    if extract_date is None:
        extract_date = max(eps["episode_start"].max(), eps["episode_end"].max())
    per, _ = ep.periods(eps, reason_map)
    nxt = per.groupby("child_id")["start"].shift(-1)
    home = per[per["reason"].eq("home")].assign(next_start=nxt[per["reason"].eq("home")])
    spell = pd.DataFrame({"date_of_birth": home["date_of_birth"], "start": home["end"],
                          "end": home["next_start"]})
    f = _follow(spell, extract_date, window, window_start(eps))
    f["stop"] = np.minimum(f["stop"], f["origin"] + follow_up_days)
    f["event"] &= f["end"] <= f["stop"]
    expo = split_exposure(f["start"], f["stop"], f["birth"], f["origin"], tic_from).sum(axis=0)
    counts = {"reentry": np.zeros(expo.shape)}
    a, j = cell_of(f["end"], f["birth"], f["origin"], tic_from)
    for i in np.flatnonzero(f["event"] & (a >= 0)):
        counts["reentry"][a[i], j[i]] += 1
    return _table(expo, counts, tic_from, level)


def hazard_table(est: pd.DataFrame, reasons=REASONS, source: str = "", note: str = "",
                 digits: int = 6) -> pd.DataFrame:
    """The simulator's wide table (lac_hazards.csv or, with reasons=("reentry",),
    home_hazards.csv): one row per age band x band start, a REASON_per_year column each, and
    source / note. A cell with no exposure gets rate 0 and says so in its note."""
    wide = est.pivot_table(index=["age_band", BAND_COLUMN], columns="reason",
                           values="rate_per_year", dropna=False, sort=False)
    expo = est.groupby(["age_band", BAND_COLUMN], sort=False)["exposure_years"].first()
    order = pd.MultiIndex.from_product([AGE_BANDS, sorted(est[BAND_COLUMN].unique())],
                                       names=["age_band", BAND_COLUMN])
    wide = wide.reindex(order)
    out = pd.DataFrame(index=order)
    for k in reasons:
        out[f"{k}_per_year"] = wide[k].fillna(0.0).round(digits) if k in wide else 0.0
    if "reentry" in reasons:
        out["closed_per_year"] = 0.0
    empty = ~(expo.reindex(order).fillna(0) > 0)
    out["source"] = source or "caresim.rates occurrence/exposure from SSDA903-style episodes"
    base = note or ""
    out["note"] = [("; ".join(x for x in (base, "no exposure in this cell: rate set to 0") if x))
                   if e else base for e in empty.to_numpy()]
    return out.reset_index()


def write(est: pd.DataFrame, hazard_csv, ci_csv=None, **kw) -> list[Path]:
    """Write the simulator's hazard table to `hazard_csv` and the full estimates (events,
    exposure, rate, interval) to `ci_csv` (default: HAZARD_ci.csv beside it)."""
    hazard_csv = Path(hazard_csv)
    ci_csv = Path(ci_csv) if ci_csv else hazard_csv.with_name(hazard_csv.stem + "_ci.csv")
    for p in (hazard_csv, ci_csv):
        p.parent.mkdir(parents=True, exist_ok=True)
    reasons = [r for r in REASONS if r in set(est["reason"])] or list(dict.fromkeys(est["reason"]))
    if set(est["reason"]) == {"reentry"}:
        reasons = ["reentry"]
    hazard_table(est, reasons=reasons, **kw).to_csv(hazard_csv, index=False)
    est.to_csv(ci_csv, index=False)
    return [hazard_csv, ci_csv]
