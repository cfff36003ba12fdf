#!/usr/bin/python3
"""bench/peers/numpy_r1.py - reference model R1 (bench/README.md) vectorised
with numpy: no event queue at all, since R1's children never interact.

Per replicate: each area's entries are a Poisson process, so draw the count per area and the
times uniformly on [0, T]. Every stay (first entry or re-entry) gets an Exp(M) length and a reason
(reunification with probability (1/1500)/M, else other exit), drawn for the whole batch at once.
Stays ending after T are the final stock. Reunified children re-enter with probability 0.3 after
Exp(mean 365 days); those re-entering before T form the next generation of stays, until none do.
Events = entries + re-entries + exits up to T.

Usage: numpy_r1.py [--replicates N] [--seed S] [--areas A] [--horizon DAYS]; prints one JSON line.
"""
import time

import numpy as np

import peer_cli

LAM, A_REUN, B_OTHER = 0.6, 1 / 1500, 1 / 1800
HOME_MEAN, P_REENTRY = 365.0, 0.3


def replicate(rng, areas, T):
    M = A_REUN + B_OTHER
    n_entries = rng.poisson(LAM * T, size=areas)          # per area (only totals are reported)
    start = rng.uniform(0.0, T, size=int(n_entries.sum()))
    events, stock = start.size, 0                         # entries count as events
    while start.size:
        end = start + rng.exponential(1 / M, size=start.size)
        exited = end <= T
        stock += start.size - int(exited.sum())
        events += int(exited.sum())
        reunified = end[exited & (rng.random(start.size) < A_REUN / M)]
        back = reunified[rng.random(reunified.size) < P_REENTRY]
        start = back + rng.exponential(HOME_MEAN, size=back.size)
        start = start[start <= T]
        events += start.size                              # re-entries
    return events, stock


def main():
    args = peer_cli.parse(__doc__)
    rngs = [np.random.default_rng([args.seed, i]) for i in range(args.replicates)]
    t0 = time.perf_counter()
    res = [replicate(rng, args.areas, args.horizon) for rng in rngs]
    wall = time.perf_counter() - t0
    peer_cli.report("numpy", [e for e, _ in res], [s for _, s in res], wall)


if __name__ == "__main__":
    main()
