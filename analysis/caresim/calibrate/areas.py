"""Area multipliers for entries and exits, from each authority's children in care 2015-2017.

Each authority is one compartment driven by the national flows: over a year its stock S
decays at x * h (h: national ceased over the mean national stock that year; x: the area's exit
multiplier) and is fed at e * n * pop (n: national starts per child aged 0-17; e: the area's
entry multiplier):
    S(y) = S(y-1) exp(-x h) + e n pop (1 - exp(-x h)) / (x h).
With the 2015 stock as the starting value, the 2016 and 2017 stocks identify e (mostly from
the level) and x (mostly from the change). An authority's stock changes by chance too, so each
stock has a Poisson-like error sd sqrt(S) (at least 1), and log x has a prior N(0, EXIT_SD^2):
with only two changes per authority the exit multiplier is shrunk towards 1 unless the data
insist. Multipliers are then normalised so that the national totals are unchanged: entries
weighted by population, exits by the 2017 stock.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

EXIT_SD = 0.3          # prior spread of log exit multipliers between authorities


def load(data: Path) -> list:
    with open(Path(data) / "local_authorities.csv", newline="") as f:
        return list(csv.DictReader(f))


def fit(rows: list, starts: dict, ceased: dict, stock: dict) -> list:
    """(entry_multiplier, exit_multiplier) per authority, in file order."""
    pop_all = sum(float(r["population_0_17"]) for r in rows)
    n = {y: starts[y] / pop_all for y in (2016, 2017)}
    h = {y: ceased[y] / (0.5 * (stock[y - 1] + stock[y])) for y in (2016, 2017)}
    out = []
    for r in rows:
        pop = float(r["population_0_17"])
        s = [float(r[f"cla_31_march_{y}"]) if r[f"cla_31_march_{y}"] else None for y in (2015, 2016, 2017)]
        out.append(_fit_one(pop, s, n, h))
    e = np.array([o[0] for o in out])
    x = np.array([o[1] for o in out])
    pops = np.array([float(r["population_0_17"]) for r in rows])
    s17 = np.array([float(r["cla_31_march_2017"]) for r in rows])
    e /= (e * pops).sum() / pops.sum()
    x /= (x * s17).sum() / s17.sum()
    return list(zip(e, x))


def _fit_one(pop: float, s: list, n: dict, h: dict) -> tuple:
    if s[2] == 0 or pop <= 0:
        return (0.0, 1.0)
    known = [v for v in s if v is not None]
    s0 = s[0] if s[0] is not None else known[0]

    def step(prev, e, x, y):
        k = x * h[y]
        return prev * np.exp(-k) + e * n[y] * pop * (1 - np.exp(-k)) / k

    def resid(p):
        e, x = np.exp(p)
        r, prev = [], s0
        for y, obs in zip((2016, 2017), s[1:]):
            prev = step(prev, e, x, y)
            if obs is not None:
                r.append((prev - obs) / max(np.sqrt(obs), 1.0))
        r.append(p[1] / EXIT_SD)
        return np.array(r)

    e0 = s[2] * h[2017] / (n[2017] * pop)
    sol = least_squares(resid, [np.log(e0), 0.0], method="lm", xtol=1e-12, ftol=1e-12)
    return tuple(np.exp(sol.x))
