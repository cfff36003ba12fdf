"""Every chart renders to a non-empty PNG and SVG, for one scenario and for several."""
import pytest

import caresim
from caresim import measures, plots, style

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def collected(multi):
    return measures.collect(caresim.open_run(multi[0]))


def check_files(paths):
    png, svg = paths
    assert png.suffix == ".png" and svg.suffix == ".svg"
    assert png.read_bytes()[:8] == PNG_MAGIC and png.stat().st_size > 5000
    text = svg.read_text()
    assert "<svg" in text and text.rstrip().endswith("</svg>") and len(text) > 5000


def test_save_all_multi(collected, tmp_path):
    out = plots.save_all(collected, tmp_path / "charts")
    assert set(out) == {"in_care", "flows", "days_in_care", "cost", "placements", "areas",
                        "regions"}
    for paths in out.values():
        check_files(paths)


def test_charts_from_dataset_single(single, tmp_path):
    ds = caresim.open_run(single[0])
    for name, fig in [("fan", plots.fan_chart(ds)), ("flows", plots.flows_chart(ds)),
                      ("days", plots.days_chart(ds)), ("cost", plots.cost_chart(ds)),
                      ("areas", plots.small_multiples(ds, "area", n=3, ncols=2))]:
        check_files(style.save(fig, tmp_path / name))
        style.close(fig)


def test_chart_content(collected):
    fig = plots.fan_chart(collected)
    ax = fig.axes[0]
    assert "Children in care" in ax.get_title()
    assert ax.get_ylabel() == "children looked after"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["baseline", "programme", "rollout"]
    assert any("90%" in t for t in labels) and any("50%" in t for t in labels)
    style.close(fig)
    fig = plots.small_multiples(collected, "region")
    assert {a.get_title() for a in fig.axes if a.get_visible()} == \
        {"London", "West Midlands", "North East"}
    style.close(fig)
    with pytest.raises(ValueError):
        plots.small_multiples(collected, "age")


def test_tick_labels():
    f = style.ScaledFormatter("£")
    f.set_locs([0, 1e9, 2e9, 3e9])
    assert f(2e9) == "£2bn" and f(0) == "£0"
    f = style.ScaledFormatter()
    f.set_locs([9000, 9500, 10000, 10500])
    assert [f(x) for x in (9000, 10500)] == ["9.0k", "10.5k"]
    f.set_locs([1000, 1500, 2000])
    assert f(1500) == "1,500"


def _lab(hex_colour):
    """CIE L*a*b* (D65) of an sRGB colour, for colour differences (CIE76 delta E)."""
    import numpy as np
    from matplotlib.colors import to_rgb
    rgb = np.array(to_rgb(hex_colour))
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("side", ["into care", "out of care"])
def test_stacked_flow_colours_differ(side):
    """Was: re-entries and entries from a protection plan, stacked in one bar, in two blues a
    reader could not tell apart (delta E 8). Each bar's segments now differ by delta E > 20
    (about where two patches side by side stop looking alike)."""
    import numpy as np
    kinds = (["entry", "reentry", "cin_lac", "cpp_lac"] if side == "into care" else
             ["home", "adopted", "sgo_cao", "independent_living", "other", "aged_out"])
    labs = [_lab(style.TRANSITION_COLOURS[k]) for k in kinds]
    for i in range(len(kinds)):
        for j in range(i + 1, len(kinds)):
            assert np.linalg.norm(labs[i] - labs[j]) > 20, (kinds[i], kinds[j])
