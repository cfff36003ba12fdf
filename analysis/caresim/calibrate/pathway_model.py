"""Expected values of the pathway before care (referrals, children in need, protection plans,
closed cases) from the forward equations of the simulator's piecewise-constant hazards.

States and their time-in-state grids, in single months (the simulator's bands fall on them:
91 days is three months, 183 six, 365 twelve, 730 twenty-four):
  cin     months in need 0..11, then 12+        bands 0-3m, 3-12m, 12m+ (cin_hazards.csv)
  cpp     months on the plan 0..23, then 24+    bands 0-3m, 3-6m, 6-12m, 1-2y, 2y+ (cpp_hazards.csv)
  closed  months since the case closed 0..11    re-referral until the 1-year window ends
One calendar month at a time: within the month every hazard is constant, so a cell's exit
probability is 1 - exp(-total hazard / 12) and the destinations share it in proportion to
their hazards (exact competing risks). Arrivals (new referrals, and children moving from
another state) come during the month, as in the simulator: they are given half a month at
their first band's hazards and then a cell whose months straddle the simulator's band
boundaries (`_Month`); what they do in that half month (few do anything) arrives at once.
Plans, nearly all still open at three months and ending fast after the review, would last
half a month too long without this. The simulator's hazards are the same in every age band and
new referrals follow the population, so ages are not tracked: the rule that a child leaves
the pathway at 18 is an extra hazard AGE_OUT = 1/18 a year (the share of a stock spread evenly
over ages 0-17 that turns 18 in a year).

Rates are log-linear in the calendar year (years ending 31 March), centred on REF_YEAR;
`rates(theta, year)` gives one year's. The parameters (`SPEC`) with their priors:
  ref, ref_trend          log new referrals a year (England), slope
  nfa, nfa_trend          logit of the share of new referrals needing no further action, slope
  reref, reref_trend      log re-referral hazard of a closed case, slope
  cin_close[3], _trend    log closing hazards by time in need, common slope
  cin_cpp[3], _trend      log hazard of a plan from need: level in 0-3m, then the log ratios of
                          3-12m and 12m+ to it; slope
  cin_lac                 log hazard of care from need (all bands)
  cpp[3..5], cpp_trend    log total hazards of a plan ending by time on the plan, slope
  cpp_lac, cpp_closed     log odds against step-down to need of a plan ending in care, closing
  *_year                  year effects 2010-2017 on the log of new referrals, of the hazard of a
                          plan from need and of the hazards of a plan ending: each year's
                          departure from its line (referrals jumped 11% in 2014, plans on 31
                          March 12%), prior N(0, YEAR_SD^2) as in the care fit (params.py);
                          after the last fitted year its effect is held, before the first the
                          first's applies
No state is kept between calls.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .params import spec_prior, spec_slices

DT = 1.0 / 12.0
AGE_OUT = 1.0 / 18.0
REF_YEAR = 2014
N_CIN, N_CPP, N_CLOSED = 13, 25, 12
CIN_BAND = np.array([0, 0, 0] + [1] * 9 + [2])
CPP_BAND = np.array([0] * 3 + [1] * 3 + [2] * 6 + [3] * 12 + [4])
CIN_FROM_DAYS = (0, 91, 365)
CPP_FROM_DAYS = (0, 91, 183, 365, 730)
# published durations of plans open on 31 March (cpp_duration_at_31_march.csv) in cells
CPP_DURATION_CELLS = ((0, 3), (3, 6), (6, 12), (12, 24), (24, 25))
WIDE = 10.0
SHAPE_SD = 0.7
SPLIT_SD = 0.5
YEAR_SD = 0.1
YEARS = tuple(range(2010, 2018))        # years with a year effect slot


def _logit(p):
    return math.log(p / (1.0 - p))


# name, size, prior centre, prior sd. Centres of the weakly identified parts are the stated
# assumptions the pathway used before it was fitted (docs/calibration.md).
SPEC = [
    ("ref", 1, 13.0, WIDE),
    ("ref_trend", 1, 0.0, WIDE),
    ("nfa", 1, 0.0, WIDE),
    ("nfa_trend", 1, 0.0, WIDE),
    ("reref", 1, math.log(0.5), WIDE),
    ("reref_trend", 1, 0.0, WIDE),
    # 55% of episodes close within 3 months; 0.5 a year after a year in need (long cases)
    ("cin_close", 3, (math.log(-math.log(0.45) * 4), 0.0, math.log(0.5)), (SHAPE_SD, WIDE, SHAPE_SD)),
    ("cin_close_trend", 1, 0.0, WIDE),
    # plans start mostly early in an episode: 3-12m at 0.3 and 12m+ at 0.15 times the first rate
    ("cin_cpp", 3, (math.log(0.6), math.log(0.3), math.log(0.15)), (WIDE, SHAPE_SD, SHAPE_SD)),
    ("cin_cpp_trend", 1, 0.0, WIDE),
    ("cin_lac", 1, math.log(0.0226), SPLIT_SD),     # about 6,000 entries to care a year from need
    ("cpp", 5, 0.0, WIDE),
    ("cpp_trend", 1, 0.0, WIDE),
    ("cpp_lac", 1, math.log(0.13 / 0.70), SPLIT_SD),     # plans end 70% step-down, 13% care,
    ("cpp_closed", 1, math.log(0.17 / 0.70), SPLIT_SD),  # 17% closed
    ("ref_year", len(YEARS), 0.0, YEAR_SD),
    ("cin_cpp_year", len(YEARS), 0.0, YEAR_SD),
    ("cpp_year", len(YEARS), 0.0, YEAR_SD),
]




SL, N_PARAMS = spec_slices(SPEC)
NAMES = [f"{name}[{YEARS[k]}]" if name.endswith("_year") else f"{name}[{k}]" if n > 1 else name
         for name, n, _, _ in SPEC for k in range(n)]


def prior() -> tuple:
    return spec_prior(SPEC)


@dataclass
class Rates:
    """One year's rates, per year: new referrals (England), the no-further-action share, and
    hazards by time-in-state band."""
    new: float
    nfa: float
    reref: float
    cin: np.ndarray           # [3 destinations: cpp, lac, closed, 3 bands]
    cpp: np.ndarray           # [3 destinations: step_down, lac, closed, 5 bands]


def year_effect(theta: np.ndarray, name: str, year: float, last_fit: int) -> float:
    """The year effect `name` of `year`: after `last_fit` the last fitted year's, before the first the
    first's."""
    k = int(min(max(math.floor(year), YEARS[0]), last_fit, YEARS[-1]))
    return float(theta[SL[name]][k - YEARS[0]])


