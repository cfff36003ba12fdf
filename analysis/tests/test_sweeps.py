"""sweep_frame and plot_sweep on a small in-memory run with two swept parameters."""
import numpy as np
import pytest
import xarray as xr

from caresim import sweeps


def swept_run():
    rng = np.random.default_rng(7)
    S, R, T = 4, 5, 3
    stock = rng.integers(0, 100, size=(S, R, T, 2, 2, 1)).astype(float)
    ds = xr.Dataset(
        {"stock": (("scenario", "replicate", "time", "area", "state", "age_band"), stock,
                   {"units": "children"}),
         "param_a_b": (("scenario",), np.array([0.5, 0.6, 0.7, 0.8])),
         "param_c": (("scenario",), np.array([10.0, 10.0, 20.0, 20.0]))},
        coords={"scenario": [f"s_p{i:03d}" for i in range(S)], "replicate": np.arange(R),
                "time": np.array(["2017-03-31", "2018-03-31", "2019-03-31"], dtype="datetime64[ns]"),
                "area": ["A", "B"], "state": ["lac", "home"], "age_band": ["all"]})
    return ds, stock


def test_frame_matches_numpy():
    ds, stock = swept_run()
    assert sweeps.parameters(ds) == ["param_a_b", "param_c"]
    df = sweeps.sweep_frame(ds)
    lac_last = stock[:, :, -1, :, 0, :].sum(axis=(2, 3))        # (S, R)
    assert list(df["param_a_b"]) == [0.5, 0.6, 0.7, 0.8]
    assert df["mean"].to_numpy() == pytest.approx(lac_last.mean(axis=1))
    assert df["q95"].to_numpy() == pytest.approx(np.quantile(lac_last, 0.95, axis=1))
    assert (df["n"] == 5).all()


def test_plot(tmp_path):
    ds, _ = swept_run()
    fig = sweeps.plot_sweep(ds, "c")
    assert fig.axes[0].get_xlabel() == "c"
    fig.savefig(tmp_path / "sweep.png")
    with pytest.raises(KeyError):
        sweeps.plot_sweep(ds, "nope")
