#!/usr/bin/python3
"""bench/peers/simpy_r1.py - reference model R1 (bench/README.md) in SimPy as
Debian 12 ships it (python3-simpy 2.3.1, the SimPy 2 API), written the way a modeller would:
one arrivals process per area, one process per child that lives through its stays.

A child in care faces two competing exponential exits (reunification 1/1500, other 1/1800 per
day: both drawn, the earlier wins). A reunified child re-enters with probability 0.3 after
Exp(mean 365 days). Events = entries + re-entries + exits up to the horizon; final stock = children
in care at the horizon.

Usage: /usr/bin/python3 simpy_r1.py [--replicates N] [--seed S] [--areas A] [--horizon DAYS]
Prints one JSON line.
"""
import random
import time

from SimPy.Simulation import Process, Simulation, hold

import peer_cli

ENTRY_RATE, REUNIFY_RATE, OTHER_RATE = 0.6, 1 / 1500, 1 / 1800
REENTRY_PROB, HOME_MEAN = 0.3, 365.0


class Counts:
    def __init__(self):
        self.events = 0
        self.in_care = 0


class Child(Process):
    def life(self, counts, rng):
        while True:
            counts.events += 1                      # entry or re-entry
            counts.in_care += 1
            to_home = rng.expovariate(REUNIFY_RATE)
            to_other = rng.expovariate(OTHER_RATE)
            yield hold, self, min(to_home, to_other)
            counts.events += 1                      # exit
            counts.in_care -= 1
            if to_other <= to_home or rng.random() >= REENTRY_PROB:
                return                              # other exit, or reunified for good
            yield hold, self, rng.expovariate(1 / HOME_MEAN)


class Arrivals(Process):
    def run(self, counts, rng):
        while True:
            yield hold, self, rng.expovariate(ENTRY_RATE)
            child = Child(name="child", sim=self.sim)
            self.sim.activate(child, child.life(counts, rng))


def replicate(areas, horizon, rng):
    sim = Simulation()
    counts = Counts()
    for a in range(areas):
        arr = Arrivals(name="area %d" % a, sim=sim)
        sim.activate(arr, arr.run(counts, rng))
    sim.simulate(until=horizon)
    return counts.events, counts.in_care


def main():
    args = peer_cli.parse(__doc__)
    t0 = time.perf_counter()
    runs = [replicate(args.areas, args.horizon, random.Random(args.seed * 1000003 + i))
            for i in range(args.replicates)]
    wall = time.perf_counter() - t0
    peer_cli.report("simpy", [e for e, _ in runs], [s for _, s in runs], wall)


if __name__ == "__main__":
    main()