def rates(theta: np.ndarray, year: float, last_fit: int = YEARS[-1]) -> Rates:
    """The rates of `year`: each log-linear trend at `year`, with the year effects of
    `year` (held after `last_fit`)."""
    p = {k: theta[s] for k, s in SL.items()}
    dy = year - REF_YEAR
    ye = {k: year_effect(theta, k, year, last_fit) for k in ("ref_year", "cin_cpp_year", "cpp_year")}
    nfa = 1.0 / (1.0 + math.exp(-(p["nfa"][0] + p["nfa_trend"][0] * dy)))
    cin_cpp = np.exp(p["cin_cpp"][0] + np.r_[0.0, p["cin_cpp"][1:]] + p["cin_cpp_trend"][0] * dy
                     + ye["cin_cpp_year"])
    cin = np.array([cin_cpp, np.full(3, math.exp(p["cin_lac"][0])),
                    np.exp(p["cin_close"] + p["cin_close_trend"][0] * dy)])
    split = np.exp([0.0, p["cpp_lac"][0], p["cpp_closed"][0]])
    total = np.exp(p["cpp"] + p["cpp_trend"][0] * dy + ye["cpp_year"])
    return Rates(math.exp(p["ref"][0] + p["ref_trend"][0] * dy + ye["ref_year"]), nfa,
                 math.exp(p["reref"][0] + p["reref_trend"][0] * dy), cin,
                 np.outer(split / split.sum(), total))


FLOWS = ("referrals", "rereferrals", "nfa", "cin_started", "cpp_started", "cpp_ended",
         "cin_ended", "cin_lac", "cpp_lac", "step_down", "closures")


