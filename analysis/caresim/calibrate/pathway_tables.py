"""The pathway's tables for the simulator, from the pathway fit (pathway.py), and its report.

Written after the care tables, from the files the care calibration has just written into the
same folder (areas_england.csv, entry_rates.csv, rate_trend.csv), so that entries to care
through children in need and plans plus the direct entries equal the fitted entries, year by
year and rule by rule:
- referral_rates, cin_hazards, cpp_hazards, closed_recent_hazards: the fitted 2017 rates (the
  year effects of 2017 included).
- pathway_trend: for each rule of rate_trend.csv and each year after 2017, the fitted calendar
  trends (referrals, the no-further-action share, re-referrals, cases closing, plans starting,
  plans ending) continued with the entry damping the pathway's own back-test chose
  (pathway_backtest.choose; projection.effective_year; the year effects of 2017 held; the same
  numbers in every rule's block), as multipliers on the 2017 rates: new referrals, the odds of no
  further action, and each hazard of the pathway by its transition's label.
- Hazards into care (cin_lac, cpp_lac) by age band: the fitted hazard times w_b (`weights`),
  so that the band's entries to care through the pathway are its share of the fit's (the
  band's share of first entries, entry_rates.csv), unless that would put more entrants at some
  interval of age of calibration/entry_ages.csv than the care fit has there: then fewer. The
  ages of children in need within a band are not those of all first entrants (a child
  referred at birth reaches care months later; most under-1 entrants are newborns).
- entry_rates_direct: each band's first entries less its pathway entries to care in 2017;
  entry_ages_direct: the direct entrants' ages, the fitted first entries at each interval of
  age less the pathway's there (tables.entry_ages shapes direct entries only).
- rate_trend_direct: for each rule of rate_trend.csv and each year y after 2017,
  (multiplier x first entries - pathway entries to care in y) / direct entries, where the
  pathway's entries in y come from running the fitted model with pathway_trend from
  the 31 March 2017 stock: total entries to care stay those of the care fit's projection. Where
  the pathway alone would bring more of a band into care than the care fit's projection has,
  the direct entries are clipped at 0 (the row's note says so and the total then exceeds the
  care fit's); the calibration logs every clipped row.
- initial_stock_pathway_2017: the published stocks of 31 March 2017 (children in need less
  those on plans and in care; plans by time on the plan), the time in need from the fitted
  model's 2017 state, closed cases the model's; over areas by population x entry multiplier
  and over age bands by `age_shares`.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from . import pathway, pathway_ages as ages, pathway_draws, projection as rules
from . import pathway_model as pm
from .forward import AGE_ONEHOT, MONTH_DAYS
from .tables import AGES, TREND_LAST_YEAR, _write, largest_remainder

SOURCE = ("fit: python3 -m caresim calibrate (pathway before care: weighted least squares on "
          "2010-2017 cin_cpp_national.csv, cpp_duration_at_31_march.csv, cla_national.csv)")


def _read(path: Path) -> list:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


W_MAX_ITER = 200   # fixed-point steps for the weights on the hazards into care, at most
W_TOL = 1e-9       # until no weight moves by more than this (relative)


def write(data: Path, out: Path, drawn: list, phi: float, draws: tuple, log=print) -> list:
    """Fits the pathway and writes its tables; `drawn`: the projection rules of rate_trend.csv's
    blocks, in order (one block of pathway_trend.csv and rate_trend_direct.csv each); `phi`: the
    entry damping with which every block continues the pathway's fitted trends, the one the
    pathway's own back-test chose (pathway_backtest.choose; pathway_projection.csv); `draws`:
    (how many, the bound on a multiplier, the seed) of calibration/pathway_draws.csv."""
    d = pathway.load(data)
    f = pathway.fit(d)
    log(f"  pathway: chi2 {f.chi2:.1f} over {len(d.obs)} published numbers; {f.nfev} evaluations")
    out = Path(out)
    areas = _read(out / "areas_england.csv")
    pop = np.array([sum(float(a["pop_" + b]) for a in areas) for b in AGES])
    first = np.array([float(r["rate_per_10000_per_year"]) for r in _read(out / "entry_rates.csv")]) * pop / 1e4
    i17 = f.years.index(pathway.LAST)
    via17 = f.res.flow("cin_lac")[i17] + f.res.flow("cpp_lac")[i17]
    target = via17 * first / first.sum()
    fitted = [pm.rates(f.theta, y) for y in f.years]
    cuts = entry_intervals(out / "calibration", first)
    w = weights(fitted, target, cuts)
    s17, lac, _ = ages.run(fitted, w)
    got = ages.by_band(lac[-1])
    log(f"  pathway: entries to care through it in 2017 {got.sum():.0f} of {first.sum():.0f} first entries "
        f"(the fit's {via17:.0f} at the bands' shares, less what would exceed the fitted entries at some age): "
        + ", ".join(f"{b} {g:.0f} of {t:.0f}" for b, g, t in zip(AGES, got, target)))
    start = initial_state(d, s17)
    r17 = fitted[-1]
    years = list(range(pathway.LAST + 1, TREND_LAST_YEAR + 1))
    _, via, held = ages.run([r17] * len(years), w, start)
    via = ages.by_band(via)
    runs = {"held": (held, via)}
    damped = [pm.rates(f.theta, rules.effective_year(phi, y, pathway.LAST)) for y in years]
    _, via_d, trend = ages.run(damped, w, start)
    via_phi = dict(zip(years, ages.by_band(via_d)))
    runs[f"trend_damped_{phi:g}"] = (trend, ages.by_band(via_d))
    paths = [referral_rates(out, r17, pop), cin_hazards(out, r17, w), cpp_hazards(out, r17, w),
             closed_recent(out, r17), pathway_trend(out, f.theta, r17, years, drawn, phi)]
    paths += direct_entries(out, first, got, [via_phi for _ in drawn], log)
    paths.append(direct_ages(out, first, got, lac[-1], cuts))
    paths.append(initial_stock(out, d, start, areas))
    cal = out / "calibration"
    paths.append(_write(cal / "pathway_fit.csv", ["series", "year", "published", "model", "error_percent",
                                                  "sd_percent", "confidence"], pathway.fit_rows(d, f)))
    paths.append(parameters(cal, f))
    n_draws, max_mult, seed = draws
    rows, sd, _, acc = pathway_draws.pathway_rows(f, np.random.default_rng(seed), n_draws, max_mult)
    paths.append(pathway_draws.write_pathway(cal, rows))
    log("  pathway draws: SD of the log 2017 levels " + ", ".join(
        f"{c} {v:.4f}" for c, v in zip(("referral", "nfa_odds", "cin_cpp", "cin_closed", "cpp_end", "rereferral"), sd))
        + f"; {acc:.1%} of candidates within [1/{max_mult:g}, {max_mult:g}]")
    paths.append(projection(cal, start, years, runs))
    k = years.index(2030)
    trend, via_d = runs[f"trend_damped_{phi:g}"]
    log(f"  pathway: projected 2030 with its trends damped by {phi:g} (2017 rates held): in need {trend[k, 0]:.0f} "
        f"({held[k, 0]:.0f}), on plans {trend[k, 1]:.0f} ({held[k, 1]:.0f}), entries to care through it "
        f"{via_d[k].sum():.0f} ({via[k].sum():.0f})")
    return paths


def entry_intervals(cal: Path, first: np.ndarray) -> list:
    """The care fit's intervals of age at first entry (calibration/entry_ages.csv) as (band,
    first month of age, month after the last, fitted first entries a year at those ages:
    the band's `first` x the interval's share)."""
    rows = _read(cal / "entry_ages.csv")
    out = []
    for i, b in enumerate(AGES):
        mine = [r for r in rows if r["age_band"] == b]
        tot = sum(float(r["share"]) for r in mine)
        for r in mine:
            m0, m1 = (round(float(r[k]) / MONTH_DAYS) for k in ("from_age_days", "to_age_days"))
            out.append((i, m0, m1, first[i] * float(r["share"]) / tot))
    return out


def weights(fitted: list, target: np.ndarray, cuts: list) -> np.ndarray:
    """[5] weights by age band on the hazards into care (from need and from plans alike) with
    which the age-structured pathway, run over the fitted years, sends `target` children into
    care in the last one, or fewer where that many would exceed the fitted first entries at
    some interval of age of `cuts` (entry_intervals): the pathway brings children into care
    at the ages of children in need, which within a band need not be the ages of all first
    entrants (it has few newborns). A fixed point from 1: w <- w x min(target / entries, the
    least of fitted / pathway entries over the band's intervals)."""
    w = np.ones(5)
    for _ in range(W_MAX_ITER):
        _, lac, _ = ages.run(fitted, w)
        step = target / ages.by_band(lac[-1])
        for b, m0, m1, n in cuts:
            step[b] = min(step[b], n / max(lac[-1, m0:m1].sum(), 1e-300))
        w = w * step
        if np.max(np.abs(step - 1)) < W_TOL:
            break
    else:
        raise ValueError("the weights on the pathway's hazards into care did not converge")
    return w * (1 - 2 * W_TOL)    # at or below the caps, not above by the last step's rounding


def initial_state(d: pathway.Data, s: pm.State) -> pm.State:
    """31 March 2017 by month of age x cell: the published totals (in need; plans by
    published duration band) spread as the age-structured fitted model has them; closed
    cases the model's."""
    s = pm.State(s.cin.copy(), s.cpp.copy(), s.closed.copy())
    cin = float(d.cin_2017["children_in_need_at_31_march"]) - float(d.cin_2017["cpp_at_31_march"]) - d.cla[pathway.LAST]
    s.cin *= cin / s.cin.sum()
    cpp = float(d.cin_2017["cpp_at_31_march"]) / sum(d.duration_2017)   # bands rounded apart
    for (a, b), v in zip(pm.CPP_DURATION_CELLS, d.duration_2017):
        s.cpp[:, a:b] *= v * cpp / s.cpp[:, a:b].sum()
    return s


def referral_rates(out: Path, r: pm.Rates, pop) -> Path:
    rate = r.new / pop.sum() * 1e4
    return _write(out / "referral_rates.csv", ["age_band", "rate_per_10000_per_year", "nfa_share", "source", "note"],
                  [[b, f"{rate:.3f}", f"{r.nfa:.4f}", SOURCE,
                    f"fitted 2017 new referrals {r.new:.0f} a year (re-referrals of closed cases come from "
                    "closed_recent_hazards) per 10,000 children 0-17 (areas_england.csv); same in every age band"]
                   for b in AGES])


def cin_hazards(out: Path, r: pm.Rates, w_care) -> Path:
    """Rows by age band x time in need; w_care: the bands' weights on the hazard into care."""
    rows = []
    for i, b in enumerate(AGES):
        rows += [[b, lo, f"{r.cin[0, k]:.5f}", f"{r.cin[1, k] * w_care[i]:.5f}", f"{r.cin[2, k]:.5f}", SOURCE,
                  f"fitted 2017 hazards by time in need; to care: {r.cin[1, k]:.5f} x {w_care[i]:.3f}, the band's "
                  "weight (pathway_tables.weights)"] for k, lo in enumerate(pm.CIN_FROM_DAYS)]
    return _write(out / "cin_hazards.csv", ["age_band", "from_days", "cin_cpp_per_year", "cin_lac_per_year",
                                            "cin_closed_per_year", "source", "note"], rows)


def cpp_hazards(out: Path, r: pm.Rates, w_care) -> Path:
    rows = []
    for i, b in enumerate(AGES):
        rows += [[b, lo, f"{r.cpp[0, k]:.5f}", f"{r.cpp[1, k] * w_care[i]:.5f}", f"{r.cpp[2, k]:.5f}", SOURCE,
                  f"fitted 2017 hazards by time on the plan (total {r.cpp[:, k].sum():.4f}); to care x {w_care[i]:.3f}, "
                  "the band's weight (pathway_tables.weights)"]
                 for k, lo in enumerate(pm.CPP_FROM_DAYS)]
    return _write(out / "cpp_hazards.csv", ["age_band", "from_days", "cpp_step_down_per_year", "cpp_lac_per_year",
                                            "cpp_closed_per_year", "source", "note"], rows)


def closed_recent(out: Path, r: pm.Rates) -> Path:
    return _write(out / "closed_recent_hazards.csv", ["age_band", "from_days", "rereferral_per_year", "source", "note"],
                  [[b, 0, f"{r.reref:.5f}", SOURCE, "fitted 2017 re-referral hazard of a case closed within "
                    "the 12-month window; same in every age band"] for b in AGES])


# pathway_trend.csv's hazard columns: (transition label, Rates array, destination row)
TREND_HAZARDS = (("cin_cpp", "cin", 0), ("cin_lac", "cin", 1), ("cin_closed", "cin", 2),
                 ("cpp_step_down", "cpp", 0), ("cpp_lac", "cpp", 1), ("cpp_closed", "cpp", 2))


def _odds(p: float) -> float:
    return p / (1.0 - p)


def trend_multipliers(r: pm.Rates, r0: pm.Rates) -> list:
    """Year rates r over the base year's r0 as pathway_trend.csv's multipliers: referral,
    nfa_odds, the hazards of TREND_HAZARDS, rereferral. Each trend moves a hazard alike in every
    band of time in the state (pathway_model.rates), so one factor per column."""
    out = [r.new / r0.new, _odds(r.nfa) / _odds(r0.nfa)]
    for _, name, k in TREND_HAZARDS:
        ratio = getattr(r, name)[k] / getattr(r0, name)[k]
        if np.ptp(ratio) > 1e-9 * ratio.max():
            raise ValueError(f"the trend of {name} row {k} differs between bands of time in the state")
        out.append(float(ratio[0]))
    return out + [r.reref / r0.reref]


def pathway_trend(out: Path, theta, r17: pm.Rates, years: list, drawn: list, phi: float) -> Path:
    """tables.pathway_trend: for each rule of rate_trend.csv (`drawn`, in its block order) and
    each year ending 31 March in `years`, the fitted pathway rates of that year under the entry
    damping `phi` over the 2017 ones (the same in every block: the pathway's own back-test chose
    it; a block per rule keeps the simulator's one draw of the rule)."""
    rows = []
    for k, rule in enumerate(drawn):
        src = SOURCE + f"; projection rule {rule.name} (rate_trend.csv's rule {k})"
        for y in years:
            r = pm.rates(theta, rules.effective_year(phi, y, pathway.LAST))
            rows.append([k, f"{y - 1}-03-31"] + [f"{v:.5f}" for v in trend_multipliers(r, r17)] +
                        [src, f"year ending 31 March {y}: the fitted pathway trends continued with damping "
                         f"{phi:g} (chosen by the pathway's back-test), relative to the fitted 2017 rates"])
    return _write(out / "pathway_trend.csv", ["rule", "from_date", "referral", "nfa_odds"] +
                  [h for h, _, _ in TREND_HAZARDS] + ["rereferral", "source", "note"], rows)


def direct_entries(out: Path, first, target, via: list, log=print) -> list:
    """target: [5] the pathway's entries to care in the last fitted year by age band; via:
    for each rule of rate_trend.csv, year -> [5] the same projected with the rule's
    pathway_trend."""
    direct = first - target
    if np.any(direct <= 0):
        raise ValueError("the pathway's entries to care exceed the fitted first entries")
    rate = [float(r["rate_per_10000_per_year"]) for r in _read(out / "entry_rates.csv")]
    male = [r["male_share"] for r in _read(out / "entry_rates.csv")]
    p1 = _write(out / "entry_rates_direct.csv", ["age_band", "rate_per_10000_per_year", "male_share", "source", "note"],
                [[b, f"{rate[i] * direct[i] / first[i]:.3f}", male[i], SOURCE + "; entry_rates.csv",
                  f"first entries not through the pathway: the band's {first[i]:.0f} fitted first entries a year less "
                  f"its {target[i]:.0f} entries to care through the pathway in 2017 ({target.sum():.0f} in all)"]
                 for i, b in enumerate(AGES)])
    rows = _read(out / "rate_trend.csv")
    header = list(rows[0])
    body = []
    for r in rows:
        y = int(r["from_date"][:4]) + 1          # the row holds for the year ending 31 March y
        rv = via[int(r["rule"])]
        v = rv.get(y, target if y <= pathway.LAST else rv[max(rv)])
        clipped = []
        for i, b in enumerate(AGES):
            m = (float(r["entry_" + b]) * first[i] - v[i]) / direct[i]
            if m < 0:
                clipped.append(b)
            r["entry_" + b] = f"{max(0.0, m):.5f}"
        r["source"] = SOURCE + "; rate_trend.csv on direct entries"
        r["note"] = (f"year ending 31 March {y}: (multiplier x first entries - the band's pathway entries to care, "
                     f"{v.sum():.0f} in all with the rule's pathway_trend.csv) / direct entries")
        if clipped:
            r["note"] += "; clipped at 0 (the pathway alone exceeds the care fit's entries): " + ", ".join(clipped)
            log(f"  pathway: rule {r['rule']} year {y}: direct entries clipped at 0 for " + ", ".join(clipped))
        body.append([r[h] for h in header])
    return [p1, _write(out / "rate_trend_direct.csv", header, body)]


def direct_ages(out: Path, first, via, lac, cuts: list) -> Path:
    """Ages of the direct entrants (tables.entry_ages shapes direct entries only: an entrant
    through the pathway is as old as the child in need it was): at each interval of `cuts`,
    the fitted first entries less the pathway's 2017 entries at those ages (lac: [N_AGE] by
    month of age; never below 0 by the weights' caps), over the band's direct entries."""
    rows = {(r["age_band"], round(float(r["from_age_days"]) / MONTH_DAYS)): r
            for r in _read(out / "calibration" / "entry_ages.csv")}
    body = []
    for b, m0, m1, n in cuts:
        own = max(0.0, n - lac[m0:m1].sum())
        r = rows[(AGES[b], m0)]
        body.append([AGES[b], r["from_age_days"], r["to_age_days"], f"{own / (first[b] - via[b]):.5f}",
                     SOURCE + "; calibration/entry_ages.csv",
                     f"{n:.0f} fitted first entries a year at these ages less {n - own:.0f} through the pathway "
                     f"in 2017, of the band's {first[b] - via[b]:.0f} direct entries"])
    return _write(out / "entry_ages_direct.csv", ["age_band", "from_age_days", "to_age_days", "share", "source",
                                                  "note"], body)


def _joint(x: np.ndarray, bands: np.ndarray, n: int) -> np.ndarray:
    """[5 age bands, n time-in-state bands] of a state's [N_AGE, cells] array."""
    return AGE_ONEHOT @ x @ (bands[:, None] == np.arange(n)[None, :]).astype(float)


def initial_stock(out: Path, d: pathway.Data, s: pm.State, areas: list) -> Path:
    w_area = [sum(float(a["pop_" + b]) for b in AGES) * float(a["entry_multiplier"]) for a in areas]
    cpp_band = np.searchsorted(np.cumsum([b - a for a, b in pm.CPP_DURATION_CELLS]), np.arange(pm.N_CPP), side="right")
    plan = [("cin", round(s.cin.sum()), pm.CIN_FROM_DAYS, _joint(s.cin, pm.CIN_BAND, 3),
             f"cin_cpp_national.csv 2017: {d.cin_2017['children_in_need_at_31_march']} children in need less "
             f"{d.cin_2017['cpp_at_31_march']} on plans and {d.cla[pathway.LAST]:.0f} in care (cla_national.csv); "
             "ages and time in need: " + SOURCE),
            ("cpp", int(d.cin_2017["cpp_at_31_march"]), pm.CPP_FROM_DAYS, _joint(s.cpp, cpp_band, 5),
             "cin_cpp_national.csv 2017 plans on 31 March, by time on the plan as cpp_duration_at_31_march.csv "
             "2017 (CIN census d5); ages: " + SOURCE),
            ("closed_recent", round(s.closed.sum()), (0,), _joint(s.closed, np.zeros(pm.N_CLOSED, int), 1),
             "cases closed in the 12 months to 31 March 2017 and not re-referred: " + SOURCE)]
    rows = []
    for state, total, starts, joint, src in plan:
        cells, weights = [], []
        for ai, a in enumerate(areas):       # areas by population x entry multiplier
            for bi, b in enumerate(AGES):
                for ti, lo in enumerate(starts):
                    if joint[bi, ti] > 0:
                        cells.append((a["code"], b, lo))
                        weights.append(w_area[ai] * joint[bi, ti])
        for (code, b, lo), n in zip(cells, largest_remainder(total, weights)):
            if n:
                rows.append([code, state, b, lo, n, src])
    return _write(out / "initial_stock_pathway_2017.csv", ["area", "state", "age_band", "from_days", "count", "source"], rows)


def parameters(cal: Path, f: pathway.Fit) -> Path:
    mu, sd = pm.prior()
    se = np.sqrt(np.maximum(np.diag(f.cov), 0.0))
    return _write(cal / "pathway_parameters.csv", ["parameter", "estimate", "se", "prior_centre", "prior_sd"],
                  [[n, f"{v:.5f}", f"{s:.5f}", f"{m:.5f}", f"{p:g}"] for n, v, s, m, p in zip(pm.NAMES, f.theta, se, mu, sd)])


def projection(cal: Path, start: pm.State, years: list, runs: dict) -> Path:
    """The pathway from the published 31 March 2017 stock (age-structured, pathway_ages.py):
    with its 2017 rates held (for reference) and with its fitted calendar trends continued by
    each drawn rule's damping of the entry trends (what the simulator runs: pathway_trend.csv).
    runs: name -> ([year, 3] stocks, [year, 5] entries to care by age band)."""
    rows = []
    for name, (stock, via) in runs.items():
        rows.append([name, pathway.LAST, f"{start.cin.sum():.0f}", f"{start.cpp.sum():.0f}",
                     f"{start.closed.sum():.0f}", ""])
        rows += [[name, y, f"{stock[k, 0]:.0f}", f"{stock[k, 1]:.0f}", f"{stock[k, 2]:.0f}", f"{via[k].sum():.0f}"]
                 for k, y in enumerate(years)]
    return _write(cal / "pathway_projection.csv", ["rates", "year", "cin_not_on_plan", "cpp", "closed_recent",
                                                   "entries_to_care"], rows)
