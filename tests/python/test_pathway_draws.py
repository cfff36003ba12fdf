"""The fitted parameters' uncertainty of the pathway before care and of the UASC stream drawn
once per replicate (tables.pathway_draws; parameter_draws.csv's uasc_entries column;
docs/scenarios.md, docs/calibration.md).

Pathway: tests/data/pathway/draws.yaml, started empty, two years, 48 replicates; each
replicate's row d of draws.csv is told by its direct entries (draws_care.csv: under-1s if d is
odd, 1-4s if d >= 2; hundreds a year where the multiplier is 1, so P(none) < 1e-40), not by the
pathway's counts. Per row, summed over the replicates that drew it: new referrals (Poisson,
mean the tables' rate x the row's multiplier), the no-further-action share per age band
(binomial, a share p under odds multiplier m being p m / (1 - p + p m)), plan endings and
re-referrals as events over exposure (days_in_state, exact; Poisson standard errors), and the
destinations out of need (binomial: cin_hazards' bands hold cin_cpp : cin_lac : cin_closed =
0.6 : 0.1 : 2.0 in both, so the shares are the multipliers' whatever the time in need). The
rows are drawn uniformly: each row's replicates binomial (48, 1/4). Tolerance K_SE = 4 standard
errors each. Without the draws, rows 0 and 3 would have referrals at half and twice theirs.

UASC: tests/data/engines/uasc.yaml's stream alone (no other entries, no initial stock) for Kent,
one year, with two draws of uasc_entries 0.25 and 4: a replicate's UASC entries (mean about 25
or 400) tell its row (threshold at the geometric mean 100: P(wrong) < 1e-15); each row's total
is Poisson with mean 3,400 a year x Kent's share x the multiplier.

The calibration's draws: pathway_draws.pathway_rows on a fit's covariance has log sample means
within K_SE standard errors of 0 and sample SDs within K_SE standard errors (sd / sqrt(2 n)) of
the covariance's. The bundled baseline's fan is wider with the draws than without (F test).
The committed table against the fit: python.calibrate_reproduce (slow)."""
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pathway_run import CARESIM, DATA, ROOT, YEAR, labels, read, run_once  # noqa: E402

K_SE = 4.0
run = run_once("draws.yaml", "pathway_draws", "draws.h5")


def rows_of(f):
    """Each replicate's row of the draws, from its direct entries of under-1s and 1-4s."""
    trs, ages = labels(f, "transition"), labels(f, "age_band")
    entry = f["flow"][0][:, 1:, :, trs.index("entry")].sum(axis=(1, 2))   # (replicate, age band)
    u1, y14 = entry[:, ages.index("under_1")] > 0, entry[:, ages.index("1_4")] > 0
    return u1.astype(int) + 2 * y14.astype(int)


def draws():
    return [{k: float(v) for k, v in r.items() if k not in ("source", "note")} for r in read(DATA / "draws.csv")]


def test_rows_are_drawn_uniformly(run):
    row = rows_of(run)
    n = len(row)
    for d in range(4):
        k = (row == d).sum()
        assert abs(k - n / 4) <= K_SE * np.sqrt(n * 0.25 * 0.75), (d, k)
        assert k >= 2, "the fixed seed should draw every row"


