"""Programmes for children before care: the states cin (in need) and cpp (on a protection
plan) and the transitions out of them (tests/data/pathway, docs/programmes.md). The checks are
exact: a ratio of 0 removes a hazard, and no other stream depends on a child's programme."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
DATA = ROOT / "tests" / "data" / "pathway"


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else x for x in f[dim][...]]


def test_programme_on_cin_and_cpp_stops_their_moves_into_care(tmp_path):
    out = tmp_path / "plans.h5"
    subprocess.run([CARESIM, "run", str(DATA / "scenario.yaml"), str(DATA / "prog_plans.yaml"), "-o", str(out),
                    "-q", "--threads", "2", "-r", "3"], check=True)
    with h5py.File(out, "r") as f:
        tr = labels(f, "transition")
        flow = f["flow"][...].sum(axis=(1, 2, 3, 5))          # scenario x transition
        for t in ("cin_lac", "cpp_lac"):
            assert flow[0, tr.index(t)] > 100, t              # the baseline moves children into care ...
            assert flow[1, tr.index(t)] == 0, t               # ... the programme stops every such move
        for t in ("cin_cpp", "cin_closed", "cpp_step_down", "cpp_closed"):
            assert flow[1, tr.index(t)] > 100, t              # the other ways out stay open
        # referrals and direct entries come from each area's own streams: untouched
        for t in ("referral", "referral_nfa", "entry"):
            assert flow[0, tr.index(t)] == flow[1, tr.index(t)], t
        served = f["programme_served"][1].sum()
        assert served > 0 and served == f["programme_referred"][1].sum()   # no capacity: all served at once
