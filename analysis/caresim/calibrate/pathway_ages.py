"""The pathway's forward equations with single months of age, for its tables.

The fit (pathway_model.py) needs national numbers only and carries no ages: the simulator's
pathway hazards are the same in every age band, except the hazards into care, which the
tables weight by age band (pathway_tables.py) so that entries to care through the pathway
have the age pattern of all first entries. Those weights change which children leave, so the
children in need by age, and the entries to care by age, are computed here: the same month as
pathway_model.month with an age axis (months 0-215; new referrals spread evenly over ages, as
the simulator's referral rate is the same in every band and its population is even within
each band of whole years), the 18th birthday ending the pathway exactly instead of
pathway_model.AGE_OUT. Everyone leaves by 18, so 18 years of a year's rates from an empty
pathway reach that year's equilibrium exactly.
"""
from __future__ import annotations

import numpy as np

from . import pathway_model as pm
from .forward import AGE_BAND, AGE_ONEHOT, N_AGE


def _age(s: pm.State) -> None:
    """Everyone a month older; at 18 the pathway ends."""
    for x in (s.cin, s.cpp, s.closed):
        x[1:] = x[:-1].copy()
        x[0] = 0.0


def empty() -> pm.State:
    return pm.State.empty(N_AGE)


def run(rates: list, w, start: pm.State | None = None) -> tuple:
    """Runs a year of months per entry of `rates` from `start` (else the equilibrium of the
    first year's rates); w: [5] weights by age band on the hazards into care. Returns the last
    state, [year, N_AGE] entries to care by month of age at entry (`by_band` sums them into
    the 5 bands) and [year, 3] children in need, on plans and closed on 31 March."""
    def month_of(r):
        return pm._Month(r, np.asarray(w)[AGE_BAND], 0.0, N_AGE)
    s = empty()
    if start is None:
        m = month_of(rates[0])
        for _ in range(N_AGE):
            pm.month(s, m)
            _age(s)
    else:
        s = pm.State(start.cin.copy(), start.cpp.copy(), start.closed.copy())
    lac, stock = np.zeros((len(rates), N_AGE)), np.zeros((len(rates), 3))
    for i, r in enumerate(rates):
        m = month_of(r)
        acc = np.zeros(N_AGE)
        for _ in range(12):
            d_cin, d_cpp, _ = pm.month(s, m)
            acc += d_cin[1] + d_cpp[1]
            _age(s)
        lac[i] = acc
        stock[i] = s.cin.sum(), s.cpp.sum(), s.closed.sum()
    return s, lac, stock



def by_band(lac: np.ndarray) -> np.ndarray:
    """[..., 5] of entries to care by month of age [..., N_AGE]."""
    return lac @ AGE_ONEHOT.T
