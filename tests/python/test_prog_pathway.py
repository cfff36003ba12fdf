"""Programmes for children before care: the states cin (in need) and cpp (on a protection
plan) and the transitions out of them (tests/data/pathway, docs/programmes.md). The checks are
exact: a ratio of 0 removes a hazard, and no other stream depends on a child's programme."""
import json
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


def events_of(scenario, tmp_path, name):
    """The run's event count, from the last line of its JSON progress (stderr)."""
    r = subprocess.run([CARESIM, "run", str(scenario), "-o", str(tmp_path / f"{name}.h5"), "--progress", "json",
                        "--threads", "1", "-r", "2"], check=True, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in r.stderr.splitlines() if x.startswith("{")]
    return lines[-1]["events"], tmp_path / f"{name}.h5"


def test_programme_ramp_on_plans_costs_a_bounded_number_of_events(tmp_path):
    """A ramped programme on every child on a plan redraws each treated child once per step of
    its level and no more: 12 monthly ramp steps (13 over a leap year's 366 days) starting
    2019-04-01, whose step ends do not fall on whole days. Each referred child adds at most
    n_steps + 2 events (its redraws, the ramp's last step, and one pending event superseded
    at referral); everything else the programme does changes paths, not their number of
    events, beyond what halving one hazard can do (bounded here by the baseline's own count).
    A step end rounded onto its own start made every treated child redraw at the same moment
    without end (thousands of times the baseline's events)."""
    prog = tmp_path / "ramp.yaml"
    prog.write_text(f"extends: {DATA / 'scenario.yaml'}\nname: ramp\nprogrammes:\n"
                    "  - name: plans\n    areas: {eligible: {}, max: 3}\n"
                    "    children: {states: [cpp], age: [0, 17]}\n"
                    "    start: 2019-04-01\n    ramp_up: 12m\n"
                    "    effects:\n      - {transition: cpp->lac, ratio: 0.5}\n")
    base, _ = events_of(DATA / "scenario.yaml", tmp_path, "base")
    events, out = events_of(prog, tmp_path, "ramp")
    with h5py.File(out, "r") as f:
        referred = int(f["programme_referred"][...].sum())
    assert referred > 100                                   # the programme does reach children
    steps = 13
    assert events <= 2 * base + referred * (steps + 2), (events, base, referred)
