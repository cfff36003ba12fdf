"""Open one caresim run file (HDF5, netCDF-4 compatible) as a lazy xarray.Dataset.

This module does one job: HDF5 -> xarray. Nothing is read from disk here but the coordinates
and the small `done(scenario, replicate)` flags; every data variable stays a lazy dask array
with one chunk per task (scenario, replicate), the file's own chunking. Tasks whose `done` flag
is 0 (not yet written, or an interrupted run) are masked to NaN in every per-task variable, so
a half-written file can never be mistaken for zeros.

Reading a file that is still being written (`RUN.h5.part`): the C writer uses HDF5 1.10
without SWMR and flushes the file after every finished task. `open_run` opens it read-only
with HDF5 file locking off (the writer's lock would refuse the reader otherwise), takes the
`done` flags as of that moment, never reads the chunks of unfinished tasks, and reads each
finished task by opening the file anew (a long-open handle goes stale as the writer extends the
file), retrying a read that races a flush. This is a best-effort snapshot, not a guarantee:
without SWMR a read can still meet metadata the writer is rewriting. Re-open to see newer
tasks; for results that matter, read the finished file. An interrupted run's `.part` file is
read the same way and is safe (nobody writes it).
"""
from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import xarray as xr

#: dimensions that identify one task; every variable that has both is masked by `done`
TASK_DIMS = ("scenario", "replicate")
PART_SUFFIX = ".part"


def resolve_path(path) -> tuple[Path, bool]:
    """The file to read for `path`, and whether it is an unfinished `.part` file.

    `path` may name the finished file (out/b.h5), its `.part` (out/b.h5.part), or the finished
    name of a run that is still going or was interrupted (then the `.part` is used)."""
    p = Path(path)
    if p.name.endswith(PART_SUFFIX):
        return p, True
    if p.exists():
        return p, False
    part = p.with_name(p.name + PART_SUFFIX)
    if part.exists():
        return part, True
    raise FileNotFoundError(f"{p}: no such file (nor {part.name})")


def _open_raw(path: Path, chunks, live: bool = False) -> xr.Dataset:
    """xarray over h5netcdf, as engine="h5netcdf" does. A finished file is opened with HDF5's
    default locking, the same as xr.open_dataset and h5py.File use, because HDF5 refuses to
    open a file already open in the process with another locking flag ("file locking flag
    values don't match"); a `.part` file (live) with locking off, since its writer holds a
    lock that would refuse a locking reader."""
    import h5netcdf
    from xarray.backends import CachingFileManager, H5NetCDFStore
    from xarray.backends.locks import HDF5_LOCK
    if importlib.util.find_spec("dask") is None:  # pragma: no cover - python3-dask is a dependency
        warnings.warn("dask is not installed: variables are read lazily but masked eagerly",
                      RuntimeWarning, stacklevel=3)
        chunks = None
    kwargs = {"decode_vlen_strings": True, **(_NO_LOCK if live else {})}
    manager = CachingFileManager(h5netcdf.File, str(path), mode="r", kwargs=kwargs)
    store = H5NetCDFStore(manager, mode="r", lock=HDF5_LOCK)
    # decode_timedelta=False: days_in_care has units "days", which xarray would otherwise turn
    # into timedelta64 (a count of child-days is not a duration)
    return xr.open_dataset(store, chunks=chunks, decode_timedelta=False)


def _locking_kwarg() -> dict:
    """{"locking": False} where h5py supports it (h5py >= 3.5 on HDF5 >= 1.10.7), else {}."""
    import h5py
    major, minor = (int(x) for x in h5py.version.version.split(".")[:2])
    hdf5 = h5py.version.hdf5_version_tuple
    ok = (major, minor) >= (3, 5) and (hdf5 >= (1, 12, 1) or (1, 10, 7) <= hdf5 < (1, 11, 0))
    return {"locking": False} if ok else {}


_NO_LOCK = _locking_kwarg()


def task_chunks(replicates_per_chunk: int = 1) -> dict:
    """Dask chunks holding `replicates_per_chunk` replicates of one scenario each."""
    return {"scenario": 1, "replicate": replicates_per_chunk}


def open_run(path, replicates_per_chunk: int = 1, mask: bool = True) -> xr.Dataset:
    """Open a caresim output file lazily.

    Returns an xarray.Dataset with named dimensions (scenario, replicate, time, area, state,
    age_band, placement, transition, item), labelled coordinates (time decoded to dates; area
    with area_name and region; transition with transition_from and transition_to), a `units` attribute on every variable, and each per-task
    variable masked to NaN (and so float64) where done == 0 unless mask=False. Data are dask
    arrays with `replicates_per_chunk` replicates (default 1: one task) per chunk.

    Attributes added: `source_path` (the file read), `partial` (1 if it is a `.part` file or
    some tasks are not done), `tasks_done` and `tasks_total`.
    """
    real, is_part = resolve_path(path)
    ds = _open_raw(real, task_chunks(replicates_per_chunk), live=is_part)
    # labels along a dimension (area_name, region, transition_from, ...): small, kept in memory
    labels = [c for c, v in ds.variables.items()
              if v.ndim == 1 and c not in ds.dims and v.dims[0] in ds.dims and v.dtype == object]
    ds = ds.set_coords(labels)
    ds = ds.assign_coords({c: ds[c].load() for c in labels})
    done = _done_mask(ds)
    n_done, n_all = int(done.sum()), int(done.size)
    if mask and "done" in ds:
        ds = mask_undone(ds, done, live_path=real if is_part else None)
    ds.attrs["source_path"] = str(real)
    ds.attrs["partial"] = int(is_part or n_done < n_all)
    ds.attrs["tasks_done"] = n_done
    ds.attrs["tasks_total"] = n_all
    if n_done < n_all:
        warnings.warn(f"{real}: {n_all - n_done} of {n_all} tasks are not complete; "
                      "they are masked (NaN)", RuntimeWarning, stacklevel=2)
    return ds


