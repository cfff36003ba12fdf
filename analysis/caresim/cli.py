"""The `python3 -m caresim` command line: report, info, summary, compare, plots, export,
rates, local, calibrate.

Thin: each subcommand parses its arguments and calls the package. Every error in the input (a
missing or non-HDF5 file, an unknown variable or label, an output that exists without
--force) prints one line, `caresim: PROBLEM`, and exits with status 2, as the C program does.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

EPILOG = """examples:
  python3 -m caresim report out/baseline.h5 -o report.html
  python3 -m caresim summary out/baseline.h5 --var flow --by time,transition --csv flow.csv
  python3 -m caresim compare out/programmes.h5 --baseline baseline
  python3 -m caresim plots out/baseline.h5 -o charts/
  python3 -m caresim rates episodes.csv -o lac_hazards.csv
  python3 -m caresim calibrate --data ../shared/data -o models/data
"""


RUN_HELP = "run file (RUN.h5, or RUN.h5.part while it is written)"
VAR_HELP = ("variable: stock, placements, flow, days_in_care, cost, ... (info RUN lists the "
            "run's variables)")


def _by(text: str) -> tuple:
    return tuple(x.strip() for x in text.split(",") if x.strip()) if text else ()


def _where(items) -> dict:
    out = {}
    for item in items or ():
        key, _, vals = item.partition("=")
        if not vals:
            raise ValueError(f"--where {item!r}: expected DIM=LABEL[,LABEL...]")
        v = vals.split(",")
        out[key] = v if len(v) > 1 else v[0]
    return out


class InputError(ValueError):
    """Bad input named in one line (exit status 2)."""


def _fresh(path, force: bool) -> None:
    """Refuse to overwrite an existing output unless --force."""
    from pathlib import Path
    if path and Path(path).exists() and not force:
        raise InputError(f"{path}: exists; use --force to overwrite it or -o to choose another name")


def _open(path):
    """open_run, with a non-HDF5 file named as such."""
    import h5py
    from .io import open_run, resolve_path
    real, _ = resolve_path(path)
    if real.is_dir() or not h5py.is_hdf5(real):
        raise InputError(f"{real}: not an HDF5 file (expected the output of caresim run)")
    return open_run(path)


def _check_request(ds, var, where) -> None:
    """An unknown variable or label becomes one line naming it and what exists."""
    if var is not None and var not in ds.data_vars:
        raise InputError(f"--var {var}: no such variable (variables: {', '.join(ds.data_vars)})")
    for dim, labels in (where or {}).items():
        if dim not in ds.coords:
            raise InputError(f"--where {dim}=...: no dimension {dim!r} (dimensions: {', '.join(ds.dims)})")
        if dim == "time":
            _check_dates(ds, labels if isinstance(labels, list) else [labels])
            continue
        have = [str(x) for x in ds[dim].values]
        for lab in labels if isinstance(labels, list) else [labels]:
            if lab not in have:
                raise InputError(f"--where {dim}={lab}: no such label (labels: {', '.join(have)})")


def _check_dates(ds, labels) -> None:
    """--where time=DATE names observation dates of the run."""
    have = pd.to_datetime(ds["time"].values)
    for lab in labels:
        try:
            day = pd.Timestamp(lab)
        except ValueError:
            raise InputError(f"--where time={lab}: expected a date YYYY-MM-DD") from None
        if day not in have:
            raise InputError(f"--where time={lab}: not an observation date of the run (dates: "
                             f"{', '.join(str(t.date()) for t in have)})")


MAX_ROWS = 200   # printed in full up to this; longer tables are cut in the middle


def _emit(df: pd.DataFrame, csv: str | None, force: bool = True) -> None:
    if csv:
        _fresh(csv, force)
        df.reset_index().to_csv(csv, index=False)
        print(f"wrote {csv}")
    else:
        shown = df
        if "rel" in df.columns:   # a fraction: -0.0196 would print as -0.02
            shown = df.assign(rel=[f"{100 * v:+.1f}%" if np.isfinite(v) else "–" for v in df["rel"]])
        with pd.option_context("display.width", 160, "display.max_rows", MAX_ROWS,
                               "display.max_columns", 20, "display.float_format", "{:,.2f}".format):
            print(shown)
        if len(df) > MAX_ROWS:
            print(f"({len(df)} rows, not all shown: --csv FILE writes them all)", file=sys.stderr)


def cmd_report(a) -> int:
    from .report import write
    _fresh(a.output, a.force)
    _open(a.run).close()
    out = write(a.run, a.output, title=a.title)
    print(f"wrote {out}")
    return 0


def cmd_info(a) -> int:
    from .io import run_attrs
    ds = _open(a.run)
    attrs = run_attrs(ds)
    print(f"file: {attrs['source_path']}{'  (INCOMPLETE)' if attrs['partial'] else ''}")
    print(f"tasks complete: {attrs['tasks_done']} of {attrs['tasks_total']}")
    print("dimensions: " + ", ".join(f"{k}={v}" for k, v in ds.sizes.items()))
    print("scenarios: " + ", ".join(str(s) for s in ds["scenario"].values))
    t = pd.to_datetime(ds["time"].values)
    print(f"time: {t[0].date()} to {t[-1].date()} ({len(t)} observations)")
    for name, var in ds.data_vars.items():
        print(f"  {name}{var.dims}  [{var.attrs.get('units', '')}]")
    for k in ("caresim_version", "created", "command_line", "seed", "start_date"):
        if k in attrs:
            print(f"{k}: {attrs[k]}")
    ds.close()
    return 0


def cmd_summary(a) -> int:
    # the headline table only when no option asks for a variable's table (--by region alone
    # means children in care by region, not the headline with --by ignored)
    asked = a.var or a.by or a.where or a.cumulative or a.discount is not None
    df = _table(a, "summary" if asked else "headline")
    _emit(df, a.csv, a.force)
    return 0


def cmd_compare(a) -> int:
    _emit(_table(a, "compare"), a.csv, a.force)
    return 0


def _table(a, kind: str) -> pd.DataFrame:
    """The table `kind` (headline, summary, compare) of the run named in the arguments; with
    --cumulative or --discount, a period variable is summed from the start of the run."""
    from .measures import cumulative, reduce
    from .summary import compare, default_where, summarise
    from .tables import headline
    ds = _open(a.run)
    if kind == "headline":
        return headline(ds)
    var = a.var or "stock"
    where = _where(a.where) or None
    _check_request(ds, var, where)
    by = _by(a.by or "time")
    if a.discount is not None and not a.discount >= 0:
        raise InputError(f"--discount {a.discount:g}: expected a rate a year >= 0, e.g. 0.035")
    data = reduce(ds[var], by, default_where(var, where))
    if getattr(a, "cumulative", False) or getattr(a, "discount", None):
        if var in ("stock", "placements"):
            raise InputError(f"--cumulative: {var} is a count at each date, not a period amount "
                             "(use flow, days_in_care or cost)")
        data = cumulative(data, a.discount)
    if kind == "summary":
        return summarise(data, by=by)
    return compare(data, baseline=a.baseline, by=by)


def cmd_plots(a) -> int:
    from .measures import collect
    from .plots import save_all
    _fresh(a.output, a.force)
    ds = _open(a.run)
    paths = save_all(collect(ds), a.output)
    for name, ps in paths.items():
        print(f"{name}: " + ", ".join(str(p) for p in ps))
    return 0


def cmd_rates(a) -> int:
    from pathlib import Path
    from . import episodes, rates
    outs = [a.output, a.ci or Path(a.output).with_name(Path(a.output).stem + "_ci.csv")]
    if a.reentry:
        outs += [a.reentry, Path(a.reentry).with_name(Path(a.reentry).stem + "_ci.csv")]
    for out in outs:   # checked before the estimate, which can take a while
        _fresh(out, a.force)
    eps = episodes.read_csv(a.episodes, dayfirst=a.dayfirst)
    window = (a.window_from, a.window_to) if (a.window_from or a.window_to) else None
    est = rates.estimate(eps, extract_date=a.extract_date, window=window)
    paths = rates.write(est, a.output, a.ci, source=a.source or "", note=a.note or "")
    if a.reentry:
        re = rates.estimate_reentry(eps, follow_up_days=a.follow_up_days,
                                    extract_date=a.extract_date, window=window)
        paths += rates.write(re, a.reentry, source=a.source or "", note=a.note or "")
    print(f"{est.attrs['periods']} periods of care ({est.attrs['left_truncated']} begun before the "
          f"data); extract date {est.attrs['extract_date']}")
    for p in paths:
        print(f"wrote {p}")
    return 0


def cmd_export(a) -> int:
    if a.what == "table":
        from .tables import export_table
        _fresh(a.output, a.force)
        kind = a.table or ("compare" if a.baseline_given else "headline")
        frames = {kind: _table(a, kind)}
        out = export_table(frames, a.output)
        print(f"wrote {out}")
        return 0
    if a.what == "cin":
        from .cin_export import export_cin
        _fresh(a.output, a.force)
        paths = export_cin(a.run, a.output)
        print(f"wrote {len(paths)} CIN table(s) to {a.output}/ (CIN episodes and protection plans)")
        return 0
    from . import export
    paths = export.export_episodes(a.run, a.output, force=a.force)
    print(f"wrote {len(paths)} episode table(s) to {a.output}/ (SSDA903 header and episodes, DfE codes)")
    return 0


def cmd_calibrate(a) -> int:
    from .calibrate import calibrate
    paths = calibrate(a.data, a.output, None if a.no_figures else a.figures,
                      log=(lambda *x: None) if a.quiet else print)
    for p in paths:
        print(f"wrote {p}")
    return 0


def cmd_local(a) -> int:
    from .local import build
    ages = _by(a.ages) if a.ages else None
    info = build(a.returns, a.population, a.output, code=a.code, name=a.name, region=a.region,
                 horizon=a.horizon, replicates=a.replicates, seed=a.seed, costs=a.costs,
                 uasc=a.uasc, sex=a.sex, ages=ages, force=a.force)
    w0, w1 = info["window"]
    print(info["returns"].summary())
    print(f"window {w0.date()} to {w1.date()}: {info['periods']} periods of care "
          f"({info['left_truncated']} already running when the returns begin: left-truncated), "
          f"{info['entries']} first entries, {info['reentries']} re-entries; "
          f"{info['in_care']} children in care on {w1.date()}")
    if len(info["returns"].problems):
        print(f"{len(info['returns'].problems)} rows could not be used as they are: see "
              f"{a.output}/problems.csv")
    print(f"wrote {info['scenario']}  (run: caresim run {info['scenario']})")
    return 0


def cmd_variants(a) -> int:
    from .variants import write_variants
    paths = write_variants(a.baseline, a.vary, a.output, combine=a.combine, force=a.force)
    print(" ".join(str(p) for p in paths))
    return 0


def _period_options(s) -> None:
    s.add_argument("--cumulative", action="store_true",
                   help="sum a period variable (flow, days_in_care, cost) from the start of the run")
    s.add_argument("--discount", type=float, metavar="RATE",
                   help="cumulative and discounted at RATE a year (e.g. 0.035, the Green Book rate)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m caresim", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Analyse caresim output (HDF5 run files) and "
                                            "estimate hazard tables from SSDA903-style episodes.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"caresim (Python analysis) {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    s = sub.add_parser("help", help="show a command's help: help COMMAND")
    s.add_argument("topic", nargs="?", help="a command, e.g. compare")
    s.set_defaults(func=None)

    s = sub.add_parser("report", help="write a self-contained HTML report of a run")
    s.add_argument("run", help="run file (RUN.h5, or RUN.h5.part while it is written)")
    s.add_argument("-o", "--output", default="report.html", help="HTML file (default report.html)")
    s.add_argument("--title", help="page title (default: the run file's name)")
    s.add_argument("-f", "--force", action="store_true", help="overwrite OUTPUT if it exists")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("info", help="dimensions, scenarios, variables and completeness of a run")
    s.add_argument("run", help=RUN_HELP)
    s.set_defaults(func=cmd_info)

    for name, func, text in (("summary", cmd_summary, "mean, sd, se and quantiles across "
                              "replicates (with no --var, --by or --where: the headline table)"),
                             ("compare", cmd_compare, "scenario minus baseline, paired by "
                              "replicate, with confidence intervals")):
        s = sub.add_parser(name, help=text)
        s.add_argument("run", help=RUN_HELP)
        s.add_argument("--var", default=None if name == "summary" else "stock",
                       help=VAR_HELP + ("" if name == "summary" else "; default stock"))
        s.add_argument("--by", default=None,
                       help="comma-separated breakdown kept (default time), e.g. time,area or region")
        s.add_argument("--where", action="append", metavar="DIM=LABEL[,LABEL]",
                       help="select labels, e.g. --where transition=entry,reentry (stock: "
                            "state=lac unless given)")
        s.add_argument("--csv", help="write the table as CSV instead of printing it")
        s.add_argument("-f", "--force", action="store_true", help="overwrite the CSV if it exists")
        _period_options(s)
        if name == "compare":
            s.add_argument("--baseline", default="baseline",
                           help="baseline scenario (default 'baseline', else the first)")
        s.set_defaults(func=func)

    s = sub.add_parser("plots", help="write every chart as PNG and SVG")
    s.add_argument("run", help=RUN_HELP)
    s.add_argument("-o", "--output", default="charts", help="folder (default charts/)")
    s.add_argument("-f", "--force", action="store_true", help="write into the folder if it exists")
    s.set_defaults(func=cmd_plots)

    s = sub.add_parser("export", help="export a table (CSV or Excel) or the episode log "
                                      "(SSDA903 files, DfE codes)",
                       description="export table RUN -o FILE.csv|FILE.xlsx: the headline table, "
                                   "or --table summary|compare with --var/--by/--where; "
                                   "export episodes RUN -o DIR: SSDA903 header and episodes CSVs "
                                   "(run written with output: {episodes: true}); "
                                   "export cin RUN -o DIR: CIN-census-style tables (referral, CIN "
                                   "start/end, plan start/end, reasons) of a run with the pathway")
    s.add_argument("what", choices=["episodes", "table", "cin"], help="episodes, table or cin")
    s.add_argument("run", help=RUN_HELP)
    s.add_argument("-o", "--output", required=True,
                   help="folder (episodes, cin) or .csv/.xlsx file (table)")
    s.add_argument("-f", "--force", action="store_true", help="overwrite what exists")
    s.add_argument("--table", choices=["headline", "summary", "compare"],
                   help="which table (default: compare with --baseline, else headline)")
    s.add_argument("--var", default=None, help=VAR_HELP + "; for summary/compare, default stock")
    s.add_argument("--by", default=None, help="breakdown kept (default time)")
    s.add_argument("--where", action="append", metavar="DIM=LABEL[,LABEL]",
                   help="select labels, as for summary")
    s.add_argument("--baseline", default=None, help="baseline scenario for compare")
    _period_options(s)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("local", help="build a scenario folder for one authority from its "
                                     "SSDA903 returns (one command to a local projection)",
                       description="Reads the authority's SSDA903 header, episodes and UASC files "
                                   "(a folder, one per year or stacked), estimates entry rates, "
                                   "hazards, placement shares and the children in care at the end "
                                   "of the returns, and writes OUTPUT/scenario.yaml with its tables.")
    s.add_argument("returns", help="folder of SSDA903 CSV files (header, episodes, uasc)")
    s.add_argument("--population", required=True,
                   help="CSV with columns age_band, population (the authority's children)")
    s.add_argument("-o", "--output", required=True, help="scenario folder to write")
    s.add_argument("--code", default="LOCAL", help="area code (e.g. the ONS code; default LOCAL)")
    s.add_argument("--name", help="authority's name (also the scenario's name; default the code)")
    s.add_argument("--region", default="", help="region (default: local)")
    s.add_argument("--horizon", default="5y", help="projection length (default 5y)")
    s.add_argument("--replicates", type=int, default=20, help="replicates (default 20)")
    s.add_argument("--seed", type=int, default=1, help="the scenario's seed (default 1)")
    s.add_argument("--costs", help="placement costs CSV to copy in (placement, cost_per_day)")
    s.add_argument("--uasc", default="all", choices=["all", "exclude", "only"],
                   help="unaccompanied asylum-seeking children (UASC file): all, exclude, only")
    s.add_argument("--sex", choices=["1", "2"], help="only boys (1) or girls (2)")
    s.add_argument("--ages", help="only these age bands at entry, comma-separated")
    s.add_argument("-f", "--force", action="store_true", help="overwrite the folder")
    s.set_defaults(func=cmd_local)

    s = sub.add_parser("variants", help="write variant scenario files of a baseline, one per "
                                        "value of each adjustment (a sweep)",
                       description="Writes OUTPUT/NAME.yaml for each value, each extending the "
                                   "baseline with one adjust: key, e.g. --vary lac_hazards.home=1.1,"
                                   "1.2,1.3 --vary entry_rates=0.95; prints the files, ready for "
                                   "caresim run BASELINE FILES...")
    s.add_argument("baseline", help="the baseline scenario file")
    s.add_argument("--vary", action="append", required=True, metavar="KEY=V1,V2,...",
                   help="adjust: key (entry_rates, lac_hazards.NAME, home_hazards.NAME) and values")
    s.add_argument("--combine", action="store_true",
                   help="every combination of the --vary values instead of one key at a time")
    s.add_argument("-o", "--output", required=True, help="folder for the variant files")
    s.add_argument("-f", "--force", action="store_true", help="overwrite existing files")
    s.set_defaults(func=cmd_variants)

    s = sub.add_parser("rates", help="occurrence/exposure exit hazards from an episodes CSV")
    s.add_argument("episodes", help="CSV with columns child_id, date_of_birth, sex, episode_start, "
                                    "reason_new_episode, placement_type, episode_end, "
                                    "reason_episode_ceased")
    s.add_argument("-o", "--output", default="lac_hazards.csv",
                   help="hazard table for the simulator (default lac_hazards.csv)")
    s.add_argument("--ci", help="estimates with intervals (default OUTPUT_ci.csv)")
    s.add_argument("--reentry", metavar="CSV", help="also write re-entry hazards (home_hazards "
                                                   "format; and CSV_ci.csv beside it)")
    s.add_argument("-f", "--force", action="store_true", help="overwrite the tables if they exist")
    s.add_argument("--follow-up-days", type=float, default=730.5,
                   help="re-entry follow-up window in days (default 730.5, two years)")
    s.add_argument("--extract-date", help="date the data were extracted (default: latest date)")
    s.add_argument("--window-from", help="count only time and exits from this date")
    s.add_argument("--window-to", help="... up to this date")
    s.add_argument("--dayfirst", action="store_true", help="dates are dd/mm/yyyy")
    s.add_argument("--source", help="text for the source column")
    s.add_argument("--note", help="text for the note column")
    s.set_defaults(func=cmd_rates)

    s = sub.add_parser("calibrate", help="fit the England baseline tables to the published "
                                         "2010-2017 series (docs/calibration.md)")
    s.add_argument("--data", default="../shared/data",
                   help="folder of the published CSV series (default ../shared/data)")
    s.add_argument("-o", "--output", default="models/data",
                   help="where the simulator's tables go (default models/data; the fit's own "
                        "tables go to OUTPUT/calibration/)")
    s.add_argument("--figures", default="docs/calibration",
                   help="folder for the fit report charts (default docs/calibration)")
    s.add_argument("--no-figures", action="store_true", help="write no charts")
    s.add_argument("-q", "--quiet", action="store_true", help="print only the files written")
    s.set_defaults(func=cmd_calibrate)
    return p


def main(argv=None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command == "help":
        sub = p._subparsers._group_actions[0].choices      # argparse keeps them here
        if args.topic and args.topic not in sub:
            print(f"caresim: help: no command {args.topic!r} (commands: {', '.join(sub)})",
                  file=sys.stderr)
            return 2
        (sub[args.topic] if args.topic else p).print_help()
        return 0
    if getattr(args, "command", None) == "export":
        args.baseline_given = args.baseline is not None
        args.baseline = args.baseline or "baseline"
    try:
        return args.func(args)
    except (FileNotFoundError, KeyError, ValueError, OSError) as e:
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"caresim: {str(msg).splitlines()[0] if str(msg) else type(e).__name__}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
