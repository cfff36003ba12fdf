"""The pathway before care: its forward model, and the fit recovering known parameters from
series the forward model made.

Recovery: every published series of the real fit (same series, years, weights) is made by the
forward model for known parameters and multiplied by log-normal errors with exactly the
standard deviations the fit assumes (pathway.SD), seeded; all 48 parameters are then fitted
from the fixed starting point. The truth of the parts the data barely see (shapes, the share of
plans ending in care) lies within one prior sd of its prior centre, so the prior pulls the
estimate by less than one of its posterior standard errors. Each parameter must lie within 4
posterior standard errors (the Laplace covariance) of the truth: for a correct estimator each
miss has probability about 6e-5, so a false alarm among 48 is about 3e-3. Without noise, and
with the weak parts at their prior centres, the fit must land on the truth moved by the pull
of the (wide) priors of the levels, which for a quadratic criterion is exactly
-cov (theta - mu) / sd^2 (cov: the posterior covariance; it matters only for the plans'
first three months, which no published number sees well, and what correlates with them);
allowed: 1e-3 on the log scale plus 5% of that pull (the criterion is not exactly quadratic).
"""
import csv
import math

import numpy as np
import pytest

from caresim.calibrate import pathway, pathway_model as pm

YEARS = list(range(2010, 2018))
CLA = {y: 65000.0 + 1000.0 * (y - 2010) for y in YEARS}


def truth(weak_offset: float) -> np.ndarray:
    th, sd = pm.prior()
    th[pm.SL["ref"]] = math.log(480000)
    th[pm.SL["ref_trend"]] = 0.02
    th[pm.SL["nfa"]] = -0.15
    th[pm.SL["nfa_trend"]] = 0.03
    th[pm.SL["reref"]] = math.log(0.55)
    th[pm.SL["reref_trend"]] = -0.03
    th[pm.SL["cin_close_trend"]] = -0.005
    th[pm.SL["cin_cpp_trend"]] = 0.05
    th[pm.SL["cpp"]] = np.log([0.08, 2.4, 0.8, 2.6, 1.0])
    th[pm.SL["cpp_trend"]] = 0.03
    th[pm.SL["cin_close"].start + 1] = math.log(1.3)
    th[pm.SL["cin_cpp"].start] = math.log(0.5)
    # the weak parts: within one prior sd of their centres
    for name in ("cin_close", "cin_cpp", "cin_lac", "cpp_lac", "cpp_closed"):
        s = pm.SL[name]
        for i in range(s.start, s.stop):
            if sd[i] < pm.WIDE:
                th[i] += weak_offset * sd[i] * (1 if i % 2 else -1)
    years = np.arange(len(pm.YEARS))
    for k, name in enumerate(("ref_year", "cin_cpp_year", "cpp_year")):
        th[pm.SL[name]] += weak_offset * 0.5 * pm.YEAR_SD * np.sin(years + k)
    return th


def synthetic(th: np.ndarray, noise: float, seed: int) -> pathway.Data:
    """The real fit's observations (no recalled numbers), made by the model, with log-normal
    errors of noise x their SD."""
    d = pathway.Data(cla=dict(CLA))
    res = pm.run_theta(th, YEARS)
    rng = np.random.default_rng(seed)
    series = [("cin_total", YEARS), ("referrals", YEARS), ("cpp_stock", YEARS), ("cpp_started", YEARS),
              ("cpp_ended", YEARS[4:]), ("cin_started", YEARS[3:]), ("cin_ended", YEARS[3:]),
              ("rereferral_share", YEARS[3:])]
    for name, ys in series:
        for y in ys:
            v = pathway.model_value(res, d.cla, name, y, None)
            d.obs.append((name, y, None, v * math.exp(noise * pathway.SD[name] * rng.standard_normal()), False))
    for y in YEARS[3:]:
        for k in range(5):
            v = pathway.model_value(res, d.cla, "cpp_duration", y, k)
            d.obs.append(("cpp_duration", y, k, v * math.exp(noise * pathway.SD["cpp_duration"] * rng.standard_normal()),
                          False))
    return d


def test_fit_recovers_parameters_without_noise():
    th = truth(0.0)
    f = pathway.fit(synthetic(th, 0.0, 1))
    mu, sd = pm.prior()
    pull = -f.cov @ ((th - mu) / sd ** 2)
    bad = np.abs(f.theta - th - pull) > 1e-3 + 0.05 * np.abs(pull)
    assert not bad.any(), [pm.NAMES[i] for i in np.flatnonzero(bad)]


