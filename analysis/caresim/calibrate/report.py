"""The fit report: tables of the fit, its uncertainty and the back-test (CSV, in
models/data/calibration/) and charts (PNG): published numbers against the model's expected
value with a 90% band that holds both parameter uncertainty (draws from the fitted
covariance) and chance (Poisson variation of counts of this size)."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from . import forward, model, params, tables
from .data import DFE_BANDS, REASONS

SERIES = {"stock": ("children in care on 31 March", None),
          "starts": ("started during the year", None),
          "ceased": ("ceased during the year", None),
          "stock_age": ("children in care on 31 March by age", DFE_BANDS),
          "starts_age": ("started during the year by age", DFE_BANDS),
          "ceased_reason": ("ceased during the year by reason", REASONS)}
YEARS = list(range(2010, 2018))


def _get(s, name):
    return np.array([np.atleast_1d(s.at(name, y)) for y in YEARS])


def _jacobian(fn, f, step: float = 1e-5) -> tuple:
    """fn(theta) and its Jacobian at the estimate by forward differences, over the parameters
    the fit left free (those with variance)."""
    base = np.asarray(fn(f.theta), float)
    J = np.zeros((base.size, f.theta.size))
    for i in np.flatnonzero(np.diag(f.cov) > 0):
        th = f.theta.copy()
        th[i] += step
        J[:, i] = (np.asarray(fn(th), float) - base) / step
    return base, J


def _series_logs(t, f):
    def fn(th):
        s = model.series(th, t, f.uasc_entries, f.last_fit)
        return np.log(np.concatenate([_get(s, k).ravel() for k in SERIES]))
    return fn


def bands(t, f, s, rng, n: int) -> dict:
    """{series: (5%, 95%) arrays [year, k]}: parameter uncertainty by the delta method (the
    log-series' covariance J cov J' at the estimate, the same linearisation as the Laplace
    covariance itself, so the bands are centred on the expected value), plus Poisson chance;
    from n joint draws."""
    base, J = _jacobian(_series_logs(t, f), f)
    d = rng.multivariate_normal(np.zeros(base.size), J @ f.cov @ J.T, size=n, method="eigh")
    v = np.exp(base)[None, :] * np.exp(d)
    v = np.maximum(v + rng.standard_normal(v.shape) * np.sqrt(v), 0.0)
    out, i = {}, 0
    for k in SERIES:
        shape = _get(s, k).shape
        m = v[:, i:i + int(np.prod(shape))].reshape((n,) + shape)
        out[k] = (np.percentile(m, 5, axis=0), np.percentile(m, 95, axis=0))
        i += int(np.prod(shape))
    return out


def _pub(t, name, y):
    src = getattr(t, name)
    return np.atleast_1d(src[y]) if y in src else None


def _labels(name):
    lab = SERIES[name][1]
    return list(lab) if lab else ["total"]


def log_multipliers(f, s, theta: np.ndarray) -> np.ndarray:
    """Log entry rates by age band and log expected exits by reason (from the fitted stock mix,
    age band x time in care) in the last fitted year, for parameters theta."""
    mix = tables.stock_mix(s)
    y = f.last_fit - params.REF_YEAR
    e = (theta[params.SL["entry"]] + theta[params.SL["entry_trend"]] * y
         + params.year_effect(theta, "entry_year", f.last_fit, f.last_fit))
    x = np.log((params.hazards(theta, f.last_fit, f.last_fit) * mix).sum(axis=(1, 2)))
    return np.concatenate([e, x])


def accepted_draws(f, s, rng, n: int, max_mult: float) -> tuple:
    """n joint draws of the multipliers on the last fitted year's entry rates by age band and
    exit hazards by reason, relative to the estimate: log-normal with the delta-method
    covariance J cov J' of the log multipliers (J: their Jacobian in the parameters), so each
    is centred on 1. Draws outside [1/max_mult, max_mult] are rejected: a few exit reasons are
    barely seen by the data (the pre-18 "other" hazard, next to the 18th birthday that carries
    most of that flow) and a linearised spread of several units on the log scale is not
    credible. Drawing the parameters themselves and taking the multipliers of each draw would
    not be centred: sums of log-normal cell hazards are pulled upwards by the wide shape
    parameters (by a quarter for returns home). Returns the rows (draw, multipliers) and the
    accepted share of candidates."""
    base, J = _jacobian(lambda th: log_multipliers(f, s, th), f)
    C = J @ f.cov @ J.T
    out, tried = [], 0
    while len(out) < n and tried < 200 * n:
        cand = rng.multivariate_normal(np.zeros(base.size), C, size=n, method="eigh")
        tried += n
        for z in cand:
            if np.all(np.abs(z) <= np.log(max_mult)) and len(out) < n:
                out.append(np.exp(z))
    rows = [[k] + [f"{v:.5f}" for v in m] for k, m in enumerate(out)]
    return rows, len(out) / tried


def write_summary(cal: Path, f17, fits: dict, accepted: float, max_mult: float, rule) -> Path:
    rows = [["fit_2017_chi2", f"{f17.chi2:.2f}", "sum of squared standardised residuals, 2010-2017"],
            ["fit_2017_published_numbers", len(f17.obs), "published numbers fitted"],
            ["fit_2017_inflation", f"{f17.inflation:.3f}", "chi2 / degrees of freedom (covariance inflation)"]]
    for origin, f in fits.items():
        rows.append([f"fit_{origin}_chi2", f"{f.chi2:.2f}", f"back-test fit, 2010-{origin}"])
    rows += [["draws_accepted_share", f"{accepted:.4f}",
              f"share of Laplace draws with every 2017 multiplier within [1/{max_mult:g}, {max_mult:g}]"],
             ["projection_rule", rule.name, "chosen by the back-test (backtest_errors.csv, smallest mean "
              "headline error over origins)"],
             ["projection_entry_damping", f"{rule.entry_phi:g}", "damping factor of the entry trends"],
             ["projection_exit_damping", f"{rule.exit_phi:g}", "damping factor of the exit trends by reason"],
             ["projection_uasc_damping", f"{rule.uasc_phi:g}", "damping factor of the UASC entry trend"]]
    return tables._write(cal / "fit_summary.csv", ["quantity", "value", "note"], rows)


def write_projection(cal: Path, t, f, rule, last: int, end: int) -> Path:
    """The fitted model's expected children in care, starts and ceased after `last` with the chosen
    rule and with rates held, next to the naive forecasters made from the data up to `last`."""
    from . import backtest
    years = list(range(last + 1, end + 1))
    fc = {"model_chosen": backtest.from_model(model.series(f.theta, t, f.uasc_entries, last, end, rule), years),
          "model_held": backtest.from_model(model.series(f.theta, t, f.uasc_entries, last, end), years),
          "naive_constant": backtest.naive(t, last, years, "constant"),
          "naive_linear": backtest.naive(t, last, years, "linear")}
    rows = [[k, y] + [f"{fc[n][k][y][0]:.1f}" for n in fc] for k in ("stock", "starts", "ceased") for y in years]
    return tables._write(cal / "projection.csv", ["series", "year"] + list(fc), rows)


def write_tables(cal: Path, t, f, s, draws, bnd) -> list:
    src = tables.fit_source(f.last_fit)
    mu, sd = params.prior()
    se = np.sqrt(np.diag(f.cov))
    paths = [tables._write(cal / "parameters.csv",
                           ["name", "estimate", "sd", "prior_centre", "prior_sd", "source"],
                           [[n, tables.fmt(v), tables.fmt(e), tables.fmt(m), tables.fmt(p), src]
                            for n, v, e, m, p in zip(params.NAMES, f.theta, se, mu, sd)])]
    paths.append(tables._write(
        cal / "parameter_draws.csv",
        ["draw", "rule"] + [f"entry_{a}" for a in tables.AGES] + [f"exit_{r}" for r in tables.TRANSITIONS]
        + ["uasc_entries", "source"],
        [row + [src + "; delta-method draws of the fitted levels (entries by age band, exits by reason); "
                "uasc_entries: the UASC fit's (uasc.py) last entries"] for row in draws]))
    rows = []
    for name in SERIES:
        m = _get(s, name)
        lo, hi = bnd[name]
        for i, y in enumerate(YEARS):
            p = _pub(t, name, y)
            for k, lab in enumerate(_labels(name)):
                pv = p[k] if p is not None else float("nan")
                rows.append([name, lab, y, tables.fmt(pv), f"{m[i, k]:.1f}", f"{lo[i, k]:.1f}",
                             f"{hi[i, k]:.1f}", tables.fmt(100 * (m[i, k] / pv - 1))])
    paths.append(tables._write(cal / "fit_series.csv", ["series", "label", "year", "published",
                                                        "model", "band_5", "band_95", "error_pct"], rows))
    paths.append(tables._write(cal / "uasc_entries.csv", ["year", "entries", "source"],
                               [[y, f"{v:.1f}", "fitted to cla_timeseries_1994_2017.csv UASC at 31 March"]
                                for y, v in sorted(f.uasc_entries.items())]))
    paths.append(_stock_ages(cal, s, f.last_fit))
    paths.append(write_stock_ages(cal, paths[-1]))
    paths.append(write_stock_ages_by_time(cal, s, f.last_fit))
    return paths


def entry_ages(cal: Path, f) -> Path:
    """Where entrants of each age band arrive: intervals of age in days with their shares
    (written before the pathway's tables, which read it)."""
    prof = params.entry_age_profile(f.theta)
    md = forward.MONTH_DAYS
    rows = []
    for b, a in enumerate(tables.AGES):
        lo_y, hi_y = tables.AGE_YEARS[b]
        if b == 0:
            cuts = [(0, 1), (1, 12)]
        else:
            cuts = [(12 * y, 12 * (y + 1)) for y in range(lo_y, hi_y)]
        for m0, m1 in cuts:
            share = prof[b, m0:m1].sum()
            rows.append([a, f"{m0 * md:.2f}", f"{m1 * md:.2f}", f"{share:.5f}",
                         tables.fit_source(f.last_fit)])
    return tables._write(cal / "entry_ages.csv", ["age_band", "from_age_days", "to_age_days",
                                                  "share", "source"], rows)


def _stock_ages(cal: Path, s, last: int) -> Path:
    """Children in care on the last 31 March by single year of age (continuous, as
    forward.STOCK_W) x time-in-care band, without UASC (the initial stock's UASC have their own
    ages: tables.uasc)."""
    g = forward.age_weights(list(range(0, forward.N_AGE + 1, 12))) @ forward.snapshot(s.fwd)
    db = np.searchsorted(np.array(tables.TB_DAYS[1:]) / forward.MONTH_DAYS,
                         forward.SNAP_TIC_M)
    rows = []
    for yr in range(18):
        cell = g[yr]
        for j, tb in enumerate(tables.TB_DAYS):
            rows.append([yr, tb, f"{cell[db == j].sum():.1f}", tables.fit_source(last)])
    return tables._write(cal / "stock_ages_2017.csv", ["age_years", "from_days", "expected",
                                                       "source"], rows)


def figures(out: Path, t, s, bnd, forecasts, years) -> list:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    groups = {"fit_totals": ["stock", "starts", "ceased"], "fit_stock_age": ["stock_age"],
              "fit_starts_age": ["starts_age"], "fit_ceased_reason": ["ceased_reason"]}
    for fname, names in groups.items():
        panels = [(n, k, lab) for n in names for k, lab in enumerate(_labels(n))]
        fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.0), squeeze=False)
        for ax, (n, k, lab) in zip(axes[0], panels):
            m = _get(s, n)[:, k]
            lo, hi = bnd[n][0][:, k], bnd[n][1][:, k]
            ax.fill_between(YEARS, lo, hi, alpha=0.25, color="C0", label="model 90% band")
            ax.plot(YEARS, m, color="C0", label="model expected")
            py = [y for y in YEARS if _pub(t, n, y) is not None]
            ax.plot(py, [_pub(t, n, y)[k] for y in py], "o", color="k", ms=4, label="published")
            ax.set_title(SERIES[n][0] if lab == "total" else f"{lab}", fontsize=9)
            ax.tick_params(labelsize=7)
        axes[0][0].legend(fontsize=7)
        fig.suptitle(f"Fit 2010-2017: {', '.join(SERIES[n][0] for n in names)}", fontsize=10)
        fig.tight_layout()
        p = out / f"{fname}.png"
        fig.savefig(p, dpi=90, metadata={"Software": None})
        plt.close(fig)
        paths.append(p)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    for ax, n in zip(axes, ("stock", "starts", "ceased")):
        py = [y for y in YEARS if _pub(t, n, y) is not None]
        ax.plot(py, [_pub(t, n, y)[0] for y in py], "o-", color="k", ms=4, label="published")
        for i, (name, f) in enumerate(forecasts.items()):
            ax.plot([years[0] - 1] + years, [_pub(t, n, years[0] - 1)[0]] + [f[n][y][0] for y in years],
                    "--", color=f"C{i}", label=name)
        ax.set_title(SERIES[n][0], fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"Back-test: fitted on 2010-{years[0] - 1}, projected {years[0]}-{years[-1]}", fontsize=10)
    fig.tight_layout()
    p = out / "backtest.png"
    fig.savefig(p, dpi=90, metadata={"Software": None})
    plt.close(fig)
    paths.append(p)
    return paths



