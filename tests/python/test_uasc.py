"""Unaccompanied asylum-seeking children (tables.uasc, docs/scenarios.md) alone: the engine
identity scenario tests/data/engines/uasc.yaml with no other entries and no initial stock, run
for its first calendar step (one year at 3,400 entries a year in England; ages 14-17 with shares
0.1, 0.2, 0.4, 0.3; placements foster 0.2, residential 0.5, independent 0.3; exit hazard 0.1 a
year), for Kent alone (--areas: its national share of the areas' population aged 16-17).
Tolerances are 4 standard errors of the Poisson or binomial count checked, stated with each
check; the seed is fixed by the file."""
import csv
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SCEN = ROOT / "tests" / "data" / "engines" / "uasc.yaml"
AREAS = ROOT / "models" / "data" / "areas_england.csv"
KENT, REPS, PER_YEAR, HAZARD = "E10000016", 40, 3400.0, 0.1


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def test_uasc_stream_alone(tmp_path):
    scen = tmp_path / "only.yaml"
    scen.write_text(f"extends: {SCEN}\nname: uasc_only\nburn_in: 0d\nhorizon: 1y\n"
                    "initial_stock: none\nadjust:\n  entry_rates: 0\n")
    out = tmp_path / "only.h5"
    subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", str(REPS), "--areas", KENT,
                    "--engine", "case"], check=True)
    rows = list(csv.DictReader(open(AREAS)))
    share = float(next(r for r in rows if r["code"] == KENT)["pop_16_17"]) / sum(float(r["pop_16_17"]) for r in rows)
    with h5py.File(out, "r") as f:
        tr, ages, pl = labels(f, "transition"), labels(f, "age_band"), labels(f, "placement")
        uflow = f["uasc_flow"][0, :, 1, 0].sum(axis=0)          # [transition, age band]
        # every child is UASC: the UASC series are the whole counts
        assert (f["uasc_flow"][...] == f["flow"][...]).all()
        assert (f["uasc_stock"][0, :, :, 0] == f["stock"][0, :, :, 0, labels(f, "state").index("lac")]).all()
        # entries: Poisson with mean REPS x 3,400 x Kent's share (one year); 4 sqrt(mean)
        entries, mean = float(uflow[tr.index("entry")].sum()), REPS * PER_YEAR * share
        assert abs(entries - mean) < 4 * np.sqrt(mean), (entries, mean)
        # entrants aged 14-15 (band 10_15): binomial, p = 0.1 + 0.2
        young = float(uflow[tr.index("entry"), ages.index("10_15")])
        assert abs(young / entries - 0.3) < 4 * np.sqrt(0.3 * 0.7 / entries), (young, entries)
        # placements at the year's end (no moves): binomial for each type, 4 se
        place = f["placements"][0, :, 1, 0].sum(axis=(0, 2))
        n = place.sum()
        for p, want in (("foster", 0.2), ("kinship", 0.0), ("residential", 0.5), ("placed_with_parents", 0.0),
                        ("independent", 0.3)):
            got = place[pl.index(p)] / n
            assert abs(got - want) <= 4 * np.sqrt(want * (1 - want) / n), (p, got, want)
        # exits `other` over child-days estimate the hazard, relative se 1 / sqrt(exits): 4 se
        other, days = float(uflow[tr.index("other")].sum()), float(f["days_in_care"][0, :, 1].sum())
        assert abs(other / days * 365.25 / HAZARD - 1) < 4 / np.sqrt(other), (other, days)
        for t in ("home", "adopted", "sgo_cao", "independent_living", "placement_move"):
            assert uflow[tr.index(t)].sum() == 0, t


RULES = ROOT / "tests" / "data" / "engines" / "uasc_rules.yaml"
# uasc_rules.csv: UASC entries a year in the year ending 31 March 2018, then 2019, by rule; and
# the share of entrants aged 14-15 in the first year
RULE_ENTRIES = {0: (1000.0, 4000.0), 1: (4000.0, 1000.0)}
RULE_YOUNG = {0: 0.3, 1: 0.5}


