"""The fit report: tables of the fit, its uncertainty and the back-test (CSV, in
models/data/calibration/) and charts (PNG): published numbers against the model's expected
value with a 90% band that holds both parameter uncertainty (draws from the fitted
covariance) and chance (Poisson variation of counts of this size)."""
from __future__ import annotations

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


def bands(t, f, draws: np.ndarray, rng) -> dict:
    """{series: (5%, 95%) arrays [year, k]} over parameter draws plus Poisson chance."""
    sims = {k: [] for k in SERIES}
    for th in draws:
        s = model.series(th, t, f.uasc_entries, f.last_fit)
        for k in SERIES:
            v = _get(s, k)
            sims[k].append(np.maximum(v + rng.standard_normal(v.shape) * np.sqrt(v), 0.0))
    return {k: (np.percentile(v, 5, axis=0), np.percentile(v, 95, axis=0)) for k, v in sims.items()}


def _pub(t, name, y):
    src = getattr(t, name)
    return np.atleast_1d(src[y]) if y in src else None


def _labels(name):
    lab = SERIES[name][1]
    return list(lab) if lab else ["total"]


def draw_multipliers(f, s, draws: np.ndarray) -> list:
    """Per draw: entry multipliers by age band and exit multipliers by reason, relative to the
    point estimate in the last fitted year; an exit multiplier is the ratio of that reason's
    expected exits from the fitted stock mix (age band x time in care)."""
    mix = tables.stock_mix(s)
    y = f.last_fit - params.REF_YEAR
    sl_e, sl_t = params.SL["entry"], params.SL["entry_trend"]
    base_e = f.theta[sl_e] + f.theta[sl_t] * y
    base_h = params.hazards(f.theta, f.last_fit)
    base_x = (base_h * mix).sum(axis=(1, 2))
    rows = []
    for k, th in enumerate(draws):
        e = np.exp(th[sl_e] + th[sl_t] * y - base_e)
        x = (params.hazards(th, f.last_fit) * mix).sum(axis=(1, 2)) / base_x
        rows.append([k] + [f"{v:.5f}" for v in e] + [f"{v:.5f}" for v in x])
    return rows


def write_tables(cal: Path, t, f, s, draws, bnd, forecasts, errs, years) -> list:
    src = tables.fit_source(f.last_fit)
    mu, sd = params.prior()
    se = np.sqrt(np.diag(f.cov))
    paths = [tables._write(cal / "parameters.csv",
                           ["name", "estimate", "sd", "prior_centre", "prior_sd", "source"],
                           [[n, tables.fmt(v), tables.fmt(e), tables.fmt(m), tables.fmt(p), src]
                            for n, v, e, m, p in zip(params.NAMES, f.theta, se, mu, sd)])]
    paths.append(tables._write(
        cal / "parameter_draws.csv",
        ["draw"] + [f"entry_{a}" for a in tables.AGES] + [f"exit_{r}" for r in tables.TRANSITIONS],
        draw_multipliers(f, s, draws)))
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
    names = list(forecasts)
    rows = []
    for name in SERIES:
        for y in years:
            p = _pub(t, name, y)
            for k, lab in enumerate(_labels(name)):
                rows.append([name, lab, y, tables.fmt(p[k])] +
                            [f"{forecasts[n][name][y][k]:.1f}" for n in names])
    paths.append(tables._write(cal / "backtest.csv", ["series", "label", "year", "published"] + names, rows))
    paths.append(tables._write(cal / "backtest_errors.csv", ["series"] + names,
                               [[k] + [f"{errs[n][k]:.2f}" for n in names] for k in SERIES]))
    paths.append(tables._write(cal / "uasc_entries.csv", ["year", "entries", "source"],
                               [[y, f"{v:.1f}", "fitted to cla_timeseries_1994_2017.csv UASC at 31 March"]
                                for y, v in sorted(f.uasc_entries.items())]))
    paths.append(_entry_ages(cal, f))
    paths.append(_stock_ages(cal, s, f.last_fit))
    return paths


def _entry_ages(cal: Path, f) -> Path:
    """Where entrants of each age band arrive: intervals of age in days with their shares."""
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
    """Children in care on the last 31 March by single year of age x time-in-care band."""
    g = s.fwd.grid.copy()
    n = s.uasc_run.grid.shape[0]
    g[forward.N_AGE - n:, :n] += s.uasc_run.grid
    db = np.searchsorted(np.array(tables.TB_DAYS[1:]) / forward.MONTH_DAYS,
                         np.arange(forward.N_DUR) + 0.5)
    rows = []
    for yr in range(18):
        cell = g[12 * yr:12 * (yr + 1)].sum(axis=0)
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
    fig.suptitle("Back-test: fitted on 2010-2014, projected 2015-2017", fontsize=10)
    fig.tight_layout()
    p = out / "backtest.png"
    fig.savefig(p, dpi=90, metadata={"Software": None})
    plt.close(fig)
    paths.append(p)
    return paths


def write_projection(cal: Path, s, last: int) -> Path:
    """The expected values of the baseline's projection (rates held at the last fitted year),
    to check the simulator against."""
    rows = []
    for y in s.years:
        if y >= last:
            rows.append([y, f"{s.at('stock', y):.1f}", f"{s.at('starts', y):.1f}",
                         f"{s.at('ceased', y):.1f}"] + [f"{v:.1f}" for v in s.at("stock_age", y)])
    return tables._write(cal / "projection.csv", ["year", "stock", "starts", "ceased"] +
                         [f"stock_{a}" for a in tables.AGES], rows)
