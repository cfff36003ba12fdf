"""The projection rule drawn once per replicate (tables.rate_trend with a `rule` column, chosen by
tables.parameter_draws' `rule` column). Small scenario (tests/data/small), fixed seeds.

Three rules, each a constant multiplier on every first entry: rule 0 x1, rule 1 x3, rule 2 x0.
Four parameter draws (multipliers 1) carry rules 0, 1, 0, 2, so a replicate, drawing its row
uniformly, gets rule 0 with probability 1/2 and rules 1 and 2 with 1/4 each. A replicate's rule
is read off its entries: none at all under rule 2 (exact); otherwise Poisson around lambda or
3 lambda, each replicate within 5 Poisson standard deviations of one of them (false alarm under
1e-5 per replicate; lambda is the median of the replicates nearer the lower level).

(a) over R = 200 replicates the count of each rule lies within K = 4 binomial standard
    errors sqrt(R p (1 - p)) of R p (false alarm about 6e-5 per rule), so different
    replicates get different rules in the stated proportions;
(b) a programme variant (doubling returns home, which leaves entries alone) run with the baseline
    gets the same rule as the baseline in every replicate: exact;
(c) --threads 1 and --threads 3 give identical datasets: exact.
"""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SMALL = ROOT / "tests" / "data" / "small"
BANDS = ["under_1", "1_4", "5_9", "10_15", "16_17"]
RULE_MULT = (1.0, 3.0, 0.0)
DRAW_RULES = (0, 1, 0, 2)
R, K = 200, 4


def scenarios(tmp: Path) -> tuple:
    trend = "rule,from_date," + ",".join(f"entry_{b}" for b in BANDS) + "\n"
    for k, m in enumerate(RULE_MULT):
        trend += f"{k},2017-03-31," + ",".join(f"{m:g}" for _ in BANDS) + "\n"
    (tmp / "trend.csv").write_text(trend)
    draws = "draw,rule," + ",".join(f"entry_{b}" for b in BANDS) + "\n"
    for d, k in enumerate(DRAW_RULES):
        draws += f"{d},{k}," + ",".join("1" for _ in BANDS) + "\n"
    (tmp / "draws.csv").write_text(draws)
    text = (SMALL / "scenario.yaml").read_text().replace("../../../models", str(ROOT / "models"))
    text = text.replace("areas: areas.csv", f"areas: {SMALL / 'areas.csv'}")
    text = text.replace("tables:\n", f"tables:\n  rate_trend: {tmp / 'trend.csv'}\n"
                        f"  parameter_draws: {tmp / 'draws.csv'}\n")
    (tmp / "base.yaml").write_text(text)
    (tmp / "prog.yaml").write_text(
        "extends: base.yaml\nname: faster_home\nprogrammes:\n"
        "  - name: faster_home\n    areas: {eligible: {}}\n    children: {states: [lac], age: [0, 17]}\n"
        "    start: 2017-03-31\n    effects:\n      - {transition: home, ratio: 2}\n")
    return tmp / "base.yaml", tmp / "prog.yaml"


def run(out: Path, *args):
    r = subprocess.run([CARESIM, "run", *map(str, args), "-o", str(out), "-q", "--force"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr


def rules_of(f) -> np.ndarray:
    """[scenario, replicate]: each replicate's rule, read off its entries over the run."""
    tr = [t.decode() if isinstance(t, bytes) else t for t in f["transition"][:]]
    flow = f["flow"][:, :, :, :, tr.index("entry"), :]       # scenario, replicate, time, area, age
    n = flow.reshape(flow.shape[0], flow.shape[1], -1).sum(axis=2).astype(float)
    pos = n[n > 0]
    lam = np.median(pos[pos < 2 * pos.min()])
    low = np.abs(n - lam) < 5 * np.sqrt(lam)
    high = np.abs(n - 3 * lam) < 5 * np.sqrt(3 * lam)
    assert np.all((n == 0) | low | high), n
    return np.where(n == 0, 2, np.where(high, 1, 0))


def test_rule_drawn_per_replicate_in_proportion_and_paired(tmp_path):
    base, prog = scenarios(tmp_path)
    out = tmp_path / "o.h5"
    run(out, base, prog, "-r", R, "--threads", 2)
    with h5py.File(out) as f:
        rules = rules_of(f)
        tr = [t.decode() if isinstance(t, bytes) else t for t in f["transition"][:]]
        home = f["flow"][:, :, :, :, tr.index("home"), :].sum(axis=(1, 2, 3, 4))
    assert home[1] > home[0]                         # the programme is in effect in the variant
    assert np.array_equal(rules[0], rules[1]), "baseline and variant drew different rules"   # (b)
    for k in range(len(RULE_MULT)):                                                          # (a)
        p = DRAW_RULES.count(k) / len(DRAW_RULES)
        n = int((rules[0] == k).sum())
        assert abs(n - R * p) < K * np.sqrt(R * p * (1 - p)), (k, n, R * p)


def test_rule_draws_do_not_depend_on_threads(tmp_path):
    base, prog = scenarios(tmp_path)
    outs = [tmp_path / f"t{n}.h5" for n in (1, 3)]
    for n, out in zip((1, 3), outs):
        run(out, base, prog, "-r", 12, "--threads", n)
    with h5py.File(outs[0]) as a, h5py.File(outs[1]) as b:
        assert len(set(rules_of(a)[0])) > 1            # the check covers more than one rule
        for d in ("stock", "placements", "flow", "days_in_care", "cost"):
            assert np.array_equal(a[d][...], b[d][...]), d
