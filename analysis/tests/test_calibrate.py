"""Calibration: the forward equations, and the fit recovering parameters from data the model made.

Recovery (test_fit_recovers_parameters): the model's expected series for known parameters,
times log-normal errors with exactly the standard deviations the fit assumes (model.SD), seeded,
are fitted with the entry and exit levels and trends free (the rest held at the truth). Each free
parameter must lie within 4 of its fitted standard errors of the truth: for a correct estimator
and covariance each miss has probability about 6e-5, so a false alarm among the 20 parameters is
about 1e-3. Without noise the fit must land on the truth (within 1e-3 on the log scale).
"""
import numpy as np
import pytest

from caresim.calibrate import data, fit, forward, model, params, uasc


def truth() -> np.ndarray:
    th, _ = params.prior()
    th[params.SL["entry"]] = np.log([5600, 5600, 4800, 8400, 3300])
    th[params.SL["entry_trend"]] = [0.01, 0.0, 0.04, 0.02, 0.05]
    th[params.SL["level"]] = np.log([0.3, 0.35, 0.12, 0.25, 0.05])
    th[params.SL["trend"]] = [0.0, 0.1, 0.12, 0.02, -0.02]
    th[params.SL["trend2"]] = [-0.02, -0.1, 0.0, 0.05, 0.0]
    th[params.SL["newborn_logit"]] = 1.0
    th[params.SL["aged_out_il_logit"]] = -1.0
    return th


UASC = {y: 1500.0 + 100.0 * (y - 2004) for y in range(2004, 2018)}


def synthetic(th: np.ndarray, noise: float, seed: int) -> data.Targets:
    """Published-like series made by the model, with log-normal errors of noise x model.SD."""
    t = data.Targets()
    t.ts_starts = {y: 28000.0 for y in range(1994, 2018)}
    u = uasc.run(UASC, sorted(UASC), params.UASC_AGE)
    t.uasc_stock = {y: float(v) for y, v in zip(sorted(UASC), u.stock_age.sum(axis=1))}
    s = model.series(th, t, UASC, 2017)
    rng = np.random.default_rng(seed)

    def noisy(v, name):
        v = np.asarray(v, float)
        return v * np.exp(noise * model.SD[name] * rng.standard_normal(v.shape))

    for y in range(2010, 2018):
        t.stock[y] = float(noisy(s.at("stock", y), "stock"))
        t.starts[y] = float(noisy(s.at("starts", y), "starts"))
        t.ceased[y] = float(noisy(s.at("ceased", y), "ceased"))
        t.ceased_reason[y] = list(noisy(s.at("ceased_reason", y), "ceased_reason"))
        if y >= 2011:
            t.stock_age[y] = list(noisy(s.at("stock_age", y), "stock_age"))
            t.starts_age[y] = list(noisy(s.at("starts_age", y), "starts_age"))
    t.mean_duration_days[2017] = float(noisy(s.at("mean_duration", 2017), "mean_duration"))
    for y in model.PAST_STOCK_YEARS:
        t.ts_stock[y] = float(noisy(s.at("stock", y), "past_stock"))
    return t


FREE = np.zeros(params.N_PARAMS, bool)
for _name in ("entry", "entry_trend", "level", "trend"):
    FREE[params.SL[_name]] = True


def _start(th):
    x0 = th.copy()
    x0[FREE] += 0.15              # start away from the truth
    return x0


def test_fit_recovers_parameters_without_noise():
    th = truth()
    t = synthetic(th, 0.0, 1)
    f = fit.run(t, 2017, theta0=_start(th), free=FREE)
    assert np.max(np.abs(f.theta[FREE] - th[FREE])) < 1e-3


def test_fit_recovers_parameters():
    th = truth()
    t = synthetic(th, 1.0, 20170331)
    f = fit.run(t, 2017, theta0=_start(th), free=FREE)
    se = np.sqrt(np.diag(f.cov))[FREE]
    z = (f.theta[FREE] - th[FREE]) / se
    assert np.all(np.abs(z) < 4.0), dict(zip(np.array(params.NAMES)[FREE], np.round(z, 2)))


