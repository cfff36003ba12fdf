"""Expected values of the care model from its forward (Kolmogorov) equations.

The simulator draws each child's transitions from piecewise-constant hazards by age band x
time-in-care band. Here the same hazards move *expected numbers* of children through a grid of
single months of age (0-215) x months in care (0-59, then 60+), one calendar month at a time,
so that the whole-month steps meet the simulator's continuous ages and times in care without a
half-month lag. Entrants arrive in the middle of their month (the simulator spreads them over
it) and are at risk for half of it. A cell of age a months holds children a months old at the
start of the month (entrants of month of age m are m + 1/2 months old on arrival, the mean of
the simulator's interval [m, m + 1), tables.entry_ages), so age bands change on whole months; a
cell of d months in care holds children in care d - 1/2 months then, so a time-in-care band edge
(3, 6, 12, 24, 60 months) falls in the middle of its cell's month, which takes the two bands'
hazards half and half (DUR_WEIGHT). Within a cell's month the hazards are constant, and the
month's exits and their split by reason are the competing-risks probabilities for a child present
all month. (Entrants at the start of their month, at risk from the band edges' whole months,
gave every entrant half a month more in care than the simulator's, and over-counted by about a
fifth the adoptions of babies, adopted after six months in care and before their first birthday.)
The same holds for ages on 31 March: the simulator's children of a cell of age a months are
a - 1 to a + 1 months old (entrants of month of age m are m to m + 1 months old on arrival, at
any time in their month), so a cell at an age-band edge (1, 5, 10, 16 years) counts half in each
band (STOCK_W), and half of those who leave at 18 on the year's last month boundary are still
17 on 31 March in the simulator: they count in the 16-17 stock, and their 18th birthdays in
the next year (`Result.out_last`; otherwise a year's entrants, who have no such half from the
year before, had about 8% more 18th birthdays in the model than in the simulator, and the
simulator's under-1 stock was half a month of age above the model's).
A second grid holds children returned home (months since the return, 0-23), who re-enter at the
re-entry hazard until the two-year follow-up ends. Unaccompanied asylum-seeking children (UASC)
are a separate stream: `uasc.py`.

The first year starts from the equilibrium of its own rates (`equilibrium`), so a run from 1994
carries the age and time-in-care mix of children who entered before it. `run(rates, years)`
returns per year ending 31 March the stock on 31 March by age band, entries by age band (first
entries and re-entries: DfE counts both as starts), exits by transition, 18th birthdays in care
and leavers' total time in care; and the grids on the last 31 March, from which the
simulator's initial stock is made. No state is kept between calls.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DT = 1.0 / 12.0                       # one month, in years
MONTH_DAYS = 365.25 / 12.0
N_AGE = 216                           # months of age 0..215; the 18th birthday ends care
N_DUR = 61                            # months in care 0..59, then 60+ (index 60)
N_HOME = 24                           # months since a return home: the 2-year follow-up window
AGE_BAND_EDGES_Y = (0, 1, 5, 10, 16, 18)
DUR_BAND_EDGES_M = (0, 3, 6, 12, 24, 60)    # simulator: 0, 91, 182, 365, 730, 1826 days
EXITS = ("home", "adopted", "sgo_cao", "independent_living", "other")

AGE_BAND = np.searchsorted(np.array(AGE_BAND_EDGES_Y[1:]) * 12, np.arange(N_AGE), side="right")
DUR_BAND = np.searchsorted(np.array(DUR_BAND_EDGES_M[1:]), np.arange(N_DUR), side="right")
# Mean months in care of a leaver from a cell < 60 (in care d - 1/2 to d + 1/2 months in the
# month; entrants, cell 0, for its second half), and of one aged out at the month's end.
DUR_MID_M = np.arange(N_DUR - 1, dtype=float)
DUR_MID_M[0] = 0.25
DUR_END_M = np.arange(N_DUR - 1) + 0.5
# Months in care at the end of a month (on 31 March) by column: d - 1/2; the 60+ column holds
# children from 59.5 months on, nearly all past 60.
SNAP_TIC_M = np.arange(N_DUR) - 0.5
SNAP_TIC_M[-1] = N_DUR - 1
AGE_ONEHOT = (AGE_BAND[None, :] == np.arange(5)[:, None]).astype(float)    # [5, N_AGE]
DUR_ONEHOT = (DUR_BAND[:, None] == np.arange(6)[None, :]).astype(float)    # [N_DUR, 6]
# Each month's weight on the time-in-care bands: a column's children are in care from d - 1/2 to
# d + 1/2 months during its month, so a band edge at d months splits that month half and half.
# (The 60+ column holds everyone from 59.5 months on: it takes the last band.)


def age_weights(edges_m) -> np.ndarray:
    """[len(edges_m) - 1, edges_m[-1] + 1]: each cell's share of the children of continuous
    ages [edges_m[b], edges_m[b + 1]) months on 31 March: a cell at an edge counts half in each
    side (the first cell of the first interval whole). The last cell: those who left at 18 on
    the last month boundary (`snapshot`)."""
    a = np.arange(edges_m[-1] + 1)
    w = np.zeros((len(edges_m) - 1, edges_m[-1] + 1))
    for b, (lo, hi) in enumerate(zip(edges_m[:-1], edges_m[1:])):
        w[b] = ((a > lo) & (a < hi)) + 0.5 * ((a == lo) & (lo > edges_m[0])) + 1.0 * ((a == lo) & (lo == edges_m[0])) \
            + 0.5 * (a == hi)
    return w


STOCK_W = age_weights([12 * y for y in AGE_BAND_EDGES_Y])      # [5, N_AGE + 1]
DUR_WEIGHT = DUR_ONEHOT.copy()
for _e in DUR_BAND_EDGES_M[1:-1]:
    DUR_WEIGHT[_e, :] = 0.0
    DUR_WEIGHT[_e, DUR_BAND[_e] - 1:DUR_BAND[_e] + 1] = 0.5


@dataclass
class YearRates:
    """What the model needs for one year ending 31 March (all per year)."""
    entries: np.ndarray        # [N_AGE] first entries by month of age
    hazards: np.ndarray        # [len(EXITS), 5 age bands, 6 time-in-care bands]
    reentry: np.ndarray        # [5 age bands] re-entry hazard at home


@dataclass
class Result:
    years: list
    stock_age: np.ndarray      # [year, 5] on 31 March
    entries_age: np.ndarray    # [year, 5] first entries and re-entries
    reentries: np.ndarray      # [year]
    exits: np.ndarray          # [year, len(EXITS)]
    aged_out: np.ndarray       # [year] 18th birthdays in care
    leaver_days: np.ndarray    # [year] total days in care of all leavers (aged out included)
    grid: np.ndarray = None    # [N_AGE, N_DUR] children in care on the last 31 March
    cap_days: np.ndarray = None   # [N_AGE] their total days in care in the 60+ column
    home: np.ndarray = None    # [N_AGE, N_HOME] children at home within the window
    exits_age: np.ndarray = None  # [year, len(EXITS), 5 age bands]
    out_last: np.ndarray = None   # [N_DUR] left at 18 on the last month boundary, by column
    out_last_days: float = 0.0    # their total days in care


def snapshot(res: Result) -> np.ndarray:
    """[N_AGE + 1, N_DUR]: the grid on the last 31 March and, as age N_AGE, those who left at
    18 on that day's month boundary (half of them are 17 on 31 March in continuous time)."""
    return np.vstack([res.grid, res.out_last[None, :]])


