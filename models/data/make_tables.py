#!/usr/bin/python3
"""Builds the bundled England baseline tables in models/data/ from the published figures.

Run from the repository root with the calibration data beside it:
    /usr/bin/python3 models/data/make_tables.py ../shared/data
Writes areas_england.csv, entry_rates.csv, lac_hazards.csv and initial_stock_2017.csv.
Every number in those files carries a `source` (or `note`) saying where it came from.
The hazard levels are a first setting (design assumptions scaled so the model reproduces the
2017 national flows roughly); a later calibration fits them properly.
"""
import csv
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGES = ["under_1", "1_4", "5_9", "10_15", "16_17"]
AGE_YEARS = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 18)]
YEAR = 365.25
TB = [0, 91, 182, 365, 730, 1826]          # time-in-care bands: 0-3m, 3-6m, 6-12m, 1-2y, 2-5y, 5y+
SFR = "DfE SFR 50/2017 (Children looked after in England, year ending 31 March 2017)"

# Relative exit hazards per year by age band (columns home, adopted, sgo_cao, independent_living,
# other, placement_move) and duration multipliers per time-in-care band. Shape assumptions:
# returns home are most frequent early in a stay; adoption needs about a year of proceedings;
# independent living is for 16-17 year olds; "other" covers custody, remand, transfers.
BASE = {
    "under_1": [0.30, 0.00, 0.08, 0.00, 0.02, 0.25],
    "1_4":     [0.30, 0.00, 0.12, 0.00, 0.02, 0.25],
    "5_9":     [0.25, 0.00, 0.10, 0.00, 0.02, 0.25],
    "10_15":   [0.22, 0.00, 0.03, 0.00, 0.04, 0.30],
    "16_17":   [0.30, 0.00, 0.01, 0.30, 0.15, 0.35],
}
HOME_BY_TB = [3.0, 1.6, 1.0, 0.7, 0.4, 0.25]
SGO_BY_TB = [0.1, 0.5, 1.0, 1.2, 1.0, 0.6]
ADOPT = {  # per year by time-in-care band
    "under_1": [0.0, 0.05, 0.40, 0.60, 0.60, 0.60],
    "1_4":     [0.0, 0.03, 0.25, 0.45, 0.25, 0.05],
    "5_9":     [0.0, 0.01, 0.04, 0.06, 0.04, 0.01],
    "10_15":   [0.0] * 6,
    "16_17":   [0.0] * 6,
}
EXIT_SCALE = 0.82   # one factor on every exit hazard, tuned by a run against 2017 flows
# Level of each exit reason (home, adopted, sgo_cao, independent_living, other), tuned by runs so
# that the simulated shares of exits come near the 2017 shares of children ceasing by reason
# (shared/data/ceased_by_reason.csv: returned home 32%, adopted 14%, SGO and CAO 16%,
# independent living 15%, other including the 18th birthday 23%).
REASON_LEVEL = [0.72, 1.4, 1.6, 1.5, 1.0]


def lac_rows():
    rows = []
    for a in AGES:
        h, _, s, il, o, mv = BASE[a]
        for j, tb in enumerate(TB):
            rates = [h * HOME_BY_TB[j], ADOPT[a][j], s * SGO_BY_TB[j], il, o]
            rates = [r * EXIT_SCALE * lv for r, lv in zip(rates, REASON_LEVEL)] + [mv]
            rows.append([a, tb] + [f"{r:.4f}" for r in rates])
    return rows


def survival_mass(rows, age):
    """Steady-state share of the stock of an age band in each time-in-care band: the integral
    of the survival curve over the band (constant entries), cut at the band's oldest age."""
    cap = AGE_YEARS[AGES.index(age)][1] * YEAR
    r = {int(x[1]): sum(float(v) for v in x[2:7]) / YEAR for x in rows if x[0] == age}
    mass, cum = [], 0.0
    for j, lo in enumerate(TB):
        hi = min(TB[j + 1] if j + 1 < len(TB) else cap, cap)
        if lo >= cap:
            mass.append(0.0)
            continue
        rate = r[lo]
        m = (1 - math.exp(-rate * (hi - lo))) / rate if rate > 0 else hi - lo
        mass.append(math.exp(-cum) * m)
        cum += rate * (hi - lo)
    tot = sum(mass)
    return [m / tot for m in mass]


