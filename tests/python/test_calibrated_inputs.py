"""The two tables the calibration writes for the simulator: tables.entry_ages (where in its age
band an entrant's age falls) and tables.parameter_draws (one draw of the fitted parameters per
replicate). Small scenario (tests/data/small), fixed seeds.

- entry ages: every entrant's age must lie in an interval the table allows: an exact property,
  no tolerance;
- draws: with two draws, entry multipliers 1 and 3, each replicate's entries over the run are
  Poisson around lambda or 3 lambda (lambda estimated from the replicates nearer it); each must lie
  within 5 Poisson standard deviations of one of them (false alarm under 1e-5 per replicate),
  and with 40 replicates both draws must occur (all in one: probability 2^-39).
"""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CARESIM = os.environ.get("CARESIM_BIN", str(ROOT / "build" / "caresim"))
SMALL = ROOT / "tests" / "data" / "small"
YEAR = 365.25


def scenario(tmp: Path, extra: str) -> Path:
    text = (SMALL / "scenario.yaml").read_text().replace("../../../models", str(ROOT / "models"))
    (tmp / "areas.csv").write_text((SMALL / "areas.csv").read_text())
    text = text.replace("areas: areas.csv", f"areas: {tmp / 'areas.csv'}")
    (tmp / "s.yaml").write_text(text)
    path = tmp / "v.yaml"
    path.write_text(f"extends: {tmp / 's.yaml'}\nname: small\n" + extra)
    return path


