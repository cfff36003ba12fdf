"""What the tests of the pathway's tables share (test_pathway_draws.py, test_pathway_trend.py):
where the program and tests/data/pathway are, the file's labels, CSV rows, and a fixture that
runs one scenario of tests/data/pathway once per test module. Each test keeps its own
tolerance (K_SE), stated in its docstring."""
import csv
import os
import subprocess
from pathlib import Path

import h5py
import pytest

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data" / "pathway"
YEAR = 365.25


def labels(f, name):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f[name][...]]


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def run_once(scenario, folder, name):
    """A module-scoped fixture: DATA / scenario run once on two threads into a temporary folder
    (folder / name); yields the open output file, closed after the module's tests."""
    @pytest.fixture(scope="module")
    def run(tmp_path_factory):
        out = tmp_path_factory.mktemp(folder) / name
        subprocess.run([CARESIM, "run", str(DATA / scenario), "-o", str(out), "-q", "--threads", "2"], check=True)
        f = h5py.File(out, "r", locking=False)
        yield f
        f.close()
    return run
