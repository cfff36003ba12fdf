"""Where the tests find the published national series: CARESIM_DATA, else ../shared/data or
../../shared/data beside the repository; None when none exists (the tests that need them skip)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir():
    for d in (os.environ.get("CARESIM_DATA"), ROOT.parent / "shared" / "data",
              ROOT.parent.parent / "shared" / "data"):
        if d and (Path(d) / "cla_national.csv").exists():
            return Path(d)
    return None
