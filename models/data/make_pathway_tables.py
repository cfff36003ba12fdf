#!/usr/bin/env python3
"""Writes the bundled tables of the pathway before care (referrals, children in need, child
protection plans, closed cases that can be re-referred), set roughly from the 2017 national
figures, every number with its source. The calibration work fits them properly.

    /usr/bin/python3 models/data/make_pathway_tables.py ../shared/data

Reads shared/data/cin_cpp_national.csv (2017 row), cpp_duration_at_31_march.csv (2017 row),
cla_national.csv (2017 children in care), and this folder's areas_england.csv and
entry_rates.csv. Writes referral_rates.csv, cin_hazards.csv, cpp_hazards.csv,
closed_recent_hazards.csv, entry_rates_direct.csv and initial_stock_pathway_2017.csv.
"""
import csv
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 365.25
AGES = ["under_1", "1_4", "5_9", "10_15", "16_17"]
AGE_YEARS = [1, 4, 5, 6, 2]            # width of each band in years
CIN_CENSUS = "DfE 'Characteristics of children in need' 2025 release, 2017 row (shared/data/cin_cpp_national.csv)"
CPP_DURATION = "DfE CIN census data file d5, plans open 31 March 2017 by duration (shared/data/cpp_duration_at_31_march.csv)"

# Assumptions (no published split found); the calibration fits them.
CIN_CLOSE_3M = 0.55      # share of CIN episodes closing within 3 months (assessment, no further action)
CIN_LONG_HAZARD = 0.5    # per year after a year in need (long-term cases, e.g. disabled children)
CIN_TO_LAC = 6000        # children entering care from CIN (not on a plan) per year
CPP_SPLIT = {"cpp_step_down": 0.70, "cpp_closed": 0.17, "cpp_lac": 0.13}   # how plans end
REREFERRAL_WINDOW_Y = 1.0


def row(path, year="2017"):
    with open(path, newline="") as f:
        return next(r for r in csv.DictReader(f) if r["year"] == year)


def solve(f, lo=1e-6, hi=100.0):
    """Root of an increasing-then-monotone f on [lo, hi] by bisection."""
    flo = f(lo)
    for _ in range(200):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


def occupancy(h, length):
    """Expected years spent in a band of `length` years with hazard h, per entrant alive at its start."""
    return length if h == 0 else (1 - math.exp(-h * length)) / h