class _Month:
    """A year's monthly factors. A cell's exit probability in a month is 1 - exp(-total
    hazard); the reasons share it in proportion to their hazards: its age band's, at its
    month's weights on the time-in-care bands (DUR_WEIGHT)."""

    def __init__(self, rates: YearRates):
        h = rates.hazards[:, AGE_BAND] @ DUR_WEIGHT.T        # [reason, N_AGE, N_DUR]
        tot = h.sum(axis=0)
        self.frac = np.divide(h, tot, out=np.zeros_like(h), where=tot > 0)
        self.stay = np.exp(-tot * DT)
        self.leave = 1.0 - self.stay
        self.leave_new = 1.0 - np.exp(-tot[:, 0] * DT / 2)   # entrants: half a month
        self.home_frac = self.frac[0]
        self.home_stay = np.exp(-rates.reentry[AGE_BAND] * DT)
        self.home_leave = (1.0 - self.home_stay)[:, None]
        self.entries = rates.entries * DT


class _Year:
    """A year's flows, summed month by month and split into categories once at the end."""

    def __init__(self):
        self.new = np.zeros(N_AGE)
        self.re = np.zeros(N_AGE)
        self.q = np.zeros((N_AGE, N_DUR))
        self.cap_days = 0.0          # months in care of leavers from 60+ and at 18
        self.aged_out = 0.0

    def close(self, m: _Month, res: Result, i: int) -> None:
        res.entries_age[i] = AGE_ONEHOT @ self.new
        res.reentries[i] = self.re.sum()
        res.exits_age[i] = np.einsum("ad,rad,ba->rb", self.q, m.frac, AGE_ONEHOT)
        res.exits[i] = res.exits_age[i].sum(axis=1)
        res.aged_out[i] = self.aged_out
        res.leaver_days[i] = ((self.q[:, :-1] @ DUR_MID_M).sum() + self.cap_days) * MONTH_DAYS


