"""The `python3 -m caresim` command line: report, info, summary, compare, plots, rates.

Thin: each subcommand parses its arguments and calls the package; errors in the input (a
missing file, an unknown variable) print one line and exit with status 2.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

EPILOG = """examples:
  python3 -m caresim report out/baseline.h5 -o report.html
  python3 -m caresim summary out/baseline.h5 --var flow --by time,transition --csv flow.csv
  python3 -m caresim compare out/programmes.h5 --baseline baseline
  python3 -m caresim plots out/baseline.h5 -o charts/
  python3 -m caresim rates episodes.csv -o lac_hazards.csv
"""


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


def _emit(df: pd.DataFrame, csv: str | None) -> None:
    if csv:
        df.to_csv(csv)
        print(f"wrote {csv}")
    else:
        with pd.option_context("display.width", 160, "display.max_rows", 200,
                               "display.max_columns", 20, "display.float_format", "{:,.2f}".format):
            print(df)


def cmd_report(a) -> int:
    from .report import write
    out = write(a.run, a.output, title=a.title)
    print(f"wrote {out}")
    return 0


def cmd_info(a) -> int:
    from .io import open_run, run_attrs
    ds = open_run(a.run)
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
    from .io import open_run
    from .summary import summarise
    from .tables import headline
    ds = open_run(a.run)
    if a.var is None:
        df = headline(ds)
    else:
        df = summarise(ds, a.var, by=_by(a.by), where=_where(a.where) or None)
    _emit(df, a.csv)
    return 0


def cmd_compare(a) -> int:
    from .io import open_run
    from .summary import compare
    ds = open_run(a.run)
    df = compare(ds, baseline=a.baseline, var=a.var, by=_by(a.by), where=_where(a.where) or None)
    _emit(df, a.csv)
    return 0


def cmd_plots(a) -> int:
    from .io import open_run
    from .measures import collect
    from .plots import save_all
    ds = open_run(a.run)
    paths = save_all(collect(ds), a.output)
    for name, ps in paths.items():
        print(f"{name}: " + ", ".join(str(p) for p in ps))
    return 0


def cmd_rates(a) -> int:
    from . import episodes, rates
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
    from . import export
    paths = export.export_episodes(a.run, a.output)
    print(f"wrote {len(paths)} episode table(s) to {a.output}/")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m caresim", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Analyse caresim output (HDF5 run files) and "
                                            "estimate hazard tables from SSDA903-style episodes.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("report", help="write a self-contained HTML report of a run")
    s.add_argument("run", help="run file (RUN.h5, or RUN.h5.part while it is written)")
    s.add_argument("-o", "--output", default="report.html", help="HTML file (default report.html)")
    s.add_argument("--title", help="page title (default: the run file's name)")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("info", help="dimensions, scenarios, variables and completeness of a run")
    s.add_argument("run")
    s.set_defaults(func=cmd_info)

    for name, func, text in (("summary", cmd_summary, "mean, sd, se and quantiles across "
                              "replicates (no --var: the headline table)"),
                             ("compare", cmd_compare, "scenario minus baseline, paired by "
                              "replicate, with confidence intervals")):
        s = sub.add_parser(name, help=text)
        s.add_argument("run")
        s.add_argument("--var", default=None if name == "summary" else "stock",
                       help="variable: stock, placements, flow, days_in_care, cost")
        s.add_argument("--by", default="time",
                       help="comma-separated breakdown kept (default time), e.g. time,area or region")
        s.add_argument("--where", action="append", metavar="DIM=LABEL[,LABEL]",
                       help="select labels, e.g. --where transition=entry,reentry (stock: "
                            "state=lac unless given)")
        s.add_argument("--csv", help="write the table as CSV instead of printing it")
        if name == "compare":
            s.add_argument("--baseline", default="baseline",
                           help="baseline scenario (default 'baseline', else the first)")
        s.set_defaults(func=func)

    s = sub.add_parser("plots", help="write every chart as PNG and SVG")
    s.add_argument("run")
    s.add_argument("-o", "--output", default="charts", help="folder (default charts/)")
    s.set_defaults(func=cmd_plots)

    s = sub.add_parser("export", help="export a run's episode log as SSDA903-style CSVs")
    s.add_argument("what", choices=["episodes"], help="what to export (episodes)")
    s.add_argument("run", help="run file written with output: {episodes: true}")
    s.add_argument("-o", "--output", default="episodes", help="folder (default episodes/)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("rates", help="occurrence/exposure exit hazards from an episodes CSV")
    s.add_argument("episodes", help="CSV with columns child_id, date_of_birth, sex, episode_start, "
                                    "reason_new_episode, placement_type, episode_end, "
                                    "reason_episode_ceased")
    s.add_argument("-o", "--output", default="lac_hazards.csv", help="hazard table for the simulator")
    s.add_argument("--ci", help="estimates with intervals (default OUTPUT_ci.csv)")
    s.add_argument("--reentry", metavar="CSV", help="also write re-entry hazards (home_hazards format)")
    s.add_argument("--follow-up-days", type=float, default=730.5,
                   help="re-entry follow-up window in days (default 730.5, two years)")
    s.add_argument("--extract-date", help="date the data were extracted (default: latest date)")
    s.add_argument("--window-from", help="count only time and exits from this date")
    s.add_argument("--window-to", help="... up to this date")
    s.add_argument("--dayfirst", action="store_true", help="dates are dd/mm/yyyy")
    s.add_argument("--source", help="text for the source column")
    s.add_argument("--note", help="text for the note column")
    s.set_defaults(func=cmd_rates)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (OSError, KeyError, ValueError) as e:   # OSError: a file damaged where it is read later
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"caresim: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