def _done_mask(ds: xr.Dataset) -> xr.DataArray:
    """done(scenario, replicate) as an in-memory boolean array (all True if absent)."""
    if "done" not in ds:
        return xr.DataArray(np.ones((ds.sizes["scenario"], ds.sizes["replicate"]), bool),
                            dims=TASK_DIMS, coords={d: ds[d] for d in TASK_DIMS})
    return (ds["done"].load() == 1)


def mask_undone(ds: xr.Dataset, done: xr.DataArray | None = None, live_path=None) -> xr.Dataset:
    """Set every per-task variable to NaN (float64) where the task is not done, lazily.

    With dask arrays chunked by task, the chunks of unfinished tasks are never read at all:
    they are replaced by NaN blocks (so a file still being written is not read where the writer
    may be working); chunks mixing done and unfinished tasks are read and masked with `where`.
    With `live_path` (a file another process may be writing), each block is read by opening the
    file anew (see `_read_fresh`) instead of through the Dataset's open file."""
    if done is None:
        done = _done_mask(ds)
    out = ds.copy()
    for name, var in ds.data_vars.items():
        if name == "done" or not all(d in var.dims for d in TASK_DIMS):
            continue
        if var.dims[:2] == TASK_DIMS and _is_dask(var.data):
            fresh = (str(live_path), name) if live_path else None
            masked = var.copy(data=_mask_blocks(var.data, done.values.astype(bool), fresh))
        else:
            masked = var.astype("float64").where(done)
        masked.attrs = dict(var.attrs)
        masked.encoding = dict(var.encoding)
        out[name] = masked
    return out


def _is_dask(data) -> bool:
    return type(data).__module__.startswith("dask.")


def _mask_blocks(arr, done: np.ndarray, fresh: tuple | None = None):
    """A float64 dask array like `arr` (axes 0, 1 = scenario, replicate) whose blocks are NaN
    where no task is done (never reading them), masked where some are, and read as they are
    where all are. With `fresh` = (path, variable name), blocks are read by opening the file
    anew (`_read_fresh`) rather than through `arr`. Builds the graph directly: one entry per
    block, so tens of thousands of tasks cost little."""
    import dask.array as da
    from dask.base import tokenize
    from dask.highlevelgraph import HighLevelGraph
    name = "caresim-mask-" + tokenize(arr.name, done, fresh)
    edges = [np.cumsum((0,) + c) for c in arr.chunks]
    dsk = {}
    for idx in np.ndindex(*arr.numblocks):
        sl = tuple(slice(int(e[i]), int(e[i + 1])) for e, i in zip(edges, idx))
        sub = done[sl[0], sl[1]]
        shape = tuple(x.stop - x.start for x in sl)
        if not sub.any():
            task = (np.full, shape, np.nan)
        else:
            src = (_read_fresh, fresh[0], fresh[1], sl) if fresh else (arr.name,) + idx
            task = (_masked_block, src, None if sub.all() else sub)
        dsk[(name,) + idx] = task
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=[arr])
    return da.Array(graph, name, arr.chunks, dtype="float64")


def _masked_block(block, keep) -> np.ndarray:
    out = np.asarray(block, dtype="float64")
    if keep is not None:
        out = np.where(keep.reshape(keep.shape + (1,) * (out.ndim - 2)), out, np.nan)
    return out


def _read_fresh(path: str, name: str, sl: tuple, tries: int = 6) -> np.ndarray:
    """Read one block of a variable, opening the file anew: a file that another process is
    writing (no SWMR) is only consistent as of its last flush, which a fresh open sees; a read
    that races a flush fails and is retried."""
    import time

    import h5py
    for attempt in range(tries):
        try:
            with h5py.File(path, "r", **_NO_LOCK) as f:
                return f[name][sl]
        except OSError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)


def task_done(ds: xr.Dataset) -> xr.DataArray:
    """Boolean done(scenario, replicate): which tasks hold complete data."""
    return _done_mask(ds)


def run_attrs(ds: xr.Dataset) -> dict:
    """The run's root attributes as plain strings (version, created, command line, seed, ...)."""
    out = {}
    for k, v in ds.attrs.items():
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        elif isinstance(v, np.ndarray) and v.size == 1:
            v = v.item()
        out[k] = v
    return out