def test_fit_recovers_parameters():
    th = truth(1.0)
    f = pathway.fit(synthetic(th, 1.0, 20170331))
    se = np.sqrt(np.diag(f.cov))
    z = (f.theta - th) / se
    worst = int(np.argmax(np.abs(z)))
    assert np.all(np.abs(z) < 4.0), f"{pm.NAMES[worst]}: {f.theta[worst]:.4f} vs {th[worst]:.4f}, z {z[worst]:.2f}"


def test_equilibrium_is_a_fixed_point():
    r = pm.rates(truth(0.0), 2014)
    s = pm.equilibrium(r)
    s2 = s.copy()
    m = pm._Month(r)
    for _ in range(12):
        pm.month(s2, m)
    assert np.allclose(s.cin, s2.cin, rtol=1e-9) and np.allclose(s.cpp, s2.cpp, rtol=1e-9)
    assert np.allclose(s.closed, s2.closed, rtol=1e-9)


def test_plan_survival_is_exponential_within_a_band():
    """Plans open half a month at the start, one total hazard h in every band and no age-out:
    a year later exp(-h) of them are still open (exact competing risks, month by month), and
    a tenth of those that ended went into care."""
    h = 1.5
    r = pm.Rates(new=0.0, nfa=0.0, reref=0.0, cin=np.zeros((3, 3)), cpp=np.outer([0.7, 0.1, 0.2], np.full(5, h)))
    s = pm.State.empty()
    s.cpp[0, 0] = 1000.0
    m = pm._Month(r, out=0.0)
    flows = sum(pm._flows(m, pm.month(s, m)) for _ in range(12))
    assert s.cpp.sum() == pytest.approx(1000.0 * math.exp(-h), rel=1e-12)
    ended = 1000.0 * (1 - math.exp(-h))
    assert flows[pm.FLOWS.index("cpp_ended")] == pytest.approx(ended, rel=1e-12)
    assert flows[pm.FLOWS.index("cpp_lac")] == pytest.approx(0.1 * ended, rel=1e-12)


def test_arrivals_get_half_a_month_and_cells_straddle_bands():
    """A plan started during a month has had half a month at the first band's hazard by its
    end, then each month is half in one band and half in the next: after the arrival month
    and three more, survival is exp(-(h0 (0.5 + 2.5) + h1 x 0.5) / 12) (bands 0-3m, 3-6m)."""
    h0, h1 = 0.3, 2.4
    tot = np.array([h0, h1, h1, h1, h1])
    r = pm.Rates(new=0.0, nfa=0.0, reref=0.0, cin=np.zeros((3, 3)), cpp=np.outer([0.7, 0.1, 0.2], tot))
    m = pm._Month(r, out=0.0)
    s = pm.State.empty()
    # the arrival month: 1000 children in need all start a plan during it
    m_arr = pm._Month(pm.Rates(0.0, 0.0, 0.0, np.array([[1e9] * 3, [0.0] * 3, [0.0] * 3]), r.cpp), out=0.0)
    s.cin[0, 5] = 1000.0
    pm.month(s, m_arr)
    assert s.cpp.sum() == pytest.approx(1000.0 * math.exp(-h0 / 24), rel=1e-9)
    for _ in range(3):
        pm.month(s, m)
    assert s.cpp.sum() == pytest.approx(1000.0 * math.exp(-(h0 * 3.0 + h1 * 0.5) / 12), rel=1e-9)


def test_year_effects_apply_in_their_year_and_are_held_after():
    th = truth(0.0)
    th[pm.SL["ref_year"]] = 0.0
    th[pm.SL["ref_year"].start + pm.YEARS.index(2017)] = 0.1
    base = math.exp(th[pm.SL["ref"]][0] + th[pm.SL["ref_trend"]][0] * 3)
    assert pm.rates(th, 2017).new == pytest.approx(base * math.exp(0.1), rel=1e-12)
    assert pm.rates(th, 2016).new == pytest.approx(base * math.exp(-th[pm.SL["ref_trend"]][0]), rel=1e-12)
    assert pm.rates(th, 2020).new == pytest.approx(base * math.exp(0.1 + 3 * th[pm.SL["ref_trend"]][0]), rel=1e-12)


def _entry_ages(cal, shares: dict) -> None:
    """A care fit's entry_ages.csv: under-1s mostly newborns, 10-15s rising with age (like the
    fitted table), single years elsewhere even."""
    md = 365.25 / 12
    cal.mkdir(parents=True)
    rows = ["age_band,from_age_days,to_age_days,share,source"]
    for b, cuts in shares.items():
        for m0, m1, s in cuts:
            rows.append(f"{b},{m0 * md:.2f},{m1 * md:.2f},{s},test")
    (cal / "entry_ages.csv").write_text("\n".join(rows) + "\n")