class _State:
    """Expected children in each cell at the end of a month."""

    def __init__(self):
        self.lac = np.zeros((N_AGE, N_DUR))
        self.cap_t = np.zeros(N_AGE)         # total months in care of the 60+ column, by age
        self.home = np.zeros((N_AGE, N_HOME))
        self.out = np.zeros(N_DUR)           # left at 18 on the last month boundary, by column
        self.out_days = 0.0                  # their months in care

    def month(self, m: _Month, acc: _Year) -> None:
        """Entries and re-entries arrive, exits happen, everyone ages a month."""
        re = self.home * m.home_leave
        self.home -= re
        re_age = re.sum(axis=1)
        new = m.entries + re_age
        acc.new += new
        acc.re += re_age
        q = self.lac * m.leave                    # leaving this month, by cell
        q[:, 0] = new * m.leave_new               # column 0 is empty until the entrants arrive
        self.lac[:, 0] = new
        acc.q += q
        cap = self.lac[:, -1]
        cap_mean = np.divide(self.cap_t, cap, out=np.zeros(N_AGE), where=cap > 0)
        acc.cap_days += q[:, -1] @ (cap_mean + 0.5)
        self.lac -= q
        self.cap_t *= m.stay[:, -1]
        home_in = (q * m.home_frac).sum(axis=1)
        # a month passes; those in care on their 18th birthday leave (aged out)
        out = self.lac[-1]
        self.out, self.out_days = out.copy(), out[:-1] @ DUR_END_M + self.cap_t[-1] + out[-1]
        acc.aged_out += out.sum()
        acc.cap_days += self.out_days
        self.cap_t[1:] = self.cap_t[:-1] + self.lac[:-1, -1] + self.lac[:-1, -2] * (N_DUR - 1.5)
        self.cap_t[0] = 0.0
        stay60 = self.lac[:-1, -1].copy()
        self.lac[1:, 1:] = self.lac[:-1, :-1]
        self.lac[1:, -1] += stay60
        self.lac[0] = 0.0
        self.lac[:, 0] = 0.0
        self.home[1:, 1:] = self.home[:-1, :-1]
        self.home[1:, 0] = home_in[:-1]
        self.home[0] = 0.0


