"""Round trip: simulate with known hazard tables and the episode log on, export the episodes as
yearly SSDA903 returns (DfE layout and codes), read them back, estimate hazards by
occurrence/exposure, and recover the inputs.

Tolerances, from the theory of the estimator (events in a cell ~ Poisson(rate x exposure)):
- each cell's exact 95% (Garwood) interval contains the true rate with probability >= 0.95, so
  among N cells the misses are at most Binomial(N, 0.05); we accept up to
  N*0.05 + 4*sqrt(N*0.05*0.95) misses (false alarm about 1e-4);
- per transition, the total events must match sum(true rate x exposure) within 4 Poisson
  standard deviations sqrt(expected).
Exposure is measured on whole-day dates (SSDA903 has no times), an error of under a day per
episode, both ways, far below these tolerances. Seed fixed."""
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from caresim import export, rates, ssda903

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
AGES = ["under_1", "1_4", "5_9", "10_15", "16_17"]
BANDS = [0, 91, 182, 365, 730, 1826]
HOME = [0.9, 0.6, 0.4, 0.3, 0.2, 0.1]


def true_rates(age, j):
    """Per year, by transition: varies with age band and time in care."""
    young = age in ("under_1", "1_4")
    return {"home": HOME[j], "adopted": [0, 0.2, 0.5, 0.5, 0.3, 0.1][j] if young else 0.0,
            "sgo_cao": 0.1, "independent_living": 0.4 if age == "16_17" else 0.0,
            "other": 0.2 if age == "16_17" else 0.05, "placement_move": 0.4}


def write_scenario(d: Path) -> Path:
    with open(d / "areas.csv", "w") as f:
        f.write("code,name,region,pop_under_1,pop_1_4,pop_5_9,pop_10_15,pop_16_17,entry_multiplier,exit_multiplier\n")
        for i in range(10):
            f.write(f"A{i},Area {i},R,6000,24000,30000,36000,12000,1,1\n")
    with open(d / "entry_rates.csv", "w") as f:
        f.write("age_band,rate_per_10000_per_year,male_share\n")
        for a, r in zip(AGES, [90, 25, 20, 25, 45]):
            f.write(f"{a},{r},0.55\n")
    with open(d / "lac_hazards.csv", "w") as f:
        names = ["home", "adopted", "sgo_cao", "independent_living", "other", "placement_move"]
        f.write("age_band,from_days," + ",".join(n + "_per_year" for n in names) + "\n")
        for a in AGES:
            for j, b in enumerate(BANDS):
                r = true_rates(a, j)
                f.write(f"{a},{b}," + ",".join(str(r[n]) for n in names) + "\n")
    with open(d / "home_hazards.csv", "w") as f:
        f.write("age_band,from_days,reentry_per_year,closed_per_year\n")
        for a in AGES:
            f.write(f"{a},0,0.5,0\n")
    (d / "scenario.yaml").write_text(f"""name: roundtrip
start_date: 2010-03-31
horizon: 6y
observe: 1y
replicates: 1
seed: 424242
follow_up: 2y
areas: areas.csv
tables:
  entry_rates: entry_rates.csv
  lac_hazards: lac_hazards.csv
  home_hazards: home_hazards.csv
  placement_shares: {ROOT}/models/data/placement_shares.csv
output: {{episodes: true}}
""")
    return d / "scenario.yaml"


@pytest.fixture(scope="module")
def estimates(tmp_path_factory):
    d = tmp_path_factory.mktemp("roundtrip")
    out = d / "run.h5"
    subprocess.run([CARESIM, "run", str(write_scenario(d)), "-o", str(out), "-q"], check=True)
    tasks = export.export_episodes(out, d / "episodes")
    assert [p.name for p in tasks] == ["roundtrip_r0"]
    parts = []
    for area in sorted(tasks[0].iterdir()):           # one authority's returns per folder
        ret = ssda903.read(area)
        assert len(ret.problems) == 0 and len(ret.windows) == 1
        parts.append(ret.episodes.assign(child_id=area.name + "/" + ret.episodes["child_id"]))
    head = pd.read_csv(next((tasks[0] / "A0").glob("*/episodes.csv")), dtype=str, nrows=0)
    assert list(head.columns) == ssda903.EPISODE_COLUMNS
    eps = pd.concat(parts, ignore_index=True)
    est = rates.estimate(eps)
    assert est.attrs["extract_date"] == "2016-03-31"
    est["true"] = [true_rates(a, BANDS.index(b))[k] for a, b, k in
                   zip(est["age_band"], est["from_days"], est["reason"])]
    return est[est["exposure_years"] > 0]


def test_cells_within_intervals(estimates):
    e = estimates
    n = len(e)
    miss = ~((e["lower95"] <= e["true"]) & (e["true"] <= e["upper95"]))
    allowed = n * 0.05 + 4 * math.sqrt(n * 0.05 * 0.95)
    print(f"{miss.sum()} of {n} cells miss their 95% interval (allowed {allowed:.1f})")
    print(e[miss][["age_band", "from_days", "reason", "events", "exposure_years", "rate_per_year", "true"]])
    assert n >= 120
    assert miss.sum() <= allowed


def test_totals_per_transition(estimates):
    for reason, g in estimates.groupby("reason"):
        expected = (g["true"] * g["exposure_years"]).sum()
        observed = g["events"].sum()
        print(f"{reason}: observed {observed}, expected {expected:.1f}")
        assert abs(observed - expected) <= 4 * math.sqrt(max(expected, 1.0)), reason
