"""Test helper: simulate SSDA903-style episodes with known constant hazards.

Children enter care uniformly over [start, extract) at a uniform age in [0, 17.5) years. In
care each faces constant competing exit hazards (per year) and, independently, placement
moves at a constant rate (a move changes placement type: a new episode with RNE "P") and legal
status changes (a new episode with RNE "L", same placement, which is no move). A child still in
care at 6574 days of age leaves at 18 (REC E17); a child still in care at the extract date has
an open last episode. A child returned home may re-enter (a new period of care, RNE "S") at a
constant rate until the follow-up window ends.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

CODES = {"home": "E4A", "adopted": "E11", "sgo_cao": "E44", "independent_living": "E5",
         "other": "E8"}
PLACEMENT_TYPES = ["U1", "U4", "R1", "P1", "H5"]
YEAR = 365.25
AGE_OUT = 6574.0


def simulate(n_children: int, exit_rates: dict, move_rate: float, legal_rate: float = 0.3,
             reentry_rate: float = 0.0, follow_up_days: float = 730.5,
             start="2010-04-01", extract="2020-03-31", seed: int = 20240117) -> pd.DataFrame:
    """An episode table (caresim.episodes.COLUMNS) of `n_children` children."""
    rng = np.random.default_rng(seed)
    t0 = np.datetime64(start, "D").astype(np.int64)
    t1 = np.datetime64(extract, "D").astype(np.int64)
    reasons = list(exit_rates)
    rates = np.array([exit_rates[k] for k in reasons]) / YEAR      # per day
    total = rates.sum()
    rows = []

    def day(x):
        return np.datetime64(int(np.floor(x)), "D")

    for child in range(n_children):
        entry = rng.uniform(t0, t1)
        birth = entry - rng.uniform(0, 17.5) * YEAR
        sex = "1" if rng.random() < 0.55 else "2"
        cid = f"C{child:06d}"
        while entry < t1:
            stay = rng.exponential(1 / total)
            leave = entry + stay
            reason = reasons[rng.choice(len(reasons), p=rates / total)]
            if leave >= birth + AGE_OUT:
                leave, reason = birth + AGE_OUT, "aged_out"
            # changes within the period: moves and legal-status changes, Poisson processes
            changes = []
            for rate, kind in ((move_rate / YEAR, "P"), (legal_rate / YEAR, "L")):
                t = entry
                while rate > 0:
                    t += rng.exponential(1 / rate)
                    if t >= min(leave, t1):
                        break
                    changes.append((t, kind))
            changes.sort()
            placement = rng.choice(PLACEMENT_TYPES)
            ep_start, rne = entry, "S"
            for t, kind in changes:
                rows.append([cid, day(birth), sex, day(ep_start), rne, placement, day(t), "X1"])
                if kind == "P":
                    placement = rng.choice([p for p in PLACEMENT_TYPES if p != placement])
                ep_start, rne = t, kind
            if leave >= t1:          # still in care at the extract date
                rows.append([cid, day(birth), sex, day(ep_start), rne, placement, None, ""])
                break
            code = "E17" if reason == "aged_out" else CODES[reason]
            rows.append([cid, day(birth), sex, day(ep_start), rne, placement, day(leave), code])
            if reason != "home" or reentry_rate <= 0:
                break
            back = leave + rng.exponential(YEAR / reentry_rate)
            if back > leave + follow_up_days or back >= birth + AGE_OUT:
                break
            entry = back
    cols = ["child_id", "date_of_birth", "sex", "episode_start", "reason_new_episode",
            "placement_type", "episode_end", "reason_episode_ceased"]
    return pd.DataFrame(rows, columns=cols)