def run(path: Path, out: Path, *args):
    r = subprocess.run([CARESIM, "run", str(path), "-o", str(out), "-q", "--force", *args],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr


def test_entry_ages_follow_the_table(tmp_path):
    (tmp_path / "ages.csv").write_text(
        "age_band,from_age_days,to_age_days,share\n"
        "under_1,0,30.4375,0.8\nunder_1,182.625,365.25,0.2\n"
        "10_15,5478.75,5844,1\n")
    path = scenario(tmp_path, f"tables:\n  entry_ages: {tmp_path / 'ages.csv'}\noutput:\n  episodes: true\n")
    out = tmp_path / "o.h5"
    run(path, out, "-r", "2")
    with h5py.File(out) as f:
        ages = []
        for g in f["episodes"].values():
            labels = g["reason_started"].attrs["labels"].split(",")
            first = g["reason_started"][:] == labels.index("entry")
            ages.append((g["start"][:] - g["birth"][:])[first])
        age = np.concatenate(ages)
    under1 = age[age < YEAR]
    teen = age[(age >= 10 * YEAR) & (age < 16 * YEAR)]
    assert len(under1) > 100 and len(teen) > 100
    assert np.all((under1 < 30.4375) | (under1 >= 182.625))
    assert np.all(teen >= 15 * YEAR)
    # the bands without intervals keep uniform ages: 1-4 entrants reach both ends of the band
    mid = age[(age >= YEAR) & (age < 5 * YEAR)]
    assert mid.min() < 1.5 * YEAR and mid.max() > 4.5 * YEAR


def test_parameter_draws_one_per_replicate(tmp_path):
    cols = ["entry_under_1", "entry_1_4", "entry_5_9", "entry_10_15", "entry_16_17"]
    (tmp_path / "draws.csv").write_text(
        "draw," + ",".join(cols) + ",exit_home\n0,1,1,1,1,1,1\n1,3,3,3,3,3,1\n")
    path = scenario(tmp_path, f"tables:\n  parameter_draws: {tmp_path / 'draws.csv'}\n")
    out = tmp_path / "o.h5"
    run(path, out, "-r", "40")
    with h5py.File(out) as f:
        tr = [t.decode() if isinstance(t, bytes) else t for t in f["transition"][:]]
        flow = f["flow"][0, :, :, :, tr.index("entry"), :]      # replicate, time, area, age
        n = flow.reshape(flow.shape[0], -1).sum(axis=1).astype(float)
    lam = np.median(n[n < 2 * n.min()])          # the replicates of the draw with multiplier 1
    low = np.abs(n - lam) < 5 * np.sqrt(lam)
    high = np.abs(n - 3 * lam) < 5 * np.sqrt(3 * lam)
    assert np.all(low | high), n
    assert low.any() and high.any(), n


def test_initial_stock_takes_its_own_placement_shares(tmp_path):
    """Every child of the initial stock aged 10-15 is in residential care when the initial
    shares say so, while the other bands follow theirs (all foster): exact, no tolerance."""
    rows = ["age_band,foster,kinship,residential,placed_with_parents,independent"]
    for a in ("under_1", "1_4", "5_9", "16_17"):
        rows.append(f"{a},1,0,0,0,0")
    rows.append("10_15,0,0,1,0,0")
    (tmp_path / "init.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "stock.csv").write_text("area,age_band,from_days,count\n"
                                        "E06000001,10_15,365,50\nE06000001,1_4,0,30\n")
    path = scenario(tmp_path, f"burn_in: 0\ninitial_stock: {tmp_path / 'stock.csv'}\n"
                    f"tables:\n  initial_placement_shares: {tmp_path / 'init.csv'}\n")
    out = tmp_path / "o.h5"
    run(path, out, "-r", "1", "--areas", "E06000001")
    with h5py.File(out) as f:
        pl = [p.decode() if isinstance(p, bytes) else p for p in f["placement"][:]]
        ages = [p.decode() if isinstance(p, bytes) else p for p in f["age_band"][:]]
        at0 = f["placements"][0, 0, 0, 0]                  # time 0, the one area: placement x age
    assert at0[pl.index("residential"), ages.index("10_15")] == 50
    assert at0[pl.index("foster"), ages.index("1_4")] == 30
    assert at0.sum() == 80


def initial_stock_ages(path: Path, out: Path) -> np.ndarray:
    """Ages in days on the start date of the initial stock's children (one replicate, one area,
    from the episode log)."""
    run(path, out, "-r", "1", "--areas", "E06000001")
    with h5py.File(out) as f:
        g = f["episodes"]["s0_r0"]
        labels = g["reason_started"].attrs["labels"].split(",")
        init = g["reason_started"][:] == labels.index("initial_stock")
        first = g["period"][:] == 1
        return -g["birth"][:][init & first]


def test_initial_stock_ages_follow_the_table(tmp_path):
    """Initial-stock children of band 10-15 all aged 15 when the table allows only 15; a band
    without intervals (1-4) keeps ages spread over the band: exact, no tolerance."""
    (tmp_path / "ages.csv").write_text("age_band,from_age_days,to_age_days,share\n"
                                       "10_15,3652.5,5478.75,0\n10_15,5478.75,5844,1\n")
    (tmp_path / "stock.csv").write_text("area,age_band,from_days,count\n"
                                        "E06000001,10_15,365,200\nE06000001,1_4,0,200\n")
    path = scenario(tmp_path, f"burn_in: 0\ninitial_stock: {tmp_path / 'stock.csv'}\n"
                    f"tables:\n  initial_stock_ages: {tmp_path / 'ages.csv'}\noutput:\n  episodes: true\n")
    age = initial_stock_ages(path, tmp_path / "o.h5")
    teen = age[age >= 10 * YEAR]
    young = age[age < 5 * YEAR]
    assert len(teen) == 200 and len(young) == 200
    assert np.all((teen >= 15 * YEAR) & (teen < 16 * YEAR))
    assert young.min() < 2 * YEAR and young.max() > 4 * YEAR


def test_initial_stock_ages_by_time_in_care(tmp_path):
    """tables.initial_stock_ages_by_time: children of band 10-15 in care under 91 days all aged
    10, those in care from 365 days all aged 15, whatever tables.initial_stock_ages says (it
    allows only 12): exact, no tolerance. A from_days that starts no band of lac_hazards, and a
    band of the stock with no rows, are refused naming the file and the key."""
    (tmp_path / "ages.csv").write_text("age_band,from_age_days,to_age_days,share\n"
                                       "10_15,3652.5,4383,0\n10_15,4383,4748.25,1\n10_15,4748.25,5844,0\n")
    rows = ("from_days,age_band,from_age_days,to_age_days,share\n"
            "0,10_15,3652.5,4017.75,1\n0,10_15,4017.75,5844,0\n"
            "365,10_15,3652.5,5478.75,0\n365,10_15,5478.75,5844,1\n")
    (tmp_path / "by_time.csv").write_text(rows)
    (tmp_path / "stock.csv").write_text("area,age_band,from_days,count\n"
                                        "E06000001,10_15,0,200\nE06000001,10_15,365,200\n")
    extra = (f"burn_in: 0\ninitial_stock: {tmp_path / 'stock.csv'}\ntables:\n"
             f"  initial_stock_ages: {tmp_path / 'ages.csv'}\n"
             f"  initial_stock_ages_by_time: {tmp_path / 'by_time.csv'}\noutput:\n  episodes: true\n")
    path = scenario(tmp_path, extra)
    age = initial_stock_ages(path, tmp_path / "o.h5")
    assert len(age) == 400
    assert np.sum((age >= 10 * YEAR) & (age < 11 * YEAR)) == 200
    assert np.sum((age >= 15 * YEAR) & (age < 16 * YEAR)) == 200
    for bad, key in ((rows.replace("\n365,", "\n100,"), "from_days"), (rows.split("365,")[0], "from_days")):
        (tmp_path / "by_time.csv").write_text(bad)
        r = subprocess.run([CARESIM, "run", str(path), "-o", str(tmp_path / "bad.h5"), "-q", "--force"],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 2 and "by_time.csv" in r.stderr and key in r.stderr, r.stderr
        assert not (tmp_path / "bad.h5").exists()


def test_rate_trend_steps_entries_by_band_and_exits_by_reason(tmp_path):
    """tables.rate_trend: from 2018-03-31 no under-1 entries and no returns home, and 10-15
    entries three times as many. Exact: after the step (periods from the third on; the
    observation at 2018-03-31 ends the second), not one under-1 entry and not one return home,
    while both happen before it. Poisson: the 10-15 entries of the year after the step against
    three times those of the year before, within 5 standard deviations of their difference
    (se = sqrt(after + 9 x before)); 1-4 entries, untouched, within 5 se of equal."""
    (tmp_path / "trend.csv").write_text(
        "from_date,entry_under_1,entry_10_15,exit_home\n"
        "2017-03-31,1,1,1\n2018-03-31,0,3,0\n")
    path = scenario(tmp_path, f"tables:\n  rate_trend: {tmp_path / 'trend.csv'}\n")
    out = tmp_path / "o.h5"
    run(path, out, "-r", "4")
    with h5py.File(out) as f:
        names = lambda d: [x.decode() if isinstance(x, bytes) else x for x in f[d][:]]
        tr, ages = names("transition"), names("age_band")
        flow = f["flow"][0].sum(axis=2)                # replicate, time, transition, age
    entry = flow[:, :, tr.index("entry"), :]
    home = flow[:, :, tr.index("home"), :].sum(axis=2)
    assert entry[:, 1:3, ages.index("under_1")].sum() > 0 and home[:, 1:3].sum() > 0
    assert entry[:, 3:, ages.index("under_1")].sum() == 0
    assert home[:, 3:].sum() == 0
    teen_before = entry[:, 1:3, ages.index("10_15")].sum()
    teen_after = entry[:, 3:5, ages.index("10_15")].sum()
    assert abs(teen_after - 3 * teen_before) < 5 * np.sqrt(teen_after + 9 * teen_before)
    young_before = entry[:, 1:3, ages.index("1_4")].sum()
    young_after = entry[:, 3:5, ages.index("1_4")].sum()
    assert abs(young_after - young_before) < 5 * np.sqrt(young_after + young_before)


def test_initial_stock_joint_cells_of_age_and_time_in_care(tmp_path):
    """tables.initial_stock_ages_by_time with from_tic_days, to_tic_days: babies in care 91-182
    days, in one cell aged 150-160 days in care 140-150 days (as if entered at birth) and in
    another aged 300-330 days in care 100-110 days, shares 3:1; a row with both empty takes the
    whole band (1-4s in care 0-91 days). Exact, no tolerance: every baby's age and time in care
    lie in one of the cells (time in care never above age), and both cells are used."""
    (tmp_path / "by_time.csv").write_text(
        "from_days,age_band,from_age_days,to_age_days,share,from_tic_days,to_tic_days\n"
        "91,under_1,150,160,3,140,150\n91,under_1,300,330,1,100,110\n0,1_4,365.25,1826.25,1,,\n")
    (tmp_path / "stock.csv").write_text("area,age_band,from_days,count\n"
                                        "E06000001,under_1,91,400\nE06000001,1_4,0,100\n")
    path = scenario(tmp_path, f"burn_in: 0\ninitial_stock: {tmp_path / 'stock.csv'}\ntables:\n"
                    f"  initial_stock_ages_by_time: {tmp_path / 'by_time.csv'}\noutput:\n  episodes: true\n")
    run(path, tmp_path / "o.h5", "-r", "1", "--areas", "E06000001")
    with h5py.File(tmp_path / "o.h5") as f:
        g = f["episodes"]["s0_r0"]
        labels = g["reason_started"].attrs["labels"].split(",")
        init = (g["reason_started"][:] == labels.index("initial_stock")) & (g["period"][:] == 1)
        age, tic = -g["birth"][:][init], -g["start"][:][init]
    baby = age < YEAR
    assert baby.sum() == 400 and (~baby).sum() == 100
    a, t = age[baby], tic[baby]
    first = (a >= 150) & (a < 160) & (t >= 140) & (t < 150)
    second = (a >= 300) & (a < 330) & (t >= 100) & (t < 110)
    assert np.all(first | second) and first.any() and second.any()
    assert np.all(t <= a)
    assert np.all((tic[~baby] >= 0) & (tic[~baby] < 91))
