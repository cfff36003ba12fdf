"""A self-contained HTML report of one run: what was run (each scenario with its description),
the headline numbers, baseline | variant | difference side by side, differences by region and
by authority, charts (PNG embedded as base64) and breakdown tables, and the resolved scenario
text with paths relative to the run file. One file, no external resources: it can be mailed or
archived as it is.

Intervals say what they include: the spread of replicates (or the simulation error of a mean),
which holds chance, and also the uncertainty of whatever each replicate draws: the baseline's
fitted rates and projection rule (`tables.parameter_draws`, `tables.pathway_draws`) and the
programme effects with a stated interval; never the costs' uncertainty. A
figure or table built on a scenario table whose `source` or `note` says it is assumed (a
placeholder, recalled or to be replaced) carries a caveat beside it. The page lays out 2 to 12
scenarios without tables running off it; a small script marks any table wider than the page
(`data-overflow` on <body>), which the tests check in headless Chromium.
"""
from __future__ import annotations

import base64
import html
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import plots, programmes, style, tables
from .io import open_run, run_attrs
from .measures import collect
from .summary import compare

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1180px; padding: 1.5em 2em 3em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #0072B2;
     padding-bottom: 0.2em; margin-top: 2em; } h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; max-width: 100%; }
td.l, th.l { white-space: normal; overflow-wrap: break-word; }
.caveat { background: #fdf0f0; border-left: 4px solid #D55E00; padding: 0.4em 0.8em;
          font-size: 0.9em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f2f6fa; } .l { text-align: left; }