def test_equilibrium_is_a_fixed_point():
    """A year run from the equilibrium of constant rates changes the stock by under 0.1%."""
    th = truth()
    r = params.year_rates(th, [2014, 2014], 2014, np.full(5, 0.2), {2010: 1.0})
    res = forward.run(r, [2014, 2015])
    a, b = res.stock_age.sum(axis=1)
    assert abs(b / a - 1) < 1e-3
    # in equilibrium, entries equal exits (leavers at 18 included)
    assert abs(res.entries_age[1].sum() / (res.exits[1].sum() + res.aged_out[1]) - 1) < 2e-3


def test_no_exits_means_stock_is_entries_times_time():
    """With no exit hazards and no re-entry, newborn entrants stay to 18: entrants aged 0 to 1
    month on arrival, as in continuous time, so on 31 March the stock is E x (18 years less half
    a month) (the cohorts 1..215 months old, E/12 each, and half of those leaving at 18 that
    day), and every leaver leaves at 18 after 18 years less half a month in care (entrants
    arrive in the middle of their first month)."""
    rates = forward.YearRates(np.zeros(forward.N_AGE), np.zeros((5, 5, 6)), np.zeros(5))
    rates.entries[0] = 120.0
    res = forward.run([rates] * 2, [1, 2])
    assert res.stock_age[1].sum() == pytest.approx(120.0 / 12 * 215.5, rel=1e-12)
    assert res.aged_out[1] == pytest.approx(120.0, rel=1e-12)
    assert res.leaver_days[1] / res.aged_out[1] == pytest.approx(18 * 365.25 - forward.MONTH_DAYS / 2, rel=1e-9)


def test_exit_hazard_gives_exponential_survival():
    """A constant hazard h: an entry cohort decays as exp(-h t) from its arrival in the middle of
    its month, so at the end of a month the under-1s are the newborn entrants of the last 11
    months (1..11 months old, in care k - 1/2 months) and half of those of the month before
    (12 months old on the model's grid, 11 to 13 in continuous time): E/12 x (sum exp(-h (k -
    1/2)/12) + exp(-h 11.5/12) / 2)."""
    h = 0.5
    hz = np.zeros((5, 5, 6))
    hz[0] = h
    rates = forward.YearRates(np.zeros(forward.N_AGE), hz, np.zeros(5))
    rates.entries[0] = 1200.0
    res = forward.run([rates], [1])
    discrete = 1200.0 / 12 * (sum(np.exp(-h * (k - 0.5) / 12) for k in range(1, 12)) + np.exp(-h * 11.5 / 12) / 2)
    assert res.stock_age[0, 0] == pytest.approx(discrete, rel=1e-9)


def test_projection_rules_damp_the_fitted_trends():
    """After the last fitted year T a rule moves each log-rate by slope x (phi + ... + phi^h):
    held (phi 0) repeats T's rates, an undamped trend (phi 1) follows the fitted straight line,
    and a damped one lies between, approaching slope x phi / (1 - phi). Exact up to rounding."""
    from caresim.calibrate import projection
    th, T = truth(), 2017
    ent, etr = th[params.SL["entry"]], th[params.SL["entry_trend"]]
    years = [T, T + 1, T + 5, T + 40]

    def first(rule):
        return np.array([forward.AGE_ONEHOT @ r.entries
                         for r in params.year_rates(th, years, T, np.zeros(5), {}, rule)])

    def line(y):
        return np.exp(ent + etr * (y - params.REF_YEAR))

    held, trend = first(projection.HELD), first(projection.TREND)
    damped = first(projection.Rule(0.5, 0.0, 0.0))
    for i, y in enumerate(years):
        np.testing.assert_allclose(held[i], line(T), rtol=1e-12)
        np.testing.assert_allclose(trend[i], line(y), rtol=1e-12)
        np.testing.assert_allclose(damped[i], line(T + projection.damped_years(0.5, y - T)), rtol=1e-12)
    np.testing.assert_allclose(damped[-1], line(T + 1.0), rtol=1e-9)      # 0.5 / (1 - 0.5) = 1
    # exits: the rule's exit factor alone moves them, reason by reason (trend2 after the knot)
    h = [r.hazards for r in params.year_rates(th, [T, T + 3], T, np.zeros(5), {}, projection.Rule(0, 1, 0))]
    tr2 = th[params.SL["trend2"]]
    for r in range(5):
        nz = h[0][r] > 0
        np.testing.assert_allclose(h[1][r][nz] / h[0][r][nz], np.exp(3 * tr2[r]), rtol=1e-12)