def largest_remainder(total, weights):
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(math.floor(x)) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def write(name, header, rows):
    with open(HERE / name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(data):
    data = Path(data)
    cin = row(data / "cin_cpp_national.csv")
    dur = row(data / "cpp_duration_at_31_march.csv")
    cla = int(row(data / "cla_national.csv")["cla_at_31_march"])
    referrals, cin_total = int(cin["referrals"]), int(cin["children_in_need_at_31_march"])
    cpp_stock, cpp_started = int(cin["cpp_at_31_march"]), int(cin["cpp_started"])
    cpp_ended, cin_started = int(cin["cpp_ended_implied"]), int(cin["cin_episodes_started"])
    reref = float(cin["rereferral_within_12m_percent"]) / 100

    with open(HERE / "areas_england.csv", newline="") as f:
        areas = list(csv.DictReader(f))
    pop = [sum(float(a["pop_" + b]) for a in areas) for b in AGES]
    children = sum(pop)

    # referrals: re-referrals come from closed cases (closed_recent); the rest are new
    rereferrals = reref * referrals
    new_open = cin_started - rereferrals          # new referrals that open a CIN episode
    new_total = referrals - rereferrals
    nfa = 1 - new_open / new_total
    rate = new_total / children * 1e4
    src = f"{CIN_CENSUS}: {referrals} referrals, {cin['rereferral_within_12m_percent']}% re-referrals within 12 months, {cin_started} CIN episodes started"
    write("referral_rates.csv", ["age_band", "rate_per_10000_per_year", "nfa_share", "source", "note"],
          [[b, f"{rate:.3f}", f"{nfa:.4f}", src,
            "new referrals (all referrals less re-referrals) per 10,000 children 0-17 (areas_england.csv); "
            "nfa_share: new referrals that open no CIN episode = 1 - (CIN starts - re-referrals) / new referrals; "
            "same in every age band (assumption)"] for b in AGES])

    # child protection plans: hazards by time on plan fitted to the 2017 duration profile
    bands = [(0, "le_3_months", 91), (91, "3_to_6_months", 183), (183, "6_to_12_months", 365),
             (365, "1_to_2_years", 730), (730, "2_years_plus", None)]
    cpp_h, s = [], 1.0
    for lo, col, hi in bands:
        stock = int(dur[col])
        if hi is None:
            h = cpp_started * s / stock
        else:
            length = (hi - lo) / YEAR
            h = solve(lambda h: cpp_started * s * occupancy(h, length) - stock)
            s *= math.exp(-h * length)
        cpp_h.append((lo, h, stock))
    cpp_rows = []
    for b in AGES:
        for lo, h, stock in cpp_h:
            cpp_rows.append([b, lo] + [f"{h * CPP_SPLIT[k]:.4f}" for k in ("cpp_step_down", "cpp_lac", "cpp_closed")] +
                            [f"{CPP_DURATION}; {cpp_started} plans started",
                             f"total hazard {h:.4f}/year reproduces {stock} plans in this duration band in a steady state "
                             f"with {cpp_started} starts a year; split step-down/care/closed "
                             f"{CPP_SPLIT['cpp_step_down']}/{CPP_SPLIT['cpp_lac']}/{CPP_SPLIT['cpp_closed']} "
                             "assumed, same in every age band"])
    write("cpp_hazards.csv", ["age_band", "from_days", "cpp_step_down_per_year", "cpp_lac_per_year",
                              "cpp_closed_per_year", "source", "note"], cpp_rows)

    # children in need (not on a plan, not in care): stock and inflow from the census
    cin_stock = cin_total - cpp_stock - cla
    cin_in = cin_started + CPP_SPLIT["cpp_step_down"] * cpp_ended
    h0 = -math.log(1 - CIN_CLOSE_3M) / (91 / YEAR)
    l1 = (365 - 91) / YEAR
    s1 = 1 - CIN_CLOSE_3M

    def stock_gap(h1):
        return cin_in * (occupancy(h0, 91 / YEAR) + s1 * occupancy(h1, l1) + s1 * math.exp(-h1 * l1) / CIN_LONG_HAZARD) - cin_stock
    h1 = solve(lambda h: -stock_gap(h))
    to_cpp, to_lac = cpp_started / cin_in, CIN_TO_LAC / cin_in
    cin_rows = []
    for b in AGES:
        for lo, h in ((0, h0), (91, h1), (365, CIN_LONG_HAZARD)):
            cin_rows.append([b, lo, f"{h * to_cpp:.4f}", f"{h * to_lac:.4f}", f"{h * (1 - to_cpp - to_lac):.4f}",
                             f"{CIN_CENSUS}: children in need {cin_total} less {cpp_stock} on plans and {cla} in care "
                             f"= {cin_stock}; {cin_started} CIN starts + step-downs from plans = {cin_in:.0f} a year",
                             f"total hazards: {CIN_CLOSE_3M:.0%} close within 3 months and {CIN_LONG_HAZARD}/year after a "
                             "year (assumptions), 3-12 months solved so the steady state holds the CIN stock; shares: "
                             f"to a plan {cpp_started} plan starts / inflow, to care {CIN_TO_LAC}/year (assumption), "
                             "rest closed; same in every age band"])
    write("cin_hazards.csv", ["age_band", "from_days", "cin_cpp_per_year", "cin_lac_per_year", "cin_closed_per_year",
                              "source", "note"], cin_rows)

    # closed cases: re-referral within the window reproduces the published share
    closures = cin_in * (1 - to_cpp - to_lac) + CPP_SPLIT["cpp_closed"] * cpp_ended
    p = rereferrals / closures
    h_re = -math.log(1 - p) / REREFERRAL_WINDOW_Y
    write("closed_recent_hazards.csv", ["age_band", "from_days", "rereferral_per_year", "source", "note"],
          [[b, 0, f"{h_re:.4f}", f"{CIN_CENSUS}: {reref:.1%} of {referrals} referrals within 12 months of a previous one",
            f"{rereferrals:.0f} re-referrals a year out of about {closures:.0f} closures: {p:.1%} within the "
            "12-month window; same in every age band (assumption)"] for b in AGES])

    # direct entries to care: each age band's first entries less those that now come through CIN
    # and plans (the pathway's hazards are the same in every age band and its stocks follow the
    # population, so its entries to care do too)
    with open(HERE / "entry_rates.csv", newline="") as f:
        entry = list(csv.DictReader(f))
    first_b = [float(r["rate_per_10000_per_year"]) * pop[i] / 1e4 for i, r in enumerate(entry)]
    first = sum(first_b)
    via = CIN_TO_LAC + CPP_SPLIT["cpp_lac"] * cpp_ended
    via_b = [via * p / children for p in pop]
    direct_b = [f - v for f, v in zip(first_b, via_b)]
    if min(direct_b) <= 0:
        raise SystemExit("entries through the pathway exceed an age band's first entries")
    direct = sum(direct_b) / first
    write("entry_rates_direct.csv", ["age_band", "rate_per_10000_per_year", "male_share", "source", "note"],
          [[r["age_band"], f"{d / pop[i] * 1e4:.3f}", r["male_share"],
            f"entry_rates.csv less the pathway's entries to care (make_pathway_tables.py)",
            f"entries to care not through the pathway: the band's {first_b[i]:.0f} first entries a year "
            f"(entry_rates.csv) less its population share of about {via:.0f} a year from CIN ({CIN_TO_LAC}, "
            f"assumption) and from plans ({CPP_SPLIT['cpp_lac']} x {cpp_ended} plans ending): {via_b[i]:.0f}"]
           for i, (r, d) in enumerate(zip(entry, direct_b))])
    rate_trend_direct(first_b, via_b, direct_b)

    # initial stock at 31 March 2017: national totals over areas (population x entry multiplier),
    # age bands (population) and time-in-state bands (CPP: published; CIN, closed: steady state)
    weight_area = [sum(float(a["pop_" + b]) for b in AGES) * float(a["entry_multiplier"]) for a in areas]
    cin_tb = [cin_in * occupancy(h0, 91 / YEAR), cin_in * s1 * occupancy(h1, l1),
              cin_in * s1 * math.exp(-h1 * l1) / CIN_LONG_HAZARD]
    closed_stock = round(closures * occupancy(h_re, REREFERRAL_WINDOW_Y))
    plan = [("cin", cin_stock, [0, 91, 365], cin_tb,
             f"{CIN_CENSUS}: {cin_total} children in need less {cpp_stock} on plans and {cla} in care; "
             "time in need: steady state of cin_hazards.csv"),
            ("cpp", cpp_stock, [lo for lo, _, _ in cpp_h], [st for _, _, st in cpp_h],
             f"{CPP_DURATION}; areas by population x entry_multiplier"),
            ("closed_recent", closed_stock, [0], [1.0],
             f"cases closed in the 12 months to 31 March 2017: about {closures:.0f} closures a year x expected time "
             "before re-referral or the window's end (closed_recent_hazards.csv)")]
    rows = []
    for state, total, starts, tb_w, src in plan:
        cells, weights = [], []
        for ai, a in enumerate(areas):
            for bi, b in enumerate(AGES):
                for ti, lo in enumerate(starts):
                    if lo >= sum(AGE_YEARS[: bi + 1]) * YEAR - 30:
                        continue   # no one in the band is old enough to have been in the state that long
                    cells.append((a["code"], b, lo))
                    weights.append(weight_area[ai] * pop[bi] / sum(pop) * tb_w[ti])
        for (code, b, lo), n in zip(cells, largest_remainder(total, weights)):
            if n:
                rows.append([code, state, b, lo, n, src])
    write("initial_stock_pathway_2017.csv", ["area", "state", "age_band", "from_days", "count", "source"], rows)
    print(f"referral rate {rate:.1f}/10,000, nfa {nfa:.3f}; CIN stock {cin_stock}, inflow {cin_in:.0f}, "
          f"hazards {h0:.3f} {h1:.3f} {CIN_LONG_HAZARD}; CPP hazards {[round(h, 3) for _, h, _ in cpp_h]}; "
          f"re-referral {h_re:.3f}/year; closed stock {closed_stock}; direct entries x {direct:.3f}")


def rate_trend_direct(first_b, via_b, direct_b):
    """rate_trend_direct.csv: the calibration's trends (rate_trend.csv) carried by the direct
    entries alone, so that direct plus pathway entries follow the fitted total while the
    pathway's own flows stay at their 2017 level: m'_b = (m_b x first_b - via_b) / direct_b
    (at least 0); exit multipliers unchanged."""
    with open(HERE / "rate_trend.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    out = []
    for r in rows:
        row = dict(r)
        for i, b in enumerate(AGES):
            m = float(r["entry_" + b])
            row["entry_" + b] = f"{max(0.0, (m * first_b[i] - via_b[i]) / direct_b[i]):.5f}"
        row["source"] = "rate_trend.csv (python3 -m caresim calibrate) on direct entries: " \
                        "(multiplier x first entries - pathway entries) / direct entries, make_pathway_tables.py"
        out.append([row[h] for h in header])
    write("rate_trend_direct.csv", header, out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else HERE.parent.parent.parent / "shared" / "data")