def test_referrals_follow_the_drawn_row(run):
    f = run
    trs, ages = labels(f, "transition"), labels(f, "age_band")
    areas = read(DATA.parent / "small" / "areas.csv")
    ref = {r["age_band"]: r for r in read(DATA / "referral_rates.csv")}
    per_year = sum(float(a["pop_" + b]) * float(a["entry_multiplier"]) * float(ref[b]["rate_per_10000_per_year"])
                   for a in areas for b in ages) / 1e4
    days = np.diff(f["time"][...])
    flow = f["flow"][0].sum(axis=2)               # (replicate, time, transition, age band)
    row, dr = rows_of(f), draws()
    per_rep = []
    for d in range(4):
        mine = row == d
        m = dr[d]
        for y in (1, 2):
            expect = per_year * days[y - 1] / YEAR * m["referral"] * mine.sum()
            got = flow[mine, y][:, [trs.index("referral"), trs.index("referral_nfa")]].sum()
            assert abs(got - expect) <= K_SE * np.sqrt(expect), (d, y, got, expect)
            for bi, b in enumerate(ages):   # the no-further-action share, by band
                nfa = flow[mine, y, trs.index("referral_nfa"), bi].sum()
                n = nfa + flow[mine, y, trs.index("referral"), bi].sum()
                p0, o = float(ref[b]["nfa_share"]), m["nfa_odds"]
                p = p0 * o / (1 - p0 + p0 * o)
                assert abs(nfa / n - p) <= K_SE * np.sqrt(p * (1 - p) / n), (d, y, b, nfa / n, p)
        per_rep.append(flow[mine, 1][:, [trs.index("referral"), trs.index("referral_nfa")]].sum(axis=(1, 2)).mean())
    # referrals per replicate vary with the drawn multiplier: row 3 (x2) over row 0 (x0.5)
    assert per_rep[3] > 3 * per_rep[0], per_rep


def test_hazards_follow_the_drawn_row(run):
    f = run
    trs, states = labels(f, "transition"), labels(f, "state")
    base = {k[: -len("_per_year")]: float(v) for k, v in read(DATA / "cpp_hazards.csv")[0].items() if k.endswith("_per_year")}
    base["rereferral"] = float(read(DATA / "closed_recent_hazards.csv")[0]["rereferral_per_year"])
    cin = {"cin_cpp": 0.6, "cin_lac": 0.1, "cin_closed": 2.0}   # cin_hazards.csv's first band (the second: half)
    flow = f["flow"][0].sum(axis=(2, 4))          # (replicate, time, transition)
    days = f["days_in_state"][0].sum(axis=(2, 4))   # (replicate, time, state)
    row, dr = rows_of(f), draws()
    for d in range(4):
        mine = row == d
        m = dr[d]
        for tr, rate in base.items():
            state = "closed_recent" if tr == "rereferral" else "cpp"
            exposure = days[mine][:, 1:, states.index(state)].sum() / YEAR
            n = flow[mine][:, 1:, trs.index(tr)].sum()
            want = rate * m[tr]
            assert n > 100, (d, tr, n)
            assert abs(n / exposure - want) < K_SE * np.sqrt(n) / exposure, (d, tr, n / exposure, want)
        out = {tr: flow[mine][:, 1:, trs.index(tr)].sum() for tr in cin}
        tot = sum(out.values())
        w = {tr: h * m[tr] for tr, h in cin.items()}
        for tr in cin:
            p = w[tr] / sum(w.values())
            assert abs(out[tr] / tot - p) <= K_SE * np.sqrt(p * (1 - p) / tot), (d, tr, out[tr] / tot, p)


KENT, PER_YEAR = "E10000016", 3400.0


def test_uasc_entries_follow_the_drawn_multiplier(tmp_path):
    scen = tmp_path / "uasc.yaml"
    (tmp_path / "d.csv").write_text("draw,uasc_entries,source\n0,0.25,test value\n1,4,test value\n")
    scen.write_text(f"extends: {ROOT / 'tests' / 'data' / 'engines' / 'uasc.yaml'}\nname: uasc_draws\n"
                    "burn_in: 0d\nhorizon: 1y\ninitial_stock: none\nadjust:\n  entry_rates: 0\n"
                    f"tables:\n  parameter_draws: {tmp_path / 'd.csv'}\n")
    out, reps = tmp_path / "u.h5", 40
    subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", str(reps), "--areas", KENT], check=True)
    rows = read(ROOT / "models" / "data" / "areas_england.csv")
    share = float(next(r for r in rows if r["code"] == KENT)["pop_16_17"]) / sum(float(r["pop_16_17"]) for r in rows)
    with h5py.File(out, "r") as f:
        tr = labels(f, "transition")
        entries = f["uasc_flow"][0, :, 1, 0, tr.index("entry")].sum(axis=-1)   # (replicate,)
    high = entries > 100
    assert abs(high.sum() - reps / 2) <= K_SE * np.sqrt(reps / 4) and 0 < high.sum() < reps, high.sum()
    for mine, mult in ((~high, 0.25), (high, 4.0)):
        mean = mine.sum() * PER_YEAR * share * mult
        assert abs(entries[mine].sum() - mean) <= K_SE * np.sqrt(mean), (mult, entries[mine].sum(), mean)


