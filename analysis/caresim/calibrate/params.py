"""The fitted parameters: names, prior centres and spreads, and the rates they imply.

A parameter vector `theta` is one flat array; `SPEC` names its slices. Hazards are log-linear:
  log h_r(age band, time-in-care band, year) = level_r + age_r[band] + dur_r[band]
                                               + trend_r * (year - REF_YEAR) + exit_year_r[year]
and first entries by DfE age band
  log N_b(year) = entry_b + entry_trend_b * (year - REF_YEAR) + entry_year_b[year].
The year effects (`entry_year`, `exit_year`: one per fitted year 2010-2017 and band or reason)
are the year's departure from the fitted line: the published flows move from year to year by
more than a straight line allows (adoptions rose 66% over 2011-2014, peaked in 2015 and fell
18% by 2017; under-1 starts moved 10% in a year), and a fit that keeps the stock within 2% and
every flow within 5% needs them. Their prior is centred on 0 with a spread of YEAR_SD (10% on
the rate), so the lines carry the direction and the effects only what the data insist on.
After the last fitted year the last year's effect is held (the rule moves the line from there);
before the first fitted year the first one's applies.
Shapes (age_r, dur_r) have priors centred on the design shapes the hand-set baseline used
(returns home early in a stay, adoption after about a year of proceedings and only under 10,
independent living and "other" mostly at 16-17), with a spread of PRIOR_SD on the log scale, so
the data move them where they carry information and the prior holds them where they do not.
Levels and trends have no prior (a very wide one, for numerical stability only).

Exit trends are piecewise linear (slope `trend` to KNOT_YEAR, `trend2` after). Outside the
fitted years, rates follow a stated rule: before the first fitted year entries follow the
published 1994-2009 starts, and exit hazards are the first fitted year's times a log-linear
multiplier (`past_exit`, checked against the 2000-2009 stock); after the last
fitted year a projection rule applies (projection.py: held, continued or damped trends).
"""
from __future__ import annotations

import math

import numpy as np

from . import projection
from .forward import AGE_BAND, N_AGE, YearRates

REF_YEAR = 2014
KNOT_YEAR = 2015          # exit trends may change slope here (adoptions peaked in 2015)
PRIOR_SD = 0.7
YEAR_SD = 0.1             # prior spread of the year effects on log rates
YEAR_EFFECT_YEARS = tuple(range(2010, 2018))    # fitted years with a year effect slot
WIDE = 10.0
FIRST_FIT_YEAR = 2010
# Design shapes (relative hazards; the prior centres). Bands: under_1, 1_4, 5_9, 10_15, 16_17;
# time in care 0-3m, 3-6m, 6-12m, 1-2y, 2-5y, 5y+.
HOME_AGE = (0.30, 0.30, 0.25, 0.22, 0.30)
HOME_DUR = (3.0, 1.6, 1.0, 0.7, 0.4, 0.25)
ADOPT_AGE = (1.0, 0.6, 0.08)             # under 10 only
ADOPT_DUR = (0.08, 0.67, 1.0, 0.8, 0.4)  # none in the first 3 months
SGO_AGE = (0.08, 0.12, 0.10, 0.03, 0.01)
SGO_DUR = (0.1, 0.5, 1.0, 1.2, 1.0, 0.6)
OTHER_AGE = (0.02, 0.02, 0.02, 0.04, 0.15)
# Age of UASC at entry (single years 14-17): an assumption (most arrive at 16-17). UASC entries
# are fitted separately (uasc.py).
UASC_AGE = {14: 0.1, 15: 0.2, 16: 0.4, 17: 0.3}


def _log(shape):
    v = np.log(np.asarray(shape, float))
    return v - v.mean()


