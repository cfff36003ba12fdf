"""Command line and result line shared by the Python peers of R1 (standard library only):
the same flags as the C kernel, and one JSON line with the same keys."""
import argparse
import json
import statistics


def parse(doc):
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicates", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--areas", type=int, default=150)
    ap.add_argument("--horizon", type=float, default=3650)
    return ap.parse_args()


def report(engine, events, stocks, wall):
    """Prints the result line: events and final stock per replicate, wall time of the simulation."""
    ev, st = [float(e) for e in events], [float(s) for s in stocks]
    n = len(ev)
    print(json.dumps({"engine": engine, "replicates": n, "events_total": int(sum(ev)),
                      "events_per_replicate_mean": statistics.fmean(ev), "final_stock_mean": statistics.fmean(st),
                      "final_stock_sd": statistics.stdev(st) if n > 1 else 0.0,
                      "events_sd": statistics.stdev(ev) if n > 1 else 0.0,
                      "wall_s": wall, "events_per_s": sum(ev) / wall if wall > 0 else 0.0}))
