"""Chart style shared by every caresim plot: the Okabe-Ito colour-blind-safe palette, fixed
colours for transitions, date and number axes, and saving a figure as PNG and SVG.

Matplotlib is switched to the non-interactive Agg backend on import (no display is needed).
"""
from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import Formatter  # noqa: E402
import numpy as np  # noqa: E402

#: Okabe & Ito (2008), "Color Universal Design"; black last, it is for text and whiskers
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
GREY = "#999999"

TRANSITION_COLOURS = {
    "entry": "#0072B2", "reentry": "#56B4E9",
    "home": "#009E73", "adopted": "#E69F00", "sgo_cao": "#F0E442",
    "independent_living": "#CC79A7", "other": GREY, "aged_out": "#D55E00",
    "placement_move": "#000000", "closed": "#666666",
    "cin_lac": "#003f66", "cpp_lac": "#b9e0f7",   # four blues a stacked bar tells apart
}
TRANSITION_LABELS = {
    "entry": "first entry", "reentry": "re-entry", "home": "returned home", "adopted": "adopted",
    "sgo_cao": "SGO / CAO", "independent_living": "independent living", "other": "other reason",
    "aged_out": "aged 18", "placement_move": "placement move", "closed": "case closed",
    "cin_lac": "from children in need", "cpp_lac": "from a protection plan",
}
AGE_LABELS = {"under_1": "under 1", "1_4": "1-4", "5_9": "5-9", "10_15": "10-15", "16_17": "16-17"}

RC = {
    "figure.dpi": 100, "savefig.dpi": 110, "font.size": 10, "axes.titlesize": 11,
    "axes.titleweight": "bold", "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "grid.color": "#dddddd", "grid.linewidth": 0.6, "axes.axisbelow": True,
    "legend.frameon": False, "svg.fonttype": "none",
}


#: for 8 to 12 series, where Okabe-Ito runs out: Paul Tol's "muted" scheme plus three of his
#: "bright" colours (distinct in hue and lightness; https://personal.sron.nl/~pault/)
TOL_12 = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
          "#882255", "#AA4499", "#4477AA", "#EE6677", "#000000"]


def colour(i: int, n: int = 0) -> str:
    """The i-th of n series' colours: Okabe-Ito for up to 7 series, Tol's 12 for up to 12, so
    no two of 12 scenarios share a colour (cycling beyond)."""
    if n > len(OKABE_ITO) - 1:
        return TOL_12[i % len(TOL_12)]
    return OKABE_ITO[i % (len(OKABE_ITO) - 1)]


def styled(func):
    """Decorator: run a plotting function inside the caresim rc settings (global ones untouched)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context(RC):
            return func(*args, **kwargs)
    return wrapper


def figure(nrows=1, ncols=1, width=9.0, height=4.5, **kw):
    """A new figure and axes (call inside a `styled` function)."""
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kw)


def human(x: float, _pos=None, prefix: str = "") -> str:
    """Short tick labels: 1234567 -> '1.23M', 45000 -> '45k', 2050 -> '2,050', 0.5 -> '0.5';
    with an optional prefix such as '£'."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    for above, div, suffix in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if x >= above:
            return f"{sign}{prefix}{x / div:.3g}{suffix}"
    if x >= 10 or x == int(x):
        return f"{sign}{prefix}{x:,.0f}"
    return f"{sign}{prefix}{x:.2g}"


class ScaledFormatter(Formatter):
    """Tick labels on one scale for the whole axis, chosen from its largest tick: plain with
    thousands separators below 10,000, else k, M or bn, with just enough decimals to tell the
    ticks apart; an optional prefix such as '£'."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.locs = []

    def set_locs(self, locs):
        self.locs = list(locs)

    def __call__(self, x, pos=None):
        top = max((abs(v) for v in self.locs), default=abs(x))
        div, suffix = next(((d, s) for above, d, s in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"),
                                                        (1e4, 1e3, "k")) if top >= above), (1, ""))
        step = min((abs(b - a) for a, b in zip(self.locs, self.locs[1:]) if b != a), default=div)
        decimals = max(0, int(-np.floor(np.log10(step / div) + 1e-9))) if step else 0
        if x == 0:
            return f"{self.prefix}0"
        sign = "-" if x < 0 else ""
        return f"{sign}{self.prefix}{abs(x) / div:,.{decimals}f}{suffix}"


def number_axis(ax, prefix: str = "", axis: str = "y") -> None:
    """Tick labels on one scale (plain, k, M or bn) with an optional currency prefix."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(ScaledFormatter(prefix))


def date_axis(ax, maxticks: int = 8) -> None:
    """Dates on the x axis, concise labels (years, or months where the run is short)."""
    loc = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def save(fig, stem, formats=("png", "svg")) -> list[Path]:
    """Write `stem`.png and `stem`.svg (or the given formats); returns the paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in formats:
        p = stem.with_suffix(f".{ext}")
        fig.savefig(p, format=ext, bbox_inches="tight", facecolor="white")
        paths.append(p)
    return paths


def close(fig) -> None:
    plt.close(fig)
