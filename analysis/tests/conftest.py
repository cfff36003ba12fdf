"""Shared fixtures: tiny run files written with h5py in the C writer's layout (see runfile.py)."""
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))                 # runfile, synthetic
sys.path.insert(0, str(HERE.parent))          # the caresim package, if PYTHONPATH lacks it

from runfile import write_run  # noqa: E402

# tasks (scenario, replicate) left unwritten in the "half-written" file
HALF_DONE = np.array([[1, 1, 0, 1, 1, 0],
                      [1, 0, 1, 1, 1, 1]], np.uint8)


@pytest.fixture(scope="session")
def single(tmp_path_factory):
    """One scenario, 5 replicates, all done."""
    path = tmp_path_factory.mktemp("single") / "run.h5"
    return path, write_run(path, scenarios=("baseline",), replicates=5, seed=11)


@pytest.fixture(scope="session")
def multi(tmp_path_factory):
    """Three scenarios (baseline first), 8 replicates, all done."""
    path = tmp_path_factory.mktemp("multi") / "run.h5"
    return path, write_run(path, scenarios=("baseline", "programme", "rollout"), replicates=8,
                           seed=12)


@pytest.fixture(scope="session")
def half(tmp_path_factory):
    """Two scenarios, 6 replicates, some tasks not done (their data hold fill values)."""
    path = tmp_path_factory.mktemp("half") / "run.h5.part"
    return path, write_run(path, scenarios=("baseline", "programme"), replicates=6,
                           done=HALF_DONE, seed=13)