# name, size, prior centre (array or scalar), prior sd
SPEC = [
    ("entry", 5, 8.0, WIDE),
    ("entry_trend", 5, 0.0, WIDE),
    ("newborn_logit", 1, 0.0, 2.0),          # share of under-1 entrants entering at birth
    ("teen_slope", 1, 0.0, 1.0),             # log-linear slope of entries over ages 10-15
    ("level", 5, -1.0, WIDE),                # home, adopted, sgo_cao, independent_living, other
    ("trend", 5, 0.0, WIDE),                 # per year up to KNOT_YEAR
    ("trend2", 5, 0.0, WIDE),                # per year after KNOT_YEAR
    ("past_exit", 2, 0.0, 1.0),              # before FIRST_FIT_YEAR: log multiplier, slope
    ("home_age", 5, _log(HOME_AGE), PRIOR_SD),
    ("home_dur", 6, _log(HOME_DUR), PRIOR_SD),
    ("adopt_age", 3, _log(ADOPT_AGE), PRIOR_SD),
    ("adopt_dur", 5, _log(ADOPT_DUR), PRIOR_SD),
    ("sgo_age", 5, _log(SGO_AGE), PRIOR_SD),
    ("sgo_dur", 6, _log(SGO_DUR), PRIOR_SD),
    ("other_age", 5, _log(OTHER_AGE), PRIOR_SD),
    ("aged_out_il_logit", 1, 0.0, 2.0),      # share of 18th-birthday leavers recorded as IL
    ("entry_year", 5 * len(YEAR_EFFECT_YEARS), 0.0, YEAR_SD),   # [year, age band]
    ("exit_year", 5 * len(YEAR_EFFECT_YEARS), 0.0, YEAR_SD),    # [year, reason]
]


def spec_slices(spec: list) -> tuple:
    """Each parameter group's slice of the vector, and the vector's length, for a SPEC list of
    (name, count, prior mean, prior sd): shared by the care fit and the pathway fit."""
    out, i = {}, 0
    for name, n, _, _ in spec:
        out[name] = slice(i, i + n)
        i += n
    return out, i


def spec_prior(spec: list) -> tuple:
    """Prior means and standard deviations, parameter by parameter, for a SPEC list."""
    sl, n_params = spec_slices(spec)
    mu, sd = np.zeros(n_params), np.zeros(n_params)
    for name, _, m, s in spec:
        mu[sl[name]] = m
        sd[sl[name]] = s
    return mu, sd


def slices() -> dict:
    return spec_slices(SPEC)[0]


SL = slices()
N_PARAMS = sum(n for _, n, _, _ in SPEC)
NAMES = [f"{name}[{YEAR_EFFECT_YEARS[k // 5]}][{k % 5}]" if name.endswith("_year")
         else f"{name}[{k}]" if n > 1 else name for name, n, _, _ in SPEC for k in range(n)]


def prior() -> tuple:
    return spec_prior(SPEC)


def year_effect(theta: np.ndarray, name: str, year: float, last_fit: int) -> np.ndarray:
    """[5] the year effects `name` ('entry_year' or 'exit_year') in calendar `year`: the fitted
    year's own; after `last_fit` the last fitted year's (held); before the first, the first's."""
    k = int(min(max(math.floor(year), YEAR_EFFECT_YEARS[0]), last_fit, YEAR_EFFECT_YEARS[-1]))
    return theta[SL[name]].reshape(len(YEAR_EFFECT_YEARS), 5)[k - YEAR_EFFECT_YEARS[0]]


def year_effect_mask(last_fit: int) -> np.ndarray:
    """Boolean [N_PARAMS]: False for the year effects of years after `last_fit` (not fitted)."""
    mask = np.ones(N_PARAMS, bool)
    late = np.repeat(np.array(YEAR_EFFECT_YEARS) > last_fit, 5)
    for name in ("entry_year", "exit_year"):
        mask[SL[name]] = ~late
    return mask