def test_uasc_entries_continue_their_recent_slope():
    from caresim.calibrate import projection
    ent = {y: 1000.0 * np.exp(0.2 * (y - 2014)) for y in range(2010, 2018)}
    out = projection.uasc_entries(ent, 2017, [2016, 2017, 2018, 2020], projection.Rule(0, 0, 0.8))
    assert out[2016] == ent[2016] and out[2017] == ent[2017]
    np.testing.assert_allclose(out[2018], ent[2017] * np.exp(0.2 * 0.8), rtol=1e-9)
    np.testing.assert_allclose(out[2020], ent[2017] * np.exp(0.2 * projection.damped_years(0.8, 3)), rtol=1e-9)
    held = projection.uasc_entries(ent, 2017, [2030], projection.HELD)
    assert held[2030] == ent[2017]


def test_year_effects_apply_in_their_year_and_are_held_after_the_last_fit():
    """A year effect multiplies that year's first entries (by band) or exit hazards (by reason)
    by exp(effect); after the last fitted year T the rates move only by the rule's line, from
    T's effect (held), so the year after T is continuous with T under the held rule; before
    the first fitted year the first one's effect applies. The effects of years after T are
    not fitted. Exact up to rounding."""
    th, T = truth(), 2014
    base = params.year_rates(th, [2012, T, T + 1, T + 3], T, np.zeros(5), {})
    th2 = th.copy()
    ey = th2[params.SL["entry_year"]].reshape(len(params.YEAR_EFFECT_YEARS), 5)
    xy = th2[params.SL["exit_year"]].reshape(len(params.YEAR_EFFECT_YEARS), 5)
    i12, iT = 2012 - params.YEAR_EFFECT_YEARS[0], T - params.YEAR_EFFECT_YEARS[0]
    ey[i12] = [0.1, -0.2, 0.0, 0.05, 0.3]
    xy[iT] = [0.2, -0.1, 0.15, 0.0, -0.3]
    th2[params.SL["entry_year"]] = ey.ravel()
    th2[params.SL["exit_year"]] = xy.ravel()
    new = params.year_rates(th2, [2012, T, T + 1, T + 3], T, np.zeros(5), {})
    band = forward.AGE_ONEHOT
    np.testing.assert_allclose(band @ new[0].entries, band @ base[0].entries * np.exp(ey[i12]), rtol=1e-12)
    for i in (1, 2, 3):
        np.testing.assert_allclose(new[i].entries, base[i].entries, rtol=1e-12)
        for r in range(5):
            np.testing.assert_allclose(new[i].hazards[r], base[i].hazards[r] * np.exp(xy[iT, r]), rtol=1e-12)
    np.testing.assert_allclose(new[0].hazards, base[0].hazards, rtol=1e-12)
    first = params.YEAR_EFFECT_YEARS[0]
    np.testing.assert_allclose(params.year_effect(th2, "entry_year", first - 5, T),
                               params.year_effect(th2, "entry_year", first, T))
    mask = params.year_effect_mask(T)
    late = [n for n, m in zip(params.NAMES, mask) if not m]
    assert len(late) == 2 * 5 * (params.YEAR_EFFECT_YEARS[-1] - T)
    assert all(int(n.split("[")[1].rstrip("]")) > T for n in late)


def test_rule_candidates_and_their_draws():
    """backtest.candidates: the best rule first, then every rule within RULE_MARGIN points of
    it, equal weights; assign_rules: round(n x weight) draws per rule, exact, in a seeded order."""
    from caresim.calibrate import backtest, projection
    scores = {r.name: 3.0 + 0.1 * i for i, r in enumerate(projection.RULES)}
    scores[projection.RULES[5].name] = 2.0
    scores[projection.RULES[2].name] = 2.3          # within the margin, before the best in RULES
    scores[projection.RULES[7].name] = 2.0 + backtest.RULE_MARGIN
    scores[projection.RULES[9].name] = 2.01 + backtest.RULE_MARGIN
    errs = {2014: {n: {k: v for k in backtest.HEADLINE} for n, v in scores.items()}}
    c = backtest.candidates(errs)
    assert c[0][0] == projection.RULES[5]
    near = [r for r in projection.RULES if r != projection.RULES[5] and scores[r.name] <= 2.0 + backtest.RULE_MARGIN]
    assert [r for r, _, _ in c[1:]] == near == [projection.RULES[2], projection.RULES[7]]
    assert all(abs(w - 1 / len(c)) < 1e-12 for _, _, w in c)
    a = backtest.assign_rules([0.5, 0.25, 0.25], 200, np.random.default_rng(1))
    assert np.bincount(a).tolist() == [100, 50, 50]
    assert a == backtest.assign_rules([0.5, 0.25, 0.25], 200, np.random.default_rng(1))
    assert a != sorted(a)


