"""Unit costs by placement type, from published sources, for models/data/placement_costs.csv.

Costs are per child per day in pounds. Each row says its source table and its price base year:
the published figures are for different years and are not uplifted here (no price index up to
2017 is in the calibration data), so the older ones understate 2016-17 prices by the inflation
since. Later years are in real terms: the simulator applies no index (multiplier 1 for every
year after the base year).
"""
from __future__ import annotations

WEEK = 7.0
YEAR = 365.25

# (placement, cost per day, price base, source, note)
ROWS = [
    ("foster", 646.0 / WEEK, "2016-17",
     "PSSRU Unit Costs of Health and Social Care 2017 (Curtis and Burns), chapter 6, p. 86: "
     "cost per child per week in foster care, GBP 646 (boarding-out allowances, administration, "
     "social workers and support staff)", "GBP 646 a week / 7"),
    ("kinship", 646.0 / WEEK, "2016-17",
     "PSSRU Unit Costs of Health and Social Care 2017, p. 86 (as foster): the published average "
     "is over all foster placements, relatives and friends included",
     "no separate published unit cost for kinship foster care; the foster average is used"),
    ("residential", 133000.0 / YEAR, "2012-13",
     "National Audit Office, Children in care, HC 787 (27 November 2014): average spending per "
     "child in residential care GBP 131,000-135,000 a year in 2012-13",
     "mid-point GBP 133,000 a year / 365.25; 2012-13 prices, not uplifted"),
    ("placed_with_parents", 20.0, "2016-17",
     "assumption: no published unit cost found; social work time for a child placed with "
     "parents (recalled order of magnitude)", "not sourced: replace when a table is found"),
    ("independent", 140.0, "2016-17",
     "assumption: no published national unit cost for semi-independent living up to 2017 was "
     "found (recalled order of magnitude, about GBP 1,000 a week)",
     "not sourced: replace when a table is found"),
]
# In the calibration data, NAO 2012-13 foster cost (GBP 29,000-33,000 a year, same report) is a
# cross-check on PSSRU's GBP 646 a week (GBP 33,700 a year).


def rows() -> list:
    out = []
    for placement, per_day, base, source, note in ROWS:
        out.append([placement, f"{per_day:.2f}", source, f"price base {base}; {note}"])
    return out