def hazards(theta: np.ndarray, year: float, last_fit: int) -> np.ndarray:
    """[5 reasons, 5 age bands, 6 time-in-care bands] per year, in `year` (its line value; the
    year effect of `year`, held after `last_fit`)."""
    p = {k: theta[s] for k, s in SL.items()}
    y = max(year, FIRST_FIT_YEAR)
    lv = (p["level"] + p["trend"] * (min(y, KNOT_YEAR) - REF_YEAR)
          + p["trend2"] * max(y - KNOT_YEAR, 0.0) + year_effect(theta, "exit_year", year, last_fit))
    if year < FIRST_FIT_YEAR:
        lv = lv + p["past_exit"][0] + p["past_exit"][1] * (year - FIRST_FIT_YEAR)
    h = np.zeros((5, 5, 6))
    h[0] = np.exp(lv[0] + p["home_age"][:, None] + p["home_dur"][None, :])
    h[1, :3, 1:] = np.exp(lv[1] + p["adopt_age"][:, None] + p["adopt_dur"][None, :])
    h[2] = np.exp(lv[2] + p["sgo_age"][:, None] + p["sgo_dur"][None, :])
    h[3, 4, :] = math.exp(lv[3])
    h[4] = np.exp(lv[4] + p["other_age"])[:, None]
    return h


def entry_age_profile(theta: np.ndarray) -> np.ndarray:
    """[5 bands, N_AGE]: where in months of age the entrants of each band arrive (rows sum to 1).
    Under 1: a share `newborn` enter in their first month of life, the rest evenly over the year;
    10-15: log-linear over single years (slope `teen_slope`); other bands evenly."""
    months = np.arange(N_AGE)
    prof = np.zeros((5, N_AGE))
    f = newborn_share(theta)
    prof[0, :12] = (1.0 - f) / 12.0
    prof[0, 0] += f
    for b in (1, 2, 4):
        inb = AGE_BAND == b
        prof[b, inb] = 1.0 / inb.sum()
    yrs = months // 12
    w = np.where(AGE_BAND == 3, np.exp(theta[SL["teen_slope"]][0] * (yrs - 12.5)), 0.0)
    prof[3] = w / w.sum()
    return prof


def newborn_share(theta: np.ndarray) -> float:
    return 1.0 / (1.0 + math.exp(-theta[SL["newborn_logit"]][0]))


def aged_out_il_share(theta: np.ndarray) -> float:
    return 1.0 / (1.0 + math.exp(-theta[SL["aged_out_il_logit"]][0]))


def year_rates(theta: np.ndarray, years: list, last_fit: int, reentry: np.ndarray,
               past_starts: dict, rule: projection.Rule = projection.HELD) -> list:
    """YearRates for each year: fitted years use the formulas; later years follow `rule`
    (projection.py: each rate at the fitted straight line's value in the rule's effective
    year); earlier years scale first entries with the published long series of starts
    (`past_starts`)."""
    if rule.exit_phi > 0 and last_fit <= KNOT_YEAR:
        theta = theta.copy()              # no slope after the knot was fitted: continue the first
        theta[SL["trend2"]] = theta[SL["trend"]]
    prof = entry_age_profile(theta)
    ent = theta[SL["entry"]]
    etr = theta[SL["entry_trend"]]
    out = []
    for y in years:
        ye = projection.effective_year(rule.entry_phi, y, last_fit)
        yx = projection.effective_year(rule.exit_phi, y, last_fit)
        n_b = np.exp(ent + etr * (max(ye, FIRST_FIT_YEAR) - REF_YEAR)
                     + year_effect(theta, "entry_year", y, last_fit))
        if y < FIRST_FIT_YEAR:
            n_b = n_b * past_starts[max(y, min(past_starts))] / past_starts[FIRST_FIT_YEAR]
        hy = max(y, min(past_starts)) if y < FIRST_FIT_YEAR else yx
        out.append(YearRates(entries=n_b @ prof, hazards=hazards(theta, hy, last_fit), reentry=reentry))
    return out