def test_uasc_placements_are_the_rises_of_their_groups(tmp_path):
    """UASC placement shares: the 2014-2017 rise of each mapped group over the rise of UASC,
    the rest foster; rows of other releases are ignored."""
    rows = ["year,placement_group,placement_dfe,count_at_31_march,percent,release_year,confidence,source"]
    for y, res, ind in ((2014, 6000, 2000), (2017, 7000, 2500)):
        rows += [f"{y},secure_childrens_homes_semi_independent,x,{res},,{y},source,x",
                 f"{y},independent_living,x,{ind},,{y},source,x"]
    rows.append("2017,independent_living,x,9999,,2024,source,a later release")
    (tmp_path / "placements.csv").write_text("\n".join(rows) + "\n")
    sh = uasc.placement_shares(tmp_path, {2014: 2000.0, 2017: 4000.0})
    assert sh["residential"] == pytest.approx(0.5) and sh["independent"] == pytest.approx(0.25)
    assert sh["foster"] == pytest.approx(0.25) and sh["kinship"] == 0 and sh["placed_with_parents"] == 0


def test_uasc_stock_cells_keep_the_stream_by_age_band():
    """The initial stock's UASC cells hold the stream's whole stock on the last 31 March (with
    half of those leaving at 18 on that day's month boundary, still 17 in continuous time), split
    into 10_15 and 16_17 as the stream's own stock by age band."""
    u = uasc.run(UASC, sorted(UASC), params.UASC_AGE)
    cells = uasc.stock_cells(u, (0, 91, 182, 365, 730, 1826))
    assert cells.sum() == pytest.approx(u.grid.sum() + u.out_last.sum() / 2, rel=1e-12)
    assert cells.sum(axis=1) == pytest.approx(u.stock_age[-1][3:], rel=1e-12)


def test_uasc_table_has_one_block_per_drawn_rule(tmp_path):
    """uasc.csv (tables.uasc): one block of rows per drawn rule, numbered as rate_trend.csv's,
    each with the same dates (years ending 31 March 2017-2040) and that rule's continuation of
    the fitted UASC entries (projection.uasc_entries; written to 0.1)."""
    import csv
    from types import SimpleNamespace
    from caresim.calibrate import projection, tables
    test_uasc_placements_are_the_rises_of_their_groups(tmp_path)   # writes placements.csv
    years = list(range(2004, tables.TREND_LAST_YEAR + 1))
    rules = [projection.HELD, projection.Rule(0.8, 0, 0.5), projection.Rule(0.8, 0, 0.8)]
    ent = [projection.uasc_entries(UASC, 2017, years, r) for r in rules]
    drawn = [(r, SimpleNamespace(years=years, uasc_run=uasc.run(e, years, params.UASC_AGE)))
             for r, e in zip(rules, ent)]
    tables.uasc_table(tmp_path, tmp_path, SimpleNamespace(last_fit=2017), drawn,
                      SimpleNamespace(uasc_stock={2014: 2000.0, 2017: 4000.0}))
    rows = list(csv.DictReader(open(tmp_path / "uasc.csv")))
    blocks = [[r for r in rows if r["rule"] == str(k)] for k in range(len(rules))]
    assert sum(map(len, blocks)) == len(rows)
    want_dates = [f"{y - 1}-03-31" for y in range(2017, tables.TREND_LAST_YEAR + 1)]
    for k, b in enumerate(blocks):
        assert [r["from_date"] for r in b] == want_dates
        got = np.array([float(r["entries_per_year"]) for r in b])
        np.testing.assert_allclose(got, [ent[k][y] for y in range(2017, tables.TREND_LAST_YEAR + 1)], atol=0.051)
        assert b[0]["entries_per_year"] == blocks[0][0]["entries_per_year"]   # the fitted 2017 level
    assert len({b[-1]["entries_per_year"] for b in blocks}) == len(rules)   # the rules part after 2017