def test_uasc_follows_the_drawn_rule(tmp_path):
    """tables.uasc with per-rule blocks: each replicate's UASC follow the rule it drew, the same
    draw as tables.rate_trend's blocks. Rule 1's rate_trend block has no ordinary entries and
    rule 0's the fitted ones (hundreds a year in Kent: P(none) < 1e-100), so a replicate's
    ordinary entries tell its rule; its UASC entries must then follow that rule's block. Per rule
    and year, entries summed over its replicates are Poisson with mean (replicates) x (entries a
    year) x Kent's share: 4 standard errors, sqrt(mean); the share aged 14-15 in the first year
    is binomial: 4 standard errors."""
    scen = tmp_path / "rules.yaml"
    scen.write_text(f"extends: {RULES}\nname: uasc_rules_only\nburn_in: 0d\nhorizon: 2y\ninitial_stock: none\n")
    out = tmp_path / "rules.h5"
    subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", str(REPS), "--areas", KENT,
                    "--engine", "case"], check=True)
    rows = list(csv.DictReader(open(AREAS)))
    share = float(next(r for r in rows if r["code"] == KENT)["pop_16_17"]) / sum(float(r["pop_16_17"]) for r in rows)
    with h5py.File(out, "r") as f:
        tr, ages = labels(f, "transition"), labels(f, "age_band")
        e = tr.index("entry")
        uasc = f["uasc_flow"][0, :, 1:, 0, e]            # [replicate, year, age band]
        ordinary = f["flow"][0, :, 1:, 0, e].sum(axis=-1) - uasc.sum(axis=-1)
    rule = np.where(ordinary.sum(axis=1) > 0, 0, 1)
    assert (ordinary[rule == 1] == 0).all()
    for k, per_year in RULE_ENTRIES.items():
        n = int((rule == k).sum())
        assert n > 0, f"no replicate drew rule {k}"   # P = 2^-40 with 2 of 4 draws each
        for y, rate in enumerate(per_year):
            got, mean = float(uasc[rule == k, y].sum()), n * rate * share
            assert abs(got - mean) < 4 * np.sqrt(mean), (k, y, got, mean)
        first = uasc[rule == k, 0].sum(axis=0)
        p, tot = RULE_YOUNG[k], float(first.sum())
        young = float(first[ages.index("10_15")])
        assert abs(young / tot - p) < 4 * np.sqrt(p * (1 - p) / tot), (k, young, tot)


def expected_aged_out(tb0, tb1, shares, horizon_days):
    """P(a UASC child of the initial stock in band 16_17 with days in care uniform on
    [tb0, min(tb1, 4 years)) turns 18 within horizon_days), when its age at entry follows the
    entry-age shares (uniform within each year of age) among the ages that put it in 16-17 at
    the start (care_uasc.h). Integrated over days in care on a fine grid (midpoint rule)."""
    y = 365.25
    t1 = min(tb1, 4 * y)
    tics = tb0 + (np.arange(20000) + 0.5) * (t1 - tb0) / 20000
    inside, old = np.zeros_like(tics), np.zeros_like(tics)
    for j, w in enumerate(shares):
        lo, hi = (14 + j) * y, (15 + j) * y
        a = np.maximum(lo, 16 * y - tics)     # entry ages that land the child in 16-17
        b = np.minimum(hi, 18 * y - tics)
        inside += w * np.clip(b - a, 0, None)
        a = np.maximum(a, 18 * y - horizon_days - tics)   # ... and turn 18 within the horizon
        old += w * np.clip(b - a, 0, None)
    return float(np.mean(old / inside))


def test_uasc_initial_ages_follow_the_entry_ages(tmp_path):
    """UASC of the initial stock take the stream's ages at entry: with no exit but ageing out,
    the children who leave in the first year are those aged 17 and over at the start. Two groups
    in Kent, 1,500 children each, in care under 91 days and 730 days or more; over REPS
    replicates each group's leavers are binomial with the integrated probability: 4 standard
    errors. Ages uniform within 16-17 (the former draw) give 0.5 for the long-stay group, far
    outside (its expected share is about 0.89)."""
    shares = (0.1, 0.2, 0.4, 0.3)
    table = tmp_path / "uasc.csv"
    table.write_text("from_date,entries_per_year,age_14,age_15,age_16,age_17,foster,kinship,residential,"
                     "placed_with_parents,independent,male_share,other_per_year,source,note\n"
                     "2016-03-31,0,0.1,0.2,0.4,0.3,0.2,0,0.5,0,0.3,0.9,0,test values,no arrivals; no exit but at 18\n")
    reps, n = 8, 1500
    groups = {"short": (0, 91), "long": (730, float("inf"))}
    for name, (tb0, tb1) in groups.items():
        stock = tmp_path / f"{name}.csv"
        stock.write_text("area,state,age_band,from_days,count,uasc,source\n"
                         f"{KENT},lac,16_17,{tb0},{n},1,test values\n")
        scen = tmp_path / f"{name}.yaml"
        scen.write_text(f"extends: {SCEN}\nname: uasc_initial_{name}\nburn_in: 0d\nhorizon: 1y\n"
                        f"initial_stock: {stock}\ntables:\n  uasc: {table}\nadjust:\n  entry_rates: 0\n")
        out = tmp_path / f"{name}.h5"
        subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", str(reps), "--areas", KENT,
                        "--engine", "case"], check=True)
        with h5py.File(out, "r") as f:
            tr = labels(f, "transition")
            flow = f["uasc_flow"][0, :, 1, 0].sum(axis=(0, 2))     # [transition]
        left, total = float(flow[tr.index("aged_out")]), reps * n
        assert flow.sum() == left, "no exit but ageing out"
        p = expected_aged_out(tb0, tb1, shares, 365)   # 31 March 2017 to 31 March 2018
        se = np.sqrt(p * (1 - p) / total)
        assert abs(left / total - p) < 4 * se, (name, left / total, p, se)