def test_calibration_draws_match_their_covariance():
    """pathway_draws.pathway_rows on a made-up fit (48 parameters, the covariance of a random
    design): the draws' log sample means within K_SE standard errors (sd / sqrt(n)) of 0, their
    sample SDs within K_SE standard errors (sd / sqrt(2 n)) of the SDs it reports, and those the
    fit's covariance in the levels' directions, (D' cov^-1 D)^-1."""
    import sys
    sys.path.insert(0, str(ROOT / "analysis"))
    from caresim.calibrate import pathway, pathway_draws as pd, pathway_model as pm
    rng = np.random.default_rng(5)
    theta, _ = pm.prior()
    J = rng.normal(size=(200, theta.size)) * 10
    cov = np.linalg.inv(J.T @ J)
    f = pathway.Fit(theta, cov, list(range(2010, 2018)), 0.0, 0, None)
    n = 4000
    rows, sd, corr, acc = pd.pathway_rows(f, np.random.default_rng(6), n, 2.0)
    D = pd.directions()
    assert D.sum() == 1 + 1 + 1 + 3 + 5 + 1
    assert np.allclose(sd ** 2, np.diag(np.linalg.inv(D.T @ J.T @ J @ D)))
    assert acc == 1.0 and sd.max() < 0.3    # the bounds (log 2) are over 2 SD away
    z = np.log(np.array([[float(v) for v in r[1:-1]] for r in rows]))
    cols = [0, 1, 2, 3, 4, 7]                  # referral, nfa_odds, cin_cpp, cin_closed, cpp_step_down, rereferral
    assert np.allclose(z[:, 4], z[:, 5]) and np.allclose(z[:, 4], z[:, 6])   # plan ends: one multiplier
    for j, s in zip(cols, sd):
        assert abs(z[:, j].mean()) <= K_SE * s / np.sqrt(n), (j, z[:, j].mean(), s)
        assert abs(z[:, j].std(ddof=1) - s) <= K_SE * s / np.sqrt(2 * n), (j, z[:, j].std(ddof=1), s)


def test_baseline_fan_is_wider_with_the_pathway_draws(tmp_path):
    """scenarios/baseline.yaml, two years, 24 replicates, with and without tables.pathway_draws
    (the same seed, so the same care draws and rules): children in need (not on a plan) on
    31 March 2019 vary more across replicates with the draws. Under equal variances the ratio
    of the sample variances is F(23, 23); the test asks for more than its 0.999 quantile (a
    false failure once in 1,000 if the draws added nothing). The committed draws' log SDs (1%
    on new referrals, 0.7% on closing) move the stock by about 1%, the chance spread is about
    0.2%: an expected ratio of over 10."""
    from scipy.stats import f as fdist
    base = (ROOT / "scenarios" / "baseline.yaml").read_text().replace("../models", str(ROOT / "models"))
    without = "\n".join(line for line in base.splitlines() if not line.strip().startswith("pathway_draws:"))
    assert without != base
    var = {}
    for name, text in (("with", base), ("without", without)):
        scen, out = tmp_path / f"{name}.yaml", tmp_path / f"{name}.h5"
        scen.write_text(text)
        subprocess.run([CARESIM, "run", str(scen), "-o", str(out), "-q", "-r", "24", "--horizon", "2y",
                        "--threads", "2"], check=True)
        with h5py.File(out, "r") as f:
            cin = f["stock"][0][:, -1, :, labels(f, "state").index("cin")].sum(axis=(1, 2)).astype(float)
        assert cin.shape == (24,)
        var[name] = cin.var(ddof=1)
    assert var["with"] / var["without"] > fdist.ppf(0.999, 23, 23), var