def month_masses(n: np.ndarray, band: int) -> np.ndarray:
    """The model's children of one age band by month of age on 31 March (`n`: by cell, the
    N_AGE + 1 of forward.snapshot) spread over whole months of continuous age [k, k + 1), k in
    the band. A cell of age a months holds children a months old at the start of a month; in
    the simulator's continuous ages (entrants of month m aged m to m + 1 months, arriving at any
    time in their month) they are a - 1 to a + 1 months old, centred on a: half in [a - 1, a),
    half in [a, a + 1). So month k holds half of cells k and k + 1, and the band holds what
    forward.STOCK_W counts in it."""
    lo, hi = (12 * y for y in tables.AGE_YEARS[band])
    return (n[lo:hi] + n[lo + 1:hi + 1]) / 2.0


def write_stock_ages(cal: Path, stock_ages: Path) -> Path:
    """tables.initial_stock_ages for the simulator: single years of age within each age band,
    with the fitted model's shares of the last 31 March's stock (from stock_ages_2017.csv)."""
    by_year = {}
    for r in csv.DictReader(open(stock_ages)):
        by_year[int(r["age_years"])] = by_year.get(int(r["age_years"]), 0.0) + float(r["expected"])
    rows = []
    for b, a in enumerate(tables.AGES):
        lo, hi = tables.AGE_YEARS[b]
        tot = sum(by_year[y] for y in range(lo, hi))
        for y in range(lo, hi):
            rows.append([a, f"{y * 365.25:.2f}", f"{(y + 1) * 365.25:.2f}", f"{by_year[y] / tot:.5f}",
                         "stock_ages_2017.csv (fitted model on the last 31 March)"])
    return tables._write(cal / "initial_stock_ages.csv", ["age_band", "from_age_days", "to_age_days",
                                                         "share", "source"], rows)


