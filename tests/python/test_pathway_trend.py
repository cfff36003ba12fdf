"""The pathway's calendar steps (tables.pathway_trend, docs/scenarios.md): the scenario
tests/data/pathway/trend.yaml (constant plan and re-referral hazards, started empty, two years)
with two projection rules in tests/data/pathway/trend.csv, each replicate's rule drawn with its
parameters (trend_draws.csv). Rule 1 has no new referrals in the first year, rule 0 the tables'
rates (hundreds of referrals a year in each area, so P(none) < 1e-100): a replicate's first-year
referrals tell its rule. Per rule and year, counts summed over that rule's replicates are
compared with the rates the rule's row sets: new referrals Poisson, the no-further-action share
binomial (a share p under odds multiplier m is p m / (1 - p + p m)), hazards as events over
exposure (days_in_state, exact) with Poisson standard errors sqrt(n) / exposure. Tolerance
K_SE = 4 standard errors each. With the table ignored, rule 1's first year would have
referrals and rule 0's second year half the referrals expected: both fail by far more."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathway_run import DATA, ROOT, YEAR, labels, read, run_once  # noqa: E402

K_SE = 4.0
run = run_once("trend.yaml", "pathway_trend", "trend.h5")


def trend_rows():
    """{(rule, year index 1 or 2): {column: multiplier}} from trend.csv (absent columns: 1)."""
    out = {}
    for r in read(DATA / "trend.csv"):
        year = 1 if r["from_date"] == "2017-03-31" else 2
        out[(int(r["rule"]), year)] = {k: float(v) for k, v in r.items() if k not in ("rule", "from_date", "source", "note")}
    return out


def rules_of(f):
    """Each replicate's rule: 1 when it had no new referral in the first year."""
    trs = labels(f, "transition")
    flow = f["flow"][0].sum(axis=(2, 4))          # (replicate, time, transition)
    first = flow[:, 1, trs.index("referral")] + flow[:, 1, trs.index("referral_nfa")]
    rule = np.where(first == 0, 1, 0)
    assert set(rule) == {0, 1}, "the fixed seed should draw both rules"
    return rule


def test_referrals_follow_the_drawn_rule(run):
    f = run
    trs, ages = labels(f, "transition"), labels(f, "age_band")
    areas = read(DATA.parent / "small" / "areas.csv")
    ref = {r["age_band"]: r for r in read(DATA / "referral_rates.csv")}
    steps, rule = trend_rows(), rules_of(run)
    days = np.diff(f["time"][...])
    flow = f["flow"][0].sum(axis=2)               # (replicate, time, transition, age band)
    for r in (0, 1):
        mine = rule == r
        for y in (1, 2):
            m = steps[(r, y)]
            per_year = sum(float(a["pop_" + b]) * float(a["entry_multiplier"]) * float(ref[b]["rate_per_10000_per_year"])
                           for a in areas for b in ages) / 1e4
            expect = per_year * days[y - 1] / YEAR * m["referral"] * mine.sum()
            got = flow[mine, y][:, [trs.index("referral"), trs.index("referral_nfa")]].sum()
            assert abs(got - expect) <= K_SE * np.sqrt(max(expect, 1.0)), (r, y, got, expect)
            if expect == 0:
                continue
            for bi, b in enumerate(ages):   # the no-further-action share, by band
                nfa = flow[mine, y, trs.index("referral_nfa"), bi].sum()
                n = nfa + flow[mine, y, trs.index("referral"), bi].sum()
                p0, o = float(ref[b]["nfa_share"]), m["nfa_odds"]
                p = p0 * o / (1 - p0 + p0 * o)
                assert abs(nfa / n - p) <= K_SE * np.sqrt(p * (1 - p) / n), (r, y, b, nfa / n, p)


def test_hazards_follow_the_drawn_rule(run):
    """Second year: plan endings (cpp_step_down and cpp_closed stepped, cpp_lac not) and
    re-referrals at the tables' hazards times the rule's multipliers."""
    f = run
    trs, states = labels(f, "transition"), labels(f, "state")
    steps, rule = trend_rows(), rules_of(run)
    base = {k[: -len("_per_year")]: float(v) for k, v in read(DATA / "cpp_hazards.csv")[0].items() if k.endswith("_per_year")}
    base["rereferral"] = float(read(DATA / "closed_recent_hazards.csv")[0]["rereferral_per_year"])
    flow = f["flow"][0].sum(axis=(2, 4))          # (replicate, time, transition)
    days = f["days_in_state"][0].sum(axis=(2, 4))   # (replicate, time, state)
    for r in (0, 1):
        mine = rule == r
        m = steps[(r, 2)]
        for tr, rate in base.items():
            state = "closed_recent" if tr == "rereferral" else "cpp"
            exposure = days[mine, 2, states.index(state)].sum() / YEAR
            n = flow[mine, 2, trs.index(tr)].sum()
            want = rate * m.get(tr, 1.0)
            se = np.sqrt(max(n, 1)) / exposure
            assert n > 100, (r, tr, n)
            assert abs(n / exposure - want) < K_SE * se, (r, tr, n / exposure, want, se)


def test_committed_tables_keep_total_entries_of_the_care_fit():
    """models/data: for every rule and year of rate_trend.csv, the direct entries under
    rate_trend_direct.csv plus the pathway's entries to care under that rule's pathway_trend.csv
    (calibration/pathway_projection.csv, the run with the pathway back-test's entry damping) equal the care
    fit's first entries under rate_trend.csv (docs/calibration.md, "Projection"). Exact up to the
    tables' rounding: multipliers to 5 decimals (under 0.05 entries a band), rates to 3, the
    projection's entries to whole numbers: 2 entries in all."""
    data = ROOT / "models" / "data"
    pop = {}
    for a in read(data / "areas_england.csv"):
        for k, v in a.items():
            if k.startswith("pop_"):
                pop[k[4:]] = pop.get(k[4:], 0.0) + float(v)

    def per_band(name):
        return {r["age_band"]: float(r["rate_per_10000_per_year"]) * pop[r["age_band"]] / 1e4 for r in read(data / name)}
    first, direct = per_band("entry_rates.csv"), per_band("entry_rates_direct.csv")
    runs = {r["rates"] for r in read(data / "calibration" / "pathway_projection.csv")} - {"held"}
    assert len(runs) == 1, runs   # one damping, the pathway back-test's, in every rule's block
    damped = runs.pop()
    via = {(r["rates"], int(r["year"])): float(r["entries_to_care"])
           for r in read(data / "calibration" / "pathway_projection.csv") if r["entries_to_care"]}
    care, direct_rows = read(data / "rate_trend.csv"), read(data / "rate_trend_direct.csv")
    assert len(care) == len(direct_rows) and len(read(data / "pathway_trend.csv")) == len(care)
    checked = 0
    for c, d in zip(care, direct_rows):
        assert (c["rule"], c["from_date"]) == (d["rule"], d["from_date"])
        y = int(c["from_date"][:4]) + 1
        key = (damped, y)
        if key not in via:
            continue
        want = sum(float(c["entry_" + b]) * first[b] for b in first)
        got = sum(float(d["entry_" + b]) * direct[b] for b in direct) + via[key]
        assert abs(got - want) <= 2.0, (c["rule"], y, got, want)
        checked += 1
    assert checked >= len(care) // 2
