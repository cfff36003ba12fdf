"""caresim analysis: read caresim run files (HDF5) into xarray, summarise replicates, compare
scenarios with a baseline, chart and report them, and estimate hazard tables from SSDA903-style
episodes.

    import caresim
    ds = caresim.open_run("out/baseline.h5")          # lazy, unfinished tasks masked (NaN)
    caresim.summarise(ds, "stock", by=["time"])      # children in care: mean, se, quantiles
    caresim.compare(ds, baseline="baseline")          # paired scenario - baseline differences
    caresim.plots.fan_chart(ds)                       # matplotlib Figure

Command line: `python3 -m caresim --help`.
"""
from .io import open_run
from .summary import compare, summarise
from . import measures, tables

__version__ = "0.1.0"
__all__ = ["open_run", "summarise", "compare", "measures", "tables", "plots", "report", "rates", "sweeps",
           "programmes",
           "__version__"]


def __getattr__(name):
    # plots, report and rates import matplotlib or scipy: load them only when asked for
    if name in ("plots", "report", "rates", "episodes", "export", "style", "sweeps", "programmes"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'caresim' has no attribute {name!r}")
