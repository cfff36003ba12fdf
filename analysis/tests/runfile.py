"""Test helper: write a tiny caresim run file with h5py, in the exact layout the C writer uses
(README.md, "Output"): dimension scales on every axis, variable-length UTF-8 labels, float64
time in "days since START" with calendar "standard", a units attribute on every variable,
done(scenario, replicate). Returns the arrays written so tests can check numbers against numpy.
"""
from __future__ import annotations

import warnings

import h5py
import numpy as np

STATES = ["lac", "home"]
AGE_BANDS = ["under_1", "1_4", "5_9", "10_15", "16_17"]
PLACEMENTS = ["foster", "kinship", "residential", "placed_with_parents", "independent"]
TRANSITIONS = ["entry", "reentry", "home", "adopted", "sgo_cao", "independent_living", "other",
               "aged_out", "placement_move", "closed"]
TRANSITION_FROM = ["out", "home", "lac", "lac", "lac", "lac", "lac", "lac", "lac", "home"]
TRANSITION_TO = ["lac", "lac", "home", "out", "out", "out", "out", "out", "lac", "out"]
AREAS = [("E09000001", "City of London", "London"), ("E09000007", "Camden", "London"),
         ("E08000025", "Birmingham", "West Midlands"), ("E06000001", "Hartlepool", "North East")]
START = "2017-03-31"
FILL = np.int32(2147483647)     # what an unwritten int32 chunk might hold


def write_run(path, scenarios=("baseline",), replicates=5, times=(0.0, 365.0, 730.0, 1096.0),
              areas=AREAS, done=None, seed=1, yaml_text=None, fill_undone=True) -> dict:
    """Write a run file; `done` is an optional (S, R) array of 0/1 (default all 1). Tasks not
    done hold FILL (integers) or NaN-free garbage (floats), as a half-written file might.
    Returns {"stock": array, ..., "done": array, "times": ..., "areas": ...}."""
    rng = np.random.default_rng(seed)
    S, R, T, A = len(scenarios), replicates, len(times), len(areas)
    done = np.ones((S, R), np.uint8) if done is None else np.asarray(done, np.uint8)
    lac = rng.integers(50, 500, size=(S, R, T, A, 1, len(AGE_BANDS)))
    home = rng.integers(0, 50, size=(S, R, T, A, 1, len(AGE_BANDS)))
    stock = np.concatenate([lac, home], axis=4).astype(np.int32)
    share = rng.dirichlet(np.ones(len(PLACEMENTS)), size=(S, R, T, A, len(AGE_BANDS)))
    placements = np.zeros((S, R, T, A, len(PLACEMENTS), len(AGE_BANDS)), np.int32)
    for p in range(len(PLACEMENTS)):   # roughly lac split by placement (exact sums not needed)
        placements[:, :, :, :, p, :] = np.floor(lac[:, :, :, :, 0, :] * share[..., p])
    flow = rng.integers(0, 80, size=(S, R, T, A, len(TRANSITIONS), len(AGE_BANDS))).astype(np.int32)
    flow[:, :, 0] = 0
    days = rng.uniform(1e4, 1e5, size=(S, R, T, A, len(AGE_BANDS)))
    days[:, :, 0] = 0
    cost = rng.uniform(1e5, 1e7, size=(S, R, T, A, len(PLACEMENTS)))
    cost[:, :, 0] = 0
    data = {"stock": stock, "placements": placements, "flow": flow, "days_in_care": days,
            "cost": cost}
    if fill_undone:
        for name, arr in data.items():
            arr[done == 0] = FILL if arr.dtype == np.int32 else 0.0

    text = h5py.string_dtype("utf-8")
    dims = {
        "scenario": (np.array(list(scenarios), dtype=object), text, None),
        "replicate": (np.arange(R, dtype=np.int32), np.int32, None),
        "time": (np.asarray(times, np.float64), np.float64, None),
        "area": (np.array([a[0] for a in areas], dtype=object), text, None),
        "state": (np.array(STATES, dtype=object), text, None),
        "age_band": (np.array(AGE_BANDS, dtype=object), text, None),
        "placement": (np.array(PLACEMENTS, dtype=object), text, None),
        "transition": (np.array(TRANSITIONS, dtype=object), text, None),
        "item": (np.array(PLACEMENTS, dtype=object), text, None),
    }
    layout = {
        "stock": (("scenario", "replicate", "time", "area", "state", "age_band"), "children"),
        "placements": (("scenario", "replicate", "time", "area", "placement", "age_band"), "children"),
        "flow": (("scenario", "replicate", "time", "area", "transition", "age_band"), "events"),
        "days_in_care": (("scenario", "replicate", "time", "area", "age_band"), "days"),
        "cost": (("scenario", "replicate", "time", "area", "item"), "GBP"),
    }
    with h5py.File(path, "w") as f:
        f.attrs["caresim_version"] = "0.1.0"
        f.attrs["created"] = "2024-01-17T12:00:00Z"
        f.attrs["command_line"] = f"caresim run test.yaml -o {path}"
        f.attrs["seed"] = str(seed)
        f.attrs["start_date"] = START
        f.attrs["scenario_yaml"] = yaml_text or (
            f"name: {scenarios[0]}\nstart_date: {START}\nreplicates: {R}\nseed: {seed}\n"
            "note: \"<b>escaped</b> & kept\"\n")
        for name, (values, dtype, _) in dims.items():
            d = f.create_dataset(name, data=values, dtype=dtype)
            d.make_scale(name)
        f["time"].attrs["units"] = f"days since {START}"
        f["time"].attrs["calendar"] = "standard"
        for name, col in (("area_name", 1), ("region", 2)):
            d = f.create_dataset(name, data=np.array([a[col] for a in areas], dtype=object),
                                 dtype=text)
            d.dims[0].attach_scale(f["area"])
        for name, labels in (("transition_from", TRANSITION_FROM), ("transition_to", TRANSITION_TO)):
            d = f.create_dataset(name, data=np.array(labels, dtype=object), dtype=text)
            d.dims[0].attach_scale(f["transition"])
        for name, (names, units) in layout.items():
            arr = data[name]
            shape = arr.shape
            d = f.create_dataset(name, data=arr, chunks=(1, 1) + shape[2:], compression="gzip",
                                 shuffle=True)
            d.attrs["units"] = units
            for i, dim in enumerate(names):
                d.dims[i].attach_scale(f[dim])
        d = f.create_dataset("done", data=done, chunks=(1, 1))
        d.attrs["units"] = "1"
        d.dims[0].attach_scale(f["scenario"])
        d.dims[1].attach_scale(f["replicate"])
    out = dict(data)
    out.update(done=done, times=np.asarray(times), areas=areas, scenarios=list(scenarios))
    return out


def open_quiet(path):
    """caresim.open_run without the warning about unfinished tasks."""
    import caresim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return caresim.open_run(path)
