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
import os

# One HDF5 file-locking setting for the whole process: open_run reads without locking (a run
# still being written holds the writer's lock), and HDF5 refuses to open a file a second time
# with a different locking flag ("file locking flag values don't match"), so xr.open_dataset or
# h5py.File on the same file in the same session must not lock either. HDF5 reads this variable
# at every open. A user's own setting wins.
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")

from .io import open_run  # noqa: E402
from .summary import compare, summarise  # noqa: E402
from . import measures, tables  # noqa: E402

__version__ = "0.1.0"
__all__ = ["open_run", "summarise", "compare", "measures", "tables", "plots", "report", "rates", "sweeps",
           "__version__"]


def __getattr__(name):
    # plots, report and rates import matplotlib or scipy: load them only when asked for
    if name in ("plots", "report", "rates", "episodes", "export", "style", "sweeps"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'caresim' has no attribute {name!r}")
