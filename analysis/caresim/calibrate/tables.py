"""Writes the fitted baseline tables into models/data/ (formats: docs/scenarios.md).

Every row's `source` names the fit (`python3 -m caresim calibrate`, fit years, data files).
Numbers are written with fixed precision so that a re-run on the same data reproduces the
files byte for byte.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from . import areas, costs, forward, params, uasc

AGES = ("under_1", "1_4", "5_9", "10_15", "16_17")
AGE_YEARS = ((0, 1), (1, 5), (5, 10), (10, 16), (16, 18))
TB_DAYS = (0, 91, 182, 365, 730, 1826)   # the simulator's time-in-care bands
HOME_TB_DAYS = (0,)
TRANSITIONS = ("home", "adopted", "sgo_cao", "independent_living", "other")


def _write(path: Path, header: list, rows: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def fit_source(last_fit: int) -> str:
    return (f"fit: python3 -m caresim calibrate (weighted least squares on 2010-{last_fit} "
            "national series: cla_national.csv, cla_by_age.csv, ceased_by_reason.csv, "
            "cla_timeseries_1994_2017.csv, duration.csv)")


def largest_remainder(total: int, shares) -> list:
    shares = np.asarray(shares, float)
    if total <= 0 or shares.sum() <= 0:
        return [0] * len(shares)
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - int(out.sum())]:
        out[i] += 1
    return [int(x) for x in out]


def entry_rates(out: Path, fit, s, las: list) -> Path:
    """First entries per 10,000 children by age band in 2017 (the fitted, held level), without
    unaccompanied asylum-seeking children: their own stream is uasc.csv."""
    pop = sum(float(r["population_0_17"]) for r in las)
    rates = params.year_rates(fit.theta, [fit.last_fit], fit.last_fit, np.zeros(5), {})
    first = forward.AGE_ONEHOT @ rates[0].entries
    rows = []
    for b, (a, (lo, hi)) in enumerate(zip(AGES, AGE_YEARS)):
        band_pop = pop * (hi - lo) / 18.0
        rate = first[b] / band_pop * 1e4
        rows.append([a, f"{rate:.3f}", "0.56", fit_source(fit.last_fit) +
                     "; population local_authorities.csv; male share 56% of CLA (SFR 50/2017 text)",
                     f"{fit.last_fit} fitted first entries {first[b]:.0f}, UASC not included (uasc.csv; "
                     "re-entries come from home_hazards)"])
    return _write(out / "entry_rates.csv", ["age_band", "rate_per_10000_per_year", "male_share",
                                           "source", "note"], rows)


def entry_trend(out: Path, fit) -> Path:
    return _write(out / "entry_trend.csv", ["from_date", "multiplier", "source", "note"],
                  [[f"{fit.last_fit}-03-31", "1.0", fit_source(fit.last_fit),
                    "flat: the calendar trends of the projection rule, by age band and exit reason, "
                    "are in rate_trend.csv"]])


TREND_LAST_YEAR = 2040   # rate_trend.csv covers years ending 31 March up to this one


def rate_trend(out: Path, fit, drawn: list) -> Path:
    """tables.rate_trend: for each year ending 31 March after the last fitted one, a rule's
    multipliers on the fitted last-year rates: first entries by age band (without UASC, whose
    continuation is in uasc.csv) and exit hazards by reason (log-linear, so one factor per
    reason). Row `from_date` D holds for the year starting on D. One block of rows per rule the
    replicates draw (`drawn`: [(rule, s)], the chosen rule first as rule 0; `s`: the model
    series run to TREND_LAST_YEAR with the rule); parameter_draws.csv's `rule` column picks
    the block (and uasc.csv's block of the same rule)."""
    rows = []
    for k, (rule, _) in enumerate(drawn):
        rows += [[k] + r for r in _trend_rows(fit, rule)]
    return _write(out / "rate_trend.csv", ["rule", "from_date"] + [f"entry_{a}" for a in AGES] +
                  [f"exit_{r}" for r in TRANSITIONS] + ["source", "note"], rows)


def _trend_rows(fit, rule) -> list:
    T = fit.last_fit
    years = list(range(T + 1, TREND_LAST_YEAR + 1))
    rates = params.year_rates(fit.theta, [T] + years, T, np.zeros(5), {}, rule)
    first = [forward.AGE_ONEHOT @ r.entries for r in rates]
    ent0 = first[0]
    h0 = rates[0].hazards.sum(axis=(1, 2))
    src = fit_source(T) + f"; projection rule {rule.name}, one of the rules the back-test cannot tell " \
        "apart (docs/calibration.md)"
    rows = []
    for i, y in enumerate(years, start=1):
        e = first[i] / ent0
        x = rates[i].hazards.sum(axis=(1, 2)) / h0
        rows.append([f"{y - 1}-03-31"] + [f"{v:.5f}" for v in e] + [f"{v:.5f}" for v in x] +
                    [src, f"year ending 31 March {y}: rates relative to the fitted {T} level "
                     f"(damping: entries {rule.entry_phi:g}, exits {rule.exit_phi:g})"])
    return rows


# Placement moves per year by age band: not fitted (no national series of moves up to 2017);
# the design assumption the simulator has used (older children move more).
PLACEMENT_MOVES = (0.25, 0.25, 0.25, 0.30, 0.35)


def lac_hazards(out: Path, fit) -> Path:
    """Fitted exit hazards in the last fitted year, and the (assumed) placement moves."""
    h = params.hazards(fit.theta, fit.last_fit, fit.last_fit)
    rows = []
    for b, a in enumerate(AGES):
        for j, tb in enumerate(TB_DAYS):
            vals = [f"{h[r, b, j]:.5f}" for r in range(5)]
            rows.append([a, tb] + vals + [f"{PLACEMENT_MOVES[b]:.2f}",
                                          fit_source(fit.last_fit) + "; placement_move: assumption, not fitted",
                                          "exit hazards per year in the last fitted year; at 18 "
                                          "children age out (aged_out)"])
    names = [f"{t}_per_year" for t in TRANSITIONS] + ["placement_move_per_year"]
    return _write(out / "lac_hazards.csv", ["age_band", "from_days"] + names + ["source", "note"], rows)


def areas_table(out: Path, las: list, mult: list) -> Path:
    width = [hi - lo for lo, hi in AGE_YEARS]
    rows = []
    for r, (e, x) in zip(las, mult):
        p = int(r["population_0_17"])
        rows.append([r["la_code"], r["la_name"], r["region"]] + [f"{p * k / 18:.1f}" for k in width] +
                    [f"{e:.4f}", f"{x:.4f}", r["ofsted_overall_effectiveness"].replace(" ", "_"),
                     r["cla_31_march_2015"], r["cla_31_march_2016"], r["cla_31_march_2017"],
                     "shared/data/local_authorities.csv (ONS mid-2017 population 0-17; DfE SFR34/2015, "
                     "SFR41/2016, SFR50/2017 LA data; Ofsted SIF judgement)",
                     "population split over age bands by single years (uniform); entry and exit "
                     "multipliers fitted to the LA's 2015-2017 children in care (caresim.calibrate.areas)"])
    return _write(out / "areas_england.csv",
                  ["code", "name", "region", "pop_under_1", "pop_1_4", "pop_5_9", "pop_10_15",
                   "pop_16_17", "entry_multiplier", "exit_multiplier", "ofsted", "cla_2015",
                   "cla_2016", "cla_2017", "source", "note"], rows)


def stock_mix(s) -> np.ndarray:
    """[5 age bands, 6 time-in-care bands]: the fitted model's children in care on the last
    31 March, without UASC (their own rows: uasc_stock), by continuous age (forward.STOCK_W)."""
    g = forward.snapshot(s.fwd)
    db = np.searchsorted(np.array(TB_DAYS[1:]) / forward.MONTH_DAYS, forward.SNAP_TIC_M)
    onehot = (db[:, None] == np.arange(6)[None, :]).astype(float)
    return forward.STOCK_W @ g @ onehot


def uasc_per_area(las: list, total: int) -> list:
    """UASC of the initial stock by area: shared by population (as the simulator shares UASC
    entries: tables.uasc), never more than the area's children in care."""
    n = largest_remainder(total, [float(r["population_0_17"]) for r in las])
    return [min(k, int(r["cla_31_march_2017"])) for k, r in zip(n, las)]


def initial_stock(out: Path, s, las: list, last_fit: int, uasc_total: int) -> Path:
    """Children in care on 31 March 2017 by area: the published UASC stock shared by population,
    in rows marked uasc, with the age and time-in-care mix of the fitted UASC stream; the rest of
    each area's published children in care with the fitted model's mix."""
    mix = stock_mix(s)
    umix = uasc.stock_cells(s.uasc_run, TB_DAYS)
    home = forward.AGE_ONEHOT @ s.fwd.home.sum(axis=1)
    per_area_uasc = uasc_per_area(las, uasc_total)
    nat = sum(int(r["cla_31_march_2017"]) for r in las) - sum(per_area_uasc)
    home_total = int(round(home.sum() * nat / mix.sum()))
    per_area_home = largest_remainder(home_total, [int(r["cla_31_march_2017"]) for r in las])
    src = (f"LA CLA 31 March 2017 (local_authorities.csv, SFR50/2017) less the area's UASC, x the age and "
           f"time-in-care mix of the fitted model run 1994-{last_fit} (python3 -m caresim calibrate)")
    usrc = (f"UASC 31 March {last_fit} (cla_timeseries_1994_2017.csv) shared by population 0-17 "
            f"(local_authorities.csv), x the mix of the fitted UASC stream (python3 -m caresim calibrate)")
    rows = []
    for r, nh, nu in zip(las, per_area_home, per_area_uasc):
        cells = largest_remainder(int(r["cla_31_march_2017"]) - nu, mix.ravel())
        for k, c in enumerate(cells):
            if c:
                rows.append([r["la_code"], "lac", AGES[k // 6], TB_DAYS[k % 6], c, 0, src])
        for k, c in enumerate(largest_remainder(nu, umix.ravel())):
            if c:
                rows.append([r["la_code"], "lac", AGES[3 + k // 6], TB_DAYS[k % 6], c, 1, usrc])
        for b, c in enumerate(largest_remainder(nh, home)):
            if c:
                rows.append([r["la_code"], "home", AGES[b], 0, c, 0, "returned home within the "
                             "2-year window: fitted model run 1994-%d, shared by LA CLA" % last_fit])
    return _write(out / "initial_stock_2017.csv", ["area", "state", "age_band", "from_days",
                                                  "count", "uasc", "source"], rows)


def uasc_table(out: Path, data_dir: Path, fit, drawn: list, t) -> Path:
    """tables.uasc: for each year ending 31 March from the last fitted one to TREND_LAST_YEAR,
    the UASC entries (fitted, then a projection rule's continuation), with their ages,
    placement shares and exit hazard before 18 (uasc.py). One block of rows per rule the
    replicates draw, numbered as rate_trend.csv's (`drawn`: [(rule, s)]; `s`: the model series
    run to TREND_LAST_YEAR with the rule): the rules differ mostly in how they carry on UASC
    entries, so each replicate's UASC follow its own rule."""
    T = fit.last_fit
    ages = [params.UASC_AGE.get(a, 0.0) for a in range(14, 18)]
    pl = uasc.placement_shares(Path(data_dir), t.uasc_stock)
    rows = []
    for k, (rule, s) in enumerate(drawn):
        src = (f"fit: python3 -m caresim calibrate (UASC entries fitted to the UASC stock at 31 March 2004-{T}, "
               f"cla_timeseries_1994_2017.csv; projection rule {rule.name}); ages at entry and exit hazard: "
               "caresim.calibrate.params/uasc; placements: rise 2014-2017 in placements.csv against the rise "
               "in UASC; male share: assumption")
        for y in range(T, TREND_LAST_YEAR + 1):
            n = float(s.uasc_run.entries_age[s.years.index(y)].sum())
            rows.append([k, f"{y - 1}-03-31", f"{n:.1f}"] + [f"{a:.3f}" for a in ages] +
                        [f"{pl[p]:.5f}" for p in uasc.PLACEMENTS] +
                        [f"{uasc.MALE_SHARE:.2f}", f"{uasc.OTHER_PER_YEAR:.3f}", src,
                         f"year ending 31 March {y}" + (" (fitted; also before it)" if y == T else
                                                        f" (UASC damping {rule.uasc_phi:g})")])
    return _write(out / "uasc.csv", ["rule", "from_date", "entries_per_year", "age_14", "age_15", "age_16",
                                     "age_17"] + list(uasc.PLACEMENTS) + ["male_share", "other_per_year",
                                                                          "source", "note"], rows)


def placement_costs(out: Path) -> Path:
    return _write(out / "placement_costs.csv", ["placement", "cost_per_day", "source", "note"],
                  costs.rows())


def area_multipliers(data: Path, t) -> tuple:
    las = areas.load(data)
    return las, areas.fit(las, t.starts, t.ceased, t.stock)


def fmt(x: float) -> str:
    return f"{x:.6g}" if math.isfinite(x) else ""


# Published placement groups on 31 March 2017 (placements.csv) -> groups of the model's
# placements. Kinship foster care is inside DfE's foster count; placed for adoption and "other
# placements" are counted as foster, as at entry.
PLACEMENT_GROUPS = {
    ("foster", "kinship"): ("foster", "placed_for_adoption", "other"),
    ("residential",): ("secure_childrens_homes_semi_independent", "other_residential", "residential_school"),
    ("placed_with_parents",): ("placed_with_parents",),
    ("independent",): ("independent_living",),
}
PLACEMENTS = ("foster", "kinship", "residential", "placed_with_parents", "independent")
SEED_SHARES = Path(__file__).resolve().parents[3] / "models" / "data" / "placement_shares.csv"


def initial_placement_shares(out: Path, t, s, data_dir: Path) -> Path:
    """Placement shares of the 31 March 2017 stock without UASC by age band: the age pattern of
    the entry shares (placement_shares.csv) raked (iterative proportional fitting) to the
    published 2017 stock by age band and the published 2017 placements, each less the UASC's
    (the UASC stock by age band of the fitted stream, placed by tables.uasc's shares), so that
    with the UASC the initial mix is 2017's."""
    seed = np.zeros((5, 5))
    for r in csv.DictReader(open(SEED_SHARES)):
        seed[AGES.index(r["age_band"])] = [float(r[p]) for p in PLACEMENTS]
    ub = uasc.stock_cells(s.uasc_run, TB_DAYS).sum(axis=1)
    ub *= t.uasc_stock[2017] / ub.sum()
    rows_t = np.array(t.stock_age[2017], float)
    rows_t[3:] -= ub
    pub = t.placements_2017
    upl = uasc.placement_shares(Path(data_dir), t.uasc_stock)
    groups = [([PLACEMENTS.index(p) for p in g], sum(pub[k] for k in src) - t.uasc_stock[2017] * sum(upl[p] for p in g))
              for g, src in PLACEMENT_GROUPS.items()]
    total = sum(v for _, v in groups)
    x = seed * rows_t[:, None]
    for _ in range(500):
        for cols, v in groups:
            x[:, cols] *= v / total * rows_t.sum() / x[:, cols].sum()
        x *= (rows_t / x.sum(axis=1))[:, None]
    shares = x / x.sum(axis=1, keepdims=True)
    src = ("placements.csv 2017 (SFR 50/2017: foster incl. placed for adoption, children's homes and "
           "other residential, placed with parents, living independently) and cla_by_age.csv 2017, "
           "each less the UASC's (uasc.csv), raked from the age pattern of placement_shares.csv (python3 -m caresim calibrate)")
    rows = [[a] + [f"{v:.5f}" for v in sh] + [src, "kinship within foster as in placement_shares.csv"]
            for a, sh in zip(AGES, shares)]
    return _write(out / "initial_placement_shares.csv", ["age_band"] + list(PLACEMENTS) + ["source", "note"], rows)
