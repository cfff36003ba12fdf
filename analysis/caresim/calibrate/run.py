"""The whole calibration, in order: fit 2010-2017, back-test (fits 2010-2013 and 2010-2014;
choose the projection rule; the pathway's own back-test at the same origins), area multipliers, parameter draws; then write the simulator's
tables and the fit report.
Deterministic: fixed starting point, fixed seeds, fixed output precision."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import backtest, data, fit, model, params, pathway_backtest, pathway_draws, pathway_tables, report, tables

DRAWS = 200
BAND_DRAWS = 1000
MAX_MULT = 2.0        # draws whose 2017 multipliers leave [1/2, 2] are rejected (docs/calibration.md)
SEED = 20170331
RULE_SEED = SEED + 1   # the order of the draws' projection rules (backtest.assign_rules)
PATHWAY_SEED = SEED + 2   # the pathway fit's draws (pathway_draws.csv)
UASC_SEED = SEED + 3      # the UASC entries' draws (parameter_draws.csv's uasc_entries)
LAST_FIT = 2017
BACKTEST_ORIGINS = (2013, 2014)   # fit up to each, project to LAST_FIT (backtest.py)
PROJECT_LAST = 2030


def calibrate(data_dir: Path, out: Path, figures: Path | None = None, log=print) -> list:
    data_dir, out = Path(data_dir), Path(out)
    t = data.load(data_dir)
    log(f"fitting 2010-{LAST_FIT} ...")
    f17 = fit.run(t, LAST_FIT)
    s17 = model.series(f17.theta, t, f17.uasc_entries, LAST_FIT)
    log(f"  chi2 {f17.chi2:.1f} over {len(f17.obs)} published numbers; "
        f"uncertainty inflation {f17.inflation:.2f}; {f17.nfev} evaluations")
    runs, fits = {}, {}
    for origin in BACKTEST_ORIGINS:
        log(f"back-test: fitting 2010-{origin} ...")
        tt = data.load(data_dir, origin)
        fits[origin] = fit.run(tt, origin)
        years = list(range(origin + 1, LAST_FIT + 1))
        fc = backtest.forecasts(fits[origin], tt, years)
        runs[origin] = (years, fc, backtest.errors(t, fc, years))
    errs = {o: r[2] for o, r in runs.items()}
    rule = backtest.choose(errs)
    cands = backtest.candidates(errs)
    log(f"  projection rule chosen by the back-test: {rule.name}; replicates draw among "
        + ", ".join(f"{r.name} ({w:.3f})" for r, _, w in cands))
    drawn = [(r, model.series(f17.theta, t, f17.uasc_entries, LAST_FIT, tables.TREND_LAST_YEAR, r))
             for r, _, _ in cands]
    rng = np.random.default_rng(SEED)
    draws, accepted = report.accepted_draws(f17, s17, rng, DRAWS, MAX_MULT)
    rule_of = backtest.assign_rules([w for _, _, w in cands], len(draws), np.random.default_rng(RULE_SEED))
    draws = [[row[0], k] + row[1:] for row, k in zip(draws, rule_of)]
    log(f"  parameter draws: {accepted:.1%} of candidates within multipliers [1/{MAX_MULT:g}, {MAX_MULT:g}]")
    u_sd = pathway_draws.uasc_log_sd(t.uasc_stock, LAST_FIT, params.UASC_AGE, f17.uasc_entries)
    u_mult, u_acc = pathway_draws.truncated(np.random.default_rng(UASC_SEED), [[u_sd ** 2]], len(draws), MAX_MULT)
    draws = [row + [f"{m:.5f}"] for row, m in zip(draws, u_mult[:, 0])]
    log(f"  UASC entry draws: SD of the log {LAST_FIT} entries {u_sd:.4f}; {u_acc:.1%} within the bounds")
    las, mult = tables.area_multipliers(data_dir, t)
    paths = [tables.entry_rates(out, f17, s17, las), tables.entry_trend(out, f17),
             tables.rate_trend(out, f17, drawn), tables.lac_hazards(out, f17),
             tables.areas_table(out, las, mult),
             tables.initial_stock(out, s17, las, LAST_FIT, int(round(t.uasc_stock[LAST_FIT]))),
             tables.uasc_table(out, data_dir, f17, drawn, t),
             tables.placement_costs(out), tables.initial_placement_shares(out, t, s17, data_dir)]
    cal = out / "calibration"
    paths.append(report.entry_ages(cal, f17))
    path_phi, path_bt = pathway_backtest.run(data_dir, cal, runs, rule, LAST_FIT, log)
    paths += pathway_tables.write(data_dir, out, [r for r, _ in drawn], path_phi, (DRAWS, MAX_MULT, PATHWAY_SEED),
                                  log)   # after entry_rates, rate_trend, areas, entry_ages
    bands = report.bands(t, f17, s17, rng, BAND_DRAWS)
    paths += report.write_tables(cal, t, f17, s17, draws, bands)
    paths += backtest.write(cal, t, runs, rule)
    paths += path_bt
    paths.append(backtest.write_rule_spread(cal, t, f17, runs, rule, (2023, PROJECT_LAST), cands))
    paths.append(report.write_projection(cal, t, f17, rule, LAST_FIT, PROJECT_LAST))
    paths.append(report.write_summary(cal, f17, fits, accepted, MAX_MULT, rule))
    if figures is not None:
        last = BACKTEST_ORIGINS[-1]
        shown = {k: v for k, v in runs[last][1].items()
                 if k in (rule.name, "held", "trend", "naive_constant", "naive_linear")}
        paths += report.figures(Path(figures), t, s17, bands, shown, runs[last][0])
    for origin, (_, _, errs) in runs.items():
        for name in (rule.name, "held", "trend", "naive_constant", "naive_linear"):
            e = errs[name]
            log(f"  back-test {origin} {name:24s} " + "  ".join(f"{k} {v:.1f}%" for k, v in e.items()))
    return paths
