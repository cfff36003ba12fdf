"""The whole calibration, in order: fit 2010-2017, back-test (fit 2010-2014), area
multipliers, parameter draws; then write the simulator's tables and the fit report.
Deterministic: fixed starting point, fixed seeds, fixed output precision."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import backtest, data, fit, model, params, report, tables

DRAWS = 200
BAND_DRAWS = 100
SEED = 20170331
LAST_FIT = 2017
BACKTEST_LAST = 2014
PROJECT_TO = 2030


def calibrate(data_dir: Path, out: Path, figures: Path | None = None, log=print) -> list:
    data_dir, out = Path(data_dir), Path(out)
    t = data.load(data_dir)
    log(f"fitting 2010-{LAST_FIT} ...")
    f17 = fit.run(t, LAST_FIT)
    s17 = model.series(f17.theta, t, f17.uasc_entries, LAST_FIT)
    log(f"  chi2 {f17.chi2:.1f} over {len(f17.obs)} published numbers; "
        f"uncertainty inflation {f17.inflation:.2f}; {f17.nfev} evaluations")
    log(f"back-test: fitting 2010-{BACKTEST_LAST} ...")
    t14 = data.load(data_dir, BACKTEST_LAST)
    f14 = fit.run(t14, BACKTEST_LAST)
    years = list(range(BACKTEST_LAST + 1, LAST_FIT + 1))
    forecasts = {}
    for rule in ("held", "trend"):
        s = model.series(f14.theta, t14, f14.uasc_entries, BACKTEST_LAST, LAST_FIT, rule)
        forecasts[f"model_{rule}"] = backtest.from_model(s, years)
    for kind in ("constant", "linear"):
        forecasts[f"naive_{kind}"] = backtest.naive(t14, BACKTEST_LAST, years, kind)
    errs = backtest.errors(t, forecasts, years)
    rng = np.random.default_rng(SEED)
    draws = rng.multivariate_normal(f17.theta, f17.cov, size=DRAWS, method="eigh")
    las, mult = tables.area_multipliers(data_dir, t)
    paths = [tables.entry_rates(out, f17, s17, las), tables.entry_trend(out, f17),
             tables.lac_hazards(out, f17),
             tables.areas_table(out, las, mult), tables.initial_stock(out, s17, las, LAST_FIT),
             tables.placement_costs(out)]
    cal = out / "calibration"
    bands = report.bands(t, f17, draws[:BAND_DRAWS], rng)
    paths += report.write_tables(cal, t, f17, s17, draws, bands, forecasts, errs, years)
    proj = model.series(f17.theta, t, f17.uasc_entries, LAST_FIT, PROJECT_TO, "held")
    paths.append(report.write_projection(cal, proj, LAST_FIT))
    if figures is not None:
        paths += report.figures(Path(figures), t, s17, bands, forecasts, years)
    for name, e in errs.items():
        log(f"  back-test {name:15s} " + "  ".join(f"{k} {v:.1f}%" for k, v in e.items()))
    return paths