def equilibrium(rates: YearRates, sweeps: int = 4) -> _State:
    """The end-of-month state reached by holding `rates` for ever: each diagonal (an entry
    cohort) is its entries times the product of the monthly stays along it; re-entries, which
    feed the entries back, are found by fixed-point sweeps (they are a small share)."""
    m = _Month(rates)
    s = _State()
    entries = m.entries.copy()
    a0 = np.arange(N_AGE)
    for _ in range(sweeps):
        lac = np.zeros((N_AGE, N_DUR))
        cap_t = np.zeros(N_AGE)
        home_in = np.zeros(N_AGE)
        out, out_days = np.zeros(N_DUR), 0.0
        alive = entries.copy()                  # entrants of age a0, start of month
        for d in range(N_AGE):
            age = a0 + d
            ok = age < N_AGE
            col = min(d, N_DUR - 1)
            cell = np.where(ok, alive, 0.0)
            stay = np.where(ok, m.stay[np.minimum(age, N_AGE - 1), col] if d else 1.0 - m.leave_new, 0.0)
            q = cell * (1.0 - stay)
            home_in[age[ok]] += q[ok] * m.home_frac[age[ok], col]
            alive = cell * stay                 # survivors: age a0+d+1, d+1 months in care
            nxt = age + 1
            ok2 = nxt < N_AGE
            c2 = min(d + 1, N_DUR - 1)
            lac[nxt[ok2], c2] += alive[ok2]
            if d + 1 >= N_DUR - 1:
                cap_t[nxt[ok2]] += alive[ok2] * (d + 0.5)
            gone = alive[nxt == N_AGE].sum()         # 18 on the month boundary
            out[col] += gone
            out_days += gone * (d + 0.5)
            if not alive.any():
                break
        home = np.zeros((N_AGE, N_HOME))
        stay_h = m.home_stay
        for k in range(N_HOME):
            if k == 0:
                home[1:, 0] = home_in[:-1]
            else:
                home[k + 1:, k] = home[k:-1, k - 1] * stay_h[k:-1]
        re = (home * (1.0 - stay_h)[:, None]).sum(axis=1)
        entries = m.entries + re
    s.lac, s.cap_t, s.home, s.out, s.out_days = lac, cap_t, home, out, out_days
    return s


def run(rates_by_year: list, years: list, start: Result | None = None) -> Result:
    """Runs the months of `years` (consecutive years ending 31 March) with their rates,
    starting from the equilibrium of the first year's rates, or from `start`'s children on its
    last 31 March (grid, home, cap_days, out_last, out_last_days; zeros: nobody). A year's 18th
    birthdays are those on its month boundaries, less half of those on its last and plus half
    of those on the year before's (continuous time: see the module's note)."""
    n = len(years)
    res = Result(list(years), np.zeros((n, 5)), np.zeros((n, 5)), np.zeros(n),
                 np.zeros((n, len(EXITS))), np.zeros(n), np.zeros(n), exits_age=np.zeros((n, len(EXITS), 5)))
    if start is None:
        s = equilibrium(rates_by_year[0])
    else:
        s = _State()
        s.lac, s.home, s.cap_t = start.grid.copy(), start.home.copy(), start.cap_days / MONTH_DAYS
        s.out, s.out_days = start.out_last.copy(), start.out_last_days / MONTH_DAYS
    for i, rates in enumerate(rates_by_year):
        m = _Month(rates)
        acc = _Year()
        before, before_days = s.out.sum(), s.out_days
        for _ in range(12):
            s.month(m, acc)
        acc.close(m, res, i)
        res.aged_out[i] += 0.5 * (before - s.out.sum())
        res.leaver_days[i] += 0.5 * (before_days - s.out_days) * MONTH_DAYS
        res.stock_age[i] = STOCK_W @ np.append(s.lac.sum(axis=1), s.out.sum())
    res.grid, res.home = s.lac, s.home
    res.cap_days = s.cap_t * MONTH_DAYS
    res.out_last, res.out_last_days = s.out, s.out_days * MONTH_DAYS
    return res
