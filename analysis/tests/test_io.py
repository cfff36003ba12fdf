"""open_run: named dimensions, labelled coordinates, dates, units, laziness, masking of
unfinished tasks, the .part name, and reading a file another process holds open for writing."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import xarray as xr

import caresim
from runfile import AGE_BANDS, PLACEMENTS, STATES, TRANSITIONS, open_quiet, write_run

DIMS = {
    "stock": ("scenario", "replicate", "time", "area", "state", "age_band"),
    "placements": ("scenario", "replicate", "time", "area", "placement", "age_band"),
    "flow": ("scenario", "replicate", "time", "area", "transition", "age_band"),
    "days_in_care": ("scenario", "replicate", "time", "area", "age_band"),
    "cost": ("scenario", "replicate", "time", "area", "item"),
    "done": ("scenario", "replicate"),
}


def test_plain_xarray_reads_the_test_layout(single):
    """The test file is what the C writer makes: h5netcdf gives named dimensions."""
    path, _ = single
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        for name, dims in DIMS.items():
            assert ds[name].dims == dims


def test_dims_coords_units(single):
    path, data = single
    ds = caresim.open_run(path)
    for name, dims in DIMS.items():
        assert ds[name].dims == dims, name
        assert "units" in ds[name].attrs, name
    assert ds["stock"].attrs["units"] == "children"
    assert ds["cost"].attrs["units"] == "GBP"
    assert ds["days_in_care"].attrs["units"] == "days"
    assert list(ds.scenario.values) == ["baseline"]
    assert list(ds.replicate.values) == list(range(5))
    assert list(ds.state.values) == STATES
    assert list(ds.age_band.values) == AGE_BANDS
    assert list(ds.placement.values) == PLACEMENTS
    assert list(ds.transition.values) == TRANSITIONS
    assert list(ds.area.values) == [a[0] for a in data["areas"]]
    assert ds.area_name.sel(area="E08000025").item() == "Birmingham"
    assert ds.region.sel(area="E09000007").item() == "London"
    assert ds.attrs["start_date"] == "2017-03-31"
    assert ds.attrs["tasks_done"] == ds.attrs["tasks_total"] == 5
    assert ds.attrs["partial"] == 0


def test_time_decoded_to_dates(single):
    ds = caresim.open_run(single[0])
    assert np.issubdtype(ds.time.dtype, np.datetime64)
    assert [str(t)[:10] for t in ds.time.values] == ["2017-03-31", "2018-03-31", "2019-03-31",
                                                     "2020-03-31"]


def test_values_and_laziness(single):
    path, data = single
    ds = caresim.open_run(path)
    for name in ("stock", "placements", "flow", "days_in_care", "cost"):
        var = ds[name]
        assert type(var.data).__module__.startswith("dask"), f"{name} was loaded eagerly"
        assert var.data.chunksize[:2] == (1, 1), "one chunk per task"
        np.testing.assert_array_equal(var.values, data[name].astype(float))
    # days_in_care (units "days") must stay a number, not become a timedelta
    assert ds["days_in_care"].dtype == np.float64


def test_half_written_file_is_masked(half):
    path, data = half
    with pytest.warns(RuntimeWarning, match="not complete"):
        ds = caresim.open_run(path)
    done = data["done"].astype(bool)
    assert ds.attrs["partial"] == 1
    assert ds.attrs["tasks_done"] == int(done.sum())
    for name in ("stock", "placements", "flow", "days_in_care", "cost"):
        v = ds[name].values
        for s in range(done.shape[0]):
            for r in range(done.shape[1]):
                if done[s, r]:
                    np.testing.assert_array_equal(v[s, r], data[name][s, r].astype(float))
                else:
                    assert np.isnan(v[s, r]).all(), f"{name}[{s},{r}] not masked"
    # a sum over areas keeps masked tasks masked (never zero)
    tot = caresim.measures.in_care(ds).compute()
    assert np.isnan(tot.values[~done]).all()
    assert np.isfinite(tot.values[done]).all()


def test_unmasked_option_shows_raw_fill(half):
    path, data = half
    with pytest.warns(RuntimeWarning):
        ds = caresim.open_run(path, mask=False)
    assert ds["stock"].dtype == np.int32
    s, r = np.argwhere(data["done"] == 0)[0]
    assert int(ds["stock"].values[s, r].max()) == 2147483647


def test_part_name_resolution(tmp_path):
    write_run(tmp_path / "run.h5.part", replicates=2)
    ds = caresim.open_run(tmp_path / "run.h5")       # the finished name: falls back to .part
    assert ds.attrs["source_path"].endswith("run.h5.part")
    assert ds.attrs["partial"] == 1
    with pytest.raises(FileNotFoundError):
        caresim.open_run(tmp_path / "missing.h5")


def test_replicates_per_chunk(multi):
    ds = caresim.open_run(multi[0], replicates_per_chunk=4)
    assert ds["stock"].data.chunksize[:2] == (1, 4)
    np.testing.assert_array_equal(ds["stock"].values, multi[1]["stock"].astype(float))


WRITER = textwrap.dedent("""
    import sys, time, h5py, numpy as np
    path = sys.argv[1]
    with h5py.File(path, "a") as f:            # hold the file open for writing, as a run does
        f["stock"][0, 1] = 7
        f["done"][0, 1] = 1
        f.flush()
        print("written", flush=True)
        sys.stdin.readline()                   # until the test is done reading
""")


def test_read_while_writer_holds_file_open(tmp_path):
    """A .part file held open for writing by another process (HDF5 1.10, no SWMR) can be read:
    open_run turns file locking off and reads finished tasks as of the writer's last flush."""
    path = tmp_path / "live.h5.part"
    done = np.array([[1, 0, 0]], np.uint8)
    write_run(path, replicates=3, done=done)
    env = {k: v for k, v in os.environ.items() if k != "HDF5_USE_FILE_LOCKING"}   # writer locks
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "written"
        ds = open_quiet(path)
        assert ds.attrs["tasks_done"] == 2
        v = ds["stock"].values
        assert (v[0, 1] == 7).all()
        assert np.isnan(v[0, 2]).all()
    finally:
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=20)
    assert proc.returncode == 0