def _share(h: np.ndarray, tot: np.ndarray) -> np.ndarray:
    return np.divide(h, tot, out=np.zeros_like(h), where=tot > 0)


class _Month:
    """A year's monthly factors, by row (one row, or one per month of age: pathway_ages.py)
    and cell: staying probabilities and the shares of the leavers going to each destination
    (the last: leaving the pathway at 18, here the hazard `out`). A cell holds children who,
    at the start of the month, have been in the state half a month more than its index
    (arrivals come during a month, half a month on average before its end), so its month
    lies half in the band of its index and half in the next one's: its hazard is the mean of
    the two. Arrivals spend their first half month at the first band's hazards."""

    def __init__(self, r: Rates, w_lac=None, out: float = AGE_OUT, rows: int = 1):
        w = np.ones((rows, 1)) if w_lac is None else np.asarray(w_lac, float).reshape(rows, 1)

        def cells(h, band):
            nxt = band[np.minimum(np.arange(band.size) + 1, band.size - 1)]
            hh = np.repeat((0.5 * (h[:, band] + h[:, nxt]))[:, None, :], rows, axis=1)
            h0 = np.repeat(h[:, :1], rows, axis=1)
            hh[1] *= w
            h0[1] *= w[:, 0]
            hh = np.concatenate([hh, np.full((1,) + hh.shape[1:], out)])
            h0 = np.vstack([h0, np.full(rows, out)])
            tot, tot0 = hh.sum(axis=0), h0.sum(axis=0)
            return (np.exp(-tot * DT), _share(hh, tot), np.exp(-tot0 * DT / 2), _share(h0, tot0))
        self.cin_stay, self.cin_frac, self.cin0_stay, self.cin0_frac = cells(r.cin, CIN_BAND)
        self.cpp_stay, self.cpp_frac, self.cpp0_stay, self.cpp0_frac = cells(r.cpp, CPP_BAND)
        tot = r.reref + out
        self.closed_stay = np.full((rows, N_CLOSED), math.exp(-tot * DT))
        self.closed_stay[:, -1] = math.exp(-tot * DT / 2)   # the window ends half-way through
        self.closed0_stay, self.reref_frac = math.exp(-tot * DT / 2), r.reref / tot if tot > 0 else 0.0
        self.new_open = np.full(rows, r.new * (1.0 - r.nfa) * DT / rows)
        self.new, self.nfa = r.new * DT, r.new * r.nfa * DT


@dataclass
class State:
    cin: np.ndarray         # [rows, N_CIN]
    cpp: np.ndarray         # [rows, N_CPP]
    closed: np.ndarray      # [rows, N_CLOSED]

    @staticmethod
    def empty(rows: int = 1):
        return State(np.zeros((rows, N_CIN)), np.zeros((rows, N_CPP)), np.zeros((rows, N_CLOSED)))

    def copy(self):
        return State(self.cin.copy(), self.cpp.copy(), self.closed.copy())


def _shift(x: np.ndarray, cap: bool) -> None:
    """Cells a month on: the last keeps its own (cap) or leaves (the closed window)."""
    if cap:
        x[:, -1] += x[:, -2]
        x[:, 1:-1] = x[:, :-2].copy()
    else:
        x[:, 1:] = x[:, :-1].copy()


