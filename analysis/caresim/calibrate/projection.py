"""Projection rules: how the fitted rates go on after the last fitted year.

The fitted rates are log-linear in calendar year (params.py): first entries by age band with a
slope each, exit hazards by reason with a slope each (the slope after KNOT_YEAR where it was
fitted). A rule says how much of each slope is carried on, by damping factors phi in [0, 1]:
h years after the last fitted year T, a log-rate moves by slope x (phi + phi^2 + ... + phi^h).
phi = 0 holds the rate at T ("held"); phi = 1 continues the straight line ("trend"); in
between the trend fades and the rate settles at slope x phi / (1 - phi) from T's level (a
damped trend, as in Gardner and McKenzie's damped-trend exponential smoothing). Entries,
exits and the entries of unaccompanied asylum-seeking children (UASC) have a factor each; UASC
entries continue the log-linear slope of their fitted entries over the last UASC_SLOPE_YEARS
fitted years.

Which rule the baseline uses is chosen by the back-test (backtest.py: several origins, each fit
on the years up to it, scored on the years after it up to 2017), not by judgement, among the
candidates RULES. The candidates are damped (phi < 1) or held: a back-test window is 3-4 years
long while the baseline runs 13, and an undamped trend's error grows without bound beyond what
any window can check (UASC entries rose 27% a year over 2014-2017; continued, they would be
33 times as many by 2030). The undamped `trend` is still scored, for reference.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PHIS = (0.0, 0.5, 0.8)          # the candidates' damping factors
UASC_SLOPE_YEARS = 4


@dataclass(frozen=True)
class Rule:
    entry_phi: float
    exit_phi: float
    uasc_phi: float

    @property
    def name(self) -> str:
        if self.entry_phi == self.exit_phi == self.uasc_phi == 0:
            return "held"
        if self.entry_phi == self.exit_phi == self.uasc_phi == 1:
            return "trend"
        return f"entry{self.entry_phi:g}_exit{self.exit_phi:g}_uasc{self.uasc_phi:g}"


HELD = Rule(0.0, 0.0, 0.0)
TREND = Rule(1.0, 1.0, 1.0)
RULES = tuple(Rule(e, x, u) for e in PHIS for x in PHIS for u in PHIS)


def damped_years(phi: float, h: float) -> float:
    """phi + phi^2 + ... + phi^h: how many years of slope a rule carries on after h years."""
    if h <= 0:
        return 0.0
    if phi == 1.0:
        return float(h)
    return phi * (1.0 - phi ** h) / (1.0 - phi)


def effective_year(phi: float, year: float, last_fit: int) -> float:
    """The calendar year whose fitted (straight-line) rate a rule uses in `year`."""
    return year if year <= last_fit else last_fit + damped_years(phi, year - last_fit)


def uasc_slope(entries: dict, last_fit: int) -> float:
    """Least-squares slope of log UASC entries over the last UASC_SLOPE_YEARS fitted years."""
    ys = [y for y in sorted(entries) if last_fit - UASC_SLOPE_YEARS < y <= last_fit]
    if len(ys) < 2:
        return 0.0
    return float(np.polyfit(np.array(ys, float), np.log([entries[y] for y in ys]), 1)[0])


def uasc_entries(entries: dict, last_fit: int, years: list, rule: Rule) -> dict:
    """UASC entries per year: fitted up to last_fit, then the rule's continuation."""
    first, last = min(entries), max(k for k in entries if k <= last_fit)
    slope = uasc_slope(entries, last_fit)
    out = {}
    for y in years:
        if y <= last:
            out[y] = entries[max(y, first)]
        else:
            out[y] = entries[last] * float(np.exp(slope * (effective_year(rule.uasc_phi, y, last) - last)))
    return out
