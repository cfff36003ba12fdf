"""Charts of a run: fan chart of children in care, flows into and out of care, days in care,
cost, placements, and small multiples by area or region.

Every function takes the Dataset from `open_run` or the dict from `caresim.measures.collect`,
returns a matplotlib Figure (Agg backend), and draws quantiles across replicates: the median
line, and bands holding the middle 50% and 90% of replicates. Save with `caresim.style.save`
(PNG and SVG) or use `save_all`.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from .measures import as_set, cost_name, entry_kinds, exit_kinds, per_year, programme_items, reduce

BANDS = ((0.05, 0.95, 0.16), (0.25, 0.75, 0.32))   # (low, high, alpha): 90% then 50%


def _quantiles(da: xr.DataArray, qs) -> np.ndarray:
    """Quantiles over replicate of a (scenario, replicate, time) array: (len(qs), scenario, time)."""
    x = np.asarray(da.transpose("scenario", "replicate", "time").values, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(x, qs, axis=1)


def _scenarios(da: xr.DataArray, limit: int) -> tuple[list[str], str]:
    names = [str(s) for s in da["scenario"].values]
    note = f" (first {limit} of {len(names)} scenarios)" if len(names) > limit else ""
    return names[:limit], note


def _n_reps(da: xr.DataArray) -> int:
    ok = da.notnull().all([d for d in da.dims if d not in ("scenario", "replicate")])
    return int(ok.sum("replicate").min())


def _fan(ax, da: xr.DataArray, names, bands=BANDS, lw=1.8) -> None:
    """Median line and quantile bands for each scenario in `names` of a (scenario, replicate,
    time) array. With one scenario every band is shaded; with several, only the innermost is
    shaded and the others are drawn as thin dashed bounds, so overlapping fans stay legible."""
    qs = sorted({q for lo, hi, _ in bands for q in (lo, hi)} | {0.5})
    q = _quantiles(da.sel(scenario=names), qs)
    t = da["time"].values
    for i, name in enumerate(names):
        c = style.colour(i, len(names))
        for b, (lo, hi, alpha) in enumerate(bands):
            y0, y1 = q[qs.index(lo), i], q[qs.index(hi), i]
            if len(names) == 1 or b == len(bands) - 1:
                ax.fill_between(t, y0, y1, color=c, alpha=alpha, linewidth=0)
            else:
                ax.plot(t, y0, color=c, lw=0.8, ls="--", alpha=0.8)
                ax.plot(t, y1, color=c, lw=0.8, ls="--", alpha=0.8)
        ax.plot(t, q[qs.index(0.5), i], color=c, lw=lw, label=name)
    style.date_axis(ax)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))     # counts from zero: no magnified gaps


def _fan_legend(ax, names, bands=BANDS, outside: bool = True) -> None:
    """Legend (outside the axes, on the right, unless outside=False): scenarios, then what
    the bands mean."""
    handles, labels = ax.get_legend_handles_labels()
    for b, (lo, hi, _) in enumerate(bands):
        text = f"middle {round(100 * (hi - lo))}% of replicates"
        if len(names) > 1 and b < len(bands) - 1:
            handles.append(Line2D([], [], color="#555555", lw=0.8, ls="--"))
        else:
            handles.append(Patch(color="#777777", alpha=0.25 + 0.25 * b, lw=0))
        labels.append(text)
    if outside:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    else:
        ax.legend(handles, labels, loc="best", fontsize=8.5)


def _in_care_total(src) -> xr.DataArray:
    return as_set(src)["in_care_area"].sum("area", skipna=False)


@style.styled
def fan_chart(src, max_scenarios: int = 12, overlay_max: int = 4):
    """Children in care (looked after, all areas and ages) over time, per scenario; beyond
    `overlay_max` scenarios, small multiples: each variant in its own panel against the first
    scenario (grey), on a shared y axis from zero."""
    da = _in_care_total(src)
    names, note = _scenarios(da, max_scenarios)
    if len(names) > overlay_max:
        return _fan_panels(da, names, note)
    fig, ax = style.figure()
    _fan(ax, da, names)
    ax.set_title(f"Children in care, all areas{note}")
    ax.set_ylabel("children looked after")
    style.number_axis(ax)
    ax.set_xlabel(f"observation date; lines: median of {_n_reps(da)} replicates, bands as in the legend")
    _fan_legend(ax, names)
    return fig


def _fan_panels(da, names, note, ncols: int = 3):
    base, variants = names[0], names[1:]
    nrows = int(np.ceil(len(variants) / ncols))
    fig, axes = style.figure(nrows, ncols, width=11, height=2.4 * nrows + 0.9, sharex=True,
                             sharey=True, squeeze=False)
    for k, (ax, name) in enumerate(zip(axes.ravel(), variants)):
        qs = [0.05, 0.5, 0.95]
        q = _quantiles(da.sel(scenario=[base, name]), qs)
        t = da["time"].values
        ax.fill_between(t, q[0, 0], q[2, 0], color=style.GREY, alpha=0.25, lw=0)
        ax.plot(t, q[1, 0], color="#555555", lw=1.2, label=base)
        c = style.colour(k + 1, len(names))
        ax.fill_between(t, q[0, 1], q[2, 1], color=c, alpha=0.25, lw=0)
        ax.plot(t, q[1, 1], color=c, lw=1.6, label=name)
        ax.set_title(name, fontsize=9.5)
        ax.set_ylim(bottom=0)
        style.number_axis(ax)
        style.date_axis(ax, maxticks=4)
        ax.tick_params(labelsize=8)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(variants):
            ax.set_visible(False)
        elif k + ncols >= len(variants):
            ax.xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(f"Children in care, all areas: each scenario against {base} (grey){note}",
                 fontweight="bold")
    fig.supxlabel("observation date: median and middle 90% of replicates", fontsize=9)
    return fig


@style.styled
def flows_chart(src, max_scenarios: int = 3):
    """Entries to care (first and re-entries) against exits by reason, per year of each period:
    mean across replicates, with whiskers for the 90% interval of each total."""
    flow = per_year(as_set(src)["flow"])
    names, note = _scenarios(flow, max_scenarios)
    ins, outs = entry_kinds(flow), exit_kinds(flow)
    fig, axes = style.figure(len(names), 1, height=3.4 * len(names) + 0.6, sharex=True,
                             sharey=True, squeeze=False)
    t = flow["time"].values
    span = np.diff(np.concatenate([[t[0] - (t[1] - t[0]) if len(t) > 1 else t[0]], t]))
    width = span.astype("timedelta64[s]").astype(float) / 86400.0 * 0.4
    mid = t - span / 2
    for ax, name in zip(axes[:, 0], names):
        f = flow.sel(scenario=name)
        mean = f.mean("replicate").transpose("time", "transition").to_pandas()
        for kinds, side in ((ins, -1), (outs, 1)):
            x = mid + (np.minimum(side, 0) * width * 86400).astype("timedelta64[s]")
            bottom = np.zeros(len(t))
            for j, k in enumerate(kinds):   # labels the style does not know: palette, plain words
                ax.bar(x, mean[k].values, width=width, bottom=bottom, align="edge",
                       color=style.TRANSITION_COLOURS.get(k, style.colour(j)),
                       label=style.TRANSITION_LABELS.get(k, k.replace("_", " ")),
                       edgecolor="white", linewidth=0.4)
                bottom += mean[k].values
            tot = f.sel(transition=kinds).sum("transition", skipna=False)
            lo, hi = _quantiles(tot.expand_dims(scenario=[name]), [0.05, 0.95])[:, 0]
            xc = x + (width * 43200).astype("timedelta64[s]")
            ax.errorbar(xc, bottom, yerr=[bottom - lo, hi - bottom], fmt="none", ecolor="black",
                        elinewidth=0.8, capsize=2)
        ax.set_title(f"{name}: into care (left bars) and out of care (right bars)")
        ax.set_ylabel("children per year")
        style.number_axis(ax)
        style.date_axis(ax)
    axes[0, 0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    axes[-1, 0].set_xlabel(f"period ending{note}; whiskers: 90% of replicates")
    return fig


@style.styled
def days_chart(src, max_scenarios: int = 12):
    """Child-days in care per year, per scenario."""
    da = per_year(as_set(src)["days_in_care"])
    names, note = _scenarios(da, max_scenarios)
    fig, ax = style.figure(height=4.0)
    _fan(ax, da, names)
    ax.set_title(f"Days in care{note}")
    ax.set_ylabel("child-days in care per year")
    ax.set_xlabel("period ending")
    style.number_axis(ax)
    _fan_legend(ax, names)
    return fig


@style.styled
def cost_chart(src, max_scenarios: int = 12):
    """Cost per year: total per scenario (left), by item (placement types, then any
    programmes) for one scenario (right, mean across replicates): the one that spends most on
    programmes, else the first."""
    m = as_set(src)
    by_item = per_year(m["cost_item"])
    total = by_item.sum("item", skipna=False)
    names, note = _scenarios(total, max_scenarios)
    fig, (ax, ax2) = style.figure(1, 2, width=11, height=4.2)
    _fan(ax, total, names)
    ax.set_title(f"{cost_name(m)}{note}")
    ax.set_ylabel("GBP per year")
    ax.set_xlabel("period ending")
    style.number_axis(ax, "£")
    _fan_legend(ax, names, outside=False)
    shown, prog = names[0], programme_items(m)
    if prog:
        spend = by_item.sel(scenario=names, item=prog).sum(["item", "time"]).mean("replicate")
        if float(spend.max()) > 0:
            shown = names[int(spend.argmax())]
    mean = by_item.sel(scenario=shown).mean("replicate").transpose("item", "time")
    items = [str(i) for i in mean["item"].values]
    ax2.stackplot(mean["time"].values, mean.values, labels=[i.replace("_", " ") for i in items],
                  colors=[style.colour(i) for i in range(len(items))], alpha=0.9)
    ax2.set_title(f"By {'item' if prog else 'placement type'}: {shown}")
    ax2.set_ylabel("GBP per year (mean)")
    ax2.set_xlabel("period ending")
    style.number_axis(ax2, "£")
    style.date_axis(ax2)
    ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


@style.styled
def placements_chart(src, scenario: str | None = None):
    """Children in care by placement type over time (mean across replicates), one scenario."""
    pl = as_set(src)["placements"]
    name = scenario or str(pl["scenario"].values[0])
    mean = pl.sel(scenario=name).mean("replicate").transpose("placement", "time")
    kinds = [str(p) for p in mean["placement"].values]
    fig, ax = style.figure(height=4.0)
    ax.stackplot(mean["time"].values, mean.values, labels=[k.replace("_", " ") for k in kinds],
                 colors=[style.colour(i) for i in range(len(kinds))], alpha=0.9)
    ax.set_title(f"Children in care by placement: {name}")
    ax.set_ylabel("children (mean of replicates)")
    style.number_axis(ax)
    style.date_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _panels(src, by: str, n: int):
    """(array over (scenario, replicate, time, panel), panel ids, panel titles) for small
    multiples by area (top n by children in care at the end, first scenario) or region."""
    da = as_set(src)["in_care_area"]
    if by == "region":
        da = reduce(da, ("region",)).rename({"region": "panel"})
        ids = [str(r) for r in da["panel"].values]
        return da, ids, ids
    if by != "area":
        raise ValueError(f"small multiples are by 'area' or 'region', not {by!r}")
    end = da.isel(scenario=0, time=-1).mean("replicate").to_pandas().sort_values(ascending=False)
    ids = [str(a) for a in end.index[:n]]
    names = da["area_name"].sel(area=ids).values if "area_name" in da.coords else ids
    return da.rename({"area": "panel"}), ids, [str(x) for x in names]


@style.styled
def small_multiples(src, by: str = "area", n: int = 12, ncols: int = 4, max_scenarios: int = 3):
    """Children in care per area (the `n` largest at the end) or per region: one small fan
    chart (median, 90% band) each, scenarios overlaid; y axes independent."""
    da, ids, titles = _panels(src, by, n)
    names, note = _scenarios(da, max_scenarios)
    nrows = int(np.ceil(len(ids) / ncols))
    fig, axes = style.figure(nrows, ncols, width=11, height=2.3 * nrows + 0.8, sharex=True,
                             squeeze=False)
    for ax, pid, title in zip(axes.ravel(), ids, titles):
        _fan(ax, da.sel(panel=pid, drop=True), names, bands=BANDS[:1], lw=1.4)
        ax.set_title(title, fontsize=9.5)
        style.number_axis(ax)
        style.date_axis(ax, maxticks=4)
        ax.tick_params(labelsize=8)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(ids):
            ax.set_visible(False)
        elif k + ncols >= len(ids):        # lowest panel of its column: show the dates
            ax.xaxis.set_tick_params(labelbottom=True)
    what = (f"by area: the {len(ids)} areas with most children in care at the end"
            if by == "area" else "by region")
    fig.suptitle(f"Children in care {what}{note}", fontweight="bold")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    handles.append(Patch(color="#777777", alpha=0.3, lw=0))
    labels.append(f"middle {round(100 * (BANDS[0][1] - BANDS[0][0]))}% of replicates")
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(len(labels), 5), fontsize=9)
    return fig


CHARTS = {
    "in_care": fan_chart,
    "flows": flows_chart,
    "days_in_care": days_chart,
    "cost": cost_chart,
    "placements": placements_chart,
    "areas": lambda m: small_multiples(m, "area"),
    "regions": lambda m: small_multiples(m, "region"),
}


def make_all(src) -> dict[str, object]:
    """Every chart whose data the run holds, by name (in_care, flows, days_in_care, ...)."""
    m = as_set(src)
    need = {"flows": "flow", "days_in_care": "days_in_care", "cost": "cost_item",
            "placements": "placements"}
    periods = m["in_care_area"].sizes["time"] > 1
    figs = {}
    for name, make in CHARTS.items():
        if need.get(name, "in_care_area") not in m:
            continue
        if name in ("flows", "days_in_care", "cost") and not periods:
            continue
        if name == "regions" and "region" not in m["in_care_area"].coords:
            continue
        figs[name] = make(m)
    return figs


def save_all(src, outdir) -> dict[str, list[Path]]:
    """Write every chart as OUTDIR/NAME.png and .svg; returns the paths by chart name."""
    out = {}
    for name, fig in make_all(src).items():
        out[name] = style.save(fig, Path(outdir) / name)
        style.close(fig)
    return out