def month(s: State, m: _Month) -> tuple:
    """A month's exits, its arrivals with their first half month, and the cells a month on.
    Returns the month's moves by row: out of need [to cpp, lac, closed, out], out of plans
    [step down, lac, closed, out], re-referrals."""
    q_cin = s.cin * (1.0 - m.cin_stay)
    q_cpp = s.cpp * (1.0 - m.cpp_stay)
    q_cl = s.closed * (1.0 - m.closed_stay)
    d_cin = (m.cin_frac * q_cin[None]).sum(axis=2)
    d_cpp = (m.cpp_frac * q_cpp[None]).sum(axis=2)
    reref = q_cl.sum(axis=1) * m.reref_frac
    a_cin, a_cpp, a_cl = m.new_open + d_cpp[0] + reref, d_cin[0], d_cin[2] + d_cpp[2]
    h_cin = m.cin0_frac * (a_cin * (1.0 - m.cin0_stay))          # moves in the first half month
    h_cpp = m.cpp0_frac * (a_cpp * (1.0 - m.cpp0_stay))          # (they arrive at its end)
    h_re = a_cl * (1.0 - m.closed0_stay) * m.reref_frac
    for x, q in ((s.cin, q_cin), (s.cpp, q_cpp), (s.closed, q_cl)):
        x -= q
    _shift(s.cin, True)
    _shift(s.cpp, True)
    _shift(s.closed, False)
    s.cin[:, 0] = a_cin * m.cin0_stay + h_cpp[0] + h_re
    s.cpp[:, 0] = a_cpp * m.cpp0_stay + h_cin[0]
    s.closed[:, 0] = a_cl * m.closed0_stay + h_cin[2] + h_cpp[2]
    return d_cin + h_cin, d_cpp + h_cpp, reref + h_re


def _flows(m: _Month, moves: tuple) -> np.ndarray:
    """The month's national flows in the order of FLOWS."""
    d_cin, d_cpp, re = (x.sum(axis=-1) for x in moves)
    new_open = m.new_open.sum()
    return np.array([m.new + re, re, m.nfa, new_open + re, d_cin[0], d_cpp.sum(),
                     d_cin[2] + d_cin[3] + d_cpp[2] + d_cpp[3], d_cin[1], d_cpp[1], d_cpp[0],
                     d_cin[2] + d_cpp[2]])


def _flat(s: State) -> np.ndarray:
    return np.concatenate([s.cin[0], s.cpp[0], s.closed[0]])


def _state(x: np.ndarray) -> State:
    return State(x[None, :N_CIN].copy(), x[None, N_CIN:N_CIN + N_CPP].copy(), x[None, N_CIN + N_CPP:].copy())


def equilibrium(r: Rates) -> State:
    """The state reached by holding one year's rates for ever: the fixed point x = A x + b of
    the month's map, which is affine (b: a month's arrivals into an empty pathway; column i
    of A: where a child in cell i is a month later)."""
    m = _Month(r)
    s = State.empty()
    month(s, m)
    b = _flat(s)
    n = b.size
    A = np.zeros((n, n))
    m.new_open = m.new_open * 0.0
    for i in range(n):
        e = np.zeros(n)
        e[i] = 1.0
        s = _state(e)
        month(s, m)
        A[:, i] = _flat(s)
    return _state(np.linalg.solve(np.eye(n) - A, b))


@dataclass
class Result:
    years: list
    flows: np.ndarray           # [year, len(FLOWS)]
    cin: np.ndarray             # [year] in need (not on a plan) on 31 March
    cpp: np.ndarray             # [year] on a plan on 31 March
    closed: np.ndarray          # [year] closed within the window on 31 March
    cpp_duration: np.ndarray    # [year, 5] plans by published duration band on 31 March

    def flow(self, name: str) -> np.ndarray:
        return self.flows[:, FLOWS.index(name)]


def run(rates_by_year: list, years: list, start: State | None = None) -> Result:
    """Runs the months of `years` with their rates from `start` (31 March before the first
    year), else from the equilibrium of the first year's rates."""
    n = len(years)
    res = Result(list(years), np.zeros((n, len(FLOWS))), np.zeros(n), np.zeros(n), np.zeros(n),
                 np.zeros((n, len(CPP_DURATION_CELLS))))
    s = equilibrium(rates_by_year[0]) if start is None else start.copy()
    for i, r in enumerate(rates_by_year):
        m = _Month(r)
        for _ in range(12):
            res.flows[i] += _flows(m, month(s, m))
        res.cin[i], res.cpp[i], res.closed[i] = s.cin.sum(), s.cpp.sum(), s.closed.sum()
        res.cpp_duration[i] = [s.cpp[:, a:b].sum() for a, b in CPP_DURATION_CELLS]
    return res


def run_theta(theta: np.ndarray, years: list, last_fit: int = YEARS[-1]) -> Result:
    return run([rates(theta, y, last_fit) for y in years], years)