def largest_remainder(total, shares):
    raw = [total * s for s in shares]
    out = [int(math.floor(x)) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def main(data):
    las = list(csv.DictReader(open(data / "local_authorities.csv")))
    pop = sum(int(r["population_0_17"]) for r in las)
    cla = sum(int(r["cla_31_march_2017"]) for r in las)
    nat_rate = cla / pop
    by_age = {r["age_band"]: int(r["count"]) for r in csv.DictReader(open(data / "cla_by_age.csv"))
              if r["year"] == "2017" and r["release_year"] == "2017"
              and r["measure"] in ("cla_at_31_march",)}
    starts = {r["age_band"]: int(r["count"]) for r in csv.DictReader(open(data / "cla_by_age.csv"))
              if r["year"] == "2017" and r["release_year"] == "2017" and r["measure"] == "started_during_year"}
    dfe = ["under 1", "1-4", "5-9", "10-15", "16+"]
    width = [hi - lo for lo, hi in AGE_YEARS]

    with open(HERE / "areas_england.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "region", "pop_under_1", "pop_1_4", "pop_5_9", "pop_10_15", "pop_16_17",
                    "entry_multiplier", "exit_multiplier", "ofsted", "cla_2015", "cla_2016", "cla_2017", "source", "note"])
        for r in las:
            p = int(r["population_0_17"])
            rate = int(r["cla_31_march_2017"]) / p
            w.writerow([r["la_code"], r["la_name"], r["region"]] + [f"{p * k / 18:.1f}" for k in width] +
                       [f"{rate / nat_rate:.4f}", "1", r["ofsted_overall_effectiveness"].replace(" ", "_"),
                        r["cla_31_march_2015"], r["cla_31_march_2016"], r["cla_31_march_2017"],
                        "shared/data/local_authorities.csv (ONS mid-2017 population 0-17; DfE SFR34/2015, SFR41/2016, "
                        "SFR50/2017 LA data; Ofsted SIF judgement)",
                        "population split over age bands by single years of age (uniform); entry_multiplier = "
                        "LA 2017 CLA rate / England rate; exit_multiplier 1 (not yet fitted)"])

    with open(HERE / "entry_rates.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["age_band", "rate_per_10000_per_year", "male_share", "source", "note"])
        for a, d, k in zip(AGES, dfe, width):
            band_pop = pop * k / 18
            w.writerow([a, f"{starts[d] / band_pop * 1e4 * ENTRY_SCALE:.3f}", "0.56",
                        f"{SFR}: {starts[d]} started in 2017 aged {d}; population shared/data/local_authorities.csv; "
                        "male share 56% of CLA (SFR 50/2017 text)",
                        f"first entries only: published starts x {ENTRY_SCALE} (the rest are re-entries in the model)"])

    rows = lac_rows()
    with open(HERE / "lac_hazards.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["age_band", "from_days", "home_per_year", "adopted_per_year", "sgo_cao_per_year",
                    "independent_living_per_year", "other_per_year", "placement_move_per_year", "source", "note"])
        for x in rows:
            w.writerow(x + ["assumption (models/data/make_tables.py) scaled to SFR 50/2017 ceased by reason",
                            "shape by age and duration assumed; level set so 2017 exits are about 31,250"])

    # Children at home after a return home, still within the 2-year re-entry window: returns home
    # in 2017 x expected time spent at home inside the window without re-entering (hazard
    # REENTRY_PER_YEAR, home_hazards.csv): 9,980 x (1 - exp(-0.2 x 2)) / 0.2.
    home_total = round(RETURNED_HOME_2017 * (1 - math.exp(-REENTRY_PER_YEAR * 2)) / REENTRY_PER_YEAR)
    with open(HERE / "initial_stock_2017.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["area", "state", "age_band", "from_days", "count", "source"])
        shares = {a: survival_mass(rows, a) for a in AGES}
        per_area_home = largest_remainder(home_total, [int(r["cla_31_march_2017"]) / cla for r in las])
        for r, nh in zip(las, per_area_home):
            n = int(r["cla_31_march_2017"])
            per_age = largest_remainder(n, [by_age[d] / cla for d in dfe])
            for a, na in zip(AGES, per_age):
                for tb, c in zip(TB, largest_remainder(na, shares[a])):
                    if c:
                        w.writerow([r["la_code"], "lac", a, tb, c, "LA CLA 31 March 2017 (SFR50/2017) x national "
                                    "age shares; time in care: steady state of lac_hazards.csv"])
            for a, c in zip(AGES, largest_remainder(nh, [by_age[d] / cla for d in dfe])):
                if c:
                    w.writerow([r["la_code"], "home", a, 0, c, f"returned home in 2017 (SFR50/2017: "
                                f"{RETURNED_HOME_2017}) x years at home within the 2-year window; shared by LA CLA "
                                "and national age shares"])


ENTRY_SCALE = 0.90
RETURNED_HOME_2017 = 9980     # shared/data/ceased_by_reason.csv, 2017, reason_group returned_home
REENTRY_PER_YEAR = 0.20       # home_hazards.csv
if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