def write_stock_ages_by_time(cal: Path, s, last: int) -> Path:
    """tables.initial_stock_ages_by_time: ages within each age band x time-in-care band, the
    fitted model's joint on the last 31 March (its grid, without UASC): age and time in care
    are far from independent (of 1-4 year-olds in care 1-2 years most are aged 1). Single years
    of age from 1, spread over continuous ages as month_masses says. Under 1, joint cells of
    single months of age x single months in care (from_tic_days, to_tic_days): a baby's time in
    care decides whether it reaches six months in care (when adoption becomes likely) before
    its first birthday, and most babies entered at birth, so their time in care is close to
    their age, which a time in care drawn uniformly in the band given the age is not. A column
    of d months in care holds children in care d - 1 to d months (forward.SNAP_TIC_M); a cell
    of age a months, children a - 1 to a + 1 months old, so month of age k and month in care
    j hold half of cells (k, j + 1) and (k + 1, j + 1). Bands where the model has no children
    get no rows (the initial stock has none there either)."""
    g = forward.snapshot(s.fwd)
    db = np.searchsorted(np.array(tables.TB_DAYS[1:]) / forward.MONTH_DAYS,
                         forward.SNAP_TIC_M)
    md = forward.MONTH_DAYS
    src = tables.fit_source(last) + "; fitted model on the last 31 March"
    rows = []
    for j, tb in enumerate(tables.TB_DAYS):
        tb1 = tables.TB_DAYS[j + 1] if j + 1 < len(tables.TB_DAYS) else np.inf
        for b, a in enumerate(tables.AGES):
            lo, hi = tables.AGE_YEARS[b]
            if b == 0:   # joint cells: month of age k x column d (in care d - 1 to d months)
                cells = [(k, k + 1, d, month_masses(g[:, d], 0)[k]) for d in np.flatnonzero(db == j)
                         for k in range(12)]
            else:
                mass = month_masses(g[:, db == j].sum(axis=1), b)
                cells = [(12 * y, 12 * y + 12, None, mass[12 * (y - lo):12 * (y - lo + 1)].sum()) for y in range(lo, hi)]
            tot = sum(x for *_, x in cells)
            if not tot > 0:
                continue
            for m0, m1, d, x in cells:
                if d is None:
                    tic = ["", ""]
                elif x > 0:
                    tic = [f"{max((d - 1) * md, tb):.2f}", f"{min(d * md, tb1):.2f}"]
                else:
                    continue
                rows.append([tb, a, f"{m0 * md:.2f}", f"{m1 * md:.2f}", f"{x / tot:.5f}"] + tic + [src])
    return tables._write(cal / "initial_stock_ages_by_time.csv", ["from_days", "age_band", "from_age_days",
                                                                  "to_age_days", "share", "from_tic_days",
                                                                  "to_tic_days", "source"], rows)
