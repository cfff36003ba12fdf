"""The pathway before care (tests/data/pathway: referrals, CIN, plans, closed cases, care):
exact bookkeeping in every replicate, flows equal to the episode log, and the competing risks
drawn at the rates of the tables, within stated standard errors."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SCENARIO = ROOT / "tests" / "data" / "pathway" / "scenario.yaml"
K_SE = 4.0          # tolerance in standard errors: a false alarm about 6e-5 per comparison
YEAR = 365.25


def labels(f, name):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f[name][...]]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("pathway") / "pathway.h5"
    subprocess.run([CARESIM, "run", str(SCENARIO), "-o", str(out), "-q", "--threads", "2"], check=True)
    f = h5py.File(out, "r", locking=False)
    yield f
    f.close()


def episodes(f, r):
    g = f[f"episodes/s0_r{r}"]
    return {k: g[k][...] for k in g}, {k: g[k].attrs["labels"].split(",") for k in g if "labels" in g[k].attrs}


def test_stock_moves_only_by_flows(run):
    """For every replicate, area, state and period: stock(t) = stock(t-1) + inflows - outflows,
    exactly (children change age band without a transition, so age bands are summed)."""
    f = run
    states, trs = labels(f, "state"), labels(f, "transition")
    frm, to = labels(f, "transition_from"), labels(f, "transition_to")
    stock = f["stock"][...].sum(axis=-1).astype(np.int64)      # (S, R, T, A, state)
    flow = f["flow"][...].sum(axis=-1).astype(np.int64)        # (S, R, T, A, transition)
    assert stock[:, :, -1].sum() > 0 and flow.sum() > 0
    for si, s in enumerate(states):
        ins = [i for i, tr in enumerate(trs) if to[i] == s and frm[i] != s]
        outs = [i for i, tr in enumerate(trs) if frm[i] == s and to[i] != s]
        change = stock[:, :, 1:, :, si] - stock[:, :, :-1, :, si]
        moved = flow[:, :, 1:][..., ins].sum(-1) - flow[:, :, 1:][..., outs].sum(-1)
        assert np.array_equal(change, moved), f"state {s}: stock change differs from flows"
    assert (flow[:, :, 0] == 0).all()   # nothing is counted at the start date


def test_flows_equal_episode_log(run):
    """Every flow into a logged state (care placements, CIN, plans) equals the episode rows it
    opened, and every flow out of one the rows it closed, per replicate, period and area."""
    f = run
    trs = labels(f, "transition")
    obs = f["time"][...]
    flow = f["flow"][...].sum(axis=-1).astype(np.int64)[0]     # (R, T, A, transition)
    R = flow.shape[0]
    checked = set()
    for r in range(R):
        ep, lab = episodes(f, r)
        started = np.array(lab["reason_started"])[ep["reason_started"]]
        ended = np.where(ep["reason_ended"] >= 0, np.array(lab["reason_ended"])[np.maximum(ep["reason_ended"], 0)], "")
        for ti, tr in enumerate(trs):
            for col, names, t in (("start", started, ep["start"]), ("end", ended, ep["end"])):
                rows = names == tr
                if not rows.any():
                    continue
                checked.add((tr, col))
                period = np.searchsorted(obs, t[rows], side="left")   # (obs[p-1], obs[p]] holds t
                ok = (t[rows] > obs[0]) & (period < len(obs))
                got = np.zeros(flow.shape[1:3], np.int64)
                np.add.at(got, (period[ok], ep["area"][rows][ok]), 1)
                assert np.array_equal(got, flow[r, :, :, ti]), f"replicate {r}: {tr} ({col} of rows)"
    for tr in ("referral", "rereferral", "cin_cpp", "cin_lac", "cin_closed", "cpp_step_down", "cpp_lac",
               "cpp_closed", "entry", "placement_move", "home"):
        assert any(c[0] == tr for c in checked), f"{tr}: never seen in the log"


def rates(path):
    import csv
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    return rows, {k[: -len("_per_year")]: float(rows[0][k]) for k in rows[0] if k.endswith("_per_year")}


def test_competing_risks_by_occurrence_exposure(run):
    """Each hazard of the constant tables (cpp, closed_recent) recovered as events / exposure,
    pooling every replicate: exposure is days_in_state (integrated exactly), events the flows;
    Poisson standard error sqrt(n) / exposure. Shares of the ways out within binomial SEs."""
    f = run
    states, trs = labels(f, "state"), labels(f, "transition")
    days = f["days_in_state"][...].sum(axis=(0, 1, 2, 3, 5))     # by state
    flow = f["flow"][...].sum(axis=(0, 1, 2, 3, 5))
    data = SCENARIO.parent
    for state in ("cpp", "closed_recent"):
        _, h = rates(data / f"{state}_hazards.csv")
        exposure = days[states.index(state)] / YEAR
        total = sum(h.values())
        n_all = sum(flow[trs.index(k)] for k in h)
        for k, rate in h.items():
            n = flow[trs.index(k)]
            est, se = n / exposure, np.sqrt(max(n, 1)) / exposure
            assert abs(est - rate) < K_SE * se, f"{k}: {est:.4f}/year vs {rate} (se {se:.4f}, n {n})"
            if len(h) == 1:
                continue   # one way out: its share is 1 by construction
            p = rate / total
            assert abs(n / n_all - p) < K_SE * np.sqrt(p * (1 - p) / n_all), f"{k}: share {n / n_all:.4f} vs {p:.4f}"


def test_cin_hazards_by_time_in_state(run):
    """CIN hazards change at 91 days in need: events and exposure split at 91 days from the
    episode log (pooled over replicates) recover both bands' rates within 4 Poisson SEs."""
    f = run
    rows, _ = rates(SCENARIO.parent / "cin_hazards.csv")
    bands = {int(r["from_days"]): {k[:-9]: float(v) for k, v in r.items() if k.endswith("_per_year")}
             for r in rows if r["age_band"] == "5_9"}
    horizon = f["time"][...][-1]
    events = {b: {k: 0 for k in bands[0]} for b in bands}
    expo = {b: 0.0 for b in bands}
    for r in range(f["done"].shape[1]):
        ep, lab = episodes(f, r)
        cin = ep["state"] == lab["state"].index("cin")
        start = ep["start"][cin]
        end = np.where(np.isnan(ep["end"][cin]), horizon, ep["end"][cin])
        why = np.array(lab["reason_ended"] + [""])[ep["reason_ended"][cin]]   # -1 (open) -> ""
        d = end - start
        expo[0] += np.minimum(d, 91).sum() / YEAR
        expo[91] += np.maximum(d - 91, 0).sum() / YEAR
        for k in bands[0]:
            hit = why == k
            events[0][k] += int((hit & (d < 91)).sum())
            events[91][k] += int((hit & (d >= 91)).sum())
    for b in bands:
        for k, rate in bands[b].items():
            n = events[b][k]
            est, se = n / expo[b], np.sqrt(max(n, 1)) / expo[b]
            assert abs(est - rate) < K_SE * se, f"cin band {b}, {k}: {est:.4f} vs {rate} (se {se:.4f}, n {n})"