tbody tr:hover { background: #fafafa; }
.meta th { white-space: nowrap; }
.meta td { text-align: left; font-family: ui-monospace, monospace; font-size: 0.9em; }
.warn { background: #fff4e0; border-left: 4px solid #E69F00; padding: 0.6em 1em; }
.note { color: #555; font-size: 0.9em; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em;
      white-space: pre-wrap; overflow-wrap: anywhere; }
nav a { margin-right: 1em; }
table.text td, table.text th { text-align: left; }
table.labels td.l, table.labels th.l, table.labels td .note { overflow-wrap: normal;
                                                               white-space: nowrap; }
"""

CAPTIONS = {
    "in_care": "Children looked after at each observation date, all areas: median across "
               "replicates, with the bands holding the middle 50% and 90% of replicates.",
    "flows": "Entries to care (first entries and re-entries) and exits by reason in each period, "
             "as a rate per year: mean across replicates; whiskers span 90% of replicates.",
    "days_in_care": "Child-days in care in each period, per year.",
    "cost": "Cost in each period, per year (placements, and programmes where the run has any): "
            "total per scenario, and by item.",
    "placements": "Children in care by placement type (mean across replicates).",
    "areas": "The areas with most children in care at the end of the run.",
    "regions": "Children in care summed over the areas of each region.",
}


#: marks every table wider than the page's text column (checked by the tests in Chromium)
OVERFLOW_SCRIPT = """<script>
window.addEventListener('load', function () {
  var limit = document.body.clientWidth, bad = [];
  document.querySelectorAll('table').forEach(function (t, i) {
    if (t.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1 ||
        t.scrollWidth > limit) bad.push(t.id || ('table' + i));
  });
  document.body.setAttribute('data-overflow', bad.length ? bad.join(' ') : 'none');
});
</script>"""
#: scenario tables whose rows each replicate draws: the fitted rates' (and projection rule's)
#: uncertainty is then in the spread between replicates
DRAW_TABLES = ("parameter_draws", "pathway_draws")


def rates_drawn(info: list[dict]) -> list[str]:
    """The scenarios whose replicates each draw the fitted rates (a draws table named)."""
    return [d["name"] for d in info if any((d["tables"] or {}).get(k) for k in DRAW_TABLES)]


def mc_note(info: list[dict], effects_drawn: bool) -> str:
    """What the intervals include: chance always; the fitted rates and projection rule where
    the scenarios draw them per replicate; programme effects where they are drawn."""
    rates = rates_drawn(info)
    every = bool(rates) and len(rates) == len(info)
    if not rates and not effects_drawn:
        return ("Intervals are Monte-Carlo intervals: they show the spread between replicates (or "
                "the simulation error of a mean), not the uncertainty of the rates, costs and "
                "effects the scenarios assume.")
    out = ["Intervals show the spread between replicates (or the simulation error of a mean)."]
    if rates:
        who = "every scenario" if every else ", ".join(html.escape(r) for r in rates)
        out.append(f"In {who} each replicate draws the baseline's fitted rates and projection "
                   "rule (the same draw in every scenario of the run), so the spread includes "
                   "their uncertainty as well as chance.")
    if effects_drawn:
        out.append("In scenarios that draw their programme effects (see Programmes) each "
                   "replicate has its own draw, so the spread includes the effects' uncertainty "
                   "too.")
    out.append("It never includes the uncertainty of the costs"
               + ("." if every else ", nor of the rates where they are not drawn."))
    return " ".join(out)
ASSUMED = re.compile(r"\bassumed\b|placeholder|recalled|to be replaced|illustrative", re.I)


def scenario_info(attrs: dict) -> list[dict]:
    """name, description and tables of each scenario, from the resolved scenario text."""
    import yaml
    text = str(attrs.get("scenario_yaml", ""))
    try:
        docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    except yaml.YAMLError:
        docs = []
    return [{"name": str(d.get("name", "")), "description": str(d.get("description") or ""),
             "tables": d.get("tables") or {},
             "price_base_year": (d.get("costs") or {}).get("price_base_year")} for d in docs]


def prices_note(info: list[dict]) -> str:
    """'Pounds at 2017 prices.' from the scenarios' costs.price_base_year ('' if not recorded)."""
    years = list(dict.fromkeys(str(d["price_base_year"]) for d in info if d["price_base_year"]))
    if not years:
        return ""
    return f"Pounds at {' or '.join(years)} prices (costs.price_base_year)."


def assumed_tables(info: list[dict]) -> dict[str, str]:
    """Tables whose source or note marks numbers as assumed: {table key: what it says}."""
    import pandas as pd
    out = {}
    for d in info:
        for key, path in (d["tables"] or {}).items():
            if key in out or not isinstance(path, str) or not Path(path).is_file():
                continue
            try:
                t = pd.read_csv(path, dtype=str, keep_default_na=False)
            except (OSError, ValueError):
                continue
            words = " ".join(t.get("source", pd.Series(dtype=str)).tolist() +
                             t.get("note", pd.Series(dtype=str)).tolist())
            m = ASSUMED.search(words)
            if m:
                note = next((x for x in t.get("note", pd.Series(dtype=str)) if ASSUMED.search(x)), "")
                out[key] = note or m.group(0)
    return out


def relative_paths(text: str, base) -> str:
    """Absolute paths in `text` rewritten relative to the folder `base` (the run file's)."""
    def rel(m):
        try:
            return os.path.relpath(m.group(0), base)
        except ValueError:
            return Path(m.group(0)).name
    # a path: /dir/.../name, after a space, quote, colon or the start (never "</b>")
    return re.sub(r"(?<![\w.<>/])/(?:[\w.+-]+/)+[\w.+-]+", rel, text)


def _caveat(text: str) -> str:
    return f"<p class='caveat'><b>Caveat:</b> {html.escape(text)}</p>"


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


def _table(df: pd.DataFrame, cls: str = "") -> str:
    """HTML of a table: index levels first, as left-aligned labels (escaped); the other cells
    are right-aligned and may hold markup."""
    names = [n or "" for n in df.index.names]
    head = "".join(f"<th class='l'>{_breakable(n)}</th>" for n in names)
    head += "".join(f"<th>{_breakable(c)}</th>" for c in df.columns)
    rows = []
    for idx, r in zip(df.index, df.itertuples(index=False)):
        idx = idx if isinstance(idx, tuple) else (idx,)
        cells = "".join(f"<td class='l'>{_breakable(v)}</td>" for v in idx)
        cells += "".join(f"<td>{'–' if v is None else v}</td>" for v in r)
        rows.append(f"<tr>{cells}</tr>")
    cls = f" class='{cls}'" if cls else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _breakable(label) -> str:
    """A label escaped, which may wrap after its underscores (faster_ | reunification) rather
    than anywhere in a word (faster_reunific | ation)."""
    return html.escape(str(label)).replace("_", "_<wbr>")


def _stacked(mean, lo, hi, f: float = 1.0, digits: int = 0) -> str:
    """Mean over its 90% interval, on two lines: keeps wide tables narrow."""
    return (f"{_fmt(mean / f, digits)}<br><span class='note'>{_fmt(lo / f, digits)} to "
            f"{_fmt(hi / f, digits)}</span>")


def _wide(summary: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """{measure: (heading, divisor, digits)} -> one stacked cell per measure, in that order."""
    out = pd.DataFrame(index=summary.index)
    for key, (head, f, digits) in columns.items():
        if key in summary.columns.get_level_values(0):
            s = summary[key]
            out[head] = [_stacked(m, lo, hi, f, digits) for m, lo, hi in
                         zip(s["mean"], s["q05"], s["q95"])]
    return out


def _programmes_html(ds, attrs: dict, times) -> str:
    """The programme section: what each programme did in each scenario that runs it, and each
    such scenario against the baseline, replicate by replicate; '' when no scenario runs one."""
    if not programmes.has_programmes(ds):
        return ""
    ran = programmes.runs(ds, attrs)
    if not any(ran.values()):
        return ""
    start, end = times[0].date(), times[-1].date()
    rate = f"{100 * programmes.GREEN_BOOK_RATE:g}%"
    per = programmes.summarise(programmes.programme_table(ds, ran), ["programme", "scenario"])
    parts = ["<h2 id='programmes'>Programmes</h2>",
             f"<p class='note'>Each programme in each scenario that runs it, from {start} to the "
             f"end, {end}: "
             "mean across replicates, with the interval holding the middle 90% of replicates "
             "below it. Cost per child served is the programme's whole cost (fixed and per "
             "child) over the children who started being served.</p>",
             _table(_wide(per, {
                 "referred": ("children referred", 1, 0), "served": ("children served", 1, 0),
                 "waiting": ("waiting at the end", 1, 0),
                 "cost": ("programme cost (GBP million)", 1e6, 2),
                 "cost_discounted": (f"discounted at {rate} (GBP million)", 1e6, 2),
                 "cost_per_served": ("cost per child served (GBP)", 1, 0)}), "labels")]
    none = [p for p in per.index.get_level_values("programme").unique()
            if not (per.xs(p, level="programme")[("referred", "mean")] > 0).any()]
    if none:
        parts.append(f"<p class='note'>{html.escape(', '.join(none))}: no child referred (an "
                     "effect on entries to care acts on the area's entry rate and serves no "
                     "one), so no cost per child.</p>")
    parts.append(_uncertainty_html(attrs, ran))
    base = programmes.baseline_of(ds, ran)
    if base is None:
        parts.append("<p class='note'>Every scenario in this file runs a programme: there is no "
                     "baseline to count children or costs avoided against.</p>")
        return "\n".join(parts)
    eff = programmes.summarise(programmes.effect_table(ds, ran, base), ["scenario"])
    parts.append(f"<h3>Against {html.escape(base)}, replicate by replicate</h3>"
                 f"<p class='note'>Avoided and saved: {html.escape(base)} minus the scenario, "
                 "so a positive number is care or money the programmes saved. Net cost: "
                 "programme cost minus placement cost saved (negative: the programmes saved more "
                 f"than they cost), summed from {start} to {end}, and discounted at the Green "
                 f"Book's {rate} a year. A scenario running several programmes shows their joint "
                 "effect.</p>")
    parts.append(_table(_wide(eff, {
        "in_care_avoided": ("children in care avoided at the end", 1, 0),
        "care_days_avoided": ("care-days avoided", 1, 0),
        "placement_saved": ("placement cost saved (GBP million)", 1e6, 2),
        "programme_cost": ("programme cost (GBP million)", 1e6, 2),
        "net_cost": ("net cost (GBP million)", 1e6, 2),
        "net_cost_discounted": (f"net cost, discounted at {rate} (GBP million)", 1e6, 2)}),
        "labels"))
    return "\n".join(parts)


def _uncertainty_html(attrs: dict, ran: dict) -> str:
    """The sentence saying what the intervals of each programme scenario include."""
    described = programmes.scenario_programmes(attrs)
    rates = set(rates_drawn(scenario_info(attrs)))
    drawn = [s for s, ps in ran.items() if ps and described.get(s, {}).get("drawn")]
    fixed = [s for s, ps in ran.items() if ps and s not in drawn]
    out = []
    if drawn:
        out.append(f"In {html.escape(', '.join(drawn))} each replicate draws the programme "
                   "effects from their stated 95% intervals (once per replicate, the same draw "
                   "in every scenario), so these intervals include effect (parameter) "
                   "uncertainty as well as chance.")
    for group, says in (([s for s in fixed if s not in rates], "show chance alone, not"),
                        ([s for s in fixed if s in rates], "do not include")):
        if group:
            out.append(f"In {html.escape(', '.join(group))} the effects are fixed: the "
                       f"intervals {says} the uncertainty of the effects.")
    if rates and all(s in rates for s, ps in ran.items() if ps):
        out.append("Every interval includes the uncertainty of the baseline's fitted rates and "
                   "projection rule (drawn per replicate), none that of the costs.")
    elif rates:
        out.append("No interval includes the uncertainty of the costs, nor that of the "
                   "baseline's rates where they are not drawn per replicate.")
    else:
        out.append("No interval includes the uncertainty of the baseline's own rates and costs.")
    return f"<p>{' '.join(out)}</p>"


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


def _compare_html(measures: dict, baseline: str, caveat_cost: bool = False) -> str:
    """Baseline | variant | difference side by side: one row per variant x measure, with the
    same few columns however many scenarios there are."""
    rows = []
    for label, da in measures.items():
        df = compare(da, baseline=baseline, by=())
        name, f, digits = _scale(label)
        if caveat_cost and "GBP" in name:
            name += " †"
        for scen, r in df.iterrows():
            scen = scen[0] if isinstance(scen, tuple) else scen
            rows.append({"scenario": scen, "measure": name,
                         f"{baseline} (mean)": _fmt(r["baseline_mean"] / f, digits),
                         "variant (mean)": _fmt(r["scenario_mean"] / f, digits),
                         "difference (95% Monte-Carlo interval)":
                             _interval(r["diff"] / f, r["ci_lo"] / f, r["ci_hi"] / f, digits),
                         "relative": f"{100 * r['rel']:+.1f}%" if np.isfinite(r["rel"]) else "–"})
    df = pd.DataFrame(rows)
    df["scenario"] = pd.Categorical(df["scenario"], categories=list(dict.fromkeys(df["scenario"])))
    return _table(df.sort_values("scenario", kind="stable").set_index(["scenario", "measure"]))


def _difference_by_html(m: dict, baseline: str, by: str, top: int | None = None) -> str:
    """Children in care at the end, variant minus baseline, by region or by authority (the
    `top` authorities with the largest differences of any variant)."""
    da = m["in_care_area"].isel(time=-1, drop=True)
    if by == "region":
        from .measures import reduce
        da = reduce(da.expand_dims(time=[0]), ("region",)).isel(time=0, drop=True)
    df = compare(da, baseline=baseline, by=(by,))
    names = da.coords["area_name"].to_series() if by == "area" and "area_name" in da.coords else None
    wide = df["diff"].unstack("scenario")
    if top:
        wide = wide.loc[wide.abs().max(axis=1).sort_values(ascending=False).index[:top]]
    out = pd.DataFrame({s: [f"{v:+,.0f}" for v in wide[s]] for s in wide.columns}, index=wide.index)
    if len(out.columns) > 6:               # many variants: one row per region x variant instead
        long = df["diff"].reset_index()
        long = long[long[by].isin(out.index)]
        long["difference"] = [f"{v:+,.0f}" for v in long["diff"]]
        out = long.set_index([by, "scenario"])[["difference"]]
    if names is not None:
        out.index = out.index.map(lambda i: f"{i[0] if isinstance(i, tuple) else i} "
                                            f"{names.get(i[0] if isinstance(i, tuple) else i, '')}")
        out.index.name = "authority"
    return _table(out)


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
             "<nav><a href='#scenarios'>Scenarios</a><a href='#run'>Run</a>"
             "<a href='#headline'>Headline</a>"
             + ("<a href='#compare'>By region and authority</a>" if len(scen) > 1 else "")
             + ("<a href='#programmes'>Programmes</a>" if programmes.has_programmes(ds) else "")
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
    info = scenario_info(attrs)
    described = {d["name"]: d["description"] for d in info}
    assumed = assumed_tables(info)
    base_dir = Path(str(attrs.get("source_path", "."))).resolve().parent
    parts.append("<h2 id='scenarios'>Scenarios</h2>")
    sc = pd.DataFrame({"description": [html.escape(described.get(n, "") or "(no description)")
                                       for n in scen]}, index=pd.Index(scen, name="scenario"))
    parts.append(_table(sc, "text"))   # descriptions read from the left
    if assumed:
        listed = "; ".join(f"{k.replace('_', ' ')} ({w})" for k, w in assumed.items())
        parts.append(_caveat(f"these tables say some of their numbers are assumed rather than "
                             f"measured: {listed}. Every figure rests on them; costs (marked †) "
                             "rest on placeholder prices."
                             if "placement_costs" in assumed else
                             f"these tables say some of their numbers are assumed rather than "
                             f"measured: {listed}."))
    parts.append("<h2 id='run'>Run</h2>")
    keys = ("caresim_version", "created", "command_line", "seed", "start_date", "source_path")
    shown = dict(attrs, source_path=Path(str(attrs.get("source_path", ""))).name,
                 command_line=relative_paths(str(attrs.get("command_line", "")), base_dir))
    rows = "".join(f"<tr><th class='l'>{k}</th><td>{html.escape(str(shown[k]))}</td></tr>"
                   for k in keys if k in attrs)
    rows += f"<tr><th class='l'>tasks complete</th><td>{done} of {total}</td></tr>"
    parts.append(f"<table class='meta'>{rows}</table>")

    cost_caveat = "placement_costs" in assumed
    drawn = any(d["drawn"] for d in programmes.scenario_programmes(attrs).values())
    note = mc_note(info, drawn) + (" " + prices_note(info) if prices_note(info) else "")
    if len(scen) == 1:
        parts.append("<h2 id='headline'>Headline</h2><p class='note'>Mean across replicates, "
                     "with the interval holding the middle 90% of replicates in brackets. "
                     f"{note}</p>")
        parts.append(_headline_html(tables.headline(m)))
    else:
        parts.append(f"<h2 id='headline'>Headline: each scenario beside {html.escape(scen[0])}</h2>"
                     "<p class='note'>Means across replicates; the difference is each variant "
                     "minus the baseline, replicate by replicate (common random numbers), with a "
                     f"95% Monte-Carlo interval for its mean. {note}</p>")
        hm = tables.headline_measures(m)
        if len(scen) > 4:       # many variants: the measures a policy team asks for first
            keep = (f"Children in care, {times[-1].date()}", "Entries", "Exits", "discounted")
            hm = {k: v for k, v in hm.items() if any(w in k for w in keep)}
        parts.append(_compare_html(hm, scen[0], cost_caveat))
        parts.append(f"<h2 id='compare'>Differences by region and by authority</h2>"
                     f"<p class='note'>Children in care at {times[-1].date()}: variant minus "
                     f"{html.escape(scen[0])}, mean of the paired differences.</p>")
        if "region" in m["in_care_area"].coords:
            parts.append("<h3>By region</h3>")
            parts.append(_difference_by_html(m, scen[0], "region"))
        parts.append(f"<h3>The {min(top_areas, ds.sizes.get('area', 0))} authorities with the "
                     "largest differences</h3>")
        parts.append(_difference_by_html(m, scen[0], "area", top=top_areas))

    parts.append(_programmes_html(ds, attrs, times))
    parts.append("<h2 id='charts'>Charts</h2>")
    for name, fig in plots.make_all(m).items():
        cap = CAPTIONS.get(name, "")
        if name == "cost" and prices_note(info):
            cap += " " + prices_note(info)
        parts.append(f"<figure><img alt='{name}' src='data:image/png;base64,{_png(fig)}'>"
                     f"<figcaption>{html.escape(cap)}</figcaption></figure>")
        if name == "cost" and cost_caveat:
            parts.append(_caveat(f"placement costs per day are not sourced "
                                 f"({assumed['placement_costs']}): the pounds are illustrative."))

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

    yaml_text = relative_paths(str(attrs.get("scenario_yaml", "(not recorded)")), base_dir)
    parts.append("<h2 id='parameters'>Parameters</h2><p class='note'>The resolved scenario, as "
                 "the simulator read it (paths relative to the run file's folder).</p>")
    parts.append(f"<pre>{html.escape(yaml_text)}</pre>")
    parts.append(OVERFLOW_SCRIPT)
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