def test_pathway_entries_never_exceed_the_fitted_entries_at_any_age(tmp_path):
    """The weights on the hazards into care send each band its share of the pathway's entries
    unless that would put more entrants at some interval of age than the care fit has there
    (the pathway cannot bring newborns into care): then fewer. Direct entrants then carry the
    rest, at each interval, so that direct + pathway entries reproduce the fitted entries at
    every interval exactly (up to the 5 decimals of the written shares)."""
    from caresim.calibrate import pathway_ages as ages, pathway_tables as pt
    shares = {"under_1": [(0, 1, 0.87), (1, 12, 0.13)],
              "1_4": [(12 * y, 12 * y + 12, 0.25) for y in range(1, 5)],
              "5_9": [(12 * y, 12 * y + 12, 0.2) for y in range(5, 10)],
              "10_15": [(12 * y, 12 * y + 12, s) for y, s in zip(range(10, 16), (0.06, 0.09, 0.12, 0.17, 0.24, 0.32))],
              "16_17": [(192, 204, 0.5), (204, 216, 0.5)]}
    _entry_ages(tmp_path / "calibration", shares)
    first = np.array([5000.0, 3000.0, 2500.0, 4800.0, 2900.0])
    target = 0.55 * first
    fitted = [pm.rates(truth(0.0), y) for y in YEARS]
    cuts = pt.entry_intervals(tmp_path / "calibration", first)
    w = pt.weights(fitted, target, cuts)
    _, lac, _ = ages.run(fitted, w)
    lac = lac[-1]
    via = ages.by_band(lac)
    for b, m0, m1, n in cuts:
        assert lac[m0:m1].sum() <= n, (b, m0, m1, lac[m0:m1].sum(), n)
    assert np.all(via <= target * (1 + 1e-6))
    assert via[0] < 0.5 * target[0]                    # the under-1 cap binds: few infants in need
    assert np.any(np.abs(via / target - 1) < 1e-6)     # and a band without a binding cap gets its share
    pt.direct_ages(tmp_path, first, via, lac, cuts)
    with open(tmp_path / "entry_ages_direct.csv", newline="") as f:
        direct = list(csv.DictReader(f))
    assert len(direct) == len(cuts)
    for (b, m0, m1, n), r in zip(cuts, direct):
        s = float(r["share"])
        assert s >= 0.0
        assert abs(lac[m0:m1].sum() + s * (first[b] - via[b]) - n) <= 1e-5 * first[b] + 1e-9, (b, m0, m1)


def test_pathway_trend_rows_continue_each_fitted_slope(tmp_path):
    """pathway_trend.csv: each column is its own fitted slope continued with the given entry
    damping, exp(slope x (effective year - 2017)), exactly (the year effects are held, so they
    cancel); the hazard into care from need has no trend (1). One block per rule, in the order
    given, all with the same numbers (the pathway's damping is its own back-test's, not the
    rule's); another damping gives other numbers."""
    from caresim.calibrate import pathway_tables as pt, projection
    th = truth(0.0)
    slope = {"referral": "ref_trend", "nfa_odds": "nfa_trend", "cin_cpp": "cin_cpp_trend",
             "cin_closed": "cin_close_trend", "cpp_step_down": "cpp_trend", "cpp_lac": "cpp_trend",
             "cpp_closed": "cpp_trend", "rereferral": "reref_trend"}
    rules = [projection.Rule(0.8, 0.0, 0.0), projection.Rule(0.5, 0.0, 0.5)]
    years = [2018, 2019, 2025]

    def rows_for(phi):
        pt.pathway_trend(tmp_path, th, pm.rates(th, 2017), years, rules, phi)
        with open(tmp_path / "pathway_trend.csv", newline="") as f:
            return list(csv.DictReader(f))
    rows = rows_for(0.5)
    assert [(int(r["rule"]), r["from_date"]) for r in rows] == [(k, f"{y - 1}-03-31") for k in (0, 1) for y in years]
    for r in rows:
        y = int(r["from_date"][:4]) + 1
        dy = projection.effective_year(0.5, y, 2017) - 2017
        assert float(r["cin_lac"]) == 1.0
        for col, name in slope.items():
            want = math.exp(float(th[pm.SL[name]][0]) * dy)
            assert abs(float(r[col]) - want) <= 6e-6, (r["rule"], y, col, r[col], want)
    cols = [c for c in rows[0] if c not in ("rule", "source", "note")]
    assert [[r[c] for c in cols] for r in rows[:len(years)]] == [[r[c] for c in cols] for r in rows[len(years):]]
    assert rows_for(0.8)[-1]["referral"] != rows[-1]["referral"]   # the damping changes the numbers