def test_referrals_and_no_further_action(run):
    """Referrals arrive at the table's rates (population x rate x entry_multiplier) and a share
    nfa_share needs no further action: both within 4 standard errors (Poisson, binomial)."""
    import csv
    f = run
    trs = labels(f, "transition")
    with open(SCENARIO.parent / "referral_rates.csv") as fh:
        ref = {r["age_band"]: r for r in csv.DictReader(fh)}
    with open(SCENARIO.parent.parent / "small" / "areas.csv") as fh:
        areas = list(csv.DictReader(fh))
    ages = labels(f, "age_band")
    R, years = f["done"].shape[1], (f["time"][...][-1] - f["time"][...][0]) / YEAR
    flow = f["flow"][...].sum(axis=(0, 1, 2, 3))      # (transition, age_band): age at referral
    for bi, b in enumerate(ages):
        expect = sum(float(a["pop_" + b]) * float(a["entry_multiplier"]) for a in areas) * \
            float(ref[b]["rate_per_10000_per_year"]) / 1e4 * years * R
        nfa, opened = flow[trs.index("referral_nfa"), bi], flow[trs.index("referral"), bi]
        assert abs(nfa + opened - expect) < K_SE * np.sqrt(expect), f"{b}: {nfa + opened} referrals vs {expect:.0f}"
        p, n = float(ref[b]["nfa_share"]), nfa + opened
        assert abs(nfa / n - p) < K_SE * np.sqrt(p * (1 - p) / n), f"{b}: nfa share {nfa / n:.4f} vs {p}"


def test_cin_export_counts_match_flows(run):
    """The CIN-census-style export has one CIN episode per referral or re-referral that opened
    one, and one plan row per plan started (replicate 0)."""
    import sys
    sys.path.insert(0, str(ROOT / "analysis"))
    from caresim.cin_export import COLUMNS, cin_from_run
    f = run
    trs = labels(f, "transition")
    flow = f["flow"][0, 0].sum(axis=(0, 1, 3))      # (transition,) over time, area, age
    table = cin_from_run(f.filename, 0, 0)
    assert list(table.columns) == COLUMNS
    episodes_opened = table.drop_duplicates(["child_id", "cin_start"])
    assert len(episodes_opened) == flow[trs.index("referral")] + flow[trs.index("rereferral")]
    assert (table["plan_number"] > 0).sum() == flow[trs.index("cin_cpp")]
