"""A self-contained HTML report of one run: what was run, the headline numbers, differences
from the baseline, charts (PNG embedded as base64) and breakdown tables, and the resolved
scenario text. One file, no external resources: it can be mailed or archived as it is.
"""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np
import pandas as pd

from . import plots, style, tables
from .io import open_run, run_attrs
from .measures import collect
from .summary import compare

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1180px; padding: 1.5em 2em 3em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #0072B2;
     padding-bottom: 0.2em; margin-top: 2em; } h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f2f6fa; } .l { text-align: left; } td.l { white-space: nowrap; }
tbody tr:hover { background: #fafafa; }
.meta td { text-align: left; font-family: ui-monospace, monospace; font-size: 0.9em; }
.warn { background: #fff4e0; border-left: 4px solid #E69F00; padding: 0.6em 1em; }
.note { color: #555; font-size: 0.9em; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
nav a { margin-right: 1em; }
"""

CAPTIONS = {
    "in_care": "Children looked after at each observation date, all areas: median across "
               "replicates, with the bands holding the middle 50% and 90% of replicates.",
    "flows": "Entries to care (first entries and re-entries) and exits by reason in each period, "
             "as a rate per year: mean across replicates; whiskers span 90% of replicates.",
    "days_in_care": "Child-days in care in each period, per year.",
    "cost": "Placement cost in each period, per year: total per scenario, and by placement type.",
    "placements": "Children in care by placement type (mean across replicates).",
    "areas": "The areas with most children in care at the end of the run.",
    "regions": "Children in care summed over the areas of each region.",
}


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", facecolor="white")
    style.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(x, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def _interval(mean, lo, hi, digits=0) -> str:
    return f"{_fmt(mean, digits)} <span class='note'>({_fmt(lo, digits)} to {_fmt(hi, digits)})</span>"


def _table(df: pd.DataFrame) -> str:
    """HTML of a table: index levels first, as left-aligned labels (escaped); the other cells
    are right-aligned and may hold markup."""
    names = [n or "" for n in df.index.names]
    head = "".join(f"<th class='l'>{html.escape(str(n))}</th>" for n in names)
    head += "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for idx, r in zip(df.index, df.itertuples(index=False)):
        idx = idx if isinstance(idx, tuple) else (idx,)
        cells = "".join(f"<td class='l'>{html.escape(str(v))}</td>" for v in idx)
        cells += "".join(f"<td>{'–' if v is None else v}</td>" for v in r)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _scale(label: str) -> tuple[str, float, int]:
    """Pounds are shown in millions: (label, divisor, decimals)."""
    if "(GBP)" in label:
        return label.replace("(GBP)", "(GBP million)"), 1e6, 1
    return label, 1.0, 0


def _headline_html(head: pd.DataFrame) -> str:
    wide = {}
    for (scen, measure), r in head.iterrows():
        label, f, digits = _scale(measure)
        wide.setdefault(label, {})[scen] = _interval(r["mean"] / f, r["q05"] / f, r["q95"] / f, digits)
    df = pd.DataFrame(wide).T
    df.index.name = "measure"
    return _table(df)


def _compare_html(measures: dict, baseline: str) -> str:
    rows = []
    for label, da in measures.items():
        df = compare(da, baseline=baseline, by=())
        name, f, digits = _scale(label)
        for scen, r in df.iterrows():
            scen = scen[0] if isinstance(scen, tuple) else scen
            rows.append({"scenario": scen, "measure": name,
                         "baseline (mean)": _fmt(r["baseline_mean"] / f, digits),
                         "scenario (mean)": _fmt(r["scenario_mean"] / f, digits),
                         "difference (95% CI of the mean)":
                             _interval(r["diff"] / f, r["ci_lo"] / f, r["ci_hi"] / f, digits),
                         "relative": f"{100 * r['rel']:+.2f}%" if np.isfinite(r["rel"]) else "–",
                         "pairs": int(r["n"])})
    df = pd.DataFrame(rows)
    df["scenario"] = pd.Categorical(df["scenario"], categories=list(dict.fromkeys(df["scenario"])))
    return _table(df.sort_values("scenario", kind="stable").set_index(["scenario", "measure"]))


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """Index labels as words: 10_15 -> 10-15, sgo_cao -> SGO / CAO, placed_with_parents ->
    placed with parents."""
    words = {**style.AGE_LABELS, **style.TRANSITION_LABELS}
    df = df.copy()
    df.index = df.index.map(lambda idx: tuple(words.get(str(v), str(v).replace("_", " "))
                                              if i > 0 else v for i, v in enumerate(idx))
                            if isinstance(idx, tuple) else idx)
    return df


def _breakdown_html(df: pd.DataFrame, label: str) -> str:
    df = _readable(df)
    out = pd.DataFrame({
        "mean (90% interval)": [_interval(m, lo, hi) for m, lo, hi in
                                zip(df["mean"], df["q05"], df["q95"])],
        "share": [f"{100 * s:.1f}%" for s in df["share"]],
    }, index=df.index.rename([*df.index.names[:-1], label]))
    return _table(out)


def _area_html(df: pd.DataFrame, top: int) -> str:
    first = df.index.get_level_values("scenario")[0]
    d = df.xs(first, level="scenario").sort_values("mean", ascending=False).head(top)
    out = pd.DataFrame({
        "at start (mean)": [_fmt(v) for v in d["start_mean"]],
        "at end (mean, 90% interval)": [_interval(m, lo, hi) for m, lo, hi in
                                        zip(d["mean"], d["q05"], d["q95"])],
        "change": [f"{v:+,.0f}" for v in d["change"]],
    }, index=d.index.rename(["area", "name", "region"][:d.index.nlevels]))
    return _table(out)


def build(ds, title: str | None = None, top_areas: int = 20) -> str:
    """The report for an opened run (`open_run`) as an HTML string."""
    attrs = run_attrs(ds)
    m = collect(ds)
    scen = [str(s) for s in ds["scenario"].values]
    times = pd.to_datetime(ds["time"].values)
    title = title or f"caresim run: {Path(attrs.get('source_path', 'run')).name}"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             "<nav><a href='#run'>Run</a><a href='#headline'>Headline</a>"
             + ("<a href='#compare'>Differences</a>" if len(scen) > 1 else "")
             + "<a href='#charts'>Charts</a><a href='#tables'>Tables</a>"
             "<a href='#parameters'>Parameters</a></nav>",
             f"<p>{len(scen)} scenario{'s' if len(scen) > 1 else ''} "
             f"(<b>{', '.join(html.escape(s) for s in scen)}</b>), {ds.sizes['replicate']} "
             f"replicates each, {ds.sizes.get('area', 0)} areas, observed from "
             f"{times[0].date()} to {times[-1].date()} ({len(times)} observation dates).</p>"]
    done, total = attrs.get("tasks_done", 0), attrs.get("tasks_total", 0)
    if done < total or attrs.get("partial"):
        parts.append(f"<p class='warn'><b>Incomplete run:</b> {done} of {total} tasks "
                     "(scenario x replicate) are written; the others are left out of every "
                     "number below.</p>")
    parts.append("<h2 id='run'>Run</h2>")
    keys = ("caresim_version", "created", "command_line", "seed", "start_date", "source_path")
    rows = "".join(f"<tr><th class='l'>{k}</th><td>{html.escape(str(attrs[k]))}</td></tr>"
                   for k in keys if k in attrs)
    rows += f"<tr><th class='l'>tasks complete</th><td>{done} of {total}</td></tr>"
    parts.append(f"<table class='meta'>{rows}</table>")

    parts.append("<h2 id='headline'>Headline</h2><p class='note'>Mean across replicates, "
                 "with the interval holding the middle 90% of replicates in brackets.</p>")
    parts.append(_headline_html(tables.headline(m)))
    if len(scen) > 1:
        parts.append(f"<h2 id='compare'>Differences from {html.escape(scen[0])}</h2>"
                     "<p class='note'>Each scenario minus the baseline, replicate by replicate "
                     "(common random numbers), with a 95% confidence interval for the mean "
                     "difference.</p>")
        parts.append(_compare_html(tables.headline_measures(m), scen[0]))

    parts.append("<h2 id='charts'>Charts</h2>")
    for name, fig in plots.make_all(m).items():
        cap = CAPTIONS.get(name, "")
        parts.append(f"<figure><img alt='{name}' src='data:image/png;base64,{_png(fig)}'>"
                     f"<figcaption>{html.escape(cap)}</figcaption></figure>")

    end = times[-1].date()
    parts.append(f"<h2 id='tables'>Tables</h2><p class='note'>At {end} unless said otherwise; "
                 "mean across replicates (90% interval).</p>")
    parts.append("<h3>Children in care by age band</h3>")
    parts.append(_breakdown_html(tables.by_age_band(m), "age band"))
    if "placements" in m:
        parts.append("<h3>Children in care by placement</h3>")
        parts.append(_breakdown_html(tables.by_placement(m), "placement"))
    if "flow" in m and len(times) > 1:
        parts.append("<h3>Exits from care per year by reason, over the whole run</h3>")
        parts.append(_breakdown_html(tables.exits_by_reason(m), "reason"))
    parts.append(f"<h3>The {top_areas} areas with most children in care: {html.escape(scen[0])}</h3>")
    parts.append(_area_html(tables.by_area(m), top_areas))

    yaml_text = attrs.get("scenario_yaml", "(not recorded)")
    parts.append("<h2 id='parameters'>Parameters</h2><p class='note'>The resolved scenario, as "
                 "the simulator read it.</p>")
    parts.append(f"<pre>{html.escape(str(yaml_text))}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(path, out, title: str | None = None) -> Path:
    """Open the run at `path` and write its report to `out` (HTML)."""
    ds = open_run(path)
    try:
        text = build(ds, title)
    finally:
        ds.close()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
